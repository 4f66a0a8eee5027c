"""Printing for the command line: JSON for machines, tables for people."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console()
err = Console(stderr=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit."""
    import typer

    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def article_json(article: Any, *, with_text: bool = True) -> dict[str, Any]:
    d = article.to_dict(with_text=with_text)
    keys = ["id", "title", "text", "date", "outlet", "url", "language", "author", "cited",
            "entities", "duplicate_of", "duplicate_share", "date_source", "word_count", "origin",
            "extra", "added_at"]
    return {k: d[k] for k in keys if k in d}


def clip(text: str, width: int = 90) -> str:
    """``text`` cut to ``width`` characters at a word boundary, with "…" when cut."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(" ,;:") + "…"
