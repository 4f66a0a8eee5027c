"""Ingest end to end: the real `storydesk` command and the Python API on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk import Desk
from storydesk.models import RawDocument

FOOTER = "© 2026 Lantern Post. All rights reserved. Follow Lantern Post on Mastodon."

# Fictional articles written for these tests.
ARTICLES = {
    "ferry.txt": """Ferry service to Ilvar island resumes after storm

date 2026-02-03

No time to read? Get a summary

The ferry link between the port of Karsk and Ilvar island reopened on Tuesday after three days
of storms kept the boats in harbour, the regional transport office said.

About 400 passengers crossed on the first sailing, according to Reuters. The operator said
extra crossings would run until Friday to clear the backlog of freight.

Islanders had run short of fresh milk and fuel during the closure, the mayor of Ilvar told
the local radio station.

Previous Article
Council approves new bus lanes

{footer}
""",
    "bridge.txt": """Date: 2026-02-04
Rail bridge at Karsk closed for inspection

Engineers closed the rail bridge at Karsk on Wednesday to inspect cracks found in two of its
steel girders, the national railway company said in a statement.

Freight trains will be diverted through Ostrava junction, adding about two hours to the
journey, the company said. Passenger services will use buses for the time being.

Share this article

{footer}
""",
    "school.txt": """New school opens in northern Karsk

Pupils in the northern districts of Karsk moved into a new school building on Thursday,
ending years of lessons in temporary cabins, the city's education office said.

The building has room for 900 pupils and a sports hall that will be open to residents in the
evenings, the head teacher told the Meridian Wire agency.

{footer}
""",
}


def _write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in ARTICLES.items():
        (folder / name).write_text(body.format(footer=FOOTER), encoding="utf-8")


def _storydesk(*args: str, db: Path | str, check: bool = True) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "storydesk"
    env = {**os.environ, "STORYDESK_DB": str(db), "COLUMNS": "200"}
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=120)
    if check and proc.returncode not in (0, 1):
        raise AssertionError(proc.stderr)
    return proc


def test_add_list_show_search_through_the_command(tmp_path, store_db):
    _write(tmp_path / "saved")
    db = store_db
    first = _storydesk("add", "--outlet", "Lantern Post", str(tmp_path / "saved"), db=db)
    assert first.returncode == 0, first.stderr
    assert "3 added, 0 duplicates, 0 failed" in first.stdout

    listed = json.loads(_storydesk("articles", "--json", db=db).stdout)
    assert len(listed) == 3
    assert {a["outlet"] for a in listed} == {"Lantern Post"}
    assert "text" not in listed[0]
    by_title = {a["title"]: a for a in listed}
    ferry = by_title["Ferry service to Ilvar island resumes after storm"]
    assert ferry["date"] == "2026-02-03"
    assert ferry["cited"] == ["Reuters"]
    bridge = by_title["Rail bridge at Karsk closed for inspection"]
    assert bridge["date"] == "2026-02-04"

    full = json.loads(_storydesk("show", "article", str(ferry["id"]), "--json", db=db).stdout)
    for key in ("id", "title", "text", "date", "outlet", "url", "language", "author", "cited",
                "entities", "duplicate_of"):
        assert key in full
    assert full["language"] == "en"
    text = full["text"]
    assert text.startswith("The ferry link between the port of Karsk")
    for chrome in ("No time to read", "Previous Article", "Council approves new bus lanes",
                   "All rights reserved", "date 2026"):
        assert chrome not in text
    assert any(e["name"] == "Karsk" and e["type"] == "place" for e in full["entities"])

    hits = json.loads(_storydesk("search", "girders", "--json", db=db).stdout)
    assert [h["id"] for h in hits] == [bridge["id"]]
    assert "[girders]" in hits[0]["snippet"]

    again = _storydesk("add", "--outlet", "Lantern Post", str(tmp_path / "saved"), db=db)
    assert again.returncode == 0
    assert "0 added, 3 duplicates, 0 failed" in again.stdout


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "mixed"
    _write(folder)
    (folder / "empty.txt").write_text("")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "rows.jsonl").write_text(
        json.dumps({"title": "Grain prices rise in Valdoria", "outlet": "Field Gazette",
                    "date": "2026-02-05", "section": "farming",
                    "text": "Wheat prices in Valdoria rose for a third week as exporters "
                            "bought up stocks ahead of the spring sowing, traders said."}) + "\n"
        + "{not json\n"
        + json.dumps({"title": "No body"}) + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "desk.db"
    proc = _storydesk("add", str(folder), db=db)
    assert proc.returncode == 1
    assert "4 added, 0 duplicates, 4 failed" in proc.stdout
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("failed:")]
    assert len(errors) == 4
    assert any("empty.txt" in e and "empty" in e.split("empty.txt", 1)[1] for e in errors)
    assert any("blob.txt" in e for e in errors)
    assert any("rows.jsonl:2" in e for e in errors)
    assert any("rows.jsonl:3" in e for e in errors)
    with Desk(str(db)) as desk:
        grain = [a for a in desk.articles() if a.outlet == "Field Gazette"]
        assert len(grain) == 1 and grain[0].extra == {"section": "farming"}
        assert grain[0].date == "2026-02-05" and grain[0].date_source == "field"


def test_footer_repeated_across_an_outlet_is_removed(tmp_path):
    _write(tmp_path / "s")
    with Desk(str(tmp_path / "d.db")) as desk:
        report = desk.add([str(tmp_path / "s")], outlet="Lantern Post")
        assert len(report.added) == 3
        for a in desk.articles():
            full = desk.article(a.id)
            assert full is not None
            assert "Mastodon" not in full.text
            assert "Share this article" not in full.text


def test_rewritten_wire_copy_is_stored_and_linked(tmp_path):
    wire = ("Rescue teams in the port city of Karsk pulled two more survivors from a collapsed "
            "apartment block on Tuesday, a day after a magnitude 6.1 earthquake struck the coast. "
            "The regional governor said 14 people had died and more than 150 were injured. "
            "Engineers were inspecting the harbour cranes and the rail bridge, which was closed "
            "to traffic as a precaution, the Meridian Wire agency reported.")
    rewrite = wire.replace("Tuesday", "Tuesday morning").replace(
        "the Meridian Wire agency reported", "according to Meridian Wire")
    with Desk(str(tmp_path / "d.db")) as desk:
        r1 = desk.add_document(RawDocument("wire", "text", "Survivors found in Karsk\n\n" + wire))
        r2 = desk.add_document(
            RawDocument("copy", "text", "Karsk: two more survivors\n\n" + rewrite))
        [first], [second] = r1.added, r2.added
        copy = desk.article(second)
        assert copy is not None and copy.duplicate_of == first
        assert copy.duplicate_share is not None and copy.duplicate_share > 0.5
        assert r2.near_duplicates == [(second, first)]
        # The same text again, differently spaced, is an exact duplicate: not stored.
        r3 = desk.add_document(RawDocument("again", "text", "Survivors found in Karsk\n\n"
                                           + wire.replace(" ", "  ")))
        assert r3.added == [] and r3.duplicates == [("again", first)]


def test_unknown_article_is_a_one_line_error(tmp_path):
    proc = _storydesk("show", "article", "42", db=tmp_path / "d.db")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: no article with id 42"


@pytest.mark.parametrize("cmd", [["add", "--help"], ["articles", "--help"], ["--help"]])
def test_help_is_there(tmp_path, cmd):
    proc = _storydesk(*cmd, db=tmp_path / "d.db")
    assert proc.returncode == 0 and "Usage" in proc.stdout


FEED_TEXT = ("The harbour authority of Karsk said on Tuesday that the new grain terminal would "
             "open "
             "in June after two years of building work. The terminal can load four ships at once "
             "and will double the port's capacity, officials said. Local farmers welcomed the "
             "news but warned about bottlenecks on the rail line to the coast this autumn.")


def test_feed_entries_whose_own_text_is_bare_or_one_paragraph_are_stored(tmp_path):
    """An entry with no page to fetch is stored from its own text, whatever its markup:
    bare text, one paragraph, several."""
    from html import escape

    descriptions = [FEED_TEXT, f"<p>{FEED_TEXT}</p>",
                    f"<p>{FEED_TEXT}</p><p>{FEED_TEXT.replace('grain', 'coal')}</p>"]
    items = "".join(f"<item><title>Terminal {i}</title><description>{escape(d)}</description>"
                    f"</item>" for i, d in enumerate(descriptions))
    feed = tmp_path / "port.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Karsk Port News'
                    f'</title>{items}</channel></rss>', encoding="utf-8")
    with Desk(str(tmp_path / "d.db")) as desk:
        report = desk.add([str(feed)])
        assert report.failures == []
        assert len(report.added) + len(report.duplicates) == 3
        for aid in report.added:
            a = desk.article(aid)
            assert a is not None and a.outlet == "Karsk Port News"
            assert "grain terminal" in a.text or "coal terminal" in a.text
