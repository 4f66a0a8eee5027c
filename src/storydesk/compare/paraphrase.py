"""Paraphrase-aware parts of the similarity that aligns facts: canonical terms and
character n-grams. :func:`storydesk.compare.facts.sentence_similarity` picks the method
(``CompareSettings.alignment``):

``words``
    TF-IDF cosine of stemmed content words (:func:`storydesk.summarize.provenance.sentence_matrix`,
    the story summariser's), cut at ``fact_threshold``. "The minister resigned" and "the
    minister stepped down" share only "minister".
``paraphrase`` (no model, no download)
    The weighted mean of two cosines, cut at ``paraphrase_threshold``:

    * TF-IDF cosine of *canonical terms* (weight ``paraphrase_term_weight``): content words
      stemmed, number words written as digits ("twelve" -> 12, "twenty-five" -> 25,
      "9,000" -> 9000, "2.4bn" -> 2.4 billion), and the words and phrases that report one
      thing in news (``data/paraphrases.tsv``: "stepped down" = "resigned", "quake" =
      "earthquake", "killed" = "died" = "death toll") as one term;
    * TF-IDF cosine of character 3- to 5-grams of the content words (inflections, spelling
      variants and compounds: "evacuated" / "evacuation", "hospitalised" / "hospitalized",
      "dockworkers" / "dock workers").

    Both IDFs are over the sentences being compared (the story's), so words every outlet
    uses weigh little.
``judge`` (the default)
    The fact judge's probability that two sentences state one fact (:mod:`.judge`),
    cut at ``align_threshold``.
``minilm`` (the ``transformers`` extra)
    The ``paraphrase`` similarity averaged with the cosine of all-MiniLM-L6-v2 sentence
    embeddings (weight ``minilm_weight``), cut at ``minilm_threshold``.

Measured on the labelled pairs of ``sample/alignment.jsonl`` (:mod:`.evaluate`):
docs/comparison.md.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storydesk.text import base_language, content_terms, stem, stopwords

from .char_grams import char_tfidf
from .details import _WORDNUM

__all__ = ["METHODS", "LEXICON", "canonical_terms", "char_cosine"]

METHODS = ("words", "paraphrase", "minilm", "judge")
LEXICON = Path(__file__).resolve().parents[1] / "data" / "paraphrases.tsv"
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+(?:['’][a-z]+)?")
# Number words read as digits; "one" is left alone (mostly a pronoun), vague ones too.
_NUMBERS = {w: v for w, v in _WORDNUM.items()
            if " " not in w and w not in ("one", "hundreds", "thousands", "dozens")}
_TENS = {w for w, v in _NUMBERS.items() if 20 <= v <= 90 and v % 10 == 0}


@functools.cache
def lexicon() -> tuple[dict[tuple[str, ...], str], dict[str, int]]:
    """Stemmed phrase -> meaning ("~name") from ``data/paraphrases.tsv``, and for each
    stem that opens a phrase, the longest such phrase's length in words."""
    table: dict[tuple[str, ...], str] = {}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, variants = line.partition("\t")
        for v in variants.split(","):
            words = tuple(stem(w, "en") for w in _TOKEN.findall(v.strip().lower()))
            if words:
                table.setdefault(words, f"~{name.strip()}")
    longest: dict[str, int] = {}
    for words in table:
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return table, longest


def _number(tok: str) -> str:
    """ "9,000" -> "9000", "4.2" stays, "4,5" (a decimal comma) -> "4.5"."""
    if "," in tok:
        head, _, tail = tok.rpartition(",")
        tok = tok.replace(",", "") if len(tail) == 3 else f"{head.replace(',', '')}.{tail}"
    return tok


def canonical_terms(text: str, language: str | None = None) -> list[str]:
    """Content terms of ``text`` with paraphrases as one term (see the module's doc); the
    paraphrase table is English, so text in another language gets its plain content
    terms (:func:`storydesk.text.content_terms`)."""
    if base_language(language) not in (None, "en"):
        return content_terms(text, language)
    stop = stopwords("en")
    table, longest = lexicon()
    raw = _TOKEN.findall(text.lower().replace("%", " percent "))
    toks: list[str] = []
    for t in raw:  # "2.4bn" -> 2.4 billion
        if t[0].isdigit():
            toks.append(_number(t))
        else:
            toks.append(t)
    stems = [stem(t, "en") if not t[0].isdigit() else t for t in toks]
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t in _NUMBERS:
            v = _NUMBERS[t]
            if t in _TENS and i + 1 < len(toks) and toks[i + 1] in _NUMBERS \
                    and _NUMBERS[toks[i + 1]] < 10:
                v += _NUMBERS[toks[i + 1]]
                i += 1
            out.append(str(v))
            i += 1
            continue
        for n in range(min(longest.get(stems[i], 0), len(toks) - i), 0, -1):
            meaning = table.get(tuple(stems[i:i + n]))
            if meaning:
                out.append(meaning)
                i += n
                break
        else:
            if t[0].isdigit() or (t not in stop and len(t) > 1):
                out.append(stems[i])
            i += 1
    return out


def _content_words(text: str) -> list[str]:
    stop = stopwords("en")
    return [w for w in _TOKEN.findall(text.lower()) if w not in stop]


def char_cosine(texts: Sequence[str]) -> np.ndarray:
    """Cosines of the texts' character n-gram TF-IDF (:func:`.char_grams.char_tfidf` of
    their content words)."""
    x = char_tfidf([_content_words(t) for t in texts])
    return np.asarray((x @ x.T).todense(), dtype=np.float32)
