"""The sources stage: user inputs (files, folders, URLs, feeds, OPML, WARC, JSON)
in, RawDocument objects out.

    for item in iter_documents(["notes/", "https://example.org/feed.xml"]):
        if isinstance(item, Failure): report(item.origin, item.reason)
        else: handle(item)

Never raises for bad input: each input or item that cannot be read is a Failure
with a one-line reason, and the rest of the batch goes on.

Progress: ``plan(inputs)`` expands folders into files and returns the units of
work (files and URLs), so a caller can size a progress bar and feed the units
one at a time::

    units = plan(inputs)
    for unit in units:
        for item in iter_documents([unit], fetcher):
            ...
        bar.advance()

One unit may give many documents (a feed, a JSON-lines file, a WARC archive).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from storydesk.models import Failure, RawDocument
from storydesk.sources.feeds import HTML_TYPES, feed_documents, is_feed, is_opml
from storydesk.sources.fetch import Fetcher, FetchError, FetchResult
from storydesk.sources.files import file_documents, walk_folder
from storydesk.sources.opml import OpmlError, parse_opml

__all__ = [
    "FetchError",
    "FetchResult",
    "Fetcher",
    "iter_documents",
    "plan",
]

URL_PREFIXES = ("http://", "https://")


def is_url(item: str) -> bool:
    return item.lower().startswith(URL_PREFIXES)


def _local_path(item: str) -> str:
    if item.lower().startswith("file://"):
        item = item[len("file://"):]
    return os.path.expanduser(item)


def plan(inputs: Iterable[str]) -> list[str]:
    """The units of work: URLs as given, files as given, folders expanded (recursively,
    sorted, hidden files and unknown extensions left out). Missing paths and empty
    folders stay in the list, so that reading them reports a Failure."""
    units: list[str] = []
    for raw in inputs:
        item = str(raw).strip()
        if not item:  # kept, so that reading it reports a Failure (an empty name)
            units.append(item)
            continue
        if is_url(item):
            units.append(item)
            continue
        path = _local_path(item)
        if os.path.isdir(path):
            files = walk_folder(path)
            units.extend(files or [path])
        else:
            units.append(path)
    return units


class _Reader:
    """Reads units with one fetcher, created only when a URL needs it."""

    def __init__(self, fetcher: Fetcher | None, max_bytes: int, fetch_pages: bool,
                 field_map: dict[str, str] | None = None):
        self._fetcher = fetcher
        self.field_map = field_map
        self._own_fetcher = False
        self.max_bytes = max_bytes
        self.fetch_pages = fetch_pages

    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher()
            self._own_fetcher = True
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def unit(self, unit: str) -> Iterator[RawDocument | Failure]:
        if is_url(unit):
            yield from self.url(unit)
        elif os.path.isdir(unit):
            yield Failure(unit, "folder has no readable files")
        else:
            yield from file_documents(unit, get_fetcher=self.fetcher, on_opml=self.opml,
                                      max_bytes=self.max_bytes, fetch_pages=self.fetch_pages,
                                      field_map=self.field_map)

    def url(self, url: str, *, feed_only: bool = False) -> Iterator[RawDocument | Failure]:
        try:
            result = self.fetcher().fetch(url)
        except FetchError as e:
            yield Failure(url, e.reason)
            return
        if is_feed(result.headers.get("content-type"), result.content):
            yield from feed_documents(
                result.content, self.fetcher() if self.fetch_pages else None, origin=url,
                base_url=result.final_url, content_type=result.headers.get("content-type"),
                fetch_pages=self.fetch_pages,
            )
            return
        media = result.content_type or "unknown type"
        if feed_only:
            yield Failure(url, f"not a feed ({media})")
            return
        if is_opml(result.content):
            yield from self.opml(result.content, url)
            return
        if media in HTML_TYPES or media == "text/plain":
            if not result.text.strip():
                yield Failure(url, "empty page" if not result.content.strip()
                              else "binary content, not text")
            else:
                kind = "text" if media == "text/plain" else "html"
                yield RawDocument(origin=url, kind=kind, content=result.text,
                                  url=result.final_url)
            return
        yield Failure(url, f"unsupported content type {media}")

    def opml(self, data: bytes, origin: str) -> Iterator[RawDocument | Failure]:
        try:
            feeds = parse_opml(data)
        except OpmlError as e:
            yield Failure(origin, str(e))
            return
        if not feeds:
            yield Failure(origin, "no feeds in OPML")
            return
        for feed in feeds:
            if not is_url(feed.url):
                yield Failure(f"{origin} {feed.url}", "feed URL is not http(s)")
                continue
            yield from self.url(feed.url, feed_only=True)


def iter_documents(
    inputs: Iterable[str],
    fetcher: Fetcher | None = None,
    *,
    max_bytes: int = 20_000_000,
    fetch_pages: bool = True,
    field_map: dict[str, str] | None = None,
) -> Iterator[RawDocument | Failure]:
    """Yield a RawDocument for each article found in ``inputs`` and a Failure for each
    input or item that cannot be read. Documents come lazily, in input order.

    ``fetcher`` is used for URLs, feeds and feed entry pages; without one a default
    Fetcher (public addresses only) is made on first need and closed at the end.
    ``max_bytes`` caps each file (each line of JSON lines, each WARC record).
    ``fetch_pages=False`` reads feed entries from the feed's own content only.
    ``field_map`` (storydesk field -> key) names the fields of JSON rows and CSV columns.
    """
    reader = _Reader(fetcher, max_bytes, fetch_pages, field_map)
    try:
        for unit in plan(inputs):
            try:
                yield from reader.unit(unit)
            except Exception as e:  # a bug or an input nobody foresaw: report it, go on
                text = " ".join(str(e).split())[:160]
                yield Failure(unit, f"unexpected error: {type(e).__name__}: {text}")
    finally:
        reader.close()
