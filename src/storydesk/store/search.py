"""Full-text search over the words as the text layer reads them (store/fulltext.py):
SQLite FTS5 over ``articles_terms`` with bm25, PostgreSQL's ``search`` tsvector with
ts_rank; snippets with marked matches cut from the original text on both."""

from __future__ import annotations

import re
import time
from typing import Any

from sqlalchemy import select, text

from storydesk.models import Article
from storydesk.store.base import LISTING_COLUMNS, StoreBase, article_from_row
from storydesk.store.fulltext import (
    MARK_END,
    MARK_START,
    highlight,
    term_reading,
    word_start_prefixes,
)
from storydesk.store.query import fts5_query, parse_query, pg_tsquery, wanted_terms
from storydesk.store.schema import articles


class SearchRows(StoreBase):
    """Full-text search over the stored articles."""

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search; returns (article without text, snippet): matches are
        between ``MARK_START`` and ``MARK_END``, characters no stored text holds
        (``snippet_parts`` splits a snippet, ``bracketed`` writes ``[match]``).

        ``query`` is read as :mod:`storydesk.store.query` says (words all required,
        OR, -word and NOT, "phrases", prefix*); a query that asks for nothing raises
        :class:`~storydesk.store.query.QueryError`. A title match counts five times a
        match in the text. SQLite: FTS5 with bm25; PostgreSQL: the ``search`` tsvector
        column (GIN index) with ts_rank."""
        tree = parse_query(query)
        terms = wanted_terms(tree)
        tree = word_start_prefixes(tree)
        reading = term_reading(self.languages())
        if self.dialect == "postgresql":
            tsq, params = pg_tsquery(tree, reading, "cfg")
            if tsq is None:
                return []
            sql = _pg_search_sql(tsq)
            params.update({"n": limit, "cfg": PG_TS_CONFIG, "w": PG_RANK_WEIGHTS})
        else:
            q = fts5_query(tree, reading)
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
        snips = {h.id: highlight(h.snip or "", terms, h.language) for h in hits}
        return [(article_from_row(rows[h.id]), snips[h.id]) for h in hits if h.id in rows]

    def languages(self) -> set[str | None]:
        """The languages of the stored articles (read again every LANGUAGES_TTL seconds:
        another process may add articles)."""
        now = time.monotonic()
        if now - self._languages_at > LANGUAGES_TTL:
            with self.engine.connect() as conn:
                found = {r[0] for r in conn.execute(select(articles.c.language).distinct())}
            self._languages, self._languages_at = found, now
        return self._languages


# PostgreSQL full text (schema v5): the text search configuration of the ``search``
# column, title weighted A and text D; ranks weigh A five times D, as bm25 does in SQLite.
PG_TS_CONFIG = "storydesk_search"
PG_RANK_WEIGHTS = "{0.2, 0.2, 0.2, 1.0}"  # D, C, B, A
LANGUAGES_TTL = 60.0  # seconds a store trusts its list of stored languages


def _pg_search_sql(tsq: str) -> Any:
    """The PostgreSQL search query for a tsquery expression (:func:`pg_tsquery`)."""
    return text(
        f"WITH q AS (SELECT {tsq} AS q) "
        "SELECT a.id, a.text AS snip, a.language, "
        "ts_rank(CAST(:w AS float4[]), a.search, q.q) AS r "
        "FROM articles a, q WHERE a.search @@ q.q ORDER BY r DESC, a.id LIMIT :n"
    )


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
