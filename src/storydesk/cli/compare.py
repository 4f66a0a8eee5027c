"""Comparison commands: ``compare A B [...]``, ``eval similarity FILE.csv`` and
``eval facts FILE.jsonl``.

Registered on the main app by ``register(app)`` (see cli/app.py).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storydesk.cli.options import DbOption, open_desk
from storydesk.cli.output import console, eval_group, fail, print_json

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a report.")]


def compare(
    inputs: Annotated[list[str] | None, typer.Argument(
        help="Two or more stored article ids or article files (text, HTML, JSON lines).",
        show_default=False)] = None,
    story: Annotated[int | None, typer.Option(help="Compare the articles of this stored "
                                              "story instead.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Compare coverage: shared and unique facts, contradictions, sources, tone, similarity."""
    from storydesk.compare.inputs import CompareInputError
    from storydesk.compare.report import print_report
    from storydesk.desk import Desk

    inputs = inputs or []
    if story is not None and inputs:
        fail("give either --story ID or articles to compare, not both")
    needs_store = story is not None or any(i.strip().isdigit() for i in inputs)
    desk = open_desk(db) if needs_store else None
    try:
        if story is not None:  # kept in the store: instant when the story has not changed
            found = desk.story_comparison(story)  # type: ignore[union-attr]
            if found is None:
                fail(f"story {story}: no such story")
                return
            data = {k: v for k, v in found.items() if k not in ("story_id", "cached")}
        else:
            if len(inputs) < 2:
                fail("compare needs at least two articles")
            data = Desk.compare_inputs(desk, inputs).to_dict()
    except (CompareInputError, ValueError) as e:
        fail(str(e) if story is None else f"story {story}: {e}")
        return
    finally:
        if desk is not None:
            desk.close()
    if json_out:
        print_json(data)
        return
    names = {a["id"]: f"{a['outlet'] or ''} {a['date'] or ''} — {a['title']}".strip()
             for a in data["articles"]}
    print_report(data, names, console)


def eval_similarity(
    file: Annotated[str, typer.Argument(help="A CSV with the SemEval-2022 Task 8 columns "
                                        "(lang1, lang2, text1, text2, Geography ... Tone).")],
    model: Annotated[str | None, typer.Option(help="Profile model: default, minilm (needs the "
                     "transformers extra) or a JSON file. \\[default: $STORYDESK_SIMILARITY "
                     "or default]", show_default=False)] = None,
    embeddings: Annotated[bool, typer.Option("--embeddings", help="Add MiniLM cosine as a "
                          "baseline (needs the transformers extra).")] = False,
    cv: Annotated[bool | None, typer.Option("--cv/--no-cv", help="Score the model's recipe "
                  "by grouped 5-fold cross-validation on FILE instead of its shipped weights. "
                  "\\[default: only when the model was fitted on FILE]",
                  show_default=False)] = None,
    json_out: JsonOption = False,
) -> None:
    """Correlation of the similarity profile with human labels, with baselines."""
    from storydesk.compare.similarity import DIMENSIONS, evaluate_similarity

    try:
        r = evaluate_similarity(file, model, embeddings=embeddings, cv=cv)
    except (OSError, KeyError, ValueError, RuntimeError) as e:
        fail(f"{file}: {e}")
        return
    if json_out:
        print_json(r)
        return
    for part in ("english", "all"):
        res = r[part]
        table = Table(f"{part} ({res['pairs']} pairs)", "pearson", "spearman",
                      *[f"{b} r" for b in res.get("baselines", {})], box=None, pad_edge=False)
        for d in DIMENSIONS:
            table.add_row(d, f"{res[d]['pearson']:.3f}", f"{res[d]['spearman']:.3f}",
                          *[f"{v[d]['pearson']:.3f}" for v in res.get("baselines", {}).values()])
        console.print(table)
        console.print()
    console.print(f"[dim]{r['pairs']} pairs; model: {escape(r['model'])}; "
                  f"{escape(r['evaluation'])}[/dim]")
    if r["fitted_on_this_file"]:
        console.print("[dim]The shipped model was fitted on this file: the figures above "
                      "are cross-validated; see docs/comparison.md.[/dim]")


def eval_facts(
    file: Annotated[str, typer.Argument(help="JSON lines {id, label, s1, s2}: two sentences "
                                        "and label 1 when they state the same fact.")],
    model: Annotated[str | None, typer.Option(help="Fact judge: default, minilm (needs the "
                     "transformers extra) or a JSON file written by bench/judge.py --fit. "
                     "[default: default]", show_default=False)] = None,
    json_out: JsonOption = False,
) -> None:
    """Accuracy, F1, precision and recall of the fact judge (same fact or not)."""
    from storydesk.compare.judge import evaluate_facts

    try:
        r = evaluate_facts(file, model)
    except (OSError, ValueError, RuntimeError) as e:
        fail(f"{file}: {escape(str(e))}")
        return
    if json_out:
        print_json(r)
        return
    console.print(f"{r['pairs']} pairs, judge {escape(r['model'])} (threshold "
                  f"{r['threshold']:g}): accuracy {r['accuracy']:.3f}  F1 {r['f1']:.3f}  "
                  f"precision {r['precision']:.3f}  recall {r['recall']:.3f}", highlight=False)
    if r["fitted_on_this_file"]:
        console.print("[dim]The judge was fitted on this file: these figures are in-sample; "
                      "bench/judge.py gives cross-validated ones (docs/comparison.md).[/dim]")


def register(app: typer.Typer) -> None:
    """Add ``compare`` to the main app and ``similarity`` and ``facts`` to its ``eval``
    group."""
    app.command("compare")(compare)
    eval_group(app).command("similarity")(eval_similarity)
    eval_group(app).command("facts")(eval_facts)
