"""The store on a real SQLite file: schema, transactions, full-text search."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError

from storydesk.models import Article, Entity
from storydesk.store import Store, StoreError
from storydesk.store.schema import SCHEMA_VERSION


def _article(title: str, text: str, **kw: object) -> Article:
    return Article(title=title, text=text, word_count=len(text.split()), **kw)  # type: ignore[arg-type]


def test_new_store_is_migrated_and_in_wal_mode(tmp_path):
    db = tmp_path / "desk.db"
    store = Store(str(db))
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "articles_fts", "dup_bands", "outlet_lines", "meta"} <= tables
    # Opening again applies nothing new and keeps the data.
    assert Store(str(db)).schema_version() == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "desk.db"
    Store(str(db)).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer than this storydesk"):
        Store(str(db))


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "nope" / "desk.db"))


def test_insert_roundtrip_and_listing(tmp_path):
    store = Store(str(tmp_path / "d.db"))
    a = _article(
        "Harbour cranes idle",
        "Dock workers in Karsk stopped work on Monday over pay.",
        outlet="Northgate Daily",
        date="2026-03-02",
        cited=["AP"],
        entities=[Entity("Karsk", "place", 1)],
        extra={"section": "business"},
    )
    new_id = store.insert_article(a, url_key="https://x.test/a", text_hash="h1",
                                  signature=b"\0" * 8, band_keys=["0:aa", "1:bb"])
    got = store.get_article(new_id)
    assert got is not None
    assert (got.title, got.outlet, got.date, got.cited) == (
        "Harbour cranes idle", "Northgate Daily", "2026-03-02", ["AP"])
    assert got.entities == [Entity("Karsk", "place", 1)]
    assert got.extra == {"section": "business"}
    listed = store.list_articles(outlet="northgate daily")
    assert [x.id for x in listed] == [new_id] and listed[0].text == ""
    assert store.list_articles(since="2026-03-03") == []
    assert store.find_exact(url_key="https://x.test/a") == new_id
    assert store.find_exact(text_hash="h1") == new_id
    assert store.find_exact(text_hash="other") is None
    assert [c[0] for c in store.near_candidates(["1:bb", "9:zz"])] == [new_id]


def test_failed_insert_leaves_nothing_behind(tmp_path):
    store = Store(str(tmp_path / "d.db"))
    store.insert_article(_article("One", "first text here"), url_key=None, text_hash="same",
                         signature=None, band_keys=["0:x"])
    with pytest.raises(IntegrityError):
        store.insert_article(_article("Two", "second text here"), url_key=None,
                             text_hash="same", signature=None, band_keys=["0:y"],
                             line_keys=["share this"])
    assert store.count_articles() == 1
    assert store.near_candidates(["0:y"]) == []
    assert store.search("second") == []


def test_full_text_search_ranks_and_highlights(tmp_path):
    store = Store(str(tmp_path / "d.db"))
    ids = []
    for i, (title, text) in enumerate([
        ("Earthquake shakes Karsk", "A tremor of magnitude 6.1 struck the port of Karsk."),
        ("Budget vote delayed", "Parliament delayed the budget vote; an earthquake fund is cut."),
        ("Football", "The home side won two-nil."),
    ]):
        ids.append(store.insert_article(_article(title, text), url_key=None, text_hash=f"h{i}",
                                        signature=None, band_keys=[]))
    hits = store.search("earthquake")
    assert [a.id for a, _ in hits] == [ids[0], ids[1]]  # the title match ranks first
    assert "[earthquake]" in hits[1][1]
    assert [a.id for a, _ in store.search('"budget vote"')] == [ids[1]]
    assert store.search("karsk earthquake")[0][0].id == ids[0]
    assert store.search('"; DROP TABLE articles; --') == []
    assert store.search("") == []


def test_outlet_line_counts_accumulate(tmp_path):
    store = Store(str(tmp_path / "d.db"))
    for i in range(3):
        store.insert_article(_article(f"T{i}", f"text {i}", outlet="O"), url_key=None,
                             text_hash=f"h{i}", signature=None, band_keys=[],
                             line_keys=["share this", f"unique {i}"])
    assert store.line_counts("O", ["share this", "unique 1", "never"]) == {
        "share this": 3, "unique 1": 1}
    assert store.line_counts("Other", ["share this"]) == {}
