"""Summary commands: ``summary`` and ``eval summaries``.

Registered on the main app by ``register(app)`` (see cli/app.py); ``eval summaries``
joins the ``eval`` group when there is one, else creates it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from storydesk.cli.options import DbOption, open_desk
from storydesk.cli.output import console, eval_group, fail, print_json, read_labelled_jsonl

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
METRICS = ("rouge1", "rouge2", "rougeLsum")


def _source_label(src: dict[str, Any]) -> str:
    who = src["input"] if src.get("article_id") is None else f"article {src['article_id']}"
    return f"{who} #{src['sentence']}"


def print_story_summary(d: dict[str, Any]) -> None:
    """A story summary for people: each sentence and who reports it."""
    total = d.get("outlets") or len(d.get("articles", []))
    for k, s in enumerate(d["summary"], 1):
        console.print(f"[bold]{k}.[/bold] {escape(s['text'])}", highlight=False)
        srcs = ", ".join(_source_label(x) for x in s["sources"])
        console.print(f"   [dim]reported by {s['outlets']} of {total}: {escape(srcs)}[/dim]",
                      highlight=False)
    if d.get("dropped"):
        console.print(f"[dim]{d['dropped']} generated sentence(s) without support in the "
                      "articles were dropped[/dim]", highlight=False)
    print_readability(d)


def print_readability(d: dict[str, Any]) -> None:
    """The summary's languages with no readability rules, as the article view notes a
    language with no entity model."""
    note = d.get("readability") or ""
    if "no rules" in note:
        console.print(f"[dim]readability: {escape(note)} (a sentence that leans on one "
                      "before it is not caught)[/dim]", highlight=False)


def summary(
    inputs: Annotated[list[str] | None, typer.Argument(
        help="A stored article id, or files / URLs; several are summarised together as one "
        "story.", show_default=False)] = None,
    sentences: Annotated[int | None, typer.Option(
        "--sentences", "-n", min=1, help="Sentences in the summary. \\[default: 3 for an "
        "article, 5 for a story]", show_default=False)] = None,
    words: Annotated[int | None, typer.Option(
        "--words", "-w", min=1, help="A word budget instead of a sentence count.",
        show_default=False)] = None,
    story: Annotated[int | None, typer.Option(
        "--story", help="Summarise this stored story.", show_default=False)] = None,
    abstractive: Annotated[bool, typer.Option(
        "--abstractive", help="Write the summary with the OpenAI-compatible endpoint in "
        "STORYDESK_LLM_URL / STORYDESK_LLM_MODEL; sentences the articles do not support are "
        "dropped.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Summarise an article (its best sentences, each with its index in the article's text),
    several articles together, or a stored story (each sentence with every article and
    sentence that states it). Stored summaries are kept and made again when their articles
    change."""
    from storydesk.services.summaries import StorySummary, SummaryInputError
    from storydesk.summarize.abstractive import AbstractiveError

    if sentences is not None and words is not None:
        fail("give --sentences or --words, not both")
    if story is not None and inputs:
        fail("give --story ID or inputs, not both")
    if story is None and not inputs:
        fail("nothing to summarise: give an article id, files or --story ID")
    desk = open_desk(db)
    ab = True if abstractive else None
    try:
        if story is not None:
            res: Any = desk.story_summary(story, sentences, words, abstractive=ab)
            if res is None:
                fail(f"no story with id {story}")
        else:
            res = desk.summarize(inputs or [], sentences, words, abstractive=ab)
    except (SummaryInputError, AbstractiveError) as e:
        fail(str(e))
    finally:
        desk.close()
    d = res.to_dict()
    if json_out:
        print_json(d)
        return
    if isinstance(res, StorySummary):
        print_story_summary(d)
        return
    if d.get("title"):
        console.print(f"[bold]{escape(d['title'])}[/bold]", highlight=False)
    if "sentences" in d:
        for s in d["sentences"]:
            console.print(f"[dim][{s['index']}][/dim] {escape(s['text'])}", highlight=False)
    else:
        for s in d["summary"]:
            srcs = ", ".join(str(x["sentence"]) for x in s["sources"])
            console.print(f"{escape(s['text'])} [dim](from {srcs})[/dim]", highlight=False)
        if d.get("dropped"):
            console.print(f"[dim]{d['dropped']} generated sentence(s) without support were "
                          "dropped[/dim]", highlight=False)
    print_readability(d)


def eval_summaries(
    file: Annotated[Path, typer.Argument(help="JSON lines: id, text, reference (a string or "
                                         "a list of sentences); optional systems.",
                                         exists=True, dir_okay=False, readable=True)],
    sentences: Annotated[int | None, typer.Option(
        "--sentences", "-n", min=1, help="Summary length. \\[default: the reference's number "
        "of sentences]", show_default=False)] = None,
    words: Annotated[bool, typer.Option(
        "--words", help="Give storydesk and lead-n the reference's word count as a budget "
        "instead.")] = False,
    baselines: Annotated[bool, typer.Option(
        "--baselines/--no-baselines", help="Also score sumy's LexRank, TextRank, LSA, Luhn "
        "and newspaper4k where installed (pip install 'storydesk[bench]').")] = True,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap resamples for the 95% "
                                           "intervals.")] = 1000,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object: one key per "
                                           "system, each {rouge1, rouge2, rougeLsum} F in 0..1 "
                                           "with *_ci intervals and n.")] = False,
) -> None:
    """Score storydesk's article summaries against reference summaries: ROUGE-1/2/Lsum F
    (rouge-score, Porter stemming) with 95% bootstrap intervals, next to lead-n, the installed
    baselines and any stored outputs in a row's 'systems' field (scored on the rows they
    cover, with storydesk and lead-n on the same rows under 'same_documents')."""
    from storydesk.summarize.baselines import (
        available_baselines,
        stored_system,
        stored_system_names,
    )
    from storydesk.summarize.evaluate import evaluate

    rows = read_labelled_jsonl(file, ("text", "reference"))
    systems = available_baselines() if baselines else {}
    try:
        result: dict[str, Any] = evaluate(rows, n_sentences=sentences, words=words,
                                          systems=systems, bootstrap=bootstrap)
        for name in stored_system_names(rows):
            cover = [r for r in rows if (r.get("systems") or {}).get(name)]
            sub = evaluate(cover, n_sentences=sentences, words=words,
                           systems={name: stored_system(name)}, bootstrap=bootstrap)
            result[name] = {**sub[name], "same_documents": {
                "storydesk": sub["storydesk"], "lead3": sub["lead3"]}}
    except RuntimeError as e:
        fail(str(e))
    if json_out:
        print_json(result)
        return
    table = Table("system", "ROUGE-1", "ROUGE-2", "ROUGE-Lsum", "docs", box=None,
                  pad_edge=False, title="F x100 [95% bootstrap interval]")
    for name, r in result.items():
        cells = [f"{100 * r[m]:.1f} [{100 * r[m + '_ci'][0]:.1f}-{100 * r[m + '_ci'][1]:.1f}]"
                 for m in METRICS]
        table.add_row(escape(name), *cells, str(r["n"]))
    console.print(table)
    for name, r in result.items():
        same = r.get("same_documents")
        if same:
            console.print(
                f"[dim]{escape(name)}: on its {r['n']} documents storydesk "
                + " / ".join(f"{100 * same['storydesk'][m]:.1f}" for m in METRICS)
                + ", lead3 " + " / ".join(f"{100 * same['lead3'][m]:.1f}" for m in METRICS)
                + "[/dim]", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``summary`` to the main app and ``summaries`` to its ``eval`` group."""
    app.command("summary")(summary)
    eval_group(app).command("summaries")(eval_summaries)
