"""The JSON API under ``/api/``: its shapes (the OpenAPI schema at ``/openapi.json``)
and routes. Errors are ``{"error": "..."}``; writing needs the token (``security``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field, model_validator

from storydesk.extract.dates import parse_date
from storydesk.models import Article, RawDocument
from storydesk.store import bracketed
from storydesk.store.query import QueryError
from storydesk.web.security import require_writer
from storydesk.web.state import State, name_filter, since_filter

API_MAX_LIMIT = 200  # largest page the JSON API hands out
MAX_BODY_CHARS = 20_000_000  # text or html of one POSTed article

router = APIRouter()


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
        if self.date and parse_date(self.date) is None:
            raise ValueError(f"date: not a date storydesk reads ({self.date[:64]!r}; "
                             "ISO 8601, RFC 822 or a Unix time)")
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


# -- routes -----------------------------------------------------------------------
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut}, 422: {"model": ErrorOut}}


@router.get("/api/articles", response_model=ArticleList, responses=ERRORS, tags=["articles"])
def api_articles(
    state: State,
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
    outlet, since, cited = name_filter(outlet), since_filter(since), name_filter(cited)
    total = state.desk.count_articles(outlet=outlet, since=since, cited=cited)
    rows = state.desk.articles(limit=limit, offset=offset, outlet=outlet, since=since,
                             cited=cited)
    return {"items": [_brief(a) for a in rows], "total": total, "limit": limit,
            "offset": offset}


@router.get("/api/articles/{article_id}", response_model=ArticleOut, responses=ERRORS,
            tags=["articles"])
def api_article(state: State, article_id: Annotated[int, PathParam(ge=1)]) -> dict[str, Any]:
    """One article with its clean text."""
    a = state.desk.article(article_id)
    if a is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return _full(a)


@router.get("/api/search", response_model=SearchResults, responses=ERRORS, tags=["articles"])
def api_search(
    state: State,
    q: Annotated[str, Query(min_length=1, max_length=500,
                            description='Words to find (all); a OR b; -word; "quoted words" '
                                        "as a phrase; prefix*.")],
    limit: Annotated[int, Query(ge=1, le=API_MAX_LIMIT)] = 20,
) -> dict[str, Any]:
    """Full-text search over titles and text, best first: words all required,
    ``a OR b``, ``-word``/``NOT word``, ``"phrases"``, ``prefix*``. A query that asks
    for nothing (only excluded words, no word at all) is a 422 with the reason."""
    try:
        hits = state.desk.search(q, limit=limit)
    except QueryError as e:
        raise HTTPException(422, str(e)) from None
    return {"query": q, "items": [{**_brief(a), "snippet": bracketed(s)} for a, s in hits]}


@router.get("/api/stories", response_model=StoryList, responses=ERRORS, tags=["stories"])
def api_stories(
    state: State,
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
    rows = state.desk.stories(limit=limit, offset=offset, outlet=name_filter(outlet),
                            since=since_filter(since), cited=name_filter(cited))
    return {"items": [st.to_dict(with_why=False) for st in rows], "limit": limit,
            "offset": offset}


@router.get("/api/stories/{story_id}", response_model=StoryOut, responses=ERRORS,
            tags=["stories"])
def api_story(state: State, story_id: Annotated[int, PathParam(ge=1)]) -> dict[str, Any]:
    """One story: its articles and why each one is in it."""
    st = state.desk.story(story_id)
    if st is None:
        raise HTTPException(404, f"no story with id {story_id}")
    return st.to_dict()


@router.get("/api/stories/{story_id}/summary", response_model=SummaryOut, responses=ERRORS,
            tags=["summaries"])
def api_story_summary(
    state: State,
    story_id: Annotated[int, PathParam(ge=1)],
    sentences: Annotated[int | None, Query(ge=1, le=50)] = None,
    words: Annotated[int | None, Query(ge=10, le=5000)] = None,
) -> dict[str, Any]:
    """The story's summary; each sentence lists every article sentence stating it.
    Only the default length is kept in the store; other lengths are made each time."""
    summ = state.desk.story_summary(story_id, sentences, words,
                                  save=sentences is None and words is None)
    if summ is None:
        raise HTTPException(404, f"no story with id {story_id}")
    return summ.to_dict()


@router.get("/api/stories/{story_id}/comparison", response_model=ComparisonOut,
            responses=ERRORS, tags=["stories"])
def api_story_comparison(
    state: State, story_id: Annotated[int, PathParam(ge=1)]
) -> dict[str, Any]:
    """The story's articles compared: facts all report, facts some or one report (what
    the others leave out), contradictions with both sides, cited sources, tone and
    framing, pairwise similarity. Kept in the store; made again when the story changes."""
    try:
        data = state.desk.story_comparison(story_id)
    except ValueError as e:
        raise HTTPException(422, str(e)) from None
    if data is None:
        raise HTTPException(404, f"no story with id {story_id}")
    return data


@router.get("/api/articles/{article_id}/summary", response_model=SummaryOut,
            responses=ERRORS, tags=["summaries"])
def api_article_summary(
    state: State,
    article_id: Annotated[int, PathParam(ge=1)],
    sentences: Annotated[int | None, Query(ge=1, le=50)] = None,
    words: Annotated[int | None, Query(ge=10, le=5000)] = None,
) -> dict[str, Any]:
    """The article's summary: its best sentences in article order, with their index.
    Only the default length is kept in the store; other lengths are made each time."""
    summ = state.desk.summary(article_id, sentences, words,
                            save=sentences is None and words is None)
    if summ is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return summ.to_dict()


@router.post(
    "/api/articles", status_code=201, response_model=Ingested, tags=["articles"],
    dependencies=[Depends(require_writer)],
    responses={200: {"model": Ingested, "description": "Already stored: the existing id."},
               401: {"model": ErrorOut}, 403: {"model": ErrorOut},
               413: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def api_add(
    state: State,
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
    report = state.desk.add_document(raw)
    if report.failures:
        raise HTTPException(422, report.failures[0].reason)
    if report.duplicates:
        response.status_code = 200
        return {"id": report.duplicates[0][1], "status": "duplicate"}
    new_id = report.added[0]
    stored = state.desk.article(new_id)
    response.headers["Location"] = f"/api/articles/{new_id}"
    return {"id": new_id, "status": "added", "article": _full(stored) if stored else None}

