"""The fetcher never reaches a private, loopback, link-local or metadata address unless
asked (``allow_private`` / ``--allow-private``): not by IP, not by a name that resolves
to one, not through a redirect, and not through a DNS answer that changes between the
check and the connection (the socket is opened to the address that was checked)."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib

import pytest
from httpserver import Response, TestHTTPServer

from storydesk.sources.fetch import Fetcher, FetchError

PAGE = "<html><body><p>The ferry runs.</p></body></html>"
PUBLIC = "93.184.215.14"  # a global unicast address (never connected to here)


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Answer getaddrinfo for the names in ``answers`` (a list is consumed one answer
    per lookup, the last one repeating); other names resolve as usual."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        if host in answers:
            asked.append(host)
            seq = answers[host]
            addr = seq.pop(0) if len(seq) > 1 else seq[0]
            family = socket.AF_INET6 if ":" in addr else socket.AF_INET
            sockaddr = (addr, port, 0, 0) if family == socket.AF_INET6 else (addr, port)
            return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]
        return real(host, port, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://169.254.170.2/v2/credentials", "169.254.170.2 is a cloud metadata address"),
        ("http://100.100.100.200/latest/meta-data", "is a cloud metadata address"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address"),
        ("http://[fd12:3456::1]/", "fd12:3456::1 is a private address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://169.254.1.1/", "169.254.1.1 is a link-local address"),
        ("http://[::ffff:127.0.0.1]/", "is a loopback address"),  # IPv4-mapped IPv6
        ("http://127.8.9.10/", "127.8.9.10 is a loopback address"),
        ("http://172.16.0.1/", "172.16.0.1 is a private address"),
        ("http://100.64.0.1/", "100.64.0.1 is a"),  # carrier-grade NAT
        ("http://0x7f000001/", "127.0.0.1 is a loopback address"),  # hex form
        ("http://[ff02::1]/", "is a multicast address"),
    ],
)
def test_more_private_addresses_refused(url: str, expected: str) -> None:
    with Fetcher(per_host_delay=0) as f, pytest.raises(FetchError) as err:
        f.fetch(url)
    assert expected in err.value.reason and "(use --allow-private)" in err.value.reason


@pytest.mark.parametrize("addr", ["169.254.169.254", "10.0.0.7", "fd00::5", "127.0.0.1"])
def test_names_resolving_to_private_addresses_refused(monkeypatch: pytest.MonkeyPatch,
                                                      addr: str) -> None:
    fake_dns(monkeypatch, {"news.example.test": [addr]})
    with Fetcher(per_host_delay=0) as f, pytest.raises(FetchError) as err:
        f.fetch("http://news.example.test/feed.xml")
    assert err.value.reason.startswith(f"refused: {addr} is ")


def test_one_private_address_among_public_ones_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def two(host, port, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        if host == "mixed.example.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port))]
        return real(host, port, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", two)
    with Fetcher(per_host_delay=0) as f, pytest.raises(FetchError) as err:
        f.fetch("http://mixed.example.test/")
    assert err.value.reason == "refused: 10.0.0.1 is a private address (use --allow-private)"


def test_dns_rebinding_cannot_reach_loopback(http_server: TestHTTPServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The first answer (the check) is public, the next (a connect that resolved again)
    would be 127.0.0.1: the connection re-checks what it connects to and refuses."""
    http_server.add("/page.html", Response(PAGE))
    asked = fake_dns(monkeypatch, {"rebind.example.test": [PUBLIC, "127.0.0.1"]})
    url = f"http://rebind.example.test:{http_server.port}/page.html"
    with Fetcher(per_host_delay=0, respect_robots=False) as f, pytest.raises(FetchError) as e:
        f.fetch(url)
    assert e.value.reason == "refused: 127.0.0.1 is a loopback address (use --allow-private)"
    assert len(asked) == 2 and http_server.hits("/page.html") == 0


def test_connection_goes_to_the_checked_address(http_server: TestHTTPServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With the host allowed, the name is resolved once per connection and the socket
    is opened to that address; the Host header still names the host."""
    http_server.add("/page.html", Response(PAGE))
    fake_dns(monkeypatch, {"intranet.example.test": ["127.0.0.1"]})
    with Fetcher(per_host_delay=0, respect_robots=False, allow_private=True) as f:
        result = f.fetch(f"http://intranet.example.test:{http_server.port}/page.html")
    assert "ferry" in result.text
    [req] = [r for r in http_server.requests if r.path == "/page.html"]
    assert req.headers["host"] == f"intranet.example.test:{http_server.port}"


def test_redirect_to_metadata_address_refused(http_server: TestHTTPServer) -> None:
    url = http_server.add("/go", Response(status=307, headers={
        "Location": "http://169.254.169.254/latest/meta-data/iam/security-credentials/"}))
    with Fetcher(per_host_delay=0, allow_hosts={"127.0.0.1"}) as f, \
            pytest.raises(FetchError) as err:
        f.fetch(url)
    assert err.value.reason == ("refused: 169.254.169.254 is a cloud metadata address "
                                "(use --allow-private)")


def test_redirect_to_a_name_resolving_private_refused(http_server: TestHTTPServer,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"inside.example.test": ["192.168.1.20"]})
    url = http_server.add("/go", Response(status=302, headers={
        "Location": "http://inside.example.test/admin"}))
    with Fetcher(per_host_delay=0, allow_hosts={"127.0.0.1"}) as f, \
            pytest.raises(FetchError) as err:
        f.fetch(url)
    assert "192.168.1.20 is a private address" in err.value.reason


def test_proxy_environment_is_ignored(http_server: TestHTTPServer,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy would connect on our behalf, past the address check: never used."""
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.9.9.9:3128")
    url = http_server.add("/page.html", Response(PAGE))
    with Fetcher(per_host_delay=0, allow_private=True) as f:
        assert "ferry" in f.fetch(url).text


@pytest.mark.parametrize("scheme", ["file:///etc/passwd", "ftp://example.org/x",
                                    "gopher://127.0.0.1:6379/_INFO", "data:text/html,hi"])
def test_other_schemes_refused(scheme: str) -> None:
    with Fetcher(per_host_delay=0, allow_private=True) as f, pytest.raises(FetchError) as err:
        f.fetch(scheme)
    assert err.value.reason.startswith("unsupported URL scheme")


# -- compressed bodies --------------------------------------------------------------
def test_gzip_bomb_stops_at_the_cap_with_bounded_memory(http_server: TestHTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)  # 200 MB in ~200 kB
    assert len(bomb) < 300_000
    url = http_server.add("/bomb", Response(bomb, content_type="text/html",
                                            headers={"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with Fetcher(per_host_delay=0, allow_private=True, max_bytes=2_000_000) as f, \
                pytest.raises(FetchError) as err:
            f.fetch(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.value.reason == "body larger than 2 MB"
    assert peak < 12_000_000, peak  # the cap plus a few decode steps, not 200 MB


@pytest.mark.parametrize("encoding,encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
])
def test_compressed_bodies_are_decoded(http_server: TestHTTPServer, encoding: str,
                                       encode) -> None:  # noqa: ANN001
    url = http_server.add("/z", Response(encode(PAGE.encode()), headers={
        "Content-Encoding": encoding}))
    with Fetcher(per_host_delay=0, allow_private=True) as f:
        assert f.fetch(url).text == PAGE


def test_corrupt_or_unknown_encodings_are_one_line_errors(http_server: TestHTTPServer) -> None:
    bad = http_server.add("/bad", Response(b"\x1f\x8b\x08\x00garbage" * 10, headers={
        "Content-Encoding": "gzip"}))
    br = http_server.add("/br", Response(b"\x0b\x02\x80hello\x03", headers={
        "Content-Encoding": "br"}))
    with Fetcher(per_host_delay=0, allow_private=True) as f:
        with pytest.raises(FetchError) as err:
            f.fetch(bad)
        assert err.value.reason.startswith("bad response: corrupt gzip body (")
        with pytest.raises(FetchError) as err:
            f.fetch(br)
        assert err.value.reason == "unsupported content encoding 'br'"
    [req] = [r for r in http_server.requests if r.path == "/br"]
    assert req.headers["accept-encoding"] == "gzip, deflate"


def test_refusal_is_quick() -> None:
    started = time.monotonic()
    with Fetcher(per_host_delay=0) as f, pytest.raises(FetchError):
        f.fetch("http://169.254.169.254/")
    assert time.monotonic() - started < 1.0
