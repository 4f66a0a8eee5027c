"""Same fact or not: a fitted judge of whether two sentences of different outlets say the
same thing.

The judge is a logistic regression over features of a sentence pair that need no model
download and carry to other languages (no word lists beyond the project's tokenizer,
stemmer and stop words): word, stem, n-gram, character n-gram and IDF-weighted overlap in
both directions (the shorter and the longer side), word order (BLEU-like n-gram
precision, word edit distance, longest common subsequence and run, a METEOR-like
alignment of stem prefixes), numbers and names shared, agreeing or only on one side, a
negation on one side only, lengths, the TF-IDF cosine of stems and of character n-grams
(IDF over the sentences judged together) and the cosine of the paraphrase lexicon's
canonical terms (:mod:`.paraphrase`; English). A second fitted variant adds the
all-MiniLM-L6-v2 cosine where the ``transformers`` extra is installed.

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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from storydesk.text import sentence_cache, stems, stopwords, words

from .char_grams import char_tfidf

__all__ = ["FEATURES", "SentenceTokens", "sentence_tokens", "pair_features", "judge_pairs",
           "judge_matrix", "judge_matrices", "judge_between", "load_judge", "evaluate_facts",
           "read_fact_pairs"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MODELS = {"default": "fact_judge.json", "minilm": "fact_judge_minilm.json"}

FEATURES = (
    "word_min", "word_max", "stem_min", "stem_max", "bigram_min", "bigram_max",
    "lcs_min", "lcs_max", "num_both", "num_shared", "name_min", "name_max",
    "negation_mismatch", "length_ratio", "tfidf_cos", "char_cos", "canon_cos",
    "word2_min", "word2_max", "word3_min", "word3_max", "prefix_min", "prefix_max",
    "idf_min", "idf_max",
    # n-gram, sequence and agreement features added 2026-12-06 (MSRP CV 0.769 -> 0.781).
    # Only shares and ratios: counts (words left unmatched, length differences, raw edit
    # distance) grow with the sentence and do not carry from MSRP's short sentences to
    # long news leads.
    "bleu_min", "bleu_max", "canon_min", "canon_max", "ch3_min", "ch3_max", "ch4_min",
    "ch4_max", "edit_norm", "name_equal", "name_subset", "num_equal", "num_one_side",
    "num_subset", "word4_min", "word4_max", "meteor_min", "meteor_max", "frag_min",
    "frag_max", "idf2_min", "idf2_max", "slcs_min", "slcs_max", "run_min", "run_max",
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


@sentence_cache
def sentence_tokens(text: str, language: str | None = None) -> SentenceTokens:
    """The one place where the judge tokenises and stems: the text layer's words, stop
    words and stems for ``language`` (None: English); the paraphrase lexicon for
    canonical terms. Kept for short texts (the summariser asks about one sentence against
    several in turn)."""
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
        for t in dict.fromkeys(bag):  # in order: sums, so the fit, the same in every process
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


def _char_matrix(toks: Sequence[SentenceTokens]) -> sparse.csr_matrix:
    """:func:`.char_grams.char_tfidf` of each sentence's content words (English stop
    words out: what the judge was fitted on)."""
    stop = stopwords(None)
    return char_tfidf([[w for w in t.words if w not in stop] for t in toks])


_PREFIX = 4  # letters of a stem kept for the prefix overlap


def _set_overlap(bags: Sequence[Any], i: np.ndarray, j: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """How many distinct items the bags of each pair (``i[k]``, ``j[k]``) share, and how
    many distinct items each bag holds (what :func:`_binary` rows give by dot product,
    counted on sets: far cheaper for the character n-grams)."""
    sets = [set(b) for b in bags]
    n = np.array([len(x) for x in sets], dtype=np.float64)
    inter = np.array([len(sets[a] & sets[b]) for a, b in zip(i.tolist(), j.tolist(),
                                                              strict=True)],
                     dtype=np.float64)
    return inter, n


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


def _levenshtein(a: Sequence[str], b: Sequence[str]) -> int:
    """Edit distance of two word sequences (bit-parallel, Myers 1999 / Hyyrö 2001)."""
    if not a or not b:
        return len(a) + len(b)
    peq: dict[str, int] = {}
    for k, w in enumerate(a):
        peq[w] = peq.get(w, 0) | (1 << k)
    top, full = 1 << (len(a) - 1), (1 << len(a)) - 1
    pv, mv, score = full, 0, len(a)
    for w in b:
        eq = peq.get(w, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        score += 1 if ph & top else -1 if mh & top else 0
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def _longest_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest run of words the two sequences share (common substring)."""
    where: dict[str, list[int]] = {}
    for q, w in enumerate(b):
        where.setdefault(w, []).append(q)
    best, prev = 0, {}
    for w in a:
        cur = {q: prev.get(q - 1, 0) + 1 for q in where.get(w, ())}
        if cur:
            best = max(best, max(cur.values()))
        prev = cur
    return best


def _ngram_counts(words: Sequence[str]) -> list[Counter]:
    """Counts of the word 1-, 2-, 3- and 4-grams of a sentence."""
    return [Counter(zip(*(words[q:] for q in range(n)), strict=False)) for n in range(1, 5)]


def _bleu(a: Sequence[Counter], b: Sequence[Counter]) -> tuple[float, float]:
    """BLEU-like geometric means of the add-one n-gram precisions (n = 1..4, clipped
    counts; :func:`_ngram_counts`) of each side against the other, lower and higher (no
    brevity penalty: the length features carry it)."""
    la = lb = 0.0
    for ca, cb in zip(a, b, strict=True):
        small, big = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
        matched = sum(min(c, big[g]) for g, c in small.items() if g in big)
        la += math.log((matched + 1) / (ca.total() + 1))
        lb += math.log((matched + 1) / (cb.total() + 1))
    x, y = math.exp(la / 4), math.exp(lb / 4)
    return min(x, y), max(x, y)


def _meteor(a: Sequence[str], b: Sequence[str]) -> tuple[float, float]:
    """METEOR-like score of ``a`` against ``b`` (each word of ``a`` aligned in order to an
    unused equal word of ``b``; recall-weighted F-mean times the fragmentation penalty),
    and the fragmentation (chunks of aligned runs per aligned word; 1 when none)."""
    where: dict[str, list[int]] = {}
    for q, w in enumerate(b):
        where.setdefault(w, []).append(q)
    used: set[int] = set()
    links: list[tuple[int, int]] = []
    for p, w in enumerate(a):
        for q in where.get(w, ()):
            if q not in used:
                used.add(q)
                links.append((p, q))
                break
    if not links:
        return 0.0, 1.0
    chunks = 1 + sum(1 for (p1, q1), (p2, q2) in zip(links, links[1:], strict=False)
                     if (p2, q2) != (p1 + 1, q1 + 1))
    prec, rec = len(links) / len(a), len(links) / len(b)
    frag = chunks / len(links)
    return 10 * prec * rec / (rec + 9 * prec) * (1 - 0.5 * frag ** 3), frag


def _both_ways(f: Any, seqs: Sequence[Sequence[str]], i: np.ndarray, j: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """``f`` of each pair read both ways (a against b, b against a): lower and higher."""
    ab = np.array([f(seqs[a], seqs[b]) for a, b in zip(i, j, strict=True)], dtype=np.float64)
    ba = np.array([f(seqs[b], seqs[a]) for a, b in zip(i, j, strict=True)], dtype=np.float64)
    return np.minimum(ab, ba), np.maximum(ab, ba)


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
        inter, n = _set_overlap(bags, i, j)
        out[f"{name}_min"], out[f"{name}_max"] = _ratios(inter, n[i], n[j])
        return inter

    overlap("word", [t.words for t in toks])
    overlap("stem", [t.stems for t in toks])
    overlap("bigram", [list(zip(t.stems, t.stems[1:], strict=False)) for t in toks])
    overlap("word2", [list(zip(t.words, t.words[1:], strict=False)) for t in toks])
    overlap("word3", [list(zip(t.words, t.words[1:], t.words[2:], strict=False))
                      for t in toks])
    overlap("word4", [list(zip(t.words, t.words[1:], t.words[2:], t.words[3:], strict=False))
                      for t in toks])
    overlap("canon", [t.canon for t in toks])
    stop = stopwords(None)  # English: what the judge was fitted on (as _char_matrix)
    content = [" ".join(w for w in t.words if w not in stop) for t in toks]
    for n in (3, 4):  # character n-grams of the content words, as sets
        overlap(f"ch{n}", [[c[q:q + n] for q in range(len(c) - n + 1)] for c in content])
    # the first letters of stems: a stemmer for any alphabetic language, crude but even
    overlap("prefix", [[s[:_PREFIX] for s in t.stems] for t in toks])
    # shared and unshared stems (and stem bigrams) weighed by IDF (over these texts)
    shared_w, mass = _idf_overlap([t.stems for t in toks], i, j)
    out["idf_min"], out["idf_max"] = _ratios(shared_w, mass[i], mass[j])
    shared_w, mass = _idf_overlap([list(zip(t.stems, t.stems[1:], strict=False))
                                   for t in toks], i, j)
    out["idf2_min"], out["idf2_max"] = _ratios(shared_w, mass[i], mass[j])
    nw = np.array([len(t.words) for t in toks], dtype=np.float64)
    lcs = np.array([_lcs(toks[a].words, toks[b].words) for a, b in zip(i, j, strict=True)],
                   dtype=np.float64)
    out["lcs_min"], out["lcs_max"] = _ratios(lcs, nw[i], nw[j])
    shared, nn = _set_overlap([t.numbers for t in toks], i, j)
    both = (nn[i] > 0) & (nn[j] > 0)
    out["num_both"] = both.astype(np.float64)
    out["num_shared"] = np.where(both, shared / np.maximum(np.maximum(nn[i], nn[j]), 1), 0.0)
    overlap("name", [t.names for t in toks])
    neg = np.array([t.negated for t in toks])
    out["negation_mismatch"] = (neg[i] != neg[j]).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["length_ratio"] = np.where(np.maximum(nw[i], nw[j]) > 0, np.minimum(nw[i], nw[j])
                                       / np.maximum(np.maximum(nw[i], nw[j]), 1), 0.0)
    out["tfidf_cos"] = _rowdot(_tfidf([t.stems for t in toks]), i, j)
    out["char_cos"] = _rowdot(_char_matrix(toks), i, j)
    out["canon_cos"] = _rowdot(_tfidf([t.canon for t in toks]), i, j)
    out |= _sequence_features(toks, i, j)
    out |= _agreement_features(toks, i, j)
    if embeddings is not None:
        out["minilm_cos"] = np.einsum("ij,ij->i", embeddings[i], embeddings[j]).astype(
            np.float64)
    return out


def _idf_overlap(bags: Sequence[Sequence[Any]], i: np.ndarray, j: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """IDF weight (over ``bags``) of the terms each pair shares, and of each bag's terms."""
    b = _binary(bags)
    df = np.asarray(b.sum(axis=0)).ravel()
    w = sparse.csr_matrix(b @ sparse.diags(np.log((len(bags) + 1) / (df + 1)) + 1.0))
    return _rowdot(w, i, j), np.asarray(w.sum(axis=1)).ravel().astype(np.float64)


def _sequence_features(toks: Sequence[SentenceTokens], i: np.ndarray, j: np.ndarray
                       ) -> dict[str, np.ndarray]:
    """Word-order features: BLEU-like n-gram precision, word edit distance, the longest
    shared run of words, and a METEOR-like alignment of stem prefixes (both ways)."""
    out: dict[str, np.ndarray] = {}
    w = [t.words for t in toks]
    grams = [_ngram_counts(x) for x in w]
    bleu = np.array([_bleu(grams[a], grams[b]) for a, b in zip(i, j, strict=True)],
                    dtype=np.float64).reshape(-1, 2)
    out["bleu_min"], out["bleu_max"] = bleu[:, 0], bleu[:, 1]
    nw = np.array([len(x) for x in w], dtype=np.float64)
    edit = np.array([_levenshtein(w[a], w[b]) for a, b in zip(i, j, strict=True)],
                    dtype=np.float64)
    out["edit_norm"] = edit / np.maximum(np.maximum(nw[i], nw[j]), 1)
    run = np.array([_longest_run(w[a], w[b]) for a, b in zip(i, j, strict=True)],
                   dtype=np.float64)
    out["run_min"], out["run_max"] = _ratios(run, nw[i], nw[j])
    pre = [tuple(s[:_PREFIX + 1] for s in t.stems) for t in toks]
    npre = np.array([len(x) for x in pre], dtype=np.float64)
    lo, hi = _both_ways(_meteor, pre, i, j)
    out["meteor_min"], out["meteor_max"] = lo[:, 0], hi[:, 0]
    out["frag_min"], out["frag_max"] = lo[:, 1], hi[:, 1]
    slcs = np.array([_lcs(pre[a], pre[b]) for a, b in zip(i, j, strict=True)],
                    dtype=np.float64)
    out["slcs_min"], out["slcs_max"] = _ratios(slcs, npre[i], npre[j])
    return out


def _agreement_features(toks: Sequence[SentenceTokens], i: np.ndarray, j: np.ndarray
                        ) -> dict[str, np.ndarray]:
    """Numbers and names: the same set on both sides, one side's within the other's, and
    numbers on one side only."""
    out: dict[str, np.ndarray] = {}
    for key, sets in (("num", [t.numbers for t in toks]), ("name", [t.names for t in toks])):
        pairs = [(sets[a], sets[b]) for a, b in zip(i, j, strict=True)]
        out[f"{key}_equal"] = np.array([bool(x) and x == y for x, y in pairs], dtype=np.float64)
        out[f"{key}_subset"] = np.array([bool(x) and bool(y) and (x <= y or y <= x)
                                         for x, y in pairs], dtype=np.float64)
        if key == "num":
            out["num_one_side"] = np.array([bool(x) != bool(y) for x, y in pairs],
                                           dtype=np.float64)
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


def probabilities(model: dict[str, Any], feats: dict[str, np.ndarray],
                  extra: np.ndarray | None = None) -> np.ndarray:
    """The judge's probability of "same fact" for feature rows (:func:`pair_features`):
    features clipped to the range fitted on, standardised, their products (``degree``
    2), standardised again, a logistic regression (``extra``: more of its logit, the
    lexicon's of :func:`lexicon_logits`)."""
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
    if extra is not None:
        logit = logit + extra
    return 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))


def word_sides(toks: Sequence[SentenceTokens], i: np.ndarray, j: np.ndarray,
               col: dict[str, int]) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray]:
    """Which of a lexicon's words (``col``: word -> column) each pair has on one side
    only and on both sides (0/1 matrices, a row per pair), and each sentence's share of
    words the lexicon knows."""
    rows, cols, known = [], [], np.zeros(len(toks))
    for r, t in enumerate(toks):
        found = [col[w] for w in t.words if w in col]
        known[r] = len(found) / max(1, len(t.words))
        found = list(set(found))
        rows += [r] * len(found)
        cols += found
    b = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(toks), len(col)))
    both = sparse.csr_matrix(b[i].multiply(b[j]))
    return sparse.csr_matrix(b[i] + b[j] - 2 * both), both, known


# The lexicon's columns and weights, worked out once per lexicon (the shipped judge's is
# loaded once; a fit's cross-validation makes a few): id -> (lexicon, columns, weights).
_COLUMNS: dict[int, tuple[dict[str, Any], dict[str, int], np.ndarray, np.ndarray]] = {}


def _lexicon_columns(lexicon: dict[str, Any]) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """Word -> column over the lexicon's words, and the ``one`` and ``both`` weights by
    column."""
    got = _COLUMNS.get(id(lexicon))
    if got is None or got[0] is not lexicon:
        words = sorted(set(lexicon["one"]) | set(lexicon["both"]))
        got = (lexicon, {w: k for k, w in enumerate(words)},
               np.array([lexicon["one"].get(w, 0.0) for w in words]),
               np.array([lexicon["both"].get(w, 0.0) for w in words]))
        if len(_COLUMNS) >= 8:
            _COLUMNS.clear()
        _COLUMNS[id(lexicon)] = got
    return got[1], got[2], got[3]


def lexicon_logits(lexicon: dict[str, Any], toks: Sequence[SentenceTokens], i: np.ndarray,
                   j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The English lexicon's part of the logit for each pair (a fitted weight for each
    word found on one side only, ``one``, and for each word both sides have, ``both``),
    and whether it applies: both sentences' words at least ``min_known`` in its
    vocabulary (English news; other languages' sentences know 0-30% of it)."""
    col, w_one, w_both = _lexicon_columns(lexicon)
    one, both, known = word_sides(toks, i, j, col)
    logit = one @ w_one + both @ w_both
    applies = (known[i] >= lexicon["min_known"]) & (known[j] >= lexicon["min_known"])
    return np.where(applies, logit, 0.0), applies


def _judged(model: dict[str, Any], readings: Sequence[dict[str, np.ndarray]],
            toks: Sequence[SentenceTokens], i: np.ndarray, j: np.ndarray) -> list[np.ndarray]:
    """:func:`probabilities` of the pairs for each reading of their features, by the
    model's English variant (its features and a word lexicon, ``english``) where that
    applies, else by the model itself; the lexicon's part is read once for all."""
    english = model.get("english")
    extra, applies = lexicon_logits(english["lexicon"], toks, i, j) if english else (None, None)
    out = []
    for feats in readings:
        prob = probabilities(model, feats)
        if english and applies.any():
            prob = np.where(applies, probabilities(english, feats, extra), prob)
        out.append(prob)
    return out


def _embeddings(model: dict[str, Any], texts: Sequence[str]) -> np.ndarray | None:
    if "minilm_cos" not in model["features"]:
        return None
    from .embed import embed

    return embed(list(texts))


def judge_pairs(texts: Sequence[str], pairs: np.ndarray | Sequence[tuple[int, int]],
                model: dict[str, Any] | None = None) -> np.ndarray:
    """Probability that each pair of ``texts`` (row indexes) states one fact."""
    model = model or load_judge()
    if not len(pairs):
        return np.zeros(0)
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    toks = [sentence_tokens(t) for t in texts]
    feats = pair_features(texts, p, _embeddings(model, texts), tokens=toks)
    return _judged(model, [feats], toks, p[:, 0], p[:, 1])[0]


def judge_matrix(texts: Sequence[str], groups: Sequence[Any] | None = None,
                 model: dict[str, Any] | None = None) -> np.ndarray:
    """Symmetric matrix of :func:`judge_pairs` over the pairs of ``texts`` of different
    ``groups`` (articles; None: every pair) that share a content stem or a canonical term;
    every other pair is 0 (a pair with no content word in common is not taken for one
    fact), the diagonal 1."""
    return judge_matrices(texts, groups, model)[0]


def judge_matrices(texts: Sequence[str], groups: Sequence[Any] | None = None,
                   model: dict[str, Any] | None = None, wanted: np.ndarray | None = None,
                   apart: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """:func:`judge_matrix`, and the same judged as if the figures of each pair agreed:
    whether two sentences state one fact apart from their numbers (what contradictions
    on numbers are looked for in). One reading of the features serves both.
    ``wanted``: an ``n`` x ``n`` boolean mask, only the pairs it holds are judged (the
    others 0; the IDFs are still over every text); ``apart`` false: the second matrix is
    left at 0 (not read)."""
    n = len(texts)
    out = np.zeros((n, n), dtype=np.float32)
    if not n:
        return out, out.copy()
    np.fill_diagonal(out, 1.0)
    apart_m = out.copy()
    toks = [sentence_tokens(t) for t in texts]
    st = _binary([(*t.stems, *t.canon) for t in toks])
    common = (st @ st.T).toarray() > 0
    g = np.asarray(groups if groups is not None else range(n))
    pick = np.triu(common, 1) & (g[:, None] != g[None, :])
    if wanted is not None:
        pick &= wanted | wanted.T
    ii, jj = np.nonzero(pick)
    if len(ii):
        model = model or load_judge()
        feats = pair_features(texts, np.column_stack([ii, jj]), _embeddings(model, texts),
                              tokens=toks)
        readings = _judged(model, [feats, figures_agreeing(feats)] if apart else [feats],
                           toks, ii, jj)
        for m, prob in zip((out, apart_m), readings, strict=False):
            m[ii, jj] = prob
            m[jj, ii] = prob
    return out, apart_m


def judge_between(a: Sequence[str], b: Sequence[str], model: dict[str, Any] | None = None,
                  mask: np.ndarray | None = None) -> np.ndarray:
    """The probability (``len(a)`` x ``len(b)``) that ``a[i]`` and ``b[j]`` state one fact
    (0 where they share no content term); IDF over both lists. ``mask``: a ``len(a)`` x
    ``len(b)`` boolean array, only the pairs it holds are judged (the others 0)."""
    wanted = None
    if mask is not None:
        n = len(a) + len(b)
        wanted = np.zeros((n, n), dtype=bool)
        wanted[:len(a), len(a):] = mask
    m = judge_matrices([*a, *b], [0] * len(a) + [1] * len(b), model, wanted, apart=False)[0]
    return m[:len(a), len(a):]


def figures_agreeing(feats: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The features with the numbers of each pair read as the same ones."""
    both = feats["num_both"] > 0
    return feats | {k: np.where(both, 1.0, feats[k])
                    for k in ("num_shared", "num_equal", "num_subset") if k in feats}


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
