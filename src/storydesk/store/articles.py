"""The articles and their indexes: exact and near duplicate keys, page chrome line
counts, listings and lookups."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select, text, update

from storydesk.models import Article, now_iso
from storydesk.store.base import LISTING_COLUMNS, StoreBase, article_from_row
from storydesk.store.fulltext import index_row
from storydesk.store.schema import (
    PG_SEARCH_SQL,
    articles,
    dup_bands,
    outlet_lines,
    search_chars,
    story_articles,
)


class ArticleRows(StoreBase):
    """Articles, their duplicate indexes and page chrome line counts."""

    # -- duplicates --------------------------------------------------------------
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

    # -- page chrome per line group ----------------------------------------------
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

    # -- articles ----------------------------------------------------------------
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
            "added_at": article.added_at or now_iso(),
        }
        if self.dialect == "postgresql":  # PostgreSQL text cannot hold NUL characters
            row = {k: v.replace("\0", "") if isinstance(v, str) else v for k, v in row.items()}
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(articles).values(**row)).inserted_primary_key[0]
            title, body = index_row(row["title"], row["text"], row["language"],
                                    search_chars(conn))
            terms = {"id": new_id, "t": title, "x": body}
            if self.dialect == "sqlite":
                conn.execute(text("INSERT INTO articles_terms(rowid, title, text) "
                                  "VALUES (:id, :t, :x)"), terms)
            else:
                conn.execute(text(f"UPDATE articles SET search = {PG_SEARCH_SQL} "
                                  "WHERE id = :id"), terms)
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
        return article_from_row(row) if row else None

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
            return [article_from_row(r) for r in conn.execute(q)]

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
                found.append(article_from_row(row) if row is not None else None)
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

    def outlet_table(self, top_cited: int = 5) -> list[dict[str, Any]]:
        """Per outlet (``""``: unknown): ``count``, ``first`` and ``last`` date (day),
        ``duplicates`` and the ``top_cited`` sources cited by most of its articles as
        (name, articles), most articles first. Counted in SQL; only the outlet and
        citation columns are read for the citations, never the articles' text or names."""
        c = articles.c
        outlet = func.coalesce(c.outlet, "")
        day = func.substr(c.date, 1, 10)
        q = (select(outlet.label("name"), func.count().label("count"),
                    func.min(day).label("first"), func.max(day).label("last"),
                    func.count(c.duplicate_of).label("duplicates"))
             .group_by(outlet))
        cited: dict[str, Counter[str]] = {}
        with self.engine.connect() as conn:
            table = [dict(r._mapping) for r in conn.execute(q)]
            for name, names in conn.execute(select(outlet, c.cited).order_by(c.id)):
                if isinstance(names, str):  # a driver that hands JSON back as text
                    names = json.loads(names)
                if names:
                    cited.setdefault(name, Counter()).update(list(dict.fromkeys(names)))
        for row in table:
            row["cited"] = cited.get(row["name"], Counter()).most_common(top_cited)
        table.sort(key=lambda r: (-r["count"], r["name"].lower()))
        return table

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
                    out[r.id] = article_from_row(r)
        return [out[i] for i in ids if i in out]

    def content_keys(self, ids: list[int]) -> dict[int, tuple[str, str | None]]:
        """(text hash, outlet) of each stored article among ``ids``."""
        out: dict[int, tuple[str, str | None]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                q = select(articles.c.id, articles.c.text_hash, articles.c.outlet).where(
                    articles.c.id.in_(ids[i : i + 500]))
                out.update({r.id: (r.text_hash, r.outlet) for r in conn.execute(q)})
        return out
