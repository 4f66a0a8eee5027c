"""Entity commands: ``eval entities FILE.jsonl``.

Registered on the main app by ``register(app)`` (see cli/app.py); it joins the ``eval``
group when there is one, else creates it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from storydesk.cli.output import console, eval_group, fail, print_json, read_labelled_jsonl


def eval_entities(
    file: Annotated[Path, typer.Argument(help="JSON lines: id, text, entities (a list of "
                                         "{text, type, start, end}; type PER, ORG, LOC or "
                                         "MISC, MISC not scored).",
                                         exists=True, dir_okay=False, readable=True)],
    lang: Annotated[str | None, typer.Option("--lang", help="Language of every row (ISO "
                                             "639-1, e.g. en, ru). [default: detected per "
                                             "row]", show_default=False)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object: precision, "
                                           "recall, f1 (typed, document level), the same "
                                           "under per_type, documents and models.")] = False,
) -> None:
    """Score storydesk's named entities against labelled documents: typed document-level
    precision, recall and F1 (a document's gold is its distinct (name, type) pairs, the
    longest form of each; a name is found when a predicted name of its type equals it or
    holds it as whole words), overall and for PER, ORG and LOC."""
    from storydesk.extract.entity_eval import evaluate

    rows = read_labelled_jsonl(file, ("text", "entities"))
    for n, r in enumerate(rows, 1):
        ents = r["entities"]
        if not isinstance(ents, list) or any(
                not isinstance(e, dict) or "text" not in e or "type" not in e for e in ents):
            fail(f"{file}: row {n}: 'entities' must be a list of {{text, type}} objects")
    result: dict[str, Any] = evaluate(rows, language=lang)
    if json_out:
        print_json(result)
        return
    table = Table("type", "precision", "recall", "F1", "predicted", "gold", box=None,
                  pad_edge=False)
    for name, r in [*result["per_type"].items(), ("all", result)]:
        table.add_row(name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
                      str(r["predicted"]), str(r["gold"]))
    console.print(table)
    models = ", ".join(f"{escape(m)} ({n})" for m, n in result["models"].items())
    console.print(f"[dim]{result['documents']} documents; entity models: {models}[/dim]",
                  highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``entities`` to the ``eval`` group."""
    eval_group(app).command("entities")(eval_entities)
