"""Following sources: ``storydesk sources ...`` (subscriptions and their health, the
outlets of stored articles) and ``storydesk watch`` (the poller).

Registered on the main app by ``register(app)`` (see cli/app.py).
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from storydesk.cli.options import DbOption, JsonOption, open_desk
from storydesk.cli.output import clip, console, err, fail, print_json, shown

AllowPrivate = Annotated[bool, typer.Option("--allow-private", help="Allow fetching from "
                         "private, loopback and link-local addresses.")]
EveryOption = Annotated[str, typer.Option("--every", help="Time between two polls: 30s, 15m, "
                                          "2h, 1d.")]

sources_app = typer.Typer(
    help="Subscribed feeds and their health ([bold]sources add/list/remove/import/export[/bold])"
    ", and the outlets of stored articles ([bold]sources outlets[/bold]).",
    no_args_is_help=True,
)

SOURCE_KEYS = ["id", "name", "url", "site_url", "every", "state", "added_at", "last_fetch",
               "last_ok", "last_new", "last_error", "last_error_at", "last_result", "failures",
               "next_poll", "articles", "etag", "last_modified"]


def _every(text: str) -> float:
    from storydesk.follow import SubscribeError, parse_every

    try:
        return parse_every(text)
    except SubscribeError as e:
        fail(escape(f"--every {e}"))
        raise  # unreachable: fail exits


def source_json(sub: Any) -> dict[str, Any]:
    d = sub.to_dict()
    return {k: d[k] for k in SOURCE_KEYS}


def when(value: str | None, now: datetime | None = None, *, due: bool = False) -> str:
    """An ISO time as people read it next to now: ``3m ago``, ``in 14m``, ``now``
    (``due``: a time past is ``due``)."""
    from storydesk.follow import format_every
    from storydesk.models import parse_iso

    if not value:
        return "-"
    secs = (parse_iso(value) - (now or datetime.now(UTC))).total_seconds()
    if due and secs <= 0:
        return "due"
    if abs(secs) < 1:
        return "now"
    span = format_every(round(abs(secs)) if abs(secs) >= 60 else round(abs(secs)))
    if abs(secs) >= 3600:  # minutes are enough past an hour
        span = format_every(round(abs(secs) / 60) * 60)
    return f"in {span}" if secs > 0 else f"{span} ago"


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="A feed URL, or a site URL whose feed is found "
                                       "from its <link rel=\"alternate\">.")],
    every: EveryOption = "15m",
    name: Annotated[str | None, typer.Option(help="Name of the source; its articles' outlet. "
                                             "\\[default: the feed's title]")] = None,
    check: Annotated[bool, typer.Option("--check/--no-check", help="Fetch the URL now and "
                     "check that it is (or announces) a feed.")] = True,
    allow_private: AllowPrivate = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Subscribe to a feed; [bold]storydesk watch[/bold] then polls it."""
    from storydesk.follow import SubscribeError, format_every

    seconds = _every(every)
    desk = open_desk(db, allow_private=allow_private)
    try:
        sub = desk.subscribe(url, every=seconds, name=name, check=check)
    except SubscribeError as e:
        fail(escape(str(e)))
    finally:
        desk.close()
    if json_out:
        print_json(source_json(sub))
        return
    found = f" (found on {sub.site_url})" if sub.site_url else ""
    console.print(f"source {sub.id}: {escape(sub.label)} <{escape(sub.url)}>{escape(found)}"
                  f", every {format_every(sub.every)}", highlight=False, soft_wrap=True)


@sources_app.command("list")
def sources_list(
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List subscriptions with their health: last fetch, last new article, consecutive
    failures, next poll; for a failing one its last error and last success."""
    from storydesk.follow import format_every

    desk = open_desk(db)
    subs = desk.subscriptions()
    desk.close()
    if json_out:
        print_json([source_json(s) for s in subs])
        return
    now = datetime.now(UTC)
    table = Table("id", "name", "every", "state", "fetched", "last new", "articles", "fails",
                  "next poll", box=None, pad_edge=False)
    for s in subs:
        state = {"failing": "[red]failing[/red]", "new": "[yellow]new[/yellow]"}.get(
            s.state, s.state)
        table.add_row(str(s.id), escape(clip(s.label, 28)), format_every(s.every), state,
                      when(s.last_fetch, now), when(s.last_new, now), str(s.articles),
                      str(s.failures), when(s.next_poll, now, due=True))
    console.print(table)
    failing = [s for s in subs if s.state == "failing"]
    for s in failing:
        fails = f"{s.failures} failure{'' if s.failures == 1 else 's'} in a row"
        console.print(f"[red]failing:[/red] {s.id} {escape(s.label)} <{escape(s.url)}>: "
                      f"{escape(s.last_error or '')} ({when(s.last_error_at, now)}; {fails}; "
                      f"last ok {when(s.last_ok, now) if s.last_ok else 'never'})",
                      highlight=False, soft_wrap=True)
    console.print(f"{len(subs)} sources, {len(failing)} failing", highlight=False)


@sources_app.command("remove")
def sources_remove(
    sources: Annotated[list[str], typer.Argument(help="Source ids or feed URLs.")],
    db: DbOption = None,
) -> None:
    """Stop following sources (their stored articles stay)."""
    desk = open_desk(db)
    missing = []
    for key in sources:
        if not desk.unsubscribe(int(key) if key.isdigit() else key):
            missing.append(key)
        else:
            console.print(f"removed {escape(key)}", highlight=False)
    desk.close()
    if missing:
        fail(f"{', '.join(missing)}: no such source (see storydesk sources list)")


@sources_app.command("import")
def sources_import(
    file: Annotated[Path, typer.Argument(help="An OPML file of feeds.")],
    every: EveryOption = "15m",
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Subscribe to every feed of an OPML file (the feeds are fetched by the next poll)."""
    from storydesk.follow import SubscribeError, import_opml

    seconds = _every(every)
    desk = open_desk(db)
    try:
        added, known, refused = import_opml(desk.store, file, every=seconds)
    except SubscribeError as e:
        fail(escape(str(e)))
    finally:
        desk.close()
    if json_out:
        print_json({"added": [source_json(s) for s in added], "already": known,
                    "failed": [{"input": u, "reason": r} for u, r in refused]})
    else:
        for u, r in refused:
            err.print(f"[red]failed:[/red] {escape(shown(u))}: {escape(shown(r))}",
                      highlight=False)
        console.print(f"{len(added)} subscribed, {len(known)} already subscribed, "
                      f"{len(refused)} failed", highlight=False)
    if refused:
        raise typer.Exit(1)


@sources_app.command("export")
def sources_export(
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file "
                                             "\\[default: standard output].")] = None,
    db: DbOption = None,
) -> None:
    """Write the subscriptions as an OPML list (for another feed reader, or a backup)."""
    from storydesk.follow import export_opml

    desk = open_desk(db)
    data = export_opml(desk.subscriptions())
    desk.close()
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as e:
        fail(f"{out}: {e.strerror or e}")


@sources_app.command("outlets")
def sources_outlets(
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Every outlet of the stored articles: article count, dates, copies and the sources
    it cites most (the web reader's Sources page)."""
    desk = open_desk(db)
    rows = desk.outlets()
    desk.close()
    if json_out:
        print_json(rows)
        return
    table = Table("outlet", "articles", "first", "last", "copies", "cites most", box=None,
                  pad_edge=False)
    for r in rows:
        cited = ", ".join(f"{name} ({n})" for name, n in r["cited"])
        table.add_row(escape(r["name"] or "(outlet unknown)"), str(r["count"]),
                      r["first"] or "", r["last"] or "", str(r["duplicates"]), escape(cited))
    console.print(table)
    unknown = sum(r["count"] for r in rows if not r["name"])
    known = sum(1 for r in rows if r["name"])
    console.print(f"{known} outlet{'' if known == 1 else 's'}" + (
        f"; {unknown} article{'' if unknown == 1 else 's'} with the outlet unknown"
        if unknown else ""), highlight=False)


def setup_logging() -> None:
    """Log lines of the poller on standard error: ``2026-03-23 10:00:00 round 1: ...``."""
    logger = logging.getLogger("storydesk.watch")
    if not any(getattr(h, "_storydesk", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
        handler._storydesk = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def watch(
    duration: Annotated[float | None, typer.Option("--for", help="Stop after this many "
                        "seconds (finishing the article in hand).", show_default=False,
                        min=0)] = None,
    rounds: Annotated[int | None, typer.Option(help="Stop after this many poll rounds.",
                      show_default=False, min=1)] = None,
    max_entries: Annotated[int | None, typer.Option(help="New entries taken from one feed "
                           "per poll; the rest come with the next polls. \\[default: all]",
                           show_default=False, min=1)] = None,
    workers: Annotated[int | None, typer.Option(help="Hosts polled at once. \\[default: 4]",
                       show_default=False, min=1)] = None,
    delay: Annotated[float | None, typer.Option(help="Seconds between two requests to one "
                     "host. \\[default: 1.0]", show_default=False, min=0)] = None,
    allow_private: AllowPrivate = False,
    db: DbOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object per poll "
                        "round on standard output.")] = False,
) -> None:
    """Follow the subscribed sources: poll each on its own schedule, store new articles
    and place them in stories. Logs one line per poll round on standard error; Ctrl-C
    (SIGINT) or SIGTERM stops after the article in hand. Exits 1 at once when nothing is
    subscribed, and at the end when every poll of every round failed."""
    from storydesk.follow import Watcher

    desk = open_desk(db, allow_private=allow_private)
    follow = desk.settings.follow
    if max_entries is not None:
        follow.max_entries = max_entries
    if workers is not None:
        follow.workers = workers
    if delay is not None:
        desk.settings.fetch.per_host_delay = delay
    setup_logging()
    log = logging.getLogger("storydesk.watch")

    polls = {"done": 0, "failed": 0}

    def on_round(report: Any) -> None:
        polls["done"] += len(report.polls)
        polls["failed"] += sum(1 for p in report.polls if not p.ok)
        if json_out:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
            sys.stdout.flush()

    watcher = Watcher(desk, on_round=on_round)

    def on_signal(signum: int, _frame: Any) -> None:
        if watcher.stopping:
            raise KeyboardInterrupt
        log.info("%s: stopping after the article in hand (again to quit at once)",
                 signal.Signals(signum).name)
        watcher.stop()

    subs = desk.subscriptions()
    if not subs:
        desk.close()
        fail("no subscriptions to watch: add one with [bold]storydesk sources add URL[/bold] "
             "or a list with [bold]storydesk sources import FILE.opml[/bold]")
    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    log.info("watching %d sources%s", len(subs),
             f" for {duration:g} s" if duration is not None else "")
    try:
        new = watcher.run(duration=duration, rounds=rounds)
    except KeyboardInterrupt:
        fail("interrupted")
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        desk.close()
    log.info("stopped after %d round%s: %d new article%s", watcher.rounds,
             "" if watcher.rounds == 1 else "s", new, "" if new == 1 else "s")
    if polls["done"] and polls["failed"] == polls["done"]:
        fail(f"every poll failed ({polls['failed']} of {polls['done']}): see "
             "[bold]storydesk sources list[/bold] for each source's last error")


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
    app.command()(watch)
