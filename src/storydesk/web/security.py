"""What guards the web app: security headers on every response, the write token and
body-size limit in front of every API write, and the token kept out of the logs."""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable
from typing import Annotated

from fastapi import Header, HTTPException
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storydesk.web.state import State

# -- security headers ----------------------------------------------------------
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's /docs page loads Swagger UI from a CDN with an inline bootstrap
# script; it shows only our own schema, so it gets a looser policy of its own.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeaders:
    """ASGI middleware: CSP, nosniff and referrer policy on every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith(DOCS_PATHS) else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", [])
                    if k.lower() not in (b"content-security-policy", b"x-content-type-options",
                                         b"referrer-policy")
                ]
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- writing needs the token ---------------------------------------------------
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def writer_refusal(write_token: str | None, authorization: str | None) -> HTTPException | None:
    """Why a write is refused (a read-only server, a missing or wrong token), or None."""
    if not write_token:
        return HTTPException(403, "this server is read-only: start it with "
                                  "STORYDESK_TOKEN set to allow POST /api/articles")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), write_token.encode()):
        return HTTPException(401, "missing or wrong bearer token",
                             headers={"WWW-Authenticate": "Bearer"})
    return None


def require_writer(state: State, authorization: Annotated[str | None, Header()] = None) -> None:
    """The same check as ``WriteGuard`` (which runs before the body is read), kept
    on the route itself so that it holds wherever the app is mounted."""
    if (refused := writer_refusal(state.write_token, authorization)) is not None:
        raise refused


class WriteGuard:
    """ASGI middleware in front of every API write: the token is checked from the
    headers before one byte of the body is read (401/403, never a JSON error first),
    and the body is read only up to ``max_body`` bytes (413 beyond), then handed on."""

    def __init__(self, app: ASGIApp, refuse: Callable[[str | None], HTTPException | None],
                 max_body: int):
        self.app = app
        self.refuse = refuse  # (authorization header or None) -> HTTPException | None
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in WRITE_METHODS
                or not scope["path"].startswith("/api")):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        auth = headers.get(b"authorization")
        refused = self.refuse(auth.decode("latin-1") if auth is not None else None)
        if refused is not None:
            await _error(scope, receive, send, refused.status_code, refused.detail,
                         refused.headers)
            return
        too_big = f"request body larger than {self.max_body:,} bytes"
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > self.max_body:
            await _error(scope, receive, send, 413, too_big)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await _error(scope, receive, send, 413, too_big)
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


async def _error(scope: Scope, receive: Receive, send: Send, status: int, detail: str,
                 headers: dict[str, str] | None = None) -> None:
    """An API error answered from middleware, as the app's handlers answer it; the
    connection is closed after it (the unread body is not waited for)."""
    extra = {**(headers or {}), "Connection": "close"}
    await JSONResponse({"error": detail}, status, headers=extra)(scope, receive, send)


# -- the token kept out of the logs ----------------------------------------------
REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    """Replaces each secret (the API token) in a log line, wherever it came from: a
    token pasted into a query string shows in the access log as ``[redacted]``."""

    def __init__(self, secrets: list[str]):
        super().__init__()
        self.patterns = [secret_pattern(s) for s in secrets if s]

    def _clean(self, value: object) -> object:
        if isinstance(value, str):
            for p in self.patterns:
                value = p.sub(REDACTED, value)
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        # Arguments are cleaned in place: formatters (uvicorn's) read them one by one.
        record.msg = self._clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self._clean(v) for k, v in record.args.items()}
        return True


def secret_pattern(secret: str) -> re.Pattern[str]:
    """The secret as written in a log line: each character as itself or percent-encoded
    (``%2b``, ``%2B``, double-encoded ``%252b``), in any mix."""
    parts = []
    for ch in secret:
        encoded = "".join("%(?:25)*" + "".join(f"[{h}{h.upper()}]" if h.isalpha() else h
                                            for h in f"{b:02x}")
                          for b in ch.encode("utf-8"))
        parts.append(f"(?:{re.escape(ch)}|{encoded})")
    return re.compile("".join(parts))


def redact_logs(secrets: list[str]) -> None:
    """Add the filter to every handler configured so far (uvicorn's, the poller's)."""
    flt = RedactSecrets(secrets)
    loggers = [logging.getLogger()] + [
        lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            handler.addFilter(flt)
