"""``storydesk serve`` (uvicorn) on 127.0.0.1 under hostile requests: bodies sent
without the token are never read, bodies are capped, anonymous reads do not grow the
store, huge ids are a 404, a huge article's page stays fast, the token is redacted
however it is spelled."""

from __future__ import annotations

import json
import random
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from test_serve_reliability import SAMPLE, TOKEN, start_server

from storydesk import Desk
from storydesk.services.summaries import SUMMARIZER_VERSION
from storydesk.settings import Settings, WebSettings


@dataclass
class Served:
    base: str
    port: int
    pid: int
    db: Path
    log: Path


HUGE_TITLE = "Huge one-paragraph report on the Karsk quake"
BRACKETED = ("Ferry crews on the Olm crossing worked through the storm [said in a note] "
             "while the harbour master [who declined to be named] kept the port open. "
             "Passengers waited four hours for the first ferry of the morning.")


def huge_paragraph(chars: int) -> str:
    """One paragraph of ``chars`` characters: sentences of the words of a sample article
    in a shuffled order (text for this test only)."""
    words = (SAMPLE / "meridian-wire" / "2026-03-02-karsk-quake-kills-12.txt").read_text().split()
    rnd = random.Random(19)
    out: list[str] = []
    size = 0
    while size < chars:
        rnd.shuffle(words)
        out.append(" ".join(words[:40]) + ".")
        size += len(out[-1]) + 1
    return " ".join(out)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("attack")
    db, log = tmp / "news.db", tmp / "serve.log"
    (tmp / "huge.txt").write_text(f"{HUGE_TITLE}\n\n{huge_paragraph(400_000)} The end.\n")
    (tmp / "bracketed.txt").write_text(f"Ferries keep running in the storm\n\n{BRACKETED}\n")
    with Desk(str(db)) as desk:
        desk.add([str(SAMPLE / "meridian-wire"), str(SAMPLE / "northgate-daily"),
                  str(tmp / "huge.txt"), str(tmp / "bracketed.txt")])
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


# The tail of a stored row's params at the default lengths (the settings' sentences, no
# word budget); a comparison has no length.
_S = Settings().summaries
DEFAULT_KEYS = {"article": f";n={_S.sentences};w=;v={SUMMARIZER_VERSION}",
                "story": f";n={_S.story_sentences};w=;v={SUMMARIZER_VERSION}", "comparison": ""}


def stored_keys(db: Path) -> set[tuple[str, int, str]]:
    """(kind, id, params) of every stored summary and comparison."""
    with sqlite3.connect(db) as conn:
        return {tuple(r) for r in conn.execute("SELECT kind, ref_id, params FROM summaries")}


def count_rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def article_id(db: Path, title: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id FROM articles WHERE title = ?", (title,)).fetchone()[0]


# -- 3: a huge article's page does bounded work -------------------------------------
def test_a_huge_one_paragraph_article_is_served_quickly(served: Served) -> None:
    huge = article_id(served.db, HUGE_TITLE)
    with httpx.Client(base_url=served.base, timeout=60) as c:
        for path in (f"/articles/{huge}", f"/articles/{huge}/summary",
                     f"/api/articles/{huge}/summary?words=37", f"/articles/{huge}",
                     "/"):
            t0 = time.monotonic()
            r = c.get(path)
            took = time.monotonic() - t0
            assert r.status_code == 200, (path, r.status_code)
            assert took < 8, f"{path} took {took:.1f} s"
            if path == f"/articles/{huge}":
                assert 'class="sentence" id="s0"' in r.text
                assert "The end." in r.text  # the text beyond the cap is shown, plainly


# -- 5: anonymous reads do not grow the store ----------------------------------------
def test_summary_lengths_asked_for_are_not_stored(served: Served) -> None:
    with httpx.Client(base_url=served.base, timeout=60) as c:
        story = c.get("/api/stories?limit=1").json()["items"][0]["id"]
        c.get("/api/articles/1/summary")
        c.get(f"/api/stories/{story}/summary")  # the defaults, stored once
        before = stored_keys(served.db)
        for n in range(10, 40):
            assert c.get(f"/api/articles/1/summary?words={n}").status_code == 200
        for n in range(1, 11):
            assert c.get(f"/api/stories/{story}/summary?sentences={n}").status_code == 200
            assert c.get(f"/api/articles/1/summary?sentences={n}").status_code == 200
        # The server may still be storing its own default-length summaries and comparisons
        # of the stories it prepares after start; no other length is ever stored.
        grown = stored_keys(served.db) - before
        assert all(p.endswith(DEFAULT_KEYS[kind]) for kind, _, p in grown), grown
        assert c.get("/api/articles/1/summary").json()["cached"] is True


# -- 9: ids beyond a store's range are a 404 -----------------------------------------
ID_ROUTES = ["/articles/{}", "/articles/{}/summary", "/stories/{}", "/api/articles/{}",
             "/api/articles/{}/summary", "/api/stories/{}", "/api/stories/{}/summary",
             "/api/stories/{}/comparison"]


@pytest.mark.parametrize("big", [2**63, 2**64 + 5, 10**40])
def test_huge_ids_are_404(served: Served, big: int) -> None:
    with httpx.Client(base_url=served.base, timeout=10) as c:
        for route in ID_ROUTES:
            r = c.get(route.format(big))
            assert r.status_code == 404, (route, r.status_code, r.text[:200])
            if route.startswith("/api/"):
                assert set(r.json()) == {"error"} and "with id" in r.json()["error"]
            assert "Traceback" not in r.text
        assert c.get(f"/api/articles/{2**63 - 1}").status_code == 404
    assert "Traceback" not in served.log.read_text()


# -- 12: bracketed text in an article is not a match ---------------------------------
def test_brackets_in_the_text_are_not_marked_as_matches(served: Served) -> None:
    with httpx.Client(base_url=served.base, timeout=10) as c:
        page = c.get("/search", params={"q": "storm"}).text
        marked = re.findall(r"<mark>(.*?)</mark>", page)
        assert marked and {m.lower() for m in marked} == {"storm"}, marked
        assert "[said in a note]" in page
        hits = c.get("/api/search", params={"q": "harbour master"}).json()["items"]
        snippet = next(h["snippet"] for h in hits if "Olm" in h["snippet"]
                       or "declined" in h["snippet"])
        assert "[harbour] [master]" in snippet or "[harbour master]" in snippet


# -- 10: the token is redacted however a URL spells it -------------------------------
def test_a_percent_encoded_token_is_redacted(tmp_path: Path) -> None:
    token = "tok+a/b=c-77x"  # noqa: S105 - a test secret, looked for in the logs
    db, log = tmp_path / "t.db", tmp_path / "t.log"
    Desk(str(db)).close()
    proc, base = start_server(db, log, token=token)
    spellings = ["tok%2Ba%2Fb%3Dc-77x", "tok%2ba%2fb%3dc-77x", "tok+a%2fb=c-77x",
                 "%74%6f%6b%2b%61%2f%62%3d%63%2d%37%37%78", "tok%252Ba%252Fb%253Dc-77x"]
    try:
        with httpx.Client(base_url=base, timeout=10) as c:
            for s in spellings:
                c.get(f"/search?q={s}")
                c.get(f"/api/articles?token={s}")
                c.get(f"/nowhere/{s}")
        time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    text = log.read_text()
    assert "/search?q=" in text  # the access log is there
    decoded = unquote(unquote(text))
    assert token not in decoded, [ln for ln in text.splitlines() if "77x" in ln]


# -- 1: an API write at another query URL is another article -------------------------
def test_api_posts_at_different_query_urls_are_different_articles(served: Served) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bodies = [
        {"title": "Harbour cranes to be repaired", "url": "https://news.example/a.php?nid=1001",
         "text": "The council in Brenvik voted on Tuesday to repair the harbour cranes after "
                 "dockers complained for three months that two of them had stopped working."},
        {"title": "Seals counted off Kelmouth", "url": "https://news.example/a.php?nid=1002",
         "text": "Scientists counted forty grey seals on the sandbank off Kelmouth this winter, "
                 "twice as many as five years ago, in a survey of the marine institute."},
    ]
    with httpx.Client(base_url=served.base, timeout=60) as c:
        ids = []
        for body in bodies:
            r = c.post("/api/articles", json=body, headers=auth)
            assert r.status_code == 201 and r.json()["status"] == "added", r.text
            ids.append(r.json()["id"])
        again = {**bodies[0], "url": bodies[0]["url"] + "&utm_source=feed"}
        r = c.post("/api/articles", json=again, headers=auth)
        assert r.status_code == 200, r.text
        assert (r.json()["id"], r.json()["status"]) == (ids[0], "duplicate")
