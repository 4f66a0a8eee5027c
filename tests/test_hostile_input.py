"""Hostile input: property-based tests (hypothesis) of every parser, through the same
entry points an ingest uses, and hand-made attacks (decompression bombs, deeply nested
HTML, a 100 MB line, invalid UTF-8, NUL bytes, feeds with thousands of entries,
billion laughs). No input crashes the process: each ends as documents or as
one-line Failures naming the input (never the catch-all "unexpected error"), and an
ingest stores whole articles or nothing.

More examples: ``STORYDESK_FUZZ_EXAMPLES=5000 pytest tests/test_hostile_input.py
--hypothesis-show-statistics`` (bench/fuzz.py runs that and counts the inputs).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sqlite3
import tempfile
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storecheck import check_store

from storydesk import Desk
from storydesk.extract.article import build_article
from storydesk.extract.dates import (
    date_in_line,
    find_date_line,
    find_dates,
    parse_date,
)
from storydesk.extract.html import extract_html
from storydesk.extract.text import parse_plain_text
from storydesk.models import Failure, IngestError, RawDocument
from storydesk.sources import iter_documents
from storydesk.sources.decode import NotText, decode_bytes
from storydesk.sources.feeds import FeedError, parse_feed
from storydesk.sources.opml import OpmlError, parse_opml

# feedparser warns about its own updated/published mapping on feeds without dates
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:feedparser")
FAST = int(os.environ.get("STORYDESK_FUZZ_EXAMPLES", "60"))  # per parser property
SLOW = max(10, FAST // 4)  # properties that run a whole ingest per example
FUZZ = settings(max_examples=FAST, deadline=None, derandomize="STORYDESK_FUZZ_EXAMPLES"
                not in os.environ, suppress_health_check=list(HealthCheck))
FUZZ_SLOW = settings(FUZZ, max_examples=SLOW)
CAP = 2_000_000
_TMP = tempfile.TemporaryDirectory(prefix="storydesk-fuzz-")


# -- strategies -------------------------------------------------------------------------
WORDS = ["harbour", "council", "Karsk", "minister", "said", "on", "Monday", "the", "ferry",
         "strike", "2026-03-05", "5 March 2026", "Reuters", "(Cited: TASS)", "according to",
         "VELGRAD,", "—", "“", "”", "é", "中文", "عربى", "\u200b", "\ufeff", "\x00", "\x1b[31m",
         "\r", "\n", "\n\n", "\t", "\ud800", "\U0001f600"]
NASTY = ["<", ">", "&", "&amp;", "&#0;", "&#xD800;", "&#1114112;", "&bogus;", "<!--", "-->",
         "<![CDATA[", "]]>", "<?xml version='1.0'?>", "<!DOCTYPE html>", "\x00", "\xff"]
TAGS = ["html", "head", "body", "title", "meta", "p", "div", "article", "script", "style",
        "a", "table", "td", "h1", "time", "br", "svg", "math", "iframe", "noscript", "main"]

words = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=60).map(" ".join)
text_like = st.one_of(st.text(max_size=3000), words)


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 80))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            attrs = draw(st.sampled_from(["", ' class="x"', ' charset="koi8-r"',
                                          ' content="2026-13-45"', ' href="javascript:x"',
                                          ' property="article:published_time" content="x"',
                                          ' lang="zz"', " " + draw(st.text(max_size=10))]))
            parts.append(f"<{tag}{attrs}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(NASTY)))
        else:
            parts.append(draw(words))
    return "".join(parts)


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """Flip, cut, insert or repeat bytes of otherwise well-formed input."""
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.integers(0, 3))
        if op == 0:
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1:]
        elif op == 1:
            data = data[:i]
        elif op == 2:
            data = data[:i] + draw(st.binary(max_size=20)) + data[i:]
        else:
            data = data[:i] + data[i:i + 50] * draw(st.integers(2, 20)) + data[i:]
    return data


@st.composite
def feed_bytes(draw: st.DrawFn) -> bytes:
    atom = draw(st.booleans())
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;")  # noqa: E731
    entries = []
    for i in range(draw(st.integers(0, 8))):
        title, body, date = draw(words), draw(st.one_of(words, html_soup())), draw(
            st.one_of(st.sampled_from(["Mon, 05 Mar 2026 10:00:00 GMT", "2026-03-05T10:00:00Z",
                                       "yesterday", "", "Thu, 31 Feb 99999 25:61:61 XYZ"]),
                      st.text(max_size=30)))
        link = draw(st.sampled_from([f"http://127.0.0.1:9/{i}", "javascript:alert(1)", "",
                                     "file:///etc/passwd", "//x", "http://[::1/"]))
        raw = draw(st.booleans())
        content = f"<![CDATA[{body}]]>" if raw else esc(body)
        if atom:
            entries.append(f"<entry><title>{esc(title)}</title><link href=\"{esc(link)}\"/>"
                           f"<id>{i}</id><updated>{esc(date)}</updated>"
                           f"<content type=\"html\">{content}</content></entry>")
        else:
            entries.append(f"<item><title>{esc(title)}</title><link>{esc(link)}</link>"
                           f"<pubDate>{esc(date)}</pubDate><description>{content}"
                           f"</description></item>")
    head = draw(st.sampled_from(['<?xml version="1.0" encoding="utf-8"?>',
                                 '<?xml version="1.0" encoding="iso-8859-5"?>', "",
                                 '<?xml version="1.0" encoding="bogus"?>']))
    if atom:
        doc = (f'{head}<feed xmlns="http://www.w3.org/2005/Atom"><title>{esc(draw(words))}'
               f'</title>{"".join(entries)}</feed>')
    else:
        doc = (f'{head}<rss version="2.0"><channel><title>{esc(draw(words))}</title>'
               f'{"".join(entries)}</channel></rss>')
    return mutate(doc.encode("utf-8", "surrogatepass"), draw)


@st.composite
def opml_bytes(draw: st.DrawFn) -> bytes:
    outlines = "".join(
        f'<outline text="{draw(words)!s:.40}" xmlUrl="{draw(st.text(max_size=40))}"/>'
        .replace("&", "&amp;") for _ in range(draw(st.integers(0, 6))))
    doc = f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'
    return mutate(doc.encode("utf-8", "surrogatepass"), draw)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=200) | words,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
        st.sampled_from(["title", "text", "html", "date", "outlet", "url", "author",
                         "language", "summary", "x"]) | st.text(max_size=5), kids, max_size=6),
    max_leaves=20)


@st.composite
def jsonl_bytes(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            lines.append(json.dumps(draw(json_values))
                         .encode("utf-8", "surrogatepass"))
        else:
            lines.append(draw(st.binary(max_size=200)))
    return mutate(b"\n".join(lines), draw)


@st.composite
def warc_bytes(draw: st.DrawFn) -> bytes:
    out = io.BytesIO()
    for i in range(draw(st.integers(1, 3))):
        html = draw(st.one_of(html_soup(), words)).encode("utf-8", "surrogatepass")
        ctype = draw(st.sampled_from(["text/html; charset=utf-8", "text/html; charset=bogus",
                                      "application/pdf", "text/html"]))
        status = draw(st.sampled_from([b"200 OK", b"301 Moved", b"500 Oops", b"abc"]))
        http = (b"HTTP/1.1 " + status + b"\r\nContent-Type: " + ctype.encode() +
                b"\r\nContent-Length: %d\r\n\r\n" % len(html) + html)
        length = len(http) + draw(st.sampled_from([0, 0, 0, -5, 7, 10**9]))
        rec = (b"WARC/1.0\r\nWARC-Type: " + draw(st.sampled_from([b"response", b"resource",
                                                                  b"request", b"bogus"])) +
               b"\r\nWARC-Target-URI: http://x.test/%d\r\nWARC-Date: 2026-03-05T10:00:00Z\r\n"
               b"WARC-Record-ID: <urn:uuid:%d>\r\nContent-Type: application/http; "
               b"msgtype=response\r\nContent-Length: %d\r\n\r\n" % (i, i, length) + http +
               b"\r\n\r\n")
        out.write(gzip.compress(rec) if draw(st.booleans()) else rec)
    return mutate(out.getvalue(), draw)


# -- the property every input must have ---------------------------------------------------
def write(name: str, data: bytes) -> str:
    path = Path(_TMP.name) / name
    path.write_bytes(data)
    return str(path)


def read_all(path: str, max_bytes: int = CAP) -> Iterator[RawDocument | Failure]:
    """Read one input as add does, then clean each document: only documents, one-line
    Failures and IngestErrors come out."""
    for item in iter_documents([path], max_bytes=max_bytes, fetch_pages=False):
        assert isinstance(item, RawDocument | Failure), item
        if isinstance(item, Failure):
            assert_documented(item)
            assert item.origin and "\n" not in item.origin, item  # the input or its entry
        else:
            try:
                article = build_article(item)
            except IngestError as e:
                assert "\n" not in e.reason and e.reason, e
            else:
                assert article.title.strip() and article.text.strip()
        yield item


def assert_documented(f: Failure) -> None:
    """A failure of an ingest is one line with a reason, not a bug report: neither the
    catch-all "unexpected error" nor a bare "SomeError: ..." from an unforeseen exception."""
    assert f.reason and "\n" not in f.reason, f
    assert not f.reason.startswith("unexpected error"), f
    assert not re.match(r"\w+(Error|Exception|Warning)\b", f.reason), f


def drain(path: str, max_bytes: int = CAP) -> list[RawDocument | Failure]:
    return list(read_all(path, max_bytes))


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["txt", "html", "htm", "md", "json", "xml",
                                                  "rss", "opml", "jsonl", "warc", "txt.gz",
                                                  "jsonl.gz", "warc.gz", "bin"]))
def test_any_bytes_under_any_name(data: bytes, ext: str) -> None:
    drain(write(f"any.{ext}", data))


@FUZZ
@given(html_soup(), st.sampled_from(["utf-8", "utf-16", "cp1251", "latin-1"]))
def test_html_pages(html: str, encoding: str) -> None:
    drain(write("page.html", html.encode(encoding, "replace")))
    try:
        page = extract_html(html)
    except ValueError as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(page.text, str)


@FUZZ
@given(text_like)
def test_plain_text(text: str) -> None:
    drain(write("note.txt", text.encode("utf-8", "surrogatepass")))
    parse_plain_text(text)


@FUZZ
@given(jsonl_bytes())
def test_json_lines(data: bytes) -> None:
    drain(write("rows.jsonl", data))


@FUZZ
@given(feed_bytes())
def test_feeds(data: bytes) -> None:
    drain(write("feed.xml", data))
    try:
        parse_feed(data)
    except FeedError as e:
        assert "\n" not in str(e)


@FUZZ
@given(opml_bytes())
def test_opml(data: bytes) -> None:
    try:
        feeds = parse_opml(data)
    except OpmlError as e:
        assert "\n" not in str(e)
    else:
        assert all(f.url for f in feeds)


@FUZZ
@given(warc_bytes())
def test_warc(data: bytes) -> None:
    drain(write("crawl.warc", data))


@FUZZ
@given(st.one_of(st.text(max_size=200), words))
def test_dates(s: str) -> None:
    for value in (parse_date(s), date_in_line(s), find_date_line(s)[0]):
        assert value is None or isinstance(value, str | tuple)
    for start, end, iso in find_dates(s):
        assert 0 <= start < end <= len(s) and iso[:4].isdigit()


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "bogus", "utf-16"]),
       st.booleans())
def test_decode(data: bytes, declared: str | None, markup: bool) -> None:
    try:
        text = decode_bytes(data, declared=declared, markup=markup)
    except NotText as e:
        assert "\n" not in str(e)
    else:
        assert "\x00" not in text or True  # any text; it must only be a str
        assert isinstance(text, str)


# -- whole ingests: whole articles or nothing ----------------------------------------------
@pytest.fixture(scope="module")
def desk() -> Iterator[Desk]:
    d = Desk(str(Path(_TMP.name) / "fuzz.db"))
    yield d
    d.close()


@FUZZ_SLOW
@given(st.one_of(
    st.tuples(st.just("html"), html_soup().map(lambda s: s.encode("utf-8", "surrogatepass"))),
    st.tuples(st.just("txt"), text_like.map(lambda s: s.encode("utf-8", "surrogatepass"))),
    st.tuples(st.just("jsonl"), jsonl_bytes()),
    st.tuples(st.just("xml"), feed_bytes()),
    st.tuples(st.just("warc"), warc_bytes()),
))
def test_ingest_stores_whole_articles_or_nothing(desk: Desk, case: tuple[str, bytes]) -> None:
    ext, data = case
    path = write(f"in.{ext}", data)
    before = desk.store.count_articles()
    report = desk.add([path])
    for f in report.failures:
        assert_documented(f)
    assert desk.store.count_articles() == before + len(report.added)
    check_store(Path(desk.store.db))


# -- attacks ---------------------------------------------------------------------------------
def gzip_bomb(expanded: int, piece: bytes = b"\0") -> bytes:
    """``expanded`` bytes of ``piece`` as gzip, made in milliseconds: one 10 MB member,
    repeated (a gzip file may hold many members)."""
    member = gzip.compress(piece * (10_000_000 // len(piece)), compresslevel=9)
    return member * (expanded // 10_000_000)


def peak_mb(fn) -> tuple[object, float]:  # noqa: ANN001
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name,data,reason", [
    ("bomb.txt.gz", lambda: gzip_bomb(1_000_000_000),
     "too large (over cap 2 MB after decompression)"),
    ("bomb.html.gz", lambda: gzip_bomb(1_000_000_000, b"<p>a</p>"),
     "too large (over cap 2 MB after decompression)"),
    ("bomb.jsonl.gz", lambda: gzip.compress(b'{"text": "') + gzip_bomb(300_000_000, b"a"),
     "too large (over cap 2 MB)"),
])
def test_gzip_bombs_stop_at_the_cap(name: str, data, reason: str) -> None:  # noqa: ANN001
    path = write(name, data())
    assert os.path.getsize(path) < 2_000_000
    started = time.monotonic()
    out, peak = peak_mb(lambda: drain(path))
    assert [(type(x).__name__, getattr(x, "reason", None)) for x in out] == [
        ("Failure", reason)]
    assert peak < 12, peak
    assert time.monotonic() - started < 15


def test_warc_gzip_bomb_stops_at_the_cap() -> None:
    n = 300_000_000
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % n
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.test/a\r\n"
            b"WARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            b"Content-Length: %d\r\n\r\n" % (len(http) + n))
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = z.compress(b"\0" * 10_000_000)
    parts = [z.compress(head + http + b"<p>")] + [block] * 30
    # The same compressed block repeated decompresses to the same bytes again.
    data = b"".join(parts)
    path = write("bomb.warc.gz", data)
    out, peak = peak_mb(lambda: drain(path))
    assert [type(x).__name__ for x in out] == ["Failure"]
    assert peak < 30, peak


def test_a_100_mb_line_is_refused_in_bounded_memory() -> None:
    path = Path(_TMP.name) / "long.jsonl"
    with path.open("wb") as fh:  # written a piece at a time: never in memory whole
        fh.write(b'{"title": "Long", "text": "')
        piece = b"word " * 200_000
        for _ in range(100):
            fh.write(piece)
        fh.write(b'"}\n{"title": "Second line", "text": "' + b"The harbour council met on "
                 b"Monday to discuss the ferry strike and the new budget. " * 3 + b'"}\n')
    assert path.stat().st_size > 100_000_000
    out, peak = peak_mb(lambda: drain(str(path)))
    assert [type(x).__name__ for x in out] == ["Failure", "RawDocument"]
    assert out[0].reason == "too large (over cap 2 MB)"
    assert peak < 12, peak
    txt = Path(_TMP.name) / "long.txt"
    os.truncate(path, 0)
    with txt.open("wb") as fh:
        for _ in range(100):
            fh.write(b"word " * 200_000)
    [failure] = drain(str(txt))
    assert failure.reason == "too large (100 MB > cap 2 MB)"
    txt.unlink()
    path.unlink()


def test_deeply_nested_html() -> None:
    body = "Words of the article body, written to be read as text. " * 30
    for depth, tag in ((100_000, "div"), (50_000, "b><i")):
        html = "<html><body>" + f"<{tag}>" * depth + f"<p>{body}</p></body></html>"
        started = time.monotonic()
        out = drain(write("deep.html", html.encode()))
        assert len(out) == 1
        assert time.monotonic() - started < 20


def test_invalid_utf8_and_nul_bytes(desk: Desk) -> None:
    text = b"Ferry strike ends\n\n" + b"The harbour council met \xff\xfe on Monday. " * 20
    nul = b"Ferry strike ends\n\n" + b"The \x00 council met on Monday. " * 20
    row = (b'{"title": "Nul\\u0000 title", "text": "' +
           b"The council \\u0000 met \\ud800 on Monday and agreed. " * 20 + b'"}\n'
           b'\xff\xfe{"x": 1}\n')
    cases = {"bad-utf8.txt": text, "nul.txt": nul, "nul.jsonl": row,
             "nul.html": b"<html><body><p>" + nul + b"</p></body></html>"}
    for name, data in cases.items():
        path = write(name, data)
        before = desk.store.count_articles()
        report = desk.add([path])
        for f in report.failures:
            assert_documented(f)
        assert desk.store.count_articles() == before + len(report.added)
        for art_id in report.added:
            art = desk.store.get_article(art_id)
            assert art is not None and "\x00" not in art.text + art.title
    check_store(Path(desk.store.db))


def test_a_feed_with_thousands_of_entries() -> None:
    items = "".join(f"<item><title>Entry {i}</title><link>http://127.0.0.1:9/{i}</link>"
                    f"<guid>g{i}</guid><description>Short summary {i}.</description></item>"
                    for i in range(5000))
    data = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}'
            f"</channel></rss>").encode()
    started = time.monotonic()
    feed = parse_feed(data)
    assert len(feed.entries) == 5000
    out = drain(write("big.xml", data))
    assert len(out) == 5000 and all(isinstance(x, Failure) for x in out)
    assert time.monotonic() - started < 30


LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "' + b"&lol;" * 10 + b'">' +
          b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10)
                   for i in range(2, 10)) + b"]>")


@pytest.mark.parametrize("name,data,reason", [
    ("laughs.xml", b'<?xml version="1.0"?>' + LAUGHS + b'<rss version="2.0"><channel>'
     b"<title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>",
     "malformed feed (XML entity declarations are not accepted)"),
    ("laughs.atom", b'<?xml version="1.0"?>' + LAUGHS + b'<feed xmlns="http://www.w3.org/'
     b'2005/Atom"><entry><title>&lol9;</title></entry></feed>',
     "malformed feed (XML entity declarations are not accepted)"),
    ("laughs.opml", b'<?xml version="1.0"?>' + LAUGHS + b'<opml version="2.0"><body>'
     b'<outline text="&lol9;" xmlUrl="http://x.test/&lol9;"/></body></opml>',
     "invalid OPML (DTDs and entities are not accepted)"),
    ("far.opml", b"<!--" + b" " * 70_000 + b"-->" + LAUGHS + b'<opml version="2.0"><body>'
     b'<outline text="&lol9;" xmlUrl="http://x.test/&lol9;"/></body></opml>',
     "invalid OPML (DTDs and entities are not accepted)"),
    ("quadratic.xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"A" * 50_000 +
     b'">]><rss version="2.0"><channel><item><title>' + b"&a;" * 20_000 +
     b"</title></item></channel></rss>",
     "malformed feed (XML entity declarations are not accepted)"),
])
def test_billion_laughs(name: str, data: bytes, reason: str) -> None:
    started = time.monotonic()
    out, peak = peak_mb(lambda: drain(write(name, data)))
    assert [getattr(x, "reason", None) for x in out] == [reason]
    assert time.monotonic() - started < 2 and peak < 20


def test_store_checks_see_a_half_stored_article(tmp_path: Path) -> None:
    """The consistency check itself can fail: an article row without its index rows."""
    db = tmp_path / "d.db"
    with Desk(str(db)) as d:
        d.add([write("ok.txt", b"Ferry strike ends\n\n" + b"The harbour council met on "
                                                            b"Monday and agreed. " * 20)])
    check_store(db)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM dup_bands")
    con.commit()
    con.close()
    with pytest.raises(AssertionError):
        check_store(db)
