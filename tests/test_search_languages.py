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


def test_a_prefix_in_an_unspaced_script_matches_at_a_word_start(store_db: str) -> None:
    """``北京*`` finds the words that begin with 北京 (jieba's words in Chinese), not
    ``京市`` inside 北京市; with no segmenter (Japanese) every character starts a word."""
    store = Store(store_db)
    zh = store.insert_article(Article(
        title="北京市政府宣布新计划", text="北京市政府周一宣布，证券交易所将延长交易时间。",
        language="zh", word_count=9), url_key=None, text_hash="zh", signature=None,
        band_keys=[])
    ja = store.insert_article(Article(
        title="カールスク港が再開した", text="カールスク港は月曜日に再開した。", language="ja",
        word_count=9), url_key=None, text_hash="ja", signature=None, band_keys=[])
    assert _ids(store, "北京*") == _ids(store, "北京市政府*") == _ids(store, "交易*") == [zh]
    assert _ids(store, "京市*") == _ids(store, "政府*") == []  # inside the word 北京市政府
    assert _ids(store, "京市政府宣布*") == []  # longer than START_CHARS: inside a word too
    assert _ids(store, "京市") == _ids(store, '"京市政府"') == [zh]  # a word: anywhere
    assert _ids(store, "宣布 交易*") == [zh] and _ids(store, "北京 -政府*") == [zh]
    assert _ids(store, "ールス*") == _ids(store, "カールスク港*") == [ja]
    assert _ids(store, "ǂ*") == []  # the mark of a word start is no word of a query
    assert "[北京市政府]" in bracketed(store.search("北京市政府*")[0][1])
    assert "[カールスク]港" in bracketed(store.search("カールスク*")[0][1])
    store.close()


def test_migration_adds_word_starts_to_a_store_of_the_previous_schema(store_db: str) -> None:
    """A store of schema v9 (no word starts in its index) is indexed again on opening
    where it holds an unspaced script, on both backends."""
    from sqlalchemy import text

    from storydesk.store.schema import PG_SEARCH_SQL
    from storydesk.text import index_terms

    store = Store(store_db)
    ids = _fill(store)
    with store.engine.begin() as conn:  # back to v9: index terms without word starts
        for i, (t, x, lang) in zip(ids, ROWS, strict=True):
            row = {"id": i, "t": " ".join(index_terms(t, lang)),
                   "x": " ".join(index_terms(x, lang))}
            conn.execute(text(f"UPDATE articles SET search = {PG_SEARCH_SQL} WHERE id = :id"
                              if store.dialect == "postgresql" else
                              "UPDATE articles_terms SET title = :t, text = :x "
                              "WHERE rowid = :id"), row)
        conn.execute(text("UPDATE meta SET value = '9' WHERE key = 'schema_version'"))
    assert _ids(store, "卡尔斯*") == []  # no word starts to match yet
    store.close()
    store = Store(store_db)
    assert store.schema_version() == SCHEMA_VERSION
    assert _ids(store, "卡尔斯*") == [ids[2]] and _ids(store, "putins") == [ids[0]]
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


def test_a_long_text_keeps_its_word_starts_within_the_postgresql_limit() -> None:
    """PostgreSQL indexes so many characters of a text's index terms: the terms and the
    word starts that follow them are each cut in the same proportion, so a long Chinese
    text keeps word starts from its beginning on."""
    from storydesk.store.fulltext import START_MARK, index_row

    text = "卡尔斯克港周一重新开放，市长表示船只将会返回港口。" * 2000
    _, full = index_row("", text, "zh")
    _, cut = index_row("", text, "zh", limit=20_000)
    assert len(cut) < 20_000 < len(full)
    assert cut.startswith(full[:1000]) and f" {START_MARK}卡尔斯克 " in cut
