"""Consistency checks of a SQLite store, shared by the crash and hostile-input tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def check_store(db: Path) -> dict[str, int]:
    """Every invariant a crash must not break; returns counts for the report."""
    con = sqlite3.connect(db)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        assert q("PRAGMA integrity_check") == [("ok",)]
        if not q("SELECT name FROM sqlite_master"):
            return {"articles": 0, "placed": 0}  # killed before the schema was made
        assert q("PRAGMA foreign_key_check") == []
        con.execute("INSERT INTO articles_terms(articles_terms) VALUES ('integrity-check')")
        [(n,)] = q("SELECT count(*) FROM articles")
        assert q("SELECT count(*) FROM articles_terms") == [(n,)]
        assert q("""SELECT id FROM articles WHERE title = '' OR text = '' OR word_count <= 0
                    OR signature IS NULL OR added_at IS NULL OR NOT json_valid(cited)
                    OR NOT json_valid(entities) OR NOT json_valid(extra)""") == []
        assert q("""SELECT id FROM articles a WHERE NOT EXISTS
                    (SELECT 1 FROM dup_bands b WHERE b.article_id = a.id)""") == []
        assert q("""SELECT id FROM articles WHERE duplicate_of IS NOT NULL
                    AND duplicate_of NOT IN (SELECT id FROM articles)""") == []
        assert q("""SELECT article_id FROM story_articles GROUP BY article_id
                    HAVING count(*) > 1""") == []
        assert q("""SELECT article_id FROM story_articles
                    WHERE article_id NOT IN (SELECT id FROM articles)""") == []
        assert q("""SELECT DISTINCT story_id FROM story_articles
                    WHERE story_id NOT IN (SELECT id FROM stories)""") == []
        assert q("""SELECT s.id FROM stories s WHERE s.article_count !=
                    (SELECT count(*) FROM story_articles p WHERE p.story_id = s.id)""") == []
        [(placed,)] = q("SELECT count(*) FROM story_articles")
        return {"articles": n, "placed": placed}
    finally:
        con.close()
