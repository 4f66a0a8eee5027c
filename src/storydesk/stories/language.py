"""Language-aware bars for story grouping.

Two facts of a multilingual stream that one bar for every article ignores:

* **Languages differ in how alike unrelated articles look.** Stop-word lists,
  inflection and boilerplate differ, so the cosine of two articles about different
  events runs higher in some languages (Arabic, French, Chinese) than in others
  (English, Russian). ``Languages.level`` measures it from the stream itself: the mean
  cosine between two articles of one language over every article of it seen so far
  (from the running sum of their unit vectors: no pairs are kept). A story's bar is
  never under ``noise_ratio`` x that level (at most ``noise_floor_max``) while the
  stream's typical bar is under it (``Scorer.lang_floor``). This breaks a feedback
  loop: in a stream where most events have one or two reports, the stories of three or
  more members that set the typical cohesion are often chains of several events, whose
  low cohesion lowered every bar, which let more chains form.
* **Two languages share only what travels**: names (transliterated), numbers, dates,
  cited agencies. The cosine of two reports of one event in two languages is a fraction
  of what it is within one, so across two languages the bar is ``cross_language_ratio``
  x the bar within one (``factors``).

A story's language is the language of most of its evidence members. Code 0 is
"unknown" and is read as any language.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storydesk.settings import StorySettings
from storydesk.text import base_language

__all__ = ["Languages", "dominant"]


def dominant(counts: dict[int, int]) -> int:
    """The language code most members are in (0 for none; ties: the first counted)."""
    best, best_n = 0, 0
    for code, n in counts.items():
        if n > best_n:
            best, best_n = code, n
    return best


class Languages:
    """Language codes of a grouper, and each language's background similarity."""

    def __init__(self, settings: StorySettings) -> None:
        self.settings = settings
        self.names: list[str] = [""]
        self._codes: dict[str, int] = {"": 0}
        self._sum: dict[int, dict[int, float]] = {}
        self._sq: dict[int, float] = {}
        self._n: dict[int, int] = {}

    def code(self, language: str | None) -> int:
        """The code of a language tag (its ISO 639-1 part; 0 when unknown)."""
        key = base_language(language) or ""
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = len(self.names)
            self.names.append(key)
        return code

    def count(self, code: int, idx: Sequence[int], vec: Sequence[float]) -> None:
        """Count one article's unit vector (term ids and values) in its language."""
        s = self._sum.setdefault(code, {})
        sq = self._sq.get(code, 0.0)
        for t, v in zip(idx, vec, strict=True):
            old = s.get(t, 0.0)
            s[t] = old + v
            sq += 2.0 * old * v + v * v
        self._sq[code] = sq
        self._n[code] = self._n.get(code, 0) + 1

    def level(self, code: int) -> float:
        """Mean cosine between two articles of the language; 0 until it has
        ``noise_min_articles``."""
        n = self._n.get(code, 0)
        if n < max(2, self.settings.noise_min_articles):
            return 0.0
        return max(0.0, (self._sq[code] - n) / (n * (n - 1)))

    def floor(self, code: int) -> float:
        """The lowest bar of a story in this language."""
        s = self.settings
        if s.noise_ratio <= 0:
            return s.min_affinity
        return max(s.min_affinity, min(s.noise_ratio * self.level(code), s.noise_floor_max))

    def factor(self, a: int, b: int) -> float:
        """Bar factor between two languages: 1 within one (or unknown), else
        ``cross_language_ratio``."""
        return 1.0 if a == 0 or b == 0 or a == b else self.settings.cross_language_ratio

    def factors(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``factor`` for language codes ``a`` (rows) against ``b`` (columns)."""
        same = (a[:, None] == b[None, :]) | (a[:, None] == 0) | (b[None, :] == 0)
        return np.where(same, 1.0, self.settings.cross_language_ratio)
