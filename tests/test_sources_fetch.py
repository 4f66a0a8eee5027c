"""The Fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import time

import pytest
from httpserver import Response, TestHTTPServer

from storydesk.sources.fetch import USER_AGENT, Fetcher, FetchError

PAGE = "<html><head><title>Ferry resumes</title></head><body><p>The ferry runs.</p></body></html>"


def make_fetcher(**kw: object) -> Fetcher:
    options: dict = {"allow_private": True, "per_host_delay": 0.0}
    options.update(kw)
    return Fetcher(**options)


def test_fetch_page_sends_user_agent_and_decodes(http_server: TestHTTPServer) -> None:
    url = http_server.add("/page.html", Response(PAGE))
    with make_fetcher() as f:
        result = f.fetch(url)
    assert result.status == 200
    assert result.final_url == url
    assert result.content_type == "text/html"
    assert "Ferry resumes" in result.text
    page_requests = [r for r in http_server.requests if r.path == "/page.html"]
    assert page_requests[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("storydesk/")


def test_header_charset_is_used(http_server: TestHTTPServer) -> None:
    body = "<html><body><p>Новости дня: паром снова ходит</p></body></html>".encode("cp1251")
    ctype = "text/html; charset=windows-1251"
    url = http_server.add("/ru.html", Response(body, content_type=ctype))
    with make_fetcher() as f:
        assert "паром снова ходит" in f.fetch(url).text


def test_loopback_refused_without_allow_private(http_server: TestHTTPServer) -> None:
    url = http_server.add("/page.html", Response(PAGE))
    with Fetcher(per_host_delay=0) as f, pytest.raises(FetchError) as err:
        f.fetch(url)
    assert err.value.reason == "refused: 127.0.0.1 is a loopback address (use --allow-private)"
    assert http_server.hits("/page.html") == 0  # refused before any connection


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("http://10.1.2.3/", "10.1.2.3 is a private address"),
        ("http://192.168.0.10/", "192.168.0.10 is a private address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
        ("http://2130706433/", "127.0.0.1 is a loopback address"),  # 127.0.0.1 as one number
    ],
)
def test_private_addresses_refused(url: str, expected: str) -> None:
    with Fetcher(per_host_delay=0) as f, pytest.raises(FetchError) as err:
        f.fetch(url)
    assert expected in err.value.reason


def test_redirect_hop_to_loopback_is_checked(http_server: TestHTTPServer) -> None:
    target = f"http://localhost:{http_server.port}/page.html"
    http_server.add("/page.html", Response(PAGE))
    url = http_server.add("/go", Response(status=302, headers={"Location": target}))
    # 127.0.0.1 itself is allowed, so the first hop passes; "localhost" is not.
    with Fetcher(per_host_delay=0, allow_hosts={"127.0.0.1"}) as f:
        with pytest.raises(FetchError) as err:
            f.fetch(url)
    assert "is a loopback address" in err.value.reason
    assert http_server.hits("/go") == 1
    assert http_server.hits("/page.html") == 0


def test_redirects_followed(http_server: TestHTTPServer) -> None:
    http_server.add("/final.html", Response(PAGE))
    http_server.add("/b", Response(status=301, headers={"Location": "/final.html"}))
    url = http_server.add("/a", Response(status=302, headers={"Location": "/b"}))
    with make_fetcher() as f:
        result = f.fetch(url)
    assert result.url == url
    assert result.final_url == http_server.url("/final.html")
    assert "Ferry resumes" in result.text


def test_permanent_move_is_named(http_server: TestHTTPServer) -> None:
    http_server.add("/final.html", Response(PAGE))
    http_server.add("/c", Response(status=308, headers={"Location": "/final.html"}))
    moved = http_server.add("/a", Response(status=301, headers={"Location": "/c"}))
    temp = http_server.add("/t", Response(status=302, headers={"Location": "/a"}))
    with make_fetcher() as f:
        assert f.fetch(moved).moved_to == http_server.url("/final.html")
        assert f.fetch(temp).moved_to is None  # a temporary hop first: nothing moved for good
        assert f.fetch(http_server.url("/final.html")).moved_to is None
    half = http_server.add("/h", Response(status=301, headers={"Location": "/t"}))
    with make_fetcher() as f:
        assert f.fetch(half).moved_to == http_server.url("/t")  # up to the first 302


def test_http_error_status_and_retry_after(http_server: TestHTTPServer) -> None:
    url = http_server.add("/busy", Response("", status=429, content_type="text/plain",
                                            headers={"Retry-After": "90"}))
    with make_fetcher() as f, pytest.raises(FetchError) as err:
        f.fetch(url)
    assert (err.value.reason, err.value.status, err.value.retry_after) == ("HTTP 429", 429, 90)


def test_retry_after_header() -> None:
    from datetime import UTC, datetime

    from storydesk.sources.fetch import retry_after

    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert retry_after("120") == 120
    assert retry_after("Mon, 02 Mar 2026 12:05:00 GMT", now) == 300
    assert retry_after("Mon, 02 Mar 2026 11:05:00 GMT", now) == 0
    assert retry_after("soon") is None and retry_after(None) is None


def test_redirect_loop(http_server: TestHTTPServer) -> None:
    http_server.add("/loop1", Response(status=302, headers={"Location": "/loop2"}))
    url = http_server.add("/loop2", Response(status=302, headers={"Location": "/loop1"}))
    with make_fetcher(max_redirects=3) as f, pytest.raises(FetchError) as err:
        f.fetch(url)
    assert err.value.reason == "too many redirects"
    assert http_server.hits("/loop1") + http_server.hits("/loop2") == 4  # 1 + 3 hops


def test_http_404(http_server: TestHTTPServer) -> None:
    with make_fetcher() as f, pytest.raises(FetchError) as err:
        f.fetch(http_server.url("/nowhere.html"))
    assert err.value.reason == "HTTP 404"
    assert str(err.value) == f"{http_server.url('/nowhere.html')}: HTTP 404"


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nobody listens there
    with make_fetcher() as f, pytest.raises(FetchError) as err:
        f.fetch(f"http://127.0.0.1:{port}/")
    assert err.value.reason == "connection refused"


def test_read_timeout(http_server: TestHTTPServer) -> None:
    url = http_server.add("/slow", Response(PAGE, delay=1.0))
    with make_fetcher(read_timeout=0.2) as f, pytest.raises(FetchError) as err:
        start = time.monotonic()
        f.fetch(url)
    assert err.value.reason == "timed out after 0.2 s"
    assert time.monotonic() - start < 0.9


def test_body_cap(http_server: TestHTTPServer) -> None:
    url = http_server.add("/big", Response("x" * 5000, content_type="text/plain"))
    with make_fetcher(max_bytes=1000) as f, pytest.raises(FetchError) as err:
        f.fetch(url)
    assert err.value.reason == "body larger than 0.001 MB"


def test_body_cap_without_content_length(http_server: TestHTTPServer) -> None:
    # Without a Content-Length the streamed body is counted and cut off.
    url = http_server.add("/stream", Response("y" * 5000, content_type="text/plain",
                                              send_length=False))
    with make_fetcher(max_bytes=4999) as f, pytest.raises(FetchError):
        f.fetch(url)
    with make_fetcher(max_bytes=5000) as f:
        assert len(f.fetch(url).content) == 5000


def test_robots_txt_respected_and_cached(http_server: TestHTTPServer) -> None:
    http_server.add("/robots.txt", Response("User-agent: *\nDisallow: /private/\n",
                                            content_type="text/plain"))
    http_server.add("/private/secret.html", Response(PAGE))
    open_url = http_server.add("/public.html", Response(PAGE))
    with make_fetcher() as f:
        with pytest.raises(FetchError) as err:
            f.fetch(http_server.url("/private/secret.html"))
        assert err.value.reason == "blocked by robots.txt"
        assert f.fetch(open_url).status == 200
        f.fetch(open_url)
    assert http_server.hits("/private/secret.html") == 0
    assert http_server.hits("/robots.txt") == 1


def test_robots_can_be_ignored_and_missing_robots_allows(http_server: TestHTTPServer) -> None:
    url = http_server.add("/page.html", Response(PAGE))
    with make_fetcher() as f:  # no robots.txt: a 404, so all is allowed
        assert f.fetch(url).status == 200
    http_server.add("/robots.txt", Response("User-agent: *\nDisallow: /\n",
                                            content_type="text/plain"))
    with make_fetcher(respect_robots=False) as f:
        assert f.fetch(url).status == 200


def test_robots_for_storydesk_agent(http_server: TestHTTPServer) -> None:
    http_server.add("/robots.txt", Response(
        "User-agent: storydesk\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
        content_type="text/plain"))
    url = http_server.add("/page.html", Response(PAGE))
    with make_fetcher() as f, pytest.raises(FetchError, match="blocked by robots.txt"):
        f.fetch(url)


def test_conditional_get_etag(http_server: TestHTTPServer) -> None:
    url = http_server.add("/feed.xml", Response("<rss/>", content_type="application/rss+xml",
                                                etag='"v1"'))
    with make_fetcher() as f:
        first = f.fetch(url)
        assert first.etag == '"v1"' and not first.not_modified
        second = f.fetch(url, etag=first.etag)
    assert second.not_modified and second.status == 304 and second.content == b""
    assert second.etag == '"v1"'
    assert http_server.requests[-1].headers["if-none-match"] == '"v1"'


def test_conditional_get_last_modified(http_server: TestHTTPServer) -> None:
    stamp = "Mon, 02 Feb 2026 09:30:00 GMT"
    url = http_server.add("/feed.xml", Response("<rss/>", content_type="application/rss+xml",
                                                last_modified=stamp))
    with make_fetcher() as f:
        first = f.fetch(url)
        assert first.last_modified == stamp
        assert f.fetch(url, last_modified=stamp).not_modified
        assert not f.fetch(url, last_modified="Sun, 01 Feb 2026 00:00:00 GMT").not_modified


def test_per_host_delay(http_server: TestHTTPServer) -> None:
    url = http_server.add("/t", Response(PAGE))
    with make_fetcher(per_host_delay=0.25, respect_robots=False) as f:
        start = time.monotonic()
        f.fetch(url)
        f.fetch(url)
        assert time.monotonic() - start >= 0.25
    with make_fetcher(per_host_delay=0.0, respect_robots=False) as f:
        start = time.monotonic()
        f.fetch(url)
        f.fetch(url)
        assert time.monotonic() - start < 0.2


def test_unsupported_scheme() -> None:
    with make_fetcher() as f, pytest.raises(FetchError) as err:
        f.fetch("ftp://example.org/file.txt")
    assert "unsupported URL scheme 'ftp'" in err.value.reason


def test_unresolvable_host() -> None:
    with Fetcher(per_host_delay=0) as f, pytest.raises(FetchError) as err:
        f.fetch("http://no-such-host.invalid/")
    assert err.value.reason == "could not resolve host no-such-host.invalid"
