"""The one ingest path (``storydesk.services.ingest``): a real SQLite file, the same
code for ``Desk``, the feed poller, the web API and (its store-free steps) batch."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from storydesk import Desk
from storydesk.models import RawDocument
from storydesk.services.ingest import (
    Ingestor,
    boilerplate_judge,
    chrome_keys,
    dedup_keys,
    line_group,
)
from storydesk.settings import Settings
from storydesk.store import Store

WORDS = ("harbour bridge council ferry storm rail strike museum festival court election "
         "hospital school river market police budget mayor flood library").split()


def _doc(i: int, rng: random.Random) -> RawDocument:
    body = " ".join(rng.choices(WORDS, k=60))
    return RawDocument(f"t{i}.txt", "text", f"Report {i}\n\nThe desk heard {i}: {body}.",
                       url=f"https://example.org/news/{i}")


def test_desk_add_document_from_many_threads_stores_and_places_each(tmp_path: Path) -> None:
    """Several threads (the poller's hosts, the web API) add through one desk at once:
    the ingest service's one lock keeps the story keeper consistent."""
    rng = random.Random(7)
    docs = [_doc(i, rng) for i in range(24)]
    errors: list[BaseException] = []
    with Desk(str(tmp_path / "t.db")) as desk:

        def work(part: list[RawDocument]) -> None:
            try:
                for d in part:
                    report = desk.add_document(d)
                    assert report.added or report.duplicates, report.failures
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(docs[k::6],)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert desk.count_articles() == 24
        assert desk.store.unplaced_article_ids() == []
        placed = [a for s in desk.stories(limit=None) for a in (desk.story(s.id) or s).article_ids]
        assert sorted(placed) == sorted(a.id for a in desk.articles(limit=None))


def test_ingestor_over_a_store_without_a_desk(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "i.db"))
    try:
        ing = Ingestor(store, Settings(), fetcher=lambda: None)
        rng = random.Random(3)
        first = ing.add_document(_doc(1, rng))
        assert len(first.added) == 1
        again = ing.add_document(RawDocument("copy.txt", "text", _doc(1, random.Random(3))
                                             .content))
        assert again.duplicates and again.duplicates[0][1] == first.added[0]
        assert store.story_of(first.added[0]) is not None
    finally:
        store.close()


def test_line_group_is_the_outlet_else_the_folder() -> None:
    raw = RawDocument("/data/site/a.html", "html", "<p>x</p>")
    assert line_group(raw, "Harbour Courier") == "Harbour Courier"
    assert line_group(raw) == "folder:/data/site"
    raw.fields["outlet"] = "Northgate Daily"
    assert line_group(raw) == "Northgate Daily"


def test_boilerplate_judge_counts_short_lines_only() -> None:
    clean = Settings().clean
    judge = boilerplate_judge(lambda key: clean.boilerplate_min_repeats, clean)
    assert judge("Subscribe to our newsletter")
    long_line = " ".join(["word"] * (clean.boilerplate_max_words + 1))
    assert not judge(long_line)
    assert not boilerplate_judge(lambda key: clean.boilerplate_min_repeats - 1, clean)(
        "Subscribe to our newsletter")


def test_chrome_keys_and_dedup_keys() -> None:
    settings = Settings()
    raw = RawDocument("a.txt", "text", "Title\n\nShare this\n\n" + "long words " * 40)
    assert chrome_keys(raw, settings.clean)
    assert chrome_keys(RawDocument("a.html", "html", "<p>Share this</p>"),
                       settings.clean) == set()
    from storydesk.dedup import NearDupIndex
    from storydesk.extract.article import build_article

    # a saved text whose first line is its URL: the URL is read from the text
    raw = RawDocument("b.txt", "text", "https://example.org/b?utm_source=x\n\nBridge\n\n"
                      + "The bridge opened on Tuesday. " * 20)
    art = build_article(raw)
    near = NearDupIndex(settings.dedup)
    keys = dedup_keys(raw, art, near)
    assert keys.url_key == "https://example.org/b"
    assert dedup_keys(raw, art, near, url_from_text=False).url_key is None
    assert keys.text_hash and keys.bands


def test_too_little_text_says_what_was_counted_and_what_is_needed(tmp_path: Path) -> None:
    """A one-line text: its line is the title, its body has no words; the reason says so."""
    store = Store(str(tmp_path / "i.db"))
    try:
        ing = Ingestor(store, Settings(), fetcher=lambda: None)
        rep = ing.add_document(RawDocument(
            "one.txt", "text", "Ferry service resumes on the Karsk coast after the storm today"))
        assert [f.reason for f in rep.failures] == [
            "too little text (0 words in the body, 8 needed)"]
    finally:
        store.close()
