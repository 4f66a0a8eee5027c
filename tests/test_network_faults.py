"""Network faults from a real server on 127.0.0.1 (tests/httpserver.py): a server that
stalls, drips, resets, never ends its body, redirects in circles, sends the wrong
content type or asks to be left alone (429/503 with Retry-After). Each ends within a
bounded time with a one-line reason, a failing feed backs off, and the other feeds
of the same poll round keep flowing."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedsite import FeedSite
from httpserver import Response, TestHTTPServer

from storydesk import Desk
from storydesk.follow import Watcher
from storydesk.follow.watch import parse_iso
from storydesk.sources.fetch import Fetcher, FetchError

PAGE = ("<html><body><p>" + "The ferry runs again after repairs to the pier. " * 20
        + "</p></body></html>")

FAULTS: dict[str, tuple[Response, str, float]] = {
    # name: (response, expected reason or its start, most seconds allowed)
    "stall before headers": (Response(PAGE, delay=3.0), "timed out after 0.3 s", 1.5),
    "stall mid-body": (Response(PAGE * 4, chunk_size=200, chunk_delay=3.0),
                       "timed out after 0.3 s", 1.5),
    "drip body": (Response(PAGE * 10, chunk_size=10, chunk_delay=0.1),
                  "timed out after 1 s in all", 2.0),
    "drip headers": (Response(PAGE, header_delay=0.1, headers={"X-Pad": "p" * 400}),
                     "timed out after 1 s in all", 2.0),
    "reset at start": (Response(PAGE, reset="start"), "connection reset by the server", 1.5),
    "reset mid-body": (Response(PAGE, reset="body"), "connection reset by the server", 1.5),
    "endless body": (Response(PAGE, endless=True), "body larger than 0.5 MB", 2.0),
    "endless chunk-less drip": (Response(PAGE, endless=True, chunk_size=4096,
                                         chunk_delay=0.01), "timed out after 1 s in all", 2.0),
    "503 with Retry-After": (Response("busy", status=503, headers={"Retry-After": "30"}),
                             "HTTP 503", 1.0),
    "429 with a date": (Response("slow down", status=429, headers={
        "Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}), "HTTP 429", 1.0),
}


def fault_fetcher() -> Fetcher:
    return Fetcher(allow_private=True, per_host_delay=0, read_timeout=0.3,
                   total_timeout=1.0, max_bytes=500_000, respect_robots=False)


@pytest.mark.parametrize("name", list(FAULTS))
def test_each_fault_ends_in_bounded_time_with_a_reason(http_server: TestHTTPServer,
                                                       name: str) -> None:
    response, reason, most = FAULTS[name]
    url = http_server.add("/fault", response)
    with fault_fetcher() as f:
        started = time.monotonic()
        with pytest.raises(FetchError) as err:
            f.fetch(url)
        took = time.monotonic() - started
    assert err.value.reason.startswith(reason), err.value.reason
    assert "\n" not in str(err.value) and str(err.value).startswith(url + ": ")
    assert took < most, (name, took)


def test_retry_after_is_carried(http_server: TestHTTPServer) -> None:
    with fault_fetcher() as f:
        for name, wait in (("503 with Retry-After", 30.0), ("429 with a date", 1e9)):
            url = http_server.add("/fault", FAULTS[name][0])
            with pytest.raises(FetchError) as err:
                f.fetch(url)
            assert err.value.retry_after is not None and err.value.retry_after >= min(wait, 30)


def test_redirect_loops_end_quickly(http_server: TestHTTPServer) -> None:
    http_server.add("/a", Response(status=302, headers={"Location": "/b"}))
    http_server.add("/b", Response(status=307, headers={"Location": "/a"}))
    http_server.add("/self", Response(status=301, headers={"Location": "/self"}))
    with fault_fetcher() as f:
        for path in ("/a", "/self"):
            started = time.monotonic()
            with pytest.raises(FetchError) as err:
                f.fetch(http_server.url(path))
            assert err.value.reason == "too many redirects"
            assert time.monotonic() - started < 1.0
    assert http_server.hits("/a") + http_server.hits("/b") == 6  # max_redirects 5, +1


def test_a_stalled_server_does_not_hold_up_the_next_request(http_server: TestHTTPServer) -> None:
    stall = http_server.add("/stall", Response(PAGE, chunk_size=100, chunk_delay=5.0))
    good = http_server.add("/good", Response(PAGE))
    with fault_fetcher() as f:
        with pytest.raises(FetchError):
            f.fetch(stall)
        started = time.monotonic()
        assert "ferry" in f.fetch(good).text
        assert time.monotonic() - started < 0.5


# -- wrong content types ------------------------------------------------------------
@pytest.mark.parametrize("body,ctype,reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "image/png", "binary"),
    (b"\x00\x01\x02\x03" * 500, "text/html", "binary"),
    (PAGE, "application/rss+xml", "not a feed"),
    ('{"items": []}', "application/json", "not a feed"),
])
def test_wrong_content_type_feed_is_a_one_line_failure(http_server: TestHTTPServer,
                                                       tmp_path: Path, body, ctype: str,
                                                       reason: str) -> None:
    url = http_server.add("/feed.xml", Response(body, content_type=ctype))
    with Desk(str(tmp_path / "d.db"), allow_private=True) as desk:
        desk.settings.fetch.per_host_delay = 0
        sub = desk.subscribe(url, every=60, check=False)
        Watcher(desk).run(rounds=1)
        health = desk.store.get_subscription(sub.id)
        assert health is not None and health.state == "failing" and health.failures == 1
        assert health.last_error and "\n" not in health.last_error
        assert desk.store.count_articles() == 0


@pytest.mark.parametrize("body,ctype", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "image/png"),
    (b"\x00\xff" * 3000, "text/html; charset=utf-8"),
])
def test_wrong_content_type_page_fails_cleanly(http_server: TestHTTPServer, tmp_path: Path,
                                               body: bytes, ctype: str) -> None:
    url = http_server.add("/page.html", Response(body, content_type=ctype))
    with Desk(str(tmp_path / "d.db"), allow_private=True) as desk:
        desk.settings.fetch.per_host_delay = 0
        report = desk.add([url])
        assert report.added == [] and len(report.failures) == 1
        [failure] = report.failures
        assert failure.origin == url and "\n" not in failure.reason
        assert desk.store.count_articles() == 0


# -- a poll round with every fault beside a good feed --------------------------------
def test_faulty_feeds_back_off_and_the_good_one_keeps_flowing(http_server: TestHTTPServer,
                                                              tmp_path: Path) -> None:
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(2)
    bad_urls = {name: http_server.add(f"/fault/{i}.xml", resp)
                for i, (name, (resp, _, _)) in enumerate(FAULTS.items())}
    http_server.add("/loop.xml", Response(status=302, headers={"Location": "/loop.xml"}))
    bad_urls["redirect loop"] = http_server.url("/loop.xml")
    with Desk(str(tmp_path / "d.db"), allow_private=True) as desk:
        fs = desk.settings.fetch
        fs.per_host_delay, fs.read_timeout, fs.total_timeout, fs.max_bytes = 0, 0.3, 1.0, 500_000
        desk.settings.follow.workers = 4
        good = desk.subscribe(site.feed_url, every=60)
        bad = {name: desk.subscribe(u, every=60, check=False).id for name, u in bad_urls.items()}
        watcher = Watcher(desk)
        started = time.monotonic()
        watcher.run(rounds=1)
        took = time.monotonic() - started
        # All feeds are on one host, polled one after another: the sum of the bounds.
        assert took < sum(most for _, _, most in FAULTS.values()) + 2, took
        health = desk.store.get_subscription(good.id)
        assert health is not None and health.articles == 2 and health.failures == 0
        now = datetime.now(UTC)
        for name, sid in bad.items():
            sub = desk.store.get_subscription(sid)
            assert sub is not None and sub.state == "failing" and sub.failures == 1, name
            assert sub.last_error and "\n" not in sub.last_error, name
            wait = (parse_iso(sub.next_poll) - now).total_seconds()
            assert wait > 60, (name, wait)  # backed off past its interval
        retry = desk.store.get_subscription(bad["429 with a date"])
        assert retry is not None and "retry after" in (retry.last_error or "")



# -- a feed that keeps failing --------------------------------------------------------
def test_a_feed_that_keeps_failing_is_retried_later_and_later_and_never_dropped(
        http_server: TestHTTPServer, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storydesk.cli import app

    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(1)
    state = {"up": True}

    def flaky(_req):  # noqa: ANN001, ANN202
        if state["up"]:
            return Response(site.rss(), content_type="application/rss+xml")
        return Response("down", status=503, content_type="text/plain")

    url = http_server.add("/flaky.xml", flaky)
    db = tmp_path / "d.db"
    with Desk(str(db), allow_private=True) as desk:
        desk.settings.fetch.per_host_delay = 0
        desk.settings.follow.max_backoff = 3600
        sub = desk.subscribe(url, every=60)
        watcher = Watcher(desk)
        watcher.poll(desk.store.get_subscription(sub.id))  # one good poll: last ok is set
        state["up"] = False
        waits = []
        for _ in range(10):
            current = desk.store.get_subscription(sub.id)
            assert current is not None
            watcher.poll(current)
            after = desk.store.get_subscription(sub.id)
            assert after is not None
            waits.append((parse_iso(after.next_poll) - datetime.now(UTC)).total_seconds())
        failing = desk.store.get_subscription(sub.id)
        assert failing is not None and failing.failures == 10 and failing.state == "failing"
        assert failing.last_ok is not None and failing.last_error == "HTTP 503: server error"
        assert all(b >= a - 1 for a, b in zip(waits, waits[1:], strict=False))  # growing
        assert waits[0] < 130 and 3590 < waits[-1] <= 3600  # twice the interval, then capped
        assert [s.id for s in desk.subscriptions()] == [sub.id]  # still followed
    result = CliRunner().invoke(app, ["sources", "list", "--db", str(db)],
                                env={"COLUMNS": "200"})
    out = result.stdout
    assert result.exit_code == 0
    row = next(line for line in out.splitlines() if line.startswith(str(sub.id) + " "))
    # id, name, every, state, fetched, last new, articles, fails, next poll
    assert row.split() == [str(sub.id), "Test", "Wire", "1m", "failing", "now", "now", "1",
                           "10", "in", "1h"]
    assert (f"failing: {sub.id} Test Wire <{url}>: HTTP 503: server error (now; 10 failures "
            "in a row; last ok now)") in out
    assert "1 sources, 1 failing" in out
    with Desk(str(db), allow_private=True) as desk:
        state["up"] = True  # back: one poll brings it back to health
        desk.settings.fetch.per_host_delay = 0
        Watcher(desk).poll(desk.store.get_subscription(sub.id))
        healed = desk.store.get_subscription(sub.id)
        assert healed is not None and healed.failures == 0 and healed.state == "ok"
