"""What every command shares, through the real ``storydesk`` command: the store named by
``--db`` (or ``STORYDESK_DB``) and the one-line error when it cannot be opened."""

from __future__ import annotations

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
