"""Story pages, summaries and the Atom feed of the web reader, on the bundled sample
(loaded as `make demo` loads it) in a real SQLite file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from storydesk import Desk
from storydesk.demo import load
from storydesk.web.app import create_app

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
    assert f"<h1>{big_story.title}</h1>".replace("'", "&#39;") in html
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
