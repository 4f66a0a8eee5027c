"""Online grouping of articles into stories (one real-world event each).

Method (details and measured figures in docs/stories.md); ``OnlineGrouper`` places
articles and keeps the stories, its parts live beside it:

* An article is a unit TF-IDF vector over hashed terms (``vectorize``), names
  and title boosted, IDF from the corpus seen so far.
* A story keeps the sum of its members' vectors. The *affinity* of an article
  to a story is its mean cosine to the members (``x . sum / n``), and a story's
  *cohesion* is the mean cosine between its members. An article joins the
  story where its affinity is the largest multiple of ``join_ratio`` x the
  story's cohesion, if that multiple reaches 1. Cohesion of small stories is
  shrunk toward the corpus's typical cohesion (the median over stories of three
  or more), so the bar adapts to how similar reports of one event are in *this*
  stream: long articles and short snippets get different absolute thresholds
  from one setting (``scoring``).
* Dates, when both sides have them, discount affinity by the gap to the
  story's date range (events weeks apart rarely coincide; ``scoring``).
* Candidate stories come from an inverted index (term -> stories holding a
  member whose top-weighted terms include it), capped per term, so placing an
  article never scans every story (``index``).
* ``consolidate()`` (run every ``consolidate_every`` articles on the stories
  touched since, or on everything when asked) re-weighs members with the
  current IDF, moves members to a story they fit better, merges stories whose
  cross affinity clears the same bar, and splits a story whose members form
  two groups that would not be merged. This is what makes the partition
  nearly independent of arrival order (``consolidate``).
* A story whose members' nearest-neighbour graph comes apart (a cut of low
  conductance, ``graph``) splits there, and two stories so cut between them do
  not merge: this parts two events of one kind that average link cannot.
* Near-duplicate copies (``duplicate_of``) join their original's story but add
  nothing to its vector: one wire text counts once as evidence.
* Each placement says why (shared names and terms, days apart, similarity against
  the bar; ``explain``). A store keeps the articles' features as segments
  (``export_new``, ``load_segments``; ``segments``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp

from storydesk.settings import StorySettings
from storydesk.stories import explain as why
from storydesk.stories import segments
from storydesk.stories.consolidate import Consolidator, sum_by_group
from storydesk.stories.index import StoryIndex, top_terms
from storydesk.stories.records import Doc, DocId, Placement, Story, day_number
from storydesk.stories.scoring import Scorer
from storydesk.stories.vectorize import Features, TermStats, featurize

__all__ = ["DocId", "OnlineGrouper", "Placement", "StorySettings"]


class OnlineGrouper:
    """Places articles into stories as they arrive. See the module docstring."""

    def __init__(self, settings: StorySettings | None = None) -> None:
        self.settings = settings or StorySettings()
        self.stats = TermStats(self.settings.vector.n_features)
        self.scorer = Scorer(self.settings)
        self._docs: dict[DocId, Doc] = {}
        self._stories: dict[int, Story] = {}
        self._index = StoryIndex(self.settings)
        self._consolidator = Consolidator(self.scorer, self._docs, self._new_story)
        self._names: dict[int, str] = {}
        self._ent_terms: set[int] = set()
        self._next_id = 1
        self._dirty: set[int] = set()
        self._since = 0
        self._adopted: list[DocId] = []  # taken by adopt(), not yet settled
        # For callers that persist: stories whose members changed or that were
        # removed, and articles and term names not yet exported (``drain``).
        self._changed: set[int] = set()
        self._removed: set[int] = set()
        self._unsaved: list[DocId] = []
        self._unsaved_names: dict[int, str] = {}

    @property
    def cohesion(self) -> float:
        """The stream's typical cohesion (small stories' cohesion shrinks toward it)."""
        return self.scorer.cohesion

    @cohesion.setter
    def cohesion(self, value: float) -> None:
        self.scorer.cohesion = value

    @property
    def next_id(self) -> int:
        """The id the next new story will get."""
        return self._next_id

    # ------------------------------------------------------------------ updates
    def _attach(self, doc_id: DocId, d: Doc, sid: int) -> None:
        st = self._stories[sid]
        st.members[doc_id] = None
        d.story = sid
        st.widen(d.day)
        if not d.dup:
            st.add_vector(d)
            self._index.add(d.top, sid)
        self._dirty.add(sid)
        self._changed.add(sid)

    def _new_story(self) -> int:
        sid = self._next_id
        self._next_id += 1
        self._stories[sid] = Story(members={}, sum={})
        return sid

    def _top_terms(self, idx: np.ndarray, vec: np.ndarray) -> list[int]:
        return top_terms(idx, vec, self.settings.index_terms)

    # ------------------------------------------------------------------ public
    def add(self, doc_id: DocId, text: str, title: str = "", date: Any = None,
            entities: Iterable[str] | None = None, duplicate_of: DocId | None = None,
            language: str | None = None) -> Placement:
        """Place one article (``language``: its ISO 639-1 code, None for unknown);
        returns its story, why, and merges/splits it caused. ``duplicate_of``: an article
        this one copies; it counts only when that article is here (else this one is
        placed as any other)."""
        s = self.settings
        feats, dup = self._take(doc_id, text, title, entities, duplicate_of, language)
        day = day_number(date)
        vec = self.stats.weigh(feats.idx, feats.tfw)
        lang = self.scorer.languages.code(language)
        d = Doc(feats.idx, feats.tfw, feats.entity, vec, 0, day, dup,
                self._top_terms(feats.idx, vec), duplicate_of if dup else None, lang)
        merged: list[tuple[int, int]] = []
        split: list[tuple[int, int]] = []
        if dup:
            sid = self._docs[duplicate_of].story
            self._docs[doc_id] = d
            self._attach(doc_id, d, sid)
            return Placement(sid, why.duplicate_why(duplicate_of))
        il, vl = feats.idx.tolist(), vec.tolist()
        self.scorer.languages.count(lang, il, vl)
        scored = []
        for sid in self._index.candidates(feats.idx, vec, self._stories):
            r, aff, f = self.scorer.score(il, vl, day, self._stories[sid], lang)
            if r > 0:
                scored.append((r, sid, aff))
        scored.sort(reverse=True)
        self._docs[doc_id] = d
        if scored and scored[0][0] >= 1.0:
            sid = scored[0][1]
            reason = why.joined_why(d, self._stories[sid], scored[0][0], scored[0][2],
                                    self._names, self._ent_terms, self.scorer)
            self._attach(doc_id, d, sid)
            # A bridge: the article also clears the bar of another story.
            for r, other, _ in scored[1:3]:
                if r >= 1.0 and other in self._stories and sid in self._stories:
                    kept = self._try_merge(sid, other)
                    if kept is not None:
                        merged.append(kept)
                        sid = kept[0]
        else:
            sid = self._new_story()
            self._attach(doc_id, d, sid)
            reason = {"reason": "new", "summary": "starts a new story",
                      "nearest": [{"story": o, "ratio": round(r, 3), "affinity": round(a, 3)}
                                  for r, o, a in scored[:3]]}
        for r, other, _ in scored[:4]:
            if r >= 0.5 and other in self._stories:
                self._dirty.add(other)
        self._since += 1
        if s.consolidate_every and self._since >= s.consolidate_every:
            for ch in self.consolidate():
                if ch["kind"] == "merge":
                    merged.append((ch["into"], ch["from"]))
                elif ch["kind"] == "split":
                    split.append((ch["from"], ch["new"]))
            sid = self._docs[doc_id].story
        return Placement(sid, reason, merged, split)

    def adopt(self, doc_id: DocId, text: str, title: str = "", date: Any = None,
              entities: Iterable[str] | None = None, duplicate_of: DocId | None = None, *,
              story: int, language: str | None = None) -> None:
        """Take an article already grouped elsewhere (``storydesk batch``) into ``story``.

        Nothing is decided: the article's features are counted and kept as ``add``
        keeps them. Call ``settle()`` after the last one.
        """
        feats, dup = self._take(doc_id, text, title, entities, duplicate_of, language)
        self._docs[doc_id] = Doc(feats.idx, feats.tfw, feats.entity, feats.tfw, story,
                                 day_number(date), dup, [], duplicate_of if dup else None,
                                 self.scorer.languages.code(language))
        self._adopted.append(doc_id)

    def _take(self, doc_id: DocId, text: str, title: str, entities: Iterable[str] | None,
              duplicate_of: DocId | None, language: str | None = None
              ) -> tuple[Features, bool]:
        """An arriving article's features, its term names kept and its terms counted
        (unless it copies an article already here); and whether it is such a copy."""
        if doc_id in self._docs:
            raise ValueError(f"article {doc_id!r} was already added")
        self._unsaved.append(doc_id)
        feats = featurize(text, title, entities, self.settings.vector, language)
        for b, name in feats.names.items():
            if b not in self._names:
                self._names[b] = name
                self._unsaved_names[b] = name
        self._ent_terms.update(feats.idx[feats.entity].tolist())
        dup = duplicate_of is not None and duplicate_of in self._docs
        if not dup:
            self.stats.count(feats.idx)
        return feats, dup

    def settle(self) -> None:
        """Attach the articles taken by ``adopt`` to their stories, weighed with the IDF
        of everything counted, and update the typical cohesion."""
        ids, self._adopted = self._adopted, []
        for x in ids:
            d = self._docs[x]
            d.vec = self.stats.weigh(d.idx, d.tfw)
            d.top = self._top_terms(d.idx, d.vec)
        self._count_languages(ids)
        self._bulk_attach(ids)
        self._next_id = max([self._next_id, *(self._docs[x].story + 1 for x in ids)])
        self.scorer.update_cohesion(self._stories.values())
        self._dirty, self._changed, self._removed = set(), set(), set()

    def _count_languages(self, doc_ids: Iterable[DocId]) -> None:
        """Count articles placed elsewhere in their languages' background similarity."""
        for x in doc_ids:
            d = self._docs[x]
            if not d.dup:
                self.scorer.languages.count(d.lang, d.idx.tolist(), d.vec.tolist())

    def story_of(self, doc_id: DocId) -> int:
        """The story the article is in now."""
        return self._docs[doc_id].story

    def stories(self) -> dict[int, list[DocId]]:
        """Every story's members, in the order they joined."""
        return {sid: list(st.members) for sid, st in self._stories.items() if st.members}

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        """Whether the article was added (or adopted)."""
        return doc_id in self._docs

    # ------------------------------------------------------------------ merge
    def _try_merge(self, a: int, b: int) -> tuple[int, int] | None:
        sa, sb = self._stories[a], self._stories[b]
        if not self.scorer.merge_ok(sa, sb, self.scorer.cross(sa, sb)):
            return None
        if self._consolidator.apart(sa.n, sb.n, lambda: self._consolidator.gram(
                [x for st in (sa, sb) for x in st.members if not self._docs[x].dup])):
            return None
        return self._merge(a, b)

    def _merge(self, a: int, b: int) -> tuple[int, int]:
        """Merge two stories; the larger keeps its id. Returns (kept, absorbed)."""
        sa, sb = self._stories[a], self._stories[b]
        if (len(sb.members), -b) > (len(sa.members), -a):
            a, b, sa, sb = b, a, sb, sa
        for doc_id in list(sb.members):
            self._attach(doc_id, self._docs[doc_id], a)
        del self._stories[b]
        self._dirty.discard(b)
        self._removed.add(b)
        return a, b

    # ------------------------------------------------------------------ consolidate
    def consolidate(self, full: bool = False) -> list[dict[str, Any]]:
        """Re-weigh, move, merge and split; on touched stories, or all if ``full``.

        Returns the changes: ``{"kind": "move"|"merge"|"split", ...}``.
        """
        self._since = 0
        sids = list(self._stories) if full else [x for x in self._dirty if x in self._stories]
        self._dirty = set()
        if not sids:
            return []
        # (add() already marked the near-miss candidates of each article dirty)
        docs = [doc_id for sid in sids for doc_id in self._stories[sid].members]
        for doc_id in docs:  # re-weigh with the current IDF
            d = self._docs[doc_id]
            d.vec = self.stats.weigh(d.idx, d.tfw)
        labels = {doc_id: self._docs[doc_id].story for doc_id in docs}
        changes = self._consolidator.rounds(docs, labels)
        self._rebuild(docs, labels)
        self.scorer.update_cohesion(self._stories.values())
        return changes

    def _rebuild(self, docs: list[DocId], labels: dict[DocId, int]) -> None:
        """Write the consolidated labels back into stories, sums and index."""
        touched = {self._docs[x].story for x in docs} | set(labels.values())
        before = {sid: set(self._stories[sid].members) if sid in self._stories else set()
                  for sid in touched}
        changed_before = set(self._changed)
        for sid in touched:
            if sid in self._stories:
                st = self._stories[sid]
                st.members = {x: None for x in st.members if x not in labels}
                st.sum, st.sq, st.n, st.dmin, st.dmax = {}, 0.0, 0, None, None
            else:
                self._stories[sid] = Story(members={}, sum={})
        # members outside ``docs`` (none in practice) keep their vectors
        for sid in touched:
            st = self._stories[sid]
            rest = list(st.members)
            st.members = {}
            for x in rest:
                self._attach(x, self._docs[x], sid)
        dup_docs = []
        for x in docs:
            d = self._docs[x]
            d.top = self._top_terms(d.idx, d.vec)
            if d.dup:
                dup_docs.append(x)
                continue
            self._attach(x, d, labels[x])
        for x in dup_docs:
            self._attach(x, self._docs[x], labels[x])
        for sid in touched:
            if sid in self._stories and not self._stories[sid].members:
                del self._stories[sid]
                self._removed.add(sid)
        # re-attaching marked every touched story changed: keep only real changes
        self._changed = changed_before | {
            sid for sid in touched
            if sid in self._stories and set(self._stories[sid].members) != before[sid]}
        self._dirty = set()



    # ------------------------------------------------------------------ read
    def drain(self) -> tuple[set[int], set[int]]:
        """Stories changed and stories removed since the last call (then forgotten)."""
        changed = {sid for sid in self._changed if sid in self._stories}
        removed = {sid for sid in self._removed if sid not in self._stories}
        self._changed, self._removed = set(), set()
        return changed, removed

    def members(self, sid: int) -> list[DocId]:
        """The story's members (none for a story that is gone)."""
        st = self._stories.get(sid)
        return list(st.members) if st else []

    def is_duplicate(self, doc_id: DocId) -> bool:
        """Whether the article was placed as a copy (it adds nothing to its story's sums)."""
        return self._docs[doc_id].dup

    def representative(self, sid: int,
                       prefer: Callable[[DocId], bool] | None = None) -> DocId | None:
        """The member most like the whole story (largest dot with the story's sum); with
        ``prefer``, the most like it among the members ``prefer`` accepts, if any."""
        st = self._stories.get(sid)
        if not st or not st.members:
            return None
        best, best_v = None, (False, -1.0)
        for x in st.members:
            d = self._docs[x]
            v = (bool(prefer(x)) if prefer else False,
                 self.scorer.dot(d.idx.tolist(), d.vec.tolist(), st))
            if v > best_v:
                best, best_v = x, v
        return best

    def explain(self, doc_id: DocId) -> dict[str, Any]:
        """Why an article is in its story now, measured against the other members."""
        st = self._stories[self._docs[doc_id].story]
        return why.member_why(doc_id, self._docs, st, self._names, self._ent_terms,
                              self.scorer)

    # ------------------------------------------------------------------ persistence
    def export_new(self) -> dict[str, np.ndarray]:
        """The features of articles added since the last export, as plain arrays (a
        segment, ``segments.pack``). Ids must be integers. ``load_segments`` reads them
        back."""
        ids = [x for x in self._unsaved if x in self._docs]
        docs = [self._docs[x] for x in ids]
        names = self.scorer.languages.names
        seg = segments.pack(ids, docs, self._unsaved_names, [names[d.lang] for d in docs])
        self._unsaved, self._unsaved_names = [], {}
        return seg

    @classmethod
    def load_segments(cls, settings: StorySettings, segs: Iterable[dict[str, np.ndarray]],
                      placements: dict[int, int], *, cohesion: float | None = None,
                      next_id: int = 1) -> tuple[OnlineGrouper, set[int]]:
        """A grouper from exported segments and the article -> story map.

        Returns it and the placed articles that no segment holds (the caller
        regroups those, or rebuilds). Articles in segments but not placed are
        ignored (they will be placed again).
        """
        g = cls(settings)
        if cohesion is not None:
            g.cohesion = float(cohesion)
        g._next_id = max([next_id, *(sid + 1 for sid in placements.values())])
        g._names, rows = segments.unpack(segs, placements)
        seen = set()
        for r in rows:
            seen.add(r.doc_id)
            if not r.dup:
                g.stats.count(r.idx)
        for r in rows:
            g._ent_terms.update(r.idx[r.ent].tolist())
            vec = g.stats.weigh(r.idx, r.tfw)
            g._docs[r.doc_id] = Doc(r.idx, r.tfw, r.ent, vec, placements[r.doc_id],
                                    None if r.day < 0 else r.day, r.dup,
                                    g._top_terms(r.idx, vec),
                                    None if r.orig < 0 else r.orig,
                                    g.scorer.languages.code(r.lang))
        g._count_languages(r.doc_id for r in rows)
        g._bulk_attach([r.doc_id for r in rows])
        g._dirty, g._changed, g._removed, g._unsaved = set(), set(), set(), []
        return g, set(placements) - seen

    def _bulk_attach(self, doc_ids: list[DocId]) -> None:
        """``_attach`` for many articles at once (their ``story`` set): story sums by a
        sparse product instead of one dict update per term. Members keep the order given."""
        evidence = [x for x in doc_ids if not self._docs[x].dup]
        sids = sorted({self._docs[x].story for x in doc_ids})
        pos = {sid: i for i, sid in enumerate(sids)}
        for sid in sids:
            if sid not in self._stories:
                self._stories[sid] = Story(members={}, sum={})
        if evidence:
            docs = [self._docs[x] for x in evidence]
            lens = np.fromiter((len(d.idx) for d in docs), np.int64, len(docs))
            X = sp.csr_matrix(
                (np.concatenate([d.vec for d in docs]).astype(np.float64),
                 np.concatenate([d.idx for d in docs]),
                 np.concatenate([[0], np.cumsum(lens)])),
                shape=(len(docs), self.settings.vector.n_features))
            rows = np.fromiter((pos[d.story] for d in docs), np.int64, len(docs))
            S = sum_by_group(X, rows, len(sids))
            S.sum_duplicates()
            counts = np.bincount(rows, minlength=len(sids))
            for i, sid in enumerate(sids):
                if not counts[i]:
                    continue
                a, b = S.indptr[i], S.indptr[i + 1]
                st = self._stories[sid]
                vals = S.data[a:b]
                for t, v in zip(S.indices[a:b].tolist(), vals.tolist(), strict=True):
                    st.sum[t] = st.sum.get(t, 0.0) + v
                st.sq = float(sum(v * v for v in st.sum.values()))
                st.n += int(counts[i])
            for d in docs:
                self._index.add(d.top, d.story)
                st = self._stories[d.story]
                st.langs[d.lang] = st.langs.get(d.lang, 0) + 1
        for x in [*evidence, *(y for y in doc_ids if self._docs[y].dup)]:
            d = self._docs[x]
            st = self._stories[d.story]
            st.members[x] = None
            st.widen(d.day)

