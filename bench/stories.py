"""Story grouping: quality against gold events, next to batch baselines, and speed.

    .venv/bin/python bench/stories.py [--data ../shared/data] [--seeds 5]
        [--sets ecbplus,gnews_snippets] [--no-baselines] [--speed 100000]
        [--desk-speed 100000] [--order 6] [--minilm] [--set split_conductance=0.04]
        [--undated] [--per-story 3 [--draws 3]]

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
   Zipf background vocabulary) is built in the grouper, then the articles/s of
   placing 2,000 more are timed, periodic consolidation included, with peak RSS.
   ``--desk-speed N`` does the same through ``Desk.place_new_articles()`` on a
   SQLite file (story rows, placements and state written), and times the state
   load of a fresh Desk. Run the two in separate processes for separate peaks.

   With ``--minilm`` (the ``transformers`` extra): all-MiniLM-L6-v2 embeddings
   (first 256 tokens) + average-link agglomerative (threshold tuned on gold) and
   + HDBSCAN, with the embedding rate, to tell whether the extra would help.
4. Order of arrival (``--order N``). The bundled sample loaded through a Desk on a
   SQLite file in N shuffled orders, two ways: one ``add`` per outlet folder, and
   one ``add`` per file; BCubed F1 against the sample's gold stories each time.

``--undated`` removes every row's ``date`` before grouping (the text alone decides; the
ECB+ and GNews files carry no dates, so for them it changes nothing and says so).
``--per-story N`` groups samples instead of the whole set, each of the structure of a
set of one event told by a few outlets: for each draw ``d`` in 0..draws-1 (``--draws``,
default 3) N articles are drawn with ``random.Random(d)`` from every gold story that has at
least N (stories with fewer are left out), and storydesk (each seed) and the baselines
run on that same sample; every row is the mean ± std over draws x seeds (over draws for
the seedless baselines; the agglomerative threshold is tuned on each draw's gold).
``--sets duc2004`` groups the DUC 2004 articles (summaries/duc2004.jsonl) by cluster:
real multi-outlet news (AP, New York Times) without dates.

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


def _agglomerative(X, gold: list, thresholds: list[float]) -> tuple[float, dict]:  # noqa: ANN001
    """Average-link clustering on cosine distance at the threshold best on the gold labels."""
    from sklearn.cluster import AgglomerativeClustering

    best = None
    for thr in thresholds:
        pred = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                       distance_threshold=thr).fit_predict(X)
        sc = partition_scores(gold, pred.tolist())
        if best is None or sc["bcubed_f1"] > best[1]["bcubed_f1"]:
            best = (thr, sc)
    assert best is not None
    return best


def _hdbscan(X, min_cluster_size: int) -> list[int]:  # noqa: ANN001
    """HDBSCAN labels with each noise point a story of its own."""
    from sklearn.cluster import HDBSCAN

    pred = HDBSCAN(min_cluster_size=min_cluster_size, copy=True).fit_predict(X)
    nxt = int(pred.max()) + 1
    out = []
    for p in pred.tolist():
        out.append(p if p >= 0 else nxt)
        nxt += p < 0
    return out


def baseline_runs(rows: list[dict], seeds: int) -> list[tuple[str, list[dict], str]]:
    """Each baseline's (name, scores of its runs, note) on ``rows``."""
    from sklearn.cluster import KMeans
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
    out.append(("TF-IDF + k-means, told true k", runs,
                f"batch, {len(rows) * seeds / (time.perf_counter() - t0):.0f}/s"))
    Z = normalize(TruncatedSVD(min(100, X.shape[1] - 1), random_state=0).fit_transform(X))
    if len(rows) <= 3000:
        feats, what = X.toarray(), "TF-IDF"
    else:  # the dense TF-IDF matrix would not fit: agglomerate the LSA vectors
        feats, what = Z, "LSA-100"
    thr, sc = _agglomerative(feats, gold, [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
    out.append((f"{what} + agglomerative (average, cosine)", [sc],
                f"batch, threshold {thr} tuned on gold"))
    for mcs in (2, 3, 5):
        out.append((f"LSA-100 + HDBSCAN (min_cluster_size={mcs})",
                    [partition_scores(gold, _hdbscan(Z, mcs))], "batch"))
    out.append(("one story per article", [partition_scores(gold, list(range(len(rows))))], ""))
    return out


def baselines(rows: list[dict], seeds: int) -> list[str]:
    return [_row(name, runs, note) for name, runs, note in baseline_runs(rows, seeds)]


def per_story_draws(rows: list[dict], per: int, draws: int) -> list[list[dict]]:
    """For each draw ``d``: ``per`` articles drawn (``random.Random(d)``) from every gold
    story that has at least ``per``, stories in sorted order."""
    by: dict = {}
    for r in rows:
        by.setdefault(r["story"], []).append(r)
    out = []
    for d in range(draws):
        rng = random.Random(d)
        out.append([x for s in sorted(by, key=str) if len(by[s]) >= per
                    for x in rng.sample(by[s], per)])
    return out


def per_story_report(rows: list[dict], settings: StorySettings, seeds: int, per: int,
                     draws: int, with_baselines: bool) -> list[str]:
    """storydesk (seeds) and the baselines on the same ``per_story_draws``: one table row
    each, mean ± std over draws x seeds (over draws for the seedless baselines)."""
    samples = per_story_draws(rows, per, draws)
    runs = [evaluate(sub, settings, seed=s) for sub in samples for s in range(seeds)]
    out = [_row("storydesk online (shuffled order)", runs,
                f"{draws} draws x {seeds} seeds; online F1 "
                f"{_fmt([r['online_bcubed_f1'] for r in runs])}")]
    if with_baselines:
        merged: dict[str, tuple[list[dict], list[str]]] = {}
        for sub in samples:
            for name, rs, note in baseline_runs(sub, seeds):
                got = merged.setdefault(name, ([], []))
                got[0].extend(rs)
                got[1].append(note)
        for name, (rs, notes) in merged.items():
            thr = [n.split("threshold ")[1].split()[0] for n in notes if "threshold " in n]
            out.append(_row(name, rs, f"batch, thresholds {', '.join(thr)} tuned on gold"
                            if thr else notes[0].split(",")[0]))
    return out


def synthetic(n: int, seed: int = 0, vocab: list[str] | None = None
              ) -> list[tuple[str, str, str]]:
    """(id, text, date) articles: 5-30 per story, 40 story words + Zipf background
    (over ``vocab``, most frequent first; default 50,000 made-up words)."""
    rng = np.random.default_rng(seed)
    vocab = np.array(vocab or [f"w{i}" for i in range(50_000)])
    cdf = np.cumsum(1.0 / np.arange(1, len(vocab) + 1))
    cdf /= cdf[-1]

    def background(k: int) -> list[str]:  # Zipf draws, without rebuilding the cdf each time
        return vocab[np.minimum(np.searchsorted(cdf, rng.random(k)), len(vocab) - 1)].tolist()

    out = []
    sid = 0
    day0 = 738000
    while len(out) < n:
        size = int(rng.integers(5, 30))
        own = [f"Ev{sid}x{j}" for j in range(12)] + background(28)
        day = day0 + sid // 40
        for _ in range(size):
            words = list(rng.choice(own, 25)) + background(150)
            offset = day - 719163 + int(rng.integers(0, 3))
            out.append((f"s{len(out)}", " ".join(words), str(np.datetime64("1970-01-01") + offset)))
        sid += 1
    return out[:n]


def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(n_store: int, n_new: int = 2000) -> str:
    """The grouper alone: ``n_store`` articles in memory, then ``n_new`` more timed."""
    arts = synthetic(n_store + n_new)
    g = OnlineGrouper(StorySettings())
    t0 = time.perf_counter()
    for doc_id, text, day in arts[:n_store]:
        g.add(doc_id, text, date=day)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc_id, text, day in arts[n_store:]:
        g.add(doc_id, text, date=day)
    dt = time.perf_counter() - t0
    return (f"grouper: {n_store} stored ({len(g.stories())} stories, built at "
            f"{n_store / build:.0f}/s): placing {n_new} more at {n_new / dt:.0f} articles/s; "
            f"peak RSS {_rss_mib():.0f} MiB")


def desk_speed(n_store: int, n_new: int = 2000) -> str:
    """Through the Desk and a SQLite file: ``n_store`` synthetic articles stored and placed,
    then ``n_new`` more stored and ``place_new_articles()`` timed on the same Desk (grouper
    warm in memory, as in a server or one long ``storydesk add``): placement, story rows,
    placements and state written per batch. Then the load of the state by a fresh Desk
    (what each new process pays once) is timed on its own."""
    import tempfile

    from storydesk import Desk
    from storydesk.models import Article

    arts = synthetic(n_store + n_new)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "speed.db")

        def store(desk: Desk, part: list[tuple[str, str, str]]) -> None:
            for doc_id, text, day in part:
                desk.store.insert_article(
                    Article(title=" ".join(text.split()[:8]), text=text, date=day,
                            outlet=f"outlet{hash(doc_id) % 20}", origin=doc_id),
                    url_key=None, text_hash=doc_id, signature=None, band_keys=[])

        with Desk(db) as desk:
            store(desk, arts[:n_store])
            t0 = time.perf_counter()
            desk.place_new_articles()
            build = time.perf_counter() - t0
            store(desk, arts[n_store:])
            t0 = time.perf_counter()
            desk.place_new_articles()
            dt = time.perf_counter() - t0
            n_st = desk.store.count_stories()
        t0 = time.perf_counter()
        with Desk(db) as desk:
            desk.ingestor.keeper.ensure_loaded()
        load = time.perf_counter() - t0
        size = os.path.getsize(db) / 2**20
    return (f"desk: {n_store} stored and placed at {n_store / build:.0f}/s ({n_st} stories); "
            f"placing {n_new} more (warm Desk) at {n_new / dt:.0f} articles/s; "
            f"state load by a fresh Desk {load:.1f} s; SQLite file {size:.0f} MiB; "
            f"peak RSS {_rss_mib():.0f} MiB")


def minilm_baselines(rows: list[dict]) -> list[str]:
    """MiniLM embeddings + agglomerative (threshold tuned on gold) and + HDBSCAN."""
    from storydesk.compare.embed import embed

    gold = [r["story"] for r in rows]
    t0 = time.perf_counter()
    E = embed([((r.get("title") or "") + "\n" + r["text"])[:4000] for r in rows])
    rate = len(rows) / (time.perf_counter() - t0)
    thr, sc = _agglomerative(E, gold, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    return [
        _row("MiniLM + agglomerative (average, cosine)", [sc],
             f"batch, threshold {thr} tuned on gold; embedding {rate:.0f} articles/s"),
        _row("MiniLM + HDBSCAN (min_cluster_size=5)", [partition_scores(gold, _hdbscan(E, 5))],
             "batch"),
    ]


def sample_orders(seeds: int) -> list[str]:
    """BCubed F1 on the bundled sample, added outlet by outlet and file by file."""
    import tempfile

    from storydesk import Desk
    from storydesk.demo import SAMPLE, gold, gold_key
    from storydesk.stories import bcubed

    rows = gold()
    outlets = sorted(p for p in SAMPLE.iterdir() if p.is_dir())

    def f1(units: list[list[Path]]) -> float:
        with tempfile.TemporaryDirectory() as d, Desk(str(Path(d) / "o.db")) as desk:
            for unit in units:
                desk.add([str(p) for p in unit])
            placed = {gold_key(a.origin or ""): desk.story_of(a.id)
                      for a in desk.articles(limit=None)}
            return bcubed([g["story"] for g in rows], [placed[g["file"]] for g in rows])[2]

    out = []
    for label, units in (("one add per outlet", [[o] for o in outlets]),
                         ("one add per file", [[f] for o in outlets
                                                for f in sorted(o.iterdir())])):
        scores = []
        for seed in range(seeds):
            order = list(units)
            random.Random(seed).shuffle(order)
            scores.append(f1(order))
        out.append(f"| {label} | {len(units)} | {_fmt(scores)} | {min(scores):.3f} | "
                   f"{sum(x == 1.0 for x in scores)} of {seeds} |")
    return out


def story_settings(pairs: list[str]) -> StorySettings:
    """StorySettings with ``KEY=VALUE`` fields changed (numbers, as the field's type)."""
    base = StorySettings()
    for kv in pairs:
        key, value = kv.split("=", 1)
        *path, last = key.split(".")  # "vector.entity_boost": a field of a nested part
        target = base
        for part in path:
            target = getattr(target, part)
        now = getattr(target, last)
        setattr(target, last, float(value) if now is None
                else value.lower() in ("1", "true", "yes") if isinstance(now, bool)
                else type(now)(value))
    return base


def load_set(data: Path, name: str) -> list[dict]:
    """The rows {id, text, story, ...} of a set: ``stories/NAME.jsonl``, or ``duc2004``:
    the 500 AP and New York Times articles of the 50 DUC 2004 clusters (each cluster a
    news event followed over days to weeks; no dates, no titles), a cluster a story."""
    if name == "duc2004":
        with open(data / "summaries" / "duc2004.jsonl", encoding="utf-8") as fh:
            return [{"id": d["id"], "text": d["text"], "story": c["id"]}
                    for c in map(json.loads, fh) for d in c["documents"]]
    with open(data / "stories" / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--sets", default="ecbplus,gnews_snippets")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--speed", type=int, default=100_000, help="store size; 0 to skip")
    ap.add_argument("--desk-speed", type=int, default=0,
                    help="store size for the Desk + SQLite speed run; 0 to skip")
    ap.add_argument("--minilm", action="store_true",
                    help="also MiniLM baselines (needs the transformers extra)")
    ap.add_argument("--order", type=int, default=0,
                    help="shuffled orders of the sample added in pieces; 0 to skip")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a StorySettings field for storydesk's runs (e.g. "
                         "split_conductance=0.04); repeatable")
    ap.add_argument("--undated", action="store_true",
                    help="remove the rows' dates before grouping")
    ap.add_argument("--per-story", type=int, default=0, metavar="N",
                    help="group samples of N articles from every gold story with N or more")
    ap.add_argument("--draws", type=int, default=3, help="samples for --per-story")
    args = ap.parse_args()
    settings = story_settings(args.set)
    if args.set:
        print("settings: " + ", ".join(args.set))
    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')}, "
          f"cpus={os.cpu_count()}")
    for name in [s for s in args.sets.split(",") if s]:
        rows = load_set(Path(args.data), name)
        if args.undated:
            dated = sum(1 for r in rows if r.pop("date", None))
            print(f"undated: {dated} of {len(rows)} rows had a date, removed")
        print(f"\n### {name}: {len(rows)} articles, {len(set(r['story'] for r in rows))} stories\n")
        print("| method | BCubed P | BCubed R | BCubed F1 | ARI | NMI | stories | notes |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        if args.per_story:
            n = len(per_story_draws(rows, args.per_story, 1)[0])
            print(f"{args.per_story} per story: {n} articles, {args.draws} draws\n")
            for line in per_story_report(rows, settings, args.seeds, args.per_story,
                                         args.draws, not args.no_baselines):
                print(line, flush=True)
            continue
        runs = [evaluate(rows, settings, seed=s) for s in range(args.seeds)]
        online = _fmt([r["online_bcubed_f1"] for r in runs])
        rate = _fmt([r["articles_per_s"] for r in runs])
        print(_row("storydesk online (shuffled order)", runs,
                   f"online F1 {online}; {rate} articles/s"), flush=True)
        if not args.no_baselines:
            for line in baselines(rows, args.seeds):
                print(line, flush=True)
        if args.minilm:
            for line in minilm_baselines(rows):
                print(line, flush=True)
    if args.order:
        print("\n### order of arrival: the bundled sample, BCubed F1 vs its gold\n")
        print("| added | add calls | F1 mean ± std | worst | perfect |")
        print("| --- | --- | --- | --- | --- |")
        for line in sample_orders(args.order):
            print(line, flush=True)
    if args.speed or args.desk_speed:
        print("\n### speed\n")
    if args.speed:
        random.seed(0)
        print(speed(args.speed), flush=True)
    if args.desk_speed:
        print(desk_speed(args.desk_speed), flush=True)


if __name__ == "__main__":
    main()
