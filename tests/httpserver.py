"""A real HTTP server on 127.0.0.1 for tests: http.server in a thread, on a free port.

Use the ``http_server`` fixture (registered in conftest.py)::

    def test_page(http_server):
        http_server.add("/a.html", Response("<html>...</html>"))
        url = http_server.url("/a.html")

Routes map a path (without the query string) to a Response or to a function
``(Request) -> Response``. Unknown paths are 404. Every request is logged in
``http_server.requests``. Responses may carry an ETag / Last-Modified; a
conditional request that matches gets 304. ``delay`` makes an endpoint slow.

Faults for reliability tests: ``chunk_delay`` sends the body ``chunk_size`` bytes at a
time with a pause between; ``header_delay`` sends the status line and headers a byte
at a time with a pause between; ``endless`` repeats the body until the client hangs
up; ``reset`` ("start" or "body") resets the connection before anything is sent or
after the headers and half the body.
"""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Request:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-case names


@dataclass
class Response:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before the response starts
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    chunk_delay: float = 0.0  # seconds between two pieces of the body
    chunk_size: int = 1
    header_delay: float = 0.0  # seconds between two bytes of the status line and headers
    endless: bool = False  # repeat the body for ever (no Content-Length)
    reset: str | None = None  # "start": RST at once; "body": RST after half the body

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Route = Response | Callable[[Request], Response]


class _QuietServer(ThreadingHTTPServer):
    """Says nothing of a client that hung up (a timeout test, a process killed on purpose)."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class TestHTTPServer:
    __test__ = False  # not a test class for pytest

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                req = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.requests.append(req)
                    route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    resp = Response("not found", status=404, content_type="text/plain")
                else:
                    resp = route(req) if callable(route) else route
                if resp.delay:
                    time.sleep(resp.delay)
                if resp.reset == "start":
                    self._reset()
                    return
                status, body = resp.status, resp.payload()
                if resp.etag and req.headers.get("if-none-match") == resp.etag:
                    status, body = 304, b""
                elif (resp.last_modified and not req.headers.get("if-none-match")
                      and req.headers.get("if-modified-since") == resp.last_modified):
                    status, body = 304, b""
                try:
                    self.send_response(status)
                    if status != 304:
                        self.send_header("Content-Type", resp.content_type)
                    if resp.send_length and not resp.endless:
                        self.send_header("Content-Length", str(len(body)))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    if resp.etag:
                        self.send_header("ETag", resp.etag)
                    if resp.last_modified:
                        self.send_header("Last-Modified", resp.last_modified)
                    for name, value in resp.headers.items():
                        self.send_header(name, value)
                    if resp.header_delay:
                        self._headers_buffer.append(b"\r\n")  # type: ignore[attr-defined]
                        head = b"".join(self._headers_buffer)  # type: ignore[attr-defined]
                        self._headers_buffer = []
                        for i in range(len(head)):
                            self.wfile.write(head[i:i + 1])
                            self.wfile.flush()
                            time.sleep(resp.header_delay)
                    else:
                        self.end_headers()
                    if resp.reset == "body":
                        self.wfile.write(body[: len(body) // 2])
                        self.wfile.flush()
                        self._reset()
                        return
                    self._send_body(resp, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _send_body(self, resp: Response, body: bytes) -> None:
                while True:
                    if resp.chunk_delay:
                        for i in range(0, len(body), resp.chunk_size):
                            self.wfile.write(body[i:i + resp.chunk_size])
                            self.wfile.flush()
                            time.sleep(resp.chunk_delay)
                    else:
                        self.wfile.write(body)
                    if not resp.endless or not body:
                        return

            def _reset(self) -> None:
                """Close with a TCP RST (SO_LINGER 0) instead of a clean FIN."""
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> TestHTTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, route: Route) -> str:
        """Serve ``route`` at ``path``; returns the full URL."""
        with self._lock:
            self.routes[path] = route
        return self.url(path)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path.split("?")[0] == path)


@pytest.fixture
def http_server() -> Iterator[TestHTTPServer]:
    server = TestHTTPServer().start()
    try:
        yield server
    finally:
        server.stop()


# -- ports and waiting, for tests that start servers of their own ------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], object], timeout: float = 20.0, every: float = 0.05) -> None:
    """Poll ``check`` until it returns something true; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(every)


def wait_for_server(proc: subprocess.Popen, url: str, timeout: float = 30.0,
                    output: Callable[[], str] | None = None) -> None:
    """Wait until ``url`` answers 200, failing with the process's output (``output()``,
    or its piped stdout) when it exits first or ``timeout`` passes."""
    end = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > end:
            proc.kill()
            if output is not None:
                out = output()
            else:
                out = proc.communicate()[0] if proc.stdout else ""
                out = out.decode() if isinstance(out, bytes) else out
            raise AssertionError(f"the server did not start: {out}")
        time.sleep(0.1)
