"""A new user's first hour with their own files, through the real ``storydesk`` command:
saved pages with a URL line, CSV exports, scrapers' JSON lines, outlets named from hosts,
copyright lines and folders."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli import storydesk

# Fictional articles written for these tests.
BODY = ("Engineers closed the rail bridge at Karsk on Wednesday to inspect cracks found in "
        "two of its steel girders, the national railway company said in a statement.")
BODY2 = ("The ferry link between the port of Karsk and Ilvar island reopened on Tuesday after "
         "three days of storms kept the boats in harbour, the transport office said.")
BODY3 = ("Pupils in the northern districts of Karsk moved into a new school building on "
         "Thursday, ending years of lessons in temporary cabins, the city said.")


def _articles(db: Path, *args: str) -> list[dict]:
    got = storydesk("articles", "--json", *args, db=db)
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def test_url_line_is_the_url_and_the_next_line_the_headline(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "http: / / www. foxnews. com / politics / 2013 / 04 / 10 / rail _ bridge - closed\n"
        "Rail bridge at Karsk closed for inspection\n" + BODY + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "https: / / the - caucus. blogs. nytimes. com / 2013 / 04 / 11 / ferry /\n\n"
        "Ferry service to Ilvar resumes\n\n" + BODY2 + "\n", encoding="utf-8")
    db = tmp_path / "d.db"
    assert storydesk("add", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                     db=db).returncode == 0
    got = {a["title"]: a for a in _articles(db)}
    bridge = got["Rail bridge at Karsk closed for inspection"]
    assert bridge["url"] == ("http://www.foxnews.com/politics/2013/04/10/"
                             "rail_bridge-closed")
    assert bridge["outlet"] == "Fox News"
    ferry = got["Ferry service to Ilvar resumes"]
    assert ferry["outlet"] == "The New York Times"  # a blog host of nytimes.com, named
    text = json.loads(storydesk("show", "article", str(ferry["id"]), "--json", db=db).stdout)
    assert not text["text"].startswith("http") and "thecaucus" not in text["text"]


def test_csv_and_tsv_one_article_per_row(tmp_path: Path) -> None:
    rows = [("Rail bridge closed", BODY, "2026-02-04", "Lantern Post"),
            ("Ferry resumes", BODY2, "2026-02-03", "Harbour Courier")]
    csv = tmp_path / "export.csv"
    csv.write_text("title,text,date,outlet\n" + "".join(
        f'"{t}","{x}",{d},{o}\n' for t, x, d, o in rows), encoding="utf-8")
    tsv = tmp_path / "more.tsv"
    tsv.write_text("headline\tcontent\tpublished\tsource\n"
                   f"New school opens\t{BODY3}\t2026-02-05\tNorthgate Daily\n", encoding="utf-8")
    db = tmp_path / "d.db"
    got = storydesk("add", str(csv), str(tsv), db=db)
    assert got.returncode == 0 and "3 added, 0 duplicates, 0 failed" in got.stdout, got
    listed = {a["title"]: (a["date"], a["outlet"]) for a in _articles(db)}
    assert listed == {"Rail bridge closed": ("2026-02-04", "Lantern Post"),
                      "Ferry resumes": ("2026-02-03", "Harbour Courier"),
                      "New school opens": ("2026-02-05", "Northgate Daily")}


def test_csv_without_a_text_column_is_refused_in_one_line(tmp_path: Path) -> None:
    csv = tmp_path / "links.csv"
    csv.write_text("title,link\nRail bridge closed,https://example.org/a\n", encoding="utf-8")
    got = storydesk("add", str(csv), db=tmp_path / "d.db")
    assert got.returncode == 1 and "0 added" in got.stdout
    assert got.stderr.strip() == (
        f"failed: {csv}: no text column in the header (columns: title, link); name one text "
        "or html, or map it with --field text=COLUMN")
    mapped = storydesk("add", str(csv), "--field", "text=title", db=tmp_path / "d.db")
    assert "failed" in mapped.stderr  # three words are too little text: still one line each
    assert len(mapped.stderr.strip().splitlines()) == 1


def test_scraper_field_names_and_field_mapping(tmp_path: Path) -> None:
    rows = tmp_path / "scraped.jsonl"
    rows.write_text("\n".join(json.dumps(r) for r in [
        {"headline": "Rail bridge closed", "content": BODY, "source": "Lantern Post",
         "pubDate": "2026-02-04"},
        {"title": "Ferry resumes", "body": BODY2, "publisher": {"name": "Harbour Courier"},
         "publish_date": "2026-02-03"},
        {"title": "New school opens", "article": BODY3, "site_name": "northgate.example",
         "published": "2026-02-05T08:00:00Z"},
    ]) + "\n", encoding="utf-8")
    db = tmp_path / "d.db"
    got = storydesk("add", str(rows), db=db)
    assert "3 added, 0 duplicates, 0 failed" in got.stdout, got.stderr
    listed = {a["title"]: (a["date"][:10], a["outlet"]) for a in _articles(db)}
    assert listed == {"Rail bridge closed": ("2026-02-04", "Lantern Post"),
                      "Ferry resumes": ("2026-02-03", "Harbour Courier"),
                      "New school opens": ("2026-02-05", "northgate.example")}

    odd = tmp_path / "odd.jsonl"
    odd.write_text(json.dumps({"hed": "Tram line opens", "story_body": BODY3 + " More.",
                               "paper": "Karsk Courier"}) + "\n", encoding="utf-8")
    db2 = tmp_path / "d2.db"
    bad = storydesk("add", str(odd), db=db2)
    assert bad.returncode == 1 and "no text or html field" in bad.stderr
    ok = storydesk("add", str(odd), "--field", "text=story_body", "--field", "title=hed",
                   "--field", "outlet=paper", db=db2)
    assert ok.returncode == 0, ok.stderr
    [a] = _articles(db2)
    assert (a["title"], a["outlet"]) == ("Tram line opens", "Karsk Courier")
    wrong = storydesk("add", str(odd), "--field", "body", db=db2)
    assert wrong.returncode == 2 and "expected FIELD=KEY" in wrong.stderr


def test_outlet_from_copyright_line_and_from_folder(tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    (saved / "Harbour Courier").mkdir(parents=True)
    (saved / "Harbour Courier" / "ferry.txt").write_text(
        "Ferry resumes\n\n" + BODY2 + "\n", encoding="utf-8")
    (saved / "bridge.txt").write_text(
        "Rail bridge closed\n\n" + BODY + "\n\n© 2026 Lantern Post. All rights reserved.\n",
        encoding="utf-8")
    db = tmp_path / "d.db"
    assert storydesk("add", str(saved), db=db).returncode == 0
    assert {a["title"]: a["outlet"] for a in _articles(db)} == {
        "Rail bridge closed": "Lantern Post", "Ferry resumes": None}
    outlets = storydesk("sources", "outlets", db=db).stdout
    assert "(outlet unknown)" in outlets
    assert outlets.strip().splitlines()[-1] == "1 outlet; 1 article with the outlet unknown"
    _says_outlet_unknown_once(db)
    db2 = tmp_path / "d2.db"
    assert storydesk("add", "--outlet-from-folder", str(saved), db=db2).returncode == 0
    assert {a["title"]: a["outlet"] for a in _articles(db2)} == {
        "Rail bridge closed": "Lantern Post", "Ferry resumes": "Harbour Courier"}


def _says_outlet_unknown_once(db: Path) -> None:
    """Pages name a missing outlet once, "outlet unknown", never "from 0 outlets"."""
    from fastapi.testclient import TestClient

    from storydesk.web import create_app

    [ferry] = [a for a in _articles(db) if a["outlet"] is None]
    stories = json.loads(storydesk("stories", "--json", db=db).stdout)
    sid = next(s["id"] for s in stories if ferry["id"] in s["article_ids"])
    with TestClient(create_app(str(db))) as client:
        for path in ("/", f"/stories/{sid}", f"/articles/{ferry['id']}", "/sources",
                     "/articles"):
            html = client.get(path).text
            assert "0 outlets" not in html and "unknown outlet" not in html, path
            if not path.startswith(("/stories", "/?")) and path != "/":
                assert "outlet unknown" in html, path


def test_outlet_table_is_editable(tmp_path: Path, monkeypatch) -> None:
    table = tmp_path / "outlets.tsv"
    table.write_text("# mine\nfoxnews.com\tFOX\n", encoding="utf-8")
    monkeypatch.setenv("STORYDESK_OUTLETS", str(table))
    (tmp_path / "a.txt").write_text("https://www.foxnews.com/a\nRail bridge closed\n" + BODY,
                                    encoding="utf-8")
    db = tmp_path / "d.db"
    assert storydesk("add", str(tmp_path / "a.txt"), db=db).returncode == 0
    assert [a["outlet"] for a in _articles(db)] == ["FOX"]


# -- watch: exit codes ----------------------------------------------------------------
def test_watch_with_nothing_subscribed_says_so_and_exits(tmp_path: Path) -> None:
    got = storydesk("watch", db=tmp_path / "d.db", timeout=30)
    assert got.returncode == 1
    assert got.stderr.strip().splitlines()[-1] == (
        "error: no subscriptions to watch: add one with storydesk sources add URL or a list "
        "with storydesk sources import FILE.opml")


def test_watch_exits_1_when_every_feed_failed(http_server, tmp_path: Path) -> None:
    from feedsite import FeedSite
    from httpserver import Response

    db = tmp_path / "d.db"
    broken = http_server.add("/broken.xml", Response("", status=503, content_type="text/plain"))
    gone = http_server.add("/gone.xml", Response("", status=404, content_type="text/plain"))
    for url in (broken, gone):
        assert storydesk("sources", "add", url, "--no-check", db=db).returncode == 0
    got = storydesk("watch", "--rounds", "1", "--allow-private", "--delay", "0", db=db)
    assert got.returncode == 1, got.stderr
    assert got.stderr.strip().splitlines()[-1] == (
        "error: every poll failed (2 of 2): see storydesk sources list for each source's "
        "last error")
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(1)
    assert storydesk("sources", "add", site.feed_url, "--allow-private", db=db).returncode == 0
    again = storydesk("watch", "--rounds", "1", "--allow-private", "--delay", "0", db=db)
    assert again.returncode == 0, again.stderr  # one feed worked


# -- citations, filters and counts ------------------------------------------------------
CITING = [
    ("Polar station opens", "Lantern Post",
     "The wintering complex opened on Monday by video link, TASS reported. Scientists at the "
     "station thanked the builders, according to RIA Novosti."),
    ("Station opening criticised", "Harbour Courier",
     "Critics said the opening was staged, The New York Times reported on Monday. Aides told "
     "The Times that the call had been planned for weeks."),
    ("Ferry resumes", "Lantern Post", BODY2 + " More crossings will follow, TASS reported."),
    ("School opens", "Lantern Post", BODY3),
]


def _citing_db(tmp_path: Path) -> Path:
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps({"title": t, "outlet": o, "text": x}) + "\n"
                            for t, o, x in CITING), encoding="utf-8")
    db = tmp_path / "d.db"
    assert storydesk("add", str(rows), db=db).returncode == 0
    return db


def test_one_paper_named_twice_is_one_source(tmp_path: Path) -> None:
    db = _citing_db(tmp_path)
    cited = {a["title"]: a["cited"] for a in _articles(db)}
    assert cited["Station opening criticised"] == ["The New York Times"]
    assert cited["Polar station opens"] == ["TASS", "RIA Novosti"]


def test_cited_filter_and_counts_of_what_matches(tmp_path: Path) -> None:
    db = _citing_db(tmp_path)
    assert sorted(a["title"] for a in _articles(db, "--cited", "tass")) == [
        "Ferry resumes", "Polar station opens"]
    shown = storydesk("articles", "--outlet", "Lantern Post", "--limit", "2", db=db)
    assert shown.stdout.strip().splitlines()[-1] == "2 of 3 articles"
    shown = storydesk("articles", "--cited", "TASS", "--limit", "1", db=db)
    assert shown.stdout.strip().splitlines()[-1] == "1 of 2 articles"
    none = storydesk("articles", "--cited", "Xinhua", db=db)
    assert none.stdout.strip().splitlines()[-1] == "no articles match these filters"
    stories = json.loads(storydesk("stories", "--cited", "TASS", "--json", db=db).stdout)
    members = {i for s in stories for i in s["article_ids"]}
    tass_ids = {a["id"] for a in _articles(db, "--cited", "TASS")}
    assert tass_ids <= members and stories
    line = storydesk("stories", "--cited", "TASS", "--limit", "1", db=db).stdout
    assert line.strip().splitlines()[-1] == f"1 of {len(stories)} stories"


def test_cited_filter_on_the_web(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storydesk.web import create_app

    db = _citing_db(tmp_path)
    with TestClient(create_app(str(db))) as client:
        page = client.get("/", params={"cited": "TASS"})
        assert page.status_code == 200 and "Stories citing TASS" in page.text
        n = len(json.loads(storydesk("stories", "--cited", "TASS", "--json", db=db).stdout))
        assert f"{n} stor{'y matches' if n == 1 else 'ies match'}" in page.text
        assert "Polar station opens" in page.text and "School opens" not in page.text
        hint = client.get("/", params={"outlet": "TASS"})
        assert "No stories match these filters" in hint.text
        assert 'href="/?cited=TASS">cite TASS</a>' in hint.text
        arts = client.get("/articles", params={"cited": "TASS"})
        assert "Ferry resumes" in arts.text and "School opens" not in arts.text
        api = client.get("/api/articles", params={"cited": "TASS", "limit": 1}).json()
        assert api["total"] == 2 and len(api["items"]) == 1
        stories = client.get("/api/stories", params={"cited": "RIA Novosti"}).json()
        assert stories["items"] and all(
            any(o in s["outlets"] for o in ["Lantern Post"]) for s in stories["items"])


def test_cited_filter_in_the_store(store_db: str) -> None:
    from storydesk.models import Article
    from storydesk.store import Store

    store = Store(store_db)
    for i, cited in enumerate([["TASS", "Reuters"], ["Reuters"], [], ["tass"]]):
        store.insert_article(Article(title=f"T{i}", text=f"text {i}", outlet="O", cited=cited),
                             url_key=None, text_hash=f"h{i}", signature=None, band_keys=[])
    assert [a.title for a in store.list_articles(cited="TASS")] == ["T0", "T3"]
    assert store.count_articles(cited="Reuters") == 2
    assert store.count_articles(outlet="o", cited="reuters") == 2
    assert store.count_articles(cited="AP") == 0 and store.count_articles() == 4


# -- story titles ---------------------------------------------------------------------
def test_story_title_is_a_real_headline_over_a_cut_lead(tmp_path: Path) -> None:
    lead = ("As the world watches with bated breath, President Teodor Kalvan of Valdoria and "
            "President Lena Ostrova of Ostmark opened the new Vostok wintering complex at "
            "the polar station by video link on Monday.")
    rest = (" The complex at Vostok station houses forty scientists through the polar winter. "
            "Kalvan and Ostrova praised the builders of the Vostok complex. Ostrova said the "
            "polar station would serve science for decades, and Kalvan thanked the crews.")
    rows = [
        {"text": lead + rest, "outlet": "Valdoria State Agency", "date": "2026-02-16"},
        {"text": lead + rest + " The ceremony lasted an hour.", "outlet": "Meridian Wire",
         "date": "2026-02-16"},
        {"title": "Kalvan and Ostrova open Vostok polar complex by video link",
         "text": "Teodor Kalvan and Lena Ostrova opened the Vostok wintering complex at the "
                 "polar station by video link on Monday, as arrests went on at home. The "
                 "Vostok complex houses forty scientists.", "outlet": "Ostmark Free Press",
         "date": "2026-02-16"},
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "d.db"
    assert storydesk("add", str(path), db=db).returncode == 0
    titles = {a["outlet"]: a["title"] for a in _articles(db)}
    assert titles["Meridian Wire"].endswith("…")  # no headline given: the lead, cut
    stories = json.loads(storydesk("stories", "--json", db=db).stdout)
    assert len(stories) == 1 and len(stories[0]["article_ids"]) == 3, stories
    assert stories[0]["title"] == "Kalvan and Ostrova open Vostok polar complex by video link"


# -- the contradiction report, errors and help ---------------------------------------------
def test_compare_report_names_outlets_and_sentences(tmp_path: Path) -> None:
    rows = [
        {"title": "Valdoria rejects new sanctions", "outlet": "Lantern Post",
         "date": "2026-03-12",
         "text": "Valdoria's foreign ministry on Thursday called the new sanctions \"an act of "
                 "political blackmail\" and said it would respond. The sanctions target six "
                 "officials, the Northern Council said. Ministers met in Velgrad."},
        {"title": "Velgrad calls sanctions blackmail", "outlet": "Harbour Courier",
         "date": "2026-03-12",
         "text": "\"This is another act of political blackmail and interference in our "
                 "affairs,\" Valdoria's foreign ministry said on Thursday. The sanctions target "
                 "nine officials, the Northern Council said. Ministers met in Velgrad."},
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "d.db"
    assert storydesk("add", str(path), db=db).returncode == 0
    ids = [str(a["id"]) for a in _articles(db)]
    got = storydesk("compare", *ids, db=db)
    assert got.returncode == 0, got.stderr
    data = json.loads(storydesk("compare", *ids, "--json", db=db).stdout)
    kinds = {k["type"] for k in data["comparison"]["contradictions"]}
    assert "number" in kinds, kinds
    report = got.stdout
    assert "quote_wording" not in report and "_" not in report.split("Contradictions")[1]
    assert "Number: officials" in report
    assert "Lantern Post, sentence 1: six" in report
    assert "Harbour Courier, sentence 1: nine" in report
    assert "Only in Lantern Post" in report
    assert not any(f"{i}#" in report for i in ids)  # no bare "6#0" references
    if "quote_wording" in kinds:
        assert "Wording of a quote" in report
        assert "this is another act" not in report  # no lower-cased repeat of the quote


def test_one_line_error_comes_last_and_help_keeps_its_defaults(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "storydesk"
    env = {**os.environ, "STORYDESK_DB": str(tmp_path / "d.db"), "COLUMNS": "200"}
    merged = subprocess.run([str(exe), "compare", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, timeout=60)
    assert merged.returncode == 1
    assert merged.stdout.strip().splitlines()[-1] == "error: compare needs at least two articles"
    for args, text in [(["export", "--help"], "Write to this file [default: standard output; "
                        "parquet needs a file]."),
                       (["add", "--help"], "Seconds between two requests to one host. "
                        "[default: 1.0]"),
                       (["articles", "--help"], "Store: a SQLite path or database URL. "
                        "[default: ./storydesk.db]")]:
        out = storydesk(*args, db=tmp_path / "d.db").stdout
        flat = " ".join(out.replace("│", " ").split())
        assert text in flat, (args, flat)
        assert not re.search(r"\w \.(\s|$)", flat)  # "Write to this file ."


def test_outlets_by_registered_domain() -> None:
    from storydesk.extract.outlets import outlet_from_url, outlet_name

    same = {outlet_from_url(u) for u in ["https://www.nytimes.com/a", "https://nytimes.com/b",
                                         "https://thecaucus.blogs.nytimes.com/c"]}
    assert same == {"The New York Times"}
    assert outlet_from_url("http://sports.espn.go.com/x") == "ESPN"  # a listed subdomain
    assert outlet_from_url("http://news.example.org/x") == "example.org"  # not listed
    assert outlet_from_url("http://127.0.0.1:8000/x") == "127.0.0.1"
    # a blog platform: every blog its own outlet
    assert outlet_from_url("http://a-b.blogspot.nl/x") == "a-b.blogspot.nl"
    assert outlet_name("www.foxnews.com") == "Fox News" and outlet_name("Fox") == "Fox"
