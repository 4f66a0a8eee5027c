"""How well an article fits a story, and two stories each other.

An article's *affinity* to a story is its mean cosine to the members (``x . sum / n``);
a story's *cohesion* is the mean cosine between its members, shrunk toward the typical
cohesion of the stream for small stories. Dates, when both sides have them, discount
affinity by the gap between them. Each formula is written once here and evaluated two
ways: on Python floats for one story (``add`` scoring its candidates, with ``math``) and on
numpy arrays for many groups (consolidation, with ``numpy``); the two agree to rounding
(``math.exp`` and ``numpy.exp`` may differ in the last bit).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from itertools import repeat
from operator import mul
from typing import Any, TypeVar

import numpy as np

from storydesk.settings import StorySettings
from storydesk.stories.language import Languages, dominant
from storydesk.stories.records import Story

Num = TypeVar("Num", float, np.ndarray)


def mean_pair_cosine(sq: Num, n: Num) -> Num:
    """Mean cosine between the members of a group of ``n`` unit vectors whose sum has
    squared norm ``sq`` (needs ``n >= 2``)."""
    return (sq - n) / (n * (n - 1))


def _decay(gap: Any, s: StorySettings, exp: Callable[[Any], Any],
           maximum: Callable[[Any, Any], Any]) -> Any:
    """The date discount for a gap of ``gap`` days, before the ``date_max_gap_days`` cut:
    none within ``date_grace_days``, then exponential with scale ``date_scale_days``.
    ``exp`` and ``maximum`` are the math or the numpy functions."""
    return exp(-maximum(gap - s.date_grace_days, 0.0) / s.date_scale_days)


class Scorer:
    """Affinities, cohesions and bars under one ``StorySettings`` and the stream's
    typical cohesion (``cohesion``, updated by ``update_cohesion``) and the stream's
    languages (``languages``: bar floors per language, a factor across two)."""

    def __init__(self, settings: StorySettings) -> None:
        self.settings = settings
        self.cohesion = settings.cohesion_prior
        self.languages = Languages(settings)

    # ------------------------------------------------------------------ dates
    def gap_factor(self, gap: int) -> float:
        """Discount for two things ``gap`` days apart."""
        if gap > self.settings.date_max_gap_days:
            return 0.0
        return _decay(gap, self.settings, math.exp, max)

    def gap_factors(self, gap: np.ndarray) -> np.ndarray:
        """``gap_factor`` of each gap."""
        s = self.settings
        return np.where(gap > s.date_max_gap_days, 0.0, _decay(gap, s, np.exp, np.maximum))

    def date_factor(self, day: int | None, st: Story) -> float:
        """Discount for an article of ``day`` against the story's date range."""
        gap = st.gap(day)
        return 1.0 if gap is None else self.gap_factor(gap)

    def date_factors(self, day: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """``date_factor`` of days against date ranges ``lo``..``hi`` (broadcast; an
        undated side, nan or an infinite range, gives 1)."""
        with np.errstate(invalid="ignore"):
            gap = np.maximum(np.maximum(lo - day, day - hi), 0.0)
        return self.gap_factors(np.where(np.isfinite(gap), gap, 0.0))

    # ------------------------------------------------------------------ cohesion
    def _shrink(self, pairs: Num, rho: Num) -> Num:
        """Cohesion ``rho`` measured on ``pairs`` member pairs, shrunk toward the typical
        cohesion, which counts as ``prior_pairs`` pairs."""
        k = self.settings.prior_pairs
        return (pairs * rho + k * self.cohesion) / (pairs + k)

    def shrunk(self, st: Story) -> float:
        """The story's shrunk cohesion."""
        n = st.n
        if n < 2:
            return self.cohesion
        return self._shrink(n * (n - 1) / 2.0, mean_pair_cosine(st.sq, n))

    def shrunk_arr(self, n: np.ndarray, sq: np.ndarray) -> np.ndarray:
        """Shrunk cohesion of groups of ``n`` evidence members with sums of squared
        norm ``sq``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = np.where(n >= 2, mean_pair_cosine(sq, n), 0.0)
        return self._shrink(n * (n - 1) / 2.0, rho)

    def update_cohesion(self, stories: Iterable[Story]) -> None:
        """Typical cohesion: the member-weighted median over stories of 3+ members.

        Weighting by members gives the cohesion of the story a typical article is
        in, so a mass of small tight clusters (copies) does not set the bar.
        """
        sts = [st for st in stories if st.n >= self.settings.cohesion_min_members]
        if len(sts) < 3:
            return
        rho = np.array([mean_pair_cosine(st.sq, st.n) for st in sts])
        w = np.array([st.n for st in sts], float)
        order = np.argsort(rho)
        cum = np.cumsum(w[order])
        self.cohesion = float(rho[order][np.searchsorted(cum, cum[-1] / 2.0)])

    # ------------------------------------------------------------------ bars
    def merge_ratio(self) -> float:
        s = self.settings
        return s.join_ratio if s.merge_ratio is None else s.merge_ratio

    @staticmethod
    def lang_of(st: Story) -> int:
        """The story's language code (most of its evidence members')."""
        return dominant(st.langs)

    def floor(self, st: Story) -> float:
        """The lowest bar of the story (``lang_floor`` of its language)."""
        return self.lang_floor(self.lang_of(st))

    def lang_floor(self, lang: int) -> float:
        """The lowest bar of a story in language ``lang``: ``Languages.floor`` while the
        stream's typical bar (``join_ratio`` x the typical cohesion) is under it, else
        ``min_affinity``.

        The floor breaks the loop in which chains of several events lower the typical
        cohesion and with it every bar. Where the typical bar is above the floor there
        is no such loop, and a story of loosely alike members (a broad topic of short
        texts) keeps the bar of its own cohesion.
        """
        floor = self.languages.floor(lang)
        if floor > self.settings.join_ratio * self.cohesion:
            return floor
        return self.settings.min_affinity

    def threshold(self, st: Story, lang: int = 0) -> float:
        """The affinity an article in language ``lang`` (0: any) needs to join the story."""
        bar = max(self.settings.join_ratio * self.shrunk(st), self.floor(st))
        return bar * self.languages.factor(lang, self.lang_of(st))

    # ------------------------------------------------------------------ scores
    @staticmethod
    def dot(idx: list[int], vals: list[float], st: Story) -> float:
        """An article's vector (term ids, values) dotted with the story's sum."""
        return sum(map(mul, vals, map(st.sum.get, idx, repeat(0.0))))

    @staticmethod
    def cross(a: Story, b: Story) -> float:
        """The two stories' sums dotted."""
        if len(a.sum) > len(b.sum):
            a, b = b, a
        return sum(v * b.sum.get(t, 0.0) for t, v in a.sum.items())

    def score(self, idx: list[int], vals: list[float], day: int | None,
              st: Story, lang: int = 0) -> tuple[float, float, float]:
        """(ratio to the story's bar, affinity, date gap factor) of an article in
        language ``lang``."""
        if st.n == 0:
            return 0.0, 0.0, 1.0
        f = self.date_factor(day, st)
        if f == 0.0:
            return 0.0, 0.0, 0.0
        aff = self.dot(idx, vals, st) / st.n * f
        return aff / self.threshold(st, lang), aff, f

    def merge_ok(self, a: Story, b: Story, dot: float) -> bool:
        """Whether two stories whose sums dot to ``dot`` clear the merge bar."""
        if a.n == 0 or b.n == 0:
            return True
        f = 1.0
        if a.dmin is not None and b.dmin is not None and a.dmax is not None and b.dmax is not None:
            f = self.gap_factor(max(0, a.dmin - b.dmax, b.dmin - a.dmax))
        aff = dot / (a.n * b.n) * f
        bar = max(self.merge_ratio() * math.sqrt(self.shrunk(a) * self.shrunk(b)),
                  self.floor(a), self.floor(b))
        return aff >= bar * self.languages.factor(self.lang_of(a), self.lang_of(b))
