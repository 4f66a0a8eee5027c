"""``storydesk batch INPUT... --out DIR``: the pipeline on Apache Spark (docs/scale.md).

Registered on the main app by ``register(app)`` (see cli/app.py).
"""

from __future__ import annotations

import glob
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from storydesk.cli.options import open_desk
from storydesk.cli.output import err, fail, print_json, shown


def batch(
    inputs: Annotated[list[str], typer.Argument(help="Files and folders (WARC, JSON lines, "
                                                "JSON, text, HTML) as local paths or Hadoop "
                                                "URLs (s3a://, hdfs://, file://).")],
    out: Annotated[str, typer.Option("--out", help="Folder (or Hadoop URL) for the Parquet "
                                     "tables articles, stories, summaries, duplicates, "
                                     "failures.")],
    master: Annotated[str, typer.Option(help="Spark master: local[*], local[2], "
                                        "spark://host:7077, yarn...")] = "local[*]",
    partitions: Annotated[int | None, typer.Option(help="Partitions of each shuffle "
                          "\\[default: 2 x the cores Spark has, or more so that none holds over "
                          "10,000 articles].", show_default=False)] = None,
    keep_near: Annotated[bool, typer.Option("--keep-near", help="Keep near-duplicate copies "
                         "(marked duplicate_of, placed in their original's story) instead of "
                         "dropping them.")] = False,
    load: Annotated[str | None, typer.Option("--load", help="Then load the tables into this "
                    "store (a SQLite path or database URL).", show_default=False)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Read, clean, deduplicate, group and summarise on Spark; write Parquet. The exit
    status is 1 when any input failed (the rest goes on), as for ``add``."""
    missing = [p for p in inputs if _missing_local(p)]
    if missing and len(missing) == len(inputs):  # nothing to read: no need to start Spark
        for p in missing:
            err.print(f"[red]failed:[/red] {escape(shown(p))}: no such file or folder",
                      highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if shutil.which("java") is None:
        fail("batch needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)")
    try:
        from storydesk.batch import run_batch
    except ImportError:
        fail("batch needs pyspark: pip install 'storydesk[spark]'")
    say = None if json_out else (lambda m: err.print(escape(m), highlight=False, soft_wrap=True))
    report = run_batch(inputs, out, master=master, partitions=partitions, keep_near=keep_near,
                       log=say)
    for f in report.failures[:20]:
        err.print(escape(f"failed: {shown(f.origin)}: {shown(f.reason)}"), highlight=False,
                  soft_wrap=True)
    if report.failure_count > 20:
        err.print(f"... {report.failure_count - 20} more in {escape(out)}/failures",
                  highlight=False)
    loaded = None
    if load:
        if "://" in out and not out.startswith("file://"):
            fail("--load reads the tables from a local --out folder")
        from storydesk.batch.load import load_parquet

        desk = open_desk(load)
        try:
            loaded = load_parquet(out.removeprefix("file://"), desk)
        finally:
            desk.close()
    failed = report.failure_count > 0
    if json_out:
        print_json({
            "documents": report.documents, "articles": report.articles,
            "exact_duplicates": report.exact_duplicates,
            "near_duplicates": report.near_duplicates, "stories": report.stories,
            "failed": report.failure_count, "seconds": round(report.seconds, 1),
            "failures": [{"origin": f.origin, "reason": f.reason} for f in report.failures],
            "loaded": loaded.__dict__ if loaded else None,
        })
    else:
        err.print(escape(report.summary_line()), highlight=False, soft_wrap=True)
        if loaded:
            err.print(f"loaded into {escape(load or '')}: {loaded.articles} articles "
                      f"({loaded.already_stored} already stored), {loaded.stories} stories, "
                      f"{loaded.summaries} summaries", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


def _missing_local(path: str) -> bool:
    """A local path (or ``file://`` URL, globs allowed) that names nothing."""
    if "://" in path and not path.startswith("file://"):
        return False  # s3a://, hdfs://: Spark lists them
    local = path.removeprefix("file://")
    return not Path(local).exists() and not glob.glob(local)


def register(app: typer.Typer) -> None:
    app.command()(batch)
