"""Full-text search in any language, on SQLite and PostgreSQL: stems (``putins`` finds ``Putin``, a
Russian case ending finds the others), Chinese words inside unspaced text, snippets cut
from the original text, and a store of the previous schema indexed on migration.

The articles are fictional, written for these tests (with our own translations).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storydesk.models import Article
from storydesk.store import Store, bracketed
from storydesk.store.schema import SCHEMA_VERSION

ROWS = [
    ("Putin visits Karsk", "President Putin opened the harbour of Karsk on Monday.", "en"),
    ("Путин посетил Карск", "Президент Путин открыл порт Карска в понедельник.", "ru"),
    ("卡尔斯克港重新开放", "卡尔斯克港周一重新开放，市长表示船只将会返回港口。", "zh"),
    ("Der Hafen von Karsk", "Die Bürgermeisterin eröffnete die Häfen von Karsk am Montag.", "de"),
]


def _fill(store: Store) -> list[int]:
    return [store.insert_article(Article(title=t, text=x, language=lang, word_count=9),
                                 url_key=None, text_hash=f"h{i}", signature=None, band_keys=[])
            for i, (t, x, lang) in enumerate(ROWS)]


def _ids(store: Store, q: str) -> list[int]:
    return sorted(a.id for a, _ in store.search(q) if a.id is not None)


def test_stems_and_chinese_words_are_found(store_db: str) -> None:
    store = Store(store_db)
    en, ru, zh, de = _fill(store)
    assert _ids(store, "putins") == [en]  # English plural/possessive form of a name
    assert _ids(store, "путина") == [ru]  # a Russian case ending
    assert _ids(store, "港口") == [zh]  # a word inside an unspaced Chinese clause
    assert _ids(store, "卡尔斯克") == [zh]
    assert _ids(store, "hafen") == [de]  # "Häfen" in the text, "Hafen" in the title
    assert _ids(store, "opens harbours") == [en]
    assert _ids(store, "karsk") == [en, de]
    assert _ids(store, '"harbour of karsk"') == [en]
    assert bracketed(store.search("港口")[0][1]).count("[港口]") == 1
    snip = bracketed(store.search("卡尔斯克")[0][1])
    assert "[卡尔斯克]" in snip
    assert snip.replace("[", "").replace("]", "").strip(" …") in ROWS[2][1]
    assert "[Putin]" in bracketed(store.search("putins")[0][1])
    assert _ids(store, "karsk -hafen") == [en]
    assert _ids(store, "karsk OR 港口") == [en, zh, de]
    assert _ids(store, "Bürgermeist*") == [de] and _ids(store, "卡尔斯*") == [zh]
    assert _ids(store, "港*") == [zh] and _ids(store, "卡尔斯克港*") == [zh]
    assert _ids(store, "hafen") == _ids(store, "häfen") == [de]
    store.close()


def test_migration_indexes_a_store_of_the_previous_schema(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    store = Store(db)
    en, ru, zh, de = _fill(store)
    store.close()
    con = sqlite3.connect(db)  # back to schema v6, as a store made before this version
    con.execute("DROP TABLE articles_terms")
    con.execute("DROP TRIGGER articles_terms_ad")
    con.execute("DROP INDEX ix_articles_language")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                ("6",))
    con.commit()
    con.close()
    store = Store(db)
    assert store.schema_version() == SCHEMA_VERSION
    assert _ids(store, "putins") == [en] and _ids(store, "港口") == [zh]
    with sqlite3.connect(db) as con:  # v8: the raw-text FTS5 index search no longer reads
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert "articles_terms" in names and "articles_fts" not in names


def test_postgresql_migration_indexes_a_store_of_the_previous_schema(pg_url: str) -> None:
    """A PostgreSQL store of schema v8 (its ``search`` column generated from the raw
    text) is read again through the text layer on opening."""
    from sqlalchemy import text

    from storydesk.store.schema import PG_SEARCH_CHARS

    store = Store(pg_url)
    en, ru, zh, de = _fill(store)
    with store.engine.begin() as conn:  # back to v8, as a store made before this version
        conn.execute(text("ALTER TABLE articles DROP COLUMN search"))
        conn.execute(text(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('storydesk_search', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('storydesk_search', "
            f"left(coalesce(text, ''), {PG_SEARCH_CHARS})), 'D')) STORED"))
        conn.execute(text("UPDATE meta SET value = '8' WHERE key = 'schema_version'"))
    store.close()
    store = Store(pg_url)
    assert store.schema_version() == SCHEMA_VERSION
    assert _ids(store, "putins") == [en] and _ids(store, "港口") == [zh]
    store.close()
