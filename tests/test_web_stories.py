"""Story pages, summaries and the Atom feed of the web reader, on the bundled sample
(loaded as `make demo` loads it) in a real SQLite file."""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from html import escape as html_escape

import pytest
from fastapi.testclient import TestClient

from storydesk import Desk
from storydesk.demo import load
from storydesk.models import RawDocument, Story
from storydesk.web import create_app
from storydesk.web.pages import SHOWN_ITEMS

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("webstories") / "sample.db")
    load(db)
    return db


@pytest.fixture(scope="module")
def client(sample_db: str):
    with TestClient(create_app(sample_db)) as c:
        yield c


@pytest.fixture(scope="module")
def big_story(sample_db: str):
    with Desk(sample_db) as desk:
        return max(desk.stories(limit=None), key=lambda s: (len(s.article_ids), -s.id))


def test_front_page_lists_stories_with_lead_outlets_and_coverage(client, big_story):
    html = client.get("/").text
    assert "Latest stories" in html
    assert f'href="/stories/{big_story.id}"' in html
    item = html[html.index(f'href="/stories/{big_story.id}"'):]
    item = item[:item.index("</li>")]
    assert f"{len(big_story.article_ids)} articles" in item
    assert f"{len(big_story.outlets)} outlets" in item
    assert all(o in item for o in big_story.outlets)
    assert '<p class="lead">' in item and '<svg class="coverage"' in item
    assert 'type="application/atom+xml"' in html


def test_story_page_cites_article_sentences_and_explains_members(client, big_story):
    html = client.get(f"/stories/{big_story.id}").text
    assert f"<h1 dir=\"auto\">{big_story.title}</h1>".replace("'", "&#39;") in html
    refs = re.findall(r'href="/articles/(\d+)#s(\d+)"', html)
    assert refs and {int(a) for a, _ in refs} <= set(big_story.article_ids)
    # each cited sentence exists, with that id, on the article page
    aid, idx = refs[0]
    assert f'id="s{idx}"' in client.get(f"/articles/{aid}").text
    assert re.search(r"reported by \d+ of \d+ articles", html)
    assert '<section class="timeline"' in html and "<circle" in html
    assert html.count('<p class="why">') == len(big_story.article_ids)


def test_article_page_links_story_and_steps_within_it_first(client, big_story):
    members = client.get(f"/api/stories/{big_story.id}").json()["article_ids"]
    html = client.get(f"/articles/{members[0]}").text
    assert f'href="/stories/{big_story.id}"' in html
    nxt = re.search(r'rel="next" href="/articles/(\d+)"', html)
    assert nxt and int(nxt.group(1)) in members


def test_summary_page_and_api(client, big_story):
    aid = big_story.article_ids[0]
    page = client.get(f"/articles/{aid}/summary")
    assert page.status_code == 200 and "[sentence" in page.text
    data = client.get(f"/api/articles/{aid}/summary").json()
    assert 1 <= len(data["sentences"]) <= 3
    assert all(s["sources"][0]["article_id"] == aid for s in data["summary"])
    story = client.get(f"/api/stories/{big_story.id}/summary", params={"sentences": 2}).json()
    assert len(story["summary"]) == 2
    assert all(src["article_id"] in big_story.article_ids
               for s in story["summary"] for src in s["sources"])
    assert client.get("/api/stories/99999/summary").json() == {"error": "no story with id 99999"}
    assert client.get("/api/articles/99999/summary").status_code == 404


def test_stories_api_has_the_cli_keys(client, big_story):
    listed = client.get("/api/stories", params={"limit": 5}).json()
    assert len(listed["items"]) == 5
    assert set(listed["items"][0]) == {"id", "title", "article_ids", "outlets", "first_date",
                                       "last_date", "entities"}
    one = client.get(f"/api/stories/{big_story.id}").json()
    assert set(one) >= {"id", "title", "article_ids", "outlets", "first_date", "last_date",
                        "entities", "why"}
    assert {int(k) for k in one["why"]} == set(one["article_ids"])
    assert client.get("/api/stories/99999").status_code == 404
    assert client.get("/stories/99999").status_code == 404


def test_atom_feed_lists_latest_stories(client, sample_db):
    r = client.get("/feed.atom")
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    entries = root.findall(f"{ATOM}entry")
    with Desk(sample_db) as desk:
        stories = desk.stories(limit=None)
    assert len(entries) == len(stories)
    first = entries[0]
    assert first.find(f"{ATOM}title").text == stories[0].title
    assert first.find(f"{ATOM}link").get("href").endswith(f"/stories/{stories[0].id}")
    assert "articles from" in first.find(f"{ATOM}summary").text


# -- the outlets side by side ---------------------------------------------------
def _rich_story(sample_db: str) -> int:
    """A story of the sample with a fact all report and a contradiction."""
    with Desk(sample_db) as desk:
        for st in desk.stories(limit=None):
            if len(st.article_ids) > 2:
                c = desk.story_comparison(st.id)["comparison"]
                if c["shared"] and c["contradictions"]:
                    return st.id
    raise AssertionError("the sample has no story with shared facts and a contradiction")


def test_comparison_api_has_the_cli_keys_and_is_stored(client, sample_db, big_story):
    r = client.get(f"/api/stories/{big_story.id}/comparison")
    assert r.status_code == 200
    data = r.json()
    assert data["story_id"] == big_story.id
    assert data["cached"] is True  # made when the sample was loaded, as `make demo` does
    with Desk(sample_db) as desk:
        fresh = json.loads(json.dumps(desk.compare_story(big_story.id).to_dict()))
    assert {k: data[k] for k in fresh} == fresh  # what `storydesk compare --json` prints
    c = data["comparison"]
    assert set(c) == {"shared", "partial", "unique", "contradictions",
                      "contradictions_held_back", "cited", "rewrites", "tone", "framing",
                      "similarity"}
    assert {int(k) for k in c["unique"]} == set(big_story.article_ids)
    assert [a["id"] for a in data["articles"]] == big_story.article_ids


def test_comparison_api_errors(client, tmp_path):
    assert client.get("/api/stories/99999/comparison").json() == {
        "error": "no story with id 99999"}
    assert client.get("/api/stories/0/comparison").status_code == 422
    with Desk(str(tmp_path / "one.db")) as desk:
        desk.add_document(RawDocument(origin="t", kind="text", content=(
            "Lowgate council approved a new harbour wall on Tuesday. The wall will cost "
            "four million crowns and take two years to build, the council said."),
            fields={"title": "Harbour wall approved", "outlet": "Lowgate Ledger"}))
        sid = desk.stories(limit=1)[0].id
    with TestClient(create_app(str(tmp_path / "one.db"))) as one:
        r = one.get(f"/api/stories/{sid}/comparison")
        assert r.status_code == 422 and "nothing to compare" in r.json()["error"]
        page = one.get(f"/stories/{sid}")
        assert page.status_code == 200 and 'class="compare"' not in page.text


def test_stored_comparison_is_made_again_when_the_story_changes(sample_db, tmp_path):
    db = str(tmp_path / "copy.db")
    with sqlite3.connect(sample_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    with Desk(db) as desk:
        st = max(desk.stories(limit=None), key=lambda s: (len(s.article_ids), -s.id))
        assert desk.story_comparison(st.id)["cached"] is True
        leaving = st.article_ids[-1]
        desk.store.write_stories({leaving: (10_000, {})},
                                 [Story(id=10_000, title="moved", article_ids=[leaving])])
        again = desk.story_comparison(st.id)
        assert again["cached"] is False
        assert [a["id"] for a in again["articles"]] == st.article_ids[:-1]
        assert desk.story_comparison(st.id)["cached"] is True


def test_story_page_sets_the_outlets_side_by_side(client, sample_db):
    sid = _rich_story(sample_db)
    data = client.get(f"/api/stories/{sid}/comparison").json()
    c = data["comparison"]
    html = client.get(f"/stories/{sid}").text
    part = html[html.index('<section class="compare"'):html.index('<section class="members"')]
    assert f"Reported by all {len(data['articles'])}" in part
    assert html_escape(c["shared"][0]["text"], quote=True) in part
    assert part.count('<section class="column"') == len(data["articles"])
    for aid, facts in c["unique"].items():  # what only one reports, linked to its sentence
        for f in facts[:SHOWN_ITEMS]:
            assert f'href="/articles/{aid}#s{f["sources"][0]["sentence"]}"' in part
    # the first contradiction: its two sides in two boxes of one item, each linked to
    # the sentence stating it, the first side's value marked in its sentence
    first = c["contradictions"][0]["sides"]
    item = part[part.index('<ul class="contradictions">'):]
    item = item[:item.index("</li>")]
    boxes = item.split('<blockquote class="side">')[1:]
    for side in first:
        link = f'href="/articles/{side["article_id"]}#s{side["sentence"]}"'
        assert sum(link in box for box in boxes) == 1
    assert [i for i, box in enumerate(boxes) for side in first
            if f'#s{side["sentence"]}"' in box and f'/{side["article_id"]}#' in box] == [0, 1]
    assert f'<mark>{html_escape(first[0]["value"])}</mark>' in boxes[0]
    for cited in c["cited"].values():
        for name in cited:
            assert html_escape(name) in part
    assert part.count('class="tone tone-') == len(data["articles"])
    # contradictions below min_confidence are held back, and the page says how many
    held = c["contradictions_held_back"]
    assert all(k["confidence"] >= 0.5 for k in c["contradictions"])
    assert (f"{held} less certain contradiction" in part) == (held > 0)


def test_comparison_of_hostile_articles_is_escaped(tmp_path):
    db = str(tmp_path / "hostile.db")
    texts = [
        "Dock workers in Karsk <script>alert(1)</script> stopped work on Monday over pay. "
        "The union said 400 members <img src=x onerror=alert(1)> joined the strike, "
        "according to <b>Reuters</b>.",
        "Dock workers in Karsk stopped work on Monday over pay <script>alert(2)</script>. "
        "The union said 300 members <img src=x onerror=alert(2)> joined the strike, "
        "according to AP.",
    ]
    with Desk(db) as desk:
        ids = []
        for n, text in enumerate(texts):
            report = desk.add_document(RawDocument(
                origin=f"t{n}", kind="text", content=text,
                fields={"title": f"Karsk <script>x</script> strike {n}", "outlet": f"Out<b>{n}"}))
            ids += report.added
        desk.store.write_stories({a: (500, {}) for a in ids},
                                 [Story(id=500, title="Karsk <b>strike</b>", article_ids=ids)])
    with TestClient(create_app(db)) as c:
        html = c.get("/stories/500").text
        assert 'class="compare"' in html
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "<b>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_story_page_stands_when_its_summary_or_comparison_fails(sample_db, big_story,
                                                                  monkeypatch, caplog):
    """A summary or comparison that raises is logged and named on the page; the story's
    articles are still served (200, not 500)."""
    def broken(self, *a, **kw):
        raise IndexError("string index out of range")

    monkeypatch.setattr(Desk, "story_summary", broken)
    monkeypatch.setattr(Desk, "story_comparison", broken)
    with TestClient(create_app(sample_db)) as c:
        r = c.get(f"/stories/{big_story.id}")
    assert r.status_code == 200
    assert "could not be summarised this time" in r.text
    assert "could not be compared this time" in r.text
    assert all(f'href="/articles/{a}"' in r.text for a in big_story.article_ids)
    assert f"summarising story {big_story.id} failed" in caplog.text
