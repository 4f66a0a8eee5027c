"""The reader's HTML pages, rendered on the server with Jinja2 (autoescaped: article
text is untrusted); none needs JavaScript."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from datetime import date as Date
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from storydesk.extract.text import leading_text
from storydesk.models import Article, Story
from storydesk.store import snippet_parts
from storydesk.store.query import QueryError
from storydesk.web.state import State, WebState, name_filter, since_filter, web_state
from storydesk.web.views import atom_feed, comparison_view, sentence_paragraphs, timeline

PAGE_SIZE = 30  # stories or articles per page of a listing
FEED_SIZE = 50  # stories in /feed.atom
COVERAGE_DAYS = 14  # days shown in a story's coverage bar on the front page
SEARCH_LIMIT = 50  # results on the search page
TOP_CITED = 5  # agencies shown per outlet on /sources
SHOWN_ITEMS = 8  # facts or contradictions in a list of the comparison before "more"

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)


# -- template helpers -------------------------------------------------------------
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


def query_string(**params: Any) -> str:
    """A query string of the non-empty parameters (page 1 is the default, left out)."""
    kept = {k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)}
    return ("?" + urlencode(kept)) if kept else ""


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    """The template ``name`` of the app serving ``request`` as a page."""
    ctx.setdefault("root", request.scope.get("root_path", ""))
    ctx.setdefault("q", "")
    templates = web_state(request).templates
    return HTMLResponse(templates.get_template(name).render(request=request, **ctx),
                        status_code=status_code)


def _chrono_key(a: Article) -> tuple[str, int]:
    return (a.date or "", a.id or 0)


def _first_sentence(state: WebState, story_id: int) -> str:
    try:
        summ = state.desk.story_summary(story_id, sentences=1)
    except Exception:  # a summary is a nicety on a listing: never break the page
        return ""
    return summ.sentences[0].text if summ and summ.sentences else ""


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


# -- pages ------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def front(
    request: Request,
    state: State,
    outlet: str | None = None,
    since: str | None = None,
    cited: Annotated[str | None, Query(max_length=500)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    desk = state.desk
    outlet, since, cited = name_filter(outlet), since_filter(since), name_filter(cited)
    start = (page - 1) * PAGE_SIZE
    shown = desk.stories(limit=PAGE_SIZE, offset=start, outlet=outlet, since=since,
                         cited=cited)
    total = desk.count_stories(since=since, outlet=outlet, cited=cited)
    briefs = {a.id: a for a in desk.articles_by_ids([i for st in shown for i in st.article_ids])}
    items = [{"story": st, "lead": _first_sentence(state, st.id),
              "bars": _coverage_bars([briefs[i] for i in st.article_ids if i in briefs])}
             for st in shown]
    # "/?outlet=TASS" finds no story when TASS is only cited: say where its stories are
    cites_instead = (desk.count_stories(since=since, cited=outlet)
                     if outlet and not total and not cited else 0)
    return render(
        request, "front.html", items=items, outlet=outlet or "", since=since or "",
        cited=cited or "", page=page, has_next=start + PAGE_SIZE < total, total=total,
        cites_instead=cites_instead,
    )


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    state: State,
    outlet: str | None = None,
    since: str | None = None,
    cited: Annotated[str | None, Query(max_length=500)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    desk = state.desk
    outlet, since, cited = name_filter(outlet), since_filter(since), name_filter(cited)
    start = (page - 1) * PAGE_SIZE
    rows = desk.articles(limit=PAGE_SIZE, offset=start, outlet=outlet, since=since,
                         cited=cited, newest_first=True)
    total = desk.count_articles(outlet=outlet, since=since, cited=cited)
    return render(
        request, "articles.html",
        articles=rows, total=total, outlet=outlet or "",
        since=since or "", cited=cited or "", page=page, has_next=start + PAGE_SIZE < total,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, state: State, story_id: int) -> HTMLResponse:
    desk = state.desk
    st = desk.story(story_id)
    if st is None:
        raise HTTPException(404, f"No story with id {story_id}.")
    arts = sorted(desk.articles_by_ids(st.article_ids), key=_chrono_key)
    try:
        summ = desk.story_summary(story_id)
    except Exception:  # the articles and the comparison still stand without it
        log.exception("summarising story %s failed", story_id)
        summ, summary_failed = None, True
    else:
        summary_failed = False
    sd = summ.to_dict() if summ else {}
    number = {a.id: n for n, a in enumerate(arts, 1)}
    return render(request, "story.html", st=st, articles=arts, number=number,
                  summary=sd.get("summary", []), readability=sd.get("readability"),
                  summary_failed=summary_failed, timeline=timeline(arts),
                  **_compared(state, story_id, arts, number))


def _compared(state: WebState, story_id: int, arts: list[Article],
              number: dict[int, int]) -> dict[str, Any]:
    """The story page's comparison (none for one article). A failure here is logged
    and leaves the rest of the page standing."""
    if len(arts) < 2:
        return {"compared": None, "compare_failed": False}
    try:
        data = state.desk.story_comparison(story_id)
    except Exception:
        log.exception("comparing story %s failed", story_id)
        return {"compared": None, "compare_failed": True}
    return {"compared": comparison_view(data, arts, number) if data else None,
            "compare_failed": False}


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, state: State, article_id: int) -> HTMLResponse:
    desk = state.desk
    a = desk.article(article_id)
    if a is None:
        raise HTTPException(404, f"No article with id {article_id}.")
    prev_a, next_a, story = _neighbours(state, a)
    original = desk.article(a.duplicate_of) if a.duplicate_of else None
    copies = desk.copies_of(article_id)
    by_type: dict[str, list[Any]] = defaultdict(list)
    for e in sorted(a.entities, key=lambda e: (-e.count, e.name)):
        by_type[e.type].append(e)
    head = leading_text(a.text, state.settings.page_chars)  # the work of one view is bounded
    return render(request, "article.html", a=a, prev_a=prev_a, next_a=next_a,
                  original=original, copies=copies, entities=dict(by_type), story=story,
                  sentences=sentence_paragraphs(head), rest=a.text[len(head):])


@router.get("/articles/{article_id}/summary", response_class=HTMLResponse)
def article_summary_page(request: Request, state: State, article_id: int) -> HTMLResponse:
    a = state.desk.article(article_id)
    summ = state.desk.summary(article_id) if a else None
    if a is None or summ is None:
        raise HTTPException(404, f"No article with id {article_id}.")
    return render(request, "summary.html", a=a, sentences=summ.indexed)


def _neighbours(state: WebState,
                a: Article) -> tuple[Article | None, Article | None, Story | None]:
    """Previous and next article: within the article's story first, then by date over
    all articles (indexed lookups, whatever the store's size)."""
    desk = state.desk
    sid = desk.story_of(a.id) if a.id else None
    story = desk.story(sid) if sid is not None else None
    prev_a = next_a = None
    if story and len(story.article_ids) > 1:
        members = sorted(desk.articles_by_ids(story.article_ids), key=_chrono_key)
        k = next((i for i, x in enumerate(members) if x.id == a.id), None)
        if k is not None:
            prev_a = members[k - 1] if k > 0 else None
            next_a = members[k + 1] if k + 1 < len(members) else None
    if prev_a is None or next_a is None:
        before, after = desk.adjacent_articles(a)
        prev_a, next_a = prev_a or before, next_a or after
    return prev_a, next_a, story


@router.get("/feed.atom")
def feed(request: Request, state: State) -> Response:
    rows = state.desk.stories(limit=FEED_SIZE)
    leads = {st.id: _first_sentence(state, st.id) for st in rows}
    base = str(request.base_url).rstrip("/") + request.scope.get("root_path", "")
    return Response(atom_feed(rows, base, leads), media_type="application/atom+xml")


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, state: State, q: Annotated[str, Query(max_length=500)] = ""
) -> HTMLResponse:
    q = q.strip()
    try:
        hits = state.desk.search(q, limit=SEARCH_LIMIT) if q else []
    except QueryError as e:
        return render(request, "search.html", 400, q=q, hits=[], problem=str(e))
    return render(request, "search.html", q=q, hits=hits, problem=None)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, state: State) -> HTMLResponse:
    return render(request, "sources.html", outlets=state.desk.outlets(TOP_CITED))
