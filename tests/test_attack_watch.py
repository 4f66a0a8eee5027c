"""``storydesk watch`` with one feed host that stalls: the other feeds keep their own
schedule. Two real feed servers on 127.0.0.1, the installed command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from feedsite import FeedSite
from httpserver import Response, TestHTTPServer

EXE = Path(sys.executable).parent / "storydesk"
STALL = 6.0  # seconds the slow host waits before answering


def storydesk(db: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STORYDESK_DB": str(db), "COLUMNS": "200"}
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_a_stalling_host_does_not_delay_a_fast_feed(http_server: TestHTTPServer,
                                                    tmp_path: Path) -> None:
    slow_server = TestHTTPServer().start()
    try:
        fast = FeedSite(http_server, "/fast/feed.xml", "Fast Wire")
        fast.publish(1)
        slow_url = slow_server.add("/slow/feed.xml", Response(
            "<rss version='2.0'><channel><title>Slow</title></channel></rss>",
            content_type="application/rss+xml", delay=STALL))
        db = tmp_path / "news.db"
        for url in (fast.feed_url, slow_url):
            out = storydesk(db, "sources", "add", url, "--every", "1s", "--no-check")
            assert out.returncode == 0, out.stderr
        seconds = 9.0
        out = storydesk(db, "watch", "--for", str(seconds), "--delay", "0",
                        "--allow-private", "--json")
        assert out.returncode == 0, out.stderr
        rounds = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        fast_polls = sum(1 for r in rounds for s in r["sources"] if s["url"] == fast.feed_url)
        slow_polls = slow_server.hits("/slow/feed.xml")
        # every 1 s for 9 s: the fast feed is polled about every second, the slow one
        # answers once or twice; a round that waited for the slow host allowed 2 or 3
        assert fast.feed_hits() >= 6 and fast_polls >= 6, (fast.feed_hits(), rounds)
        assert slow_polls <= 2
    finally:
        slow_server.stop()
