"""``storydesk serve`` (uvicorn) on 127.0.0.1 under hostile requests: bodies sent
without the token are never read, bodies are capped, anonymous reads do not grow the
store, huge ids are a 404, a huge article's page stays fast, the token is redacted
however it is spelled."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from test_serve_reliability import SAMPLE, TOKEN, start_server

from storydesk import Desk
from storydesk.settings import WebSettings


@dataclass
class Served:
    base: str
    port: int
    pid: int
    db: Path
    log: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("attack")
    db, log = tmp / "news.db", tmp / "serve.log"
    with Desk(str(db)) as desk:
        desk.add([str(SAMPLE / "meridian-wire"), str(SAMPLE / "northgate-daily")])
    proc, base = start_server(db, log)
    try:
        yield Served(base, int(base.rsplit(":", 1)[1]), proc.pid, db, log)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def post_raw(port: int, headers: dict[str, str], body_size: int,
             chunk: bytes = b"x" * (1 << 20), seconds: float = 20) -> tuple[int, bytes, int]:
    """POST ``body_size`` bytes (sent as fast as the server takes them, for at most
    ``seconds``); returns the status, the response body and how many bytes went out."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=seconds)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    sock.sendall(f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}"
                 f"Content-Length: {body_size}\r\nContent-Type: application/json\r\n\r\n"
                 .encode())
    sent = 0
    stop = time.monotonic() + seconds

    def pump() -> None:
        nonlocal sent
        try:
            while sent < body_size and time.monotonic() < stop:
                part = chunk[: body_size - sent]
                sock.sendall(part)
                sent += len(part)
        except OSError:  # the server closed the connection: what we hope for
            pass

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            got = sock.recv(65536)
            if not got:
                break
            data += got
        head_end = data.find(b"\r\n\r\n")
        length = next((int(ln.split(b":")[1]) for ln in data[:head_end].split(b"\r\n")
                       if ln.lower().startswith(b"content-length:")), 0)
        while len(data) < head_end + 4 + length:
            got = sock.recv(65536)
            if not got:
                break
            data += got
    finally:
        sock.close()
        t.join(timeout=seconds)
    status = int(data.split(b" ", 2)[1]) if data else 0
    return status, data[data.find(b"\r\n\r\n") + 4:], sent


# -- 2: no body is read before the token is checked ---------------------------------
def test_a_large_body_with_a_wrong_token_is_refused_unread(served: Served) -> None:
    before = rss_mb(served.pid)
    size = 300 * (1 << 20)
    for headers in ({"Authorization": "Bearer wrong"}, {}):
        status, body, sent = post_raw(served.port, headers, size)
        assert status == 401, (status, body[:200])
        assert json.loads(body) == {"error": "missing or wrong bearer token"}
        assert sent < size, "the whole body was taken in"
    grown = rss_mb(served.pid) - before
    assert grown < 60, f"server grew by {grown:.0f} MB for bodies it should not read"


def test_a_wrong_token_is_401_before_any_json_error(served: Served) -> None:
    with httpx.Client(base_url=served.base, timeout=10) as c:
        for content in (b"{not json", b"[]", b'{"text": 5}', b"\xff\xfe"):
            r = c.post("/api/articles", content=content,
                       headers={"Authorization": "Bearer nope",
                                "Content-Type": "application/json"})
            assert r.status_code == 401, (content, r.status_code, r.text)
            assert r.json()["error"] == "missing or wrong bearer token"


def test_bodies_over_the_cap_are_413(served: Served) -> None:
    cap = WebSettings().max_body_bytes  # what the server runs with
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, body, sent = post_raw(served.port, auth, cap + 1)
    assert status == 413 and "larger than" in json.loads(body)["error"]
    assert sent < cap
    # without a length (chunked), the cap holds as the body arrives
    big = {"title": "x", "text": "word " * ((cap // 5) + 10)}

    def chunks() -> Iterator[bytes]:
        data = json.dumps(big).encode()
        for i in range(0, len(data), 1 << 20):
            yield data[i:i + (1 << 20)]

    with httpx.Client(base_url=served.base, timeout=30) as c:
        r = c.post("/api/articles", content=chunks(), headers=auth)
        assert r.status_code == 413, r.text
        assert c.get("/api/articles?limit=1").status_code == 200


def test_a_read_only_server_refuses_writes_unread(tmp_path: Path) -> None:
    db, log = tmp_path / "ro.db", tmp_path / "ro.log"
    Desk(str(db)).close()
    proc, base = start_server(db, log, token=None)
    try:
        port = int(base.rsplit(":", 1)[1])
        before = rss_mb(proc.pid)
        status, body, sent = post_raw(port, {"Authorization": f"Bearer {TOKEN}"},
                                      200 * (1 << 20))
        assert status == 403 and "read-only" in json.loads(body)["error"]
        assert rss_mb(proc.pid) - before < 60
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def count_rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
