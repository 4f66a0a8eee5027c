"""Files and folders through iter_documents and plan: real files in tmp_path."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydesk.models import Failure, RawDocument
from storydesk.sources import iter_documents, plan

FIXTURES = Path(__file__).parent / "fixtures" / "sources"

FERRY = """Ferry service to Ilvar island resumes after storm

The ferry link between the port of Karsk and Ilvar island reopened on Tuesday after three
days of storms kept the boats in harbour, the regional transport office said.
"""


def run(*paths: Path | str, max_bytes: int = 20_000_000) -> list[RawDocument | Failure]:
    return list(iter_documents([str(p) for p in paths], max_bytes=max_bytes))


def only(items: list[RawDocument | Failure]) -> RawDocument | Failure:
    assert len(items) == 1, items
    return items[0]


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text(FERRY, encoding="utf-8")
    doc = only(run(path))
    assert doc == RawDocument(origin=str(path), kind="text", content=FERRY)


def test_html_file_with_meta_charset(tmp_path: Path) -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=windows-1251"><title>Паром</title></head>'
            '<body><p>Паромное сообщение с островом Ильвар восстановлено.</p></body></html>')
    path = tmp_path / "ilvar.htm"
    path.write_bytes(html.encode("cp1251"))
    doc = only(run(path))
    assert isinstance(doc, RawDocument) and doc.kind == "html"
    assert "Паромное сообщение с островом Ильвар" in doc.content


def test_latin1_and_cp1251_text_without_declaration(tmp_path: Path) -> None:
    french = ("Le café du port de Karsk rouvre après la tempête. Les pêcheurs étaient "
              "ravis de retrouver leur table préférée, a déclaré la gérante à la presse.\n")
    russian = ("Паромное сообщение между портом Карск и островом Ильвар возобновилось во "
               "вторник после трёх дней штормов, сообщило региональное транспортное "
               "управление. Первым рейсом переправились около четырёхсот пассажиров.\n")
    (tmp_path / "fr.txt").write_bytes(french.encode("latin-1"))
    (tmp_path / "ru.txt").write_bytes(russian.encode("cp1251"))
    fr, ru = run(tmp_path / "fr.txt", tmp_path / "ru.txt")
    assert isinstance(fr, RawDocument) and fr.content == french
    assert isinstance(ru, RawDocument) and ru.content == russian


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(FERRY.encode("utf-16"))
    doc = only(run(path))
    assert isinstance(doc, RawDocument) and doc.content == FERRY


def test_binary_empty_missing_and_oversized(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_text("  \n\n ")
    (tmp_path / "big.txt").write_text(FERRY * 20)
    items = run(tmp_path / "photo.txt", tmp_path / "empty.txt", tmp_path / "blank.html",
                tmp_path / "gone.txt", tmp_path / "big.txt", max_bytes=1000)
    reasons = [(Path(i.origin).name, i.reason) for i in items if isinstance(i, Failure)]
    assert reasons == [
        ("photo.txt", "binary file, not text"),
        ("empty.txt", "empty file"),
        ("blank.html", "empty file"),
        ("gone.txt", "no such file or folder"),
        ("big.txt", f"too large ({len(FERRY * 20)} bytes > cap 1000 bytes)"),
    ]


def test_oversized_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * 2_500_000)
    fail = only(run(path, max_bytes=2_000_000))
    assert fail == Failure(str(path), "too large (2.5 MB > cap 2 MB)")


def test_jsonl_with_bad_line(tmp_path: Path) -> None:
    rows = [
        {"title": "Ferry resumes", "text": FERRY, "url": "https://lantern.example/ferry",
         "date": "2026-02-03", "outlet": "Lantern Post", "author": "A. Reyes", "section": "Coast"},
        {"title": "Library", "html": "<p>The reading room reopened.</p>", "tags": ["karsk"]},
    ]
    lines = [json.dumps(rows[0]), json.dumps(rows[1]), "", '{"title": "no body"}', "[1, 2]",
             "", '{"title": "broken", "text": "cut off']
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = run(path)
    first, second, no_body, not_obj, broken = items
    assert first == RawDocument(
        origin=f"{path}:1", kind="text", content=FERRY, url="https://lantern.example/ferry",
        fields={"title": "Ferry resumes", "url": "https://lantern.example/ferry",
                "date": "2026-02-03", "outlet": "Lantern Post", "author": "A. Reyes",
                "section": "Coast"},
    )
    assert isinstance(second, RawDocument) and second.kind == "html"
    assert second.content == "<p>The reading room reopened.</p>"
    assert second.fields == {"title": "Library", "tags": ["karsk"]} and second.url is None
    assert no_body == Failure(f"{path}:4", "no text or html field")
    assert not_obj == Failure(f"{path}:5", "not a JSON object (list)")
    assert isinstance(broken, Failure) and broken.origin == f"{path}:7"
    assert broken.reason.startswith("invalid JSON (")


def test_jsonl_gz_and_long_line_cap(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "x" * 500}), json.dumps({"text": FERRY})]
    path = tmp_path / "rows.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    too_long, ok = run(path, max_bytes=300)
    assert too_long == Failure(f"{path}:1", "too large (over cap 300 bytes)")
    assert isinstance(ok, RawDocument) and ok.origin == f"{path}:2" and ok.content == FERRY


def test_json_list_and_object(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text(json.dumps(
        [{"title": "A", "text": FERRY}, {"title": "B"}, {"html": "<p>Hi</p>", "outlet": "Q"}]))
    (tmp_path / "one.json").write_text(json.dumps({"text": FERRY, "date": "2026-02-03"}))
    (tmp_path / "bad.json").write_text('{"text": ')
    items = run(tmp_path / "list.json", tmp_path / "one.json", tmp_path / "bad.json")
    a, b, c, one, bad = items
    assert isinstance(a, RawDocument) and a.origin.endswith("list.json#1") and a.kind == "text"
    assert b == Failure(str(tmp_path / "list.json") + "#2", "no text or html field")
    assert isinstance(c, RawDocument) and c.kind == "html" and c.fields == {"outlet": "Q"}
    assert isinstance(one, RawDocument) and one.fields == {"date": "2026-02-03"}
    assert isinstance(bad, Failure) and bad.reason.startswith("invalid JSON (")


def _warc(path: Path, pages: list[tuple[str, str, str]]) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, ctype, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body.encode("utf-8")), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-02-03T10:00:00Z"},
            )
            writer.write_record(record)


def test_warc_gz_and_truncated_copy(tmp_path: Path) -> None:
    harbour = (FIXTURES / "harbour.html").read_text(encoding="utf-8")
    library = (FIXTURES / "library.html").read_text(encoding="utf-8")
    path = tmp_path / "crawl.warc.gz"
    _warc(path, [
        ("https://courier.example/harbour", "text/html; charset=utf-8", harbour),
        ("https://courier.example/logo.css", "text/css", "body { color: red }"),
        ("https://courier.example/library", "text/html", library),
    ])
    docs = run(path)
    assert [(d.origin, d.url) for d in docs] == [
        (f"{path}#1 https://courier.example/harbour", "https://courier.example/harbour"),
        (f"{path}#3 https://courier.example/library", "https://courier.example/library"),
    ]
    assert all(isinstance(d, RawDocument) and d.kind == "html" for d in docs)
    assert "Port Velmar" in docs[0].content
    assert docs[0].fields == {"warc_date": "2026-02-03T10:00:00Z"}

    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])  # the last record's gzip member is cut
    *good, fail = run(cut)
    assert [d.url for d in good if isinstance(d, RawDocument)] == ["https://courier.example/harbour"]
    assert isinstance(fail, Failure) and fail.origin.startswith(f"{cut}#3")
    assert fail.reason.startswith("truncated WARC")
    # Cut inside the last record's headers: the good records, then the failure.
    cut.write_bytes(data[: len(data) - 350])
    *good, fail = run(cut)
    assert len(good) == 1 and isinstance(fail, Failure)
    assert fail.origin.startswith(f"{cut}#3") and fail.reason.startswith("truncated WARC")


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("these are my notes, not an archive\n" * 3)
    [fail] = run(path)
    assert isinstance(fail, Failure) and "WARC" in fail.reason


def test_gzip_text_html_and_truncated(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt.gz").write_bytes(gzip.compress(FERRY.encode()))
    page = (FIXTURES / "library.html").read_bytes()
    (tmp_path / "library.html.gz").write_bytes(gzip.compress(page))
    whole = gzip.compress((FERRY * 50).encode())
    (tmp_path / "cut.txt.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "fake.txt.gz").write_bytes(b"not gzip at all")
    ferry, library, cut, fake = run(*(tmp_path / n for n in
                                      ("ferry.txt.gz", "library.html.gz", "cut.txt.gz",
                                       "fake.txt.gz")))
    assert isinstance(ferry, RawDocument) and ferry.kind == "text" and ferry.content == FERRY
    assert isinstance(library, RawDocument) and library.kind == "html"
    assert cut == Failure(str(tmp_path / "cut.txt.gz"), "truncated gzip")
    assert isinstance(fake, Failure) and fake.reason.startswith("not a valid gzip file")


def test_folder_plan_and_recursive_read(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text(FERRY)
    (tmp_path / "b" / "page.html").write_bytes((FIXTURES / "harbour.html").read_bytes())
    (tmp_path / "b" / "deep" / "rows.jsonl").write_text(
        json.dumps({"text": FERRY}) + "\n" + json.dumps({"text": FERRY}) + "\n")
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / ".git" / "HEAD.txt").write_text("ref")
    (tmp_path / ".hidden.txt").write_text(FERRY)
    (tmp_path / "empty").mkdir()
    units = plan([str(tmp_path), "https://example.org/feed.xml", str(tmp_path / "empty")])
    assert units == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "deep" / "rows.jsonl"),
        str(tmp_path / "b" / "page.html"),
        "https://example.org/feed.xml",
        str(tmp_path / "empty"),
    ]
    items = run(tmp_path, tmp_path / "empty")
    assert [type(i).__name__ for i in items] == ["RawDocument"] * 4 + ["Failure"]
    assert items[-1] == Failure(str(tmp_path / "empty"), "folder has no readable files")
    # Units can be read one at a time (a progress bar per unit) with the same result.
    one_by_one = [i for u in plan([str(tmp_path)]) for i in iter_documents([u])]
    assert one_by_one == items[:-1]


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "README").write_text(FERRY)
    (tmp_path / "saved.page").write_bytes((FIXTURES / "library.html").read_bytes())
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02\x03" * 10)
    text, html, blob = run(tmp_path / "README", tmp_path / "saved.page", tmp_path / "blob.bin")
    assert isinstance(text, RawDocument) and text.kind == "text"
    assert isinstance(html, RawDocument) and html.kind == "html"
    assert blob == Failure(str(tmp_path / "blob.bin"), "binary file, not text")


def test_bad_opml_and_feed_files(tmp_path: Path) -> None:
    (tmp_path / "broken.opml").write_text("<opml><body><outline xmlUrl='http://x'")
    (tmp_path / "nofeeds.opml").write_text("<opml version='2.0'><body/></opml>")
    (tmp_path / "broken.rss").write_text("<rss><channel><title>Half")
    items = run(tmp_path / "broken.opml", tmp_path / "nofeeds.opml", tmp_path / "broken.rss")
    assert all(isinstance(i, Failure) for i in items)
    reasons = [i.reason for i in items]
    assert reasons[0].startswith("invalid OPML (")
    assert reasons[1] == "no feeds in OPML"
    assert reasons[2].startswith("malformed feed (")
    assert all("\n" not in r for r in reasons)


def test_mixed_batch_never_raises(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(FERRY)
    items = run(tmp_path / "missing.jsonl", "", tmp_path / "ok.txt", tmp_path)
    assert isinstance(items[0], Failure)
    assert isinstance(items[1], Failure) and items[1].origin == ""  # an empty name, reported
    assert isinstance(items[2], RawDocument) and items[2].content == FERRY


def test_url_of_another_scheme_is_named_so(tmp_path: Path) -> None:
    items = run("ftp://archive.example/news.txt", "htp://lantern.example/a", tmp_path / "gone.txt")
    assert [(i.origin, i.reason) for i in items if isinstance(i, Failure)] == [
        ("ftp://archive.example/news.txt", "not an http(s) URL (ftp://), and no such file"),
        ("htp://lantern.example/a", "not an http(s) URL (htp://), and no such file"),
        (str(tmp_path / "gone.txt"), "no such file or folder"),
    ]


def test_an_empty_input_name_is_a_failure_not_skipped() -> None:
    from storydesk.sources import iter_documents

    out = list(iter_documents(["", "  "]))
    assert [(f.origin, f.reason) for f in out] == [("", "an empty name, not a file or URL")] * 2
