"""The candidate index: which stories to score an arriving article against.

Term -> stories holding a member whose top-weighted terms include it, capped per term
(the stories that took the term most recently stay), so placing an article never scans
every story.
"""

from __future__ import annotations

from collections.abc import Container

import numpy as np

from storydesk.settings import StorySettings


def top_terms(idx: np.ndarray, vec: np.ndarray, k: int) -> list[int]:
    """The ``k`` terms of largest weight (all of them when there are no more)."""
    if len(idx) <= k:
        return idx.tolist()
    return idx[np.argpartition(-vec, k - 1)[:k]].tolist()


class StoryIndex:
    """Inverted index from terms to stories, for candidate lookup."""

    def __init__(self, settings: StorySettings) -> None:
        self.settings = settings
        self._post: dict[int, dict[int, None]] = {}

    def add(self, top: list[int], sid: int) -> None:
        """Index story ``sid`` under a member's top terms."""
        cap = self.settings.posting_cap
        for t in top:
            post = self._post.get(t)
            if post is None:
                post = self._post[t] = {}
            elif sid in post:
                del post[sid]
            post[sid] = None
            if len(post) > cap:
                del post[next(iter(post))]

    def candidates(self, idx: np.ndarray, vec: np.ndarray, alive: Container[int]
                   ) -> list[int]:
        """Stories (among ``alive``) sharing the article's heaviest ``query_terms``
        terms, the ``candidates`` of most shared weight."""
        s = self.settings
        if len(idx) == 0:
            return []
        order = np.argsort(-vec)[: s.query_terms]
        acc: dict[int, float] = {}
        for j in order.tolist():
            post = self._post.get(int(idx[j]))
            if not post:
                continue
            w = float(vec[j])
            for sid in post:
                acc[sid] = acc.get(sid, 0.0) + w
        if len(acc) > s.candidates:
            best = sorted(acc.items(), key=lambda kv: -kv[1])[: s.candidates]
            return [sid for sid, _ in best if sid in alive]
        return [sid for sid in acc if sid in alive]
