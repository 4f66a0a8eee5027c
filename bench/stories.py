"""Story grouping: quality against gold events, next to batch baselines, and speed.

    .venv/bin/python bench/stories.py [--data ../shared/data] [--seeds 5]
        [--sets ecbplus,gnews_snippets] [--no-baselines] [--speed 100000]

1. Quality. ``storydesk.stories.evaluate`` on each set, input order shuffled
   with seeds 0..seeds-1 (mean ± std): BCubed P/R/F1, ARI, NMI, stories found.
   ``online F1`` is the partition straight after the last article (periodic
   local consolidation only), before the final full consolidation.
2. Baselines, same run, on scikit-learn TF-IDF (sublinear tf, English stop
   words): k-means told the true number of stories (same seeds); average-link
   agglomerative clustering on cosine distance at the best of a threshold sweep
   (tuned on the gold labels: an upper bound for that method); HDBSCAN on
   L2-normalised 100-d SVD (LSA) of the TF-IDF, noise points as singletons;
   one story per article.
3. Speed. A synthetic store of ``--speed`` articles (story-specific terms over a
   Zipf background vocabulary) is built, then the articles/s of placing 2,000
   more are timed, periodic consolidation included.

Data: ECB+ (Cybulska & Vossen 2014, CC-BY 3.0) and the Google News snippets of
Yin & Wang (KDD 2014), see shared/data/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from storydesk.stories import OnlineGrouper, StorySettings, evaluate  # noqa: E402
from storydesk.stories.metrics import partition_scores  # noqa: E402

KEYS = ["bcubed_precision", "bcubed_recall", "bcubed_f1", "ari", "nmi", "stories_found"]


def _fmt(vals: list[float]) -> str:
    whole = all(float(v).is_integer() for v in vals) or statistics.mean(vals) >= 100
    if len(vals) == 1:
        return f"{vals[0]:.0f}" if whole else f"{vals[0]:.3f}"
    m, s = statistics.mean(vals), statistics.stdev(vals)
    return f"{m:.0f} ± {s:.0f}" if whole else f"{m:.3f} ± {s:.3f}"


def _row(name: str, runs: list[dict], extra: str = "") -> str:
    cells = [_fmt([r[k] for r in runs]) for k in KEYS]
    return f"| {name} | " + " | ".join(cells) + f" | {extra} |"


def baselines(rows: list[dict], seeds: int) -> list[str]:
    from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    gold = [r["story"] for r in rows]
    k = len(set(gold))
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [(r.get("title") or "") + "\n" + r["text"] for r in rows])
    out = []
    t0 = time.perf_counter()
    runs = [partition_scores(gold, KMeans(k, n_init=1, random_state=s).fit_predict(X).tolist())
            for s in range(seeds)]
    out.append(_row("TF-IDF + k-means, told true k", runs,
                    f"batch, {len(rows) * seeds / (time.perf_counter() - t0):.0f}/s"))
    Z = normalize(TruncatedSVD(100, random_state=0).fit_transform(X))
    if len(rows) <= 3000:
        feats, what = X.toarray(), "TF-IDF"
    else:  # the dense TF-IDF matrix would not fit: agglomerate the LSA vectors
        feats, what = Z, "LSA-100"
    best = None
    for thr in [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]:
        pred = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                       distance_threshold=thr).fit_predict(feats)
        sc = partition_scores(gold, pred.tolist())
        if best is None or sc["bcubed_f1"] > best[1]["bcubed_f1"]:
            best = (thr, sc)
    assert best is not None
    out.append(_row(f"{what} + agglomerative (average, cosine)", [best[1]],
                    f"batch, threshold {best[0]} tuned on gold"))
    for mcs in (2, 3, 5):
        pred = HDBSCAN(min_cluster_size=mcs, copy=True).fit_predict(Z)
        nxt = pred.max() + 1
        lab = []
        for p in pred.tolist():
            if p < 0:
                lab.append(nxt)
                nxt += 1
            else:
                lab.append(p)
        out.append(_row(f"LSA-100 + HDBSCAN (min_cluster_size={mcs})",
                        [partition_scores(gold, lab)], "batch"))
    out.append(_row("one story per article", [partition_scores(gold, list(range(len(rows))))],
                    ""))
    return out


def synthetic(n: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """(id, text, date) articles: 5-30 per story, 40 story words + Zipf background."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(50_000)]
    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    out = []
    sid = 0
    day0 = 738000
    while len(out) < n:
        size = int(rng.integers(5, 30))
        own = [f"Ev{sid}x{j}" for j in range(12)] + list(rng.choice(vocab, 28, p=zipf))
        day = day0 + sid // 40
        for _ in range(size):
            words = list(rng.choice(own, 25)) + list(rng.choice(vocab, 150, p=zipf))
            offset = day - 719163 + int(rng.integers(0, 3))
            out.append((f"s{len(out)}", " ".join(words), str(np.datetime64("1970-01-01") + offset)))
        sid += 1
    return out[:n]


def speed(n_store: int) -> str:
    arts = synthetic(n_store + 2000)
    g = OnlineGrouper(StorySettings())
    t0 = time.perf_counter()
    for doc_id, text, day in arts[:n_store]:
        g.add(doc_id, text, date=day)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc_id, text, day in arts[n_store:]:
        g.add(doc_id, text, date=day)
    dt = time.perf_counter() - t0
    return (f"{n_store} stored ({len(g.stories())} stories, built at {n_store / build:.0f}/s): "
            f"placing 2000 more at {2000 / dt:.0f} articles/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--sets", default="ecbplus,gnews_snippets")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--speed", type=int, default=100_000, help="store size; 0 to skip")
    args = ap.parse_args()
    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')}, "
          f"cpus={os.cpu_count()}")
    for name in [s for s in args.sets.split(",") if s]:
        rows = [json.loads(line) for line in open(Path(args.data) / "stories" / f"{name}.jsonl")]
        print(f"\n### {name}: {len(rows)} articles, {len(set(r['story'] for r in rows))} stories\n")
        print("| method | BCubed P | BCubed R | BCubed F1 | ARI | NMI | stories | notes |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        runs = [evaluate(rows, StorySettings(), seed=s) for s in range(args.seeds)]
        online = _fmt([r["online_bcubed_f1"] for r in runs])
        rate = _fmt([r["articles_per_s"] for r in runs])
        print(_row("storydesk online (shuffled order)", runs,
                   f"online F1 {online}; {rate} articles/s"), flush=True)
        if not args.no_baselines:
            for line in baselines(rows, args.seeds):
                print(line, flush=True)
    if args.speed:
        random.seed(0)
        print("\n### speed\n\n" + speed(args.speed))


if __name__ == "__main__":
    main()
