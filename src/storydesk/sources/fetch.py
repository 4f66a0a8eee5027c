"""A careful HTTP client: polite (robots.txt, per-host delay, a clear User-Agent),
bounded (timeouts, size cap, redirect limit) and safe (no private addresses unless
asked, checked again on every redirect hop).

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
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from storydesk import __version__
from storydesk.models import IngestError
from storydesk.sources.decode import NotText, charset_from_content_type, decode_bytes

USER_AGENT = f"storydesk/{__version__} (+https://github.com/storydesk/storydesk)"
ROBOTS_AGENT = "storydesk"  # the token matched against robots.txt User-agent lines
ROBOTS_MAX_BYTES = 500_000  # robots.txt larger than this is read only up to here
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


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why fetching from ``ip`` is refused, or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
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
        self._client = httpx.Client(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent},
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
                current = urljoin(current, resp_headers["location"].strip())
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
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(asked, f"unsupported URL scheme {parts.scheme or '(none)'!r}")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError(asked, "URL has no host")
        if self.allow_private or host in self.allow_hosts:
            return
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(asked, "invalid port in URL") from None
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError):
            raise FetchError(asked, f"could not resolve host {host}") from None
        for info in infos:
            addr = str(info[4][0]).split("%")[0]  # drop an IPv6 zone id
            problem = address_problem(ipaddress.ip_address(addr))
            if problem:
                raise FetchError(asked, f"refused: {addr} is {problem} (use --allow-private)")

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
        """One GET without redirects: status, lower-case headers, body (at most ``cap``)."""
        self._wait_turn(url)
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=dict(headers)) as resp:
                resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status_code in REDIRECT_CODES or resp.status_code == 304:
                    return resp.status_code, resp_headers, b""
                if resp.status_code >= 400:
                    return resp.status_code, resp_headers, b""
                length = resp_headers.get("content-length", "")
                if not truncate and length.isdigit() and int(length) > cap:
                    raise FetchError(asked, f"body larger than {_mb(cap)} MB")
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > cap:
                        if truncate:
                            break
                        raise FetchError(asked, f"body larger than {_mb(cap)} MB")
                    if self.total_timeout and time.monotonic() - started > self.total_timeout:
                        raise FetchError(asked, f"timed out after {_seconds(self.total_timeout)} s")
                return resp.status_code, resp_headers, b"".join(chunks)[:cap]
        except httpx.ConnectTimeout:
            raise FetchError(asked, f"timed out connecting after "
                                    f"{_seconds(self.connect_timeout)} s") from None
        except httpx.TimeoutException:
            raise FetchError(asked, f"timed out after {_seconds(self.read_timeout)} s") from None
        except httpx.ConnectError as e:
            raise FetchError(asked, _connect_reason(e)) from None
        except httpx.TooManyRedirects:
            raise FetchError(asked, "too many redirects") from None
        except (httpx.RemoteProtocolError, httpx.DecodingError) as e:
            raise FetchError(asked, f"bad response: {_one_line(e)}") from None
        except httpx.HTTPError as e:
            raise FetchError(asked, f"{type(e).__name__}: {_one_line(e)}") from None


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
