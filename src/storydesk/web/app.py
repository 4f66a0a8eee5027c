"""The web reader and JSON API: one FastAPI app over a ``Desk``.

    from storydesk.web import create_app
    app = create_app("news.db")          # serve with uvicorn

This module assembles the app: its state (``state.WebState``), the page templates,
the middleware (``security``), the error handlers and the routers: HTML pages
(``pages``) and the JSON API under ``/api/`` (``api``), whose errors are
``{"error": "..."}``. Writing (``POST /api/articles``) needs
``Authorization: Bearer <STORYDESK_TOKEN>``; with no token set the API is read-only.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from storydesk.settings import Settings
from storydesk.web import api, pages
from storydesk.web.security import SecurityHeaders, WriteGuard, writer_refusal
from storydesk.web.state import WebState
from storydesk.web.views import lang_attrs, mark_value

if TYPE_CHECKING:
    from storydesk.desk import Desk

HERE = Path(__file__).parent


def create_app(
    db: str | None = None,
    *,
    token: str | None = None,
    desk: Desk | None = None,
) -> FastAPI:
    """The web reader and JSON API over the store ``db`` (a SQLite path or database URL).

    ``token`` allows ``POST /api/articles`` (default: env ``STORYDESK_TOKEN``; unset
    means read-only). ``desk`` serves an already open ``Desk`` instead of opening ``db``.
    """
    if desk is None:
        from storydesk.desk import Desk

        desk = Desk(db)
    the_desk: Desk = desk
    write_token = token if token is not None else os.environ.get("STORYDESK_TOKEN") or None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        the_desk.close()

    app = FastAPI(
        title="storydesk",
        summary="A self-hosted news desk: articles from many outlets, searchable.",
        version=_version(),
        lifespan=lifespan,
        dependencies=[Depends(_ids_in_range)],
    )
    web = (getattr(the_desk, "settings", None) or Settings()).web
    app.state.desk = the_desk
    app.state.web = WebState(desk=the_desk, settings=web, templates=_templates(),
                             write_token=write_token)
    app.add_middleware(WriteGuard, refuse=partial(writer_refusal, write_token),
                       max_body=web.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(RequestValidationError)(_bad_params)
    app.include_router(pages.router)
    app.include_router(api.router)
    return app


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        lstrip_blocks=True,
    )
    env.filters.update(snippet_html=pages.snippet_html, paragraphs=pages.paragraphs,
                       safe_url=pages.safe_url, mark_value=mark_value,
                       lang_attrs=lang_attrs)
    env.globals.update(query=pages.query_string, shown=pages.SHOWN_ITEMS)
    return env


# -- errors -----------------------------------------------------------------------
def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    if _is_api(request):
        return JSONResponse({"error": detail}, exc.status_code, headers=exc.headers)
    return pages.render(request, "error.html", exc.status_code, status=exc.status_code,
                  message=detail)


async def _bad_params(request: Request, exc: RequestValidationError) -> Response:
    message = "; ".join(_describe(e) for e in exc.errors()) or "invalid request"
    if _is_api(request):
        return JSONResponse({"error": message}, 422)
    return pages.render(request, "error.html", 422, status=422, message=message)


MAX_ID = 2**63 - 1  # the largest id a store can hold (SQLite INTEGER, PostgreSQL BIGINT)


def _ids_in_range(request: Request) -> None:
    """An id path parameter beyond what a store holds names nothing: 404, as an unknown
    id is, before it reaches the database (where it would not fit)."""
    for name, value in request.path_params.items():
        digits = str(value).lstrip("+-")
        if name.endswith("_id") and digits.isdigit() and (len(digits) > 19
                                                          or int(digits) > MAX_ID):
            raise HTTPException(404, f"no {name.removesuffix('_id')} with id {str(value)[:40]}")


def _describe(error: dict[str, Any]) -> str:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body", "header")]
    msg = str(error.get("msg", "invalid"))
    return f"{'.'.join(loc)}: {msg}" if loc else msg


def _version() -> str:
    from storydesk import __version__

    return __version__
