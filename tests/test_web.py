"""The web reader and JSON API, through HTTP (FastAPI's TestClient) on a real store: each
test that uses the ``db`` fixture runs on SQLite and on PostgreSQL (conftest.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storydesk.models import AddReport, Article, Entity, Failure, RawDocument
from storydesk.store import Store
from storydesk.web import create_app
from storydesk.web import pages as webpages
from storydesk.web.pages import paragraphs, safe_url, snippet_html

try:  # the ingest pipeline (extract/*) may still be under construction
    from storydesk.desk import Desk
except ImportError:  # pragma: no cover - only while extract/* is incomplete
    Desk = None  # type: ignore[assignment,misc]

needs_pipeline = pytest.mark.skipif(Desk is None, reason="storydesk.desk not importable yet")

HOSTILE = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"


class _StoreReader:
    """Desk's reading half over a Store, for when Desk itself cannot be imported yet."""

    def __init__(self, db: str):
        self.store = Store(db)

    def article(self, article_id: int) -> Article | None:
        return self.store.get_article(article_id)

    def articles(self, **kw: Any) -> list[Article]:
        return self.store.list_articles(**kw)

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, str]]:
        return self.store.search(query, limit=limit)

    def add_document(self, raw: RawDocument) -> Any:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:
        self.store.close()


def _insert(store: Store, title: str, text: str, n: int, **kw: Any) -> int:
    a = Article(title=title, text=text, word_count=len(text.split()), **kw)
    return store.insert_article(a, url_key=None, text_hash=f"hash-{n}", signature=None,
                                band_keys=[])


@pytest.fixture
def db(store_db: str) -> str:
    """A store with four articles; ids 1..4, dated so that date order differs from id order."""
    path = store_db
    store = Store(path)
    _insert(store, "Harbour cranes idle in Karsk",
            "Dock workers in Karsk stopped work on Monday over pay.\n\n"
            "The port authority said talks would resume on Friday, according to Reuters.",
            1, outlet="Northgate Daily", date="2026-03-02", author="Mira Holt",
            cited=["Reuters"], url="https://northgate.test/cranes",
            entities=[Entity("Karsk", "place", 2), Entity("Port Authority", "organisation")])
    _insert(store, "Budget vote delayed in Valdoria",
            "Parliament in Valdoria voted on Thursday to delay the national budget by a month.",
            2, outlet="Meridian Post", date="2026-03-01", cited=["TASS", "Reuters"])
    _insert(store, "Karsk dockers strike over pay",
            "Dock workers in Karsk stopped work on Monday over pay, Reuters reported.",
            3, outlet="Meridian Post", date="2026-03-03", cited=["Reuters"], duplicate_of=1,
            duplicate_share=0.62)
    _insert(store, f"Hostile {HOSTILE}",
            f"Paragraph one {HOSTILE} with the word crane.\n\nParagraph two.",
            4, outlet=f"Evil {HOSTILE}", date="2026-03-04", cited=[HOSTILE],
            url="javascript:alert(1)", entities=[Entity(HOSTILE, "person")])
    store.close()
    return path


def _client(db: str, **kw: Any) -> TestClient:
    if Desk is None:  # pragma: no cover
        return TestClient(create_app(desk=_StoreReader(db), **kw))  # type: ignore[arg-type]
    return TestClient(create_app(db, **kw))


@pytest.fixture
def client(db: str):
    with _client(db, token="") as c:
        yield c


def _titles_in_order(html: str) -> list[str]:
    return re.findall(r'class="item-title" href="/articles/\d+"[^>]*>([^<]*)<', html)


# -- pages ---------------------------------------------------------------------
def test_articles_page_lists_latest_first_with_outlet_date_and_cited(client):
    r = client.get("/articles")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    titles = _titles_in_order(r.text)
    assert titles[1:] == ["Karsk dockers strike over pay", "Harbour cranes idle in Karsk",
                          "Budget vote delayed in Valdoria"]
    assert "Northgate Daily" in r.text and "2026-03-02" in r.text
    assert re.search(r"cites <a [^>]*>TASS</a>, <a [^>]*>Reuters</a>", r.text)
    assert 'href="/articles?cited=TASS"' in r.text
    assert 'action="/search"' in r.text  # the search box
    assert "4 articles" in r.text


def test_articles_page_filters_by_outlet_and_since(client):
    r = client.get("/articles", params={"outlet": "meridian post"})
    assert _titles_in_order(r.text) == ["Karsk dockers strike over pay",
                                        "Budget vote delayed in Valdoria"]
    r = client.get("/articles", params={"since": "2026-03-02", "outlet": ""})
    assert len(_titles_in_order(r.text)) == 3
    assert "Budget vote" not in r.text
    r = client.get("/articles", params={"since": "not-a-date"})
    assert r.status_code == 422 and "since" in r.text


def test_articles_page_paginates(client, monkeypatch):
    monkeypatch.setattr(webpages, "PAGE_SIZE", 3)
    first = client.get("/articles").text
    assert len(_titles_in_order(first)) == 3
    assert 'href="/articles?page=2"' in first and "Newer" not in first
    second = client.get("/articles?page=2").text
    assert _titles_in_order(second) == ["Budget vote delayed in Valdoria"]
    assert 'href="/articles"' in second and "Older" not in second
    assert client.get("/articles?page=0").status_code == 422


def test_article_page_shows_text_metadata_and_neighbours(client):
    r = client.get("/articles/1")
    assert r.status_code == 200
    html = r.text
    assert re.search(r"<h1[^>]*>Harbour cranes idle in Karsk</h1>", html)
    assert ('<span class="sentence" id="s0">Dock workers in Karsk stopped work on Monday '
            "over pay." in html)
    assert '">The port authority said talks would resume on Friday' in html
    assert 'href="/articles/1/summary"' in html and "No time to read? Get a summary" in html
    assert "by Mira Holt" in html and "Reuters" in html
    assert "Karsk" in html and "Port Authority" in html and "Place" in html
    assert 'href="https://northgate.test/cranes"' in html
    # By date: 2 (03-01) < 1 (03-02) < 3 (03-03) < 4 (03-04).
    assert re.search(r'rel="prev" href="/articles/2"><span>Previous Article</span>'
                     r"Budget vote delayed in Valdoria</a>", html)
    assert re.search(r'rel="next" href="/articles/3"><span>Next Article</span>'
                     r"Karsk dockers strike over pay</a>", html)
    # Article 3 copies it, so it is listed here.
    assert "Copies of this article" in html
    first = client.get("/articles/2").text
    assert "Previous Article" not in first and 'href="/articles/1"><span>Next Article' in first


def test_article_page_links_the_article_it_copies(client):
    html = client.get("/articles/3").text
    assert 'A copy of <a href="/articles/1">Harbour cranes idle in Karsk</a>' in html
    assert "62% of the text in common" in html


def test_unknown_article_page_is_404_html(client):
    r = client.get("/articles/999")
    assert r.status_code == 404 and "No article with id 999" in r.text
    assert r.headers["content-type"].startswith("text/html")
    assert client.get("/articles/abc").status_code == 422
    assert client.get("/no/such/page").status_code == 404


def test_search_page_highlights_matches(client):
    r = client.get("/search", params={"q": "dock workers"})
    assert r.status_code == 200
    assert "<mark>Dock</mark> <mark>workers</mark>" in r.text
    assert "2 results" in r.text
    assert client.get("/search").status_code == 200  # empty form
    assert "No articles match “zebra”" in client.get("/search", params={"q": "zebra"}).text


def test_sources_page_counts_outlets_and_cited_agencies(client):
    html = client.get("/sources").text
    row = re.search(r"Meridian Post</a></td>(.*?)</tr>", html, re.S)
    assert row, html
    assert ">2 <small>(1 copies)</small>" in row.group(1)
    assert ">Reuters</a> <small>(2)</small>" in row.group(1)
    assert ">TASS</a> <small>(1)</small>" in row.group(1)
    assert html.index("Meridian Post") < html.index("Northgate Daily")  # most articles first


# -- safety ----------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/articles", "/articles/4", "/search?q=crane", "/sources"])
def test_hostile_article_is_escaped_everywhere(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert "<img src=x" not in r.text
    assert "onerror=alert(1)>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert 'href="javascript:' not in r.text


def test_security_headers_on_pages_and_api(client):
    for path in ["/", "/articles/4", "/api/articles", "/api/articles/999", "/static/style.css"]:
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    # the only script is the reader's own file: pages work without it, none is inline
    scripts = re.findall(r"<script[^>]*>", client.get("/articles/4").text)
    assert scripts == ['<script src="/static/reader.js" defer>']


def test_snippet_and_text_helpers():
    assert str(snippet_html("a \x02b\x03 <c> \x02d&e\x03 [not a match]")) == (
        "a <mark>b</mark> &lt;c&gt; <mark>d&amp;e</mark> [not a match]")
    assert paragraphs("one\n\n  \ntwo\nstill two\n") == ["one", "two\nstill two"]
    assert paragraphs("one\ntwo") == ["one", "two"]
    assert safe_url("https://x.test/a") == "https://x.test/a"
    assert safe_url("javascript:alert(1)") is None and safe_url(" data:x") is None


# -- JSON API ----------------------------------------------------------------------
BRIEF_KEYS = {"id", "title", "date", "outlet", "url", "language", "author", "cited", "entities",
              "duplicate_of"}


def test_api_lists_articles_paginated_without_text(client):
    r = client.get("/api/articles", params={"limit": 2, "offset": 1})
    assert r.status_code == 200
    body = r.json()
    assert (body["total"], body["limit"], body["offset"]) == (4, 2, 1)
    assert [a["id"] for a in body["items"]] == [2, 3]
    item = body["items"][0]
    assert BRIEF_KEYS <= set(item) and "text" not in item
    assert item["cited"] == ["TASS", "Reuters"]
    filtered = client.get("/api/articles", params={"outlet": "Meridian Post",
                                                   "since": "2026-03-02"}).json()
    assert filtered["total"] == 1 and [a["id"] for a in filtered["items"]] == [3]


def test_api_article_has_all_keys(client):
    body = client.get("/api/articles/1").json()
    assert BRIEF_KEYS | {"text"} <= set(body)
    assert body["text"].startswith("Dock workers in Karsk")
    assert body["entities"][0] == {"name": "Karsk", "type": "place", "count": 2}
    assert client.get("/api/articles/3").json()["duplicate_of"] == 1


@pytest.mark.parametrize(
    ("path", "status", "needle"),
    [
        ("/api/articles/999", 404, "no article with id 999"),
        ("/api/articles/abc", 422, "article_id"),
        ("/api/articles?limit=0", 422, "limit"),
        ("/api/articles?limit=10000", 422, "limit"),
        ("/api/articles?offset=-1", 422, "offset"),
        ("/api/articles?since=yesterday", 422, "since"),
        ("/api/search", 422, "q"),
        ("/api/nothing", 404, "Not Found"),
    ],
)
def test_api_errors_are_json(client, path, status, needle):
    r = client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"error"} and needle in body["error"]


def test_api_search_returns_snippets(client):
    body = client.get("/api/search", params={"q": "valdoria budget"}).json()
    assert body["query"] == "valdoria budget"
    assert [h["id"] for h in body["items"]] == [2]
    assert "[Valdoria]" in body["items"][0]["snippet"]
    assert BRIEF_KEYS <= set(body["items"][0])


def test_openapi_schema_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/articles", "/api/articles/{article_id}", "/api/search"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/api/articles"]
    assert "/" not in spec["paths"]  # HTML pages stay out of the API description


# -- writing -------------------------------------------------------------------------
NEW = {"title": "Ferry service resumes", "outlet": "Coastal Herald", "date": "2026-03-05",
       "author": "Ana Reyes", "url": "https://coastal.test/ferry",
       "text": "The ferry between Karsk and Olm resumed service on Thursday after repairs to "
               "the pier, the operator said, according to Reuters."}


def test_post_without_token_configured_is_read_only(client):
    r = client.post("/api/articles", json=NEW)
    assert r.status_code == 403
    assert "read-only" in r.json()["error"]
    assert client.get("/api/articles").json()["total"] == 4


def test_post_with_wrong_or_missing_token_is_refused(db):
    with _client(db, token="s3cret") as c:
        r = c.post("/api/articles", json=NEW)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        r = c.post("/api/articles", json=NEW, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401
        assert c.get("/api/articles").json()["total"] == 4


def test_token_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("STORYDESK_TOKEN", "from-env")
    with _client(db) as c:
        r = c.post("/api/articles", json={"title": "x"}, headers={"Authorization": "Bearer no"})
        assert r.status_code == 401


def test_post_body_is_validated(db):
    auth = {"Authorization": "Bearer s3cret"}
    with _client(db, token="s3cret") as c:
        for bad in [{"title": "no body"}, {**NEW, "html": "<p>both</p>"}, {**NEW, "bogus": 1}]:
            r = c.post("/api/articles", json=bad, headers=auth)
            assert r.status_code == 422 and set(r.json()) == {"error"}
        r = c.post("/api/articles", json={**NEW, "date": "not a date"}, headers=auth)
        assert r.status_code == 422 and "date" in r.json()["error"]
        assert c.get("/api/articles").json()["total"] == 4  # nothing stored


class _StubIngest(_StoreReader):
    """Ingest without the extract stage: checks how the API reports each outcome."""

    def add_document(self, raw: RawDocument) -> AddReport:
        self.seen = raw
        report = AddReport()
        if raw.content == "fail":
            report.failures.append(Failure("api", "too little text (1 words)"))
        elif found := self.store.find_exact(text_hash=raw.content):
            report.duplicates.append(("api", found))
        else:
            a = Article(title=raw.fields.get("title", "?"), text=raw.content, url=raw.url)
            report.added.append(self.store.insert_article(
                a, url_key=None, text_hash=raw.content, signature=None, band_keys=[]))
        return report


def test_post_maps_ingest_outcomes_to_status_codes(db):
    stub = _StubIngest(db)
    auth = {"Authorization": "Bearer s3cret"}
    with TestClient(create_app(desk=stub, token="s3cret")) as c:  # type: ignore[arg-type]
        r = c.post("/api/articles", json={**NEW, "html": NEW["text"], "text": None}, headers=auth)
        assert r.status_code == 201 and r.json()["status"] == "added"
        assert r.headers["location"] == "/api/articles/5"
        assert r.json()["article"]["title"] == "Ferry service resumes"
        assert stub.seen.kind == "html" and stub.seen.origin == "api"
        assert stub.seen.url == NEW["url"]
        assert stub.seen.fields == {k: NEW[k] for k in ("title", "outlet", "date", "author", "url")}
        r = c.post("/api/articles", json={**NEW, "html": NEW["text"], "text": None}, headers=auth)
        assert r.status_code == 200 and r.json()["status"] == "duplicate" and r.json()["id"] == 5
        r = c.post("/api/articles", json={"text": "fail"}, headers=auth)
        assert r.status_code == 422 and r.json() == {"error": "too little text (1 words)"}


@needs_pipeline
def test_post_with_token_stores_the_article(db):
    auth = {"Authorization": "Bearer s3cret"}
    with _client(db, token="s3cret") as c:
        r = c.post("/api/articles", json=NEW, headers=auth)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["status"] == "added"
        new_id = body["id"]
        assert r.headers["location"] == f"/api/articles/{new_id}"
        stored = c.get(f"/api/articles/{new_id}").json()
        assert stored["title"] == "Ferry service resumes"
        assert stored["outlet"] == "Coastal Herald" and stored["author"] == "Ana Reyes"
        assert stored["date"].startswith("2026-03-05")
        assert "ferry between Karsk and Olm" in stored["text"]
        assert c.get("/api/articles").json()["total"] == 5
        assert "Ferry service resumes" in c.get("/articles").text
        # placed in a story at once, not on the next `storydesk add`
        assert any(new_id in st["article_ids"] for st in c.get("/api/stories").json()["items"])
        again = c.post("/api/articles", json=NEW, headers=auth)
        assert again.status_code == 200 and again.json() == {
            "id": new_id, "status": "duplicate", "article": None}
        too_short = c.post("/api/articles", json={"text": "Too short."}, headers=auth)
        assert too_short.status_code == 422 and "too little text" in too_short.json()["error"]


@needs_pipeline
def test_ingest_through_desk_shows_up_in_the_reader(tmp_path):
    path = str(tmp_path / "d.db")
    with Desk(path) as desk:
        report = desk.add_document(RawDocument(
            origin="t", kind="text",
            content="Lighthouse keeper retires\n\nAfter forty years the keeper of the Olm "
                    "lighthouse handed over the keys on Sunday, the town council said.",
            fields={"outlet": "X", "date": "2026-03-01"}))
        assert report.ok, report.failures
    with _client(path, token="") as c:
        assert "Lighthouse keeper retires" in c.get("/articles").text
        assert "forty years" in c.get(f"/articles/{report.added[0]}").text


def test_previous_and_next_follow_date_then_id_over_all_articles(tmp_path):
    """The indexed lookups give the neighbours of a full sort: undated first, then by
    date, ties by id (no article is in a story here)."""
    path = str(tmp_path / "order.db")
    store = Store(path)
    dates = ["2026-03-02", None, "2026-03-01", "2026-03-02", None, "2026-03-03T08:00:00",
             "2026-03-02", "2026-03-01"]
    for n, d in enumerate(dates):
        _insert(store, f"Article {n + 1}", f"Text of article number {n + 1}.", n, date=d)
    order = [a.id for a in sorted(store.list_articles(limit=None),
                                  key=lambda a: (a.date or "", a.id))]
    store.close()
    with _client(path) as c:
        for k, aid in enumerate(order):
            html = c.get(f"/articles/{aid}").text
            prev = re.search(r'rel="prev" href="/articles/(\d+)"', html)
            nxt = re.search(r'rel="next" href="/articles/(\d+)"', html)
            assert (int(prev.group(1)) if prev else None) == (order[k - 1] if k else None)
            assert (int(nxt.group(1)) if nxt else None) == (
                order[k + 1] if k + 1 < len(order) else None)


def test_copies_stored_after_a_page_was_shown_are_listed(db):
    with _client(db) as c:
        assert c.get("/articles/1").text.count('class="dup"') == 1  # article 3
        other = Store(db)  # another process storing a copy meanwhile
        _insert(other, "Karsk dock strike, a copy", "Dock workers in Karsk stopped work.", 9,
                outlet="Copy Desk", date="2026-03-05", duplicate_of=1, duplicate_share=0.7)
        other.close()
        html = c.get("/articles/1").text
        assert "Karsk dock strike, a copy" in html and html.count('class="dup"') == 2


def test_article_without_an_entity_model_says_so(store_db):
    store = Store(store_db)
    de = _insert(store, "Zölle", "Der Bundeskanzler hat am Montag in Berlin gesprochen.", 1,
                 language="de")
    en = _insert(store, "Karsk", "Dock workers in Karsk stopped work on Monday.", 2,
                 language="en", entities=[Entity("Karsk", "place")])
    store.close()
    with _client(store_db, token="") as c:
        assert c.get(f"/api/articles/{de}").json()["entities_model"] == "none"
        assert c.get(f"/api/articles/{en}").json()["entities_model"] == "crf-en"
        page = c.get(f"/articles/{de}").text
        assert "no entity model for this language (de)" in page
        assert "no entity model" not in c.get(f"/articles/{en}").text
