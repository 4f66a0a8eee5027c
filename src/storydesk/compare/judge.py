"""Same fact or not: a fitted judge of whether two sentences of different outlets say the
same thing.

The judge is a logistic regression over features of a sentence pair, and their pairwise
products, that need no model download and carry to other languages (no word lists beyond
the project's tokenizer, stemmer and stop words): word, stem and stem-bigram overlap in
both directions (the shorter and the longer side), the longest common subsequence of the
words, numbers shared and numbers only one side states, names (capitalised words) shared
and only on one side, a negation on one side only, the length ratio, the TF-IDF cosine
of stems and of character n-grams (IDF over the sentences judged together) and the
cosine of the paraphrase lexicon's canonical terms (:mod:`.paraphrase`; English). A
second fitted variant adds the all-MiniLM-L6-v2 cosine where the ``transformers`` extra
is installed.

Both models are fitted on the Microsoft Research Paraphrase Corpus training split
(news sentence pairs from different outlets) by ``bench/judge.py --fit`` and ship as
``data/fact_judge.json`` (``data/fact_judge_minilm.json``). :func:`judge_pairs` gives the
probability that each pair states one fact; :func:`judge_matrix` the symmetric matrix of
those probabilities for sentences of different articles (what fact alignment clusters).
Measured quality: docs/comparison.md.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from storydesk.text import stems, stopwords, words

__all__ = ["FEATURES", "SentenceTokens", "sentence_tokens", "pair_features", "judge_pairs",
           "judge_matrix", "judge_matrices", "judge_between", "load_judge", "evaluate_facts",
           "read_fact_pairs"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MODELS = {"default": "fact_judge.json", "minilm": "fact_judge_minilm.json"}

FEATURES = (
    "word_min", "word_max", "stem_min", "stem_max", "bigram_min", "bigram_max",
    "lcs_min", "lcs_max", "num_both", "num_shared", "num_only", "name_min", "name_max",
    "name_only", "negation_mismatch", "length_ratio", "tfidf_cos", "char_cos", "canon_cos",
    "word2_min", "word2_max", "word3_min", "word3_max", "prefix_min", "prefix_max",
    "unmatched_min", "unmatched_max", "length_diff", "idf_min", "idf_max",
)


# -- tokens: everything language-specific about a sentence is read here -------------------

@dataclass(frozen=True)
class SentenceTokens:
    words: tuple[str, ...]  # every word, lower case, in order
    stems: tuple[str, ...]  # stems of the content words, in order
    canon: tuple[str, ...]  # canonical terms (paraphrase lexicon, numbers as digits)
    names: frozenset[str]  # capitalised words not opening the sentence, lower case
    numbers: frozenset[str]  # figures, normalised ("9,000" -> "9000", "twelve" -> "12")
    negated: bool  # a negation word ("not", "never", "n't"...)


CAPITAL = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*")  # a capitalised word


def sentence_tokens(text: str, language: str | None = None) -> SentenceTokens:
    """The one place where the judge tokenises and stems: the text layer's words, stop
    words and stems for ``language`` (None: English); the paraphrase lexicon for
    canonical terms."""
    from vaderSentiment.vaderSentiment import NEGATE

    from .details import strip_dateline
    from .paraphrase import canonical_terms

    text = strip_dateline(text)  # a dateline ("KARSK, March 2 (Wire) -") states nothing
    low = text.lower()
    stop = stopwords(language)
    toks = tuple(words(low, language))
    stemmed = tuple(stems([w for w in toks if w not in stop], language))
    canon = tuple(canonical_terms(text))
    numbers = frozenset(t for t in canon if t[:1].isdigit())
    caps = [m.group(0) for m in CAPITAL.finditer(text)]
    first = CAPITAL.match(text.lstrip("\"“‘'([ "))
    if first and caps and caps[0] == first.group(0):
        caps = caps[1:]  # the sentence's first word is capitalised anyway
    names = frozenset(c.lower().strip("'’-") for c in caps
                      if c.lower() not in stop and len(c) > 1)
    negated = any(w in NEGATE or w.endswith("n't") for w in toks)
    return SentenceTokens(toks, stemmed, canon, names, numbers, negated)


# -- features ------------------------------------------------------------------------------

def _binary(bags: Sequence[Sequence[str] | frozenset[str]]) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, bag in enumerate(bags):
        for t in set(bag):
            rows.append(r)
            cols.append(vocab.setdefault(t, len(vocab)))
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                             shape=(len(bags), max(1, len(vocab))))


def _tfidf(bags: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """Row-normalised (1 + log tf) x IDF over these bags."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, bag in enumerate(bags):
        counts: dict[str, int] = {}
        for t in bag:
            counts[t] = counts.get(t, 0) + 1
        for t, c in counts.items():
            rows.append(r)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(1.0 + math.log(c))
    x = sparse.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)),
                          shape=(len(bags), max(1, len(vocab))))
    df = np.bincount(cols, minlength=x.shape[1]).astype(np.float32)
    idf = np.log((len(bags) + 1) / (df + 1)) + 1.0
    x = x @ sparse.diags(idf.astype(np.float32))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ x)


def _char_matrix(texts: Sequence[str], toks: Sequence[SentenceTokens]) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = stopwords(None)  # English: what the judge was fitted on

    docs = [" ".join(w for w in t.words if w not in stop) for t in toks]
    if not any(docs):
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    v = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                        dtype=np.float32)
    return sparse.csr_matrix(v.fit_transform(docs))


_PREFIX = 4  # letters of a stem kept for the prefix overlap


def _rowdot(x: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return np.asarray(x[i].multiply(x[j]).sum(axis=1), dtype=np.float64).ravel()


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for k, w in enumerate(a):
        masks[w] = masks.get(w, 0) | (1 << k)
    full = (1 << len(a)) - 1
    v = full
    for w in b:
        u = v & masks.get(w, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def _ratios(inter: np.ndarray, na: np.ndarray, nb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Overlap as a share of the shorter and of the longer side (0 when a side is empty)."""
    lo, hi = np.minimum(na, nb), np.maximum(na, nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        short = np.where(lo > 0, inter / np.maximum(lo, 1), 0.0)
        long_ = np.where(lo > 0, inter / np.maximum(hi, 1), 0.0)
    return short, long_


def pair_features(texts: Sequence[str], pairs: np.ndarray | Sequence[tuple[int, int]],
                  embeddings: np.ndarray | None = None,
                  tokens: Sequence[SentenceTokens] | None = None) -> dict[str, np.ndarray]:
    """Features (:data:`FEATURES`, and ``minilm_cos`` when ``embeddings`` are given) of the
    ``pairs`` (row indexes into ``texts``); IDFs are over ``texts``."""
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    i, j = p[:, 0], p[:, 1]
    toks = list(tokens) if tokens is not None else [sentence_tokens(t) for t in texts]
    out: dict[str, np.ndarray] = {}
    if not len(p):
        return {f: np.zeros(0) for f in FEATURES}

    def overlap(name: str, bags: Sequence[Any]) -> np.ndarray:
        b = _binary(bags)
        n = np.asarray(b.sum(axis=1)).ravel().astype(np.float64)
        inter = _rowdot(b, i, j)
        out[f"{name}_min"], out[f"{name}_max"] = _ratios(inter, n[i], n[j])
        return inter

    overlap("word", [t.words for t in toks])
    overlap("stem", [t.stems for t in toks])
    overlap("bigram", [list(zip(t.stems, t.stems[1:], strict=False)) for t in toks])
    overlap("word2", [list(zip(t.words, t.words[1:], strict=False)) for t in toks])
    overlap("word3", [list(zip(t.words, t.words[1:], t.words[2:], strict=False))
                      for t in toks])
    # the first letters of stems: a stemmer for any alphabetic language, crude but even
    pre = _binary([[s[:_PREFIX] for s in t.stems] for t in toks])
    npre = np.asarray(pre.sum(axis=1)).ravel().astype(np.float64)
    inter = _rowdot(pre, i, j)
    out["prefix_min"], out["prefix_max"] = _ratios(inter, npre[i], npre[j])
    out["unmatched_min"] = np.minimum(npre[i], npre[j]) - inter
    out["unmatched_max"] = np.maximum(npre[i], npre[j]) - inter
    # shared and unshared stems weighed by IDF (over these texts)
    st = _binary([t.stems for t in toks])
    df = np.asarray(st.sum(axis=0)).ravel()
    idf = np.log((len(toks) + 1) / (df + 1)) + 1.0
    stw = sparse.csr_matrix(st @ sparse.diags(idf))
    mass = np.asarray(stw.sum(axis=1)).ravel().astype(np.float64)
    shared_w = _rowdot(stw, i, j)
    out["idf_min"], out["idf_max"] = _ratios(shared_w, mass[i], mass[j])
    nw = np.array([len(t.words) for t in toks], dtype=np.float64)
    out["length_diff"] = np.abs(nw[i] - nw[j])
    lcs = np.array([_lcs(toks[a].words, toks[b].words) for a, b in zip(i, j, strict=True)],
                   dtype=np.float64)
    out["lcs_min"], out["lcs_max"] = _ratios(lcs, nw[i], nw[j])
    nums = _binary([t.numbers for t in toks])
    nn = np.asarray(nums.sum(axis=1)).ravel().astype(np.float64)
    shared = _rowdot(nums, i, j)
    both = (nn[i] > 0) & (nn[j] > 0)
    out["num_both"] = both.astype(np.float64)
    out["num_shared"] = np.where(both, shared / np.maximum(np.maximum(nn[i], nn[j]), 1), 0.0)
    out["num_only"] = (nn[i] - shared) + (nn[j] - shared)
    names = _binary([t.names for t in toks])
    nm = np.asarray(names.sum(axis=1)).ravel().astype(np.float64)
    shared_n = overlap("name", [t.names for t in toks])
    out["name_only"] = (nm[i] - shared_n) + (nm[j] - shared_n)
    neg = np.array([t.negated for t in toks])
    out["negation_mismatch"] = (neg[i] != neg[j]).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["length_ratio"] = np.where(np.maximum(nw[i], nw[j]) > 0, np.minimum(nw[i], nw[j])
                                       / np.maximum(np.maximum(nw[i], nw[j]), 1), 0.0)
    out["tfidf_cos"] = _rowdot(_tfidf([t.stems for t in toks]), i, j)
    out["char_cos"] = _rowdot(_char_matrix(texts, toks), i, j)
    out["canon_cos"] = _rowdot(_tfidf([t.canon for t in toks]), i, j)
    if embeddings is not None:
        out["minilm_cos"] = np.einsum("ij,ij->i", embeddings[i], embeddings[j]).astype(
            np.float64)
    return out


# -- the fitted model ----------------------------------------------------------------------

def load_judge(name: str | None = None) -> dict[str, Any]:
    """A fitted judge: ``"default"`` (no model download), ``"minilm"`` (the transformers
    extra) or a path to a JSON file written by ``bench/judge.py --fit``."""
    return _load(name or "default")


@functools.cache
def _load(name: str) -> dict[str, Any]:
    path = DATA_DIR / MODELS[name] if name in MODELS else Path(name)
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ValueError(f"fact judge {name!r}: cannot read {path}: {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise ValueError(f"fact judge {name!r}: {path} is not JSON: {e}") from e
    for key in ("features", "mean", "scale", "coef", "intercept"):
        if key not in model:
            raise ValueError(f"fact judge {name!r}: {path} lacks {key!r}")
    return model


def expand(z: np.ndarray, degree: int) -> np.ndarray:
    """``z`` with, for degree 2, every product of two of its columns (scikit-learn's
    PolynomialFeatures order: z0*z0, z0*z1, ..., z1*z1, ...)."""
    if degree == 1:
        return z
    a, b = np.triu_indices(z.shape[1])
    return np.hstack([z, z[:, a] * z[:, b]])


def probabilities(model: dict[str, Any], feats: dict[str, np.ndarray]) -> np.ndarray:
    """The judge's probability of "same fact" for feature rows (:func:`pair_features`):
    features clipped to the range fitted on, standardised, their products (``degree``
    2), standardised again, a logistic regression."""
    x = np.column_stack([feats[f] for f in model["features"]])
    if "low" in model:  # a sentence pair unlike any fitted on is read as the nearest one
        x = np.clip(x, np.asarray(model["low"]), np.asarray(model["high"]))
    z = (x - np.asarray(model["mean"])) / np.asarray(model["scale"])
    coef = np.asarray(model["coef"], dtype=np.float64)
    intercept = float(model["intercept"])
    if "mean2" in model:  # fold the second standardisation into the weights
        coef = coef / np.asarray(model["scale2"])
        intercept -= float(np.asarray(model["mean2"]) @ coef)
    d = z.shape[1]
    logit = z @ coef[:d] + intercept
    if int(model.get("degree", 1)) == 2:  # the products, as z W z (no expanded matrix)
        a, b = np.triu_indices(d)
        w = np.zeros((d, d))
        w[a, b] = coef[d:]
        logit += np.einsum("ij,ij->i", z @ w, z)
    return 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))


def _embeddings(model: dict[str, Any], texts: Sequence[str]) -> np.ndarray | None:
    if "minilm_cos" not in model["features"]:
        return None
    from .similarity import _embed

    return _embed(list(texts))


def judge_pairs(texts: Sequence[str], pairs: np.ndarray | Sequence[tuple[int, int]],
                model: dict[str, Any] | None = None) -> np.ndarray:
    """Probability that each pair of ``texts`` (row indexes) states one fact."""
    model = model or load_judge()
    if not len(pairs):
        return np.zeros(0)
    return probabilities(model, pair_features(texts, pairs, _embeddings(model, texts)))


def judge_matrix(texts: Sequence[str], groups: Sequence[Any] | None = None,
                 model: dict[str, Any] | None = None) -> np.ndarray:
    """Symmetric matrix of :func:`judge_pairs` over the pairs of ``texts`` of different
    ``groups`` (articles; None: every pair) that share a content stem or a canonical term;
    every other pair is 0 (a pair with no content word in common is not taken for one
    fact), the diagonal 1."""
    return judge_matrices(texts, groups, model)[0]


def judge_matrices(texts: Sequence[str], groups: Sequence[Any] | None = None,
                   model: dict[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`judge_matrix`, and the same judged as if the figures of each pair agreed:
    whether two sentences state one fact apart from their numbers (what contradictions
    on numbers are looked for in). One reading of the features serves both."""
    n = len(texts)
    out = np.zeros((n, n), dtype=np.float32)
    if not n:
        return out, out.copy()
    np.fill_diagonal(out, 1.0)
    apart = out.copy()
    toks = [sentence_tokens(t) for t in texts]
    st = _binary([(*t.stems, *t.canon) for t in toks])
    common = (st @ st.T).toarray() > 0
    g = np.asarray(groups if groups is not None else range(n))
    ii, jj = np.nonzero(np.triu(common, 1) & (g[:, None] != g[None, :]))
    if len(ii):
        model = model or load_judge()
        feats = pair_features(texts, np.column_stack([ii, jj]), _embeddings(model, texts),
                              tokens=toks)
        for m, f in ((out, feats), (apart, figures_agreeing(feats))):
            prob = probabilities(model, f).astype(np.float32)
            m[ii, jj] = prob
            m[jj, ii] = prob
    return out, apart


def judge_between(a: Sequence[str], b: Sequence[str], model: dict[str, Any] | None = None
                  ) -> np.ndarray:
    """The probability (``len(a)`` x ``len(b)``) that ``a[i]`` and ``b[j]`` state one fact
    (0 where they share no content term); IDF over both lists."""
    m = judge_matrices([*a, *b], [0] * len(a) + [1] * len(b), model)[0]
    return m[:len(a), len(a):]


def figures_agreeing(feats: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The features with the numbers of each pair read as the same ones."""
    both = feats["num_both"] > 0
    return feats | {"num_shared": np.where(both, 1.0, feats["num_shared"]),
                    "num_only": np.where(both, 0.0, feats["num_only"])}


# -- measuring on labelled pairs -------------------------------------------------------------

def read_fact_pairs(path: str | Path) -> list[dict[str, Any]]:
    """Rows ``{id, label, s1, s2}`` of a JSON-lines file (label 1 = same fact); a bad
    row raises ValueError naming the line."""
    rows = []
    with open(path, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"line {n}: not JSON ({e.msg})") from e
            if not isinstance(r, dict):
                raise ValueError(f"line {n}: not an object")
            missing = [k for k in ("label", "s1", "s2") if k not in r]
            if missing:
                raise ValueError(f"line {n}: no {', '.join(missing)}")
            if r["label"] not in (0, 1, True, False, "0", "1"):
                raise ValueError(f"line {n}: label must be 0 or 1, not {r['label']!r}")
            if not isinstance(r["s1"], str) or not isinstance(r["s2"], str):
                raise ValueError(f"line {n}: s1 and s2 must be text")
            rows.append({"id": r.get("id", n), "label": int(r["label"]), "s1": r["s1"],
                         "s2": r["s2"]})
    if not rows:
        raise ValueError("no labelled pairs")
    return rows


def scores(gold: Sequence[int], pred: Sequence[int]) -> dict[str, float]:
    """Accuracy, and precision, recall and F1 of the positive class (same fact)."""
    g, p = np.asarray(gold, dtype=bool), np.asarray(pred, dtype=bool)
    tp = int((g & p).sum())
    prec = tp / int(p.sum()) if p.sum() else 0.0
    rec = tp / int(g.sum()) if g.sum() else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"accuracy": round(float((g == p).mean()), 4), "f1": round(f1, 4),
            "precision": round(prec, 4), "recall": round(rec, 4)}


def fact_pair_texts(rows: Sequence[dict[str, Any]]) -> tuple[list[str], np.ndarray]:
    """The texts of labelled pairs (s1, s2 of each row in turn) and their index pairs."""
    texts = [t for r in rows for t in (r["s1"], r["s2"])]
    return texts, np.arange(len(texts)).reshape(-1, 2)


def evaluate_facts(path: str | Path, model: str | None = None) -> dict[str, Any]:
    """The judge's accuracy, F1, precision and recall on a labelled file (IDF over the
    file's sentences)."""
    rows = read_fact_pairs(path)
    m = load_judge(model)
    texts, pairs = fact_pair_texts(rows)
    prob = judge_pairs(texts, pairs, m)
    pred = prob >= float(m.get("threshold", 0.5))
    out: dict[str, Any] = {"pairs": len(rows), "model": model or "default",
                           **scores([r["label"] for r in rows], pred.tolist())}
    out["threshold"] = float(m.get("threshold", 0.5))
    # scored on the very pairs it was fitted on, the figures are in-sample
    out["fitted_on_this_file"] = bool(m.get("sha256")) and \
        hashlib.sha256(Path(path).read_bytes()).hexdigest() == m["sha256"]
    return out
