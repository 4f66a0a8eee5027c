"""Why an article is in its story: shared names and terms, days apart, similarity,
affinity against the story's bar. Plain dicts, shown by ``storydesk stories --why``
and stored with each placement."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from storydesk.stories.records import Doc, DocId, Story
from storydesk.stories.scoring import Scorer


def duplicate_why(orig: DocId) -> dict[str, Any]:
    """A copy of article ``orig``."""
    return {"reason": "duplicate", "duplicate_of": orig, "summary": f"copy of article {orig}"}


def joined_why(d: Doc, st: Story, ratio: float, aff: float, names: Mapping[int, str],
               ent_terms: set[int], scorer: Scorer) -> dict[str, Any]:
    """Why article ``d`` joins story ``st`` at ``ratio`` to its bar (affinity ``aff``).
    ``names``: term id -> a word it was seen as; ``ent_terms``: terms seen as names."""
    contrib = [(v * st.sum.get(t, 0.0), t) for t, v in
               zip(d.idx.tolist(), d.vec.tolist(), strict=True)]
    contrib = sorted((c for c in contrib if c[0] > 0), reverse=True)
    ents, terms = [], []
    seen: set[str] = set()
    for _, t in contrib:
        name = names.get(t, "?")
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        (ents if t in ent_terms else terms).append(name)
    k = scorer.settings.why_terms
    ents, terms = ents[:k], terms[:k]
    gap = st.gap(d.day)
    norm = math.sqrt(st.sq) if st.sq > 0 else 1.0
    cos = scorer.dot(d.idx.tolist(), d.vec.tolist(), st) / norm
    parts = []
    shared = ents + [t for t in terms if t not in ents]
    numbers = [t for t in shared if any(c.isdigit() for c in t)]
    langs = scorer.languages
    other = scorer.lang_of(st)
    across = langs.factor(d.lang, other) != 1.0 or (d.lang and other and d.lang != other)
    if across:  # what travelled between the two languages
        names_ = [t for t in ents if t not in numbers]
        links = ([f"names {', '.join(names_)}"] if names_ else []) + (
            [f"numbers {', '.join(numbers)}"] if numbers else [])
        parts.append(f"across languages ({langs.names[d.lang]} / {langs.names[other]}) "
                     f"through {'; '.join(links) or 'shared terms ' + ', '.join(shared[:k])}")
    elif shared:
        parts.append("shares " + ", ".join(shared[:k]))
    parts.append("undated" if gap is None else f"{gap} day{'s' if gap != 1 else ''} apart")
    parts.append(f"similarity {cos:.2f}")
    out = {"reason": "joined", "shared_entities": ents, "shared_terms": terms,
           "shared_numbers": numbers, "days_apart": gap, "similarity": round(cos, 3),
           "affinity": round(aff, 3), "threshold": round(scorer.threshold(st, d.lang), 3),
           "ratio": round(ratio, 3), "story_size": len(st.members),
           "summary": "; ".join(parts)}
    if across:
        out["languages"] = [langs.names[d.lang], langs.names[other]]
    return out


def member_why(doc_id: DocId, docs: Mapping[DocId, Doc], st: Story,
               names: Mapping[int, str], ent_terms: set[int],
               scorer: Scorer) -> dict[str, Any]:
    """Why a member is in its story ``st`` now, measured against the other members."""
    d = docs[doc_id]
    if d.dup and d.orig in docs and docs[d.orig].story == d.story:
        return duplicate_why(d.orig)
    others = st.n - (0 if d.dup else 1)
    if others <= 0:
        return {"reason": "new", "summary": "the only report of this story", "nearest": []}
    # leave the article out: a temporary story of the other members
    rest = Story(members={}, sum=dict(st.sum), sq=0.0, n=others, dmin=st.dmin, dmax=st.dmax,
                 langs=dict(st.langs))
    if not d.dup:
        for t, v in zip(d.idx.tolist(), d.vec.tolist(), strict=True):
            rest.sum[t] = rest.sum.get(t, 0.0) - v
        rest.langs[d.lang] = rest.langs.get(d.lang, 0) - 1
    rest.sq = sum(v * v for v in rest.sum.values())
    rest.members = {x: None for x in st.members if x != doc_id}
    aff = scorer.dot(d.idx.tolist(), d.vec.tolist(), rest) / others
    aff *= scorer.date_factor(d.day, rest)
    why = joined_why(d, rest, aff / scorer.threshold(rest, d.lang), aff, names, ent_terms,
                     scorer)
    why["story_size"] = len(st.members)
    return why
