"""WARC archives (plain or gzipped, via warcio): HTML responses become documents.

Records are read one at a time, so an archive may be far larger than the size cap;
the cap applies to each record. A broken archive yields the good records first,
then one Failure for the part that cannot be read.
"""

from __future__ import annotations

import contextlib
import io
import os
import zlib
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storydesk.models import Failure, RawDocument
from storydesk.sources.decode import NotText, charset_from_content_type, decode_bytes, human_size

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())[:160]
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _next_quietly(it: Iterator[Any], warnings: io.StringIO) -> Any:
    """warcio writes warnings about malformed records to stderr; catch them instead."""
    with contextlib.redirect_stderr(warnings):
        try:
            return next(it, None)
        except (AttributeError, TypeError, IndexError, KeyError):
            # warcio trips over some malformed headers (a response without a target URI)
            raise ArchiveLoadFailed("malformed record headers") from None


def _drain(record: Any) -> bool:
    """Read the rest of a record's block; False when the file ends before it does."""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return getattr(stream, "limit", 0) <= 0


def warc_documents(path: str, *, origin: str, max_bytes: int) -> Iterator[RawDocument | Failure]:
    """Yield a RawDocument (kind "html") per successful HTML response or resource record.

    Origins are ``file.warc.gz#N <uri>`` with N the record's position in the file.
    ``fields["warc_date"]`` holds WARC-Date: the capture time, a fallback for the
    article date; redirects, errors and non-HTML records are passed over silently.
    """
    n = 0
    warnings = io.StringIO()
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
        fh.seek(0)
        try:
            it = ArchiveIterator(fh)
            while (record := _next_quietly(it, warnings)) is not None:
                n += 1
                doc = _record_document(record, f"{origin}#{n}", max_bytes)
                if not _drain(record):
                    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                    yield Failure(f"{origin}#{n} {uri}".rstrip(), "truncated WARC record")
                    return
                if doc is not None:
                    yield doc
        except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as e:
            reason = "truncated or malformed WARC" if n else "not a readable WARC file"
            yield Failure(f"{origin}#{n + 1}" if n else origin, f"{reason} ({_one_line(e)})")
            return
    problem = warnings.getvalue().strip().splitlines()[0] if warnings.getvalue().strip() else ""
    problem = problem.strip().removeprefix("WARNING:").strip()
    if problem:
        yield Failure(f"{origin}#{n}" if n else origin,
                      f"malformed WARC ({problem[:120]})")
    elif gzipped and it.offset < size:
        yield Failure(f"{origin}#{n + 1}", f"truncated WARC: {human_size(size - it.offset)} "
                                          "at the end cannot be read")
    elif n == 0:
        yield Failure(origin, "no WARC records")


def _record_document(record: Any, where: str, max_bytes: int) -> RawDocument | Failure | None:
    if record.rec_type not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    where = f"{where} {uri}".rstrip()
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    if ctype.split(";")[0].strip().lower() not in HTML_TYPES:
        return None
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Failure(where, f"too large (over cap {human_size(max_bytes)})")
    if not body.strip():
        return Failure(where, "empty response")
    try:
        text = decode_bytes(body, declared=charset_from_content_type(ctype), markup=True)
    except NotText as e:
        return Failure(where, str(e))
    fields: dict[str, str] = {}
    date = record.rec_headers.get_header("WARC-Date")
    if date:
        fields["warc_date"] = date
    return RawDocument(origin=where, kind="html", content=text, url=uri or None, fields=fields)
