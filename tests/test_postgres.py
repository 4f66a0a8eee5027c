"""A shared desk on PostgreSQL: several ingesting processes, pollers and servers on one
database at once, through the installed ``storydesk`` command (the throwaway server of
tests/pgserver.py; the tests skip, saying why, where PostgreSQL cannot be started).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from feedsite import FeedSite
from httpserver import TestHTTPServer, free_port, wait_for_server

from storydesk import Desk
from storydesk.demo import SAMPLE

EXE = Path(sys.executable).parent / "storydesk"
OUTLETS = sorted(p for p in SAMPLE.iterdir() if p.is_dir())


def _env(db: str) -> dict[str, str]:
    return {**os.environ, "STORYDESK_DB": db, "COLUMNS": "200"}


def _start(db: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(EXE), *args], env=_env(db), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return out


def _consistent(desk: Desk) -> None:
    """Every article in exactly one story, story rows and the grouper's state agree."""
    assert desk.store.unplaced_article_ids() == []
    placements = desk.store.all_placements()
    assert len(placements) == desk.store.count_articles()
    rows = desk.stories(limit=None)
    members = sorted(a for st in rows for a in st.article_ids)
    assert members == sorted(placements)  # no article in two stories, none left out
    keeper = desk.ingestor.keeper
    keeper.ensure_loaded()
    assert keeper.grouper is not None
    assert {k: sorted(v) for k, v in keeper.grouper.stories().items()} == \
        {st.id: sorted(st.article_ids) for st in rows}


def test_two_add_processes_with_the_same_inputs_store_each_article_once(pg_url, tmp_path):
    """Both processes add the whole sample at once, on a new database: each article is
    stored once (the other process counts it a duplicate), none is lost."""
    with Desk(str(tmp_path / "one.db")) as alone:
        expected = len(alone.add([str(p) for p in OUTLETS]).added)
    procs = [_start(pg_url, "add", *map(str, order)) for order in (OUTLETS, OUTLETS[::-1])]
    outs = [_finish(p) for p in procs]
    added = [int(o.split(" added")[0].split()[-1]) for o in outs]
    with Desk(pg_url) as desk:
        assert desk.store.count_articles() == expected == sum(added)
        texts = [a.text for a in desk.store.list_articles(limit=None, with_text=True)]
        assert len(set(texts)) == len(texts)
        _consistent(desk)


def _get(port: int, path: str) -> Any:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
        return json.loads(r.read())


def test_two_servers_and_an_ingest_share_one_database(pg_url):
    with Desk(pg_url) as desk:
        desk.add([str(p) for p in OUTLETS[:3]])
    ports = [free_port(), free_port()]
    servers = [_start(pg_url, "serve", "--port", str(port)) for port in ports]
    try:
        for proc, port in zip(servers, ports, strict=True):
            wait_for_server(proc, f"http://127.0.0.1:{port}/api/stories?limit=1", 60)
        before = _get(ports[0], "/api/stories?limit=200")["items"]
        # an ingest while both serve; what it stores shows in both
        adding = _start(pg_url, "add", *map(str, OUTLETS[3:]))
        while adding.poll() is None:
            for port in ports:
                assert _get(port, "/api/search?q=election")["query"] == "election"
            time.sleep(0.1)
        _finish(adding)
        stories = [_get(port, "/api/stories?limit=200")["items"] for port in ports]
        assert stories[0] == stories[1]
        assert sum(len(s["article_ids"]) for s in stories[0]) > sum(
            len(s["article_ids"]) for s in before)
        hits = [_get(port, '/api/search?q="election"') for port in ports]
        assert hits[0] == hits[1] and hits[0]["items"]
        assert all("[" in h["snippet"] for h in hits[0]["items"])
        big = max(stories[0], key=lambda s: len(s["article_ids"]))
        first = _get(ports[0], f"/api/stories/{big['id']}/summary")
        second = _get(ports[1], f"/api/stories/{big['id']}/summary")
        assert not first["cached"] and second["cached"]  # stored once, read by the other
        assert first["summary"] == second["summary"]
    finally:
        for proc in servers:
            proc.terminate()
            proc.communicate(timeout=30)
    with Desk(pg_url) as desk:
        _consistent(desk)


def test_two_watch_processes_on_one_subscription(http_server: TestHTTPServer, pg_url):
    """Two pollers of one feed at once: every entry is stored once and counted once."""
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(6)
    with Desk(pg_url, allow_private=True) as desk:
        desk.subscribe(site.feed_url, every=3600)
    procs = [_start(pg_url, "watch", "--rounds", "1", "--allow-private", "--delay", "0")
             for _ in range(2)]
    for p in procs:
        _finish(p)
    with Desk(pg_url) as desk:
        arts = desk.articles(limit=None)
        assert sorted(a.url for a in arts) == sorted(site.page_url(n) for n in range(1, 7))
        [sub] = desk.subscriptions()
        assert sub.failures == 0 and sub.articles == 6
        assert sub.id is not None
        seen = desk.store.seen_entries(sub.id, [site.page_url(n) for n in range(1, 7)])
        _consistent(desk)
    assert seen and {status for status, _ in seen.values()} <= {"added", "duplicate"}
