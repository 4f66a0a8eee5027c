"""The fact judge (same fact or not) on MSRP: 10-fold cross-validation, and fitting it.

    .venv/bin/python bench/judge.py [--data ../shared/data/compare/msrp_train.jsonl]
                                    [--fit] [--embeddings] [--json]

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
* ``judge+minilm`` (``--embeddings``, the transformers extra): the same with MiniLM
  cosine.

Gradient-boosted trees over the same features are reported beside it for reference
(``--boosting``). ``--fit`` writes the model(s) fitted on the whole file to
``src/storydesk/data/fact_judge.json`` (and ``fact_judge_minilm.json``). Deterministic.
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

from storydesk.compare.judge import (  # noqa: E402
    DATA_DIR,
    FEATURES,
    MODELS,
    expand,
    fact_pair_texts,
    pair_features,
    probabilities,
    read_fact_pairs,
    scores,
)

DATA = ROOT.parent / "shared" / "data" / "compare" / "msrp_train.jsonl"
SEED = 0
C = 3.0  # inverse L2 penalty of the logistic regression (chosen by this CV among 0.1-100)
NEGATIVES = 2000  # unrelated sentence pairs added to the training folds as label 0
DEGREE = 1  # the features alone (degree 2, their pairwise products too, C 0.01: CV 0.771)


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


def _cv(x: np.ndarray, y: np.ndarray, base: np.ndarray, cols: list[str], boosting: bool,
        xneg: np.ndarray) -> dict:
    from sklearn.model_selection import StratifiedKFold

    preds: dict[str, np.ndarray] = {k: np.zeros(len(y), dtype=bool) for k in ("tfidf", "judge")}
    if boosting:
        from sklearn.ensemble import GradientBoostingClassifier

        preds["boosting"] = np.zeros(len(y), dtype=bool)
    folds = StratifiedKFold(n_splits=10, shuffle=True, random_state=SEED)
    for tr, te in folds.split(x, y):
        t = _best_threshold(base[tr], y[tr])
        preds["tfidf"][te] = base[te] >= t
        m = _logistic(np.vstack([x[tr], xneg]), np.concatenate([y[tr], np.zeros(len(xneg))]))
        preds["judge"][te] = _predict(m, x[te], cols) >= 0.5
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
    return _cv(xall[:len(pairs)], y, base, list(FEATURES), False, xall[len(pairs):])


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
    args = ap.parse_args()
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
    out: dict = {"data": Path(args.data).name, "pairs": len(rows), "cv": {}}
    for name, cols in variants.items():
        xall = np.column_stack([feats[f] for f in cols])
        x, xneg = xall[:n], xall[n:]
        res = _cv(x, y, base, cols, args.boosting and name == "judge", xneg)
        out["cv"]["tfidf"] = res.pop("tfidf")
        for k, r in res.items():
            out["cv"][name if k == "judge" else f"{name} ({k})"] = r
        if args.fit:
            m = {"features": cols, **_logistic(xall, np.concatenate([y, np.zeros(len(neg))])),
                 "threshold": 0.5, "fitted_on": Path(args.data).name, "pairs": len(rows),
                 "sha256": hashlib.sha256(Path(args.data).read_bytes()).hexdigest(),
                 "negatives": len(neg),
                 "fitted_by": "bench/judge.py --fit" + (" --embeddings" if emb is not None
                                                         else ""),
                 "cv": out["cv"][name]}
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
