"""What every part of the store shares: the engine (SQLite or PostgreSQL), the
cross-process locks, the schema migrations, row conversions and the upsert.

All SQL of storydesk lives in this package. ``Store`` (``sqlstore.py``) is composed
of one class per concern, each in its own module: articles and their duplicate
indexes (``articles.py``), full-text search (``search.py``), stories and the
grouper's state (``stories.py``), stored summaries (``summaries.py``) and
subscriptions (``subscriptions.py``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, event, func, insert, select, text, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Engine, Row, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError

from storydesk.models import Article, Entity, Story
from storydesk.store.schema import MIGRATIONS, SCHEMA_VERSION, articles, meta

LISTING_COLUMNS = [c for c in articles.c if c.name not in ("text", "signature")]


class StoreError(Exception):
    pass


# PostgreSQL's driver: psycopg 3 (the ``postgres`` extra). A plain postgresql:// URL
# would make SQLAlchemy look for psycopg2.
PG_DRIVER = "postgresql+psycopg"


def engine_for(db: str) -> Engine:
    if "://" in db:
        try:
            url = make_url(db)
        except ArgumentError as e:
            raise StoreError(f"{db}: not a database URL ({e})") from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername=PG_DRIVER)
        try:
            # pre-ping: a server that restarted PostgreSQL keeps working
            return create_engine(url, future=True, pool_pre_ping=True)
        except ModuleNotFoundError as e:
            hint = (" (pip install 'storydesk[postgres]')"
                    if url.drivername.startswith("postgresql") else "")
            raise StoreError(f"{safe_url(db)}: database driver missing: {e.name}{hint}") from None
    path = Path(db)
    if path.parent and not path.parent.exists():
        raise StoreError(f"{db}: folder {path.parent} does not exist")
    # timeout: the busy wait from the connection's first statement on (the journal-mode
    # switch below included), not only after busy_timeout is set: two processes opening
    # a new store at once under load waited 5 s (sqlite3's default), then failed
    engine = create_engine(f"sqlite:///{path}", future=True, connect_args={"timeout": 30.0})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        _wal(cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    return engine


def _wal(cur: Any, wait: float = 30.0) -> None:
    """Switch the connection to WAL, retrying while the database is locked: the switch
    can fail at once, without the busy wait, while another process opens the same new
    store (2 of 345 openings, three processes opening a new store at once on a 2-core
    machine under load)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def safe_url(db: str) -> str:
    """``db`` for messages: a URL's password hidden."""
    if "://" not in db:
        return db
    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db


def article_from_row(row: Row[Any]) -> Article:
    m = row._mapping
    ents = m.get("entities") or []
    return Article(
        id=m["id"],
        title=m["title"],
        text=m.get("text", "") or "",
        url=m["url"],
        outlet=m["outlet"],
        date=m["date"],
        date_source=m["date_source"],
        author=m["author"],
        language=m["language"],
        cited=list(m.get("cited") or []),
        entities=[Entity(**e) for e in ents],
        word_count=m["word_count"],
        duplicate_of=m["duplicate_of"],
        duplicate_share=m["duplicate_share"],
        origin=m["origin"],
        extra=dict(m.get("extra") or {}),
        added_at=m["added_at"],
    )


def story_from_row(row: Row[Any]) -> Story:
    m = row._mapping
    return Story(
        id=m["id"], title=m["title"], outlets=list(m["outlets"] or []),
        first_date=m["first_date"], last_date=m["last_date"],
        entities=list(m["entities"] or []), article_ids=[], why={},
    )


def dialect_insert(conn: Any, table: Table) -> Any:
    """An INSERT with ON CONFLICT clauses (SQLite and PostgreSQL), else None."""
    if conn.dialect.name == "postgresql":
        return pg_dialect.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite_dialect.insert(table)
    return None  # pragma: no cover - other dialects


def upsert(conn: Any, table: Table, row: dict[str, Any], keys: list[str],
            **on_update: Any) -> None:
    """Insert ``row``, or update the row with the same ``keys`` to its values (and
    ``on_update``'s expressions) — one statement, safe against a concurrent writer."""
    ins = dialect_insert(conn, table)
    if ins is None:  # pragma: no cover - other dialects
        changes = {k: v for k, v in row.items() if k not in keys} | on_update
        where = [table.c[k] == row[k] for k in keys]
        if not conn.execute(update(table).where(*where).values(**changes)).rowcount:
            conn.execute(insert(table).values(**row))
        return
    stmt = ins.values(**row)
    values = {k: stmt.excluded[k] for k in row if k not in keys}
    values.update(on_update)
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=values))


class StoreBase:
    """One storydesk database. ``db`` is a path (SQLite) or a SQLAlchemy URL."""

    def __init__(self, db: str):
        self.db = db
        self.engine = engine_for(db)
        self._lock_guard = threading.RLock()
        self._lock_depth: dict[str, int] = {}
        self._languages: set[str | None] = set()
        self._languages_at = float("-inf")
        try:
            self.migrate()
        except DatabaseError as e:  # a server that cannot be reached, a wrong password,
            # a file that is not a database
            self.engine.dispose()
            why = " ".join(str(e.orig or e).split())
            raise StoreError(f"{safe_url(db)}: cannot open the database: {why}") from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # -- cross-process locks --------------------------------------------------
    @contextlib.contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold the store-wide lock ``name`` (re-entrant within this Store).

        Work that reads shared state, changes it and writes it back (placing
        articles in stories) runs under it, so two processes on one store take
        turns instead of overwriting each other. SQLite files: an advisory file
        lock (``<db>.<name>.lock``); PostgreSQL: an advisory lock; other
        databases (and in-memory SQLite): this process only.
        """
        with self._lock_guard:
            depth = self._lock_depth.get(name, 0)
            self._lock_depth[name] = depth + 1
            try:
                if depth:
                    yield
                    return
                with self._os_lock(name):
                    yield
            finally:
                self._lock_depth[name] -= 1

    @contextlib.contextmanager
    def _os_lock(self, name: str) -> Iterator[None]:
        if self.dialect == "postgresql":
            key = zlib.crc32(f"storydesk.{name}".encode())
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            return
        path = None if "://" in self.db or self.db in ("", ":memory:") else f"{self.db}.{name}.lock"
        if path is None:
            yield
            return
        import fcntl  # POSIX; storydesk's file locks need it

        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # -- schema ---------------------------------------------------------------
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return self._version(conn)

    def _version(self, conn: Any) -> int:
        if not self.engine.dialect.has_table(conn, "meta"):
            return 0
        v = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        return int(v) if v is not None else 0

    def migrate(self) -> None:
        """Bring the schema up to date. On PostgreSQL under an advisory lock, so that
        processes started at once on a new database migrate it once."""
        current = self.schema_version()
        if current < SCHEMA_VERSION and self.dialect == "postgresql":
            with self.exclusive("schema"):
                self._migrate(self.schema_version())
        else:
            self._migrate(current)

    def _migrate(self, current: int) -> None:
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{safe_url(self.db)}: schema version {current} is newer than this storydesk "
                f"({SCHEMA_VERSION}); upgrade storydesk"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    # The sqlite3 module opens no transaction before DDL: take the write
                    # lock first, so that a step is all or nothing (a process killed
                    # mid-way leaves the version before it) and a second process that
                    # migrates at once waits here, then finds the step done.
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                    if self._version(conn) >= version:
                        continue
                MIGRATIONS[version - 1](conn)
                conn.execute(meta.delete().where(meta.c.key == "schema_version"))
                conn.execute(insert(meta).values(key="schema_version", value=str(version)))

    # -- filters shared by the article and story listings ------------------------
    def _cites(self, name: str) -> Any:
        """A condition: the article's ``cited`` list holds ``name`` (any case)."""
        if self.dialect == "postgresql":
            sql = ("EXISTS (SELECT 1 FROM json_array_elements_text(articles.cited) AS c(v) "
                   "WHERE lower(c.v) = lower(:cited_name))")
        else:
            sql = ("EXISTS (SELECT 1 FROM json_each(articles.cited) "
                   "WHERE lower(json_each.value) = lower(:cited_name))")
        return text(sql).bindparams(cited_name=name)

    def _article_filters(self, q: Any, outlet: str | None, since: str | None,
                         cited: str | None) -> Any:
        if outlet:
            q = q.where(func.lower(articles.c.outlet) == outlet.lower())
        if since:
            q = q.where(articles.c.date >= since)
        if cited:
            q = q.where(self._cites(cited))
        return q
