"""What the commands share: the ``--db`` and ``--json`` options and the ``Desk`` they open."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from storydesk.cli.output import fail

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="STORYDESK_DB", help="Store: a SQLite path or database URL. "
                 "\\[default: ./storydesk.db]", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def open_desk(db: str | None, **kw: Any) -> Any:
    """A ``Desk`` on ``db``; a store that cannot be opened ends the command with its reason."""
    from rich.markup import escape

    from storydesk import Desk
    from storydesk.store import StoreError

    try:
        return Desk(db, **kw)
    except StoreError as e:
        fail(escape(str(e)))


def checked_since(since: str | None) -> str | None:
    """``--since`` as given (None when blank); a value that is not a date ends the command
    with a one-line error naming it."""
    from rich.markup import escape

    from storydesk.models import since_date

    try:
        return since_date(since)
    except ValueError as e:
        fail(escape(f"--since {since}: {e}"))
    return None  # pragma: no cover - fail() exits
