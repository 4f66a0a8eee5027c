"""Stored summaries and comparisons, each keyed by kind, id and parameters and
kept with the hash of the content it was made from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storydesk.models import now_iso
from storydesk.store.base import StoreBase, upsert
from storydesk.store.schema import summaries


class SummaryRows(StoreBase):
    """Stored summaries (and comparisons), upserted."""

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
               "content_hash": content_hash, "value": value, "created_at": now_iso()}
        with self.engine.begin() as conn:
            upsert(conn, summaries, row, ["kind", "ref_id", "params"])
