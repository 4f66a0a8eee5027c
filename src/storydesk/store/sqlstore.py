"""The store: articles and their indexes in SQLite (default) or PostgreSQL, through
SQLAlchemy Core.

All SQL of storydesk lives in this package. Writes of one article happen in
one transaction, so an interrupted ingest leaves nothing half-stored. Writes that
several processes may make at once (summaries, feed entries, subscriptions, line
counts) are upserts, so that processes sharing one PostgreSQL database never
trip over each other's rows.

``Store`` is composed of one class per concern (see ``base.py``).
"""

from __future__ import annotations

from storydesk.store.articles import ArticleRows
from storydesk.store.base import StoreError
from storydesk.store.search import SearchRows, bracketed, snippet_parts
from storydesk.store.stories import StoryRows
from storydesk.store.subscriptions import SubscriptionRows
from storydesk.store.summaries import SummaryRows

__all__ = ["Store", "StoreError", "bracketed", "snippet_parts"]


class Store(ArticleRows, SearchRows, StoryRows, SummaryRows, SubscriptionRows):
    """One storydesk database. ``db`` is a path (SQLite) or a SQLAlchemy URL."""
