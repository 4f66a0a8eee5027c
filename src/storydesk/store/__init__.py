"""The store: one small interface over SQLite (default) and other SQL databases."""

from storydesk.store.query import QueryError
from storydesk.store.sqlstore import Store, StoreError, bracketed, snippet_parts

__all__ = ["QueryError", "Store", "StoreError", "bracketed", "snippet_parts"]
