"""storydesk batch (PySpark): the same stories as storydesk add, and throughput.

    .venv/bin/python bench/spark.py --ecbplus [--data ../shared/data]
    .venv/bin/python bench/spark.py --dated 20000
    .venv/bin/python bench/spark.py --sizes 10000,100000 [--master local[2]] [--shards 8]
        [--driver-memory 4g]    # 1,000,000 ran with 10g (docs/scale.md)

1. ``--ecbplus``: ECB+ (982 articles, undated) through ``Desk.add`` on a SQLite file and
   through ``run_batch``; BCubed P/R/F1 between the two groupings (on the articles both
   keep: batch drops near-duplicate copies, which add places in their original's story)
   and of each against the gold events.
2. ``--dated N``: N synthetic dated articles (many time blocks): the batch grouping
   against the same articles placed by one ``OnlineGrouper`` in input order as
   ``storydesk add`` places them (read from the batch's own articles table, so both
   see the same cleaned text), BCubed between the two and against the generated events.
3. ``--sizes``: synthetic JSON lines in ``--shards`` files (story terms over a Zipf
   draw from real news vocabulary: the words of ECB+ and the Google News snippets by
   frequency), each size in its own process: wall time, articles/s and the peak
   resident memory of the whole process tree (driver, JVM, Python workers) sampled
   every 0.5 s. The load average is printed at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

QUIET = "WARN|log4j|setLogLevel|incubator"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                parts = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(parts[1]), []).append(int(d))
            rss[int(d)] = int(parts[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 2**20


class PeakSampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _tree_rss_mib(os.getpid()))
            self.stop.wait(0.5)


def real_vocab(data: Path) -> list[str]:
    """Words of the story sets, most frequent first (Zipf ranks from real news)."""
    counts: Counter[str] = Counter()
    for name in ("ecbplus.jsonl", "gnews_snippets.jsonl"):
        path = data / "stories" / name
        if path.exists():
            for line in path.open(encoding="utf-8"):
                counts.update(re.findall(r"[a-z]{3,}", json.loads(line).get("text", "").lower()))
    return [w for w, _ in counts.most_common()]


def write_synthetic(n: int, folder: Path, shards: int, vocab: list[str]) -> list[str]:
    """Synthetic articles as JSON lines (title, text in sentences, date, outlet, url)."""
    from stories import synthetic

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"part-{i:03d}.jsonl" for i in range(shards)]
    files = [p.open("w", encoding="utf-8") for p in paths]
    for k, (doc_id, text, day) in enumerate(synthetic(n, vocab=vocab)):
        words = text.split()
        sents = [" ".join(words[i : i + 15]) for i in range(0, len(words), 15)]
        body = " ".join(s[0].upper() + s[1:] + "." for s in sents)
        row = {"title": " ".join(words[:8]).capitalize(), "text": body, "date": day,
               "outlet": f"Outlet {k % 40}", "url": f"https://outlet{k % 40}.example/{doc_id}",
               "event": doc_id}
        files[k % shards].write(json.dumps(row) + "\n")
    for f in files:
        f.close()
    return [str(p) for p in paths]


def one_size(n: int, master: str, shards: int, data: Path, driver_memory: str) -> dict:
    from storydesk.batch import run_batch, session

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        t0 = time.perf_counter()
        inputs = write_synthetic(n, Path(tmp) / "in", shards, real_vocab(data))
        gen = time.perf_counter() - t0
        sampler = PeakSampler()
        sampler.start()
        spark = session(master, {"spark.driver.memory": driver_memory,
                                 "spark.local.dir": str(Path(tmp) / "spark")})
        t0 = time.perf_counter()
        report = run_batch(inputs, str(Path(tmp) / "out"), spark=spark,
                           log=lambda m: print(m, file=sys.stderr, flush=True))
        secs = time.perf_counter() - t0
        sampler.stop.set()
        sampler.join()
        spark.stop()
    return {"articles_in": n, "articles": report.articles, "stories": report.stories,
            "blocks": report.blocks, "exact": report.exact_duplicates,
            "near": report.near_duplicates, "seconds": round(secs, 1),
            "articles_per_s": round(n / secs, 1), "peak_rss_mib": round(sampler.peak),
            "generate_s": round(gen, 1), "master": master, "driver_memory": driver_memory,
            "load_end": _load()}


def ecbplus(data: Path) -> None:
    import pyarrow.parquet as pq

    from storydesk import Desk
    from storydesk.batch import run_batch, session
    from storydesk.stories import bcubed

    path = data / "stories" / "ecbplus.jsonl"
    gold = {f"{path}:{i}": json.loads(line)["story"]
            for i, line in enumerate(path.open(encoding="utf-8"), start=1)}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with Desk(str(Path(tmp) / "one.db")) as desk:
            desk.add([str(path)])
            one = {a.origin: desk.story_of(a.id) for a in desk.articles(limit=None)}
        t_one = time.perf_counter() - t0
        spark = session("local[2]")
        report = run_batch([str(path)], str(Path(tmp) / "out"), spark=spark)
        rows = pq.read_table(str(Path(tmp) / "out" / "articles"),
                             columns=["origin", "story_id"]).to_pylist()
        spark.stop()
    batch = {r["origin"]: r["story_id"] for r in rows}
    common = sorted(set(batch) & set(one))
    p, r, f = bcubed([one[o] for o in common], [batch[o] for o in common])
    print(f"ECB+: add kept {len(one)} articles in {len(set(one.values()))} stories "
          f"({t_one:.0f} s); batch kept {len(batch)} in {report.stories} stories "
          f"({report.near_duplicates} near, {report.exact_duplicates} exact duplicates dropped; "
          f"{report.blocks} block; {report.seconds:.0f} s)")
    print(f"batch vs add on {len(common)} common articles: BCubed P {p:.4f} R {r:.4f} F1 {f:.4f}")
    for name, part in (("add", one), ("batch", batch)):
        keys = sorted(part)
        print(f"{name} vs gold: BCubed F1 "
              f"{bcubed([gold[k] for k in keys], [part[k] for k in keys])[2]:.4f}")


def dated(n: int, data: Path) -> None:
    import pyarrow.parquet as pq

    from storydesk.batch import run_batch, session
    from storydesk.settings import StorySettings
    from storydesk.stories import OnlineGrouper, bcubed

    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_synthetic(n, Path(tmp) / "in", 4, real_vocab(data))
        events = {}
        for p in inputs:
            for i, line in enumerate(open(p, encoding="utf-8"), start=1):
                events[f"{p}:{i}"] = json.loads(line)["event"]
        spark = session("local[2]")
        report = run_batch(inputs, str(Path(tmp) / "out"), spark=spark)
        rows = pq.read_table(str(Path(tmp) / "out" / "articles")).to_pylist()
        spark.stop()
    # gold: the generator's story of each article (its own story words)
    gold = {}
    for r in rows:
        words = re.findall(r"Ev(\d+)x", r["text"], flags=re.I)
        gold[r["origin"]] = Counter(words).most_common(1)[0][0] if words else r["origin"]
    t0 = time.perf_counter()
    g = OnlineGrouper(StorySettings())
    for r in sorted(rows, key=lambda r: r["article_id"]):  # input order, as add places them
        g.add(r["article_id"], r["text"], title=r["title"], date=r["date"],
              entities=[e["name"] for e in r["entities"]])
    g.consolidate()
    t_one = time.perf_counter() - t0
    keys = [r["origin"] for r in rows]
    one = {r["origin"]: g.story_of(r["article_id"]) for r in rows}
    batch = {r["origin"]: r["story_id"] for r in rows}
    p, rc, f = bcubed([one[k] for k in keys], [batch[k] for k in keys])
    print(f"dated synthetic: {len(rows)} articles, {report.blocks} blocks, batch "
          f"{report.stories} stories ({report.seconds:.0f} s), one grouper "
          f"{len(g.stories())} stories ({t_one:.0f} s grouping only)")
    print(f"batch vs one grouper: BCubed P {p:.4f} R {rc:.4f} F1 {f:.4f}")
    for name, part in (("one grouper", one), ("batch", batch)):
        print(f"{name} vs generated events: BCubed F1 "
              f"{bcubed([gold[k] for k in keys], [part[k] for k in keys])[2]:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--ecbplus", action="store_true")
    ap.add_argument("--dated", type=int, default=0)
    ap.add_argument("--sizes", default="")
    ap.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--driver-memory", default="4g",
                    help="the JVM heap (in local mode the one JVM does all the work)")
    args = ap.parse_args()
    data = Path(args.data)
    print(f"load average at start: {_load()}", flush=True)
    if args.size:
        print(json.dumps(one_size(args.size, args.master, args.shards, data,
                                  args.driver_memory)))
        return
    if args.ecbplus:
        ecbplus(data)
    if args.dated:
        dated(args.dated, data)
    for n in [int(x) for x in args.sizes.split(",") if x]:
        proc = subprocess.run([sys.executable, __file__, "--size", str(n), "--master",
                               args.master, "--shards", str(args.shards), "--data", str(data),
                               "--driver-memory", args.driver_memory],
                              capture_output=True, text=True)
        lines = [ln for ln in proc.stderr.splitlines() if not re.search(QUIET, ln)]
        print("\n".join(lines[-8:]), file=sys.stderr)
        print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else
              f"{n}: failed (exit {proc.returncode})", flush=True)
    print(f"load average at end: {_load()}")


if __name__ == "__main__":
    main()
