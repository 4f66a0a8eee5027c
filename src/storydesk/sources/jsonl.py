"""JSON rows (``.json``: one object or a list; ``.jsonl``: one object per line).

Known fields: ``title``, ``text`` or ``html``, ``url``, ``date``, ``outlet``,
``author``; every other key is kept in ``fields`` as extra metadata.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from storydesk.models import Failure, RawDocument
from storydesk.sources.decode import human_size

CONTENT_KEYS = ("html", "text")


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:160]


def row_document(row: Any, origin: str) -> RawDocument | Failure:
    """One JSON object -> RawDocument: kind "html" if it has ``html``, else kind "text"
    if it has ``text``, else a Failure."""
    if not isinstance(row, dict):
        return Failure(origin, f"not a JSON object ({type(row).__name__})")
    html, text = row.get("html"), row.get("text")
    fields = {k: v for k, v in row.items() if k not in CONTENT_KEYS}
    url = row.get("url")
    url = url.strip() if isinstance(url, str) and url.strip() else None
    if isinstance(html, str) and html.strip():
        return RawDocument(origin=origin, kind="html", content=html, url=url, fields=fields)
    if isinstance(text, str) and text.strip():
        return RawDocument(origin=origin, kind="text", content=text, url=url, fields=fields)
    return Failure(origin, "no text or html field")


def jsonl_documents(
    lines: Iterable[bytes], *, origin: str, max_bytes: int
) -> Iterator[RawDocument | Failure]:
    """One document per non-blank line; a bad line is a Failure ``file.jsonl:7``, and
    the other lines go on. ``max_bytes`` caps each line, not the file."""
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if len(raw) > max_bytes:
            yield Failure(where, f"line {number}: too large (over cap {human_size(max_bytes)})")
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield Failure(where, f"line {number}: not UTF-8")
            continue
        except json.JSONDecodeError as e:
            yield Failure(where, f"line {number}: invalid JSON ({_one_line(e)})")
            continue
        yield row_document(row, where)


def json_documents(text: str, *, origin: str) -> Iterator[RawDocument | Failure]:
    """A ``.json`` file: one object, or a list of objects (origins ``file.json#3``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        yield Failure(origin, f"invalid JSON ({_one_line(e)})")
        return
    if isinstance(data, dict):
        yield row_document(data, origin)
    elif isinstance(data, list):
        if not data:
            yield Failure(origin, "empty JSON list")
        for i, row in enumerate(data, start=1):
            yield row_document(row, f"{origin}#{i}")
    else:
        yield Failure(origin, f"JSON is a {type(data).__name__}, not an object or a list")
