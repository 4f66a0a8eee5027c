"""Which quantities of two sentences measure the same thing.

A quantity (:func:`.details.quantities`) has a kind and a key (what it counts: "dead",
"%", "hours"); a sentence may state several of one key ("Romney 21%, Gingrich 20%,
Paul 17%"), so each also has a *subject*: the names (capitalised words) of its clause
nearest to it. Two quantities are set against each other only when kind and key agree
and, where either sentence states several of that key, their subjects meet; never every
number of one sentence against every number of the other.

Qualified values meet the bare value at their bound: "more than 30 hours" and "30
hours" are no contradiction (the stated bound is usually that figure rounded), nor are
"up to 12" and "12", or "about 40" and "40".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storydesk.text import stopwords

from .details import Quantity, strip_dateline
from .judge import CAPITAL as _NAME

__all__ = ["Measured", "measured", "meets", "like_pairs"]

_CLAUSE = re.compile(r"[,;:()\[\]—–]|\band\b|\bwhile\b|\bwhereas\b|\bbut\b")
_WINDOW = 12  # words either side of a number (in its clause) where its subject is looked for


@dataclass(frozen=True)
class Measured:
    """A quantity with the names of its clause near it (lower case)."""

    q: Quantity
    subject: frozenset[str]


def measured(text: str, qs: Sequence[Quantity]) -> list[Measured]:
    """``qs`` (read from ``text``) with their subjects."""
    body = strip_dateline(text)
    bounds = [0, *(m.start() for m in _CLAUSE.finditer(body)), len(body)]
    stop = stopwords(None)  # English: what the judge was fitted on
    first = _NAME.match(body.lstrip("\"“‘'( "))
    if first and first.group(0).lower() not in stop:
        first = None  # "Ford finished with...": a name, not a capital of the first word
    out = []
    for q in qs:
        if q.start < 0:
            out.append(Measured(q, frozenset()))
            continue
        lo = max(b for b in bounds if b <= q.start)
        hi = min((b for b in bounds if b >= q.end), default=len(body))
        before = body[lo:q.start].split()[-_WINDOW:]
        after = body[q.end:hi].split()[:_WINDOW]
        names = {w.strip(".,'’\"”").lower() for w in (*before, *after) if _NAME.match(w)}
        if first and lo == 0:
            names.discard(first.group(0).lower())  # capitalised as the sentence's first word
        out.append(Measured(q, frozenset(n for n in names if len(n) > 1)))
    return out


def meets(a: Quantity, b: Quantity) -> bool:
    """True when the two values agree: their intervals meet, bounds counted as closed."""
    return max(a.low, b.low) <= min(a.high, b.high)


def like_pairs(a: Sequence[Measured], b: Sequence[Measured]
               ) -> list[tuple[Measured, Measured, bool]]:
    """Pairs of quantities of ``a`` and ``b`` that measure the same thing, with whether
    their subjects were seen to match (True) or are only not seen to differ."""
    out = []
    for x in a:
        for y in b:
            if x.q.kind != y.q.kind or x.q.key != y.q.key:
                continue
            many = sum(1 for z in a if z.q.key == x.q.key) > 1 or \
                sum(1 for z in b if z.q.key == y.q.key) > 1
            shared = bool(x.subject & y.subject)
            if x.subject and y.subject and not shared:
                continue  # two quantities of different subjects
            if many and not shared:
                continue  # several of this key: only the one of the same subject
            out.append((x, y, shared))
    return out
