"""Local files and folders: which files to read, and how to read each kind.

Kinds by name: ``.txt``; ``.html``/``.htm``/``.xhtml``; ``.json``; ``.jsonl``/``.ndjson``;
``.csv``/``.tsv`` (one article per row); ``.warc``/``.warc.gz``; ``.opml``;
``.xml``/``.rss``/``.atom`` (feeds); and ``.gz`` of any of them.
A file named on its own with another or no extension is sniffed.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO

from storydesk.models import Failure, RawDocument
from storydesk.sources.decode import NotText, decode_bytes, human_size
from storydesk.sources.feeds import feed_documents, is_feed, is_opml
from storydesk.sources.fetch import Fetcher
from storydesk.sources.jsonl import json_documents, jsonl_documents
from storydesk.sources.tables import table_documents
from storydesk.sources.warc import warc_documents

SUFFIX_KINDS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json",
    ".csv": "csv", ".tsv": "tsv",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc",
    ".opml": "opml",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}

FetcherGetter = Callable[[], Fetcher]
OpmlHandler = Callable[[bytes, str], Iterator[RawDocument | Failure]]


def file_kind(path: str) -> tuple[str | None, bool]:
    """(kind, gzipped) from a file name; kind None when the name says nothing."""
    name = os.path.basename(path).lower()
    if name.endswith(".warc.gz"):
        return "warc", False  # warcio reads the gzip members itself
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    return SUFFIX_KINDS.get(os.path.splitext(name)[1]), gz


def is_supported(path: str) -> bool:
    return file_kind(path)[0] is not None


def walk_folder(folder: str) -> list[str]:
    """The readable files under ``folder``, recursively, sorted; hidden ones left out."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and is_supported(name):
                found.append(os.path.join(root, name))
    return sorted(found)


class _GzipProblem(Exception):
    pass


def _gzip_reason(e: BaseException) -> str:
    if isinstance(e, EOFError):
        return "truncated gzip"
    return f"not a valid gzip file ({' '.join(str(e).split())[:120]})"


def _read_gzip(path: str, cap: int) -> bytes:
    try:
        with gzip.open(path, "rb") as fh:
            return fh.read(cap + 1)
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise _GzipProblem(_gzip_reason(e)) from None


def _capped_lines(fh: BinaryIO, cap: int) -> Iterator[bytes]:
    """Lines of at most ``cap + 1`` bytes; the rest of a longer line is skipped."""
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def _jsonl_file(path: str, origin: str, gz: bool, cap: int,
                field_map: dict[str, str] | None = None) -> Iterator[RawDocument | Failure]:
    opener = gzip.open if gz else open
    line_count = 0
    try:
        with opener(path, "rb") as fh:  # type: ignore[operator]
            for item in jsonl_documents(_capped_lines(fh, cap), origin=origin,
                                        max_bytes=cap, field_map=field_map):
                line_count += 1
                yield item
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        yield Failure(origin, _gzip_reason(e))
        return
    if line_count == 0:
        yield Failure(origin, "empty file")


def _sniff_kind(data: bytes) -> str:
    if is_feed(None, data):
        return "feed"
    if is_opml(data):
        return "opml"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in data[:4096].lower():
        return "html"
    return "text"


def missing_reason(path: str) -> str:
    """Why ``path``, which is not there, cannot be read: a URL of a scheme storydesk does
    not fetch (``ftp://``, a mistyped ``htp://``) is named as such."""
    if not path.strip():
        return "an empty name, not a file or URL"
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", path)
    if scheme:
        return f"not an http(s) URL ({scheme[1]}://), and no such file"
    return "no such file or folder"


def file_documents(
    path: str,
    *,
    origin: str | None = None,
    get_fetcher: FetcherGetter,
    on_opml: OpmlHandler,
    max_bytes: int,
    fetch_pages: bool = True,
    field_map: dict[str, str] | None = None,
) -> Iterator[RawDocument | Failure]:
    """The documents in one file, or Failures saying why not. ``field_map`` names the
    fields of JSON rows and table columns (see :func:`storydesk.sources.jsonl.storydesk_fields`)."""
    origin = origin or path
    try:
        size = os.stat(path).st_size
        if not os.path.isfile(path):
            yield Failure(origin, "not a regular file")
            return
        if not os.access(path, os.R_OK):
            yield Failure(origin, "permission denied")
            return
    except FileNotFoundError:
        yield Failure(origin, missing_reason(path))
        return
    except OSError as e:
        yield Failure(origin, f"cannot read ({e.strerror or e})")
        return
    if size == 0:
        yield Failure(origin, "empty file")
        return

    kind, gz = file_kind(path)
    if kind == "warc":
        yield from warc_documents(path, origin=origin, max_bytes=max_bytes)
        return
    if kind == "jsonl":
        yield from _jsonl_file(path, origin, gz, max_bytes, field_map)
        return
    if size > max_bytes:
        yield Failure(origin, f"too large ({human_size(size)} > cap {human_size(max_bytes)})")
        return
    try:
        if gz:
            data = _read_gzip(path, max_bytes)
            if len(data) > max_bytes:
                yield Failure(origin, f"too large (over cap {human_size(max_bytes)} "
                                      "after decompression)")
                return
        else:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
    except _GzipProblem as e:
        yield Failure(origin, str(e))
        return
    except OSError as e:
        yield Failure(origin, f"cannot read ({e.strerror or e})")
        return
    if not data.strip():
        yield Failure(origin, "empty file")
        return

    if kind is None:
        if b"\x00" in data[:8192]:
            yield Failure(origin, "binary file, not text")
            return
        kind = _sniff_kind(data)
    if kind == "json" and is_feed(None, data):  # a JSON Feed saved as .json
        kind = "feed"
    if kind == "feed":
        if is_opml(data):
            yield from on_opml(data, origin)
            return
        yield from feed_documents(data, get_fetcher() if fetch_pages else None, origin=origin,
                                  fetch_pages=fetch_pages)
        return
    if kind == "opml":
        yield from on_opml(data, origin)
        return
    try:
        text = decode_bytes(data, markup=kind == "html")
    except NotText as e:
        yield Failure(origin, str(e))
        return
    if not text.strip():
        yield Failure(origin, "empty file")
    elif kind == "json":
        yield from json_documents(text, origin=origin, field_map=field_map)
    elif kind in ("csv", "tsv"):
        yield from table_documents(text, origin=origin, tsv=kind == "tsv", field_map=field_map)
    elif kind == "html":
        yield RawDocument(origin=origin, kind="html", content=text)
    else:
        yield RawDocument(origin=origin, kind="text", content=text)


__all__ = ["file_documents", "file_kind", "is_supported", "missing_reason", "walk_folder"]
