"""JSON rows (``.json``: one object or a list; ``.jsonl``: one object per line).

Known fields: ``title``, ``text`` or ``html``, ``url``, ``date``, ``outlet``,
``author``; every other key is kept in ``fields`` as extra metadata. The names common
scrapers use (``FIELD_ALIASES``: ``headline``, ``content``, ``source``, ``pubDate``...)
are read as these; ``field_map`` (``storydesk add --field outlet=site``) names others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from storydesk.models import Failure, RawDocument
from storydesk.sources.decode import human_size

CONTENT_KEYS = ("html", "text")

# Field names of common scrapers and exports (newspaper, news-please, NewsAPI, RSS-to-JSON
# tools, CMS exports) -> storydesk's own. A row's own storydesk name wins over an alias;
# among aliases the first listed here wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("headline", "heading"),
    "text": ("content", "body", "article", "maintext", "full_text", "article_text",
             "articleBody", "text_content", "description_full"),
    "html": ("raw_html", "content_html", "body_html"),
    "outlet": ("source", "publisher", "site_name", "siteName", "sitename", "source_name",
               "source_domain", "domain", "media", "newspaper"),
    "date": ("published", "pubDate", "publish_date", "published_at", "publishedAt",
             "date_publish", "datePublished", "pub_date", "published_date", "publication_date",
             "created_at", "timestamp"),
    "url": ("link", "href", "source_url", "article_url", "canonical_url"),
    "author": ("authors", "byline", "creator", "writer"),
    "summary": ("description", "abstract", "lead", "excerpt"),
    "language": ("lang", "locale"),
}


def _plain(value: Any) -> Any:
    """A nested value made one field: ``{"name": "BBC", "id": "bbc"}`` -> ``BBC``."""
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value", "url", "href"):
            if isinstance(value.get(key), str):
                return value[key]
    return value


def storydesk_fields(row: dict[str, Any], field_map: dict[str, str] | None = None
                     ) -> dict[str, Any]:
    """``row`` with its keys named as storydesk reads them: ``field_map`` first (storydesk
    name -> the row's key, as ``--field outlet=site`` gives), then the row's own storydesk
    names, then ``FIELD_ALIASES``. Keys read under another name are not kept twice."""
    out = dict(row)
    used: set[str] = set()
    for name, key in (field_map or {}).items():
        if key in row and row[key] not in (None, ""):
            out[name] = _plain(row[key])
            used.add(key)
    for name, aliases in FIELD_ALIASES.items():
        if name in (field_map or {}) or row.get(name) not in (None, ""):
            continue
        for alias in aliases:
            if row.get(alias) not in (None, "", [], {}):
                out[name] = _plain(row[alias])
                used.add(alias)
                break
    for key in used:
        if key not in FIELD_ALIASES and key not in (field_map or {}):
            out.pop(key, None)
    return out


def parse_field_map(specs: list[str]) -> dict[str, str]:
    """``["outlet=site", "text=story_body"]`` -> ``{"outlet": "site", ...}``; raises
    ValueError with a one-line reason for a spec that is not ``FIELD=KEY``."""
    known = set(FIELD_ALIASES)
    out: dict[str, str] = {}
    for spec in specs:
        name, sep, key = spec.partition("=")
        name, key = name.strip(), key.strip()
        if not sep or not name or not key:
            raise ValueError(f"--field {spec!r}: expected FIELD=KEY, e.g. outlet=source")
        if name not in known:
            raise ValueError(f"--field {spec!r}: {name!r} is not a field storydesk reads "
                             f"({', '.join(sorted(known))})")
        out[name] = key
    return out


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


def row_document(row: Any, origin: str, field_map: dict[str, str] | None = None
                 ) -> RawDocument | Failure:
    """One JSON object (or table row) -> RawDocument: kind "html" if it has ``html``, else
    kind "text" if it has ``text``, else a Failure. Keys as :func:`storydesk_fields`."""
    if not isinstance(row, dict):
        return Failure(origin, f"not a JSON object ({type(row).__name__})")
    if bad := _bad_value(row):
        return Failure(origin, bad)
    row = storydesk_fields(row, field_map)
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
    lines: Iterable[bytes], *, origin: str, max_bytes: int,
    field_map: dict[str, str] | None = None,
) -> Iterator[RawDocument | Failure]:
    """One document per non-blank line; a bad line is a Failure ``file.jsonl:7``, and
    the other lines go on. ``max_bytes`` caps each line, not the file."""
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if len(raw) > max_bytes:
            yield Failure(where, f"too large (over cap {human_size(max_bytes)})")
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            row = loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield Failure(where, "not UTF-8")
            continue
        except ValueError as e:
            yield Failure(where, f"invalid JSON ({_one_line(e)})")
            continue
        yield row_document(row, where, field_map)


def json_documents(text: str, *, origin: str, field_map: dict[str, str] | None = None
                   ) -> Iterator[RawDocument | Failure]:
    """A ``.json`` file: one object, or a list of objects (origins ``file.json#3``)."""
    try:
        data = loads(text)
    except ValueError as e:
        yield Failure(origin, f"invalid JSON ({_one_line(e)})")
        return
    if isinstance(data, dict):
        yield row_document(data, origin, field_map)
    elif isinstance(data, list):
        if not data:
            yield Failure(origin, "empty JSON list")
        for i, row in enumerate(data, start=1):
            yield row_document(row, f"{origin}#{i}", field_map)
    else:
        yield Failure(origin, f"JSON is a {type(data).__name__}, not an object or a list")
