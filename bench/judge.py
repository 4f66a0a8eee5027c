"""The fact judge (same fact or not) on MSRP: 10-fold cross-validation, and fitting it.

    .venv/bin/python bench/judge.py [--data ../shared/data/compare/msrp_train.jsonl]
                                    [--fit] [--embeddings] [--json] [--reach]

Cross-validation (stratified 10 folds, seed 0) on the training split of the Microsoft
Research Paraphrase Corpus (news sentence pairs from different outlets; label 1 = same
meaning): accuracy and F1 of

* ``tfidf``: the baseline, TF-IDF cosine of words (scikit-learn's TfidfVectorizer, IDF
  over the training sentences) with the threshold that is most accurate on the training
  folds;
* ``judge``: the logistic regression over ``storydesk.compare.judge.FEATURES``
  (standardised, C = 3), threshold 0.5, fitted on the
  training folds and ``--negatives`` pairs of unrelated sentences (two rows' sentences
  sharing a word; label 0; scored only on the labelled pairs);
* ``judge, English lexicon``: what the judge does with English sentences: the same
  features and a lexicon of words (those of at least LEXICON_MIN_DF sentences), each
  with a weight when found on one side only and one when on both, fitted together
  (liblinear); it applies where both sentences know at least MIN_KNOWN of its words
  (``storydesk.compare.judge.lexicon_logits``), so other languages keep ``judge``;
* ``judge+minilm`` (``--embeddings``, the transformers extra): the same with MiniLM
  cosine.

Gradient-boosted trees over the same features are reported beside it for reference
(``--boosting``). ``--fit`` writes the model(s) fitted on the whole file to
``src/storydesk/data/fact_judge.json`` (its English variant under ``english``; and
``fact_judge_minilm.json``). Deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from scipy import sparse  # noqa: E402

from storydesk.compare.judge import (  # noqa: E402
    DATA_DIR,
    FEATURES,
    MODELS,
    _judged,
    expand,
    fact_pair_texts,
    pair_features,
    probabilities,
    read_fact_pairs,
    scores,
    sentence_tokens,
    word_sides,
)

DATA = ROOT.parent / "shared" / "data" / "compare" / "msrp_train.jsonl"
SEED = 0
C = 3.0  # inverse L2 penalty of the logistic regression (chosen by this CV among 0.1-100)
NEGATIVES = 2000  # unrelated sentence pairs added to the training folds as label 0
DEGREE = 1  # the features alone (degree 2, their pairwise products too, C 0.01: CV 0.771)
# The English variant's word lexicon: a weight for each word of at least LEXICON_MIN_DF
# sentences when found on one side only, and when on both; the words' features are scaled
# by LEXICON_SCALE against the standardised features (so penalised harder: 0.05 / 0.1 /
# 0.3 gave CV F1 0.847 / 0.849 / 0.846), fitted together by liblinear's logistic regression.
LEXICON_MIN_DF = 5
LEXICON_SCALE = 0.1
MIN_KNOWN = 0.5  # the lexicon applies where both sentences know this share of its words


def _standard(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


def _logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> dict:
    from sklearn.linear_model import LogisticRegression

    low, high = x.min(axis=0), x.max(axis=0)
    mean, scale = _standard(x)
    z = expand((x - mean) / scale, DEGREE)
    mean2, scale2 = _standard(z)
    lr = LogisticRegression(C=C, max_iter=5000).fit((z - mean2) / scale2, y,
                                                    sample_weight=weight)
    return {"degree": DEGREE, "low": low.tolist(), "high": high.tolist(),
            "mean": mean.tolist(), "scale": scale.tolist(),
            "mean2": mean2.tolist(), "scale2": scale2.tolist(),
            "coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0])}


def _predict(m: dict, x: np.ndarray, cols: list[str]) -> np.ndarray:
    return probabilities(m | {"features": cols}, {c: x[:, k] for k, c in enumerate(cols)})


def _best_threshold(v: np.ndarray, y: np.ndarray) -> float:
    cands = np.unique(np.round(v, 3))
    acc = [((v >= t) == y).mean() for t in cands]
    return float(cands[int(np.argmax(acc))])


def _negatives(texts: list[str], n: int) -> np.ndarray:
    """``n`` pairs of sentences of different rows (so of different stories) that share a
    content stem, drawn with the seed: unrelated sentences, label 0. A story's sentence
    pairs are mostly unrelated, which the labelled pairs (all on one story) never show."""
    from storydesk.compare.judge import _binary, sentence_tokens

    st = _binary([sentence_tokens(t).stems for t in texts])
    rng = np.random.default_rng(SEED)
    out: list[tuple[int, int]] = []
    while len(out) < n:
        a, b = (int(v) for v in rng.integers(0, len(texts), 2))
        if a // 2 != b // 2 and st[a].multiply(st[b]).sum() > 0:
            out.append((a, b))
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def _word_rows(toks: list, pairs: np.ndarray) -> tuple[sparse.csr_matrix, list[str]]:
    """For each pair (rows of ``pairs``, indexes into ``toks``): which lexicon words it has
    on one side only, then which on both sides; and the lexicon (words of at least
    LEXICON_MIN_DF sentences, figures left out)."""
    from collections import Counter

    df = Counter(w for t in toks for w in set(t.words))
    # no figures: which figure a sentence has is no evidence; agreeing figures are the
    # num_* features' business (and a contradiction's, which reads them as agreeing)
    vocab = sorted(w for w, c in df.items() if c >= LEXICON_MIN_DF
                   and not any(ch.isdigit() for ch in w))
    one, both, _ = word_sides(toks, pairs[:, 0], pairs[:, 1],
                              {w: k for k, w in enumerate(vocab)})
    return sparse.hstack([one, both]).tocsr(), vocab


def _english(x: np.ndarray, words: sparse.csr_matrix, vocab: list[str], y: np.ndarray) -> dict:
    """The English variant: the features (standardised) and the word lexicon, one
    logistic regression (liblinear, C)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standard(x)
    z = sparse.hstack([sparse.csr_matrix((x - mean) / scale), words * LEXICON_SCALE]).tocsr()
    lr = LogisticRegression(C=C, solver="liblinear", max_iter=5000).fit(z, y)
    d, v = x.shape[1], len(vocab)
    w = lr.coef_[0]

    def lexicon(part: np.ndarray) -> dict[str, float]:
        return {t: round(float(c) * LEXICON_SCALE, 6) for t, c in zip(vocab, part, strict=True)
                if round(float(c) * LEXICON_SCALE, 6)}

    return {"degree": 1, "low": x.min(axis=0).tolist(), "high": x.max(axis=0).tolist(),
            "mean": mean.tolist(), "scale": scale.tolist(), "coef": w[:d].tolist(),
            "intercept": float(lr.intercept_[0]),
            "lexicon": {"min_known": MIN_KNOWN, "one": lexicon(w[d:d + v]),
                        "both": lexicon(w[d + v:])}}


def _cv(x: np.ndarray, y: np.ndarray, base: np.ndarray, cols: list[str], boosting: bool,
        xneg: np.ndarray, lex: tuple | None = None) -> dict:
    """10-fold CV; ``lex`` (word rows of all pairs, labelled first; the lexicon; the
    sentences' tokens; the labelled pairs): also the English variant, as the judge
    applies it."""
    from sklearn.model_selection import StratifiedKFold

    keys = ["tfidf", "judge"] + (["judge, English lexicon"] if lex else [])
    preds: dict[str, np.ndarray] = {k: np.zeros(len(y), dtype=bool) for k in keys}
    if boosting:
        from sklearn.ensemble import GradientBoostingClassifier

        preds["boosting"] = np.zeros(len(y), dtype=bool)
    folds = StratifiedKFold(n_splits=10, shuffle=True, random_state=SEED)
    for tr, te in folds.split(x, y):
        t = _best_threshold(base[tr], y[tr])
        preds["tfidf"][te] = base[te] >= t
        yy = np.concatenate([y[tr], np.zeros(len(xneg))])
        m = _logistic(np.vstack([x[tr], xneg]), yy)
        preds["judge"][te] = _predict(m, x[te], cols) >= 0.5
        if lex:
            words, vocab, toks, pairs = lex
            neg = np.arange(len(y), words.shape[0])
            en = _english(np.vstack([x[tr], xneg]), words[np.concatenate([tr, neg])], vocab, yy)
            model = m | {"features": cols, "english": en | {"features": cols}}
            p = pairs[te]
            preds["judge, English lexicon"][te] = _judged(
                model, [{c: x[te, k] for k, c in enumerate(cols)}], toks, p[:, 0], p[:, 1]
            )[0] >= 0.5
        if boosting:
            gb = GradientBoostingClassifier(n_estimators=200, max_depth=3, learning_rate=0.05,
                                            subsample=0.8, random_state=SEED)
            preds["boosting"][te] = gb.fit(x[tr], y[tr]).predict(x[te]) == 1
    return {k: scores(y.tolist(), v.tolist()) for k, v in preds.items()}


def cross_validate(rows: list[dict], negatives: int = NEGATIVES) -> dict:
    """10-fold CV scores of the baseline and the judge on labelled ``rows``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    y = np.array([r["label"] for r in rows])
    texts, pairs = fact_pair_texts(rows)
    neg = _negatives(texts, negatives)
    feats = pair_features(texts, np.vstack([pairs, neg]))
    xall = np.column_stack([feats[f] for f in FEATURES])
    v = TfidfVectorizer().fit(texts).transform(texts)
    base = np.asarray(v[pairs[:, 0]].multiply(v[pairs[:, 1]]).sum(axis=1)).ravel()
    toks = [sentence_tokens(t) for t in texts]
    words, vocab = _word_rows(toks, np.vstack([pairs, neg]))
    return _cv(xall[:len(pairs)], y, base, list(FEATURES), False, xall[len(pairs):],
               (words, vocab, toks, pairs))


def lexicon_reach() -> None:
    """Per language of the SemEval-2022 news pairs, the share of sentences (the first five
    of 6 words or more of each text) that know at least ``min_known`` of the shipped
    English lexicon's words: the sentences the lexicon applies to."""
    import csv
    from collections import defaultdict

    from storydesk.compare.judge import load_judge, word_sides
    from storydesk.text import split_sentences

    lex = load_judge()["english"]["lexicon"]
    col = {w: k for k, w in enumerate(sorted(set(lex["one"]) | set(lex["both"])))}
    by: dict[str, list[str]] = defaultdict(list)
    path = ROOT.parent / "shared" / "data" / "similarity" / "semeval2022_train.csv"
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            for text, lang in ((r["text1"], r["lang1"]), (r["text2"], r["lang2"])):
                by[lang] += [s for s in split_sentences(text)[:5] if len(s.split()) >= 6]
    print(f"{path.name}: sentences knowing at least {lex['min_known']} of the lexicon's words")
    for lang, sents in sorted(by.items()):
        toks = [sentence_tokens(s) for s in sents]
        none = np.zeros(0, dtype=np.int64)
        known = word_sides(toks, none, none, col)[2]
        print(f"  {lang}  {len(sents):5d} sentences  {np.mean(known >= lex['min_known']):.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(DATA), help="labelled pairs {id, label, s1, s2}")
    ap.add_argument("--fit", action="store_true", help="write the fitted model(s)")
    ap.add_argument("--embeddings", action="store_true",
                    help="also the MiniLM variant (the transformers extra)")
    ap.add_argument("--boosting", action="store_true", help="also gradient-boosted trees")
    ap.add_argument("--negatives", type=int, default=NEGATIVES,
                    help=f"unrelated pairs added as label 0 when fitting [{NEGATIVES}]")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--reach", action="store_true",
                    help="only: where the shipped English lexicon applies, per language")
    args = ap.parse_args()
    if args.reach:
        lexicon_reach()
        return
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = read_fact_pairs(args.data)
    y = np.array([r["label"] for r in rows])
    texts, pairs = fact_pair_texts(rows)
    emb = None
    if args.embeddings:
        from similarity import load_vectors  # bench/similarity.py: cached in bench/out/

        from storydesk.compare.embed import embed

        load_vectors(texts)
        emb = embed(texts)
    neg = _negatives(texts, args.negatives)
    n = len(pairs)
    feats = pair_features(texts, np.vstack([pairs, neg]), emb)
    variants = {"judge": list(FEATURES)}
    if emb is not None:
        variants["judge+minilm"] = [*FEATURES, "minilm_cos"]
    tf = TfidfVectorizer().fit(texts)
    v = tf.transform(texts)
    base = np.asarray(v[pairs[:, 0]].multiply(v[pairs[:, 1]]).sum(axis=1)).ravel()
    toks = [sentence_tokens(t) for t in texts]
    allpairs = np.vstack([pairs, neg])
    words, vocab = _word_rows(toks, allpairs)
    yall = np.concatenate([y, np.zeros(len(neg))])
    out: dict = {"data": Path(args.data).name, "pairs": len(rows), "cv": {}}
    for name, cols in variants.items():
        xall = np.column_stack([feats[f] for f in cols])
        x, xneg = xall[:n], xall[n:]
        lex = (words, vocab, toks, pairs) if name == "judge" else None
        res = _cv(x, y, base, cols, args.boosting and name == "judge", xneg, lex)
        out["cv"]["tfidf"] = res.pop("tfidf")
        for k, r in res.items():
            out["cv"][k if k.startswith("judge") else f"{name} ({k})"] = r
        if args.fit:
            m = {"features": cols, **_logistic(xall, yall),
                 "threshold": 0.5, "fitted_on": Path(args.data).name, "pairs": len(rows),
                 "sha256": hashlib.sha256(Path(args.data).read_bytes()).hexdigest(),
                 "negatives": len(neg),
                 "fitted_by": "bench/judge.py --fit" + (" --embeddings" if emb is not None
                                                         else ""),
                 "cv": out["cv"][name]}
            if lex:  # English: the same features and the word lexicon (MSRP's words)
                m["english"] = {"features": cols, **_english(xall, words, vocab, yall),
                                "cv": out["cv"]["judge, English lexicon"]}
            target = DATA_DIR / MODELS["minilm" if "minilm_cos" in cols else "default"]
            target.write_text(json.dumps(m, indent=1) + "\n", encoding="utf-8")
            out.setdefault("written", []).append(str(target.relative_to(ROOT)))
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"{out['data']}: {out['pairs']} pairs, stratified 10-fold CV (seed {SEED})")
    for k, r in out["cv"].items():
        print(f"  {k:24} accuracy {r['accuracy']:.3f}  F1 {r['f1']:.3f}  "
              f"precision {r['precision']:.3f}  recall {r['recall']:.3f}")
    for w in out.get("written", []):
        print("wrote", w)


if __name__ == "__main__":
    main()
