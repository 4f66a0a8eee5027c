"""``storydesk export articles|stories``: data for research, as JSON lines, CSV or Parquet.

Registered on the main app by ``register(app)`` (see cli/app.py).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storydesk.cli.options import DbOption, checked_since, open_desk
from storydesk.cli.output import err, fail


class What(StrEnum):
    articles = "articles"
    stories = "stories"


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def export(
    what: Annotated[What, typer.Argument(help="articles, or stories (with article ids, "
                                         "outlets, summary and comparison).")],
    fmt: Annotated[Format, typer.Option("--format", help="File format.")] = Format.jsonl,
    since: Annotated[str | None, typer.Option(help="Only articles dated (stories whose last "
                                              "article is dated) on or after this date "
                                              "(YYYY-MM-DD).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file \\[default: "
                                             "standard output; parquet needs a file].",
                                             show_default=False)] = None,
    comparison: Annotated[bool, typer.Option("--comparison/--no-comparison", help="Stories: "
                          "compare the outlets of each story (the slow part).")] = True,
    db: DbOption = None,
) -> None:
    """Export articles or stories for research; column names are fixed and documented in
    docs/sources.md."""
    from storydesk.export import ExportError, count
    from storydesk.export import export as run_export

    since = checked_since(since)
    desk = open_desk(db)
    with Progress(TextColumn(f"[bold]exporting {what.value}[/bold]"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as bar:
        task = bar.add_task("export", total=count(desk, what.value, since))
        try:
            run_export(desk, what.value, fmt.value, out, since=since, comparison=comparison,
                       progress=lambda: bar.advance(task))
        except ExportError as e:
            fail(escape(str(e)))
        finally:
            desk.close()
    if out is not None:
        err.print(f"{what.value}: wrote {escape(str(out))}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command()(export)
