"""Subscriptions (followed feeds) with their health, and the feed entries handled."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from storydesk.models import Subscription, now_iso
from storydesk.store.base import StoreBase, dialect_insert, upsert
from storydesk.store.schema import subscription_entries, subscriptions


class SubscriptionRows(StoreBase):
    """Subscriptions and the feed entries handled for each."""

    def add_subscriptions(self, subs: list[Subscription]) -> list[Subscription]:
        """Store new subscriptions in one transaction; returns those stored (with their
        ids). A URL already subscribed is left as it is and not returned."""
        added: list[Subscription] = []
        now = now_iso()
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
                ins = dialect_insert(conn, subscriptions)
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

    def forget_entries(self, sub_id: int, listed: Iterable[str], days: float) -> int:
        """Forget a subscription's entries handled over ``days`` ago that are not among
        ``listed`` (the keys its feed lists now); how many were forgotten."""
        se = subscription_entries.c
        keep = set(listed)
        before = now_iso(datetime.now(UTC) - timedelta(days=days))
        with self.engine.begin() as conn:
            old = [k for k in conn.execute(select(se.entry_key).where(
                (se.subscription_id == sub_id) & (se.seen_at < before))).scalars()
                if k not in keep]
            for i in range(0, len(old), 500):
                conn.execute(subscription_entries.delete().where(
                    (se.subscription_id == sub_id) & se.entry_key.in_(old[i : i + 500])))
        return len(old)

    def mark_entry(self, sub_id: int, key: str, status: str,
                   article_id: int | None = None) -> None:
        """Record what became of one feed entry: "added", "duplicate" or "failed" (a
        failed entry's tries count up)."""
        row = {"subscription_id": sub_id, "entry_key": key, "status": status,
               "article_id": article_id, "tries": 1, "seen_at": now_iso()}
        with self.engine.begin() as conn:
            upsert(conn, subscription_entries, row, ["subscription_id", "entry_key"],
                    tries=subscription_entries.c.tries + 1)
