"""RSS, Atom (via feedparser) and JSON feeds: sniffing, parsing, and turning each
entry into a document, by fetching the entry's page or, failing that, from the
entry's own content.

For following a feed on a schedule use ``poll_feed`` (a conditional GET) and then
``entry_documents`` with ``skip`` for links already seen; ``feed_links`` finds the
feeds a web page announces (``<link rel="alternate" type="application/rss+xml">``).
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import feedparser

from storydesk.models import Failure, RawDocument
from storydesk.sources.fetch import Fetcher, FetchError, FetchResult
from storydesk.sources.opml import declares_entities
from storydesk.text import word_count

FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/feed+json", "application/x-rss+xml",
})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
MIN_FALLBACK_WORDS = 40  # an entry's own content shorter than this is not an article
_FEED_HEAD = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*"""
    rb"""<(rss|feed|rdf:RDF)[\s>]""",
    re.DOTALL,
)
_JSON_FEED = re.compile(rb"""^\s*\{.{0,400}"version"\s*:\s*"https?://jsonfeed\.org""", re.DOTALL)
_OPML_HEAD = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<opml[\s>]""", re.DOTALL
)
_TAGS = re.compile(r"<[^>]+>")


class FeedError(ValueError):
    """The bytes are not a feed we can read; ``str()`` is a one-line reason."""


@dataclass
class FeedEntry:
    index: int  # 1-based position in the feed
    link: str | None
    fields: dict[str, Any]  # title, date, author, summary (plain text), outlet, feed, url
    content: str  # the entry's own HTML (full content if given, else its summary)
    guid: str | None = None  # the entry's id (RSS guid, Atom id), if it has one


@dataclass
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    # Why the feed is not well-formed, when it was read leniently despite that.
    problem: str | None = None


@dataclass
class FeedPoll:
    result: FetchResult
    feed: ParsedFeed | None  # None when not modified


def is_feed(content_type: str | None, data: bytes) -> bool:
    """Whether a response or file is a feed: by media type, else by its first tag."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in FEED_TYPES:
        return True
    head = data[:2048]
    return bool(_FEED_HEAD.match(head) or _JSON_FEED.match(head))


def is_opml(data: bytes) -> bool:
    return bool(_OPML_HEAD.match(data[:2048]))


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None


def _plain(fragment: str) -> str:
    """An HTML fragment as one line of plain text."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def _text_words(fragment: str) -> int:
    return word_count(_TAGS.sub(" ", fragment))


def parse_feed(
    data: bytes, *, base_url: str | None = None, content_type: str | None = None
) -> ParsedFeed:
    """Parse feed bytes. Raises FeedError when nothing feed-like is found, or when
    the feed declares XML entities."""
    if _JSON_FEED.match(data[:2048]):
        return _parse_json_feed(data, base_url)
    if declares_entities(data):
        raise FeedError("malformed feed (XML entity declarations are not accepted)")
    headers = {}
    if content_type:
        headers["content-type"] = content_type
    if base_url:
        headers["content-location"] = base_url
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except (ValueError, LookupError, TypeError, AttributeError, IndexError, OverflowError,
            RecursionError) as e:  # feedparser itself tripped ('encoding="\0tf-8"')
        detail = " ".join(str(e).split())[:160] or type(e).__name__
        raise FeedError(f"malformed feed ({detail})") from None
    feed_meta = parsed.get("feed", {})
    version = parsed.get("version")
    if not parsed.entries and (parsed.get("bozo") or not version):
        exc = parsed.get("bozo_exception")
        detail = " ".join(str(exc).split())[:160] if exc else "no feed elements"
        raise FeedError(f"malformed feed ({detail})")
    title = (feed_meta.get("title") or "").strip() or None
    entries = []
    for i, e in enumerate(parsed.entries, start=1):
        contents = [c.get("value", "") for c in e.get("content", []) if c.get("value")]
        summary = e.get("summary", "") or ""
        content = max(contents, key=len) if contents else summary
        fields: dict[str, Any] = {}
        if e.get("title"):
            fields["title"] = e["title"].strip()
        date = _iso(e.get("published_parsed")) or _iso(e.get("updated_parsed"))
        if date:
            fields["date"] = date
        if e.get("author"):
            fields["author"] = e["author"].strip()
        if summary and _plain(summary):
            fields["summary"] = _plain(summary)
        if title:
            fields["outlet"] = title
        if base_url:
            fields["feed"] = base_url
        link = (e.get("link") or "").strip() or None
        if link:
            fields["url"] = link
        guid = (e.get("id") or "").strip() or None
        entries.append(FeedEntry(i, link, fields, content, guid))
    problem = None
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        problem = " ".join(str(parsed["bozo_exception"]).split())[:160] or "not well-formed"
    return ParsedFeed(title, entries, problem)


def _parse_json_feed(data: bytes, base_url: str | None) -> ParsedFeed:
    """A JSON Feed (jsonfeed.org, versions 1 and 1.1), which feedparser does not read;
    entries get the fields XML feeds give them."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        detail = " ".join(str(e).split())[:160] or type(e).__name__
        raise FeedError(f"malformed feed (invalid JSON: {detail})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise FeedError("malformed feed (a JSON Feed needs an items list)")
    title = _json_str(doc.get("title"))
    entries = []
    for i, item in enumerate(doc["items"], start=1):
        if not isinstance(item, dict):
            continue
        text = _json_str(item.get("content_text"))
        content = _json_str(item.get("content_html")) or "".join(
            f"<p>{html.escape(p)}</p>" for p in (text or "").split("\n\n") if p.strip())
        summary = _json_str(item.get("summary"))
        authors = item.get("authors") or [item.get("author")]
        author = next((_json_str(a.get("name")) for a in authors if isinstance(a, dict)), None)
        link = _json_str(item.get("url")) or _json_str(item.get("external_url"))
        link = urljoin(base_url, link) if link and base_url else link
        fields: dict[str, Any] = {k: v for k, v in [
            ("title", _json_str(item.get("title"))),
            ("date", _json_str(item.get("date_published")) or _json_str(item.get("date_modified"))),
            ("author", author), ("summary", summary and _plain(summary)), ("outlet", title),
            ("feed", base_url), ("url", link)] if v}
        guid = item.get("id")
        entries.append(FeedEntry(i, link, fields, content or summary or "",
                                 str(guid) if guid not in (None, "") else None))
    return ParsedFeed(title, entries)


def _json_str(value: Any) -> str | None:
    """A JSON Feed string member, stripped (None when absent, empty or not a string)."""
    return value.strip() or None if isinstance(value, str) else None


def broken(feed: ParsedFeed) -> str | None:
    """Why a leniently read feed is of no use (not well-formed, and no entry has a
    link: what was read is debris), or None."""
    if feed.problem and not any(e.link for e in feed.entries):
        return f"malformed feed ({feed.problem})"
    return None


def poll_feed(
    url: str, fetcher: Fetcher, *, etag: str | None = None, last_modified: str | None = None
) -> FeedPoll:
    """Conditional GET of a feed. Raises FetchError, or FeedError if it is not a feed
    (an HTML page, malformed XML)."""
    result = fetcher.fetch(url, etag=etag, last_modified=last_modified, accept=FEED_ACCEPT)
    if result.not_modified:
        return FeedPoll(result, None)
    if result.content_type in HTML_TYPES and not is_feed(None, result.content):
        raise FeedError(f"not a feed: the server sent an HTML page ({result.content_type})")
    return FeedPoll(result, parse_feed(result.content, base_url=result.final_url,
                                       content_type=result.headers.get("content-type")))


def entry_documents(
    feed: ParsedFeed,
    fetcher: Fetcher | None,
    *,
    origin: str,
    fetch_pages: bool = True,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[RawDocument | Failure]:
    """One document (or Failure) per entry: the entry's page when it can be fetched,
    else the entry's own content when it has at least MIN_FALLBACK_WORDS words.
    ``skip(link)`` True leaves an entry out (already seen)."""
    for entry in feed.entries:
        if entry.link and skip and skip(entry.link):
            continue
        where = entry.link or f"{origin}#{entry.index}"
        why = "entry has no link"
        if entry.link and entry.link.startswith(("http://", "https://")) and fetch_pages \
                and fetcher is not None:
            try:
                page = fetcher.fetch(entry.link)
                if page.content_type in HTML_TYPES or (not page.content_type and page.text):
                    if page.text.strip():
                        yield RawDocument(origin=where, kind="html", content=page.text,
                                          url=page.final_url, fields=dict(entry.fields))
                        continue
                    why = "page is empty or not text"
                else:
                    why = f"page is {page.content_type or 'of unknown type'}, not HTML"
            except FetchError as e:
                why = e.reason
        elif entry.link and not fetch_pages:
            why = "pages not fetched"
        elif entry.link:
            why = "link is not http(s)"
        words = _text_words(entry.content)
        if words >= MIN_FALLBACK_WORDS:
            fields = dict(entry.fields)
            fields["content_from"] = "feed"
            yield RawDocument(origin=where, kind="html", content=_entry_page(entry.content),
                              url=entry.link, fields=fields)
        else:
            yield Failure(where, f"{why}; feed entry has too little text ({words} words)")


def _entry_page(content: str) -> str:
    """An entry's own content as a page: the extractor reads no article from bare text
    or a lone paragraph (``<p>...</p>``), which is how many feeds give it."""
    if not _TAGS.search(content):
        content = "".join(f"<p>{html.escape(p.strip())}</p>"
                          for p in re.split(r"\n\s*\n", content) if p.strip())
    return f"<html><body>{content}</body></html>"


def feed_documents(
    data: bytes,
    fetcher: Fetcher | None,
    *,
    origin: str,
    base_url: str | None = None,
    content_type: str | None = None,
    fetch_pages: bool = True,
) -> Iterator[RawDocument | Failure]:
    """Parse feed bytes and yield its entries' documents; a Failure if unreadable."""
    try:
        feed = parse_feed(data, base_url=base_url, content_type=content_type)
    except FeedError as e:
        yield Failure(origin, str(e))
        return
    if not feed.entries:
        yield Failure(origin, "feed has no entries")
        return
    yield from entry_documents(feed, fetcher, origin=origin, fetch_pages=fetch_pages)


_ALTERNATE_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
                    "application/rdf+xml", "application/x-rss+xml")


class _LinkFinder(HTMLParser):
    """Collects ``<link rel="alternate" type="<feed type>" href="...">`` in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None]] = []  # (href, title)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "a"):
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        media = a.get("type", "").split(";")[0].strip().lower()
        if "alternate" in rels and media in _ALTERNATE_TYPES and a.get("href", "").strip():
            self.found.append((a["href"].strip(), a.get("title", "").strip() or None))


def feed_links(page: str, base_url: str) -> list[tuple[str, str | None]]:
    """The feeds a web page announces, as (absolute URL, title), in page order, no repeats."""
    finder = _LinkFinder()
    try:
        finder.feed(page)
        finder.close()
    except Exception:  # noqa: BLE001 - broken markup: keep what was found before it
        pass
    out: dict[str, str | None] = {}
    for href, title in finder.found:
        url = urljoin(base_url, href)
        if url.startswith(("http://", "https://")):
            out.setdefault(url, title)
    return list(out.items())
