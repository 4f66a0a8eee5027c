"""Ingest speed: articles/s through `Desk.add` into a fresh SQLite file.

    .venv/bin/python bench/ingest.py [--data ../shared/data] [--texts 2225] [--json]
    .venv/bin/python bench/ingest.py --against OTHER/src [--pairs 3]   # A/B, plain text

``--against`` compares another source tree of storydesk (an earlier checkout's ``src``)
with this one on the plain texts, the two run in turn ``--pairs`` times, each in a fresh
process: on a shared machine only a ratio measured so means much.

Plain text: the BBC News articles of shared/data/summaries/bbc.jsonl, each
written to a .txt file as a reader would save it. HTML: the 181 real article
pages of shared/data/extraction/scrapinghub, each written to an .html file.
Both are read from disk, cleaned, described (date, citations, entities,
language), checked for duplicates and stored one transaction each. Reports wall-clock
articles/s and articles per CPU-second of this process (steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAIN = "plain text (BBC)"


def _default_data() -> Path:
    return ROOT.parent / "shared" / "data"


def _write_texts(data: Path, out: Path, limit: int) -> int:
    n = 0
    with open(data / "summaries" / "bbc.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if n >= limit:
                break
            row = json.loads(line)
            (out / f"{row['id'].replace('/', '-')}.txt").write_text(row["text"], encoding="utf-8")
            n += 1
    return n


def _write_pages(data: Path, out: Path) -> int:
    n = 0
    for page in sorted((data / "extraction" / "scrapinghub" / "html").glob("*.html.gz")):
        (out / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
        n += 1
    return n


def _run(folder: Path, db: Path) -> dict[str, float]:
    from storydesk import Desk

    with Desk(str(db)) as desk:
        t, c = time.perf_counter(), time.process_time()
        report = desk.add([str(folder)])
        dt, cpu = time.perf_counter() - t, time.process_time() - c
    done = len(report.added) + len(report.duplicates)
    return {
        "inputs": done + len(report.failures),
        "added": len(report.added),
        "duplicates": len(report.duplicates),
        "near_duplicates": len(report.near_duplicates),
        "failed": len(report.failures),
        "seconds": round(dt, 2),
        "articles_per_s": round((done + len(report.failures)) / dt, 1),
        # CPU time of this process: on a shared machine, less the neighbours' than wall time
        "cpu_seconds": round(cpu, 2),
        "articles_per_cpu_s": round((done + len(report.failures)) / cpu, 1),
    }


def _compare(args: argparse.Namespace) -> None:
    """This checkout against ``args.against``, plain text only, in turn, fresh processes."""
    sides = {"other": args.against.resolve(), "this": ROOT / "src"}
    rows: dict[str, list[dict[str, float]]] = {"other": [], "this": []}
    for _ in range(args.pairs):
        for side, src in sides.items():
            load = os.getloadavg()[0]
            out = subprocess.run(
                [sys.executable, __file__, "--src", str(src), "--plain-only", "--json",
                 "--texts", str(args.texts), "--data", str(args.data)],
                check=True, capture_output=True, text=True).stdout
            got = json.loads(out)
            if Path(got["storydesk"]) != src / "storydesk":
                raise SystemExit(f"{src}: the run imported storydesk from {got['storydesk']}")
            r = got["results"][PLAIN]
            rows[side].append({**r, "load": round(load, 2)})
            if not args.json:
                print(f"{side:5s} load {load:5.2f}  {r['articles_per_s']:6.1f} articles/s  "
                      f"{r['articles_per_cpu_s']:6.1f} per CPU-s  (added {r['added']}, dups "
                      f"{r['duplicates']}, near {r['near_duplicates']})", flush=True)
    ratio = {k: statistics.median(t[k] / o[k] for o, t in zip(rows["other"], rows["this"],
                                                                strict=True))
             for k in ("articles_per_s", "articles_per_cpu_s")}
    if args.json:
        print(json.dumps({"other": str(sides["other"]), "runs": rows,
                          "median_ratio": ratio}, indent=2))
        return
    print(f"this / other, median of {args.pairs} pairs: wall {ratio['articles_per_s']:.2f}, "
          f"CPU {ratio['articles_per_cpu_s']:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description="storydesk ingest speed")
    ap.add_argument("--data", type=Path, default=_default_data())
    ap.add_argument("--texts", type=int, default=2225, help="how many BBC texts")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--src", type=Path, default=ROOT / "src",
                    help="the storydesk source tree to measure (default: this checkout's)")
    ap.add_argument("--against", type=Path,
                    help="another storydesk source tree: run it and this one in turn")
    ap.add_argument("--pairs", type=int, default=3, help="runs of each side with --against")
    ap.add_argument("--plain-only", action="store_true", help="leave out the HTML pages")
    args = ap.parse_args()
    if args.against:
        _compare(args)
        return
    sys.path.insert(0, str(args.src.resolve()))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        (tmpd / "txt").mkdir()
        (tmpd / "html").mkdir()
        _write_texts(args.data, tmpd / "txt", args.texts)
        results[PLAIN] = _run(tmpd / "txt", tmpd / "t.db")
        if not args.plain_only:
            _write_pages(args.data, tmpd / "html")
            results["HTML (scrapinghub)"] = _run(tmpd / "html", tmpd / "h.db")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import storydesk

    meta = {"machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
            f"python {platform.python_version()}", "peak_rss_mb": round(peak_mb),
            "storydesk": str(Path(storydesk.__file__).parent)}
    if args.json:
        print(json.dumps({"results": results, **meta}, indent=2))
        return
    print(f"{'input':<20} {'inputs':>7} {'added':>6} {'dups':>5} {'near':>5} {'failed':>6} "
          f"{'s':>7} {'articles/s':>10} {'per CPU-s':>10}")
    for name, r in results.items():
        print(f"{name:<20} {r['inputs']:>7} {r['added']:>6} {r['duplicates']:>5} "
              f"{r['near_duplicates']:>5} {r['failed']:>6} {r['seconds']:>7} "
              f"{r['articles_per_s']:>10} {r['articles_per_cpu_s']:>10}")
    print(f"peak memory {meta['peak_rss_mb']} MB; {meta['machine']}")


if __name__ == "__main__":
    main()
