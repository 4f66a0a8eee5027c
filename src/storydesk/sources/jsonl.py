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


class _Bad:
    """Stands in for a value JSON lines may not hold; the row that holds one fails."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _number(text: str) -> int | _Bad:
    try:
        return int(text)
    except ValueError:  # over Python's limit on digits (4,300)
        return _Bad(f"a number of {len(text.lstrip('-'))} digits")


def _constant(name: str) -> _Bad:
    return _Bad(f"{name} is not valid JSON")


def loads(text: str | bytes) -> Any:
    """``json.loads`` that never raises past a one-line reason: ``ValueError`` for
    invalid JSON and nesting too deep; integers past Python's digit limit and
    ``NaN``/``Infinity`` come back as markers that fail only the row holding them."""
    try:
        return json.loads(text, parse_int=_number, parse_constant=_constant)
    except RecursionError:
        raise ValueError("nested too deep") from None


def _bad_value(row: Any) -> str | None:
    """The reason of the first marker in a parsed row, if any."""
    todo = [row]
    while todo:
        v = todo.pop()
        if isinstance(v, _Bad):
            return v.reason
        if isinstance(v, dict):
            todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)
    return None


def row_document(row: Any, origin: str) -> RawDocument | Failure:
    """One JSON object -> RawDocument: kind "html" if it has ``html``, else kind "text"
    if it has ``text``, else a Failure."""
    if not isinstance(row, dict):
        return Failure(origin, f"not a JSON object ({type(row).__name__})")
    if bad := _bad_value(row):
        return Failure(origin, bad)
    url = row.get("url")
    if url is not None and not isinstance(url, str):
        return Failure(origin, f"url is {type(url).__name__}, not a string")
    html, text = row.get("html"), row.get("text")
    fields = {k: v for k, v in row.items() if k not in CONTENT_KEYS}
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
            row = loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield Failure(where, f"line {number}: not UTF-8")
            continue
        except ValueError as e:
            yield Failure(where, f"line {number}: invalid JSON ({_one_line(e)})")
            continue
        yield row_document(row, where)


def json_documents(text: str, *, origin: str) -> Iterator[RawDocument | Failure]:
    """A ``.json`` file: one object, or a list of objects (origins ``file.json#3``)."""
    try:
        data = loads(text)
    except ValueError as e:
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
