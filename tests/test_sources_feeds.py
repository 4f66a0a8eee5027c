"""URLs, feeds and OPML through iter_documents, against a real HTTP server."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpserver import Response, TestHTTPServer

from storydesk.models import Failure, RawDocument
from storydesk.sources import iter_documents
from storydesk.sources.feeds import entry_documents, feed_links, poll_feed
from storydesk.sources.fetch import Fetcher

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def fixture(name: str, server: TestHTTPServer) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", server.url(""))


@pytest.fixture
def fetcher() -> Fetcher:
    f = Fetcher(allow_private=True, per_host_delay=0)
    yield f
    f.close()


@pytest.fixture
def site(http_server: TestHTTPServer) -> TestHTTPServer:
    """The Velmar Courier: two article pages, an RSS feed, an Atom feed whose pages are gone."""
    http_server.add("/news/harbour.html", Response(fixture("harbour.html", http_server)))
    http_server.add("/news/library.html", Response(fixture("library.html", http_server)))
    http_server.add("/feeds/rss.xml", Response(fixture("rss.xml", http_server),
                                               content_type="application/rss+xml", etag='"r1"'))
    http_server.add("/feeds/atom.xml", Response(fixture("atom.xml", http_server),
                                                content_type="application/atom+xml"))
    # Served as text/xml: must be recognised by sniffing.
    http_server.add("/feeds/rss-as-xml", Response(fixture("rss.xml", http_server),
                                                  content_type="text/xml"))
    http_server.add("/feeds/list.opml", Response(fixture("feeds.opml", http_server),
                                                 content_type="text/x-opml"))
    return http_server


def split(items: list[RawDocument | Failure]) -> tuple[list[RawDocument], list[Failure]]:
    docs = [i for i in items if isinstance(i, RawDocument)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert len(docs) + len(fails) == len(items)
    return docs, fails


def test_html_page_url(site: TestHTTPServer, fetcher: Fetcher) -> None:
    url = site.url("/news/harbour.html")
    docs, fails = split(list(iter_documents([url], fetcher)))
    assert fails == []
    [doc] = docs
    assert doc.kind == "html" and doc.origin == url and doc.url == url
    assert "Port Velmar" in doc.content


def test_rss_feed_fetches_entry_pages(site: TestHTTPServer, fetcher: Fetcher) -> None:
    docs, fails = split(list(iter_documents([site.url("/feeds/rss.xml")], fetcher)))
    assert fails == []
    assert [d.url for d in docs] == [site.url("/news/harbour.html"),
                                     site.url("/news/library.html")]
    first = docs[0]
    assert first.kind == "html" and "40 million" in first.content
    assert first.origin == site.url("/news/harbour.html")
    assert first.fields["title"] == "Harbour cranes return to Port Velmar after upgrade"
    assert first.fields["date"] == "2026-02-02T09:30:00+00:00"
    assert first.fields["author"] == "Ines Marlow"
    assert first.fields["summary"] == "The four container cranes are back in service."
    assert first.fields["outlet"] == "Velmar Courier"
    assert "author" not in docs[1].fields


def test_feed_sniffed_when_served_as_xml(site: TestHTTPServer, fetcher: Fetcher) -> None:
    docs, fails = split(list(iter_documents([site.url("/feeds/rss-as-xml")], fetcher)))
    assert len(docs) == 2 and fails == []
    assert docs[0].fields["outlet"] == "Velmar Courier"


def test_atom_entry_pages_missing_fall_back_to_feed_content(
    site: TestHTTPServer, fetcher: Fetcher
) -> None:
    docs, fails = split(list(iter_documents([site.url("/feeds/atom.xml")], fetcher)))
    [doc] = docs
    assert doc.kind == "html" and "regional hospital" in doc.content
    assert doc.url == site.url("/missing/tram.html")
    assert doc.fields["content_from"] == "feed"
    assert doc.fields["author"] == "Pavel Ostrin"
    assert doc.fields["date"] == "2026-02-05T08:15:00+00:00"
    assert doc.fields["outlet"] == "Karsk Evening Post"
    [fail] = fails  # the weather note has too little text of its own
    assert fail.origin == site.url("/missing/weather.html")
    assert fail.reason.startswith("HTTP 404; feed entry has too little text")
    assert "\n" not in fail.reason


def test_opml_url_reads_each_feed(site: TestHTTPServer, fetcher: Fetcher) -> None:
    docs, fails = split(list(iter_documents([site.url("/feeds/list.opml")], fetcher)))
    assert len(docs) == 2
    [fail] = fails
    assert fail == Failure(site.url("/feeds/gone.xml"), "HTTP 404")


def test_opml_file_reads_each_feed(site: TestHTTPServer, fetcher: Fetcher,
                                   tmp_path: Path) -> None:
    path = tmp_path / "subs.opml"
    path.write_text(fixture("feeds.opml", site), encoding="utf-8")
    docs, fails = split(list(iter_documents([str(path)], fetcher)))
    assert {d.fields["outlet"] for d in docs} == {"Velmar Courier"}
    assert [f.reason for f in fails] == ["HTTP 404"]


def test_local_feed_file_fetches_pages(site: TestHTTPServer, fetcher: Fetcher,
                                       tmp_path: Path) -> None:
    path = tmp_path / "courier.rss"
    path.write_text(fixture("rss.xml", site), encoding="utf-8")
    docs, fails = split(list(iter_documents([str(path)], fetcher)))
    assert fails == [] and len(docs) == 2
    assert "reading room" in docs[1].content


def test_local_feed_without_fetching_pages(site: TestHTTPServer, tmp_path: Path) -> None:
    path = tmp_path / "post.atom"
    path.write_text(fixture("atom.xml", site), encoding="utf-8")
    docs, fails = split(list(iter_documents([str(path)], fetch_pages=False)))
    assert len(docs) == 1 and docs[0].fields["content_from"] == "feed"
    assert fails[0].reason.startswith("pages not fetched; feed entry has too little text")
    assert site.requests == []


def test_malformed_feed(http_server: TestHTTPServer, fetcher: Fetcher) -> None:
    url = http_server.add("/bad.xml", Response("<rss><channel><title>Broken",
                                               content_type="application/rss+xml"))
    [fail] = list(iter_documents([url], fetcher))
    assert isinstance(fail, Failure) and fail.origin == url
    assert fail.reason.startswith("malformed feed (")


def test_url_errors_are_failures_and_batch_goes_on(site: TestHTTPServer, fetcher: Fetcher) -> None:
    site.add("/robots.txt", Response("User-agent: *\nDisallow: /private/\n",
                                     content_type="text/plain"))
    site.add("/loop", Response(status=302, headers={"Location": "/loop"}))
    site.add("/photo.png", Response(b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png"))
    inputs = [site.url("/nowhere"), site.url("/private/x.html"), site.url("/loop"),
              site.url("/photo.png"), site.url("/news/library.html")]
    items = list(iter_documents(inputs, fetcher))
    assert [(i.origin, i.reason) for i in items[:4]] == [
        (inputs[0], "HTTP 404"),
        (inputs[1], "blocked by robots.txt"),
        (inputs[2], "too many redirects"),
        (inputs[3], "unsupported content type image/png"),
    ]
    assert isinstance(items[4], RawDocument) and items[4].url == inputs[4]


def test_default_fetcher_refuses_loopback(site: TestHTTPServer) -> None:
    url = site.url("/news/harbour.html")
    [fail] = list(iter_documents([url]))
    assert fail == Failure(url, "refused: 127.0.0.1 is a loopback address (use --allow-private)")
    assert site.requests == []


def test_poll_feed_conditional_and_skip(site: TestHTTPServer, fetcher: Fetcher) -> None:
    url = site.url("/feeds/rss.xml")
    poll = poll_feed(url, fetcher)
    assert poll.feed is not None and poll.result.etag == '"r1"'
    assert poll.feed.title == "Velmar Courier" and len(poll.feed.entries) == 2
    again = poll_feed(url, fetcher, etag=poll.result.etag)
    assert again.result.not_modified and again.feed is None
    seen = {site.url("/news/harbour.html")}
    docs = list(entry_documents(poll.feed, fetcher, origin=url, skip=seen.__contains__))
    assert [d.url for d in docs] == [site.url("/news/library.html")]
    assert site.hits("/news/harbour.html") == 0


def test_feed_links_finds_alternates_in_order() -> None:
    page = ('<link rel="stylesheet" href="/s.css"><LINK REL="alternate" TYPE="application/atom+xml"'
            ' href="atom.xml" title="Atom"><link rel="alternate" type="application/rss+xml" '
            'href="https://example.org/rss"><link rel="alternate" type="text/html" href="/en">')
    assert feed_links(page, "https://example.org/news/") == [
        ("https://example.org/news/atom.xml", "Atom"), ("https://example.org/rss", None)]
    assert feed_links("<html><p>nothing", "https://example.org/") == []


def test_opml_written_and_read_back() -> None:
    from storydesk.sources.opml import OpmlFeed, parse_opml, write_opml

    feeds = [OpmlFeed("https://a.example/rss?x=1&y=2", "A & <B>", "https://a.example/"),
             OpmlFeed("https://c.example/feed")]
    data = write_opml(feeds)
    assert data.startswith(b"<?xml") and b'version="2.0"' in data
    assert parse_opml(data) == [feeds[0], OpmlFeed("https://c.example/feed",
                                                   "https://c.example/feed")]


def test_html_page_polled_as_feed_is_refused(http_server: TestHTTPServer,
                                             fetcher: Fetcher) -> None:
    from storydesk.sources.feeds import FeedError

    url = http_server.add("/home", Response("<html><body><p>Welcome</p></body></html>"))
    with pytest.raises(FeedError, match=r"not a feed: the server sent an HTML page \(text/html\)"):
        poll_feed(url, fetcher)


def test_not_well_formed_feed_is_noted(http_server: TestHTTPServer, fetcher: Fetcher) -> None:
    from storydesk.sources.feeds import broken

    url = http_server.add("/bad.xml", Response("<rss><channel><item><title>x</ti",
                                               content_type="application/rss+xml"))
    feed = poll_feed(url, fetcher).feed
    assert feed is not None and feed.problem and broken(feed).startswith("malformed feed (")
    good = poll_feed(fixture_url := http_server.add(
        "/ok.xml", Response(fixture("rss.xml", http_server),
                            content_type="application/rss+xml")), fetcher).feed
    assert fixture_url and good is not None and good.problem is None and broken(good) is None
    assert [e.guid for e in good.entries] == [None, None]


def json_feed(site: TestHTTPServer) -> str:
    """A JSON Feed (jsonfeed.org 1.1) of the Velmar Courier: one entry with a page, one
    whose page is gone and whose own text is long enough to stand in for it."""
    import json

    own = ("The regional hospital in Karsk opened a new wing for children on Monday, adding "
           "sixty beds and two operating theatres, the health office said. Doctors said the "
           "wing would shorten waiting lists that had grown since the old building closed. "
           "The works cost 30 million crowns, shared between the region and the state.")
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Velmar Courier",
        "items": [
            {"id": "h1", "url": site.url("/news/harbour.html"), "title": "Cranes return",
             "date_published": "2026-02-02T09:30:00Z", "authors": [{"name": "Ines Marlow"}],
             "summary": "The four container cranes are back in service."},
            {"id": "w2", "url": site.url("/missing/wing.html"), "title": "New hospital wing",
             "content_text": own},
        ]})


def test_json_feed_url_reads_each_entry(site: TestHTTPServer, fetcher: Fetcher) -> None:
    site.add("/feeds/feed.json", Response(json_feed(site), content_type="application/feed+json"))
    docs, fails = split(list(iter_documents([site.url("/feeds/feed.json")], fetcher)))
    assert fails == []
    page, own = docs
    assert page.url == site.url("/news/harbour.html") and "40 million" in page.content
    assert page.fields["title"] == "Cranes return"
    assert page.fields["date"] == "2026-02-02T09:30:00Z"
    assert page.fields["author"] == "Ines Marlow"
    assert page.fields["summary"] == "The four container cranes are back in service."
    assert page.fields["outlet"] == "Velmar Courier"
    assert own.fields["content_from"] == "feed" and "sixty beds" in own.content


def test_json_feed_file_saved_as_json(site: TestHTTPServer, tmp_path: Path) -> None:
    path = tmp_path / "courier.json"
    path.write_text(json_feed(site), encoding="utf-8")
    docs, fails = split(list(iter_documents([str(path)], fetch_pages=False)))
    assert [d.fields["title"] for d in docs] == ["New hospital wing"]
    assert [f.reason for f in fails] == ["pages not fetched; feed entry has too little text "
                                         "(8 words)"]


def test_malformed_json_feed_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [', encoding="utf-8")
    [fail] = list(iter_documents([str(path)]))
    assert isinstance(fail, Failure) and fail.reason.startswith("malformed feed (invalid JSON: ")
    assert "\n" not in fail.reason
