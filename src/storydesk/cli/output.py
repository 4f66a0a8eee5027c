"""Printing for the command line: JSON for machines, tables for people."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console()
err = Console(stderr=True)


def shown(text: str) -> str:
    """Text fit for one terminal line: controls, line breaks and invisible format
    characters (ESC, newline, bidi overrides) written as escapes (``\\x1b``, ``\\n``),
    so a file name cannot forge an output line or reach the terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit; what went to standard output before it is
    flushed first, so the error is the last line also where both streams are one."""
    import typer

    sys.stdout.flush()
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def article_json(article: Any, *, with_text: bool = True) -> dict[str, Any]:
    d = article.to_dict(with_text=with_text)
    keys = ["id", "title", "text", "date", "outlet", "url", "language", "author", "cited",
            "entities", "entities_model", "duplicate_of", "duplicate_share", "date_source",
            "word_count", "origin", "extra", "added_at"]
    return {k: d[k] for k in keys if k in d}


def count_line(shown: int, total: int, noun: str, filtered: bool) -> str:
    """The line under a listing: "3 of 20 articles" (20 being all that match the filters),
    or "no articles match these filters"."""
    if filtered and total == 0:
        return f"no {noun} match these filters"
    return f"{shown} of {total} {noun}"


def clip(text: str, width: int = 90) -> str:
    """``text`` cut to ``width`` characters at a word boundary, with "…" when cut."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(" ,;:") + "…"


def eval_group(app: Any) -> Any:
    """The ``eval`` sub-command group of ``app`` (a Typer app), made on first use."""
    import typer

    for group in app.registered_groups:
        if group.name == "eval" and group.typer_instance is not None:
            return group.typer_instance
    group_app = typer.Typer(help="Measure storydesk against labelled data.", no_args_is_help=True)
    app.add_typer(group_app, name="eval")
    return group_app


def read_labelled_jsonl(file: Any, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of a labelled JSON-lines file; a bad line ends the command with a one-line
    error naming the file and line."""
    from pathlib import Path

    from rich.markup import escape

    rows: list[dict[str, Any]] = []
    try:
        text = Path(file).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        fail(escape(f"{file}: not UTF-8 text (byte {e.start})"))
    except OSError as e:
        fail(escape(f"{file}: cannot read ({e.strerror or e})"))
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            fail(f"{file}:{n}: not JSON ({e.msg})")
        if not isinstance(row, dict) or any(k not in row for k in required):
            fail(f"{file}:{n}: a row needs " + " and ".join(f"'{k}'" for k in required))
        rows.append(row)
    if not rows:
        fail(f"{file}: no rows")
    return rows
