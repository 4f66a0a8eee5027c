"""A news site for tests, served by the real HTTP server of httpserver.py: an RSS
feed that gains entries when the test calls ``publish``, with a new ETag each
time (the server answers 304 to a matching If-None-Match), and one article page
per entry. Article texts are made of words drawn per article, so no two are
near-duplicates of each other.

    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(2)                 # two new entries and their pages
    site.feed_url                   # http://127.0.0.1:PORT/wire/feed.xml
"""

from __future__ import annotations

import random
import threading
from html import escape

from httpserver import Request, Response, TestHTTPServer

WORDS = (
    "harbour council budget bridge river election school hospital railway storm drought "
    "festival museum factory minister court strike vaccine satellite reactor glacier "
    "orchestra library tunnel airport wildfire harvest pension tariff refinery ferry "
    "shipyard vineyard observatory parliament senate mayor union treaty border census "
    "earthquake flood volcano canal dam highway subway stadium marathon cathedral "
    "monastery archive laboratory telescope turbine pipeline reservoir quarry forest "
    "meadow lagoon island peninsula valley plateau summit coast delta estuary"
).split()


def article_text(n: int, words: int = 120) -> tuple[str, list[str]]:
    """A title and paragraphs for article ``n``: the same for the same ``n``."""
    rng = random.Random(n * 7919)
    pool = rng.sample(WORDS, 24)
    title = f"Report {n}: " + " ".join(w.capitalize() for w in pool[:4])
    paras = []
    for _ in range(4):
        sentence_words = [rng.choice(pool) for _ in range(words // 4)]
        paras.append(f"In report number {n}, " + " ".join(sentence_words) + ".")
    return title, paras


def article_page(n: int) -> str:
    title, paras = article_text(n)
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paras)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            f"{escape(title)}</title></head><body><article><h1>{escape(title)}</h1>\n{body}"
            f"</article></body></html>")


class FeedSite:
    """One outlet on the test server: a feed at ``path`` and its article pages."""

    __test__ = False

    def __init__(self, server: TestHTTPServer, path: str = "/feed.xml",
                 title: str = "Test Wire", first: int = 1):
        self.server = server
        self.path = path
        self.title = title
        self.next_n = first
        self.entries: list[int] = []
        self.version = 0
        self._lock = threading.Lock()
        self.feed_url = server.add(path, self._feed)

    def page_path(self, n: int) -> str:
        return f"{self.path.rsplit('/', 1)[0]}/articles/{n}.html"

    def page_url(self, n: int) -> str:
        return self.server.url(self.page_path(n))

    def publish(self, count: int = 1) -> list[int]:
        """Add ``count`` new entries (and their pages); returns their numbers."""
        with self._lock:
            new = list(range(self.next_n, self.next_n + count))
            self.next_n += count
            for n in new:
                self.server.add(self.page_path(n), Response(article_page(n)))
            self.entries.extend(new)
            self.version += 1
        return new

    def rss(self) -> str:
        with self._lock:
            entries = list(reversed(self.entries))  # newest first, as feeds list them
        items = "".join(
            f"<item><title>{escape(article_text(n)[0])}</title>"
            f"<link>{escape(self.page_url(n))}</link><guid>{escape(self.page_url(n))}</guid>"
            f"<pubDate>Mon, 02 Mar 2026 {n % 24:02d}:00:00 +0000</pubDate></item>"
            for n in entries)
        return (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
                f"<title>{escape(self.title)}</title><link>{self.server.url('/')}</link>"
                f"<description>test</description>{items}</channel></rss>")

    def _feed(self, _req: Request) -> Response:
        return Response(self.rss(), content_type="application/rss+xml",
                        etag=f'"v{self.version}"')

    def feed_hits(self) -> int:
        return self.server.hits(self.path)

    def page_hits(self, n: int) -> int:
        return self.server.hits(self.page_path(n))
