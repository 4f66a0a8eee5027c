"""Table definitions (SQLAlchemy Core) and the versioned migrations."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("url", Text),
    Column("url_key", Text, unique=True),
    Column("text_hash", String(40), nullable=False, unique=True),
    Column("outlet", Text),
    Column("date", String(40)),
    Column("date_source", String(16)),
    Column("author", Text),
    Column("language", String(8)),
    Column("word_count", Integer, nullable=False, default=0),
    Column("cited", JSON, nullable=False),
    Column("entities", JSON, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),
    Column("duplicate_share", Float),
    Column("origin", Text),
    Column("signature", LargeBinary),
    Column("added_at", String(40), nullable=False),
    Index("ix_articles_outlet", "outlet"),
    Index("ix_articles_date", "date"),
)

# LSH band keys of each article's MinHash signature: near-duplicate candidates
# are the articles that share a band key with a new one.
dup_bands = Table(
    "dup_bands",
    metadata,
    Column("band_key", String(40), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Index("ix_dup_bands_key", "band_key"),
)

# How many articles of an outlet carried each short line: lines that repeat
# across an outlet's articles are page chrome.
outlet_lines = Table(
    "outlet_lines",
    metadata,
    Column("outlet", Text, primary_key=True),
    Column("line_key", Text, primary_key=True),
    Column("n", Integer, nullable=False),
)


stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("article_count", Integer, nullable=False),
    Column("outlets", JSON, nullable=False),
    Column("first_date", String(40)),
    Column("last_date", String(40)),
    Column("entities", JSON, nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ix_stories_last_date", "last_date"),
)

# Which story each article is in, and why it is there.
story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"),
           primary_key=True),
    Column("story_id", Integer, nullable=False),
    Column("why", JSON, nullable=False),
    Index("ix_story_articles_story", "story_id"),
)

# Snapshots of derived in-memory state (the story grouper's index), by key.
state = Table(
    "state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
    Column("updated_at", String(40), nullable=False),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[meta, articles, dup_bands, outlet_lines])
    if conn.dialect.name == "sqlite":
        conn.execute(text(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "title, text, content='articles', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        ))
        conn.execute(text(
            "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
        ))
        conn.execute(text(
            "CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); END"
        ))
        conn.execute(text(
            "CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
        ))


def _v2(conn: Connection) -> None:
    metadata.create_all(conn, tables=[stories, story_articles, state])


# Stored summaries, by what they summarise ("article" / "story" and its id) and how
# (length, mode, summariser version). ``content_hash`` is a hash of the texts (and
# outlets) summarised: when it no longer matches, the summary is stale and recomputed.
summaries = Table(
    "summaries",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("ref_id", Integer, primary_key=True, autoincrement=False),
    Column("params", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("value", JSON, nullable=False),
    Column("created_at", String(40), nullable=False),
)


def _v3(conn: Connection) -> None:
    metadata.create_all(conn, tables=[summaries])


# Subscribed feeds, polled on a schedule, with their health (storydesk sources / watch).
# Times are ISO 8601 UTC strings, so that they sort and compare as text.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", Text),
    Column("site_url", Text),
    Column("every", Float, nullable=False),
    Column("added_at", String(40), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_fetch", String(40)),
    Column("last_ok", String(40)),
    Column("last_new", String(40)),
    Column("last_error", Text),
    Column("last_error_at", String(40)),
    Column("last_result", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("next_poll", String(40), nullable=False),
    Column("articles", Integer, nullable=False, default=0),
    Index("ix_subscriptions_next_poll", "next_poll"),
)

# The entries of each subscribed feed already handled: an entry is fetched once
# ("added" / "duplicate"), or tried again until it has failed ``tries`` times.
subscription_entries = Table(
    "subscription_entries",
    metadata,
    Column("subscription_id", Integer, ForeignKey("subscriptions.id", ondelete="CASCADE"),
           primary_key=True),
    Column("entry_key", Text, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("article_id", Integer),
    Column("tries", Integer, nullable=False, default=1),
    Column("seen_at", String(40), nullable=False),
)


def _v4(conn: Connection) -> None:
    metadata.create_all(conn, tables=[subscriptions, subscription_entries])


# PostgreSQL full text (SQLite has its FTS5 table since v1): a generated tsvector column
# ``search`` on articles, title weighted A and text D, in a text search configuration
# of its own (``simple``: no stemming, for articles in any language; accents folded
# when the ``unaccent`` extension can be had), with a GIN index. Only the first
# PG_SEARCH_CHARS characters of a text are indexed (a tsvector holds at most 1 MB).
PG_SEARCH_CHARS = 300_000


def _v5(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    # SQLite ignores the lengths of VARCHAR(n) columns, PostgreSQL enforces them: drop
    # them, so that a value SQLite stores (a long language tag or date) is stored here too.
    for table in metadata.sorted_tables:
        for col in table.columns:
            if isinstance(col.type, String) and not isinstance(col.type, Text) \
                    and col.type.length:
                conn.execute(text(f'ALTER TABLE {table.name} ALTER COLUMN "{col.name}" '
                                  "TYPE varchar"))
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
        unaccent = True
    except DBAPIError:  # not installed on the server, or not allowed to this user
        unaccent = False
    conn.execute(text("CREATE TEXT SEARCH CONFIGURATION storydesk_search "
                      "(COPY = pg_catalog.simple)"))
    if unaccent:
        conn.execute(text("ALTER TEXT SEARCH CONFIGURATION storydesk_search ALTER MAPPING "
                          "FOR hword, hword_part, word WITH unaccent, simple"))
    conn.execute(text(
        "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('storydesk_search', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('storydesk_search', "
        f"left(coalesce(text, ''), {PG_SEARCH_CHARS})), 'D')) STORED"
    ))
    conn.execute(text("CREATE INDEX ix_articles_search ON articles USING gin (search)"))


# An index on ``articles.duplicate_of``, so an article's copies are one indexed query.
def _v6(conn: Connection) -> None:
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_duplicate_of "
                      "ON articles (duplicate_of)"))


# SQLite: ``articles_terms``, a full-text index of each article's words as the text
# layer reads them in its language (stemmed; Chinese segmented; see store/fulltext.py).
# Rows are written with the article; a trigger deletes them.
# Existing articles are indexed here, BACKFILL_ROWS at a time.
BACKFILL_ROWS = 500


def _index_terms(conn: Connection, statement: str,
                 only: Callable[[str], bool] | None = None) -> None:
    """Run ``statement`` (parameters ``id``, ``t``, ``x``) for every stored article with
    its title's and text's index terms (store/fulltext.py), BACKFILL_ROWS at a time
    (``only``: for the articles whose title and text, joined, it accepts)."""
    from .fulltext import index_row

    last = 0
    while True:
        rows = conn.execute(text(
            "SELECT id, title, text, language FROM articles WHERE id > :last "
            "ORDER BY id LIMIT :n"), {"last": last, "n": BACKFILL_ROWS}).all()
        if not rows:
            break
        last = rows[-1].id
        rows = [r for r in rows if only is None or only(f"{r.title}\n{r.text}")]
        if rows:
            conn.execute(text(statement), [
                dict(zip(("id", "t", "x"), (r.id, *index_row(r.title, r.text, r.language,
                                                             search_chars(conn))), strict=True))
                for r in rows])


def _v7(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    conn.execute(text(
        "CREATE VIRTUAL TABLE articles_terms USING fts5("
        "title, text, tokenize='unicode61 remove_diacritics 2')"
    ))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_language ON articles (language)"))
    conn.execute(text(
        "CREATE TRIGGER articles_terms_ad AFTER DELETE ON articles BEGIN "
        "DELETE FROM articles_terms WHERE rowid = old.id; END"
    ))
    _index_terms(conn, "INSERT INTO articles_terms(rowid, title, text) VALUES (:id, :t, :x)")


# SQLite: search reads ``articles_terms`` only since v7, so the FTS5 index of the raw text
# (v1) and the triggers that kept it on every insert, update and delete go.
def _v8(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    conn.execute(text("DROP TABLE IF EXISTS articles_fts"))


def search_chars(conn: Connection) -> int | None:
    """How many characters of a text's index terms the backend indexes (None: all)."""
    return PG_SEARCH_CHARS if conn.dialect.name == "postgresql" else None


# PostgreSQL: the ``search`` column holds the article's words as the text layer reads
# them in its language (store/fulltext.py), as SQLite's ``articles_terms`` does, written
# with the article: the v5 column, generated from the raw text, neither stemmed
# (``putins`` did not find Putin, nor a Russian case ending the others) nor cut Chinese.
PG_SEARCH_SQL = (
    "setweight(to_tsvector('storydesk_search', :t), 'A') || "
    f"setweight(to_tsvector('storydesk_search', left(:x, {PG_SEARCH_CHARS})), 'D')"
)


def _v9(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text("ALTER TABLE articles DROP COLUMN search"))  # and its index
    conn.execute(text("ALTER TABLE articles ADD COLUMN search tsvector"))
    _index_terms(conn, f"UPDATE articles SET search = {PG_SEARCH_SQL} WHERE id = :id")
    conn.execute(text("CREATE INDEX ix_articles_search ON articles USING gin (search)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_language ON articles (language)"))


# Both backends: the index terms of an article in an unspaced script (Chinese, Japanese,
# Thai...) end with its word starts (store/fulltext.py), so that a prefix such as
# ``卡尔斯*`` matches words that begin with it, not any substring; the articles that hold
# such a script are indexed again.
def _v10(conn: Connection) -> None:
    from storydesk.text import has_cjk

    if conn.dialect.name == "postgresql":
        _index_terms(conn, f"UPDATE articles SET search = {PG_SEARCH_SQL} WHERE id = :id",
                     has_cjk)
    elif conn.dialect.name == "sqlite":
        _index_terms(conn, "UPDATE articles_terms SET title = :t, text = :x WHERE rowid = :id",
                     has_cjk)


# Migration N brings the schema from version N-1 to N. Append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8,
                                                  _v9, _v10]
SCHEMA_VERSION = len(MIGRATIONS)
