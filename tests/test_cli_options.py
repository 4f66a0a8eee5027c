"""What every command shares, through the real ``storydesk`` command: the store named by
``--db`` (or ``STORYDESK_DB``) and the one-line error when it cannot be opened."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli import storydesk

MARKUP = "[bold]not[/bold] here"  # a folder name Rich would read as markup


@pytest.mark.parametrize("args", [
    ["articles"],
    ["stories"],
    ["summary", "1"],
    ["compare", "--story", "1"],
    ["sources", "outlets"],
    ["export", "articles"],
])
def test_unopenable_store_is_named_as_given(tmp_path, args):
    db = tmp_path / MARKUP / "desk.db"
    r = storydesk(*args, db=db, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip() == f"error: {db}: folder {db.parent} does not exist"
    assert r.stdout == ""


def test_db_option_names_the_store_over_the_environment(tmp_path):
    db = tmp_path / MARKUP / "desk.db"
    r = storydesk("stories", "--db", str(db), db=tmp_path / "other.db", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip() == f"error: {db}: folder {db.parent} does not exist"


@pytest.mark.parametrize("content", [b"\x00\x01binary\xff" * 40,
                                     b"just some text, not SQLite\n" * 10])
def test_a_file_that_is_not_a_store_is_a_one_line_error(tmp_path, content):
    db = tmp_path / "notes.txt"
    db.write_bytes(content)
    r = storydesk("stories", db=db, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip() == f"error: {db}: cannot open the database: file is not a database"
    assert r.stdout == ""
    assert db.read_bytes() == content  # left as it was


@pytest.mark.parametrize("args", [["articles"], ["stories"], ["articles", "--json"],
                                  ["export", "articles"]])
@pytest.mark.parametrize("since", ["yesterday", "2026-13-45", "2026-03-01x"])
def test_a_since_that_is_not_a_date_is_a_one_line_error(tmp_path, args, since):
    r = storydesk(*args, "--since", since, db=tmp_path / "desk.db", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip() == f"error: --since {since}: expected a date YYYY-MM-DD"
    assert r.stdout == ""


@pytest.mark.parametrize("since", ["2026-03-01", "2026-03-01T12:00", "2026-03-01 12:00", " "])
def test_a_since_date_is_taken(tmp_path, since):
    r = storydesk("articles", "--since", since, db=tmp_path / "desk.db", cwd=tmp_path)
    assert r.returncode == 0, r.stderr


def test_python_m_storydesk_runs_the_command(tmp_path):
    env = {**os.environ, "STORYDESK_DB": str(tmp_path / "desk.db"), "COLUMNS": "200"}
    r = subprocess.run([sys.executable, "-m", "storydesk", "articles", "--json"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


@pytest.mark.parametrize("group", [[], ["eval"], ["sources"], ["show"]])
def test_commands_list_gives_each_command_one_row(tmp_path, group):
    env = {**os.environ, "COLUMNS": "1000"}  # wide enough that Rich wraps nothing
    exe = os.path.join(os.path.dirname(sys.executable), "storydesk")
    r = subprocess.run([exe, *group, "--help"], capture_output=True, text=True, env=env,
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    panel = r.stdout.split("Commands", 1)[1].splitlines()[1:]
    rows = panel[:next(i for i, x in enumerate(panel) if x.startswith("╰"))]
    assert len(rows) >= 2
    continued = [row for row in rows if row.startswith("│  ")]
    assert not continued, "a description broken over lines: " + "\n".join(rows)


@pytest.mark.parametrize("args", [
    ["articles", "--limit", "-1"],
    ["articles", "--offset", "-5"],
    ["stories", "--limit", "-1"],
    ["stories", "--offset", "-1"],
    ["search", "ferry", "--limit", "0"],
    ["search", "ferry", "--limit", "-1"],
])
def test_a_negative_limit_or_offset_is_a_usage_error(tmp_path, args):
    r = storydesk(*args, db=tmp_path / "desk.db", cwd=tmp_path)
    assert r.returncode == 2
    assert "Invalid value for '--" in r.stderr and "greater than or equal to" in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("kind", ["stories", "summaries", "entities"])
def test_eval_of_a_file_that_is_not_utf8_is_a_one_line_error(tmp_path, kind):
    labelled = tmp_path / "labels.jsonl"
    labelled.write_bytes(b'{"id": 1, "story": "a", "text": "caf\xe9"}\n')
    r = storydesk("eval", kind, str(labelled), db=tmp_path / "desk.db", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip() == f"error: {labelled}: not UTF-8 text (byte 36)"
