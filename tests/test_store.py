"""The store on a real SQLite file and a real PostgreSQL database (``store_db``; see
conftest.py): schema, transactions, full-text search, upserts."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError

from storydesk.models import Article, Entity
from storydesk.store import QueryError, Store, StoreError, bracketed
from storydesk.store.schema import SCHEMA_VERSION, meta


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
    assert {"articles", "articles_terms", "dup_bands", "outlet_lines", "meta"} <= tables
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


def test_insert_roundtrip_and_listing(store_db):
    store = Store(store_db)
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


def test_newest_first_pages_by_date_then_id_undated_last(store_db):
    store = Store(store_db)
    dates = ["2026-03-02", None, "2026-03-04", "2026-03-02", "2026-03-01T09:00:00+00:00",
             None, "2026-03-04", "2026-03-01"]
    for n, d in enumerate(dates):
        store.insert_article(_article(f"Article {n}", f"text number {n}", date=d,
                                      outlet="Odd" if n % 2 else "Even"),
                             url_key=None, text_hash=f"h{n}", signature=None, band_keys=[])
    every = store.list_articles(limit=None)
    expected = [a.id for a in sorted(every, key=lambda a: (a.date or "", a.id), reverse=True)]
    assert [a.id for a in store.list_articles(limit=None, newest_first=True)] == expected
    pages = [store.list_articles(limit=3, offset=o, newest_first=True) for o in (0, 3, 6)]
    assert [a.id for page in pages for a in page] == expected
    odd = [a.id for a in store.list_articles(limit=None, outlet="odd", newest_first=True)]
    assert odd == [i for i in expected if i % 2 == 0]  # ids count from 1: odd n, even id
    assert store.count_articles(outlet="odd") == len(odd)


def test_failed_insert_leaves_nothing_behind(store_db):
    store = Store(store_db)
    store.insert_article(_article("One", "first text here"), url_key=None, text_hash="same",
                         signature=None, band_keys=["0:x"])
    with pytest.raises(IntegrityError):
        store.insert_article(_article("Two", "second text here"), url_key=None,
                             text_hash="same", signature=None, band_keys=["0:y"],
                             line_keys=["share this"])
    assert store.count_articles() == 1
    assert store.near_candidates(["0:y"]) == []
    assert store.search("second") == []


def test_full_text_search_ranks_and_highlights(store_db):
    store = Store(store_db)
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
    assert "[earthquake]" in bracketed(hits[1][1])
    assert [a.id for a, _ in store.search('"budget vote"')] == [ids[1]]
    assert store.search("karsk earthquake")[0][0].id == ids[0]
    assert store.search('"; DROP TABLE articles; --') == []
    with pytest.raises(QueryError, match="nothing to search for"):
        store.search("")


def test_outlet_line_counts_accumulate(store_db):
    store = Store(store_db)
    for i in range(3):
        store.insert_article(_article(f"T{i}", f"text {i}", outlet="O"), url_key=None,
                             text_hash=f"h{i}", signature=None, band_keys=[],
                             line_keys=["share this", f"unique {i}"])
    assert store.line_counts("O", ["share this", "unique 1", "never"]) == {
        "share this": 3, "unique 1": 1}
    assert store.line_counts("Other", ["share this"]) == {}


def test_search_folds_accents_and_survives_odd_text(store_db):
    store = Store(store_db)
    long = "The old café on the lake reopened on Monday. " + "It was closed for a year. " * 9
    a = store.insert_article(_article("Café reopens in Zürich", long + "Then came repairs."),
                             url_key=None, text_hash="h1", signature=None, band_keys=[])
    assert [x.id for x, _ in store.search("zurich")] == [a]
    assert [x.id for x, _ in store.search("CAFE reopened")] == [a]
    snippet = store.search("repairs")[0][1]
    assert "[repairs]" in bracketed(snippet) and snippet.lstrip().startswith("…"), snippet
    assert store.search("kyiv") == []
    with pytest.raises(QueryError, match="nothing to search for"):
        store.search("- ' --")
    # a NUL character (PostgreSQL text cannot hold one) does not stop the article
    b = store.insert_article(_article("Nul\0 title", "A stray\0 NUL in the text."),
                             url_key=None, text_hash="h2", signature=None, band_keys=[])
    got = store.get_article(b)
    assert got is not None and got.title.replace("\0", "") == "Nul title"


def test_upserts_replace_and_count(store_db):
    from storydesk.models import Subscription

    store = Store(store_db)
    store.put_summary("story", 1, "p", "c1", {"sentences": [1]})
    store.put_summary("story", 1, "p", "c2", {"sentences": [2]})
    assert store.get_summary("story", 1, "p") == ("c2", {"sentences": [2]})
    assert store.get_summary("story", 1, "other") is None
    subs = [Subscription(url="https://feeds.test/a", every=60.0),
            Subscription(url="https://feeds.test/b", every=60.0)]
    assert [s.url for s in store.add_subscriptions(subs)] == [s.url for s in subs]
    again = [Subscription(url="https://feeds.test/b", every=60.0),
             Subscription(url="https://feeds.test/c", every=60.0)]
    assert [s.url for s in store.add_subscriptions(again)] == ["https://feeds.test/c"]
    sid = subs[0].id
    assert sid is not None
    store.mark_entry(sid, "e1", "failed")
    store.mark_entry(sid, "e1", "failed")
    store.mark_entry(sid, "e2", "added", 7)
    assert store.seen_entries(sid, ["e1", "e2", "e3"]) == {"e1": ("failed", 2),
                                                           "e2": ("added", 1)}
    store.write_stories({}, [], state_blobs={"k": b"\x00one"})
    store.write_stories({}, [], state_blobs={"k": b"\x00two"})
    assert store.load_state("k") == b"\x00two"


def test_postgresql_schema_has_full_text_column_and_index(pg_url):
    from sqlalchemy import text

    store = Store(pg_url)
    assert store.dialect == "postgresql" and store.schema_version() == SCHEMA_VERSION
    with store.engine.connect() as conn:
        col = conn.execute(text(
            "SELECT data_type, is_generated FROM information_schema.columns "
            "WHERE table_name = 'articles' AND column_name = 'search'")).one()
        assert tuple(col) == ("tsvector", "NEVER")  # written with the article (v9)
        index = conn.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_search'")).scalar()
        assert index is not None and "USING gin (search)" in index
    store.close()
    assert Store(pg_url.replace("postgresql://", "postgres://")).schema_version() == \
        SCHEMA_VERSION


def test_postgresql_newer_schema_is_refused_without_showing_the_password(pg_url):
    store = Store(pg_url)
    with store.engine.begin() as conn:
        conn.execute(meta.update().values(value="999"))
    store.close()
    secret = pg_url.replace("storydesk@", "storydesk:s3cret@")
    with pytest.raises(StoreError, match="newer than this storydesk") as err:
        Store(secret)
    assert "s3cret" not in str(err.value)


def test_postgresql_processes_starting_at_once_migrate_once(pg_url):
    """Several servers and ingesters started together on a new database."""
    from concurrent.futures import ThreadPoolExecutor

    def open_store(_: int) -> int:
        store = Store(pg_url)
        try:
            store.put_summary("article", 1, "p", "c", {"n": 1})
            return store.schema_version()
        finally:
            store.close()

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(open_store, range(6))) == [SCHEMA_VERSION] * 6


def test_unreachable_postgresql_is_a_one_line_error_without_the_password():
    pytest.importorskip("psycopg")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(StoreError, match="cannot open the database") as err:
        Store(f"postgresql://desk:s3cret@127.0.0.1:{port}/news")
    assert "s3cret" not in str(err.value) and "\n" not in str(err.value)


def _fresh_second() -> None:
    """Wait for the next second to begin, so that what follows falls within one second."""
    import time
    from datetime import UTC, datetime

    time.sleep(1.02 - datetime.now(UTC).microsecond / 1e6)


def test_times_written_by_the_store_and_the_poller_keep_their_order_within_a_second(
        store_db: str) -> None:
    """The store and the feed poller write times alike (``models.now_iso``): a source
    added after another's next poll was set is due after it, in the same second too
    (the store wrote whole seconds while the poller wrote microseconds, so
    ``…:11+00:00`` sorted before ``…:11.300000+00:00`` although it came later)."""
    from datetime import UTC, datetime, timedelta

    from storydesk.models import Subscription, now_iso

    store = Store(store_db)
    _fresh_second()
    first = store.add_subscriptions([Subscription(url="https://a.example/f", every=60)])[0]
    store.update_subscription(first.id, next_poll=now_iso())  # as the poller sets it
    second = store.add_subscriptions([Subscription(url="https://b.example/f", every=60)])[0]
    due = store.due_subscriptions(now_iso(datetime.now(UTC) + timedelta(seconds=1)))
    assert [s.id for s in due] == [first.id, second.id], [s.next_poll for s in due]
    store.close()


def test_times_stored_to_the_second_compare_with_times_written_now(store_db: str) -> None:
    """A time an older store wrote without microseconds stands before every time of its
    second written now and after every earlier one, compared as text by the database."""
    from datetime import UTC, datetime, timedelta

    from storydesk.models import Subscription, now_iso, parse_iso

    store = Store(store_db)
    old = "2026-12-07T04:08:11+00:00"
    sub = store.add_subscriptions([Subscription(url="https://a.example/f", every=60,
                                                next_poll=old)])[0]
    at = datetime(2026, 12, 7, 4, 8, 11, tzinfo=UTC)
    assert parse_iso(old) == at
    for t, due in [(at - timedelta(microseconds=1), False), (at, True),
                   (at + timedelta(microseconds=999_999), True)]:
        assert bool(store.due_subscriptions(now_iso(t))) is due, now_iso(t)
    assert store.next_poll() == old
    store.update_subscription(sub.id, next_poll=now_iso(at - timedelta(microseconds=1)))
    assert store.next_poll() < old
    store.close()
