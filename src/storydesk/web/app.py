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
import logging
import os
import re
import threading
from collections import defaultdict
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

from storydesk.extract.text import leading_text
from storydesk.models import Article, RawDocument, Story
from storydesk.settings import Settings
from storydesk.store import bracketed, snippet_parts
from storydesk.store.query import QueryError
from storydesk.web.views import (
    atom_feed,
    comparison_view,
    lang_attrs,
    mark_value,
    sentence_paragraphs,
    timeline,
)

if TYPE_CHECKING:
    from storydesk.desk import Desk

HERE = Path(__file__).parent
PAGE_SIZE = 30  # stories or articles per page of a listing
FEED_SIZE = 50  # stories in /feed.atom
COVERAGE_DAYS = 14  # days shown in a story's coverage bar on the front page
API_MAX_LIMIT = 200  # largest page the JSON API hands out
SEARCH_LIMIT = 50  # results on the search page
TOP_CITED = 5  # agencies shown per outlet on /sources
MAX_BODY_CHARS = 20_000_000  # text or html of one POSTed article
SHOWN_ITEMS = 8  # facts or contradictions in a list of the comparison before "more"

log = logging.getLogger(__name__)

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


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WriteGuard:
    """ASGI middleware in front of every API write: the token is checked from the
    headers before one byte of the body is read (401/403, never a JSON error first),
    and the body is read only up to ``max_body`` bytes (413 beyond), then handed on."""

    def __init__(self, app: ASGIApp, refuse: Any, max_body: int):
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
    entities_model: str | None = None
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


class StoryBrief(BaseModel):
    """A story without the per-article reasons (listings)."""

    id: int
    title: str
    article_ids: list[int]
    outlets: list[str]
    first_date: str | None = None
    last_date: str | None = None
    entities: list[Any] = []


class StoryOut(StoryBrief):
    why: dict[int, dict[str, Any]] = Field(
        description="Per article id: why it is in the story (shared entities and terms, "
                    "days apart, similarity).")


class StoryList(BaseModel):
    items: list[StoryBrief]
    limit: int
    offset: int


class ComparedArticle(BaseModel):
    id: int
    title: str
    outlet: str | None = None
    date: str | None = None


class ComparisonOut(BaseModel):
    """A story's articles compared, as ``storydesk compare --story ID --json`` prints it."""

    model_config = ConfigDict(extra="allow")

    story_id: int
    articles: list[ComparedArticle]
    comparison: dict[str, Any] = Field(
        description="shared and partial facts, unique {article_id: facts}, contradictions "
                    "(each with its sides), cited {article_id: sources}, rewrites, tone "
                    "{article_id: ...}, framing, similarity; every fact and side cites "
                    "(article_id, sentence).")
    cached: bool = Field(description="Read from the store rather than computed now.")


class SourceRef(BaseModel):
    article_id: int
    sentence: int = Field(description="Index of the sentence in the article's clean text.")


class SummarySentenceOut(BaseModel):
    text: str
    sources: list[SourceRef]


class SummaryOut(BaseModel):
    """A summary: ``summary`` lists its sentences, each with every (article, sentence)
    that states it."""

    model_config = ConfigDict(extra="allow")

    summary: list[SummarySentenceOut]


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


def snippet_html(snippet: str) -> Markup:
    """The store's snippet with its matches as ``<mark>``; everything else escaped."""
    return Markup("").join(Markup("<mark>{}</mark>").format(part) if hit else escape(part)
                           for part, hit in snippet_parts(snippet))


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
        dependencies=[Depends(_ids_in_range)],
    )
    app.state.desk = the_desk

    def writer_refusal(authorization: str | None) -> HTTPException | None:
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

    web = (getattr(the_desk, "settings", None) or Settings()).web
    app.add_middleware(WriteGuard, refuse=writer_refusal, max_body=web.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        lstrip_blocks=True,
    )
    env.filters.update(snippet_html=snippet_html, paragraphs=paragraphs, safe_url=safe_url,
                       mark_value=mark_value, lang_attrs=lang_attrs)
    env.globals.update(query=_query, shown=SHOWN_ITEMS)

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
    def first_sentence(story_id: int) -> str:
        try:
            summ = the_desk.story_summary(story_id, sentences=1)
        except Exception:  # a summary is a nicety on a listing: never break the page
            return ""
        return summ.sentences[0].text if summ and summ.sentences else ""

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def front(
        request: Request,
        outlet: str | None = None,
        since: str | None = None,
        cited: Annotated[str | None, Query(max_length=500)] = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        outlet, since, cited = _outlet(outlet), _since(since), _outlet(cited)
        start = (page - 1) * PAGE_SIZE
        rows = the_desk.stories(limit=PAGE_SIZE + 1, offset=start, outlet=outlet, since=since,
                                cited=cited)
        shown = rows[:PAGE_SIZE]
        briefs = {a.id: a for a in the_desk.store.articles_by_ids(
            [i for st in shown for i in st.article_ids], with_text=False)}
        items = [{"story": st, "lead": first_sentence(st.id),
                  "bars": _coverage_bars([briefs[i] for i in st.article_ids if i in briefs])}
                 for st in shown]
        # "/?outlet=TASS" finds no story when TASS is only cited: say where its stories are
        cites_instead = (the_desk.store.count_stories(since=since, cited=outlet)
                         if outlet and not rows and not cited else 0)
        return render(
            request, "front.html", items=items, outlet=outlet or "", since=since or "",
            cited=cited or "", page=page, has_next=len(rows) > PAGE_SIZE,
            total=the_desk.store.count_stories(since=since, outlet=outlet, cited=cited),
            cites_instead=cites_instead,
        )

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(
        request: Request,
        outlet: str | None = None,
        since: str | None = None,
        cited: Annotated[str | None, Query(max_length=500)] = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        outlet, since, cited = _outlet(outlet), _since(since), _outlet(cited)
        rows = sorted(the_desk.articles(limit=None, outlet=outlet, since=since, cited=cited),
                      key=_chrono_key, reverse=True)
        start = (page - 1) * PAGE_SIZE
        return render(
            request, "articles.html",
            articles=rows[start:start + PAGE_SIZE], total=len(rows), outlet=outlet or "",
            since=since or "", cited=cited or "", page=page, has_next=start + PAGE_SIZE < len(rows),
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: int) -> HTMLResponse:
        st = the_desk.story(story_id)
        if st is None:
            raise HTTPException(404, f"No story with id {story_id}.")
        arts = sorted(the_desk.store.articles_by_ids(st.article_ids, with_text=False),
                      key=_chrono_key)
        summ = the_desk.story_summary(story_id)
        number = {a.id: n for n, a in enumerate(arts, 1)}
        return render(request, "story.html", st=st, articles=arts, number=number,
                      summary=summ.to_dict()["summary"] if summ else [],
                      timeline=timeline(arts), **compared(story_id, arts, number))

    def compared(story_id: int, arts: list[Article], number: dict[int, int]) -> dict[str, Any]:
        """The story page's comparison (none for one article). A failure here is logged
        and leaves the rest of the page standing."""
        if len(arts) < 2:
            return {"compared": None, "compare_failed": False}
        try:
            data = the_desk.story_comparison(story_id)
        except Exception:
            log.exception("comparing story %s failed", story_id)
            return {"compared": None, "compare_failed": True}
        return {"compared": comparison_view(data, arts, number) if data else None,
                "compare_failed": False}

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int) -> HTMLResponse:
        a = the_desk.article(article_id)
        if a is None:
            raise HTTPException(404, f"No article with id {article_id}.")
        prev_a, next_a, story = neighbours(a)
        original = the_desk.article(a.duplicate_of) if a.duplicate_of else None
        copies = the_desk.store.copies_of(article_id)
        by_type: dict[str, list[Any]] = defaultdict(list)
        for e in sorted(a.entities, key=lambda e: (-e.count, e.name)):
            by_type[e.type].append(e)
        head = leading_text(a.text, web.page_chars)  # the work of one view is bounded
        return render(request, "article.html", a=a, prev_a=prev_a, next_a=next_a,
                      original=original, copies=copies, entities=dict(by_type), story=story,
                      sentences=sentence_paragraphs(head), rest=a.text[len(head):])

    @app.get("/articles/{article_id}/summary", response_class=HTMLResponse,
             include_in_schema=False)
    def article_summary_page(request: Request, article_id: int) -> HTMLResponse:
        a = the_desk.article(article_id)
        summ = the_desk.summary(article_id) if a else None
        if a is None or summ is None:
            raise HTTPException(404, f"No article with id {article_id}.")
        return render(request, "summary.html", a=a, sentences=summ.indexed)

    def neighbours(a: Article) -> tuple[Article | None, Article | None, Story | None]:
        """Previous and next article: within the article's story first, then by date over
        all articles (indexed lookups, whatever the store's size)."""
        sid = the_desk.story_of(a.id) if a.id else None
        story = the_desk.story(sid) if sid is not None else None
        prev_a = next_a = None
        if story and len(story.article_ids) > 1:
            members = sorted(the_desk.store.articles_by_ids(story.article_ids, with_text=False),
                             key=_chrono_key)
            k = next((i for i, x in enumerate(members) if x.id == a.id), None)
            if k is not None:
                prev_a = members[k - 1] if k > 0 else None
                next_a = members[k + 1] if k + 1 < len(members) else None
        if prev_a is None or next_a is None:
            before, after = the_desk.store.adjacent_articles(a)
            prev_a, next_a = prev_a or before, next_a or after
        return prev_a, next_a, story

    @app.get("/feed.atom", include_in_schema=False)
    def feed(request: Request) -> Response:
        rows = the_desk.stories(limit=FEED_SIZE)
        leads = {st.id: first_sentence(st.id) for st in rows}
        base = str(request.base_url).rstrip("/") + request.scope.get("root_path", "")
        return Response(atom_feed(rows, base, leads), media_type="application/atom+xml")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, q: Annotated[str, Query(max_length=500)] = ""
    ) -> HTMLResponse:
        q = q.strip()
        try:
            hits = the_desk.search(q, limit=SEARCH_LIMIT) if q else []
        except QueryError as e:
            return render(request, "search.html", 400, q=q, hits=[], problem=str(e))
        return render(request, "search.html", q=q, hits=hits, problem=None)

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(request: Request) -> HTMLResponse:
        return render(request, "sources.html", outlets=the_desk.outlets(TOP_CITED))

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
        cited: Annotated[str | None, Query(max_length=500, description="Only articles citing "
                                           "this source (any case).")] = None,
    ) -> dict[str, Any]:
        """Stored articles, oldest first (by id), without their text; ``total`` counts
        all that match the filters."""
        outlet, since, cited = _outlet(outlet), _since(since), _outlet(cited)
        total = the_desk.store.count_articles(outlet=outlet, since=since, cited=cited)
        rows = the_desk.articles(limit=limit, offset=offset, outlet=outlet, since=since,
                                 cited=cited)
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
                                description='Words to find (all); a OR b; -word; "quoted words" '
                                            "as a phrase; prefix*.")],
        limit: Annotated[int, Query(ge=1, le=API_MAX_LIMIT)] = 20,
    ) -> dict[str, Any]:
        """Full-text search over titles and text, best first: words all required,
        ``a OR b``, ``-word``/``NOT word``, ``"phrases"``, ``prefix*``. A query that asks
        for nothing (only excluded words, no word at all) is a 422 with the reason."""
        try:
            hits = the_desk.search(q, limit=limit)
        except QueryError as e:
            raise HTTPException(422, str(e)) from None
        return {"query": q, "items": [{**_brief(a), "snippet": bracketed(s)} for a, s in hits]}

    @app.get("/api/stories", response_model=StoryList, responses=errors, tags=["stories"])
    def api_stories(
        limit: Annotated[int, Query(ge=1, le=API_MAX_LIMIT)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
        outlet: Annotated[str | None, Query(description="Only stories with an article of "
                                                        "this outlet.")] = None,
        since: Annotated[str | None, Query(description="Only stories whose last article is "
                                                       "on or after this date.")] = None,
        cited: Annotated[str | None, Query(max_length=500, description="Only stories with an "
                                           "article citing this source.")] = None,
    ) -> dict[str, Any]:
        """Stories, latest first, without the per-article reasons."""
        rows = the_desk.stories(limit=limit, offset=offset, outlet=_outlet(outlet),
                                since=_since(since), cited=_outlet(cited))
        return {"items": [st.to_dict(with_why=False) for st in rows], "limit": limit,
                "offset": offset}

    @app.get("/api/stories/{story_id}", response_model=StoryOut, responses=errors,
             tags=["stories"])
    def api_story(story_id: Annotated[int, PathParam(ge=1)]) -> dict[str, Any]:
        """One story: its articles and why each one is in it."""
        st = the_desk.story(story_id)
        if st is None:
            raise HTTPException(404, f"no story with id {story_id}")
        return st.to_dict()

    @app.get("/api/stories/{story_id}/summary", response_model=SummaryOut, responses=errors,
             tags=["summaries"])
    def api_story_summary(
        story_id: Annotated[int, PathParam(ge=1)],
        sentences: Annotated[int | None, Query(ge=1, le=50)] = None,
        words: Annotated[int | None, Query(ge=10, le=5000)] = None,
    ) -> dict[str, Any]:
        """The story's summary; each sentence lists every article sentence stating it.
        Only the default length is kept in the store; other lengths are made each time."""
        summ = the_desk.story_summary(story_id, sentences, words,
                                      save=sentences is None and words is None)
        if summ is None:
            raise HTTPException(404, f"no story with id {story_id}")
        return summ.to_dict()

    @app.get("/api/stories/{story_id}/comparison", response_model=ComparisonOut,
             responses=errors, tags=["stories"])
    def api_story_comparison(story_id: Annotated[int, PathParam(ge=1)]) -> dict[str, Any]:
        """The story's articles compared: facts all report, facts some or one report (what
        the others leave out), contradictions with both sides, cited sources, tone and
        framing, pairwise similarity. Kept in the store; made again when the story changes."""
        try:
            data = the_desk.story_comparison(story_id)
        except ValueError as e:
            raise HTTPException(422, str(e)) from None
        if data is None:
            raise HTTPException(404, f"no story with id {story_id}")
        return data

    @app.get("/api/articles/{article_id}/summary", response_model=SummaryOut,
             responses=errors, tags=["summaries"])
    def api_article_summary(
        article_id: Annotated[int, PathParam(ge=1)],
        sentences: Annotated[int | None, Query(ge=1, le=50)] = None,
        words: Annotated[int | None, Query(ge=10, le=5000)] = None,
    ) -> dict[str, Any]:
        """The article's summary: its best sentences in article order, with their index.
        Only the default length is kept in the store; other lengths are made each time."""
        summ = the_desk.summary(article_id, sentences, words,
                                save=sentences is None and words is None)
        if summ is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return summ.to_dict()

    def require_writer(authorization: Annotated[str | None, Header()] = None) -> None:
        """The same check as ``WriteGuard`` (which runs before the body is read), kept
        on the route itself so that it holds wherever the app is mounted."""
        if (refused := writer_refusal(authorization)) is not None:
            raise refused

    @app.post(
        "/api/articles", status_code=201, response_model=Ingested, tags=["articles"],
        dependencies=[Depends(require_writer)],
        responses={200: {"model": Ingested, "description": "Already stored: the existing id."},
                   401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                   413: {"model": ErrorOut}, 422: {"model": ErrorOut}},
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


def _coverage_bars(arts: list[Article]) -> list[int]:
    """Articles per day over the story's last ``COVERAGE_DAYS`` days (oldest first)."""
    days = sorted(a.date[:10] for a in arts if a.date)
    if not days:
        return []
    try:
        last = Date.fromisoformat(days[-1])
    except ValueError:
        return []
    counts = [0] * COVERAGE_DAYS
    for d in days:
        try:
            back = (last - Date.fromisoformat(d)).days
        except ValueError:
            continue
        if 0 <= back < COVERAGE_DAYS:
            counts[COVERAGE_DAYS - 1 - back] += 1
    return counts


def _version() -> str:
    from storydesk import __version__

    return __version__
