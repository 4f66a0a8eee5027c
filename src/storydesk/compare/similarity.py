"""A similarity profile of two articles on the SemEval-2022 Task 8 dimensions.

Dimensions: geography, entities, time, narrative, overall, style, tone, each on the
labels' own scale, 1 (very similar) .. 4 (very dissimilar). Each dimension is a ridge
model over pair features that need no model download and work in any language
(``BASE_FEATURES``):

    word_cos      TF-IDF cosine of the words (CJK as character pairs; IDF shipped
                  with the model; log-TF cosine without one)
    lead_cos      the same for the first ``LEAD_CHARS`` characters (title and lead)
    char_cos      cosine of character 4-grams (names and numbers across languages)
    persons, organisations, places
                  overlap coefficient of the entities of each type (extract.entities)
    names         overlap of capitalised words not starting a sentence (any Latin or
                  Cyrillic script, so it also works across two languages)
    numbers       overlap of the figures written in digits (separators dropped)
    years         overlap of the years named
    dates         overlap of the days named (month-day; "2 January", "1月2日", "02.01.")
    date_gap      exp(-days between the closest dates the two name / 30), the
                  articles' own dates counted; 0.5 when one names none
    same_lang     1 when the two articles' languages are one
    english       1 when both are English
    tone_gap      |mean VADER compound of one - of the other| (English pairs; else 0)
    length_gap    |log(words of one / words of the other)|
    sentence_gap  |log ratio of mean sentence lengths|
    quote_gap     |share of quoted words in one - in the other|
    digit_gap     |share of tokens with digits in one - in the other|
    person_gap    |share of first and second person pronouns (I, we, you...)| (English)
    minilm_cos    cosine of all-MiniLM-L6-v2 embeddings (only the ``minilm`` model;
                  needs the ``transformers`` extra)

A model names its features; ``a*b`` is the product of two base features (so that,
e.g., the word cosine can weigh differently across languages).

Models: ``data/similarity_model.json`` (the default, no embeddings) and
``data/similarity_model_minilm.json`` (adds MiniLM cosine, and on English pairs blends
its profile with ``4 - 3 x minilm_cos``, ``BLENDS``; chosen with ``model="minilm"``,
``CompareSettings.similarity_model`` or ``STORYDESK_SIMILARITY``). Each model says what
it is in its ``description`` (:func:`describe`).
Both are fitted by ``bench/similarity.py --fit`` on the SemEval-2022 training pairs;
their cross-validated figures are in docs/comparison.md. Without a model file, every
dimension is ``4 - 3 x word_cos``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from storydesk.text import stopwords

from .embed import EMBEDDING_CACHE, embed

__all__ = [
    "DIMENSIONS",
    "BASE_FEATURES",
    "MODELS",
    "PairText",
    "pair_features",
    "profile",
    "profiles",
    "load_model",
    "read_pairs",
    "evaluate_similarity",
    "correlations",
]

DIMENSIONS = ("geography", "entities", "time", "narrative", "overall", "style", "tone")
BASE_FEATURES = (
    "word_cos", "lead_cos", "char_cos", "persons", "organisations", "places", "names",
    "numbers", "years", "dates", "date_gap", "same_lang", "english", "tone_gap",
    "length_gap", "sentence_gap", "quote_gap", "digit_gap", "person_gap", "minilm_cos",
)
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MODELS = {"default": "similarity_model.json", "minilm": "similarity_model_minilm.json"}
MODEL_FILE = DATA_DIR / MODELS["default"]
IDF_FILE = DATA_DIR / "similarity_idf.json"  # the shipped models' IDF
ALPHA = 10.0  # ridge penalty on standardised features
# The models' features: the base ones, some weighed apart for same-language and for
# English pairs (a word cosine means little across two languages).
_SAME_LANG = ("word_cos", "lead_cos", "char_cos", "names", "numbers")
_ENGLISH = ("word_cos", "char_cos", "persons", "organisations", "places")
RECIPES = {
    "default": [f for f in BASE_FEATURES if f != "minilm_cos"]
    + [f"{f}*same_lang" for f in _SAME_LANG] + [f"{f}*english" for f in _ENGLISH],
}
RECIPES["minilm"] = [*RECIPES["default"], "minilm_cos", "minilm_cos*english",
                     "minilm_cos*minilm_cos*english"]
# The minilm model's profile on English pairs: (1 - w) x the ridge's + w x (4 - 3 x MiniLM
# cosine). MiniLM cosine alone is a strong English similarity (all-MiniLM-L6-v2 is an
# English model) that the ridge over many features does not fully keep; w chosen by
# bench/similarity.py's grouped CV (docs/comparison.md).
BLENDS = {"minilm": 0.5}
DESCRIPTIONS = {
    "default": "default (no text embeddings: words, names, figures, dates and style)",
    "minilm": "minilm (with text embeddings: all-MiniLM-L6-v2 cosine among the features, "
              "and blended with the profile on English pairs)",
}
MAX_CHARS = 6000  # features read the first this many characters of a text
LEAD_CHARS = 400

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_NAME = re.compile(r"(?<=[^\s.!?\"“«]\s)([A-ZÀ-ÞА-ЯЁ][\w'’-]+)")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d)")
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„]{3,})[\"”»“]")
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
_CJK_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DOT_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?:(\d{2,4})(?!\d))?")
_PERSON_WORDS = frozenset("i me my mine we us our ours you your yours".split())


@dataclass
class PairText:
    """One side of a pair: text (title first), optional date, language, and what the
    caller has computed already: entities (``storydesk.models.Entity`` list) and tone."""

    text: str
    title: str = ""
    date: str | None = None
    language: str | None = None
    entities: list[Any] | None = field(default=None, repr=False)
    tone: float | None = None  # mean VADER compound of its sentences, when known


@dataclass
class _Prep:
    words: Counter[str]
    lead: Counter[str]
    chars: Counter[str]
    persons: set[str]
    organisations: set[str]
    places: set[str]
    names: set[str]
    numbers: set[str]
    years: set[str]
    days: set[str]  # "MM-DD"
    dates: list[date]
    language: str | None
    tone: float | None
    n_words: int
    sentence_len: float
    quote_share: float
    digit_share: float
    person_share: float | None
    text: str
    units: dict[tuple[str, int], dict[str, float]] = field(default_factory=dict)

    def unit(self, name: str, idf: Mapping[str, float] | None, default: float
             ) -> dict[str, float]:
        """The bag ``name`` (words, lead, chars) as a unit vector, kept per IDF table."""
        key = (name, id(idf))
        if key not in self.units:
            self.units[key] = _unit(getattr(self, name), idf, default)
        return self.units[key]


def _tokens(text: str, language: str | None = None) -> list[str]:
    """Content words of lower-cased text (stop words of ``language`` left out); runs of
    CJK characters as character pairs (the fitted IDF table is over these)."""
    stop = stopwords(language)
    out: list[str] = []
    for w in _WORD.findall(text):
        if _CJK.match(w):
            out.extend(w[i:i + 2] for i in range(max(1, len(w) - 1)))
        elif len(w) >= 3 and w not in stop:
            out.append(w)
    return out


def _unit(c: Counter[str], idf: Mapping[str, float] | None, default: float
          ) -> dict[str, float]:
    """Log-TF (x IDF) weights of a bag of words, scaled to unit length."""
    if idf is None:
        w = {t: 1 + math.log(n) for t, n in c.items()}
    else:
        w = {t: (1 + math.log(n)) * idf.get(t, default) for t, n in c.items()}
    norm = math.sqrt(sum(v * v for v in w.values()))
    return {t: v / norm for t, v in w.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def _overlap(a: set[Any], b: set[Any]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _iso(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _mentioned_dates(text: str) -> tuple[set[str], list[date]]:
    """Days named in ``text``: month-day keys and the full dates."""
    from storydesk.extract.dates import find_dates

    days: set[str] = set()
    full: list[date] = []
    for _, _, iso in find_dates(text):
        d = _iso(*(int(x) for x in iso[:10].split("-")))
        if d:
            full.append(d)
            days.add(f"{d.month:02d}-{d.day:02d}")
    for m in _CJK_DATE.finditer(text):
        mo, dy = int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= dy <= 31:
            days.add(f"{mo:02d}-{dy:02d}")
            if m.group(1) and (d := _iso(int(m.group(1)), mo, dy)):
                full.append(d)
    for m in _DOT_DATE.finditer(text):
        dy, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12 and 1 <= dy <= 31:
            days.add(f"{mo:02d}-{dy:02d}")
    return days, full


def _prepare(p: PairText) -> _Prep:
    from storydesk.extract.entities import extract_entities

    from .tone import sentence_tones

    text = p.text[:MAX_CHARS]
    low = re.sub(r"\s+", " ", text.lower())
    title = p.title.lower()
    english = p.language in (None, "en")
    ents = p.entities
    if ents is None:
        ents = extract_entities(text, language=p.language or "en")
    by_type: dict[str, set[str]] = {"person": set(), "organisation": set(), "place": set()}
    for e in ents:
        if e.type in by_type:
            by_type[e.type].add(e.name.lower())
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    tone = p.tone if english else None
    if english and tone is None:
        tones = sentence_tones(sentences[:60]) if sentences else [0.0]
        tone = float(np.mean(tones))
    tokens = text.split()
    n_words = max(1, len(tokens))
    quoted = sum(len(q.split()) for q in _QUOTED.findall(text))
    days, full = _mentioned_dates(text)
    if p.date:
        try:
            full.append(date.fromisoformat(p.date[:10]))
        except ValueError:
            pass
    words = _tokens(f"{title} {low}", p.language)
    person_share = None
    if english:
        person_share = sum(1 for w in _WORD.findall(low) if w in _PERSON_WORDS) / n_words
    return _Prep(
        words=Counter(words),
        lead=Counter(_tokens(f"{title} {low[:LEAD_CHARS]}", p.language)),
        chars=Counter(low[i:i + 4] for i in range(max(0, len(low) - 3))),
        persons=by_type["person"], organisations=by_type["organisation"],
        places=by_type["place"],
        names={m.lower() for m in _NAME.findall(text)},
        numbers={re.sub(r"[.,]", "", n) for n in _DIGITS.findall(text) if len(n) > 1},
        years=set(_YEAR.findall(text)),
        days=days, dates=full,
        language=p.language, tone=tone, n_words=n_words,
        sentence_len=n_words / max(1, len(sentences)),
        quote_share=min(1.0, quoted / n_words),
        digit_share=sum(1 for t in tokens if any(c.isdigit() for c in t)) / n_words,
        person_share=person_share,
        text=text,
    )


def _date_gap(a: _Prep, b: _Prep) -> float:
    if not a.dates or not b.dates:
        return 0.5
    da, db = sorted(set(a.dates)), sorted(set(b.dates))
    gap = min(abs((x - y).days) for x in da[:20] for y in db[:20])
    return math.exp(-gap / 30.0)


def _base(a: _Prep, b: _Prep, idf: Mapping[str, float] | None, default: float
          ) -> dict[str, float]:
    same = (a.language or "?") == (b.language or "?")
    english = a.language in (None, "en") and b.language in (None, "en")
    tone_gap = abs(a.tone - b.tone) if a.tone is not None and b.tone is not None else 0.0
    person_gap = 0.0
    if a.person_share is not None and b.person_share is not None:
        person_gap = abs(a.person_share - b.person_share)
    return {
        "word_cos": _dot(a.unit("words", idf, default), b.unit("words", idf, default)),
        "lead_cos": _dot(a.unit("lead", idf, default), b.unit("lead", idf, default)),
        "char_cos": _dot(a.unit("chars", None, 1.0), b.unit("chars", None, 1.0)),
        "persons": _overlap(a.persons, b.persons),
        "organisations": _overlap(a.organisations, b.organisations),
        "places": _overlap(a.places, b.places),
        "names": _overlap(a.names, b.names),
        "numbers": _overlap(a.numbers, b.numbers),
        "years": _overlap(a.years, b.years),
        "dates": _overlap(a.days, b.days),
        "date_gap": _date_gap(a, b),
        "same_lang": float(same),
        "english": float(english),
        "tone_gap": tone_gap,
        "length_gap": abs(math.log(a.n_words / b.n_words)),
        "sentence_gap": abs(math.log(max(a.sentence_len, 1) / max(b.sentence_len, 1))),
        "quote_gap": abs(a.quote_share - b.quote_share),
        "digit_gap": abs(a.digit_share - b.digit_share),
        "person_gap": person_gap,
        "minilm_cos": 0.0,
    }


def _row(base: Mapping[str, float], names: Sequence[str]) -> list[float]:
    out = []
    for n in names:
        out.append(math.prod(base[f] for f in n.split("*")))
    return out


def pair_features(a: PairText, b: PairText, model: dict[str, Any] | None = None
                  ) -> dict[str, float]:
    """The base features of one pair, by name (``minilm_cos`` only with a model that
    uses it)."""
    model = model if model is not None else load_model()
    idf, default = _idf(model)
    pa, pb = _prepare(a), _prepare(b)
    base = _base(pa, pb, idf, default)
    if model and any("minilm_cos" in f for f in model["features"]):
        base["minilm_cos"] = float(embed([pa.text])[0] @ embed([pb.text])[0])
    return base


def _idf(model: dict[str, Any] | None) -> tuple[dict[str, float] | None, float]:
    """A model's IDF: in the model, or in a file of ``data/`` it names (shared by the
    models fitted on one file)."""
    if not model or "idf" not in model:
        return None, 1.0
    idf = model["idf"]
    if isinstance(idf, str):
        idf = _idf_file(idf)
    return idf, float(model["idf_default"])


@functools.cache
def _idf_file(name: str) -> dict[str, float]:
    return json.loads((DATA_DIR / Path(name).name).read_text(encoding="utf-8"))


def load_model(name: str | None = None) -> dict[str, Any] | None:
    """A fitted model: ``"default"``, ``"minilm"`` (needs the transformers extra) or a
    path to a JSON file; None reads ``STORYDESK_SIMILARITY`` (default ``"default"``).
    Returns None when the file is missing."""
    name = name or os.environ.get("STORYDESK_SIMILARITY") or "default"
    return _load(name)


@functools.cache
def _load(name: str) -> dict[str, Any] | None:
    p = DATA_DIR / MODELS[name] if name in MODELS else Path(name)
    if not p.exists():
        if name in MODELS:
            return None
        raise FileNotFoundError(f"no similarity model {name!r}")
    return json.loads(p.read_text(encoding="utf-8"))


def _predict(feats: np.ndarray, model: dict[str, Any] | None,
             rows: Sequence[Mapping[str, float]]) -> dict[str, np.ndarray]:
    """Profile of feature rows (``rows``: their base features) on the 1..4 scale."""
    if model is None:
        base = 4.0 - 3.0 * np.array([r["word_cos"] for r in rows], dtype=float)
        return {d: base for d in DIMENSIONS}
    z = (feats - np.array(model["mean"])) / np.array(model["scale"])
    w = float(model.get("blend", 0.0))
    if w:  # on English pairs, blended with the MiniLM cosine itself
        w_row = w * np.array([r["english"] for r in rows], dtype=float)
        cos = 4.0 - 3.0 * np.array([r["minilm_cos"] for r in rows], dtype=float)
    out = {}
    for d in DIMENSIONS:
        m = model["dimensions"][d]
        pred = m["intercept"] + z @ np.array(m["coef"])
        if w:
            pred = (1.0 - w_row) * pred + w_row * cos
        out[d] = np.clip(pred, 1.0, 4.0)
    return out


def describe(model: dict[str, Any] | None, name: str) -> str:
    """What made a profile: the model's own description, else ``name`` and whether it
    reads text embeddings; without a model, plain word cosine."""
    if model is None:
        return f"{name} (no model file: 4 - 3 x word cosine)"
    if model.get("description"):
        return str(model["description"])
    emb = "with" if any("minilm_cos" in f for f in model["features"]) else "no"
    return f"{name} ({emb} text embeddings)"


def base_features(pairs: Sequence[tuple[PairText, PairText]],
                  idf: Mapping[str, float] | None = None, default: float = 1.0,
                  *, embeddings: bool = False, cache: dict[int, Any] | None = None
                  ) -> list[dict[str, float]]:
    """Base features of many pairs, each text prepared once (by identity; ``cache``
    keeps the prepared texts between calls on the same PairText objects)."""
    cache = {} if cache is None else cache

    def prep(p: PairText) -> _Prep:
        if id(p) not in cache:
            cache[id(p)] = _prepare(p)
        return cache[id(p)]

    rows = [_base(prep(a), prep(b), idf, default) for a, b in pairs]
    if embeddings and rows:
        embed([t.text for pair in pairs for t in (cache[id(pair[0])], cache[id(pair[1])])])
        for r, (a, b) in zip(rows, pairs, strict=True):
            r["minilm_cos"] = float(EMBEDDING_CACHE[cache[id(a)].text]
                                    @ EMBEDDING_CACHE[cache[id(b)].text])
    return rows


def document_frequencies(texts: Iterable[Iterable[str]]) -> tuple[dict[str, float], float]:
    """IDF from the words of each text (prepared texts' ``words``; each text once):
    ``log((n + 1) / (df + 1)) + 1`` for words in 2+ texts, and the IDF of a word in one
    text, which unseen words get too."""
    df: Counter[str] = Counter()
    n = 0
    for words in texts:
        df.update(set(words))
        n += 1
    idf = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items() if c > 1}
    return idf, math.log((n + 1) / 2) + 1


def profiles(pairs: Sequence[tuple[PairText, PairText]], model: dict[str, Any] | None = None,
             cache: dict[int, Any] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Feature rows (the model's features) and profiles of many pairs; ``model``: a
    loaded model (None: :func:`load_model`)."""
    model = model if model is not None else load_model()
    idf, default = _idf(model)
    names = list(model["features"]) if model else ["word_cos"]
    rows = base_features(pairs, idf, default, cache=cache,
                         embeddings=any("minilm_cos" in n for n in names)
                         or bool(model and model.get("blend")))
    feats = np.array([_row(r, names) for r in rows], dtype=float).reshape(len(rows), len(names))
    return feats, _predict(feats, model, rows)


def profile(a: PairText, b: PairText, model: dict[str, Any] | None = None) -> dict[str, float]:
    """SemEval profile of one pair: each dimension 1 (very similar) .. 4 (very dissimilar)."""
    _, pred = profiles([(a, b)], model)
    return {d: round(float(v[0]), 2) for d, v in pred.items()}


def read_pairs(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a SemEval-2022 Task 8 CSV (pair_id, lang1, lang2, text1, text2, the labels)
    that have both texts."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r.get("text1") and r.get("text2")]


def pair_texts(rows: Sequence[dict[str, Any]]) -> list[tuple[PairText, PairText]]:
    """The rows' pairs, one PairText object per distinct (text, language), so that each
    text is prepared once."""
    seen: dict[tuple[str, str], PairText] = {}

    def one(text: str, lang: str | None) -> PairText:
        key = (text, lang or "")
        if key not in seen:
            seen[key] = PairText(text, language=lang or None)
        return seen[key]

    return [(one(r["text1"], r.get("lang1")), one(r["text2"], r.get("lang2"))) for r in rows]


def gold_labels(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    """The human labels, one column per dimension (rows x 7)."""
    return np.array([[float(r[d.capitalize()]) for d in DIMENSIONS] for r in rows])


def english_pairs(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    return np.array([r.get("lang1") == "en" and r.get("lang2") == "en" for r in rows])


def article_groups(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    """A group number per row: pairs that share an article (a half of ``pair_id``) or a
    text are in one group, so cross-validation never splits an article across folds."""
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, r in enumerate(rows):
        keys = [k for k in str(r.get("pair_id", "")).split("_") if k]
        for key in [*keys, "\0" + r["text1"], "\0" + r["text2"]]:
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    return np.array([root(i) for i in range(len(rows))])


def fit_model(pairs: Sequence[tuple[PairText, PairText]], gold: np.ndarray,
              features: Sequence[str], alpha: float = ALPHA,
              cache: dict[int, Any] | None = None, blend: float = 0.0) -> dict[str, Any]:
    """Ridge weights per dimension over ``features`` (standardised), with the IDF of the
    pairs' texts: the JSON model that :func:`profiles` reads; ``blend``: the weight of
    ``4 - 3 x minilm_cos`` in its English profiles (``BLENDS``)."""
    from sklearn.linear_model import Ridge

    cache = {} if cache is None else cache
    base_features(pairs, cache=cache)  # prepares every text
    idf, default = document_frequencies(
        cache[id(p)].words for p in {id(p): p for pair in pairs for p in pair}.values())
    rows = base_features(pairs, idf, default, cache=cache,
                         embeddings=any("minilm_cos" in f for f in features))
    x = np.array([_row(r, features) for r in rows], dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    dims = {}
    for k, d in enumerate(DIMENSIONS):
        r = Ridge(alpha=alpha).fit(z, gold[:, k])
        dims[d] = {"intercept": round(float(r.intercept_), 6),
                   "coef": [round(float(c), 6) for c in r.coef_]}
    out: dict[str, Any] = {"blend": blend} if blend else {}
    return out | {"features": list(features), "alpha": alpha,
                  "mean": [round(float(v), 6) for v in mean],
                  "scale": [round(float(v), 6) for v in scale], "dimensions": dims,
                  "idf_default": round(default, 4),
                  "idf": {w: round(v, 3) for w, v in sorted(idf.items())}}


def cross_validate(pairs: Sequence[tuple[PairText, PairText]], gold: np.ndarray,
                   groups: np.ndarray, features: Sequence[str], alpha: float = ALPHA,
                   folds: int = 5, seed: int = 0, cache: dict[int, Any] | None = None,
                   blend: float = 0.0) -> dict[str, np.ndarray]:
    """Out-of-fold profiles: ``folds``-fold cross-validation grouped by ``groups`` (see
    :func:`article_groups`); the IDF too is fitted on each training part alone."""
    from sklearn.model_selection import GroupKFold

    cache = {} if cache is None else cache
    pred = {d: np.zeros(len(pairs)) for d in DIMENSIONS}
    split = GroupKFold(folds, shuffle=True, random_state=seed)
    for train, test in split.split(np.zeros(len(pairs)), groups=groups):
        model = fit_model([pairs[i] for i in train], gold[train], features, alpha, cache,
                          blend)
        _, p = profiles([pairs[i] for i in test], model, cache=cache)
        for d in DIMENSIONS:
            pred[d][test] = p[d]
    return pred


def correlations(pred: Iterable[float], gold: Iterable[float]) -> dict[str, float]:
    from scipy.stats import pearsonr, spearmanr

    p, g = np.asarray(list(pred), float), np.asarray(list(gold), float)
    if len(p) < 3 or np.std(p) == 0 or np.std(g) == 0:
        return {"pearson": float("nan"), "spearman": float("nan")}
    return {"pearson": round(float(pearsonr(p, g)[0]), 4),
            "spearman": round(float(spearmanr(p, g)[0]), 4)}


def tfidf_cosine(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    """The TF-IDF baseline: cosine of each pair's texts, IDF fitted on the file's texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [r["text1"][:MAX_CHARS] for r in rows] + [r["text2"][:MAX_CHARS] for r in rows]
    v = TfidfVectorizer(sublinear_tf=True, min_df=1).fit(texts)
    x1, x2 = v.transform(texts[: len(rows)]), v.transform(texts[len(rows):])
    return np.asarray(x1.multiply(x2).sum(axis=1)).ravel()


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def evaluate_similarity(
    path: str | Path, model: str | None = None, *, embeddings: bool = False,
    cv: bool | None = None,
) -> dict[str, Any]:
    """Pearson and Spearman of each profile dimension against the file's human labels,
    English pairs and all pairs, with TF-IDF cosine (and, with ``embeddings``, MiniLM
    cosine) as baselines, shown as ``4 - 3 x cosine`` so that all correlate positively.

    ``model``: a name of :data:`MODELS` or a JSON path (None: as :func:`load_model`).
    ``cv``: score out-of-fold profiles of the model's recipe (features, alpha) refitted
    by grouped 5-fold cross-validation on the file instead of the shipped weights; None
    does so exactly when the model was fitted on this very file, so that a model is
    never scored on the pairs it was fitted on."""
    rows = read_pairs(path)
    pairs = pair_texts(rows)
    gold = gold_labels(rows)
    fitted = load_model(model)
    name = model or os.environ.get("STORYDESK_SIMILARITY") or "default"
    digest = file_sha256(path)
    fitted_here = bool(fitted) and fitted.get("trained_on", {}).get("sha256") == digest
    if cv is None:
        cv = fitted_here
    if cv and fitted:
        pred = cross_validate(pairs, gold, article_groups(rows), fitted["features"],
                              fitted["alpha"], blend=float(fitted.get("blend", 0.0)))
        how = ("5-fold cross-validation grouped by article: the model's recipe refitted on "
               "each training part" + (" (the shipped model was fitted on this file, so its "
                                       "own weights are not scored here)" if fitted_here
                                       else ""))
    else:
        _, pred = profiles(pairs, fitted)
        how = "shipped weights" if fitted else "no model file: 4 - 3 x word cosine"
    baselines = {"tfidf_cosine": 4.0 - 3.0 * tfidf_cosine(rows)}
    if embeddings:
        baselines["embedding_cosine"] = 4.0 - 3.0 * embedding_cosine(rows)
    english = english_pairs(rows)
    out: dict[str, Any] = {}
    for part, mask in (("english", english), ("all", np.ones(len(rows), bool))):
        res: dict[str, Any] = {}
        for k, d in enumerate(DIMENSIONS):
            res[d] = correlations(pred[d][mask], gold[mask, k])
            for b, values in baselines.items():
                res.setdefault("baselines", {}).setdefault(b, {})[d] = correlations(
                    values[mask], gold[mask, k])
        res["pairs"] = int(mask.sum())
        out[part] = res
    out["pairs"] = len(rows)
    out["model"] = name if fitted else "none"
    out["evaluation"] = how
    out["fitted_on_this_file"] = fitted_here
    return out


def embedding_cosine(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    """MiniLM (all-MiniLM-L6-v2, the ``transformers`` extra) cosine of each pair's texts."""
    e1 = embed([r["text1"][:MAX_CHARS] for r in rows])
    e2 = embed([r["text2"][:MAX_CHARS] for r in rows])
    return np.sum(e1 * e2, axis=1)
