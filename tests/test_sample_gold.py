"""The bundled sample, ingested as `make demo` does, checked against its gold labels."""

from __future__ import annotations

import pytest

from storydesk import Desk
from storydesk.demo import gold, gold_key, load


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    db = tmp_path_factory.mktemp("sample") / "demo.db"
    load(str(db))
    with Desk(str(db)) as desk:
        arts = [desk.article(a.id) for a in desk.articles(limit=None)]
    by_origin = {}
    for a in arts:
        assert a is not None and a.origin
        by_origin[gold_key(a.origin)] = a
    return gold(), by_origin


def test_every_sample_article_is_stored(loaded):
    gold, by_origin = loaded
    assert sorted(by_origin) == sorted(g["file"] for g in gold)


def test_outlets_match(loaded):
    gold, by_origin = loaded
    wrong = [(g["file"], by_origin[g["file"]].outlet) for g in gold
             if by_origin[g["file"]].outlet != g["outlet"]]
    assert wrong == []


def test_dates_are_read(loaded):
    gold, by_origin = loaded
    wrong = [(g["file"], by_origin[g["file"]].date) for g in gold
             if (by_origin[g["file"]].date or "")[:10] != g["date"]]
    assert len(wrong) <= len(gold) // 10, wrong  # at least 90% right


def test_near_duplicates_are_linked_to_the_wire_copy(loaded):
    gold, by_origin = loaded
    id_of = {f: a.id for f, a in by_origin.items()}
    for g in gold:
        a = by_origin[g["file"]]
        expected = id_of[g["near_duplicate_of"]] if g["near_duplicate_of"] else None
        assert a.duplicate_of == expected, g["file"]


def test_titles_are_headlines_not_chrome(loaded):
    _, by_origin = loaded
    for f, a in by_origin.items():
        assert "Published" not in a.title and "min read" not in a.title, (f, a.title)
        assert not a.title.endswith("…"), (f, a.title)
        assert len(a.title.split()) <= 25, (f, a.title)
