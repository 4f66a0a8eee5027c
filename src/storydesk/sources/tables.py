"""CSV and TSV files: one article per row, the header naming the columns as JSON rows
name their fields (``title``, ``text``, ``date``, ``outlet``, ``url``..., or the common
aliases of :data:`storydesk.sources.jsonl.FIELD_ALIASES`).

A file whose header names no text column is refused whole with one line saying so,
never read as one article of all rows. Origins are ``file.csv:ROW`` (the header is row 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from storydesk.models import Failure, RawDocument
from storydesk.sources.jsonl import row_document, storydesk_fields

csv.field_size_limit(1 << 30)  # an article's text is one cell; the file's cap bounds it


def _dialect(text: str, tsv: bool) -> type[csv.Dialect] | csv.Dialect:
    if tsv:
        return csv.excel_tab
    head = text[:8192]
    try:
        return csv.Sniffer().sniff(head.split("\n", 1)[0] + "\n", delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def table_documents(text: str, *, origin: str, tsv: bool = False,
                    field_map: dict[str, str] | None = None
                    ) -> Iterator[RawDocument | Failure]:
    """The articles of a CSV (or, ``tsv``, tab-separated) text, one per row."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), _dialect(text, tsv))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        yield Failure(origin, "empty table")
        return
    header = [h.strip() for h in header]
    named = storydesk_fields(dict.fromkeys(header, "x"), field_map)
    if "text" not in named and "html" not in named:
        shown = ", ".join(h for h in header if h)[:120] or "none"
        yield Failure(origin, f"no text column in the header (columns: {shown}); name one "
                              "text or html, or map it with --field text=COLUMN")
        return
    rows = 0
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            rows += 1
            where = f"{origin}:{number}"
            if len(cells) > len(header):
                yield Failure(where, f"row {number}: {len(cells)} cells under "
                                     f"{len(header)} columns")
                continue
            row = {h: c.strip() for h, c in zip(header, cells, strict=False) if h and c.strip()}
            yield row_document(row, where, field_map)
    except csv.Error as e:
        yield Failure(origin, f"not a readable table ({' '.join(str(e).split())[:120]})")
        return
    if rows == 0:
        yield Failure(origin, "no rows under the header")


__all__ = ["table_documents"]
