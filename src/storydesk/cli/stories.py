"""Story commands: ``stories``, ``show story``, ``rebuild`` and ``eval stories``.

Registered on the main app by ``register(app, show_app)`` (see cli/app.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storydesk.cli.options import DbOption, JsonOption, checked_since, open_desk
from storydesk.cli.output import (
    clip,
    console,
    count_line,
    err,
    eval_group,
    fail,
    print_json,
    read_labelled_jsonl,
)

EVAL_KEYS = ["bcubed_precision", "bcubed_recall", "bcubed_f1", "ari", "nmi", "stories_found",
             "stories_gold", "articles_per_s"]
LANGUAGE_KEYS = ["languages", "across_languages"]

def story_json(story: Any, *, with_why: bool = True) -> dict[str, Any]:
    """A story with exactly the documented keys (``why`` keyed by article id)."""
    d = story.to_dict(with_why=with_why)
    keys = ["id", "title", "article_ids", "outlets", "first_date", "last_date", "entities"]
    out = {k: d[k] for k in keys}
    if with_why:
        out["why"] = {str(a): w for a, w in d["why"].items()}
    return out


def stories(
    since: Annotated[str | None, typer.Option(help="Only stories whose latest article is dated "
                                              "on or after this date (YYYY-MM-DD).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories with an article from this "
                                               "outlet.")] = None,
    cited: Annotated[str | None, typer.Option(help="Only stories with an article citing this "
                                              "source (an agency or outlet: TASS).")] = None,
    limit: Annotated[int, typer.Option(help="How many to list, latest first.", min=0)] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.", min=0)] = 0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List stories, latest first: title (the most representative headline), article count,
    outlets, first and last date, key entities. Articles are placed as they are added; see
    [bold]storydesk show story ID[/bold] for why each article is in its story."""
    since = checked_since(since)
    desk = open_desk(db)
    desk.place_new_articles()  # articles stored by an older version or an interrupted run
    rows = desk.stories(limit=limit, offset=offset, since=since, outlet=outlet, cited=cited)
    if json_out:
        print_json([story_json(s, with_why=False) for s in rows])
        desk.close()
        return
    table = Table("id", "articles", "dates", "title", "outlets", "entities", box=None,
                  pad_edge=False)
    for s in rows:
        dates = (s.first_date or "")[:10]
        if s.last_date and s.last_date[:10] != dates:
            dates += f" – {s.last_date[:10]}"
        table.add_row(str(s.id), str(len(s.article_ids)), dates, escape(clip(s.title)),
                      escape(", ".join(s.outlets[:4]) + (" …" if len(s.outlets) > 4 else "")),
                      escape(", ".join(e["name"] for e in s.entities[:4])))
    console.print(table)
    total = desk.count_stories(since=since, outlet=outlet, cited=cited)
    console.print(count_line(len(rows), total, "stories", bool(since or outlet or cited)),
                  highlight=False)
    desk.close()


def show_story(
    story_id: Annotated[int, typer.Argument(help="Story id (see storydesk stories).")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show one story: its articles and, for each, why it is there (shared entities and
    terms, days apart, similarity)."""
    desk = open_desk(db)
    st = desk.story(story_id)
    if st is None:
        fail(f"no story with id {story_id}")
    summary = desk.story_summary(story_id)  # stored; made again when the story changed
    if json_out:
        print_json({**story_json(st), "summary": summary.to_dict()["summary"] if summary else []})
        desk.close()
        return
    console.print(f"[bold]{escape(st.title)}[/bold]")
    dates = (st.first_date or "?")[:10] + " – " + (st.last_date or "?")[:10]
    for k, v in [("id", str(st.id)), ("articles", str(len(st.article_ids))), ("dates", dates),
                 ("outlets", ", ".join(st.outlets)),
                 ("entities", ", ".join(e["name"] for e in st.entities))]:
        console.print(f"[dim]{k:>9}[/dim]  {escape(v)}", highlight=False)
    if summary and summary.sentences:
        from storydesk.cli.summaries import print_story_summary

        console.print("\n[bold]Summary[/bold]")
        print_story_summary(summary.to_dict())
    console.print()
    arts = {a.id: a for a in desk.articles_by_ids(st.article_ids)}
    for aid in st.article_ids:
        a = arts.get(aid)
        head = f"[bold]{aid}[/bold]  " + (escape(a.title) if a else "?")
        if a:
            head += f"  [dim]{escape(a.outlet or '')} {(a.date or '')[:10]}[/dim]"
        console.print(head, highlight=False)
        why = st.why.get(aid) or {}
        console.print(f"      [dim]why:[/dim] {escape(str(why.get('summary', '')))}",
                      highlight=False)
    desk.close()


def rebuild(db: DbOption = None) -> None:
    """Regroup every stored article into stories with the current settings (slow on a
    large store: a progress bar shows how far it is)."""
    desk = open_desk(db)
    with Progress(TextColumn("[bold]regrouping[/bold]"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as bar:
        task = bar.add_task("rebuild", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        n = desk.rebuild(progress=tick)
    console.print(f"{desk.count_articles()} articles in {n} stories", highlight=False)
    desk.close()


def eval_stories(
    file: Annotated[Path, typer.Argument(help="JSON lines: id, text, optional title, date, "
                                         "outlet, entities, language (detected when "
                                         "missing); gold story label in 'story'.",
                                         exists=True, dir_okay=False, readable=True)],
    seed: Annotated[int, typer.Option(help="Shuffle the input order with this seed.")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object with "
                                           + ", ".join(EVAL_KEYS + LANGUAGE_KEYS)
                                           + ".")] = False,
) -> None:
    """Group a labelled file online (in an order shuffled by --seed) and score it against the
    gold stories: BCubed precision/recall/F1, ARI, NMI, stories found vs gold, articles/s;
    then per language (BCubed F1, same-story pairs found, different pairs joined) and
    across languages. Nothing is stored."""
    from storydesk.extract.language import detect_language
    from storydesk.settings import Settings
    from storydesk.stories import evaluate

    rows = read_labelled_jsonl(file, ("id", "story"))
    for row in rows:
        if isinstance(row.get("entities"), list):
            row["entities"] = [e["name"] if isinstance(e, dict) else str(e)
                               for e in row["entities"]]
        if not row.get("language"):
            row["language"] = detect_language(f"{row.get('title') or ''}\n{row.get('text') or ''}")
    out = evaluate(rows, Settings().stories, seed=seed)
    result = {k: out.get(k) for k in EVAL_KEYS + LANGUAGE_KEYS}
    if json_out:
        print_json(result)
        return
    table = Table("measure", "value", box=None, pad_edge=False)
    for k in EVAL_KEYS:
        v = result[k]
        table.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))
    console.print(table)
    langs = Table("language", "articles", "bcubed_f1", "same-story pairs found",
                  "different pairs joined", box=None, pad_edge=False)
    for lang, v in (result["languages"] or {}).items():
        langs.add_row(lang, str(v["articles"]), _num(v["bcubed_f1"]), _num(v["pair_recall"]),
                      _num(v["pair_false_joins"]))
    x = result["across_languages"] or {}
    langs.add_row("across languages", "", "", _num(x.get("pair_recall")),
                  _num(x.get("pair_false_joins")))
    console.print(langs)


def _num(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def register(app: typer.Typer, show_app: typer.Typer) -> None:
    """Add the story commands to the main app and to ``show``."""
    app.command("stories")(stories)
    show_app.command("story")(show_story)
    app.command("rebuild")(rebuild)
    eval_group(app).command("stories")(eval_stories)
