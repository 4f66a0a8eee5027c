"""Subscriptions: subscribe to a feed (or to a site, by its announced feed), import
and export OPML lists, and read intervals such as ``15m``.

Errors are ``SubscribeError`` with a one-line message naming the input.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from storydesk.models import Subscription
from storydesk.sources.feeds import (
    FEED_ACCEPT,
    HTML_TYPES,
    FeedError,
    broken,
    feed_links,
    is_feed,
    parse_feed,
    poll_feed,
)
from storydesk.sources.fetch import Fetcher, FetchError
from storydesk.sources.files import missing_reason
from storydesk.sources.opml import OpmlError, OpmlFeed, parse_opml, write_opml

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.IGNORECASE)


class SubscribeError(ValueError):
    """A subscription could not be made; ``str()`` is one line naming the input."""


def parse_every(text: str) -> float:
    """Seconds in a duration such as ``30s``, ``15m``, ``2h``, ``1d`` or ``1h30m``."""
    value = text.strip().replace(" ", "")
    parts = _DURATION.findall(value)
    if not parts or "".join(n + u for n, u in parts).lower() != value.lower():
        raise SubscribeError(f"{text!r}: expected a duration like 30s, 15m, 2h or 1d")
    seconds = sum(float(n) * _UNITS[u.lower()] for n, u in parts)
    if seconds <= 0:
        raise SubscribeError(f"{text!r}: the interval must be longer than 0 s")
    return seconds


def format_every(seconds: float) -> str:
    """The shortest way to write an interval: ``15m``, ``1h30m``, ``0.2s``."""
    if seconds < 60 or seconds != int(seconds):
        return f"{seconds:g}s"
    out, rest = [], int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            out.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(out)


def check_url(url: str) -> str:
    """``url`` stripped, if it is an http(s) URL with a host; else SubscribeError."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise SubscribeError(f"{url}: not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        hint = ""
        if not parts.scheme and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", url):
            hint = f" (did you mean https://{url}?)"
        raise SubscribeError(f"{url}: not an http(s) URL of a feed or site{hint}")
    return url


def find_feed(url: str, fetcher: Fetcher) -> tuple[str, str | None, str | None]:
    """(feed URL, feed title, site URL) for a feed URL or a web page that announces
    its feed with ``<link rel="alternate">``. Follows a permanent move of the feed."""
    try:
        result = fetcher.fetch(url, accept=FEED_ACCEPT)
    except FetchError as e:
        raise SubscribeError(f"{url}: {e.reason}") from None
    media = result.content_type
    if is_feed(media, result.content) or (media not in HTML_TYPES and "xml" in media):
        try:
            feed = parse_feed(result.content, base_url=result.final_url, content_type=media)
        except FeedError as e:
            raise SubscribeError(f"{url}: {e}") from None
        if why := broken(feed):
            raise SubscribeError(f"{url}: {why}")
        return result.moved_to or url, feed.title, None
    if media not in HTML_TYPES:
        raise SubscribeError(f"{url}: not a feed or a web page ({media or 'unknown type'})")
    links = feed_links(result.text, result.final_url)
    if not links:
        raise SubscribeError(f"{url}: no feed found (the page announces no RSS or Atom feed "
                             "with <link rel=\"alternate\">)")
    feed_url = links[0][0]
    try:
        poll = poll_feed(feed_url, fetcher)
    except FetchError as e:
        raise SubscribeError(f"{url}: its feed {feed_url}: {e.reason}") from None
    except FeedError as e:
        raise SubscribeError(f"{url}: its feed {feed_url}: {e}") from None
    if poll.feed and (why := broken(poll.feed)):
        raise SubscribeError(f"{url}: its feed {feed_url}: {why}")
    return poll.result.moved_to or feed_url, poll.feed.title if poll.feed else None, url


def subscribe(
    store: object,
    url: str,
    *,
    every: float,
    name: str | None = None,
    fetcher: Fetcher | None = None,
) -> Subscription:
    """Subscribe to ``url`` (a feed, or a site announcing one). With a ``fetcher`` the
    URL is fetched first: it must be (or announce) a readable feed, whose title names
    the subscription unless ``name`` is given (without either, the first poll names
    it). Raises SubscribeError."""
    url = check_url(url)

    def not_yet(u: str) -> None:
        if (old := store.get_subscription(u)) is not None:  # type: ignore[attr-defined]
            raise SubscribeError(f"{url}: already subscribed (source {old.id})")

    not_yet(url)
    feed_url, title, site = (url, None, None) if fetcher is None else find_feed(url, fetcher)
    not_yet(feed_url)
    sub = Subscription(url=feed_url, every=every, site_url=site, name=name or title)
    if not store.add_subscriptions([sub]):  # type: ignore[attr-defined]
        raise SubscribeError(f"{url}: already subscribed")
    return sub


def import_opml(
    store: object, path: str | Path, *, every: float
) -> tuple[list[Subscription], list[str], list[tuple[str, str]]]:
    """Subscribe to every feed of an OPML file, in one transaction (the feeds are not
    fetched now). Returns (subscribed, already subscribed URLs, (URL, reason) refused)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:  # worded as `storydesk add` words it
        raise SubscribeError(f"{path}: {missing_reason(str(path))}") from None
    except OSError as e:
        raise SubscribeError(f"{path}: {e.strerror or e}") from None
    try:
        feeds = parse_opml(data)
    except OpmlError as e:
        raise SubscribeError(f"{path}: {e}") from None
    if not feeds:
        raise SubscribeError(f"{path}: no feeds in OPML (no <outline xmlUrl=...>)")
    subs, refused = [], []
    for f in feeds:
        try:
            url = check_url(f.url)
        except SubscribeError as e:
            refused.append((f.url, str(e).split(": ", 1)[-1]))
            continue
        subs.append(Subscription(url=url, every=every, site_url=f.site_url, name=f.title))
    added = store.add_subscriptions(subs)  # type: ignore[attr-defined]
    new = {s.url for s in added}
    return added, [s.url for s in subs if s.url not in new], refused


def export_opml(subs: list[Subscription]) -> bytes:
    """The subscriptions as an OPML 2.0 document."""
    return write_opml([OpmlFeed(s.url, s.name, s.site_url) for s in subs])
