"""A careful HTTP client: polite (robots.txt, per-host delay, a clear User-Agent),
bounded (timeouts, a total-time cap, size cap on the decoded body, redirect limit)
and safe (no private addresses unless asked, checked again on every redirect hop
and at connect time: the socket is opened to the address that was checked, so a
DNS answer that changes between check and connect cannot reach a private address).

    fetcher = Fetcher()
    result = fetcher.fetch("https://example.org/feed.xml", etag=old_etag)
    if result.not_modified: ...

Errors are FetchError with a one-line ``reason`` ("HTTP 404", "timed out after 20 s");
HTTP errors also carry ``status`` and, from a Retry-After header, ``retry_after`` seconds.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from storydesk.models import IngestError
from storydesk.sources.decode import NotText, charset_from_content_type, decode_bytes
from storydesk.version import __version__

USER_AGENT = f"storydesk/{__version__} (+https://github.com/storydesk/storydesk)"
ROBOTS_AGENT = "storydesk"  # the token matched against robots.txt User-agent lines
ROBOTS_MAX_BYTES = 500_000  # robots.txt larger than this is read only up to here
# Content encodings decoded here, a bounded amount of output per input chunk (a
# compressed bomb stops at the size cap); others are refused with a clear reason.
ACCEPT_ENCODING = "gzip, deflate"
DECODE_STEP = 1 << 20  # most bytes inflated at a time
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
# Cloud metadata endpoints; all are also link-local or private, named here for the message.
METADATA_ADDRESSES = frozenset(
    {"169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"}
)


class FetchError(IngestError):
    """A URL could not be fetched. ``reason`` is one line; ``str()`` is "url: reason".

    ``status``: the HTTP status of an error response (None for network errors);
    ``retry_after``: seconds the server asked to wait (429, 503), if it said.
    """

    def __init__(
        self, url: str, reason: str, *, status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(url, reason)
        self.url = url
        self.status = status
        self.retry_after = retry_after


@dataclass
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    content: bytes = b""
    text: str = ""  # decoded content; "" for binary bodies and 304
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    # Where the URL has moved for good: the URL reached through the permanent
    # redirects (301, 308) that the chain starts with; None when it starts otherwise.
    moved_to: str | None = None

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case: ``text/html``."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def _seconds(s: float) -> str:
    return f"{s:g}"


# IPv6 prefixes whose addresses carry an IPv4 address in their last 32 bits: IPv4-
# compatible (::/96, deprecated), IPv4-mapped, IPv4-translated (SIIT) and NAT64's
# well-known prefix. 6to4 and Teredo carry theirs elsewhere (ipaddress finds them).
_LOW32_PREFIXES = tuple(ipaddress.ip_network(n) for n in (
    "::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96"))
# Local-use NAT64 (RFC 8215): the IPv4 address may sit at several places; refused whole.
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (IPv4-compatible, mapped, translated,
    NAT64, 6to4, Teredo server and client), which a router may reach in its stead."""
    found: list[ipaddress.IPv4Address] = []
    if any(ip in net for net in _LOW32_PREFIXES) and int(ip) > 1:  # not :: nor ::1
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why fetching from ``ip`` is refused, or None for a public address. An IPv6
    address is judged by every IPv4 address it carries too (``::127.0.0.1``,
    ``64:ff9b::7f00:1``, ``2002:7f00:1::`` are loopback)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64:
            return "a local-use NAT64 address"
        for inner in embedded_ipv4(ip):
            if problem := address_problem(inner):
                return problem
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
    if str(ip) in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "a non-public address"
    return None


class _Refused(Exception):
    """Raised inside the transport (connect time); turned into a FetchError."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def checked_addresses(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, all checked: raises _Refused naming the
    first non-public one, or why the host could not be resolved."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise _Refused(f"could not resolve host {host}") from None
    addrs: list[str] = []
    for info in infos:
        addr = str(info[4][0]).split("%")[0]  # drop an IPv6 zone id
        problem = address_problem(ipaddress.ip_address(addr))
        if problem:
            raise _Refused(f"refused: {addr} is {problem} (use --allow-private)")
        if addr not in addrs:
            addrs.append(addr)
    if not addrs:
        raise _Refused(f"could not resolve host {host}")
    return addrs


class _Deadline(threading.local):
    """The monotonic time by which the current thread's request must be done."""

    at: float | None = None


class _Timeout(Exception):
    pass


class _BoundedStream(httpcore.NetworkStream):
    """A socket stream whose reads and writes stop at the thread's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline):
        self._stream = stream
        self._deadline = deadline

    def _timeout(self, timeout: float | None) -> float | None:
        if self._deadline.at is None:
            return timeout
        left = self._deadline.at - time.monotonic()
        if left <= 0:
            raise _Timeout()
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self._stream.read(max_bytes, self._timeout(timeout))
        except httpcore.ReadTimeout:
            if self._deadline.at is not None and time.monotonic() >= self._deadline.at - 0.01:
                raise _Timeout() from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._timeout(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, self._timeout(timeout))
        return _BoundedStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _CheckedBackend(httpcore.SyncBackend):
    """Opens each connection to an address that passed the check (no second DNS
    lookup that could answer differently), and bounds every read by the deadline."""

    def __init__(self, fetcher: Fetcher):
        self._fetcher = fetcher

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        f = self._fetcher
        if f.allow_private or host.lower().strip("[]") in f.allow_hosts:
            addrs = [host]
        else:
            addrs = checked_addresses(host, port)
        error: Exception | None = None
        for addr in addrs:
            try:
                stream = super().connect_tcp(addr, port, timeout, local_address,
                                             socket_options)
                return _BoundedStream(stream, f._deadline)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                error = e
        assert error is not None
        raise error


@dataclass
class _Host:
    robots: urllib.robotparser.RobotFileParser | None = None
    last_request: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Fetcher:
    """Fetch pages and feeds over HTTP(S). One instance keeps one connection pool,
    one robots.txt cache and one clock per host; reuse it for a whole batch.

    ``allow_hosts`` lists hosts, as written in URLs (a name or an IP address), exempt
    from the private-address check (an intranet server); everything else, and every
    other name that resolves to the same address, stays checked.
    """

    def __init__(
        self,
        allow_private: bool = False,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        max_bytes: int = 20_000_000,
        max_redirects: int = 5,
        per_host_delay: float = 1.0,
        respect_robots: bool = True,
        user_agent: str = USER_AGENT,
        allow_hosts: Collection[str] = (),
        total_timeout: float | None = 120.0,
    ):
        self.allow_private = allow_private
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.per_host_delay = per_host_delay
        self.respect_robots = respect_robots
        self.user_agent = user_agent
        self.allow_hosts = {h.lower().strip("[]") for h in allow_hosts}
        self.total_timeout = total_timeout
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._deadline = _Deadline()
        transport = httpx.HTTPTransport(trust_env=False)
        # httpx has no public hook for the network backend; httpcore's pool has one.
        pool = transport._pool
        if not hasattr(pool, "_network_backend"):  # pragma: no cover - httpcore changed
            raise RuntimeError("unsupported httpcore version: cannot pin checked addresses")
        pool._network_backend = _CheckedBackend(self)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            trust_env=False,  # a proxy from the environment would bypass the address check
        )

    # -- public -----------------------------------------------------------------
    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        *,
        accept: str | None = None,
    ) -> FetchResult:
        """GET ``url``, following up to ``max_redirects`` redirects, each hop checked.

        With ``etag`` / ``last_modified`` the request is conditional; a 304 gives a
        result with ``not_modified=True`` and no content. Raises FetchError.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        current = url
        moved_to: str | None = None
        permanent = True  # every hop so far was a permanent redirect
        for _hop in range(self.max_redirects + 1):
            self._check_url(url, current)
            if self.respect_robots and not self._robots_allow(current):
                raise FetchError(url, "blocked by robots.txt")
            status, resp_headers, body = self._get(url, current, headers, self.max_bytes)
            if status in REDIRECT_CODES and "location" in resp_headers:
                try:
                    current = urljoin(current, resp_headers["location"].strip())
                except ValueError as e:
                    raise FetchError(url, f"invalid redirect location ({_one_line(e)})") from None
                permanent = permanent and status in PERMANENT_REDIRECTS
                if permanent:
                    moved_to = current
                continue
            if status == 304:
                return FetchResult(
                    url, current, status, resp_headers,
                    etag=resp_headers.get("etag") or etag,
                    last_modified=resp_headers.get("last-modified") or last_modified,
                    not_modified=True, moved_to=moved_to,
                )
            if status >= 400 or status in REDIRECT_CODES:
                raise FetchError(url, f"HTTP {status}", status=status,
                                 retry_after=retry_after(resp_headers.get("retry-after")))
            return FetchResult(
                url, current, status, resp_headers, body,
                text=_decode(body, resp_headers.get("content-type")),
                etag=resp_headers.get("etag"),
                last_modified=resp_headers.get("last-modified"),
                moved_to=moved_to,
            )
        raise FetchError(url, "too many redirects")

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- checks -----------------------------------------------------------------
    def _check_url(self, asked: str, url: str) -> None:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError as e:  # "http://[::1/"
            raise FetchError(asked, f"invalid URL {url!r} ({_one_line(e)})") from None
        if parts.scheme not in ("http", "https"):
            raise FetchError(asked, f"unsupported URL scheme {parts.scheme or '(none)'!r}")
        if not host:
            raise FetchError(asked, "URL has no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(asked, "invalid port in URL") from None
        if self.allow_private or host in self.allow_hosts:
            return
        try:
            checked_addresses(host, port)  # checked again when the connection is opened
        except _Refused as e:
            raise FetchError(asked, e.reason) from None

    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._hosts_lock:
            return self._hosts.setdefault(key, _Host())

    def _robots_allow(self, url: str) -> bool:
        host = self._host(url)
        if host.robots is None:
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            parser = urllib.robotparser.RobotFileParser(robots_url)
            lines: list[str] = []
            try:
                self._check_url(robots_url, robots_url)
                status, headers, body = self._get(robots_url, robots_url, {}, ROBOTS_MAX_BYTES,
                                                  truncate=True)
                if 200 <= status < 300:
                    lines = _decode(body, headers.get("content-type")).splitlines()
            except FetchError:
                pass  # no robots.txt to be had: everything is allowed
            parser.parse(lines)
            host.robots = parser
        return host.robots.can_fetch(ROBOTS_AGENT, url)

    # -- transport --------------------------------------------------------------
    def _wait_turn(self, url: str) -> None:
        host = self._host(url)
        with host.lock:
            if self.per_host_delay > 0 and host.last_request:
                wait = host.last_request + self.per_host_delay - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            host.last_request = time.monotonic()

    def _get(
        self,
        asked: str,
        url: str,
        headers: Mapping[str, str],
        cap: int,
        *,
        truncate: bool = False,
    ) -> tuple[int, dict[str, str], bytes]:
        """One GET without redirects: status, lower-case headers, body (at most ``cap``
        bytes once decoded). The whole exchange, headers included, ends within
        ``total_timeout`` seconds whatever the server does."""
        self._wait_turn(url)
        self._deadline.at = (time.monotonic() + self.total_timeout
                             if self.total_timeout else None)
        try:
            with self._client.stream("GET", url, headers=dict(headers)) as resp:
                resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status_code in REDIRECT_CODES or resp.status_code == 304:
                    return resp.status_code, resp_headers, b""
                if resp.status_code >= 400:
                    return resp.status_code, resp_headers, b""
                length = resp_headers.get("content-length", "")
                encoding = resp_headers.get("content-encoding", "").strip().lower()
                if (not truncate and length.isdigit() and int(length) > cap
                        and encoding in ("", "identity")):
                    raise FetchError(asked, f"body larger than {_mb(cap)} MB")
                decoder = _Decoder(asked, encoding)
                chunks: list[bytes] = []
                size = 0
                for raw in resp.iter_raw():
                    for chunk in decoder.feed(raw):
                        chunks.append(chunk)
                        size += len(chunk)
                        if size > cap:
                            if truncate:
                                return resp.status_code, resp_headers, b"".join(chunks)[:cap]
                            raise FetchError(asked, f"body larger than {_mb(cap)} MB")
                chunks.extend(decoder.flush())
                return resp.status_code, resp_headers, b"".join(chunks)[:cap]
        except _Refused as e:
            raise FetchError(asked, e.reason) from None
        except _Timeout:
            raise FetchError(asked, f"timed out after {_seconds(self.total_timeout or 0)} s "
                                    "in all") from None
        except httpx.ConnectTimeout:
            raise FetchError(asked, f"timed out connecting after "
                                    f"{_seconds(self.connect_timeout)} s") from None
        except httpx.TimeoutException:
            raise FetchError(asked, f"timed out after {_seconds(self.read_timeout)} s") from None
        except httpx.ConnectError as e:
            raise FetchError(asked, _connect_reason(e)) from None
        except httpx.TooManyRedirects:
            raise FetchError(asked, "too many redirects") from None
        except (httpx.ReadError, httpx.WriteError) as e:
            reset = "reset" in str(e).lower() or "broken pipe" in str(e).lower()
            raise FetchError(asked, "connection reset by the server" if reset
                             else f"connection lost: {_one_line(e)}") from None
        except (httpx.RemoteProtocolError, httpx.DecodingError) as e:
            raise FetchError(asked, f"bad response: {_one_line(e)}") from None
        except httpx.HTTPError as e:
            raise FetchError(asked, f"{type(e).__name__}: {_one_line(e)}") from None
        finally:
            self._deadline.at = None


class _Decoder:
    """Undoes a Content-Encoding (gzip, deflate) a bounded step at a time, so a
    small compressed body cannot expand in memory past the caller's size cap."""

    def __init__(self, asked: str, encoding: str):
        self.asked = asked
        names = [e.strip() for e in encoding.split(",") if e.strip() not in ("", "identity")]
        if len(names) > 1 or (names and names[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(asked, f"unsupported content encoding {encoding!r}")
        self.kind = names[0] if names else None
        self._z: Any = None
        if self.kind in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.kind is None:
            if data:
                yield data
            return
        if self.kind == "deflate" and self._z is None:
            # "deflate" is meant as zlib-wrapped; some servers send it raw.
            raw = bool(data) and (data[0] & 0x0F) != 8
            self._z = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        try:
            while data:
                out = self._z.decompress(data, DECODE_STEP)
                data = self._z.unconsumed_tail
                if out:
                    yield out
                if self._z.eof:
                    return
        except zlib.error as e:
            raise FetchError(self.asked, f"bad response: corrupt {self.kind} body ({e})") from None

    def flush(self) -> list[bytes]:
        if self._z is None:
            return []
        try:
            rest = self._z.flush()
        except zlib.error as e:  # pragma: no cover - flush of a valid stream
            raise FetchError(self.asked, f"bad response: corrupt {self.kind} body ({e})") from None
        return [rest] if rest else []


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay seconds or an HTTP date), or None."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g}"


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:200] or type(e).__name__


def _connect_reason(e: httpx.ConnectError) -> str:
    text = str(e).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "resolve" in text:
        return "could not resolve host"
    if "certificate" in text or "ssl" in text:
        return f"TLS error: {_one_line(e)}"
    return f"connection failed: {_one_line(e)}"


def _decode(body: bytes, content_type: str | None) -> str:
    if not body:
        return ""
    media = (content_type or "").split(";")[0].strip().lower()
    markup = "html" in media or "xml" in media or not media
    try:
        return decode_bytes(body, declared=charset_from_content_type(content_type),
                            markup=markup)
    except NotText:
        return ""
