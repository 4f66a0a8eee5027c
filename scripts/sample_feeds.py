"""Serve the bundled sample's outlets as RSS feeds on 127.0.0.1, for trying
``storydesk sources`` and ``storydesk watch`` without the open web.

    python scripts/sample_feeds.py --port 8800 --every 20

Each outlet is a feed at ``/<outlet>/feed.xml`` (ETag, If-None-Match answered with
304) with one page per article, and a home page ``/<outlet>/`` that announces its
feed. The articles dated up to ``--until`` are there from the start; the later ones
are published one at a time, every ``--every`` seconds, in date order. A few feeds
fail on purpose: ``/gone/feed.xml`` (410), ``/busy/feed.xml`` (429, Retry-After 600),
``/home.html`` (an HTML page, not a feed), ``/broken/feed.xml`` (not well-formed XML),
and ``/digest.rss`` moved for good (301) to Continental Digest's feed.
Fetch it with ``--allow-private``: storydesk refuses loopback addresses otherwise.
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "src" / "storydesk" / "sample"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def sample_articles() -> list[dict]:
    """Every sample article as {outlet, date, title, paragraphs}, cleaned as ``make demo``
    cleans them (in a scratch store), in date order."""
    import tempfile

    from storydesk import Desk
    from storydesk.demo import sample_files

    with tempfile.TemporaryDirectory() as tmp, Desk(str(Path(tmp) / "sample.db")) as desk:
        for outlet, files in sample_files().items():
            desk.add(files, outlet=outlet)
        arts = desk.store.list_articles(limit=None, with_text=True)
    out = [{"outlet": a.outlet or "", "date": (a.date or "")[:10], "title": a.title,
            "paragraphs": [p.strip() for p in a.text.split("\n\n") if p.strip()]}
           for a in arts]
    out.sort(key=lambda a: a["date"])
    return out


class Site:
    def __init__(self, until: str):
        self.articles = sample_articles()
        self.published = sum(a["date"] <= until for a in self.articles)
        self.lock = threading.Lock()

    def publish_next(self) -> dict | None:
        with self.lock:
            if self.published >= len(self.articles):
                return None
            self.published += 1
            return self.articles[self.published - 1]

    def outlets(self) -> list[str]:
        return list(dict.fromkeys(a["outlet"] for a in self.articles))

    def feed(self, outlet: str, base: str) -> tuple[str, str]:
        with self.lock:
            shown = [(i, a) for i, a in enumerate(self.articles[: self.published])
                     if slug(a["outlet"]) == outlet]
        items = "".join(
            f"<item><title>{escape(a['title'])}</title>"
            f"<link>{base}/{outlet}/{i}.html</link><guid>{base}/{outlet}/{i}.html</guid>"
            f"<pubDate>{format_datetime(datetime.fromisoformat(a['date']).replace(tzinfo=UTC))}"
            f"</pubDate></item>" for i, a in reversed(shown))
        name = next(a["outlet"] for a in self.articles if slug(a["outlet"]) == outlet)
        body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>{escape(name)}</title><link>{base}/{outlet}/</link>"
                f"<description>{escape(name)} (storydesk sample)</description>{items}"
                f"</channel></rss>")
        return body, f'"{outlet}-{len(shown)}"'

    def page(self, outlet: str, i: int) -> str | None:
        with self.lock:
            if i >= self.published or slug(self.articles[i]["outlet"]) != outlet:
                return None
            a = self.articles[i]
        paras = "".join(f"<p>{escape(p)}</p>" for p in a["paragraphs"])
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
                f'{escape(a["title"])}</title><meta property="article:published_time" '
                f'content="{a["date"]}"></head><body><article><h1>{escape(a["title"])}</h1>'
                f"{paras}</article></body></html>")


def handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def send(self, status: int, body: str = "", ctype: str = "text/plain; charset=utf-8",
                 headers: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            base = f"http://{self.headers.get('Host', '127.0.0.1')}"
            path = self.path.split("?")[0]
            outlets = {slug(o) for o in site.outlets()}
            parts = path.strip("/").split("/")
            if path == "/gone/feed.xml":
                return self.send(410, "gone")
            if path == "/busy/feed.xml":
                return self.send(429, "slow down", headers={"Retry-After": "600"})
            if path == "/home.html":
                return self.send(200, "<html><body><p>Welcome</p></body></html>",
                                 "text/html; charset=utf-8")
            if path == "/broken/feed.xml":
                return self.send(200, "<rss><channel><item><title>Half a feed</ti",
                                 "application/rss+xml")
            if path == "/digest.rss":
                return self.send(301, headers={"Location": "/continental-digest/feed.xml"})
            if parts[0] in outlets and len(parts) == 1:
                return self.send(200, f'<html><head><link rel="alternate" type="application/'
                                 f'rss+xml" href="/{parts[0]}/feed.xml"></head><body>'
                                 f"{parts[0]}</body></html>", "text/html; charset=utf-8")
            if parts[0] in outlets and parts[1:] == ["feed.xml"]:
                body, etag = site.feed(parts[0], base)
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                return self.send(200, body, "application/rss+xml; charset=utf-8",
                                 {"ETag": etag})
            if parts[0] in outlets and len(parts) == 2 and parts[1].endswith(".html"):
                page = site.page(parts[0], int(parts[1][:-5] or -1))
                if page:
                    return self.send(200, page, "text/html; charset=utf-8")
            return self.send(404, "not found")

    return Handler


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8800)
    ap.add_argument("--until", default="2026-03-10", help="articles dated up to this are "
                    "there from the start")
    ap.add_argument("--every", type=float, default=20.0, help="seconds between two later "
                    "articles")
    args = ap.parse_args()
    site = Site(args.until)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler(site))
    server.handle_error = lambda *_: None  # a client that hung up: nothing to report
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{args.port}"
    print(f"serving {len(site.outlets())} sample outlets on {base}/ "
          f"({site.published} of {len(site.articles)} articles published)", flush=True)
    for o in site.outlets():
        print(f"  {base}/{slug(o)}/feed.xml", flush=True)
    try:
        while True:
            time.sleep(args.every)
            if (a := site.publish_next()) is not None:
                print(f"published: {a['outlet']}: {a['title']}", flush=True)
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
