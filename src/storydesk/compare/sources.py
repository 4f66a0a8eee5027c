"""The agencies and outlets each article cites, and which articles rewrite one copy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storydesk.dedup import NearDupIndex
from storydesk.extract.citations import find_citations
from storydesk.settings import CompareSettings, DedupSettings

from .records import CompareArticle

__all__ = ["cited_sources", "rewrites"]


def cited_sources(arts: Sequence[CompareArticle]) -> dict[Any, list[str]]:
    """Per article id: the sources it cites (its stored ``cited``, else read from its text)."""
    return {
        a.id: list(a.cited) if a.cited is not None else find_citations(f"{a.title}\n{a.text}")
        for a in arts
    }


def rewrites(
    arts: Sequence[CompareArticle], settings: CompareSettings, dedup: DedupSettings | None = None
) -> list[dict[str, Any]]:
    """Pairs of articles that are rewrites of one copy: estimated Jaccard of their word
    3-gram shingles (MinHash, as the store's near-duplicate check) at least
    ``rewrite_threshold``, or one stored as the other's ``duplicate_of``."""
    index = NearDupIndex(dedup or DedupSettings())
    sigs = [index.signature(a.text) for a in arts]
    out = []
    for i in range(len(arts)):
        for j in range(i + 1, len(arts)):
            share = index.similarity(sigs[i], sigs[j])
            stored = arts[i].duplicate_of == arts[j].id or arts[j].duplicate_of == arts[i].id
            if share >= settings.rewrite_threshold or stored:
                out.append({"articles": [arts[i].id, arts[j].id], "share": round(share, 3)})
    return out
