"""The web reader and JSON API: one FastAPI app over a ``Desk``.

    from storydesk.web import create_app
    app = create_app("news.db")          # serve with uvicorn

HTML pages are rendered on the server with Jinja2 (autoescaped: article text is
untrusted) and need no JavaScript. The JSON API lives under ``/api/``; its
errors are ``{"error": "..."}``. Writing (``POST /api/articles``) needs
``Authorization: Bearer <STORYDESK_TOKEN>``; with no token set the API is read-only.
"""

from __future__ import annotations

import hmac
import os
import re
import threading
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storydesk.models import Article, RawDocument

if TYPE_CHECKING:
    from storydesk.desk import Desk

HERE = Path(__file__).parent
PAGE_SIZE = 30  # articles per page of the front page
API_MAX_LIMIT = 200  # largest page the JSON API hands out
SEARCH_LIMIT = 50  # results on the search page
TOP_CITED = 5  # agencies shown per outlet on /sources
MAX_BODY_CHARS = 20_000_000  # text or html of one POSTed article

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


# -- JSON shapes ---------------------------------------------------------------
class EntityOut(BaseModel):
    name: str
    type: str
    count: int


class ArticleBrief(BaseModel):
    """An article without its text (listings, search results)."""

    id: int
    title: str
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    author: str | None = None
    cited: list[str] = []
    entities: list[EntityOut] = []
    duplicate_of: int | None = None
    duplicate_share: float | None = None
    word_count: int = 0


class ArticleOut(ArticleBrief):
    text: str


class ArticleList(BaseModel):
    items: list[ArticleBrief]
    total: int
    limit: int
    offset: int


class SearchHit(ArticleBrief):
    snippet: str = Field(description="Text around the matches; matched words are in [brackets].")


class SearchResults(BaseModel):
    query: str
    items: list[SearchHit]


class ArticleIn(BaseModel):
    """One article to ingest: ``text`` (plain) or ``html`` (a whole page), not both."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=2000)
    text: str | None = Field(None, max_length=MAX_BODY_CHARS)
    html: str | None = Field(None, max_length=MAX_BODY_CHARS)
    url: str | None = Field(None, max_length=4000)
    date: str | None = Field(None, max_length=64)
    outlet: str | None = Field(None, max_length=500)
    author: str | None = Field(None, max_length=1000)

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if bool(self.text) == bool(self.html):
            raise ValueError("give exactly one of text or html")
        return self


class Ingested(BaseModel):
    id: int
    status: Literal["added", "duplicate"]
    article: ArticleOut | None = None


class ErrorOut(BaseModel):
    error: str


def _brief(a: Article) -> dict[str, Any]:
    d = a.to_dict(with_text=False)
    return {k: d[k] for k in ArticleBrief.model_fields}


def _full(a: Article) -> dict[str, Any]:
    return {**_brief(a), "text": a.text}


# -- helpers shared by pages and API ------------------------------------------
def _since(value: str | None) -> str | None:
    """A ``since`` parameter: empty means none; else a date YYYY-MM-DD (time allowed)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        Date.fromisoformat(value[:10])
    except ValueError:
        raise HTTPException(422, f"since: expected a date YYYY-MM-DD, got {value[:40]!r}") from None
    if len(value) > 10 and value[10] not in "T ":
        raise HTTPException(422, f"since: expected a date YYYY-MM-DD, got {value[:40]!r}")
    return value


def _outlet(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _chrono_key(a: Article) -> tuple[str, int]:
    return (a.date or "", a.id or 0)


_MARK = re.compile(r"\[([^\]]*)\]")


def snippet_html(snippet: str) -> Markup:
    """The store's snippet with ``[match]`` marks as ``<mark>``; everything else escaped."""
    out = []
    for i, part in enumerate(_MARK.split(snippet)):
        out.append(Markup("<mark>{}</mark>").format(part) if i % 2 else escape(part))
    return Markup("").join(out)


def paragraphs(text: str) -> list[str]:
    """Clean text as paragraphs: blank lines separate them (else single line breaks)."""
    text = text.strip()
    if not text:
        return []
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.splitlines()
    return [p.strip() for p in parts if p.strip()]


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for an href, or None (no javascript:, data: ...)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _query(**params: Any) -> str:
    """A query string of the non-empty parameters (page 1 is the default, left out)."""
    kept = {k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)}
    return ("?" + urlencode(kept)) if kept else ""


# -- the app ------------------------------------------------------------------
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
    ingest_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        the_desk.close()

    app = FastAPI(
        title="storydesk",
        summary="A self-hosted news desk: articles from many outlets, searchable.",
        version=_version(),
        lifespan=lifespan,
    )
    app.state.desk = the_desk
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        lstrip_blocks=True,
    )
    env.filters.update(snippet_html=snippet_html, paragraphs=paragraphs, safe_url=safe_url)
    env.globals["query"] = _query

    def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("root", request.scope.get("root_path", ""))
        ctx.setdefault("q", "")
        return HTMLResponse(env.get_template(name).render(request=request, **ctx),
                            status_code=status_code)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/api"

    # -- errors -----------------------------------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if is_api(request):
            return JSONResponse({"error": detail}, exc.status_code, headers=exc.headers)
        return render(request, "error.html", exc.status_code, status=exc.status_code,
                      message=detail)

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError) -> Response:
        message = "; ".join(_describe(e) for e in exc.errors()) or "invalid request"
        if is_api(request):
            return JSONResponse({"error": message}, 422)
        return render(request, "error.html", 422, status=422, message=message)

    # -- pages --------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def front(
        request: Request,
        outlet: str | None = None,
        since: str | None = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        outlet, since = _outlet(outlet), _since(since)
        rows = sorted(the_desk.articles(limit=None, outlet=outlet, since=since),
                      key=_chrono_key, reverse=True)
        start = (page - 1) * PAGE_SIZE
        return render(
            request, "front.html",
            articles=rows[start:start + PAGE_SIZE], total=len(rows), outlet=outlet or "",
            since=since or "", page=page, has_next=start + PAGE_SIZE < len(rows),
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int) -> HTMLResponse:
        a = the_desk.article(article_id)
        if a is None:
            raise HTTPException(404, f"No article with id {article_id}.")
        everything = sorted(the_desk.articles(limit=None), key=_chrono_key)
        pos = next((i for i, x in enumerate(everything) if x.id == a.id), None)
        prev_a = everything[pos - 1] if pos else None
        next_a = everything[pos + 1] if pos is not None and pos + 1 < len(everything) else None
        original = the_desk.article(a.duplicate_of) if a.duplicate_of else None
        copies = [x for x in everything if x.duplicate_of == a.id]
        by_type: dict[str, list[Any]] = defaultdict(list)
        for e in sorted(a.entities, key=lambda e: (-e.count, e.name)):
            by_type[e.type].append(e)
        return render(request, "article.html", a=a, prev_a=prev_a, next_a=next_a,
                      original=original, copies=copies, entities=dict(by_type))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, q: Annotated[str, Query(max_length=500)] = ""
    ) -> HTMLResponse:
        q = q.strip()
        hits = the_desk.search(q, limit=SEARCH_LIMIT) if q else []
        return render(request, "search.html", q=q, hits=hits)

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(request: Request) -> HTMLResponse:
        return render(request, "sources.html", outlets=_outlet_table(the_desk.articles(limit=None)))

    # -- JSON API -------------------------------------------------------------
    errors: dict[int | str, dict[str, Any]] = {
        404: {"model": ErrorOut}, 422: {"model": ErrorOut}}

    @app.get("/api/articles", response_model=ArticleList, responses=errors, tags=["articles"])
    def api_articles(
        limit: Annotated[int, Query(ge=1, le=API_MAX_LIMIT)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
        outlet: Annotated[str | None, Query(description="Only this outlet (any case).")] = None,
        since: Annotated[str | None, Query(description="Only articles dated on or after "
                                                       "this date (YYYY-MM-DD).")] = None,
    ) -> dict[str, Any]:
        """Stored articles, oldest first (by id), without their text."""
        outlet, since = _outlet(outlet), _since(since)
        if outlet or since:
            total = len(the_desk.articles(limit=None, outlet=outlet, since=since))
        else:
            total = the_desk.store.count_articles()
        rows = the_desk.articles(limit=limit, offset=offset, outlet=outlet, since=since)
        return {"items": [_brief(a) for a in rows], "total": total, "limit": limit,
                "offset": offset}

    @app.get("/api/articles/{article_id}", response_model=ArticleOut, responses=errors,
             tags=["articles"])
    def api_article(article_id: Annotated[int, PathParam(ge=1)]) -> dict[str, Any]:
        """One article with its clean text."""
        a = the_desk.article(article_id)
        if a is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return _full(a)

    @app.get("/api/search", response_model=SearchResults, responses=errors, tags=["articles"])
    def api_search(
        q: Annotated[str, Query(min_length=1, max_length=500,
                                description='Words to find; "quoted words" as a phrase.')],
        limit: Annotated[int, Query(ge=1, le=API_MAX_LIMIT)] = 20,
    ) -> dict[str, Any]:
        """Full-text search over titles and text, best first."""
        hits = the_desk.search(q, limit=limit)
        return {"query": q, "items": [{**_brief(a), "snippet": s} for a, s in hits]}

    def require_writer(authorization: Annotated[str | None, Header()] = None) -> None:
        """Checked before the body is read: a read-only server or a wrong token ends here."""
        if not write_token:
            raise HTTPException(403, "this server is read-only: start it with STORYDESK_TOKEN "
                                     "set to allow POST /api/articles")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode(), write_token.encode()):
            raise HTTPException(401, "missing or wrong bearer token",
                                headers={"WWW-Authenticate": "Bearer"})

    @app.post(
        "/api/articles", status_code=201, response_model=Ingested, tags=["articles"],
        dependencies=[Depends(require_writer)],
        responses={200: {"model": Ingested, "description": "Already stored: the existing id."},
                   401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                   422: {"model": ErrorOut}},
    )
    def api_add(
        body: ArticleIn,
        response: Response,
    ) -> dict[str, Any]:
        """Ingest one article (needs ``Authorization: Bearer <STORYDESK_TOKEN>``)."""
        fields = {k: v for k, v in body.model_dump(exclude={"text", "html"}).items() if v}
        raw = RawDocument(
            origin="api",
            kind="html" if body.html else "text",
            content=body.html or body.text or "",
            url=body.url,
            fields=fields,
        )
        with ingest_lock:
            report = the_desk.add_document(raw)
        if report.failures:
            raise HTTPException(422, report.failures[0].reason)
        if report.duplicates:
            response.status_code = 200
            return {"id": report.duplicates[0][1], "status": "duplicate"}
        new_id = report.added[0]
        stored = the_desk.article(new_id)
        response.headers["Location"] = f"/api/articles/{new_id}"
        return {"id": new_id, "status": "added", "article": _full(stored) if stored else None}

    return app


def _describe(error: dict[str, Any]) -> str:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body", "header")]
    msg = str(error.get("msg", "invalid"))
    return f"{'.'.join(loc)}: {msg}" if loc else msg


def _outlet_table(rows: list[Article]) -> list[dict[str, Any]]:
    """Per outlet: article count, date range and the sources it cites most."""
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for a in rows:
        by_outlet[a.outlet or ""].append(a)
    table = []
    for name, arts in by_outlet.items():
        cited: Counter[str] = Counter(c for a in arts for c in dict.fromkeys(a.cited))
        dates = sorted(a.date[:10] for a in arts if a.date)
        table.append({
            "name": name,
            "count": len(arts),
            "first": dates[0] if dates else None,
            "last": dates[-1] if dates else None,
            "cited": cited.most_common(TOP_CITED),
            "duplicates": sum(1 for a in arts if a.duplicate_of),
        })
    table.sort(key=lambda r: (-r["count"], r["name"].lower()))
    return table


def _version() -> str:
    from storydesk import __version__

    return __version__
