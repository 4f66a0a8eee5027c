"""Web reader speed: server time of story and article pages with 10k articles stored.

    .venv/bin/python bench/web.py [--articles 10000] [--stories 300] [--pages 400] [--json]

Builds (once; cached under --cache-dir) a SQLite store of --articles articles through
`Desk.add`, grouped into stories by storydesk itself. Each article is written from a
real BBC News article of shared/data/summaries/bbc.jsonl as another outlet would
rewrite it: most of its sentences, in order, some dropped, one to three sentences of
another article added, now and then a figure changed; two to twenty outlets report one
event over up to three days. Story summaries and comparisons of the stories asked for
are made beforehand, as `make demo` does.

Then starts the reader (uvicorn on 127.0.0.1, in its own process) and asks, one at a
time, for --stories story pages and --pages article pages, twice each: the first view
of each page by this server process, then again. A few story pages are asked for with
their stored comparison made stale first (the story changed), so the comparison is made
during the request. Server time is the `Server-Timing` the bench's wrapper around the
app adds (from the request's arrival to the response's start; pages are rendered
whole before they start); the client's round trip is shown too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk import Desk  # noqa: E402

BUILD = "1"  # bump when the store the bench builds changes
OUTLETS = ["Northgate Daily", "Meridian Wire", "The Harbour Courier", "Continental Digest",
           "Valdoria Today", "Ostmark Free Press", "The Lantern Review", "Lowgate Ledger",
           "Karsk Evening Post", "Riverside Herald", "The Morning Signal", "Eastbay Times",
           "Coastline News", "The Civic Record", "Hillside Gazette", "Metro Bulletin",
           "Northern Observer", "Southport Tribune", "Valley Standard", "The Daily Compass"]
# Reporting outlets per event, and how often (mean about five).
EVENT_SIZES = [(1, 10), (2, 15), (3, 20), (4, 15), (5, 12), (6, 6), (7, 5), (8, 4),
               (10, 4), (12, 4), (20, 5)]
STALE = "bench:stale"  # a content hash no story has: its stored comparison is remade


def _default_data() -> Path:
    return ROOT.parent / "shared" / "data"


# -- the store -----------------------------------------------------------------
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def _bbc(data: Path) -> list[tuple[str, list[str]]]:
    """(title, sentences) of each BBC article."""
    out = []
    with open(data / "summaries" / "bbc.jsonl", encoding="utf-8") as fh:
        for line in fh:
            title, _, body = json.loads(line)["text"].strip().partition("\n")
            sents = [s.strip() for p in body.split("\n") for s in _SENT.split(p) if s.strip()]
            if len(sents) >= 4:
                out.append((title.strip(), sents))
    return out


def _change_figure(sentence: str, rng: random.Random) -> str:
    nums = list(re.finditer(r"\b\d+\b", sentence))
    if not nums:
        return sentence
    m = rng.choice(nums)
    return sentence[:m.start()] + str(int(m.group()) + rng.randint(1, 9)) + sentence[m.end():]


def synthetic_articles(data: Path, n: int, seed: int) -> Iterator[dict[str, Any]]:
    """``n`` articles on events, each event reported by several outlets (see module doc)."""
    rng = random.Random(seed)
    bbc = _bbc(data)
    rng.shuffle(bbc)
    sizes, weights = zip(*EVENT_SIZES, strict=True)
    made = event = 0
    while made < n:
        title, sents = bbc[event % len(bbc)]
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
        k = min(rng.choices(sizes, weights)[0], n - made)
        for j, outlet in enumerate(rng.sample(OUTLETS, k)):
            keep = rng.uniform(0.55, 0.9)
            body = [s for i, s in enumerate(sents) if i < 2 or rng.random() < keep]
            other = bbc[rng.randrange(len(bbc))][1]
            for s in rng.sample(other, min(len(other), rng.randint(1, 3))):
                body.insert(rng.randrange(2, len(body) + 1), s)
            if rng.random() < 0.3:
                i = rng.randrange(len(body))
                body[i] = _change_figure(body[i], rng)
            paras = [" ".join(body[i:i + 3]) for i in range(0, len(body), 3)]
            yield {
                "title": title if j == 0 else f"{title}, {outlet} reports",
                "text": "\n\n".join(paras),
                "outlet": outlet,
                "date": (day + timedelta(days=rng.randint(0, 2))).isoformat(),
                "url": f"https://bench.example/{event}/{j}",
            }
            made += 1
        event += 1


def build_store(db: Path, data: Path, n: int, seed: int) -> dict[str, Any]:
    """Ingest ``n`` synthetic articles into a new store ``db``; returns what it took."""
    rows = db.with_suffix(".jsonl")
    with open(rows, "w", encoding="utf-8") as fh:
        for row in synthetic_articles(data, n, seed):
            fh.write(json.dumps(row) + "\n")
    t = time.perf_counter()
    with Desk(str(db)) as desk:
        report = desk.add([str(rows)])
    rows.unlink()
    return {"added": len(report.added), "duplicates": len(report.duplicates),
            "failed": len(report.failures), "seconds": round(time.perf_counter() - t, 1)}


def pick(db: Path, n_stories: int, n_pages: int, seed: int) -> tuple[list[int], list[int]]:
    """Stories to show (all sizes, the largest among them) and articles to show."""
    rng = random.Random(seed)
    with Desk(str(db)) as desk:
        stories = desk.stories(limit=None)
        several = [s for s in stories if len(s.article_ids) > 1]
        biggest = sorted(several, key=lambda s: -len(s.article_ids))[:max(n_stories // 10, 1)]
        rest = [s for s in several if s not in biggest]
        chosen = biggest + rng.sample(rest, min(len(rest), n_stories - len(biggest)))
        total = desk.store.count_articles()
    return [s.id for s in chosen], rng.sample(range(1, total + 1), min(n_pages, total))


def precompute(db: Path, story_ids: list[int]) -> dict[str, Any]:
    """Summaries and comparisons of the stories, as `make demo` makes them."""
    made, t = 0, time.perf_counter()
    with Desk(str(db)) as desk:
        for sid in story_ids:
            desk.story_summary(sid)
            made += not desk.story_comparison(sid)["cached"]  # type: ignore[index]
    return {"comparisons_made": made, "seconds": round(time.perf_counter() - t, 1)}


def make_stale(db: Path, story_ids: list[int]) -> None:
    """Mark the stored comparisons stale, as when an article joins the story."""
    from storydesk.services.comparisons import KIND, params_key

    with Desk(str(db)) as desk:
        params = params_key(desk.settings)
        for sid in story_ids:
            desk.story_comparison(sid)
            _, value = desk.store.get_summary(KIND, sid, params)  # type: ignore[misc]
            desk.store.put_summary(KIND, sid, params, STALE, value)


# -- the server ------------------------------------------------------------------
def timed_app(db: str) -> Any:
    """The reader's app, wrapped to add ``Server-Timing: app;dur=<ms>``."""
    from storydesk.web import create_app

    app = create_app(db, token="")

    async def wrapper(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        t = time.perf_counter()

        async def send_timed(message: Any) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - t) * 1000
                message["headers"] = [*message.get("headers", []),
                                      (b"server-timing", f"app;dur={ms:.3f}".encode())]
            await send(message)

        await app(scope, receive, send_timed)

    return wrapper


def serve(db: str, port: int) -> None:
    import uvicorn

    uvicorn.run(timed_app(db), host="127.0.0.1", port=port, log_level="warning",
                access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/static/style.css", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out = proc.stdout.read().decode() if proc.stdout else ""
            proc.kill()
            raise SystemExit(f"the reader did not start: {out}")
        time.sleep(0.2)


def _pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(p / 100 * len(v) + 0.5) - 1))]


def _summary(server: list[float], client: list[float]) -> dict[str, Any]:
    return {"requests": len(server),
            **{f"p{p}_ms": round(_pct(server, p), 1) for p in (50, 95, 99)},
            "max_ms": round(max(server), 1),
            "client_p50_ms": round(_pct(client, 50), 1),
            "client_p95_ms": round(_pct(client, 95), 1)}


def measure(base: str, paths: list[str]) -> dict[str, Any]:
    import httpx

    server, client = [], []
    with httpx.Client(base_url=base, timeout=120) as http:
        for path in paths:
            t = time.perf_counter()
            r = http.get(path)
            client.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                raise SystemExit(f"{path}: HTTP {r.status_code}")
            server.append(float(r.headers["server-timing"].split("dur=")[1]))
    return _summary(server, client)


# -- main -------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description="storydesk web reader speed")
    ap.add_argument("--data", type=Path, default=_default_data())
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--stories", type=int, default=300, help="story pages asked for")
    ap.add_argument("--pages", type=int, default=400, help="article pages asked for")
    ap.add_argument("--stale", type=int, default=20,
                    help="story pages asked for with their comparison made stale first")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache-dir", type=Path,
                    default=Path(tempfile.gettempdir()) / "storydesk-bench")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return

    def say(msg: str) -> None:
        if not args.json:
            print(msg, file=sys.stderr, flush=True)

    args.cache_dir.mkdir(parents=True, exist_ok=True)
    db = args.cache_dir / f"web-{args.articles}-s{args.seed}-b{BUILD}.db"
    result: dict[str, Any] = {}
    if not db.exists():
        say(f"building {db} ...")
        tmp = db.with_suffix(".building")
        for old in tmp.parent.glob(tmp.name + "*"):
            old.unlink()
        result["build"] = build_store(tmp, args.data, args.articles, args.seed)
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{tmp}{suffix}").exists():
                Path(f"{tmp}{suffix}").rename(f"{db}{suffix}")
    story_ids, article_ids = pick(db, args.stories, args.pages, args.seed)
    say(f"summaries and comparisons of {len(story_ids)} stories ...")
    result["precompute"] = precompute(db, story_ids)
    stale = story_ids[:args.stale // 2] + story_ids[-(args.stale - args.stale // 2):]
    make_stale(db, stale)
    with Desk(str(db)) as desk:
        sizes = [len(desk.story(s).article_ids) for s in story_ids]  # type: ignore[union-attr]
        result["store"] = {"articles": desk.store.count_articles(),
                           "stories": desk.store.count_stories(),
                           "story_pages_articles_p50": sorted(sizes)[len(sizes) // 2],
                           "story_pages_articles_max": max(sizes)}
    proc, base = _start(db)
    result["load_before"] = [round(x, 2) for x in os.getloadavg()]  # 1, 5, 15 minutes
    try:
        say("measuring ...")
        stale_set = set(stale)
        result["pages"] = {
            "story, comparison made during the request": measure(
                base, [f"/stories/{s}" for s in stale]),
            "story, first view": measure(
                base, [f"/stories/{s}" for s in story_ids if s not in stale_set]),
            "story, again": measure(base, [f"/stories/{s}" for s in story_ids]),
            "article, first view": measure(base, [f"/articles/{a}" for a in article_ids]),
            "article, again": measure(base, [f"/articles/{a}" for a in article_ids]),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    result["machine"] = (f"{platform.machine()}, {os.cpu_count()} cores, "
                         f"Python {platform.python_version()}")
    if args.json:
        print(json.dumps(result, indent=2))
        return
    if "build" in result:
        b = result["build"]
        print(f"built the store: {b['added']} added, {b['duplicates']} duplicates, "
              f"{b['failed']} failed in {b['seconds']} s")
    pre = result["precompute"]
    print(f"before serving: {pre['comparisons_made']} comparisons made in {pre['seconds']} s")
    st = result["store"]
    print(f"store: {st['articles']} articles in {st['stories']} stories; story pages shown "
          f"have {st['story_pages_articles_p50']} articles (median), up to "
          f"{st['story_pages_articles_max']}")
    print(f"{'page':44} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}   client p50/p95 (ms)")
    for name, r in result["pages"].items():
        print(f"{name:44} {r['requests']:>4} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['p99_ms']:>7} "
              f"{r['max_ms']:>7}   {r['client_p50_ms']}/{r['client_p95_ms']}")
    print(f"load average (1, 5, 15 min) when measuring began {result['load_before']}, when "
          f"it ended {result['load_after']}; {result['machine']}")


if __name__ == "__main__":
    main()
