"""Load the bundled sample (fictional news, see sample/README.md) into a store.

    python -m storydesk.demo --db demo.db
    python -m storydesk.demo --db demo.db --feeds feeds/world-news.opml   # live, if online

With ``--feeds`` the demo follows real outlets when the network is reachable: it
subscribes to the OPML list and polls every feed once (a few newest entries each,
within ``--seconds``). Offline, or when nothing comes in, it says so and loads the
bundled sample instead.

Plain-text files carry no outlet of their own, so the sample's manifest
(``sample/gold.jsonl``) names the outlet of each file, as a user would with
``storydesk add --outlet NAME``.
"""

from __future__ import annotations

import argparse
import json
import socket
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from pathlib import Path
from urllib.parse import urlsplit

from storydesk import Desk

SAMPLE = Path(__file__).parent / "sample"


def gold() -> list[dict]:
    """The sample's manifest (``gold.jsonl``): per article ``file``, ``story``,
    ``outlet``, ``date``, ``cited``, ``near_duplicate_of``."""
    text = (SAMPLE / "gold.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def gold_key(origin: str) -> str:
    """The manifest's ``file`` for a stored article's ``origin`` (a path, or
    ``path:line`` for a JSON-lines row, which the manifest writes ``path#line``)."""
    line = None
    if ".jsonl:" in origin:
        origin, line = origin.rsplit(":", 1)
    rel = str(Path(origin).resolve().relative_to(SAMPLE.resolve()))
    return f"{rel}#{line}" if line is not None else rel


def sample_files() -> dict[str | None, list[str]]:
    """The sample's files grouped by the outlet to give them (None: read from the file)."""
    by_outlet: dict[str | None, list[str]] = defaultdict(list)
    seen = set()
    for row in gold():
        file = row["file"].split("#", 1)[0]
        if file in seen:
            continue
        seen.add(file)
        outlet = row.get("outlet") if file.endswith(".txt") else None
        by_outlet[outlet].append(str(SAMPLE / file))
    return by_outlet


def load(db: str) -> None:
    with Desk(db) as desk:
        total = {"added": 0, "duplicates": 0, "failed": 0}
        for outlet, files in sample_files().items():
            report = desk.add(files, outlet=outlet)
            total["added"] += len(report.added)
            total["duplicates"] += len(report.duplicates)
            total["failed"] += len(report.failures)
            for f in report.failures:
                print(f"failed: {f.origin}: {f.reason}")
        print(f"sample: {total['added']} added, {total['duplicates']} duplicates, "
              f"{total['failed']} failed")
        print(f"sample: {desk.prepare_stories()} stories, summarised and compared")


def unreachable(urls: list[str], timeout: float = 4.0) -> str | None:
    """Why none of the first few feed hosts can be reached (None: one can)."""
    hosts = list(dict.fromkeys((urlsplit(u).hostname or "", urlsplit(u).port or
                                (443 if u.startswith("https") else 80)) for u in urls))[:3]

    def connect(host_port: tuple[str, int]) -> str | None:
        try:
            socket.create_connection(host_port, timeout=timeout).close()
            return None
        except OSError as e:
            return f"{host_port[0]}: {e.strerror or type(e).__name__}"

    pool = ThreadPoolExecutor(len(hosts) or 1)
    try:
        reasons = list(pool.map(connect, hosts, timeout=timeout + 1))
    except FuturesTimeout:
        return f"no answer within {timeout + 1:g} s"
    finally:
        pool.shutdown(wait=False)
    if not hosts:
        return "no feeds in the list"
    return None if any(r is None for r in reasons) else reasons[0]


def live(db: str, feeds: str, *, seconds: float = 120.0, per_feed: int = 5,
         allow_private: bool = False) -> bool:
    """Follow the outlets of the OPML list ``feeds`` for one poll round; False (nothing
    stored) when the network cannot be reached or no article came in."""
    from storydesk.cli.follow import setup_logging
    from storydesk.follow import Watcher, import_opml
    from storydesk.sources.opml import parse_opml

    urls = [f.url for f in parse_opml(Path(feeds).read_bytes())]
    if not allow_private and (why := unreachable(urls)):
        print(f"demo: the network is not reachable ({why}): loading the bundled sample instead")
        return False
    with Desk(db, allow_private=allow_private) as desk:
        added, _, _ = import_opml(desk.store, feeds, every=desk.settings.follow.every)
        print(f"demo: the network is reachable: polling {len(added)} feeds of {feeds} once "
              f"(the {per_feed} newest entries of each, at most {seconds:g} s)")
        desk.settings.follow.max_entries = per_feed
        setup_logging()
        new = Watcher(desk).run(rounds=1, duration=seconds)
        if not new:
            for sub in desk.subscriptions():
                desk.unsubscribe(sub.url)
            print("demo: no article came in from the feeds: loading the bundled sample instead")
            return False
        n = desk.prepare_stories()
        print(f"demo: {new} articles from {len(desk.outlets())} outlets in {n} "
              f"stories, summarised and compared; keep following with: storydesk watch "
              f"--db {db}")
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="demo.db")
    ap.add_argument("--feeds", help="an OPML list to follow when the network is reachable")
    ap.add_argument("--offline", action="store_true", help="load the bundled sample only")
    ap.add_argument("--seconds", type=float, default=120.0, help="time for the live poll")
    args = ap.parse_args()
    if args.feeds and not args.offline and live(args.db, args.feeds, seconds=args.seconds):
        return
    load(args.db)


if __name__ == "__main__":
    main()
