"""Exports for research: every article, or every story with its summary and
comparison, as JSON lines, CSV or Parquet (``storydesk export``; docs/sources.md).

Column names and order are fixed (``ARTICLE_COLUMNS``, ``STORY_COLUMNS``) and
documented. Lists and objects are native in JSON lines; in CSV they are JSON
text; in Parquet they are nested columns (lists, structs, and maps for objects keyed
by article id or name: ``parquet_types``), so pandas, DuckDB and Spark read them as
data. A file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storydesk.desk import Desk

FORMATS = ("jsonl", "csv", "parquet")
PAGE = 500  # articles read from the store at a time

# name -> kind: int, float, str, strings (list of str), ids (list of int), or a nested
# kind (article_entities, story_entities, summary_sentences, comparison: JSON text in CSV,
# nested columns in Parquet, their types in ``parquet_types``)
ARTICLE_COLUMNS: dict[str, str] = {
    "id": "int", "title": "str", "date": "str", "outlet": "str", "url": "str",
    "author": "str", "language": "str", "word_count": "int", "cited": "strings",
    "entities": "article_entities", "duplicate_of": "int", "duplicate_share": "float",
    "story_id": "int", "date_source": "str", "origin": "str", "added_at": "str", "text": "str",
}
STORY_COLUMNS: dict[str, str] = {
    "id": "int", "title": "str", "first_date": "str", "last_date": "str",
    "article_count": "int", "article_ids": "ids", "outlets": "strings",
    "entities": "story_entities", "summary": "str", "summary_sentences": "summary_sentences",
    "comparison": "comparison",
}
SCALAR_KINDS = ("int", "float", "str")

Progress = Callable[[int, int | None], None]  # (done, total or None)


class ExportError(ValueError):
    """An export cannot be made; ``str()`` is one line."""


def article_rows(desk: Desk, since: str | None = None) -> Iterator[dict[str, Any]]:
    """One row per stored article (dated on or after ``since``), oldest first."""
    placed = desk.store.all_placements()
    offset = 0
    while page := desk.store.list_articles(limit=PAGE, offset=offset, since=since,
                                           with_text=True):
        offset += len(page)
        for a in page:
            d = a.to_dict()
            d["entities"] = [{"name": e.name, "type": e.type, "count": e.count}
                             for e in a.entities]
            d["story_id"] = placed.get(a.id) if a.id is not None else None
            yield {k: d.get(k) for k in ARTICLE_COLUMNS}


def story_rows(desk: Desk, since: str | None = None, *,
               comparison: bool = True) -> Iterator[dict[str, Any]]:
    """One row per story (last article on or after ``since``), latest first, with its
    summary and, for stories of two or more articles, its comparison (both stored:
    made once, then read back)."""
    desk.place_new_articles()
    for st in desk.stories(limit=None, since=since):
        summ = desk.story_summary(st.id)
        sentences = summ.to_dict()["summary"] if summ else []
        compared = None
        if comparison and len(st.article_ids) > 1:
            stored = desk.story_comparison(st.id)  # kept in the store once made
            compared = stored["comparison"] if stored else None
        yield {
            "id": st.id, "title": st.title, "first_date": st.first_date,
            "last_date": st.last_date, "article_count": len(st.article_ids),
            "article_ids": list(st.article_ids), "outlets": list(st.outlets),
            "entities": st.entities, "summary": "\n".join(s["text"] for s in sentences),
            "summary_sentences": sentences, "comparison": compared,
        }


def count(desk: Desk, what: str, since: str | None = None) -> int:
    """How many rows an export of ``what`` will have (for a progress bar)."""
    if what == "articles":
        return len(desk.store.list_articles(limit=None, since=since))
    return len(desk.stories(limit=None, since=since))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _jsonl(rows: Iterator[dict[str, Any]], out: IO[str], tick: Callable[[], None]) -> None:
    for row in rows:
        out.write(_json(row) + "\n")
        tick()


def _csv(rows: Iterator[dict[str, Any]], columns: dict[str, str], out: IO[str],
         tick: Callable[[], None]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow([
            "" if row[k] is None else row[k] if kind in SCALAR_KINDS else _json(row[k])
            for k, kind in columns.items()
        ])
        tick()


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ExportError("--format parquet needs pyarrow: pip install 'storydesk[parquet]'"
                          ) from None
    return pyarrow


def parquet_types(pa: Any) -> dict[str, Any]:
    """The Arrow type of each column kind. Objects keyed by article id (a comparison's
    ``unique``, ``cited``, ``tone``, ``framing``) are maps from the id; a tone's
    ``entities`` a map from the name. Keys a row has beyond these are left out."""
    i, f, s = pa.int64(), pa.float64(), pa.string()

    def struct(**fields: Any) -> Any:
        return pa.struct(list(fields.items()))

    source = struct(article_id=i, sentence=i, text=s)
    fact = struct(text=s, sources=pa.list_(source))
    scored = pa.list_(struct(sentence=i, text=s, score=f))
    side = struct(article_id=i, sentence=i, text=s, value=s, normalised=s)
    profile = struct(geography=f, entities=f, time=f, narrative=f, overall=f, style=f,
                     tone=f)
    entity_tone = struct(tone=s, score=f, mentions=i, sentences=scored)
    comparison = struct(
        shared=pa.list_(fact), partial=pa.list_(fact),
        unique=pa.map_(i, pa.list_(fact)),
        contradictions=pa.list_(struct(type=s, about=s, sides=pa.list_(side))),
        cited=pa.map_(i, pa.list_(s)),
        rewrites=pa.list_(struct(articles=pa.list_(i), share=f)),
        tone=pa.map_(i, struct(tone=s, score=f, sentences=scored,
                               entities=pa.map_(s, entity_tone))),
        framing=pa.map_(i, struct(entities=pa.list_(s), themes=pa.list_(s))),
        similarity=pa.list_(struct(articles=pa.list_(i), profile=profile)),
    )
    return {
        "int": i, "float": f, "str": s, "strings": pa.list_(s), "ids": pa.list_(i),
        "article_entities": pa.list_(struct(name=s, type=s, count=i)),
        "story_entities": pa.list_(struct(name=s, type=s, articles=i)),
        "summary_sentences": pa.list_(struct(text=s, sources=pa.list_(
            struct(article_id=i, sentence=i)), outlets=i)),
        "comparison": comparison,
    }


def _arrow_value(value: Any, kind: Any, pa: Any) -> Any:
    """``value`` shaped for Arrow type ``kind``: maps as (key, value) pairs with their keys
    converted (JSON keeps article ids as strings), structs and lists walked."""
    if value is None:
        return None
    if pa.types.is_map(kind):
        key_int = pa.types.is_integer(kind.key_type)
        return [(int(k) if key_int else str(k), _arrow_value(v, kind.item_type, pa))
                for k, v in value.items()]
    if pa.types.is_struct(kind) and isinstance(value, dict):
        return {kind.field(n).name: _arrow_value(value.get(kind.field(n).name),
                                                 kind.field(n).type, pa)
                for n in range(kind.num_fields)}
    if pa.types.is_list(kind) and isinstance(value, list):
        return [_arrow_value(v, kind.value_type, pa) for v in value]
    return value


def _parquet(rows: Iterator[dict[str, Any]], columns: dict[str, str], path: str,
             tick: Callable[[], None]) -> None:
    pa = _pyarrow()
    types = parquet_types(pa)
    schema = pa.schema([(k, types[kind]) for k, kind in columns.items()])
    with pa.parquet.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch.clear()

        for row in rows:
            batch.append({k: row[k] if kind in SCALAR_KINDS else
                          _arrow_value(row[k], types[kind], pa) for k, kind in columns.items()})
            tick()
            if len(batch) >= PAGE:
                flush()
        flush()


def export(
    desk: Desk,
    what: str,
    fmt: str,
    out: str | Path | None = None,
    *,
    since: str | None = None,
    comparison: bool = True,
    progress: Callable[[], None] | None = None,
    stdout: IO[str] | None = None,
) -> None:
    """Write ``what`` ("articles" or "stories") as ``fmt`` to the file ``out`` (or to
    ``stdout`` for jsonl and csv). Raises ExportError."""
    if what not in ("articles", "stories"):
        raise ExportError(f"{what}: expected articles or stories")
    if fmt not in FORMATS:
        raise ExportError(f"--format {fmt}: expected one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        _pyarrow()
        if out is None:
            raise ExportError("--format parquet writes a file: give --out FILE")
    columns = ARTICLE_COLUMNS if what == "articles" else STORY_COLUMNS
    rows = (article_rows(desk, since) if what == "articles"
            else story_rows(desk, since, comparison=comparison))
    tick = progress or (lambda: None)
    if out is None:
        target = stdout or sys.stdout
        if fmt == "jsonl":
            _jsonl(rows, target, tick)
        else:
            _csv(rows, columns, target, tick)
        target.flush()
        return
    path = Path(out)
    tmp = path.with_name(f".{path.name}.part")
    try:
        if fmt == "parquet":
            _parquet(rows, columns, str(tmp), tick)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                (_jsonl(rows, f, tick) if fmt == "jsonl" else _csv(rows, columns, f, tick))
        os.replace(tmp, path)
    except OSError as e:
        raise ExportError(f"{out}: {e.strerror or e}") from None
    finally:
        tmp.unlink(missing_ok=True)
