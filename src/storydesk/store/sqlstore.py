"""The store: articles and their indexes in SQLite (default) or PostgreSQL, through
SQLAlchemy Core.

All SQL of storydesk lives in this package. Writes of one article happen in
one transaction, so an interrupted ingest leaves nothing half-stored. Writes that
several processes may make at once (summaries, feed entries, subscriptions, line
counts) are upserts, so that processes sharing one PostgreSQL database never
trip over each other's rows.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, event, func, insert, select, text, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Engine, Row, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from storydesk.models import Article, Entity, Story, Subscription
from storydesk.store.fulltext import MARK_END, MARK_START, highlight, index_row, term_reading
from storydesk.store.query import AllOf, fts5_query, parse_query, pg_tsquery, wanted_terms
from storydesk.store.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    articles,
    dup_bands,
    meta,
    outlet_lines,
    state,
    stories,
    story_articles,
    subscription_entries,
    subscriptions,
    summaries,
)

LISTING_COLUMNS = [c for c in articles.c if c.name not in ("text", "signature")]


LANGUAGES_TTL = 60.0  # seconds a store trusts its list of stored languages


class StoreError(Exception):
    pass


# PostgreSQL's driver: psycopg 3 (the ``postgres`` extra). A plain postgresql:// URL
# would make SQLAlchemy look for psycopg2.
PG_DRIVER = "postgresql+psycopg"


def _engine_for(db: str) -> Engine:
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
            raise StoreError(f"{_safe_url(db)}: database driver missing: {e.name}{hint}") from None
    path = Path(db)
    if path.parent and not path.parent.exists():
        raise StoreError(f"{db}: folder {path.parent} does not exist")
    engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    return engine


def _safe_url(db: str) -> str:
    """``db`` for messages: a URL's password hidden."""
    if "://" not in db:
        return db
    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _article_from_row(row: Row[Any]) -> Article:
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


class Store:
    """One storydesk database. ``db`` is a path (SQLite) or a SQLAlchemy URL."""

    def __init__(self, db: str):
        self.db = db
        self.engine = _engine_for(db)
        self._lock_guard = threading.RLock()
        self._lock_depth: dict[str, int] = {}
        self._languages: set[str | None] = set()
        self._languages_at = float("-inf")
        try:
            self.migrate()
        except OperationalError as e:  # a server that cannot be reached, a wrong password
            self.engine.dispose()
            why = " ".join(str(e.orig or e).split())
            raise StoreError(f"{_safe_url(db)}: cannot open the database: {why}") from None

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
                f"{_safe_url(self.db)}: schema version {current} is newer than this storydesk "
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

    # -- duplicates -----------------------------------------------------------
    def find_exact(self, url_key: str | None = None, text_hash: str | None = None) -> int | None:
        """The id of a stored article with this canonical URL or this text, if any."""
        conds = []
        if url_key:
            conds.append(articles.c.url_key == url_key)
        if text_hash:
            conds.append(articles.c.text_hash == text_hash)
        if not conds:
            return None
        cond = conds[0] if len(conds) == 1 else conds[0] | conds[1]
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.id).where(cond).limit(1)).scalar()

    def article_signature(self, article_id: int) -> bytes | None:
        """The stored MinHash signature of one article."""
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.signature)
                                .where(articles.c.id == article_id)).scalar()

    def near_candidates(self, band_keys: list[str]) -> list[tuple[int, bytes]]:
        """Stored articles sharing a MinHash band with the new one."""
        if not band_keys:
            return []
        ids = (
            select(dup_bands.c.article_id)
            .where(dup_bands.c.band_key.in_(band_keys))
            .distinct()
            .scalar_subquery()
        )
        q = select(articles.c.id, articles.c.signature).where(articles.c.id.in_(ids))
        with self.engine.connect() as conn:
            return [(r.id, r.signature) for r in conn.execute(q)]

    # -- page chrome per outlet ----------------------------------------------
    def line_counts(self, outlet: str, keys: Iterable[str]) -> dict[str, int]:
        keys = list(set(keys))
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                q = select(outlet_lines.c.line_key, outlet_lines.c.n).where(
                    (outlet_lines.c.outlet == outlet) & outlet_lines.c.line_key.in_(part)
                )
                out.update({r.line_key: r.n for r in conn.execute(q)})
        return out

    # -- articles -------------------------------------------------------------
    def insert_article(
        self,
        article: Article,
        *,
        url_key: str | None,
        text_hash: str,
        signature: bytes | None,
        band_keys: list[str],
        line_keys: Iterable[str] = (),
        line_group: str | None = None,
    ) -> int:
        """Store one article with its indexes in one transaction; returns its id.
        ``line_keys`` are counted under ``line_group`` (default: the article's outlet),
        the group whose page chrome they are judged with."""
        row = {
            "title": article.title,
            "text": article.text,
            "url": article.url,
            "url_key": url_key,
            "text_hash": text_hash,
            "outlet": article.outlet,
            "date": article.date,
            "date_source": article.date_source,
            "author": article.author,
            "language": article.language,
            "word_count": article.word_count,
            "cited": list(article.cited),
            "entities": [e.__dict__ for e in article.entities],
            "extra": json.loads(json.dumps(article.extra, default=str)),
            "duplicate_of": article.duplicate_of,
            "duplicate_share": article.duplicate_share,
            "origin": article.origin,
            "signature": signature,
            "added_at": article.added_at or _now(),
        }
        if self.dialect == "postgresql":  # PostgreSQL text cannot hold NUL characters
            row = {k: v.replace("\0", "") if isinstance(v, str) else v for k, v in row.items()}
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(articles).values(**row)).inserted_primary_key[0]
            if self.dialect == "sqlite":
                title, body = index_row(row["title"], row["text"], row["language"])
                conn.execute(text("INSERT INTO articles_terms(rowid, title, text) "
                                  "VALUES (:id, :t, :x)"), {"id": new_id, "t": title, "x": body})
                if row["language"] not in self._languages:
                    self._languages = {*self._languages, row["language"]}
            if band_keys:
                conn.execute(
                    insert(dup_bands), [{"band_key": k, "article_id": new_id} for k in band_keys]
                )
            keys = sorted(set(line_keys))
            group = line_group or article.outlet
            if group and keys:
                self._bump_lines(conn, group, keys)
        article.id = int(new_id)
        return int(new_id)

    def _bump_lines(self, conn: Any, outlet: str, keys: list[str]) -> None:
        if conn.dialect.name in ("sqlite", "postgresql"):
            conn.execute(
                text(
                    "INSERT INTO outlet_lines(outlet, line_key, n) VALUES (:o, :k, 1) "
                    "ON CONFLICT(outlet, line_key) DO UPDATE SET n = outlet_lines.n + 1"
                ),
                [{"o": outlet, "k": k} for k in keys],
            )
            return
        for k in keys:  # pragma: no cover - other dialects
            done = conn.execute(
                update(outlet_lines)
                .where((outlet_lines.c.outlet == outlet) & (outlet_lines.c.line_key == k))
                .values(n=outlet_lines.c.n + 1)
            ).rowcount
            if not done:
                conn.execute(insert(outlet_lines).values(outlet=outlet, line_key=k, n=1))

    def get_article(self, article_id: int) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        return _article_from_row(row) if row else None

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

    def list_articles(
        self,
        *,
        limit: int | None = 100,
        offset: int = 0,
        outlet: str | None = None,
        since: str | None = None,
        cited: str | None = None,
        with_text: bool = False,
        newest_first: bool = False,
    ) -> list[Article]:
        """Articles by id (``newest_first``: by date, then id, latest first, undated
        last); ``outlet`` (any case), dated on or after ``since``, citing ``cited`` (a
        name as ``Article.cited`` holds it, any case)."""
        cols = list(articles.c) if with_text else LISTING_COLUMNS
        q = self._article_filters(select(*cols), outlet, since, cited)
        order = ([func.coalesce(articles.c.date, "").desc(), articles.c.id.desc()]
                 if newest_first else [articles.c.id])
        q = q.order_by(*order).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [_article_from_row(r) for r in conn.execute(q)]

    def adjacent_articles(self, article: Article) -> tuple[Article | None, Article | None]:
        """The articles just before and after ``article`` in date order (undated first,
        then by id), without text: a few lookups on the date index, never a scan."""
        c, d, i = articles.c, article.date, article.id
        same = c.date.is_(None) if d is None else c.date == d
        earlier = [(same & (c.id < i), [c.id.desc()])]
        later = [(same & (c.id > i), [c.id])]
        if d is None:
            later.append((c.date.is_not(None), [c.date, c.id]))
        else:
            earlier += [(c.date < d, [c.date.desc(), c.id.desc()]),
                        (c.date.is_(None), [c.id.desc()])]
            later.append((c.date > d, [c.date, c.id]))
        found: list[Article | None] = []
        with self.engine.connect() as conn:
            for steps in (earlier, later):
                row = None
                for cond, order in steps:
                    row = conn.execute(
                        select(*LISTING_COLUMNS).where(cond).order_by(*order).limit(1)).first()
                    if row is not None:
                        break
                found.append(_article_from_row(row) if row is not None else None)
        return found[0], found[1]

    def copies_of(self, article_id: int) -> list[Article]:
        """Stored articles marked as copies of this one (``duplicate_of``), without text."""
        with self.engine.connect() as conn:
            ids = sorted(conn.execute(select(articles.c.id).where(
                articles.c.duplicate_of == article_id)).scalars())
        return self.articles_by_ids(ids, with_text=False)

    def count_articles(self, *, outlet: str | None = None, since: str | None = None,
                       cited: str | None = None) -> int:
        """How many articles :meth:`list_articles` with these filters lists in all."""
        q = self._article_filters(select(func.count()).select_from(articles), outlet, since,
                                  cited)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar() or 0)

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search; returns (article without text, snippet): matches are
        between ``MARK_START`` and ``MARK_END``, characters no stored text holds
        (``snippet_parts`` splits a snippet, ``bracketed`` writes ``[match]``).

        ``query`` is read as :mod:`storydesk.store.query` says (words all required,
        OR, -word and NOT, "phrases", prefix*); a query that asks for nothing raises
        :class:`~storydesk.store.query.QueryError`. A title match counts five times a
        match in the text. SQLite: FTS5 with bm25; PostgreSQL: the ``search`` tsvector
        column (GIN index) with ts_rank and ts_headline."""
        tree = parse_query(query)
        if self.dialect == "postgresql":
            sql, params = _pg_search_sql(tree, limit)
        else:
            q = fts5_query(tree, term_reading(self.languages()))
            if q is None:
                return []
            sql = text(
                "SELECT a.id, a.text AS snip, a.language FROM articles_terms "
                "JOIN articles a ON a.id = articles_terms.rowid "
                "WHERE articles_terms MATCH :q ORDER BY bm25(articles_terms, 5.0, 1.0) LIMIT :n"
            )
            params = {"q": q, "n": limit}
        with self.engine.connect() as conn:
            hits = conn.execute(sql, params).all()
            if not hits:
                return []
            rows = {
                r.id: r
                for r in conn.execute(
                    select(*LISTING_COLUMNS).where(articles.c.id.in_([h.id for h in hits]))
                )
            }
        if self.dialect == "postgresql":
            snips = {h.id: _pg_snippet(h.snip, h.head, h.tail) for h in hits}
        else:
            terms = wanted_terms(tree)
            snips = {h.id: highlight(h.snip or "", terms, h.language) for h in hits}
        return [(_article_from_row(rows[h.id]), snips[h.id]) for h in hits if h.id in rows]

    def languages(self) -> set[str | None]:
        """The languages of the stored articles (read again every LANGUAGES_TTL seconds:
        another process may add articles)."""
        now = time.monotonic()
        if now - self._languages_at > LANGUAGES_TTL:
            with self.engine.connect() as conn:
                found = {r[0] for r in conn.execute(select(articles.c.language).distinct())}
            self._languages, self._languages_at = found, now
        return self._languages

    # -- stories --------------------------------------------------------------
    def article_ids(self) -> list[int]:
        """Every stored article's id, in order."""
        with self.engine.connect() as conn:
            return [r.id for r in conn.execute(select(articles.c.id).order_by(articles.c.id))]

    def unplaced_article_ids(self) -> list[int]:
        """Articles not yet in any story (new, or left by an interrupted run)."""
        q = (
            select(articles.c.id)
            .where(~articles.c.id.in_(select(story_articles.c.article_id)))
            .order_by(articles.c.id)
        )
        with self.engine.connect() as conn:
            return [r.id for r in conn.execute(q)]

    def articles_by_ids(self, ids: list[int], *, with_text: bool = True) -> list[Article]:
        cols = list(articles.c) if with_text else LISTING_COLUMNS
        out: dict[int, Article] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                for r in conn.execute(select(*cols).where(articles.c.id.in_(part))):
                    out[r.id] = _article_from_row(r)
        return [out[i] for i in ids if i in out]

    def write_stories(
        self,
        placements: dict[int, tuple[int, dict[str, Any]]],
        described: list[Story],
        removed: list[int] = (),  # type: ignore[assignment]
        state_blobs: dict[str, bytes] | None = None,
        drop_state: Iterable[str] = (),
        replace_all: bool = False,
    ) -> None:
        """Record placements (article -> (story, why)), story rows and state in one transaction.

        ``drop_state``: state keys to delete in the same transaction. ``replace_all``:
        every placement, story row and state key stored before is deleted in it first
        (a regrouping switched in at once).
        """
        now = _now()
        with self.engine.begin() as conn:
            if replace_all:
                conn.execute(story_articles.delete())
                conn.execute(stories.delete())
                conn.execute(state.delete().where(state.c.key.like("stories.%")))
            if placements:
                ids = list(placements)
                for i in range(0, len(ids), 500):
                    conn.execute(story_articles.delete().where(
                        story_articles.c.article_id.in_(ids[i : i + 500])))
                conn.execute(insert(story_articles), [
                    {"article_id": a, "story_id": sid, "why": why}
                    for a, (sid, why) in placements.items()
                ])
            gone = list(removed) + [st.id for st in described]
            for i in range(0, len(gone), 500):
                conn.execute(stories.delete().where(stories.c.id.in_(gone[i : i + 500])))
            if described:
                conn.execute(insert(stories), [
                    {"id": st.id, "title": st.title, "article_count": len(st.article_ids),
                     "outlets": st.outlets, "first_date": st.first_date,
                     "last_date": st.last_date, "entities": st.entities, "updated_at": now}
                    for st in described
                ])
            for key in drop_state:
                conn.execute(state.delete().where(state.c.key == key))
            for key, blob in (state_blobs or {}).items():
                _upsert(conn, state, {"key": key, "value": blob, "updated_at": now}, ["key"])

    def clear_stories(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(story_articles.delete())
            conn.execute(stories.delete())
            conn.execute(state.delete())

    def load_state(self, key: str) -> bytes | None:
        with self.engine.connect() as conn:
            return conn.execute(select(state.c.value).where(state.c.key == key)).scalar()

    def story_members(self, story_id: int) -> list[tuple[int, dict[str, Any]]]:
        q = (select(story_articles.c.article_id, story_articles.c.why)
             .where(story_articles.c.story_id == story_id)
             .order_by(story_articles.c.article_id))
        with self.engine.connect() as conn:
            return [(r.article_id, r.why) for r in conn.execute(q)]

    def story_of(self, article_id: int) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(story_articles.c.story_id).where(
                story_articles.c.article_id == article_id)).scalar()

    def all_placements(self) -> dict[int, int]:
        with self.engine.connect() as conn:
            return {r.article_id: r.story_id for r in conn.execute(
                select(story_articles.c.article_id, story_articles.c.story_id))}

    def get_story(self, story_id: int) -> Story | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
        if row is None:
            return None
        st = _story_from_row(row)
        members = self.story_members(story_id)
        st.article_ids = [a for a, _ in members]
        st.why = {a: w for a, w in members}
        return st

    def stories_updated_since(self, since: str | None = None) -> list[tuple[int, int]]:
        """(id, article count) of the stories written at or after ``since`` (an ISO
        timestamp; None: all), most recently written first."""
        q = select(stories.c.id, stories.c.article_count).order_by(
            stories.c.updated_at.desc(), stories.c.id.desc())
        if since:
            q = q.where(stories.c.updated_at >= since)
        with self.engine.connect() as conn:
            return [(r.id, r.article_count) for r in conn.execute(q)]

    def list_stories(
        self,
        *,
        limit: int | None = 50,
        offset: int = 0,
        since: str | None = None,
        outlet: str | None = None,
        cited: str | None = None,
    ) -> list[Story]:
        """Stories, latest first; with an article of ``outlet``, one citing ``cited``."""
        q = self._story_filters(select(stories), since, outlet, cited)
        q = q.order_by(stories.c.last_date.desc().nulls_last(), stories.c.article_count.desc(),
                       stories.c.id).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = list(conn.execute(q))
            found = [_story_from_row(r) for r in rows]
            if found:
                members: dict[int, list[int]] = {st.id: [] for st in found}
                mq = (select(story_articles.c.story_id, story_articles.c.article_id)
                      .where(story_articles.c.story_id.in_(list(members)))
                      .order_by(story_articles.c.article_id))
                for r in conn.execute(mq):
                    members[r.story_id].append(r.article_id)
                for st in found:
                    st.article_ids = members[st.id]
        return found

    def _story_filters(self, q: Any, since: str | None, outlet: str | None,
                       cited: str | None) -> Any:
        if since:
            q = q.where(stories.c.last_date >= since)
        if outlet or cited:
            sub = self._article_filters(
                select(story_articles.c.story_id)
                .join(articles, articles.c.id == story_articles.c.article_id),
                outlet, None, cited)
            q = q.where(stories.c.id.in_(sub))
        return q

    def count_stories(self, *, since: str | None = None, outlet: str | None = None,
                      cited: str | None = None) -> int:
        """How many stories :meth:`list_stories` with these filters lists in all."""
        q = self._story_filters(select(func.count()).select_from(stories), since, outlet,
                                cited)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar() or 0)

    # -- summaries ------------------------------------------------------------
    def content_keys(self, ids: list[int]) -> dict[int, tuple[str, str | None]]:
        """(text hash, outlet) of each stored article among ``ids``."""
        out: dict[int, tuple[str, str | None]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                q = select(articles.c.id, articles.c.text_hash, articles.c.outlet).where(
                    articles.c.id.in_(ids[i : i + 500]))
                out.update({r.id: (r.text_hash, r.outlet) for r in conn.execute(q)})
        return out

    def get_summary(self, kind: str, ref_id: int, params: str) -> tuple[str, Any] | None:
        """(content hash, value) of a stored summary, if any."""
        q = select(summaries.c.content_hash, summaries.c.value).where(
            (summaries.c.kind == kind) & (summaries.c.ref_id == ref_id)
            & (summaries.c.params == params))
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        return (row.content_hash, row.value) if row else None

    def put_summary(
        self, kind: str, ref_id: int, params: str, content_hash: str, value: Any
    ) -> None:
        """Store (or replace) a summary."""
        row = {"kind": kind, "ref_id": ref_id, "params": params,
               "content_hash": content_hash, "value": value, "created_at": _now()}
        with self.engine.begin() as conn:
            _upsert(conn, summaries, row, ["kind", "ref_id", "params"])


    # -- subscriptions ------------------------------------------------------------
    def add_subscriptions(self, subs: list[Subscription]) -> list[Subscription]:
        """Store new subscriptions in one transaction; returns those stored (with their
        ids). A URL already subscribed is left as it is and not returned."""
        added: list[Subscription] = []
        now = _now()
        with self.engine.begin() as conn:
            known = {r.url for r in conn.execute(select(subscriptions.c.url).where(
                subscriptions.c.url.in_([s.url for s in subs])))} if subs else set()
            for sub in subs:
                if sub.url in known:
                    continue
                known.add(sub.url)
                sub.added_at = sub.added_at or now
                sub.next_poll = sub.next_poll or now
                row = {c.name: getattr(sub, c.name) for c in subscriptions.c if c.name != "id"}
                ins = _dialect_insert(conn, subscriptions)
                if ins is None:  # pragma: no cover - other dialects
                    new_id = conn.execute(insert(subscriptions).values(**row)) \
                        .inserted_primary_key[0]
                else:  # another process may subscribe to the same URL meanwhile
                    new_id = conn.execute(ins.values(**row).on_conflict_do_nothing(
                        index_elements=["url"]).returning(subscriptions.c.id)).scalar()
                    if new_id is None:
                        continue
                sub.id = int(new_id)
                added.append(sub)
        return added

    def list_subscriptions(self) -> list[Subscription]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(subscriptions).order_by(subscriptions.c.id))
            return [Subscription(**dict(r._mapping)) for r in rows]

    def get_subscription(self, key: int | str) -> Subscription | None:
        """A subscription by id or by feed URL."""
        cond = (subscriptions.c.id == key) if isinstance(key, int) else (
            subscriptions.c.url == key)
        with self.engine.connect() as conn:
            row = conn.execute(select(subscriptions).where(cond)).first()
        return Subscription(**dict(row._mapping)) if row else None

    def remove_subscription(self, sub_id: int) -> bool:
        """Forget a subscription and its seen entries (its articles stay); False if unknown."""
        with self.engine.begin() as conn:
            conn.execute(subscription_entries.delete().where(
                subscription_entries.c.subscription_id == sub_id))
            return bool(conn.execute(subscriptions.delete().where(
                subscriptions.c.id == sub_id)).rowcount)

    def due_subscriptions(self, now: str) -> list[Subscription]:
        """Subscriptions whose next poll is at or before ``now``, the longest waiting first."""
        q = (select(subscriptions).where(subscriptions.c.next_poll <= now)
             .order_by(subscriptions.c.next_poll, subscriptions.c.id))
        with self.engine.connect() as conn:
            return [Subscription(**dict(r._mapping)) for r in conn.execute(q)]

    def next_poll(self, exclude: Iterable[int] = ()) -> str | None:
        """The earliest next poll of any subscription but those in ``exclude`` (None:
        no such subscription)."""
        q = select(func.min(subscriptions.c.next_poll))
        if skip := list(exclude):
            q = q.where(subscriptions.c.id.not_in(skip))
        with self.engine.connect() as conn:
            return conn.execute(q).scalar()

    def update_subscription(self, sub_id: int, *, new_articles: int = 0,
                            **values: Any) -> None:
        """Set health columns of one subscription (and add ``new_articles`` to its count)
        in one transaction."""
        unknown = set(values) - {c.name for c in subscriptions.c} | ({"id"} & set(values))
        if unknown:
            raise ValueError(f"not subscription columns: {sorted(unknown)}")
        if new_articles:
            values["articles"] = subscriptions.c.articles + new_articles
        with self.engine.begin() as conn:
            conn.execute(update(subscriptions).where(subscriptions.c.id == sub_id)
                         .values(**values))

    def seen_entries(self, sub_id: int, keys: list[str]) -> dict[str, tuple[str, int]]:
        """(status, tries) of the entries among ``keys`` already handled for a subscription."""
        out: dict[str, tuple[str, int]] = {}
        se = subscription_entries.c
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                q = select(se.entry_key, se.status, se.tries).where(
                    (se.subscription_id == sub_id) & se.entry_key.in_(keys[i : i + 500]))
                out.update({r.entry_key: (r.status, r.tries) for r in conn.execute(q)})
        return out

    def mark_entry(self, sub_id: int, key: str, status: str,
                   article_id: int | None = None) -> None:
        """Record what became of one feed entry: "added", "duplicate" or "failed" (a
        failed entry's tries count up)."""
        row = {"subscription_id": sub_id, "entry_key": key, "status": status,
               "article_id": article_id, "tries": 1, "seen_at": _now()}
        with self.engine.begin() as conn:
            _upsert(conn, subscription_entries, row, ["subscription_id", "entry_key"],
                    tries=subscription_entries.c.tries + 1)


def _dialect_insert(conn: Any, table: Table) -> Any:
    """An INSERT with ON CONFLICT clauses (SQLite and PostgreSQL), else None."""
    if conn.dialect.name == "postgresql":
        return pg_dialect.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite_dialect.insert(table)
    return None  # pragma: no cover - other dialects


def _upsert(conn: Any, table: Table, row: dict[str, Any], keys: list[str],
            **on_update: Any) -> None:
    """Insert ``row``, or update the row with the same ``keys`` to its values (and
    ``on_update``'s expressions) — one statement, safe against a concurrent writer."""
    ins = _dialect_insert(conn, table)
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


def _story_from_row(row: Row[Any]) -> Story:
    m = row._mapping
    return Story(
        id=m["id"], title=m["title"], outlets=list(m["outlets"] or []),
        first_date=m["first_date"], last_date=m["last_date"],
        entities=list(m["entities"] or []), article_ids=[], why={},
    )


# PostgreSQL full text (schema v5): the text search configuration of the ``search``
# column, title weighted A and text D; ranks weigh A five times D, as bm25 does in SQLite.
PG_TS_CONFIG = "storydesk_search"
PG_RANK_WEIGHTS = "{0.2, 0.2, 0.2, 1.0}"  # D, C, B, A
PG_HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=16, MinWords=6, ShortWord=2, MaxFragments=1"


def _pg_search_sql(tree: AllOf, limit: int) -> tuple[Any, dict[str, Any]]:
    """The PostgreSQL search query for a parsed user query."""
    tsq, params = pg_tsquery(tree, "cfg")
    params.update({"n": limit, "cfg": PG_TS_CONFIG, "w": PG_RANK_WEIGHTS, "opts": PG_HEADLINE})
    sql = text(
        f"WITH q AS (SELECT {tsq} AS q), "
        "hits AS (SELECT a.id, ts_rank(CAST(:w AS float4[]), a.search, q.q) AS r "
        "FROM articles a, q WHERE a.search @@ q.q ORDER BY r DESC, a.id LIMIT :n) "
        "SELECT hits.id, ts_headline(CAST(:cfg AS regconfig), a.text, q.q, :opts) AS snip, "
        "left(a.text, 200) AS head, right(a.text, 200) AS tail "
        "FROM hits JOIN articles a ON a.id = hits.id, q ORDER BY hits.r DESC, hits.id"
    )
    return sql, params


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, is_match) pieces, in order."""
    out: list[tuple[str, bool]] = []
    for i, part in enumerate(re.split(f"{MARK_START}|{MARK_END}", snippet)):
        if part:
            out.append((part, i % 2 == 1))
    return out


def bracketed(snippet: str) -> str:
    """A search snippet with its matches written ``[like this]`` (the JSON form)."""
    return snippet.replace(MARK_START, "[").replace(MARK_END, "]")


def _pg_snippet(snip: str, head: str, tail: str) -> str:
    """A ts_headline fragment with ' … ' where it cuts the text, as FTS5's snippet has."""
    import re

    def words(s: str) -> str:
        return " ".join(re.findall(r"\w+", s))

    plain = words(snip.replace(MARK_START, "").replace(MARK_END, ""))
    if not plain:
        return snip
    lead = "" if words(head).startswith(plain[:40]) else " … "
    trail = "" if words(tail).endswith(plain[-40:]) else " … "
    return f"{lead}{snip.strip()}{trail}"
