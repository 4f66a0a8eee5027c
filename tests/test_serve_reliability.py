"""The reader and API as users run them: ``storydesk serve`` (uvicorn) on 127.0.0.1.

Security: writes need the bearer token; no request path reaches a file outside the
static folder; the token never appears in the server's output. Concurrency: an ingest
(``storydesk add``) and API writes while the reader serves a stream of requests, and
two ingesting processes on one store: no error reaches a user, no "database is
locked", no article lost or stored twice.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from httpserver import free_port, wait_for_server

from storydesk import Desk

SAMPLE = Path(__file__).parent.parent / "src" / "storydesk" / "sample"
EXE = Path(sys.executable).parent / "storydesk"
TOKEN = "tok-3f9c1a77e0b24d5e"  # noqa: S105 - a test secret, looked for in the logs
FIRST = "meridian-wire"


@dataclass
class Served:
    base: str
    port: int
    db: Path
    log: Path


def start_server(db: Path, log: Path, token: str | None = TOKEN) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "STORYDESK_DB": str(db)}
    env.pop("STORYDESK_TOKEN", None)
    if token:
        env["STORYDESK_TOKEN"] = token
    out = log.open("ab")
    proc = subprocess.Popen([str(EXE), "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_for_server(proc, base + "/api/articles?limit=1",
                    output=lambda: "storydesk serve: " + log.read_text())
    return proc, base


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("served")
    db, log = tmp / "news.db", tmp / "serve.log"
    with Desk(str(db)) as desk:
        desk.add([str(SAMPLE / FIRST)])
    proc, base = start_server(db, log)
    try:
        yield Served(base, int(base.rsplit(":", 1)[1]), db, log)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """GET with the path sent exactly as written (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


# -- security ------------------------------------------------------------------------
TRAVERSALS = [
    "/static/../app.py", "/static/../../storydesk/web/app.py", "/static/..%2fapp.py",
    "/static/%2e%2e/app.py", "/static/%2e%2e%2f%2e%2e%2fdesk.py", "/static/..%5capp.py",
    "/static/....//app.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/static/..;/app.py", "/static/%252e%252e/app.py", "/static/.%00./app.py",
    "/static/style.css/../../app.py", "/static/../../../../../../etc/passwd",
    "/../../../../etc/passwd", "/static/..\\..\\app.py", "/static/%c0%ae%c0%ae/app.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_traversal(served: Served, path: str) -> None:
    status, body = raw_get(served.port, path)
    assert status in (400, 404, 405), (path, status)
    assert b"create_app" not in body and b"root:" not in body and b"import " not in body


def test_static_files_are_served(served: Served) -> None:
    status, body = raw_get(served.port, "/static/style.css")
    assert status == 200 and body


NEW = {"title": "Ferry service resumes on the Karsk line", "outlet": "Coastal Herald",
       "date": "2026-03-05", "url": "https://coastal.example/ferry",
       "text": "The ferry between Karsk and Olm resumed service on Thursday after repairs "
               "to the pier, the operator said. " * 3}


def test_writes_need_the_token(served: Served) -> None:
    with httpx.Client(base_url=served.base, timeout=10) as c:
        before = c.get("/api/articles?limit=1").json()["total"]
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                        {"Authorization": f"Basic {TOKEN}"}, {"X-Token": TOKEN}):
            r = c.post("/api/articles", json=NEW, headers=headers)
            assert r.status_code == 401, (headers, r.status_code)
            assert TOKEN not in r.text
        r = c.post(f"/api/articles?token={TOKEN}", json=NEW)
        assert r.status_code == 401
        for method in ("PUT", "PATCH", "DELETE"):
            assert c.request(method, "/api/articles/1").status_code in (401, 404, 405)
        assert c.get("/api/articles?limit=1").json()["total"] == before
        r = c.post("/api/articles", json=NEW, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text
        assert c.get("/api/articles?limit=1").json()["total"] == before + 1


def test_the_token_is_never_logged(served: Served) -> None:
    with httpx.Client(base_url=served.base, timeout=10) as c:
        c.post("/api/articles", json={"title": "x"}, headers={"Authorization": f"Bearer {TOKEN}"})
        c.post("/api/articles", json=NEW, headers={"Authorization": f"Bearer {TOKEN}x"})
        c.get("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"})
    time.sleep(0.3)
    text = served.log.read_text()
    assert "POST /api/articles" in text  # the access log is there, and says no more
    assert TOKEN not in text and "Bearer" not in text and "Authorization" not in text


# -- concurrency ---------------------------------------------------------------------
class Reader(threading.Thread):
    """Asks the reader for pages and API answers until stopped; keeps every status."""

    PATHS = ("/", "/articles", "/api/articles?limit=5", "/api/stories?limit=5",
             "/search?q=election", "/api/search?q=Kalvan", "/sources", "/feed.atom",
             "/articles/1", "/api/articles/1")

    def __init__(self, base: str):
        super().__init__(daemon=True)
        self.base = base
        self.statuses: Counter[int] = Counter()
        self.errors: list[str] = []
        self._halt = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as c:
            i = 0
            while not self._halt.is_set():
                path = self.PATHS[i % len(self.PATHS)]
                i += 1
                try:
                    r = c.get(path)
                    self.statuses[r.status_code] += 1
                    if r.status_code != 200:
                        self.errors.append(f"{path}: {r.status_code} {r.text[:200]}")
                except httpx.HTTPError as e:
                    self.errors.append(f"{path}: {e!r}")

    def stop(self) -> None:
        self._halt.set()
        self.join(30)


def test_ingest_and_api_writes_while_the_reader_serves(served: Served) -> None:
    rest = [str(p) for p in sorted(SAMPLE.iterdir()) if p.is_dir() and p.name != FIRST]
    readers = [Reader(served.base) for _ in range(2)]
    for r in readers:
        r.start()
    env = {**os.environ, "STORYDESK_DB": str(served.db)}
    add = subprocess.Popen([str(EXE), "add", *rest], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    posted = []
    with httpx.Client(base_url=served.base, timeout=60) as c:
        for n in range(5):
            body = {**NEW, "title": f"Harbour note {n}", "url": f"https://coastal.example/{n}",
                    "text": f"Harbour note number {n}: " + " ".join(
                        f"berth{n}x{k} closed for repairs" for k in range(30))}
            r = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
            posted.append(r.status_code)
            time.sleep(0.2)
    out, err = add.communicate(timeout=300)
    for r in readers:
        r.stop()
    assert add.returncode == 0, err
    assert "locked" not in out + err and out.strip().endswith("0 failed"), out
    assert posted == [201] * 5
    served_count = sum(sum(r.statuses.values()) for r in readers)
    assert all(not r.errors for r in readers), [r.errors[:3] for r in readers]
    assert served_count >= 20
    with Desk(str(served.db)) as desk:
        titles = Counter(a.title for a in desk.store.list_articles(limit=None))
        assert all(n == 1 for n in titles.values())
        assert all(f"Harbour note {n}" in titles for n in range(5))
        assert desk.store.unplaced_article_ids() == []
    log = served.log.read_text()
    assert "locked" not in log and "Traceback" not in log


def test_two_processes_ingesting_the_same_inputs(tmp_path: Path) -> None:
    """Both see every input; each article ends up stored once and placed once."""
    db = tmp_path / "two.db"
    inputs = [str(p) for p in sorted(SAMPLE.iterdir()) if p.is_dir()]
    env = {**os.environ, "STORYDESK_DB": str(db)}
    procs = [subprocess.Popen([str(EXE), "add", *order], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for order in (inputs, inputs[::-1])]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in out + err and out.strip().endswith("0 failed"), (out, err)
    added = [int(out.strip().splitlines()[-1].split()[0]) for out, _ in outs]
    with Desk(str(db)) as desk:
        n = desk.store.count_articles()
        assert n == 43 and sum(added) == n
        assert desk.store.unplaced_article_ids() == []
        assert len(desk.store.all_placements()) == n


def test_opening_a_store_waits_out_a_long_write_lock(tmp_path: Path) -> None:
    """A store opened while another process holds the write lock for longer than
    sqlite3's default 5 s waits (as `busy_timeout` does later), instead of failing with
    "database is locked" on the first statement it sends."""
    import sqlite3

    from storydesk.store import Store

    db = tmp_path / "locked.db"
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(6.5, holder.rollback)
    release.start()
    try:
        t = time.monotonic()
        store = Store(str(db))
        waited = time.monotonic() - t
    finally:
        release.join()
        holder.close()
    assert waited >= 6.0
    assert store.schema_version() > 0
    store.close()


def test_switch_to_wal_waits_out_a_lock() -> None:
    """Switching a new store to WAL can fail at once, without SQLite's busy wait, while
    another process opens it: the switch is retried; other errors are not."""
    import sqlite3

    import pytest

    from storydesk.store.base import _wal

    class Cursor:
        def __init__(self, fails: int, message: str = "database is locked") -> None:
            self.fails, self.message, self.calls = fails, message, 0

        def execute(self, sql: str) -> None:
            self.calls += 1
            if self.calls <= self.fails:
                raise sqlite3.OperationalError(self.message)

    cur = Cursor(3)
    _wal(cur)
    assert cur.calls == 4
    with pytest.raises(sqlite3.OperationalError):
        _wal(Cursor(1, "disk I/O error"))
    with pytest.raises(sqlite3.OperationalError):
        _wal(Cursor(10**6), wait=0.2)
