"""Ingest under hostile or careless input, through the installed ``storydesk`` command
and a real SQLite file: articles that differ only in a query parameter stay apart, a
URL match is confirmed by the text, bad JSON lines fail alone, a file added again is
one article, and failure lines cannot be forged by a file name."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk.dedup import TRACKING_PARAMS, canonical_url
from storydesk.follow.watch import entry_key
from storydesk.sources.feeds import FeedEntry

SAMPLE = Path(__file__).parent.parent / "src" / "storydesk" / "sample"
EXE = Path(sys.executable).parent / "storydesk"


def run(db: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "STORYDESK_DB": str(db), "COLUMNS": "200"}
    return subprocess.run([str(EXE), "add", *args], env=env, capture_output=True, cwd=cwd,
                          timeout=120, check=False)


TEXTS = [
    "The council in Brenvik voted on Tuesday to repair the harbour cranes after dockers "
    "complained for three months that two of them had stopped working in the cold.",
    "Frost destroyed most of the apple blossom in the Ulden valley overnight, growers said, "
    "and the regional farm office expects the smallest harvest in a decade.",
    "The city library of Tarnholm will close for a year while its leaking copper roof is "
    "replaced, the mayor announced, and books will be lent from a bus meanwhile.",
    "A new tram timetable starts on Monday with trains every six minutes at rush hour on "
    "line two, the transport company said, although night services are cut back.",
    "Nurses at the Oskarby hospital walked out for two hours on Friday over unpaid overtime, "
    "their union said, promising a longer strike if talks fail next week.",
    "Scientists counted forty grey seals on the sandbank off Kelmouth this winter, twice as "
    "many as five years ago, in a survey published by the marine institute.",
]


def texts(n: int) -> list[str]:
    """``n`` unrelated short article texts (unit-test text, written here)."""
    return TEXTS[:n]


def rows_file(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


# -- 1: query parameters that name the article --------------------------------------
@pytest.mark.parametrize("url", [
    "https://news.example/article.php?nid=1000", "https://news.example/a?articleId=5",
    "https://news.example/story?sid=77", "https://news.example/x?newsid=1",
    "https://news.example/x?ArticleID=1", "https://news.example/?q=node/123",
])
def test_parameters_that_name_the_article_are_kept(url: str) -> None:
    key = canonical_url(url)
    assert key is not None and "?" in key
    assert canonical_url(url + "&utm_source=x&fbclid=1#top") == key
    assert canonical_url(url.replace("https://news.example", "HTTPS://News.Example:443")) == key


def test_tracking_parameters_are_dropped() -> None:
    base = "https://news.example/a"
    for name in ("utm_source", "utm_campaign", "fbclid", "gclid", "mc_cid", "mc_eid", "ref",
                 "ref_src"):
        assert canonical_url(f"{base}?{name}=x") == base, name
    assert "utm_*" in TRACKING_PARAMS
    assert canonical_url(f"{base}?page=2") != base
    assert canonical_url(5) is None and canonical_url("") is None


def test_articles_at_different_query_urls_are_all_added(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    rows = [{"title": f"Council item {i}", "text": t,
             "url": f"https://news.example/article.php?nid={1000 + i}"}
            for i, t in enumerate(texts(3))]
    out = run(db, str(rows_file(tmp_path / "a.jsonl", rows)))
    assert out.returncode == 0, out.stderr
    assert b"3 added, 0 duplicates" in out.stdout
    # the same article again behind tracking parameters is a duplicate
    again = [{**rows[1], "url": rows[1]["url"] + "&utm_source=feed&fbclid=abc"}]
    out = run(db, str(rows_file(tmp_path / "b.jsonl", again)))
    assert b"0 added, 1 duplicates" in out.stdout, out.stdout
    # another text at a stored URL is another article, not a duplicate
    other = [{"title": "Other", "text": texts(5)[4], "url": rows[0]["url"]}]
    out = run(db, str(rows_file(tmp_path / "c.jsonl", other)))
    assert b"1 added, 0 duplicates" in out.stdout, out.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 4


def test_feed_entry_keys_keep_the_parameters() -> None:
    def entry(link: str) -> FeedEntry:
        return FeedEntry(index=1, link=link, guid=None, content="", fields={})

    a = entry("https://news.example/article.php?nid=1000")
    b = entry("https://news.example/article.php?nid=1001")
    c = entry("https://news.example/article.php?nid=1000&utm_medium=rss")
    assert entry_key(a) != entry_key(b)
    assert entry_key(a) == entry_key(c)


# -- 4, 8, 14: a bad JSON line fails alone ----------------------------------------
def test_each_bad_json_line_fails_alone(tmp_path: Path) -> None:
    good = texts(4)
    lines = [
        json.dumps({"title": "one", "text": good[0]}),
        '{"title": "big", "text": "some words here and there", "n": ' + "7" * 5000 + "}",
        json.dumps({"title": "two", "text": good[1]}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"title": "three", "text": good[2], "url": 5}),
        '{"title": "nan", "text": "' + good[3] + '", "score": NaN}',
        '{"title": "inf", "text": "' + good[3] + '", "score": -Infinity}',
        json.dumps({"title": "four", "text": good[3]}),
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n")
    listed = tmp_path / "list.json"
    listed.write_text("[" + ",".join([
        json.dumps({"title": "l1", "text": good[0] + " Again."}),
        '{"title": "l2", "text": "x", "n": ' + "9" * 4400 + "}",
        json.dumps({"title": "l3", "text": good[1] + " Again."}),
    ]) + "]")
    db = tmp_path / "news.db"
    out = run(db, str(path), str(listed))
    err = out.stderr.decode()
    assert out.stdout.startswith(b"5 added, 0 duplicates, 6 failed"), out.stdout
    failed = [ln for ln in err.splitlines() if ln.startswith("failed:")]
    assert len(failed) == 6, err
    assert "rows.jsonl:2: a number of 5000 digits" in err
    assert "rows.jsonl:4: invalid JSON (nested too deep)" in err
    assert "rows.jsonl:5: url is int, not a string" in err
    assert "rows.jsonl:6: NaN is not valid JSON" in err
    assert "rows.jsonl:7: -Infinity is not valid JSON" in err
    assert "list.json#2: a number of 4400 digits" in err
    assert "unexpected error" not in err and "Error:" not in err
    with sqlite3.connect(db) as conn:
        titles = {r[0] for r in conn.execute("SELECT title FROM articles")}
        assert titles == {"one", "two", "four", "l1", "l3"}
        for (extra,) in conn.execute("SELECT extra FROM articles"):
            json.loads(extra, parse_constant=lambda c: pytest.fail(f"{c} stored"))


# -- 11: the same article added twice is one article -------------------------------
def test_a_file_added_again_after_its_folder_is_one_article(tmp_path: Path) -> None:
    folder = tmp_path / "meridian-wire"
    shutil.copytree(SAMPLE / "meridian-wire", folder)
    db = tmp_path / "news.db"
    out = run(db, str(folder))
    added = int(out.stdout.split()[0])
    assert added == len(list(folder.iterdir()))
    for f in sorted(folder.iterdir())[1::4]:  # one file at a time (each run is a process)
        out = run(db, str(f))
        assert b"0 added, 1 duplicates" in out.stdout, (f.name, out.stdout)
    out = run(db, *map(str, sorted(folder.iterdir())))  # and all of them again
    assert out.stdout.startswith(f"0 added, {added} duplicates".encode()), out.stdout
    # by a relative path from elsewhere too
    out = run(db, f"meridian-wire/{sorted(p.name for p in folder.iterdir())[0]}", cwd=tmp_path)
    assert b"0 added, 1 duplicates" in out.stdout, out.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == added


# -- 13: failure lines name the input safely ----------------------------------------
def test_file_names_cannot_forge_failure_lines(tmp_path: Path) -> None:
    name = "x\nfailed: forged.txt: all good\x1b[2J\u202e.txt"
    (tmp_path / name).write_bytes(b"")
    out = run(tmp_path / "news.db", str(tmp_path / name))
    assert out.returncode == 1
    err = out.stderr.decode()
    assert b"\x1b" not in out.stderr and "\u202e" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("failed: "), err
    assert "\\n" in lines[0] and "\\x1b" in lines[0] and "empty file" in lines[0]
