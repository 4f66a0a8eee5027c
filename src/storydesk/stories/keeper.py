"""Keeps the store's stories in step with an ``OnlineGrouper``.

The grouper lives in memory; the store holds what it needs to come back:

* ``story_articles``: article -> story, and why (the placements);
* ``stories``: one described row per story (title, outlets, dates, entities);
* ``state``: ``stories.meta`` (a small JSON: settings, typical cohesion, next
  id, generation, the segment keys) and ``stories.seg.NNNNNN`` segments, each
  the term features of the articles placed in one batch. Features never change,
  so a batch appends one segment and rewrites only the meta: the cost of saving
  does not grow with the store. Segments are merged into one when there are
  more than ``StorySettings.state_max_segments``.

Every batch (placements, story rows, segment, meta) is written in one
transaction. No SQL here: the store does that.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

import numpy as np

from storydesk.extract.entities import PERSON, person_or_not
from storydesk.models import Article, Story
from storydesk.settings import StorySettings
from storydesk.stories import segments
from storydesk.stories.online import OnlineGrouper
from storydesk.text import base_language

META_KEY = "stories.meta"
SEG_PREFIX = "stories.seg."

ProgressFn = Callable[[int, int], None]  # (done, total)


def _pack(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _unpack(blob: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _concat(segs: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    names: dict[str, str] = {}
    for s in segs:
        names.update(json.loads(bytes(s["names"]).decode("utf-8")))
    out = {k: np.concatenate([s[k] for s in segs]) for k in segs[0]
           if k not in ("names", "langs")}
    out["names"] = np.frombuffer(json.dumps(names).encode("utf-8"), np.uint8)
    langs = [lang for s in segs for lang in segments.langs_of(s)]
    out["langs"] = np.frombuffer(json.dumps(langs).encode("utf-8"), np.uint8)
    return out


def is_headline(title: str | None) -> bool:
    """Whether a title is a headline its source gave, not a first sentence cut short
    (titles made from the lead end with "…", see ``extract.text.title_from_lead``)."""
    t = (title or "").rstrip()
    return bool(t) and not t.endswith(("…", "..."))


def _add_all(g: OnlineGrouper, arts: list[Article]) -> dict[int, tuple[int, dict[str, Any]]]:
    """Place the articles in the grouper; returns article id -> (story id, why)."""
    whys: dict[int, tuple[int, dict[str, Any]]] = {}
    for a in arts:
        assert a.id is not None
        p = g.add(a.id, a.text, title=a.title, date=a.date,
                  entities=[e.name for e in a.entities], duplicate_of=a.duplicate_of,
                  language=a.language)
        whys[a.id] = (p.story_id, p.why)
    return whys


class StoryKeeper:
    """Loads, feeds and saves the grouper of one store."""

    def __init__(self, store: Any, settings: StorySettings) -> None:
        self.store = store
        self.settings = settings
        self.grouper: OnlineGrouper | None = None
        self.generation = -1
        self.segments: list[str] = []
        self.placed: dict[int, int] = {}

    # -- loading ---------------------------------------------------------------
    def _meta(self) -> dict[str, Any] | None:
        blob = self.store.load_state(META_KEY)
        return json.loads(blob) if blob else None

    def ensure_loaded(self) -> OnlineGrouper:
        """The grouper, loaded from the store, or reloaded if another process wrote since."""
        meta = self._meta()
        gen = meta["generation"] if meta else 0
        if self.grouper is not None and gen == self.generation:
            return self.grouper
        self.placed = self.store.all_placements()
        vector_ok = meta is not None and meta.get("vector") == asdict(self.settings.vector)
        if meta is None or not vector_ok:
            if self.placed:  # placements without usable features: regroup all
                return self.rebuild()
            self.grouper = OnlineGrouper(self.settings)
            self.generation, self.segments = gen, []
            return self.grouper
        segs = [_unpack(b) for k in meta["segments"]
                if (b := self.store.load_state(k)) is not None]
        g, missing = OnlineGrouper.load_segments(
            self.settings, segs, self.placed, cohesion=meta["cohesion"],
            next_id=meta["next_id"])
        if missing:
            return self.rebuild()
        self.grouper, self.generation, self.segments = g, gen, list(meta["segments"])
        return g

    # -- placing ----------------------------------------------------------------
    def place(self, ids: list[int], *, progress: ProgressFn | None = None,
              final_consolidation: bool = False) -> int:
        """Place these (unplaced) articles, one transaction per batch. Returns how many.

        Each batch runs under the store's ``stories`` lock: the grouper is
        reloaded if another process placed articles since, and articles that
        process placed meanwhile are skipped.
        """
        done = 0
        size = max(1, self.settings.place_batch)
        for start in range(0, len(ids), size):
            last = start + size >= len(ids)
            with self.store.exclusive("stories"):
                g = self.ensure_loaded()
                batch = [a for a in ids[start : start + size] if a not in g]
                whys = _add_all(g, self.store.articles_by_ids(batch, with_text=True))
                if last:
                    g.consolidate(full=final_consolidation)
                self._commit(whys)
            done += len(ids[start : start + size])
            if progress:
                progress(done, len(ids))
        return done

    def rebuild(self, progress: ProgressFn | None = None) -> OnlineGrouper:
        """Regroup all stored articles, oldest first, and put the new stories in place
        of the old ones in one transaction: until it commits, readers see the old
        stories, and a process killed before it leaves them as they were."""
        with self.store.exclusive("stories"):
            meta = self._meta()
            g = OnlineGrouper(self.settings)
            ids = self.store.article_ids()
            if progress:
                progress(0, len(ids))
            whys: dict[int, tuple[int, dict[str, Any]]] = {}
            size = max(1, self.settings.place_batch)
            for start in range(0, len(ids), size):
                whys.update(_add_all(g, self.store.articles_by_ids(ids[start : start + size],
                                                                   with_text=True)))
                if progress:
                    progress(min(start + size, len(ids)), len(ids))
            g.consolidate(full=True)
            # a generation past the stored one: other processes see the change and reload
            self.grouper, self.placed, self.segments = g, {}, []
            self.generation = meta["generation"] if meta else 0
            self._commit(whys, replace=True)
            return g

    # -- saving -----------------------------------------------------------------
    def _commit(self, whys: dict[int, tuple[int, dict[str, Any]]], *,
                replace: bool = False) -> None:
        """Write a batch: placements, changed story rows, state. ``replace``: the
        grouper holds every story, written in place of all stored ones."""
        g = self.grouper
        assert g is not None
        changed, removed = g.drain()
        placements: dict[int, tuple[int, dict[str, Any]]] = {}
        for a, (joined, why) in whys.items():
            now = g.story_of(a)
            # moved by a later merge, split or consolidation: explain it afresh
            placements[a] = (now, why if now == joined else g.explain(a))
        for sid in changed:
            for a in g.members(sid):
                if a not in placements and self.placed.get(a) != sid:
                    placements[a] = (sid, g.explain(a))
        described = self.describe(sorted(changed))
        blobs, drop = self._state_blobs(g)
        self.store.write_stories(placements, described, sorted(removed), blobs,
                                 drop_state=drop, replace_all=replace)
        for a, (sid, _) in placements.items():
            self.placed[a] = sid

    def _state_blobs(self, g: OnlineGrouper) -> tuple[dict[str, bytes], list[str]]:
        """The state to write with a batch: the new segment and the meta (and the old
        segments to drop when they are merged into one)."""
        drop: list[str] = []
        blobs = {}
        seg = g.export_new()
        if len(seg["ids"]):
            key = f"{SEG_PREFIX}{self.generation + 1:08d}"
            if len(self.segments) + 1 > self.settings.state_max_segments:
                old = [_unpack(b) for k in self.segments
                       if (b := self.store.load_state(k)) is not None]
                seg = _concat([*old, seg])
                drop, self.segments = list(self.segments), []
            blobs[key] = _pack(seg)
            self.segments.append(key)
        self.generation += 1
        blobs[META_KEY] = json.dumps({
            "generation": self.generation, "segments": self.segments,
            "cohesion": g.cohesion, "next_id": g.next_id,
            "vector": asdict(self.settings.vector), "settings": asdict(self.settings),
        }).encode("utf-8")
        return blobs, drop

    # -- adopting a grouping made elsewhere ---------------------------------------
    def adopt(self, placed: list[tuple[Article, int]], stories: list[Story],
              whys: dict[int, dict[str, Any]], chunk: int = 1000) -> bool:
        """Store stories grouped elsewhere (``storydesk batch``) with the grouper state
        that lets the next ``add`` go on placing online instead of regrouping everything.

        ``placed``: the stored articles (ids set, oldest first) and their story ids;
        ``stories``: the described story rows; ``whys``: article id -> why. Runs under
        the store's ``stories`` lock; story rows are written in transactions of
        ``chunk`` stories, the last with the state. Returns False when the store holds
        placements without a usable state, where only a regroup can help (the rows are
        written, the state is not).
        """
        with self.store.exclusive("stories"):
            meta = self._meta()
            new = {a.id for a, _ in placed}
            usable = meta is not None and meta.get("vector") == asdict(self.settings.vector)
            g = None
            if usable:
                g = self.ensure_loaded()
            elif not set(self.store.all_placements()) - new:
                g = self.grouper = OnlineGrouper(self.settings)
                self.generation = meta["generation"] if meta else 0
                self.segments = []
            if g is not None:
                for a, sid in placed:
                    if a.id in g:
                        continue
                    g.adopt(a.id, a.text, title=a.title, date=a.date,
                            entities=[e.name for e in a.entities],
                            duplicate_of=a.duplicate_of, story=sid,
                            language=a.language)
                g.settle()
            for i in range(0, max(len(stories), 1), chunk):
                part = stories[i : i + chunk]
                last = i + chunk >= len(stories)
                blobs, drop = self._state_blobs(g) if last and g is not None else ({}, [])
                placements = {a: (st.id, whys.get(a, {})) for st in part
                              for a in st.article_ids}
                self.store.write_stories(placements, part, [], blobs, drop_state=drop)
                for a, (sid, _) in placements.items():
                    self.placed[a] = sid
            return g is not None

    def describe(self, sids: Iterable[int]) -> list[Story]:
        """Story rows for these stories, from their members' metadata."""
        g = self.grouper
        assert g is not None
        sids = [s for s in sids if g.members(s)]
        all_ids = [a for s in sids for a in g.members(s)]
        meta = {a.id: a for a in self.store.articles_by_ids(all_ids, with_text=False)}
        out = []
        for sid in sids:
            members = [meta[a] for a in g.members(sid) if a in meta]
            if not members:
                continue
            # the most central member with a real headline, over a lead cut with "…"
            rep = g.representative(sid, prefer=lambda a: a in meta and
                                   is_headline(meta[a].title))
            title = meta[rep].title if rep in meta else members[0].title
            out.append(self._story(sid, title, members, [g.is_duplicate(a.id) for a in members]))
        return out

    def _story(self, sid: int, title: str, members: list[Article], dups: list[bool]) -> Story:
        outlets = Counter(a.outlet for a in members if a.outlet)
        dates = sorted(a.date for a in members if a.date)
        ids = sorted(int(a.id) for a in members if a.id is not None)
        return Story(
            id=sid, title=title or "(untitled)", article_ids=ids,
            outlets=[o for o, _ in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))],
            first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None,
            entities=key_entities(members, dups, self.settings.key_entities),
        )


def key_entities(members: list[Article], dups: list[bool], n: int) -> list[dict[str, Any]]:
    """A story's ``n`` most named entities, ``{name, type, articles}``: by the articles
    that name them, then their mentions; a near-duplicate (``dups``) counts nothing. An
    article that gives a name two types ("Detroit" the city and the team) counts once.
    The type shown is the one most mentions give it, but a one-word name that the story's
    English articles alone name, and never as a person at more length, is a person only
    where nothing else says otherwise, as in an English article (``person_or_not``)."""
    # key -> [name, mentions by type, articles, mentions, named only in English]
    ents: dict[str, list[Any]] = {}
    for a, dup in zip(members, dups, strict=True):
        if dup:  # a copy names what its original names: count once
            continue
        english = base_language(a.language) in (None, "en")
        for k in {e.name.casefold() for e in a.entities}:
            row = ents.setdefault(k, ["", Counter(), 0, 0, True])
            row[2] += 1
            row[4] = row[4] and english
        for e in a.entities:
            row = ents[e.name.casefold()]
            row[0] = row[0] or e.name
            row[1][e.type] += e.count
            row[3] += e.count
    top = sorted(ents.values(), key=lambda r: (-r[2], -r[3], r[0]))[:n]
    pairs = [(e.name, e.type) for a, dup in zip(members, dups, strict=True) if not dup
             for e in a.entities]
    return [{"name": name, "type": (PERSON in types and person_or_not(name, types, pairs, en))
             or types.most_common(1)[0][0], "articles": k} for name, types, k, _, en in top]
