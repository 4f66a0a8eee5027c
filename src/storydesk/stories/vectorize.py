"""Sparse article vectors whose vocabulary and IDF grow online.

Terms are hashed into a fixed number of buckets (no vocabulary to fit); document
frequencies are counted per bucket as articles arrive, so the IDF of every term
is always that of the corpus seen so far. An article is kept as its *raw* term
weights (sublinear tf times title / proper-noun boosts); the IDF is applied
when a vector is needed, so stored articles can be re-weighted with the
current IDF at any time (see ``TermStats.weigh``).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from storydesk.settings import VectorSettings
from storydesk.text import base_language, stem, stopwords, translit_key, word_spans

_SENTENCE_END = frozenset(".!?:;\n\"“”。！？؟")
# Languages that write every noun with a capital: there a capital alone names nothing.
NOUN_CAPITALS = frozenset({"de", "lb"})


def _bucket(term: str, mask: int) -> int:
    return zlib.crc32(term.encode("utf-8")) & mask


def _is_capitalised(tok: str) -> bool:
    return tok[0].isupper()


def _tokens(text: str, min_chars: int, lang: str | None = None,
            stemmed: bool = False, translit: bool = False) -> list[tuple[str, bool]]:
    """(lower-cased token, written as a name) for every content token of ``text`` in
    ``lang`` (its stop words left out; stemmed with ``stemmed``, names excepted).

    A token counts as a name when it is capitalised and does not open a
    sentence, or when it is an acronym of two or more capitals anywhere. In a
    language that capitalises every noun (German) only acronyms count. A name written
    in another script is kept transliterated (anyascii), so that coverage of one event
    in two languages shares it.
    """
    stop = stopwords(lang, broad=True)
    nouns_capitalised = base_language(lang) in NOUN_CAPITALS
    out: list[tuple[str, bool]] = []
    prev_end = 0
    for start, end in word_spans(text, lang):
        tok = text[start:end]
        gap = text[prev_end:start]
        prev_end = end
        low = tok.lower()
        if len(low) < min_chars or low in stop:
            continue
        name = False
        if _is_capitalised(tok):
            if tok.isupper() and len(tok) > 1 and not tok.isdigit():
                name = True
            elif nouns_capitalised:
                name = False
            else:
                stripped = gap.strip()
                opener = start == 0 or (stripped and stripped[-1] in _SENTENCE_END) or "\n" in gap
                name = not opener
        if translit and name and not low.isascii():
            # A name in another script meets its Latin spelling: "Путин" -> "putin".
            low = translit_key(low, " ") or low
        out.append((stem(low, lang) if stemmed and not name else low, name))
    return out


@dataclass
class Features:
    """An article's hashed terms and raw weights (no IDF yet)."""

    idx: np.ndarray  # int64 bucket ids, sorted, unique
    tfw: np.ndarray  # float32 raw weights
    names: dict[int, str]  # bucket -> a readable surface form
    entity: np.ndarray  # bool, the term was seen as a name / given entity


def featurize(text: str, title: str = "", entities: Iterable[str] | None = None,
              settings: VectorSettings | None = None, language: str | None = None) -> Features:
    """Hash an article in ``language`` (ISO 639-1; None reads as English) into raw term
    weights: (1 + log tf) x boosts."""
    s = settings or VectorSettings()
    mask = s.n_features - 1
    counts: dict[str, float] = {}
    named: dict[str, bool] = {}
    surface: dict[str, str] = {}

    def take(part: str, weight: float) -> None:
        toks = _tokens(part, s.min_token_chars, language, s.stem, s.translit_names)
        for i, (low, name) in enumerate(toks):
            w = weight * s.number_boost if s.number_boost != 1.0 and any(
                c.isdigit() for c in low) else weight
            counts[low] = counts.get(low, 0.0) + w
            if name:
                named[low] = True
                surface.setdefault(low, low.title() if not low.isupper() else low)
            if s.name_phrases and name and i + 1 < len(toks) and toks[i + 1][1]:
                phrase = low + "_" + toks[i + 1][0]
                counts[phrase] = counts.get(phrase, 0.0) + weight
                named[phrase] = True
                surface.setdefault(phrase, (low + " " + toks[i + 1][0]).title())

    if title:
        take(title, s.title_boost)
    take(text, 1.0)
    for ent in entities or ():
        low = " ".join(t for t, _ in _tokens(ent, 1, language))
        if s.translit_names and not low.isascii():
            low = translit_key(low, " ")
        if not low:
            continue
        key = "ent:" + low
        counts[key] = counts.get(key, 0.0) + 1.0
        named[key] = True
        surface.setdefault(key, ent.strip())
        for tok in low.split():
            if tok in counts:
                named[tok] = True

    weights: dict[int, float] = {}
    is_ent: dict[int, bool] = {}
    names: dict[int, str] = {}
    boost = s.entity_boost if (base_language(language) or "en") == "en" else s.entity_boost_other
    for term, c in counts.items():
        b = _bucket(term, mask)
        w = (1.0 + math.log(c)) if c >= 1.0 else c
        if named.get(term):
            w *= boost
            is_ent[b] = True
        weights[b] = weights.get(b, 0.0) + w
        names.setdefault(b, surface.get(term, term))
    if not weights:
        return Features(np.zeros(0, np.int64), np.zeros(0, np.float32), {}, np.zeros(0, bool))
    idx = np.fromiter(weights.keys(), np.int64, len(weights))
    tfw = np.fromiter(weights.values(), np.float32, len(weights))
    order = np.argsort(idx)
    idx, tfw = idx[order], tfw[order]
    ent = np.fromiter((is_ent.get(int(b), False) for b in idx), bool, len(idx))
    return Features(idx, tfw, names, ent)


class TermStats:
    """Online document frequencies over hash buckets, and the IDF they give."""

    def __init__(self, n_features: int) -> None:
        self.df = np.zeros(n_features, np.int32)
        self.n_docs = 0

    def count(self, idx: np.ndarray, sign: int = 1) -> None:
        self.df[idx] += sign
        self.n_docs += sign

    def idf(self, idx: np.ndarray) -> np.ndarray:
        """Smoothed IDF, log((1 + N) / (1 + df)) + 1, as in scikit-learn."""
        return (np.log((1.0 + self.n_docs) / (1.0 + self.df[idx])) + 1.0).astype(np.float32)

    def weigh(self, idx: np.ndarray, tfw: np.ndarray) -> np.ndarray:
        """The unit-length TF-IDF values for these raw weights."""
        v = tfw * self.idf(idx)
        n = float(np.sqrt(np.dot(v, v)))
        return v / n if n > 0 else v
