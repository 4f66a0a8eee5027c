"""The reader and API under load: ``storydesk serve`` (uvicorn, one process) on 127.0.0.1
with the bundled sample loaded as ``make demo`` loads it (stories summarised and
compared beforehand), asked by a closed-loop generator for a fixed time.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 16] [--json]

The generator is asyncio + httpx in this process: --clients connections, each sending
its next request as soon as the last one is answered (no think time), drawing paths
from a fixed mix of reader pages and JSON API calls (story, article, search, sources,
feed, summaries, comparisons, a static file). With --write-every N one request in N is
an authenticated POST /api/articles (a new article, ingested and placed in a story).
Reports requests/s overall and per 10 s window (to see that the rate holds), latency
p50/p90/p99/max per kind, and every error (any status other than 200/201, any
transport error). Client and server share the machine: its cores and load average are
printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "storydesk"
TOKEN = "bench-load-token"  # noqa: S105 - a local test token


@dataclass
class LoadResult:
    seconds: float
    clients: int
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    windows: list[int] = field(default_factory=list)  # requests finished per 10 s

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def summary(self) -> dict:
        every = sorted(x for v in self.latencies.values() for x in v)
        return {
            "seconds": round(self.seconds, 1), "clients": self.clients,
            "requests": self.requests, "rps": round(self.requests / self.seconds, 1),
            "rps_per_10s": [round(n / 10, 1) for n in self.windows],
            "p50_ms": pct(every, 50), "p90_ms": pct(every, 90), "p99_ms": pct(every, 99),
            "max_ms": round(every[-1] * 1000, 1) if every else None,
            "errors": len(self.errors), "statuses": dict(self.statuses),
            "by_kind": {k: {"n": len(v), "p50_ms": pct(sorted(v), 50),
                            "p99_ms": pct(sorted(v), 99)}
                        for k, v in sorted(self.latencies.items())},
        }


def pct(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return round(sorted_values[i] * 1000, 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(db: Path) -> None:
    """The bundled sample, as ``make demo`` loads it offline."""
    from storydesk.demo import load

    load(str(db))


@contextmanager
def serve(db: Path, log: Path) -> Iterator[str]:
    """``storydesk serve`` on a free port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "STORYDESK_DB": str(db), "STORYDESK_TOKEN": TOKEN}
    with log.open("ab") as out:
        proc = subprocess.Popen([str(EXE), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/articles?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("storydesk serve did not start: " + log.read_text()[-2000:])
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def request_mix(base: str) -> list[tuple[str, str]]:
    """(kind, path) pairs drawn uniformly: reader pages and API calls over stored ids."""
    with httpx.Client(base_url=base, timeout=30) as c:
        arts = [a["id"] for a in c.get("/api/articles?limit=100").json()["items"]]
        listed = c.get("/api/stories?limit=100").json()["items"]
    stories = [s["id"] for s in listed]
    multi = [s["id"] for s in listed if len(s["article_ids"]) > 1]  # comparable
    mix = [("page:front", "/"), ("page:articles", "/articles"), ("page:sources", "/sources"),
           ("page:search", "/search?q=election"), ("feed", "/feed.atom"),
           ("api:articles", "/api/articles?limit=20"), ("api:stories", "/api/stories?limit=20"),
           ("api:search", "/api/search?q=earthquake"), ("static", "/static/style.css")]
    mix += [("page:article", f"/articles/{a}") for a in arts[:20]]
    mix += [("page:story", f"/stories/{s}") for s in multi[:10]]
    mix += [("api:article", f"/api/articles/{a}") for a in arts[:10]]
    mix += [("api:story", f"/api/stories/{s}") for s in stories[:10]]
    mix += [("api:summary", f"/api/stories/{s}/summary") for s in stories[:5]]
    mix += [("api:comparison", f"/api/stories/{s}/comparison") for s in multi[:5]]
    return mix


async def _client(c: httpx.AsyncClient, mix: list[tuple[str, str]], end: float, start: float,
                  result: LoadResult, rng: random.Random, write_every: int) -> None:
    n = 0
    while (now := time.monotonic()) < end:
        n += 1
        t0 = now
        if write_every and n % write_every == 0:
            kind, path = "api:post", "/api/articles"
            k = rng.randrange(10**9)
            body = {"title": f"Harbour notice {k}", "outlet": "Load Ledger",
                    "text": f"Harbour notice {k}: " + " ".join(
                        f"berth{k}n{i} closes for repairs" for i in range(40))}
            coro = c.post(path, json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        else:
            kind, path = rng.choice(mix)
            coro = c.get(path)
        try:
            r = await coro
            await r.aread()
            status = r.status_code
        except httpx.HTTPError as e:
            result.errors.append(f"{path}: {type(e).__name__}: {e}")
            continue
        t1 = time.monotonic()
        result.statuses[status] += 1
        if status not in (200, 201):
            result.errors.append(f"{path}: HTTP {status}: {r.text[:200]}")
            continue
        result.latencies[kind].append(t1 - t0)
        w = int((t1 - start) // 10)
        while len(result.windows) <= w:
            result.windows.append(0)
        result.windows[w] += 1


async def _run(base: str, seconds: float, clients: int, seed: int, write_every: int
               ) -> LoadResult:
    mix = request_mix(base)
    result = LoadResult(seconds, clients)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
        start = time.monotonic()
        end = start + seconds
        await asyncio.gather(*(_client(c, mix, end, start, result, random.Random(seed + i),
                                       write_every) for i in range(clients)))
        result.seconds = time.monotonic() - start
    if result.seconds < len(result.windows) * 10:  # the last window is partial: drop it
        result.windows = result.windows[: int(result.seconds // 10)] or result.windows
    return result


def run_load(base: str, seconds: float = 60, clients: int = 16, seed: int = 1,
             write_every: int = 0) -> LoadResult:
    return asyncio.run(_run(base, seconds, clients, seed, write_every))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--write-every", type=int, default=0,
                    help="one request in N is an authenticated POST (0: reads only)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="storydesk-load-") as tmp:
        db, log = Path(tmp) / "load.db", Path(tmp) / "serve.log"
        print("building the store from the bundled sample ...", file=sys.stderr)
        build_store(db)
        with serve(db, log) as base:
            load_before = os.getloadavg()
            result = run_load(base, args.seconds, args.clients, args.seed, args.write_every)
            load_after = os.getloadavg()
        server_errors = [ln for ln in log.read_text().splitlines()
                         if "Traceback" in ln or "locked" in ln or " 500 " in ln]
    out = result.summary()
    out.update({
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "python": platform.python_version(),
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in load_after],
        "write_every": args.write_every,
        "server_log_errors": len(server_errors),
        "command": " ".join([".venv/bin/python", "bench/load.py"] + sys.argv[1:]),
    })
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"{out['date']} · {out['machine']} · Python {out['python']}")
    print(f"load average before {out['load_avg_before']}, after {out['load_avg_after']}")
    print(f"{out['requests']} requests in {out['seconds']} s from {args.clients} clients: "
          f"{out['rps']} req/s (per 10 s: {out['rps_per_10s']})")
    print(f"latency p50 {out['p50_ms']} ms, p90 {out['p90_ms']} ms, p99 {out['p99_ms']} ms, "
          f"max {out['max_ms']} ms")
    print(f"errors: {out['errors']} (statuses {out['statuses']}); server log errors: "
          f"{out['server_log_errors']}")
    for kind, k in out["by_kind"].items():
        print(f"  {kind:16} {k['n']:>6}  p50 {k['p50_ms']:>7} ms  p99 {k['p99_ms']:>7} ms")
    for e in result.errors[:10]:
        print("  error:", e)
    mean = statistics.mean(out["rps_per_10s"]) if out["rps_per_10s"] else 0
    print(f"rate held: lowest 10 s window {min(out['rps_per_10s'], default=0)} req/s, "
          f"mean {mean:.1f}")


if __name__ == "__main__":
    main()
