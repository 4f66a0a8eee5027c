"""Stories: placements (article -> story, why), story rows and the grouper's state."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select

from storydesk.models import Story, now_iso
from storydesk.store.base import StoreBase, story_from_row, upsert
from storydesk.store.schema import articles, state, stories, story_articles


class StoryRows(StoreBase):
    """Placements, story rows and the story grouper's saved state."""

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
        now = now_iso()
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
                upsert(conn, state, {"key": key, "value": blob, "updated_at": now}, ["key"])

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
        st = story_from_row(row)
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
            found = [story_from_row(r) for r in rows]
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
