"""Online grouping of articles into stories (one real-world event each).

Method (details and measured figures in docs/stories.md):

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
  from one setting.
* Dates, when both sides have them, discount affinity by the gap to the
  story's date range (events weeks apart rarely coincide).
* Candidate stories come from an inverted index (term -> stories holding a
  member whose top-weighted terms include it), capped per term, so placing an
  article never scans every story.
* ``consolidate()`` (run every ``consolidate_every`` articles on the stories
  touched since, or on everything when asked) re-weighs members with the
  current IDF, moves members to a story they fit better, merges stories whose
  cross affinity clears the same bar, and splits a story whose members form
  two groups that would not be merged. This is what makes the partition
  nearly independent of arrival order.
* A story whose members' nearest-neighbour graph comes apart (a cut of low
  conductance, ``graph``) splits there, and two stories so cut between them do
  not merge: this parts two events of one kind that average link cannot.
* Near-duplicate copies (``duplicate_of``) join their original's story but add
  nothing to its vector: one wire text counts once as evidence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date as _date
from datetime import datetime
from itertools import repeat
from operator import mul
from typing import Any

import numpy as np
import scipy.sparse as sp

from storydesk.settings import StorySettings, VectorSettings
from storydesk.stories.graph import best_cut, conductance, knn_graph, neighbours_for
from storydesk.stories.vectorize import Features, TermStats, featurize

DocId = Hashable


@dataclass
class Placement:
    """Where an article went, and why."""

    story_id: int
    why: dict[str, Any]
    merged: list[tuple[int, int]] = field(default_factory=list)  # (kept, absorbed)
    split: list[tuple[int, int]] = field(default_factory=list)  # (from, new)


@dataclass
class _Doc:
    idx: np.ndarray
    tfw: np.ndarray
    ent: np.ndarray
    vec: np.ndarray
    story: int
    day: int | None
    dup: bool
    top: list[int]
    orig: DocId | None = None


@dataclass
class _Story:
    members: dict[DocId, None]
    sum: dict[int, float]
    sq: float = 0.0
    n: int = 0  # members that count as evidence (duplicates do not)
    dmin: int | None = None
    dmax: int | None = None


def _day(d: Any) -> int | None:
    if d is None or d == "":
        return None
    if isinstance(d, datetime):
        return d.date().toordinal()
    if isinstance(d, _date):
        return d.toordinal()
    if isinstance(d, int | float):
        return int(d)
    try:
        return _date.fromisoformat(str(d)[:10]).toordinal()
    except ValueError:
        return None


class OnlineGrouper:
    """Places articles into stories as they arrive. See the module docstring."""

    def __init__(self, settings: StorySettings | None = None) -> None:
        self.settings = settings or StorySettings()
        self.stats = TermStats(self.settings.vector.n_features)
        self._docs: dict[DocId, _Doc] = {}
        self._stories: dict[int, _Story] = {}
        self._index: dict[int, dict[int, None]] = {}
        self._names: dict[int, str] = {}
        self._ent_terms: set[int] = set()
        self._next_id = 1
        self._dirty: set[int] = set()
        self._since = 0
        # member sets already examined by the split pass and found whole
        self._whole: set[int] = set()
        self._adopted: list[DocId] = []  # taken by adopt(), not yet settled
        # For callers that persist: stories whose members changed or that were
        # removed, and articles and term names not yet exported (``drain``).
        self._changed: set[int] = set()
        self._removed: set[int] = set()
        self._unsaved: list[DocId] = []
        self._unsaved_names: dict[int, str] = {}
        self.cohesion = self.settings.cohesion_prior

    # ------------------------------------------------------------------ scoring
    def _shrunk(self, st: _Story) -> float:
        n = st.n
        if n < 2:
            return self.cohesion
        pairs = n * (n - 1) / 2.0
        rho = (st.sq - n) / (n * (n - 1))
        k = self.settings.prior_pairs
        return (pairs * rho + k * self.cohesion) / (pairs + k)

    def _merge_ratio(self) -> float:
        s = self.settings
        return s.join_ratio if s.merge_ratio is None else s.merge_ratio

    def _threshold(self, st: _Story) -> float:
        return max(self.settings.join_ratio * self._shrunk(st), self.settings.min_affinity)

    def _date_factor(self, day: int | None, st: _Story) -> float:
        if day is None or st.dmin is None or st.dmax is None:
            return 1.0
        return self._gap_factor(max(0, st.dmin - day, day - st.dmax))

    def _candidates(self, idx: np.ndarray, vec: np.ndarray,
                    exclude: int | None = None) -> list[int]:
        s = self.settings
        if len(idx) == 0:
            return []
        order = np.argsort(-vec)[: s.query_terms]
        acc: dict[int, float] = {}
        for j in order.tolist():
            post = self._index.get(int(idx[j]))
            if not post:
                continue
            w = float(vec[j])
            for sid in post:
                acc[sid] = acc.get(sid, 0.0) + w
        acc.pop(exclude, None)  # type: ignore[arg-type]
        if len(acc) > s.candidates:
            best = sorted(acc.items(), key=lambda kv: -kv[1])[: s.candidates]
            return [sid for sid, _ in best if sid in self._stories]
        return [sid for sid in acc if sid in self._stories]

    def _dot(self, idx: list[int], vals: list[float], st: _Story) -> float:
        return sum(map(mul, vals, map(st.sum.get, idx, repeat(0.0))))

    def _score(self, idx: list[int], vals: list[float], day: int | None,
               sid: int) -> tuple[float, float, float]:
        """(ratio to the story's bar, affinity, date gap factor)."""
        st = self._stories[sid]
        if st.n == 0:
            return 0.0, 0.0, 1.0
        f = self._date_factor(day, st)
        if f == 0.0:
            return 0.0, 0.0, 0.0
        aff = self._dot(idx, vals, st) / st.n * f
        return aff / self._threshold(st), aff, f

    # ------------------------------------------------------------------ updates
    def _index_doc(self, d: _Doc, sid: int) -> None:
        cap = self.settings.posting_cap
        for t in d.top:
            post = self._index.get(t)
            if post is None:
                post = self._index[t] = {}
            elif sid in post:
                del post[sid]
            post[sid] = None
            if len(post) > cap:
                del post[next(iter(post))]

    def _attach(self, doc_id: DocId, d: _Doc, sid: int) -> None:
        st = self._stories[sid]
        st.members[doc_id] = None
        d.story = sid
        if d.day is not None:
            st.dmin = d.day if st.dmin is None else min(st.dmin, d.day)
            st.dmax = d.day if st.dmax is None else max(st.dmax, d.day)
        if not d.dup:
            s = st.sum
            sq = st.sq
            for t, v in zip(d.idx.tolist(), d.vec.tolist(), strict=True):
                old = s.get(t, 0.0)
                s[t] = old + v
                sq += 2.0 * old * v + v * v
            st.sq = sq
            st.n += 1
            self._index_doc(d, sid)
        self._dirty.add(sid)
        self._changed.add(sid)

    def _new_story(self) -> int:
        sid = self._next_id
        self._next_id += 1
        self._stories[sid] = _Story(members={}, sum={})
        return sid

    def _top_terms(self, idx: np.ndarray, vec: np.ndarray) -> list[int]:
        k = self.settings.index_terms
        if len(idx) <= k:
            return idx.tolist()
        return idx[np.argpartition(-vec, k - 1)[:k]].tolist()

    # ------------------------------------------------------------------ public
    def add(self, doc_id: DocId, text: str, title: str = "", date: Any = None,
            entities: Iterable[str] | None = None, duplicate_of: DocId | None = None,
            language: str | None = None) -> Placement:
        """Place one article (``language``: its ISO 639-1 code, None for unknown);
        returns its story, why, and merges/splits it caused."""
        s = self.settings
        feats, dup = self._take(doc_id, text, title, entities, duplicate_of, language)
        day = _day(date)
        vec = self.stats.weigh(feats.idx, feats.tfw)
        d = _Doc(feats.idx, feats.tfw, feats.entity, vec, 0, day, dup,
                 self._top_terms(feats.idx, vec), duplicate_of if dup else None)
        merged: list[tuple[int, int]] = []
        split: list[tuple[int, int]] = []
        if dup:
            sid = self._docs[duplicate_of].story
            self._docs[doc_id] = d
            self._attach(doc_id, d, sid)
            why = {"reason": "duplicate", "duplicate_of": duplicate_of,
                   "summary": f"copy of article {duplicate_of}"}
            return Placement(sid, why)
        il, vl = feats.idx.tolist(), vec.tolist()
        scored = []
        for sid in self._candidates(feats.idx, vec):
            r, aff, f = self._score(il, vl, day, sid)
            if r > 0:
                scored.append((r, sid, aff))
        scored.sort(reverse=True)
        self._docs[doc_id] = d
        if scored and scored[0][0] >= 1.0:
            sid = scored[0][1]
            why = self._explain(d, sid, scored[0][0], scored[0][2])
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
            why = {"reason": "new", "summary": "starts a new story",
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
        return Placement(sid, why, merged, split)

    def adopt(self, doc_id: DocId, text: str, title: str = "", date: Any = None,
              entities: Iterable[str] | None = None, duplicate_of: DocId | None = None, *,
              story: int, language: str | None = None) -> None:
        """Take an article already grouped elsewhere (``storydesk batch``) into ``story``.

        Nothing is decided: the article's features are counted and kept as ``add``
        keeps them. Call ``settle()`` after the last one.
        """
        feats, dup = self._take(doc_id, text, title, entities, duplicate_of, language)
        self._docs[doc_id] = _Doc(feats.idx, feats.tfw, feats.entity, feats.tfw, story,
                                  _day(date), dup, [], duplicate_of if dup else None)
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
        self._bulk_attach(ids)
        self._next_id = max([self._next_id, *(self._docs[x].story + 1 for x in ids)])
        self._update_cohesion()
        self._dirty, self._changed, self._removed = set(), set(), set()

    def story_of(self, doc_id: DocId) -> int:
        return self._docs[doc_id].story

    def stories(self) -> dict[int, list[DocId]]:
        return {sid: list(st.members) for sid, st in self._stories.items() if st.members}

    def __len__(self) -> int:
        return len(self._docs)

    # ------------------------------------------------------------------ why
    def _explain(self, d: _Doc, sid: int, ratio: float, aff: float) -> dict[str, Any]:
        st = self._stories[sid]
        contrib = [(v * st.sum.get(t, 0.0), t) for t, v in
                   zip(d.idx.tolist(), d.vec.tolist(), strict=True)]
        contrib = sorted((c for c in contrib if c[0] > 0), reverse=True)
        ents, terms = [], []
        seen: set[str] = set()
        for _, t in contrib:
            name = self._names.get(t, "?")
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            (ents if t in self._ent_terms else terms).append(name)
        k = self.settings.why_terms
        ents, terms = ents[:k], terms[:k]
        gap = None
        if d.day is not None and st.dmin is not None and st.dmax is not None:
            gap = max(0, st.dmin - d.day, d.day - st.dmax)
        norm = math.sqrt(st.sq) if st.sq > 0 else 1.0
        cos = sum(map(mul, d.vec.tolist(), map(st.sum.get, d.idx.tolist(), repeat(0.0)))) / norm
        parts = []
        shared = ents + [t for t in terms if t not in ents]
        if shared:
            parts.append("shares " + ", ".join(shared[:k]))
        parts.append("undated" if gap is None else f"{gap} day{'s' if gap != 1 else ''} apart")
        parts.append(f"similarity {cos:.2f}")
        return {"reason": "joined", "shared_entities": ents, "shared_terms": terms,
                "days_apart": gap, "similarity": round(cos, 3), "affinity": round(aff, 3),
                "threshold": round(self._threshold(st), 3), "ratio": round(ratio, 3),
                "story_size": len(st.members), "summary": "; ".join(parts)}

    # ------------------------------------------------------------------ merge
    def _cross(self, a: _Story, b: _Story) -> float:
        if len(a.sum) > len(b.sum):
            a, b = b, a
        return sum(v * b.sum.get(t, 0.0) for t, v in a.sum.items())

    def _gap_factor(self, gap: float) -> float:
        s = self.settings
        if gap > s.date_max_gap_days:
            return 0.0
        return math.exp(-max(0.0, gap - s.date_grace_days) / s.date_scale_days)

    def _merge_ok(self, a: _Story, b: _Story, dot: float) -> bool:
        if a.n == 0 or b.n == 0:
            return True
        f = 1.0
        if a.dmin is not None and b.dmin is not None and a.dmax is not None and b.dmax is not None:
            f = self._gap_factor(max(0, a.dmin - b.dmax, b.dmin - a.dmax))
        aff = dot / (a.n * b.n) * f
        bar = max(self._merge_ratio() * math.sqrt(self._shrunk(a) * self._shrunk(b)),
                  self.settings.min_affinity)
        return aff >= bar

    def _try_merge(self, a: int, b: int) -> tuple[int, int] | None:
        sa, sb = self._stories[a], self._stories[b]
        if not self._merge_ok(sa, sb, self._cross(sa, sb)):
            return None
        if self._apart(sa.n, sb.n, lambda: self._gram(
                [x for st in (sa, sb) for x in st.members if not self._docs[x].dup])):
            return None
        return self._merge(a, b)

    # ------------------------------------------------------------------ neighbourhoods
    def _graph(self, K: np.ndarray) -> np.ndarray:
        s = self.settings
        return knn_graph(K, neighbours_for(len(K), s.graph_neighbours, s.graph_share))

    def _apart(self, n_a: int, n_b: int, gram: Callable[[], np.ndarray]) -> bool:
        """Whether two groups of ``n_a`` and ``n_b`` evidence members are two events: the
        cut between them in their joint neighbour graph is under ``split_conductance``.
        ``gram()`` gives the Gram matrix of the members, the first group's first."""
        s = self.settings
        if (s.split_conductance <= 0 or min(n_a, n_b) < s.split_min_part
                or n_a + n_b > s.split_regroup_max):
            return False
        part = np.arange(n_a + n_b) < n_a
        return conductance(self._graph(gram()), part) < s.split_conductance

    def _graph_split(self, K: np.ndarray) -> list[list[int]]:
        """Two parts where the members' neighbour graph comes apart, or none."""
        s = self.settings
        if s.split_conductance <= 0:
            return []
        part, cond = best_cut(self._graph(K), s.split_min_part)
        if part is None or cond >= s.split_conductance:
            return []
        return [np.flatnonzero(~part).tolist(), np.flatnonzero(part).tolist()]

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
        s = self.settings
        self._since = 0
        sids = list(self._stories) if full else [x for x in self._dirty if x in self._stories]
        self._dirty = set()
        if not sids:
            return []
        # (add() already marked the near-miss candidates of each article dirty)
        changes: list[dict[str, Any]] = []
        docs = [doc_id for sid in sids for doc_id in self._stories[sid].members]
        for doc_id in docs:  # re-weigh with the current IDF
            d = self._docs[doc_id]
            d.vec = self.stats.weigh(d.idx, d.tfw)
        labels = {doc_id: self._docs[doc_id].story for doc_id in docs}
        for _ in range(max(1, s.consolidate_rounds)):
            moved = self._reassign(docs, labels, changes)
            merges = self._merge_pass(docs, labels, changes)
            splits = self._split_pass(docs, labels, changes)
            if not (moved or merges or splits):
                break
        self._rebuild(docs, labels)
        self._update_cohesion()
        return changes

    def _matrix(self, docs: list[DocId]) -> sp.csr_matrix:
        """These articles' current vectors as rows; columns: their terms only, so
        products stay small (one call's rows share columns)."""
        vecs = [self._docs[x] for x in docs]
        lens = np.fromiter((len(d.idx) for d in vecs), np.int64, len(vecs))
        indptr = np.concatenate([[0], np.cumsum(lens)])
        idx = np.concatenate([d.idx for d in vecs]) if vecs else np.zeros(0, np.int64)
        val = np.concatenate([d.vec for d in vecs]) if vecs else np.zeros(0, np.float32)
        cols, inv = np.unique(idx, return_inverse=True)
        return sp.csr_matrix((val, inv.ravel(), indptr), shape=(len(vecs), len(cols)))

    def _gram(self, docs: list[DocId]) -> np.ndarray:
        """Cosine Gram matrix of these articles' current vectors."""
        X = self._matrix(docs)
        return (X @ X.T).toarray()

    def _groups(self, docs: list[DocId], labels: dict[DocId, int]):  # noqa: ANN202
        """Evidence docs' matrix, their group index, and the group ids."""
        ev = [x for x in docs if not self._docs[x].dup]
        gids = sorted({labels[x] for x in ev})
        pos = {g: i for i, g in enumerate(gids)}
        gi = np.fromiter((pos[labels[x]] for x in ev), np.int64, len(ev))
        return ev, self._matrix(ev), gi, gids

    def _stats(self, X: sp.csr_matrix, gi: np.ndarray, ng: int):  # noqa: ANN202
        M = sp.csr_matrix((np.ones(len(gi)), (gi, np.arange(len(gi)))), shape=(ng, len(gi)))
        S = (M @ X).tocsr()
        n = np.bincount(gi, minlength=ng).astype(np.float64)
        sq = np.asarray(S.multiply(S).sum(axis=1)).ravel()
        return S, n, sq

    def _shrunk_arr(self, n: np.ndarray, sq: np.ndarray) -> np.ndarray:
        pairs = n * (n - 1) / 2.0
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = np.where(n >= 2, (sq - n) / np.maximum(n * (n - 1), 1), 0.0)
        k = self.settings.prior_pairs
        return (pairs * rho + k * self.cohesion) / (pairs + k)

    def _day_arrays(self, ev: list[DocId], gi: np.ndarray, ng: int):  # noqa: ANN202
        days = np.array([self._docs[x].day if self._docs[x].day is not None else np.nan
                         for x in ev], float)
        lo = np.full(ng, np.inf)
        hi = np.full(ng, -np.inf)
        ok = ~np.isnan(days)
        np.minimum.at(lo, gi[ok], days[ok])
        np.maximum.at(hi, gi[ok], days[ok])
        return days, lo, hi

    def _date_factor_arr(self, day: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        s = self.settings
        with np.errstate(invalid="ignore"):
            gap = np.maximum(np.maximum(lo - day, day - hi), 0.0)
        gap = np.where(np.isfinite(gap), gap, 0.0)
        f = np.exp(-np.maximum(gap - s.date_grace_days, 0.0) / s.date_scale_days)
        return np.where(gap > s.date_max_gap_days, 0.0, f)

    def _reassign(self, docs: list[DocId], labels: dict[DocId, int],
                  changes: list[dict[str, Any]]) -> int:
        s = self.settings
        ev, X, gi, gids = self._groups(docs, labels)
        if not ev:
            return 0
        ng = len(gids)
        S, n, sq = self._stats(X, gi, ng)
        bar = np.maximum(s.join_ratio * self._shrunk_arr(n, sq), s.min_affinity)
        days, lo, hi = self._day_arrays(ev, gi, ng)
        moved = 0
        block = 2048
        new_labels: dict[DocId, int] = {}
        for start in range(0, len(ev), block):
            stop = min(start + block, len(ev))
            D = (X[start:stop] @ S.T).toarray()
            rows = np.arange(stop - start)
            own = gi[start:stop]
            D[rows, own] -= 1.0  # leave the article out of its own story
            nn = np.repeat(n[None, :], stop - start, axis=0)
            nn[rows, own] -= 1.0
            with np.errstate(divide="ignore", invalid="ignore"):
                aff = np.where(nn > 0, D / np.maximum(nn, 1), 0.0)
            d = days[start:stop]
            if np.isfinite(lo).any() and not np.isnan(d).all():
                aff *= np.where(np.isnan(d)[:, None], 1.0,
                                self._date_factor_arr(d[:, None], lo[None, :], hi[None, :]))
            ratio = aff / bar[None, :]
            own_r = ratio[rows, own].copy()
            ratio[rows, own] = -1.0
            best = ratio.argmax(axis=1)
            best_r = ratio[rows, best]
            for i in range(stop - start):
                doc_id = ev[start + i]
                if best_r[i] >= 1.0 and best_r[i] > own_r[i]:
                    new_labels[doc_id] = gids[best[i]]
                elif n[own[i]] >= 2 and own_r[i] < s.eject_ratio and best_r[i] < 1.0:
                    new_labels[doc_id] = -1
        for doc_id, g in new_labels.items():
            old = labels[doc_id]
            if g == -1:
                g = self._new_story()
            labels[doc_id] = g
            changes.append({"kind": "move", "doc": doc_id, "from": old, "to": g})
            moved += 1
        self._follow_duplicates(docs, labels)
        return moved

    def _follow_duplicates(self, docs: list[DocId], labels: dict[DocId, int]) -> None:
        """A copy stays in the story of the article it copies."""
        for doc_id in docs:
            d = self._docs[doc_id]
            if d.dup and d.orig in labels:
                labels[doc_id] = labels[d.orig]

    def _merge_pass(self, docs: list[DocId], labels: dict[DocId, int],
                    changes: list[dict[str, Any]]) -> int:
        ev, X, gi, gids = self._groups(docs, labels)
        ng = len(gids)
        if ng < 2:
            return 0
        S, n, _ = self._stats(X, gi, ng)
        _, lo, hi = self._day_arrays(ev, gi, ng)
        pos = {g: i for i, g in enumerate(gids)}
        size = np.bincount(np.fromiter((pos.get(labels[x], 0) for x in docs), np.int64,
                                       len(docs)), minlength=ng).astype(float)
        rows: list[list[int]] = [[] for _ in gids]
        for r, g in enumerate(gi.tolist()):
            rows[g].append(r)

        def apart(a: list[int], b: list[int]) -> bool:
            ra = [r for g in a for r in rows[g]]
            rb = [r for g in b for r in rows[g]]

            def gram() -> np.ndarray:
                Y = X[ra + rb]
                return (Y @ Y.T).toarray()

            return self._apart(len(ra), len(rb), gram)

        merges = 0
        for i, j in self._agglomerate((S @ S.T).toarray(), n, lo, hi, size, veto=apart):
            changes.append({"kind": "merge", "into": gids[i], "from": gids[j]})
            for x in docs:
                if labels[x] == gids[j]:
                    labels[x] = gids[i]
            merges += 1
        return merges

    def _agglomerate(self, G: np.ndarray, n: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                     size: np.ndarray, ratio: float | None = None,
                     veto: Callable[[list[int], list[int]], bool] | None = None,
                     ) -> list[tuple[int, int]]:
        """Greedy average-link merging of groups under the merge bar.

        ``G`` is the Gram matrix of the groups' vector sums, ``n`` their evidence
        counts, ``lo``/``hi`` their date ranges (inf/-inf when undated), ``size``
        their member counts (in a merge the larger keeps its place, on a tie the
        lower index). Repeatedly merges the pair with the largest ratio of
        date-discounted cross affinity to the bar while that ratio reaches 1. The
        bar is ``ratio`` (default ``merge_ratio``) x the geometric mean of the two
        groups' shrunk cohesions. Returns the merges as (kept, absorbed) indices,
        in order. The arrays are updated in place. ``veto(a, b)``, given the original
        indices gathered in each of the two groups, may refuse a merge.
        """
        s = self.settings
        k = self._merge_ratio() if ratio is None else ratio
        dated = np.isfinite(lo)

        def ratios(rows: np.ndarray) -> np.ndarray:
            """Ratio of groups ``rows`` to every group."""
            aff = G[rows] / np.outer(n[rows], n)
            if dated[rows].any():
                gap = np.maximum(lo[rows, None] - hi[None, :], lo[None, :] - hi[rows, None])
                gap = np.maximum(gap, 0)
                f = np.exp(-np.maximum(gap - s.date_grace_days, 0.0) / s.date_scale_days)
                f = np.where(gap > s.date_max_gap_days, 0.0, f)
                aff = np.where(dated[rows, None] & dated[None, :], aff * f, aff)
            sh = self._shrunk_arr(n, np.diag(G).copy())
            return aff / np.maximum(k * np.sqrt(np.outer(sh[rows], sh)), s.min_affinity)

        ng = len(n)
        if ng < 2:
            return []
        R = ratios(np.arange(ng))
        np.fill_diagonal(R, -1.0)
        alive = np.ones(ng, bool)
        held: list[list[int]] = [[x] for x in range(ng)]
        out: list[tuple[int, int]] = []
        while len(out) < ng - 1:
            i, j = np.unravel_index(int(R.argmax()), R.shape)
            if R[i, j] < 1.0:
                break
            if veto is not None and veto(held[i], held[j]):
                R[i, j] = R[j, i] = -1.0
                continue
            if (size[j], -j) > (size[i], -i):
                i, j = j, i
            G[i, :] += G[j, :]
            G[:, i] += G[:, j]
            n[i] += n[j]
            size[i] += size[j]
            lo[i], hi[i] = min(lo[i], lo[j]), max(hi[i], hi[j])
            dated[i] = dated[i] or dated[j]
            G[j, :] = 0
            G[:, j] = 0
            n[j] = 1
            held[i] += held[j]
            held[j] = []
            alive[j] = False
            row = np.where(alive, ratios(np.array([i]))[0], -1.0)
            row[i] = -1.0
            R[i, :] = row
            R[:, i] = row
            R[j, :] = -1.0
            R[:, j] = -1.0
            out.append((int(i), int(j)))
        return out

    def _split_pass(self, docs: list[DocId], labels: dict[DocId, int],
                    changes: list[dict[str, Any]]) -> int:
        """Split stories whose members form separate groups (``_regroup``, ``_bisect``)."""
        s = self.settings
        by: dict[int, list[DocId]] = {}
        for x in docs:
            if not self._docs[x].dup:
                by.setdefault(labels[x], []).append(x)
        splits = 0
        for g, members in by.items():
            if len(members) < s.split_min_members:
                continue
            key = hash(frozenset(members))
            if key in self._whole:
                continue
            K = self._gram(members)
            parts: list[list[int]] = []
            if len(members) <= s.split_regroup_max:
                parts = self._regroup(members, K)
                if len(parts) < 2:
                    parts = self._graph_split(K)
            if len(parts) < 2:
                parts = self._bisect(K)
            if len(parts) < 2:
                if len(self._whole) > 200_000:
                    self._whole.clear()
                self._whole.add(key)
                continue
            # the largest part keeps the id
            parts.sort(key=lambda p: (-len(p), min(p)))
            for part in parts[1:]:
                new = self._new_story()
                for k in part:
                    labels[members[k]] = new
                changes.append({"kind": "split", "from": g, "new": new,
                                "docs": [members[k] for k in part]})
                splits += 1
        self._follow_duplicates(docs, labels)
        return splits

    def _regroup(self, members: list[DocId], K: np.ndarray) -> list[list[int]]:
        """Parts (member indices) of a story that holds several events, or none.

        The members are merged bottom-up (``_agglomerate``) under a bar lower than
        the merge bar, ``regroup_ratio`` x the parts' cohesion: hysteresis, so a
        story splits only where its parts are clearly apart, not where one part
        is merely tighter than the rest. Leftovers smaller than
        ``split_min_part`` go with the part they are most like.
        """
        s = self.settings
        m = len(members)
        days = np.array([self._docs[x].day if self._docs[x].day is not None else np.nan
                         for x in members], float)
        lo = np.where(np.isnan(days), np.inf, days)
        hi = np.where(np.isnan(days), -np.inf, days)
        root = list(range(m))
        for i, j in self._agglomerate(K.copy(), np.ones(m), lo, hi,
                                      np.ones(m), s.regroup_ratio):
            root[j] = i

        def find(i: int) -> int:
            while root[i] != i:
                i = root[i]
            return i

        groups: dict[int, list[int]] = {}
        for i in range(m):
            groups.setdefault(find(i), []).append(i)
        parts = [g for g in groups.values() if len(g) >= s.split_min_part]
        if len(parts) < 2:
            return []
        rest = [i for g in groups.values() if len(g) < s.split_min_part for i in g]
        for i in rest:  # a leftover goes with the part it is most like
            best = max(range(len(parts)), key=lambda p: K[i, parts[p]].mean())
            parts[best].append(i)
        return parts

    def _bisect(self, K: np.ndarray) -> list[list[int]]:
        """Two parts by spherical 2-means if they would not be merged, else none."""
        s = self.settings
        part = self._two_means(K)
        if part is None:
            return []
        a, b = np.flatnonzero(~part), np.flatnonzero(part)
        if min(len(a), len(b)) < s.split_min_part:
            return []
        na, nb = float(len(a)), float(len(b))
        sqa, sqb = K[np.ix_(a, a)].sum(), K[np.ix_(b, b)].sum()
        cross = K[np.ix_(a, b)].sum() / (na * nb)
        sh = self._shrunk_arr(np.array([na, nb]), np.array([sqa, sqb]))
        if cross >= max(s.split_ratio * math.sqrt(sh[0] * sh[1]), s.min_affinity):
            return []
        return [a.tolist(), b.tolist()]

    @staticmethod
    def _two_means(K: np.ndarray, iters: int = 8) -> np.ndarray | None:
        """Spherical 2-means on a Gram matrix; True marks the second group."""
        m = len(K)
        cen = K.mean(axis=1)
        i = int(cen.argmin())  # the member least like the rest
        j = int(K[i].argmin())  # and the one least like it
        if i == j:
            return None
        part = K[:, j] > K[:, i]
        for _ in range(iters):
            if part.all() or not part.any():
                return None
            sa = K[:, ~part].sum(axis=1)
            sb = K[:, part].sum(axis=1)
            na, nb = (~part).sum(), part.sum()
            norm_a = math.sqrt(max(K[np.ix_(~part, ~part)].sum(), 1e-12))
            norm_b = math.sqrt(max(K[np.ix_(part, part)].sum(), 1e-12))
            new = sb / norm_b > sa / norm_a
            del na, nb
            if (new == part).all():
                break
            part = new
        if part.all() or not part.any() or m < 2:
            return None
        return part

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
                self._stories[sid] = _Story(members={}, sum={})
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

    def _update_cohesion(self) -> None:
        """Typical cohesion: the member-weighted median over stories of 3+ members.

        Weighting by members gives the cohesion of the story a typical article is
        in, so a mass of small tight clusters (copies) does not set the bar.
        """
        s = self.settings
        sts = [st for st in self._stories.values() if st.n >= s.cohesion_min_members]
        if len(sts) < 3:
            return
        rho = np.array([(st.sq - st.n) / (st.n * (st.n - 1)) for st in sts])
        w = np.array([st.n for st in sts], float)
        order = np.argsort(rho)
        cum = np.cumsum(w[order])
        self.cohesion = float(rho[order][np.searchsorted(cum, cum[-1] / 2.0)])

    # ------------------------------------------------------------------ persistence
    def drain(self) -> tuple[set[int], set[int]]:
        """Stories changed and stories removed since the last call (then forgotten)."""
        changed = {sid for sid in self._changed if sid in self._stories}
        removed = {sid for sid in self._removed if sid not in self._stories}
        self._changed, self._removed = set(), set()
        return changed, removed

    def members(self, sid: int) -> list[DocId]:
        st = self._stories.get(sid)
        return list(st.members) if st else []

    def is_duplicate(self, doc_id: DocId) -> bool:
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
            v = (bool(prefer(x)) if prefer else False, self._dot(d.idx.tolist(),
                                                                 d.vec.tolist(), st))
            if v > best_v:
                best, best_v = x, v
        return best

    def explain(self, doc_id: DocId) -> dict[str, Any]:
        """Why an article is in its story now, measured against the other members."""
        d = self._docs[doc_id]
        st = self._stories[d.story]
        if d.dup and d.orig in self._docs and self._docs[d.orig].story == d.story:
            return {"reason": "duplicate", "duplicate_of": d.orig,
                    "summary": f"copy of article {d.orig}"}
        others = st.n - (0 if d.dup else 1)
        if others <= 0:
            return {"reason": "new", "summary": "the only report of this story", "nearest": []}
        # leave the article out: a temporary story of the other members
        rest = _Story(members={}, sum=dict(st.sum), sq=0.0, n=others, dmin=st.dmin, dmax=st.dmax)
        if not d.dup:
            for t, v in zip(d.idx.tolist(), d.vec.tolist(), strict=True):
                rest.sum[t] = rest.sum.get(t, 0.0) - v
        rest.sq = sum(v * v for v in rest.sum.values())
        rest.members = {x: None for x in st.members if x != doc_id}
        aff = self._dot(d.idx.tolist(), d.vec.tolist(), rest) / others
        aff *= self._date_factor(d.day, rest)
        tmp = -1
        self._stories[tmp] = rest
        try:
            why = self._explain(d, tmp, aff / self._threshold(rest), aff)
        finally:
            del self._stories[tmp]
        why["story_size"] = len(st.members)
        return why

    def export_new(self) -> dict[str, np.ndarray]:
        """The features of articles added since the last export, as plain arrays.

        Features never change once computed (only IDF weighting does), so a
        store can append these as a segment instead of rewriting every article.
        Ids must be integers. ``load_segments`` reads them back.
        """
        ids = [x for x in self._unsaved if x in self._docs]
        docs = [self._docs[x] for x in ids]
        names = json.dumps({str(k): v for k, v in self._unsaved_names.items()})
        self._unsaved, self._unsaved_names = [], {}
        return {
            "ids": np.array(ids, np.int64),
            "day": np.array([-1 if d.day is None else d.day for d in docs], np.int64),
            "dup": np.array([d.dup for d in docs], bool),
            "orig": np.array([-1 if d.orig is None else d.orig for d in docs], np.int64),
            "len": np.array([len(d.idx) for d in docs], np.int64),
            "idx": (np.concatenate([d.idx for d in docs]).astype(np.int32) if docs
                    else np.zeros(0, np.int32)),
            "tfw": np.concatenate([d.tfw for d in docs]) if docs else np.zeros(0, np.float32),
            "ent": np.concatenate([d.ent for d in docs]) if docs else np.zeros(0, bool),
            "names": np.frombuffer(names.encode("utf-8"), np.uint8),
        }

    @classmethod
    def load_segments(cls, settings: StorySettings, segments: Iterable[dict[str, np.ndarray]],
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
        raw: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, int, bool, int]] = []
        for seg in segments:
            g._names.update({int(k): v for k, v in
                             json.loads(bytes(seg["names"]).decode("utf-8")).items()})
            bounds = np.concatenate([[0], np.cumsum(seg["len"])]).tolist()
            idx_all = seg["idx"].astype(np.int64)
            for k, doc_id in enumerate(seg["ids"].tolist()):
                if doc_id not in placements:
                    continue
                a, b = bounds[k], bounds[k + 1]
                raw.append((doc_id, idx_all[a:b], seg["tfw"][a:b], seg["ent"][a:b],
                            int(seg["day"][k]), bool(seg["dup"][k]), int(seg["orig"][k])))
        raw.sort(key=lambda r: r[0])
        seen = set()
        for doc_id, idx, _, _, _, dup, _ in raw:
            seen.add(doc_id)
            if not dup:
                g.stats.count(idx)
        for doc_id, idx, tfw, ent, day, dup, orig in raw:
            g._ent_terms.update(idx[ent].tolist())
            vec = g.stats.weigh(idx, tfw)
            g._docs[doc_id] = _Doc(idx, tfw, ent, vec, placements[doc_id],
                                   None if day < 0 else day, dup, g._top_terms(idx, vec),
                                   None if orig < 0 else orig)
        g._bulk_attach([r[0] for r in raw])
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
                self._stories[sid] = _Story(members={}, sum={})
        if evidence:
            docs = [self._docs[x] for x in evidence]
            lens = np.fromiter((len(d.idx) for d in docs), np.int64, len(docs))
            X = sp.csr_matrix(
                (np.concatenate([d.vec for d in docs]).astype(np.float64),
                 np.concatenate([d.idx for d in docs]),
                 np.concatenate([[0], np.cumsum(lens)])),
                shape=(len(docs), self.settings.vector.n_features))
            rows = np.fromiter((pos[d.story] for d in docs), np.int64, len(docs))
            M = sp.csr_matrix((np.ones(len(docs)), (rows, np.arange(len(docs)))),
                              shape=(len(sids), len(docs)))
            S = (M @ X).tocsr()
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
                self._index_doc(d, d.story)
        for x in [*evidence, *(y for y in doc_ids if self._docs[y].dup)]:
            d = self._docs[x]
            st = self._stories[d.story]
            st.members[x] = None
            if d.day is not None:
                st.dmin = d.day if st.dmin is None else min(st.dmin, d.day)
                st.dmax = d.day if st.dmax is None else max(st.dmax, d.day)

    # ------------------------------------------------------------------ state
    def to_state(self) -> dict[str, Any]:
        """Plain arrays and dicts from which ``from_state`` rebuilds the grouper."""
        docs = list(self._docs.items())
        return {
            "settings": asdict(self.settings),
            "n_docs": self.stats.n_docs,
            "df_idx": np.flatnonzero(self.stats.df).astype(np.int64),
            "df_val": self.stats.df[self.stats.df != 0].astype(np.int32),
            "doc_ids": [k for k, _ in docs],
            "doc_story": np.array([d.story for _, d in docs], np.int64),
            "doc_day": np.array([-1 if d.day is None else d.day for _, d in docs], np.int64),
            "doc_dup": np.array([d.dup for _, d in docs], bool),
            "doc_orig": [d.orig for _, d in docs],
            "doc_len": np.array([len(d.idx) for _, d in docs], np.int64),
            "doc_idx": np.concatenate([d.idx for _, d in docs]) if docs else np.zeros(0, np.int64),
            "doc_tfw": (np.concatenate([d.tfw for _, d in docs]) if docs
                        else np.zeros(0, np.float32)),
            "doc_ent": np.concatenate([d.ent for _, d in docs]) if docs else np.zeros(0, bool),
            "story_order": {sid: list(st.members) for sid, st in self._stories.items()},
            "names": dict(self._names),
            "next_id": self._next_id,
            "cohesion": self.cohesion,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> OnlineGrouper:
        cfg = dict(state["settings"])
        cfg["vector"] = VectorSettings(**cfg["vector"])
        g = cls(StorySettings(**cfg))
        g.stats.df[np.asarray(state["df_idx"], np.int64)] = np.asarray(state["df_val"])
        g.stats.n_docs = int(state["n_docs"])
        g._names = {int(k): v for k, v in state["names"].items()}
        g._next_id = int(state["next_id"])
        g.cohesion = float(state["cohesion"])
        bounds = np.concatenate([[0], np.cumsum(np.asarray(state["doc_len"]))])
        idx_all, tfw_all = np.asarray(state["doc_idx"]), np.asarray(state["doc_tfw"])
        ent_all = np.asarray(state["doc_ent"], bool)
        for k, doc_id in enumerate(state["doc_ids"]):
            a, b = int(bounds[k]), int(bounds[k + 1])
            idx, ent = idx_all[a:b].astype(np.int64), ent_all[a:b]
            tfw = tfw_all[a:b].astype(np.float32)
            g._ent_terms.update(idx[ent].tolist())
            vec = g.stats.weigh(idx, tfw)
            day = int(state["doc_day"][k])
            g._docs[doc_id] = _Doc(idx, tfw, ent, vec, int(state["doc_story"][k]),
                                   None if day < 0 else day, bool(state["doc_dup"][k]),
                                   g._top_terms(idx, vec), state["doc_orig"][k])
        for sid, members in state["story_order"].items():
            sid = int(sid)
            g._stories[sid] = _Story(members={}, sum={})
            for x in members:
                if not g._docs[x].dup:
                    g._attach(x, g._docs[x], sid)
            for x in members:
                if g._docs[x].dup:
                    g._attach(x, g._docs[x], sid)
        g._dirty = set()
        return g
