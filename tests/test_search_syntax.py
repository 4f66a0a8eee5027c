"""Search as people type it: OR, -word and NOT, "phrases", prefix*, and queries that ask
for nothing; through the store (SQLite and PostgreSQL), the command and the web reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli import storydesk

from storydesk.models import Article
from storydesk.store import QueryError, Store
from storydesk.store.query import describe, fts5_query, parse_query

# Fictional articles written for these tests.
TEXTS = [
    ("Lukashenko opens polar station", "Alexander Lukashenko opened the wintering complex "
     "by video link from Minsk on Monday, with scientists at the station."),
    ("Putin joins video call", "Vladimir Putin joined the video call from Moscow and praised "
     "the rail bridge builders who finished ahead of time."),
    ("Steele dossier revisited", "Christopher Steele spoke about his reports on Afghanistan "
     "and on the bridge talks held in Kabul last year."),
    ("Steele testifies in London", "Christopher Steele testified before a London court about "
     "the sources of his reports and the money paid for them."),
]


def _store(db: str) -> tuple[Store, list[int]]:
    store = Store(db)
    ids = [store.insert_article(Article(title=t, text=x, outlet="Test Wire"), url_key=None,
                                text_hash=f"h{i}", signature=None, band_keys=[])
           for i, (t, x) in enumerate(TEXTS)]
    return store, ids


def _ids(store: Store, q: str) -> set[int]:
    return {a.id for a, _ in store.search(q) if a.id is not None}


def test_or_not_phrase_and_prefix(store_db: str) -> None:
    store, (luk, put, steele_af, steele_ldn) = _store(store_db)
    assert _ids(store, "Lukashenko OR Putin") == {luk, put}
    assert _ids(store, "Lukashenko | Putin") == {luk, put}
    assert _ids(store, "Lukashenko or Putin") == set()  # lower-case "or" is a word
    assert _ids(store, "Steele -Afghanistan") == {steele_ldn}
    assert _ids(store, "Steele NOT Afghanistan") == {steele_ldn}
    assert _ids(store, "Lukashenk*") == {luk}
    assert _ids(store, '"rail bridge"') == {put}
    assert _ids(store, "bridge -\"rail bridge\"") == {steele_af}
    assert _ids(store, "video Lukashenko OR Putin") == {luk, put}  # OR binds tighter
    assert _ids(store, "(Minsk OR Moscow) -Putin") == {luk}
    assert _ids(store, '"rail bri*') == {put}  # unclosed quote, phrase prefix
    assert _ids(store, "' Steele") == {steele_af, steele_ldn}  # a stray mark skips nothing
    assert _ids(store, "London OR (Kabul -Afghanistan)") == {steele_ldn}


@pytest.mark.parametrize("query", [
    '"; DROP TABLE articles; --', "NEAR(a b)", "title:Steele", "Steele^", "a AND OR NOT",
    "((Steele", "Steele)", '"', "* Steele *", "{Steele}", "Steele + London", "'Steele'",
    "(-London) OR Steele", "-(Steele London) Kabul", "Steele (-)", "NOT",
])
def test_engine_syntax_is_only_text(store_db: str, query: str) -> None:
    store, _ = _store(store_db)
    try:
        store.search(query)  # never an engine syntax error
    except QueryError as e:  # or a one-line reason
        assert "\n" not in str(e)


def test_queries_that_ask_for_nothing_say_why(store_db: str) -> None:
    store, _ = _store(store_db)
    for query, reason in [("- ' --", "nothing to search for"), ("-Steele", "only excludes"),
                          ("OR", "nothing to search for"), ("Steele OR -London", "excluded"),
                          ("(-London) OR Steele", "only excludes words in a group")]:
        with pytest.raises(QueryError, match=reason):
            store.search(query)


def test_the_tree_reads_back() -> None:
    tree = parse_query("Minsk Lukashenko OR Putin -Afghanistan")
    assert describe(tree) == "Minsk AND (Lukashenko OR Putin), not Afghanistan"
    assert fts5_query(tree) == '(("Minsk" AND ("Lukashenko" OR "Putin")) NOT "Afghanistan")'
    assert fts5_query(parse_query('say "NEAR" x*')) == '("say" AND "NEAR" AND "x" *)'


def _add(tmp_path: Path) -> Path:
    db = tmp_path / "desk.db"
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps({"title": t, "text": x, "outlet": "Test Wire"}) + "\n"
                            for t, x in TEXTS), encoding="utf-8")
    assert storydesk("add", str(rows), db=db).returncode == 0
    return db


def test_search_command(tmp_path: Path) -> None:
    db = _add(tmp_path)
    got = storydesk("search", "Steele -Afghanistan", "--json", db=db)
    assert got.returncode == 0, got.stderr
    assert [h["title"] for h in json.loads(got.stdout)] == ["Steele testifies in London"]
    both = storydesk("search", "Lukashenko OR Putin", db=db)
    assert "2 results" in both.stdout
    none = storydesk("search", "Lukashenkov*", db=db)
    assert none.returncode == 0 and none.stdout.strip() == "No articles match 'Lukashenkov*'."
    bad = storydesk("search", "-Steele", db=db)
    unquoted = storydesk("search", "Steele", "-Afghanistan", "--json", db=db)
    assert [h["title"] for h in json.loads(unquoted.stdout)] == ["Steele testifies in London"]
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == "error: “-Steele” only excludes words: add a word to find"


def test_search_page_and_api(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storydesk.web import create_app

    db = _add(tmp_path)
    with TestClient(create_app(str(db))) as client:
        page = client.get("/search", params={"q": "Lukashenk*"})
        assert page.status_code == 200 and "Lukashenko opens polar station" in page.text
        empty = client.get("/search", params={"q": "Zanzibar"})
        assert empty.status_code == 200 and "No articles match “Zanzibar”" in empty.text
        bad = client.get("/search", params={"q": "-Steele"})
        assert bad.status_code == 400 and "only excludes words" in bad.text
        api = client.get("/api/search", params={"q": "-Steele"})
        assert api.status_code == 422 and "only excludes words" in api.json()["error"]
        ok = client.get("/api/search", params={"q": "Steele NOT London"})
        assert [i["title"] for i in ok.json()["items"]] == ["Steele dossier revisited"]


def test_random_queries_never_reach_the_engine_as_syntax(store_db: str) -> None:
    import random

    store, _ = _store(store_db)
    pieces = ["Steele", "London", "OR", "AND", "NOT", "-", "(", ")", '"', "*", "|", "^", ":",
              "NEAR", "-Kabul", "rail*", '"rail bridge"', "'", "+", "{", "}", ",", "."]
    rng = random.Random(7)
    for _ in range(300):
        q = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 7)))
        try:
            store.search(q)
        except QueryError as e:
            assert "\n" not in str(e)
