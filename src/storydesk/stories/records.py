"""The grouper's records: an article's features (``Doc``), a story's running sums
(``Story``), where an article went (``Placement``), and the day number of a date."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import datetime
from typing import Any

import numpy as np

DocId = Hashable


@dataclass
class Placement:
    """Where an article went, and why."""

    story_id: int
    why: dict[str, Any]
    merged: list[tuple[int, int]] = field(default_factory=list)  # (kept, absorbed)
    split: list[tuple[int, int]] = field(default_factory=list)  # (from, new)


@dataclass
class Doc:
    """One article: hashed term ids, term weights before IDF, which terms are names, the
    IDF-weighted unit vector, its story, day number, whether it copies ``orig``, and its
    top-weighted terms (the ones the candidate index holds)."""

    idx: np.ndarray
    tfw: np.ndarray
    ent: np.ndarray
    vec: np.ndarray
    story: int
    day: int | None
    dup: bool
    top: list[int]
    orig: DocId | None = None
    lang: int = 0  # language code (stories.language; 0: unknown)


@dataclass
class Story:
    """A story's members (in arrival order), the sum of its evidence members' vectors,
    that sum's squared norm, the evidence count and the members' date range."""

    members: dict[DocId, None]
    sum: dict[int, float]
    sq: float = 0.0
    n: int = 0  # members that count as evidence (duplicates do not)
    dmin: int | None = None
    dmax: int | None = None
    langs: dict[int, int] = field(default_factory=dict)  # evidence members per language

    def widen(self, day: int | None) -> None:
        """Stretch the date range to hold ``day`` (nothing when undated)."""
        if day is not None:
            self.dmin = day if self.dmin is None else min(self.dmin, day)
            self.dmax = day if self.dmax is None else max(self.dmax, day)

    def gap(self, day: int | None) -> int | None:
        """Days from ``day`` to the date range (0 inside it); None when either is undated."""
        if day is None or self.dmin is None or self.dmax is None:
            return None
        return max(0, self.dmin - day, day - self.dmax)

    def add_vector(self, d: Doc) -> None:
        """Add an evidence member's vector to the sum, keeping its squared norm."""
        s = self.sum
        sq = self.sq
        for t, v in zip(d.idx.tolist(), d.vec.tolist(), strict=True):
            old = s.get(t, 0.0)
            s[t] = old + v
            sq += 2.0 * old * v + v * v
        self.sq = sq
        self.n += 1
        self.langs[d.lang] = self.langs.get(d.lang, 0) + 1


def day_number(d: Any) -> int | None:
    """A date (``date``, ``datetime``, ISO text, or a day number) as its proleptic
    Gregorian ordinal; None when missing or unreadable."""
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
