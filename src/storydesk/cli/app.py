"""``storydesk``: ingest, browse and search a news desk from the terminal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from storydesk.cli.options import DbOption, JsonOption, checked_since, open_desk
from storydesk.cli.output import (
    article_json,
    clip,
    console,
    count_line,
    err,
    fail,
    print_json,
    shown,
)

app = typer.Typer(
    help="storydesk: a self-hosted news desk. Ingest articles from many outlets, "
    "group them into stories, summarise and compare coverage.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
show_app = typer.Typer(help="Show one article (or story) in full.", no_args_is_help=True)
app.add_typer(show_app, name="show")


@app.command()
def add(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, URLs of pages or feeds, "
                                                 "OPML lists, JSON lines, WARC archives.")],
    outlet: Annotated[str | None, typer.Option(help="Outlet name for all these inputs "
                                               "(else read from the source).")] = None,
    outlet_from_folder: Annotated[bool, typer.Option(
        "--outlet-from-folder", help="An article whose source names no outlet gets the name "
        "of the folder holding its file (saved-pages/Fox News/a.txt: Fox News).")] = False,
    field: Annotated[list[str] | None, typer.Option(
        "--field", metavar="FIELD=KEY", help="Read KEY of JSON rows and CSV columns as "
        "FIELD (title, text, html, outlet, date, url, author, summary, language); "
        "repeatable. Common names (headline, content, source, pubDate...) need "
        "none.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching from "
                             "private, loopback and link-local addresses.")] = False,
    delay: Annotated[float | None, typer.Option(
        help="Seconds between two requests to one host. \\[default: 1.0]",
        show_default=False)] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Ingest articles: clean them, describe them and store them."""
    from storydesk.sources.jsonl import parse_field_map

    try:
        field_map = parse_field_map(field or [])
    except ValueError as e:
        fail(escape(str(e)), 2)
    desk = open_desk(db, allow_private=allow_private)
    if delay is not None:
        desk.settings.fetch.per_host_delay = delay
    counts = {"added": 0, "duplicate": 0, "failed": 0}
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingesting[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        console=err,
        transient=True,
        disable=json_out or not err.is_terminal,
    ) as bar:
        task = bar.add_task("ingest", total=None, status="")

        def tick(event: str, origin: str) -> None:
            if event == "unit":
                bar.update(task, advance=1)
                return
            counts[event] = counts.get(event, 0) + 1
            bar.update(task, status=escape(
                f"{counts['added']} added, {counts['duplicate']} dup, {counts['failed']} failed"
                f" · {shown(origin)[-50:]}"))

        report = desk.add(sources, outlet=outlet, progress=tick,
                          on_plan=lambda n: bar.update(task, total=n), field_map=field_map,
                          outlet_from_folder=outlet_from_folder)
    if json_out:
        print_json({
            "added": report.added,
            "duplicates": [{"input": o, "id": i} for o, i in report.duplicates],
            "near_duplicates": [{"id": a, "duplicate_of": b} for a, b in report.near_duplicates],
            "failed": [{"input": f.origin, "reason": f.reason} for f in report.failures],
        })
    else:
        for f in report.failures:
            err.print(f"[red]failed:[/red] {escape(shown(f.origin))}: {escape(shown(f.reason))}",
                      highlight=False, soft_wrap=True)
        console.print(report.summary_line(), highlight=False)
    desk.close()
    if report.failures:
        raise typer.Exit(1)


@app.command()
def articles(
    limit: Annotated[int, typer.Option(help="How many to list.", min=0)] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.", min=0)] = 0,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    since: Annotated[str | None, typer.Option(help="Only articles dated on or after "
                                              "this date (YYYY-MM-DD).")] = None,
    cited: Annotated[str | None, typer.Option(help="Only articles citing this source (an "
                                              "agency or outlet: TASS).")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List stored articles, oldest first."""
    since = checked_since(since)
    desk = open_desk(db)
    rows = desk.articles(limit=limit, offset=offset, outlet=outlet, since=since, cited=cited)
    if json_out:
        print_json([article_json(a, with_text=False) for a in rows])
        return
    table = Table("id", "date", "outlet", "title", "cited", "dup of", box=None, pad_edge=False)
    for a in rows:
        table.add_row(str(a.id), (a.date or "")[:10], escape(a.outlet or ""), escape(clip(a.title)),
                      escape(", ".join(a.cited)), str(a.duplicate_of or ""))
    console.print(table)
    total = desk.count_articles(outlet=outlet, since=since, cited=cited)
    console.print(count_line(len(rows), total, "articles", bool(outlet or since or cited)),
                  highlight=False)


@show_app.command("article")
def show_article(
    article_id: Annotated[int, typer.Argument(help="Article id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show one article: its metadata, cited sources, entities and clean text."""
    desk = open_desk(db)
    a = desk.article(article_id)
    if a is None:
        fail(f"no article with id {article_id}")
    if json_out:
        print_json(article_json(a))
        return
    console.print(f"[bold]{escape(a.title)}[/bold]")
    meta = [
        ("id", str(a.id)), ("outlet", a.outlet), ("date", a.date and f"{a.date} ({a.date_source})"),
        ("author", a.author), ("language", a.language), ("url", a.url),
        ("cited", ", ".join(a.cited)), ("words", str(a.word_count)),
        ("entities", ", ".join(f"{e.name} ({e.type[:3]}, {e.count})" for e in a.entities[:12])
         or (a.entities_model == "none" and f"none (no entity model for {a.language})")),
        ("duplicate of",
         a.duplicate_of and f"{a.duplicate_of} ({a.duplicate_share or 0:.0%} in common)"),
    ]
    for k, v in meta:
        if v:
            console.print(f"[dim]{k:>12}[/dim]  {escape(str(v))}", highlight=False)
    console.print()
    console.print(escape(a.text), highlight=False)


@app.command(context_settings={"ignore_unknown_options": True})
def search(
    words: Annotated[list[str], typer.Argument(
        help='Words to find, all of them; a OR b; -word or NOT word to leave out; '
        '"quoted words" as a phrase (quote them for the shell too); prefix* for any ending.',
        show_default=False)],
    limit: Annotated[int, typer.Option(help="How many results.", min=1)] = 20,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Full-text search over titles and text (docs/web.md#search has the syntax)."""
    from storydesk.store import QueryError

    query = " ".join(words)
    desk = open_desk(db)
    try:
        hits = desk.search(query, limit=limit)
    except QueryError as e:
        fail(escape(str(e)))
    if json_out:
        from storydesk.store import bracketed

        print_json([{**article_json(a, with_text=False), "snippet": bracketed(s)}
                    for a, s in hits])
        return
    if not hits:
        console.print(f"No articles match {escape(query.strip())!r}.", highlight=False)
        return
    for a, snip in hits:
        console.print(f"[bold]{a.id}[/bold]  {escape(a.title)}  [dim]{escape(a.outlet or '')} "
                      f"{(a.date or '')[:10]}[/dim]", highlight=False)
        console.print(_highlight(snip))
    console.print(f"{len(hits)} result{'' if len(hits) == 1 else 's'}", highlight=False)


def _highlight(snippet: str) -> Text:
    """The snippet with the store's [match] marks shown in bold."""
    from storydesk.store import snippet_parts

    out = Text("    ")
    for part, hit in snippet_parts(snippet):
        out.append(part, style="bold yellow" if hit else None)
    return out



@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    watch: Annotated[bool, typer.Option("--watch", help="Also follow the subscribed sources "
                     "(as storydesk watch) in the background.")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="With --watch: allow "
                             "fetching from private, loopback and link-local addresses.")] = False,
    prepare_every: Annotated[float, typer.Option(help="Seconds between background passes "
                             "that summarise and compare the stories changed since the last "
                             "(all at start), so story pages open at once; 0 to turn "
                             "off.")] = 30.0,
    db: DbOption = None,
) -> None:
    """Start the web reader and JSON API."""
    from storydesk.web.cli import serve as run_server

    run_server(db, host, port, watch=watch, allow_private=allow_private,
               prepare_every=prepare_every)


from storydesk.cli.stories import register as _register_stories  # noqa: E402

_register_stories(app, show_app)


from storydesk.cli.summaries import register as _register_summaries  # noqa: E402

_register_summaries(app)


from storydesk.cli.compare import register as _register_compare  # noqa: E402

_register_compare(app)


from storydesk.cli.follow import register as _register_follow  # noqa: E402

_register_follow(app)


from storydesk.cli.export import register as _register_export  # noqa: E402

_register_export(app)


from storydesk.cli.batch import register as _register_batch  # noqa: E402

_register_batch(app)


from storydesk.cli.entities import register as _register_entities  # noqa: E402

_register_entities(app)


def _one_line_short_helps(typer_app: typer.Typer) -> None:
    """Give each command of ``typer_app`` (and of its groups) the first paragraph of its
    help as one line for the commands list, where Rich markup mode would otherwise keep
    the docstring's line breaks and break the descriptions mid-sentence."""
    import inspect

    for info in typer_app.registered_commands:
        if info.short_help is None:
            text = inspect.cleandoc(info.help or inspect.getdoc(info.callback) or "")
            info.short_help = " ".join(text.split("\n\n", 1)[0].split()) or None
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _one_line_short_helps(group.typer_instance)


_one_line_short_helps(app)


def main() -> None:
    app()
