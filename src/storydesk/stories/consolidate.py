"""Consolidation: re-weigh, move, merge and split the members of some stories.

``Consolidator.rounds`` works on labels (article -> story id) of the articles of the
stories touched since the last run (or of all), in rounds of three passes until nothing
changes:

* *reassign*: each article moves to the story it fits best if that clears the bar and
  beats its own (leaving itself out of its own story), or leaves a story it no longer
  fits for a new one;
* *merge*: greedy average-link merging of stories whose cross affinity clears the
  merge bar (``_agglomerate``), unless their neighbour graph parts them (``apart``);
* *split*: a story whose members form groups that would not be merged splits
  (``_regroup``, a cut of the neighbour graph, or spherical 2-means, ``_bisect``).

The grouper writes the labels back into its stories (``OnlineGrouper._rebuild``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from storydesk.stories.graph import best_cut, conductance, knn_graph, neighbours_for
from storydesk.stories.language import dominant
from storydesk.stories.records import Doc, DocId
from storydesk.stories.scoring import Scorer


def sum_by_group(X: sp.csr_matrix, gi: np.ndarray, ng: int) -> sp.csr_matrix:
    """Row ``g`` of the result: the sum of the rows ``i`` of ``X`` with ``gi[i] == g``."""
    M = sp.csr_matrix((np.ones(len(gi)), (gi, np.arange(len(gi)))), shape=(ng, len(gi)))
    return (M @ X).tocsr()


class Consolidator:
    """The consolidation passes over a grouper's articles (``docs``, shared with it);
    ``new_story()`` gives a fresh story id."""

    def __init__(self, scorer: Scorer, docs: Mapping[DocId, Doc],
                 new_story: Callable[[], int]) -> None:
        self.settings = scorer.settings
        self.scorer = scorer
        self._docs = docs
        self._new_story = new_story
        # member sets already examined by the split pass and found whole
        self._whole: set[int] = set()

    def rounds(self, docs: list[DocId], labels: dict[DocId, int]) -> list[dict[str, Any]]:
        """Move, merge and split until stable (at most ``consolidate_rounds`` rounds),
        updating ``labels`` of ``docs``; the changes, ``{"kind": "move"|"merge"|"split",
        ...}``."""
        changes: list[dict[str, Any]] = []
        for _ in range(max(1, self.settings.consolidate_rounds)):
            moved = self._reassign(docs, labels, changes)
            merges = self._merge_pass(docs, labels, changes)
            splits = self._split_pass(docs, labels, changes)
            if not (moved or merges or splits):
                break
        return changes

    # ------------------------------------------------------------------ neighbour graph
    def _graph(self, K: np.ndarray) -> np.ndarray:
        """The members' nearest-neighbour graph from their Gram matrix ``K``."""
        s = self.settings
        return knn_graph(K, neighbours_for(len(K), s.graph_neighbours, s.graph_share))

    def apart(self, n_a: int, n_b: int, gram: Callable[[], np.ndarray]) -> bool:
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

    # ------------------------------------------------------------------ matrices
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

    def gram(self, docs: list[DocId]) -> np.ndarray:
        """Cosine Gram matrix of these articles' current vectors (``_across``)."""
        X = self._matrix(docs)
        return self._across((X @ X.T).toarray(), docs)

    def _across(self, K: np.ndarray, docs: list[DocId]) -> np.ndarray:
        """``K`` with a cosine across two languages divided by the bar factor between
        them (``Languages.factors``), so that the neighbour graph, the regroup and the
        bisection weigh it as ``add`` does."""
        codes = self._codes(docs)
        if len(codes) < 2 or (codes == codes[0]).all():
            return K
        return K / self.scorer.languages.factors(codes, codes)

    def _codes(self, docs: list[DocId]) -> np.ndarray:
        return np.fromiter((self._docs[x].lang for x in docs), np.int64, len(docs))

    def _group_langs(self, ev: list[DocId], gi: np.ndarray, ng: int
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Each group's language code (most of its members') and bar floor."""
        counts: list[dict[int, int]] = [{} for _ in range(ng)]
        for x, g in zip(ev, gi.tolist(), strict=True):
            c = self._docs[x].lang
            counts[g][c] = counts[g].get(c, 0) + 1
        codes = np.array([dominant(c) for c in counts], np.int64)
        return codes, np.array([self.scorer.lang_floor(int(c)) for c in codes], float)

    def _groups(self, docs: list[DocId], labels: dict[DocId, int]
                ) -> tuple[list[DocId], sp.csr_matrix, np.ndarray, list[int]]:
        """Evidence docs' matrix, their group index, and the group ids."""
        ev = [x for x in docs if not self._docs[x].dup]
        gids = sorted({labels[x] for x in ev})
        pos = {g: i for i, g in enumerate(gids)}
        gi = np.fromiter((pos[labels[x]] for x in ev), np.int64, len(ev))
        return ev, self._matrix(ev), gi, gids

    @staticmethod
    def _stats(X: sp.csr_matrix, gi: np.ndarray, ng: int
               ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
        """The groups' vector sums, evidence counts and sums' squared norms."""
        S = sum_by_group(X, gi, ng)
        n = np.bincount(gi, minlength=ng).astype(np.float64)
        sq = np.asarray(S.multiply(S).sum(axis=1)).ravel()
        return S, n, sq

    def _days(self, ids: list[DocId]) -> np.ndarray:
        """The articles' day numbers, nan when undated."""
        return np.array([self._docs[x].day if self._docs[x].day is not None else np.nan
                         for x in ids], float)

    def _day_arrays(self, ev: list[DocId], gi: np.ndarray, ng: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The articles' days and each group's date range (inf/-inf when undated)."""
        days = self._days(ev)
        lo = np.full(ng, np.inf)
        hi = np.full(ng, -np.inf)
        ok = ~np.isnan(days)
        np.minimum.at(lo, gi[ok], days[ok])
        np.maximum.at(hi, gi[ok], days[ok])
        return days, lo, hi

    # ------------------------------------------------------------------ passes
    def _reassign(self, docs: list[DocId], labels: dict[DocId, int],
                  changes: list[dict[str, Any]]) -> int:
        """Move each article to the story it fits best, when that clears the bar and beats
        its own story (scored with the article left out), or out to a new story when it
        fits its own under ``eject_ratio`` and no other; returns how many moved."""
        s = self.settings
        ev, X, gi, gids = self._groups(docs, labels)
        if not ev:
            return 0
        ng = len(gids)
        S, n, sq = self._stats(X, gi, ng)
        codes, floors = self._group_langs(ev, gi, ng)
        bar = np.maximum(s.join_ratio * self.scorer.shrunk_arr(n, sq), floors)
        doc_codes = self._codes(ev)
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
                                self.scorer.date_factors(d[:, None], lo[None, :], hi[None, :]))
            ratio = aff / bar[None, :]
            ratio /= self.scorer.languages.factors(doc_codes[start:stop], codes)
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
        """Merge stories bottom-up under the merge bar (``_agglomerate``), unless their
        neighbour graph parts them (``apart``); returns how many merges."""
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
                return self._across((Y @ Y.T).toarray(), [ev[r] for r in ra + rb])

            return self.apart(len(ra), len(rb), gram)

        codes, floors = self._group_langs(ev, gi, ng)
        merges = 0
        for i, j in self._agglomerate((S @ S.T).toarray(), n, lo, hi, size, veto=apart,
                                      codes=codes, floors=floors):
            changes.append({"kind": "merge", "into": gids[i], "from": gids[j]})
            for x in docs:
                if labels[x] == gids[j]:
                    labels[x] = gids[i]
            merges += 1
        return merges

    def _agglomerate(self, G: np.ndarray, n: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                     size: np.ndarray, ratio: float | None = None,
                     veto: Callable[[list[int], list[int]], bool] | None = None,
                     codes: np.ndarray | None = None, floors: np.ndarray | None = None,
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
        indices gathered in each of the two groups, may refuse a merge. ``codes``: the
        groups' languages (across two the bar is times ``Languages.factors``);
        ``floors``: their bar floors at the merge ratio (``Scorer.floor``), taken times
        ``ratio`` / the merge ratio so that a lower ratio keeps its hysteresis (default
        ``min_affinity``; a pair takes the higher). A merged group keeps the language
        and floor of the one that keeps its place.
        """
        s = self.settings
        merge = self.scorer.merge_ratio()
        k = merge if ratio is None else ratio
        dated = np.isfinite(lo)

        def ratios(rows: np.ndarray) -> np.ndarray:
            """Ratio of groups ``rows`` to every group."""
            aff = G[rows] / np.outer(n[rows], n)
            if dated[rows].any():
                gap = np.maximum(lo[rows, None] - hi[None, :], lo[None, :] - hi[rows, None])
                gap = np.maximum(gap, 0)
                f = self.scorer.gap_factors(gap)
                aff = np.where(dated[rows, None] & dated[None, :], aff * f, aff)
            sh = self.scorer.shrunk_arr(n, np.diag(G).copy())
            fl = (s.min_affinity if floors is None
                  else np.maximum(np.maximum(floors[rows, None], floors[None, :]) * (k / merge),
                                  s.min_affinity))
            bar = np.maximum(k * np.sqrt(np.outer(sh[rows], sh)), fl)
            if codes is not None:
                bar = bar * self.scorer.languages.factors(codes[rows], codes)
            return aff / bar

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
            K = self.gram(members)
            floor = float(self._group_langs(members, np.zeros(len(members), np.int64), 1)[1][0])
            parts: list[list[int]] = []
            if len(members) <= s.split_regroup_max:
                parts = self._regroup(members, K, floor)
                if len(parts) < 2:
                    parts = self._graph_split(K)
            if len(parts) < 2:
                parts = self._bisect(K, floor)
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

    def _regroup(self, members: list[DocId], K: np.ndarray,
                 floor: float) -> list[list[int]]:
        """Parts (member indices) of a story that holds several events, or none.

        The members are merged bottom-up (``_agglomerate``) under a bar lower than
        the merge bar, ``regroup_ratio`` x the parts' cohesion: hysteresis, so a
        story splits only where its parts are clearly apart, not where one part
        is merely tighter than the rest. Leftovers smaller than
        ``split_min_part`` go with the part they are most like. ``floor``: the story's
        bar floor.
        """
        s = self.settings
        m = len(members)
        days = self._days(members)
        lo = np.where(np.isnan(days), np.inf, days)
        hi = np.where(np.isnan(days), -np.inf, days)
        root = list(range(m))
        for i, j in self._agglomerate(K.copy(), np.ones(m), lo, hi, np.ones(m),
                                      s.regroup_ratio, floors=np.full(m, floor)):
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

    def _bisect(self, K: np.ndarray, floor: float) -> list[list[int]]:
        """Two parts by spherical 2-means if they would not be merged (``floor``: the
        story's bar floor, taken at ``split_ratio`` as ``_agglomerate`` does), else
        none."""
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
        sh = self.scorer.shrunk_arr(np.array([na, nb]), np.array([sqa, sqb]))
        low = max(floor * s.split_ratio / self.scorer.merge_ratio(), s.min_affinity)
        if cross >= max(s.split_ratio * math.sqrt(sh[0] * sh[1]), low):
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
            norm_a = math.sqrt(max(K[np.ix_(~part, ~part)].sum(), 1e-12))
            norm_b = math.sqrt(max(K[np.ix_(part, part)].sum(), 1e-12))
            new = sb / norm_b > sa / norm_a
            if (new == part).all():
                break
            part = new
        if part.all() or not part.any() or m < 2:
            return None
        return part

