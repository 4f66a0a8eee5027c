"""Load the Parquet tables of ``storydesk batch`` into a store (SQLite or PostgreSQL)
through the store API, as ``storydesk add`` would have stored them: articles (with
their duplicate indexes), stories with each article's why, and story summaries.

Needs pyarrow (the ``parquet`` extra), not Spark. The grouper's state is written with
the stories (``StoryKeeper.adopt``), so the next ``storydesk add`` into this store places
its articles online among the loaded stories.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storydesk.dedup import NearDupIndex
from storydesk.models import Article, Entity, Story
from storydesk.services.ingest import stored_at_url


@dataclass
class LoadReport:
    articles: int = 0
    already_stored: int = 0
    stories: int = 0
    summaries: int = 0
    state: bool = False  # the grouper's state was written (False: the next add regroups)


def _rows(folder: str, name: str, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = Path(folder) / name
    if not path.exists():
        return
    table = pq.read_table(str(path), columns=columns)
    for batch in table.to_batches(max_chunksize=2000):
        yield from batch.to_pylist()


def load_parquet(out: str, desk: Any, progress: Callable[[str], None] | None = None
                 ) -> LoadReport:
    """Store the tables under ``out`` (a local folder) in ``desk``'s store."""
    from storydesk.services.summaries import story_content, summary_params_key

    store, settings = desk.store, desk.settings
    near = NearDupIndex(settings.dedup)
    rep = LoadReport()
    new_id: dict[int, int] = {}
    story_of: dict[int, int] = {}
    whys: dict[int, dict[str, Any]] = {}
    stored: list[Article] = []
    rows = sorted(_rows(out, "articles"), key=lambda r: r["article_id"])
    for r in rows:
        found = store.find_exact(text_hash=r["text_hash"])
        url_key = r["url_key"]
        if found is None:  # by URL only where the stored article holds this text
            sig = near.signature(r["text"])
            same_url, same_text = stored_at_url(store, near, url_key, sig)
            found = same_url if same_text else None
            url_key = None if same_url is not None else url_key
        if found is not None:
            new_id[r["article_id"]] = found
            rep.already_stored += 1
            continue
        a = Article(
            title=r["title"], text=r["text"], url=r["url"], outlet=r["outlet"], date=r["date"],
            date_source=r["date_source"], author=r["author"], language=r["language"],
            cited=list(r["cited"] or []),
            entities=[Entity(e["name"], e["type"], e["count"]) for e in r["entities"] or []],
            word_count=r["word_count"] or 0, origin=r["origin"],
            extra=json.loads(r["extra"]) if r["extra"] else {},
            duplicate_of=new_id.get(r["duplicate_of"]) if r["duplicate_of"] else None,
            duplicate_share=r["duplicate_share"],
        )
        aid = store.insert_article(a, url_key=url_key, text_hash=r["text_hash"],
                                   signature=near.to_bytes(sig), band_keys=near.band_keys(sig))
        new_id[r["article_id"]] = aid
        a.id = aid
        stored.append(a)
        story_of[aid] = r["story_id"]
        whys[aid] = json.loads(r["why"]) if r["why"] else {}
        rep.articles += 1
    if progress:
        progress(f"{rep.articles} articles stored")
    existing = store.list_stories(limit=1, offset=0)
    base = max([s.id for s in store.list_stories(limit=None)] or [0]) if existing else 0
    sid_of: dict[int, int] = {}
    stories: list[Story] = []
    for r in _rows(out, "stories"):
        ids = [new_id[a] for a in r["article_ids"] if new_id.get(a) in story_of]
        if not ids:
            continue
        sid = sid_of[r["story_id"]] = base + len(sid_of) + 1
        stories.append(Story(id=sid, title=r["title"], article_ids=ids,
                             outlets=list(r["outlets"] or []), first_date=r["first_date"],
                             last_date=r["last_date"],
                             entities=[dict(e) for e in r["entities"] or []]))
    sid_by_article = {a: st.id for st in stories for a in st.article_ids}
    rep.state = desk.ingestor.keeper.adopt(
        [(a, sid_by_article[a.id]) for a in stored if a.id in sid_by_article], stories, whys)
    rep.stories = len(stories)
    # story summaries, stored as Desk.story_summary keeps them
    by_story: dict[int, list[dict[str, Any]]] = {}
    for r in _rows(out, "summaries"):
        if r["story_id"] in sid_of:
            by_story.setdefault(sid_of[r["story_id"]], []).append(r)
    n = settings.summaries.story_sentences
    params = summary_params_key(settings, "story", n, None, False)
    for sid, sents in by_story.items():
        found = story_content(store, sid)
        if found is None:
            continue
        sents.sort(key=lambda s: s["position"])
        value = {"mode": sents[0]["mode"], "dropped": [], "sentences": [
            {"text": s["text"], "outlets": s["outlets"],
             "sources": [[new_id[x["article_id"]], x["sentence"]] for x in s["sources"]
                         if x["article_id"] in new_id]} for s in sents]}
        store.put_summary("story", sid, params, found[2], value)
        rep.summaries += 1
    return rep
