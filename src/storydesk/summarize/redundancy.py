"""Whether two summary sentences state one fact: a cheap containment test, then the judge.

Word-level similarity misses a fact said twice in other words ("The ministry says Renko
embezzled money from a charity." after "The ministry said Renko was suspected of
embezzling 18 million in donations to a charitable foundation."): the cosine of the two
is low because the longer one says more. What gives it away is *containment*: nearly all
of what the shorter one says, the other says too. For sentences ``a`` and ``b``:

* ``contained(a, b)``: the share of ``a``'s content terms (the text layer's stems, stop
  words out), each weighted by its IDF over the story's sentences, that ``b`` also has;
* ``agrees(a, b)``: every number ``a`` states and every name (a capitalised word not
  opening the sentence) it mentions is in ``b`` too: a sentence that adds a figure or a
  person adds a fact.

The two state one fact when one is contained in the other at ``contain`` or more and
agrees with it (:meth:`Repeats.contains`; :meth:`Repeats.covered` asks the same of a
sentence against several taken together); or, with a fact judge given
(:class:`~.provenance.FactJudge`, passed in by the caller), when one is contained in the
other at ``ask`` or more and the judge deems them one fact (probability ``judge``, 0.5).
Only pairs past that cheap filter reach the judge, and each pair is asked once
(:meth:`Repeats.same`).

Neither catches two outlets' openings that tell one event in their own words, each with a
detail of its own ("The Angels have offered an eight-year contract to Mark Teixeira,
general manager Tony Reagins said." / "The Los Angeles Angels made an eight-year offer to
first baseman Mark Teixeira in Las Vegas."): a name or place of its own breaks agreement,
and the judge, fitted on single facts, scores such a pair low (0.20). The **event test**
(:meth:`Repeats.retells`) reads the story itself: its event words are the content terms
that at least ``event_df`` of the articles' opening sentences use, and at least three
(what the outlets lead with: who, what, where), each weighted by how many do; where the
first sentences give too few (outlets opening on a hook), the first two or three. A sentence
tells a taken one's event again when it shares at least ``event_min`` of them with it and
those hold at least ``event_share`` of the weight of the event words it uses; what else it
says is detail.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storydesk.settings import RedundancyParams
from storydesk.text import content_terms

from .provenance import FactJudge

__all__ = ["RedundancyParams", "Repeats", "sentence_claims"]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][\w'’-]*")


@dataclass(frozen=True)
class Claims:
    """What a sentence says, for the repeat test."""

    terms: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]


def sentence_claims(text: str, language: str | None = None,
                    terms: frozenset[str] | None = None) -> Claims:
    """A sentence's content terms (``terms`` when they are known already), numbers
    (``9,000`` read as ``9000``) and names (capitalised words after the first word, lower
    case; none in caseless scripts)."""
    numbers = frozenset(n.replace(",", "") for n in _NUMBER.findall(text))
    first = re.search(r"\w", text)
    names = frozenset(m.group().lower() for m in _NAME.finditer(text)
                      if first is not None and m.start() > first.start())
    if terms is None:
        terms = frozenset(content_terms(text, language))
    return Claims(terms, numbers, names)


class Repeats:
    """The repeat test over sentences ``texts``, asked by sentence index, with IDF over
    ``context`` (the story's sentences, as (text, language); default ``texts``);
    ``judge``: the fact judge, or None (containment and agreement only)."""

    def __init__(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None,
        params: RedundancyParams = RedundancyParams(), judge: FactJudge | None = None,
        context: Sequence[tuple[str, str | None]] | None = None,
    ) -> None:
        self.texts = texts
        # each distinct (text, language) read once: the context holds the texts too, and
        # a wire text told twice
        seen: dict[tuple[str, str | None], frozenset[str]] = {}
        for key in context or ():
            if key not in seen:
                seen[key] = frozenset(content_terms(*key))
        self.claims = []
        for i, t in enumerate(texts):
            key = (t, languages[i] if languages else None)
            self.claims.append(sentence_claims(*key, terms=seen.get(key)))
        df: Counter[str] = Counter()
        if context is None:
            for c in self.claims:
                df.update(c.terms)
        else:
            for key in context:
                df.update(seen[key])
        n = len(texts) if context is None else len(context)
        self.idf = {t: math.log((n + 1) / (d + 0.5)) + 1.0 for t, d in df.items()}
        top = math.log(n + 1) + 1.0 + math.log(2)  # a term the context lacks: rarest
        for c in self.claims:  # (not c.terms - self.idf.keys(): that copies every key)
            for t in c.terms:
                if t not in self.idf:
                    self.idf[t] = top
        self.total = [sum(self.idf[t] for t in c.terms) for c in self.claims]
        self.params = params
        self.judge = judge
        self.asked: dict[tuple[int, int], bool] = {}
        self.unions: dict[tuple[int, ...], Claims] = {}
        self.events: dict[str, float] = {}  # set by set_openings

    def contained(self, a: int, b: int) -> float:
        """IDF-weighted share of sentence ``a``'s content terms that ``b`` has too."""
        ta, tb = self.claims[a].terms, self.claims[b].terms
        total = self.total[a]
        return sum(self.idf[t] for t in ta & tb) / total if total else 0.0

    def agrees(self, a: int, b: int) -> bool:
        """Every number and name of sentence ``a`` is in ``b`` too."""
        ca, cb = self.claims[a], self.claims[b]
        return ca.numbers <= cb.numbers and ca.names <= cb.names

    def covered(self, a: int, chosen: Sequence[int]) -> bool:
        """Sentence ``a`` says little the sentences ``chosen`` do not say together: at
        least ``contain`` of its IDF-weighted content terms are theirs, and so are all its
        numbers and names."""
        if not chosen:
            return False
        ca = self.claims[a]
        key = tuple(chosen)
        if key not in self.unions:
            self.unions[key] = Claims(
                frozenset().union(*(self.claims[b].terms for b in chosen)),
                frozenset().union(*(self.claims[b].numbers for b in chosen)),
                frozenset().union(*(self.claims[b].names for b in chosen)))
        u = self.unions[key]
        if not (ca.numbers <= u.numbers and ca.names <= u.names):
            return False
        total = self.total[a]
        return bool(total) and \
            sum(self.idf[t] for t in ca.terms & u.terms) / total >= self.params.contain

    def contains(self, a: int, b: int) -> bool:
        """One of the two holds the other (containment and agreement): no judge needed."""
        p = self.params
        return (self.contained(a, b) >= p.contain and self.agrees(a, b)) or \
            (self.contained(b, a) >= p.contain and self.agrees(b, a))

    def to_ask(self, a: int, b: int) -> bool:
        """The pair passes the cheap filter: the judge (if any) should decide."""
        return self.judge is not None and \
            max(self.contained(a, b), self.contained(b, a)) >= self.params.ask

    def same(self, a: int, b: int) -> bool:
        """Sentences ``a`` and ``b`` state one fact (see the module doc)."""
        key = (min(a, b), max(a, b))
        if key not in self.asked:
            self.asked[key] = self.contains(a, b) or (
                self.to_ask(a, b) and self.judge is not None
                and float(self.judge.between([self.texts[a]], [self.texts[b]])[0, 0])
                >= self.params.judge)
        return self.asked[key]

    def set_openings(self, openings: Sequence[Sequence[int]]) -> None:
        """The story's event words from each article's opening (``openings``: per
        article, the sentence indices of its first eligible sentences, in order): each
        content term in at least ``event_df`` of the openings, and in 3, weighted by the
        number of openings that use it (``events``). An opening is an article's first
        sentence; where those give fewer than ``event_words`` such terms (outlets that
        open on a hook: "It's about time, right?"), its first two, and so on up to
        ``event_lead`` sentences."""
        for width in range(1, max(1, self.params.event_lead) + 1):
            df: Counter[str] = Counter()
            seen: set[tuple[int, ...]] = set()
            for rows in openings:
                key = tuple(rows[:width])
                if key and key not in seen:
                    seen.add(key)
                    df.update(set().union(*(self.claims[a].terms for a in key)))
            # in 3 at least: with two openings, all they share would count as "the
            # event", and any sentence sharing three words with the other opening would
            # retell it
            floor = max(3.0, self.params.event_df * len(seen))
            self.events = {t: float(d) for t, d in df.items() if d >= floor}
            if len(self.events) >= self.params.event_words:
                break

    def retells(self, a: int, chosen: Sequence[int]) -> bool:
        """Sentence ``a`` tells the event of one of ``chosen`` again: it shares at least
        ``event_min`` of the story's event words with that one, and they hold at least
        ``event_share`` of the weight of the event words ``a`` uses (what else it says is
        detail)."""
        p = self.params
        ev = self.events
        own = [t for t in self.claims[a].terms if t in ev]
        if p.event_min <= 0 or len(own) < p.event_min:
            return False
        total = sum(ev[t] for t in own)
        for b in chosen:
            tb = self.claims[b].terms
            shared = [t for t in own if t in tb]
            if len(shared) >= p.event_min and sum(ev[t] for t in shared) >= p.event_share * total:
                return True
        return False

    def ask_many(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Decide ``pairs`` at once: the pairs that need the judge go to it in one call."""
        todo = [(min(a, b), max(a, b)) for a, b in pairs]
        todo = [k for k in dict.fromkeys(todo) if k not in self.asked]
        need = []
        for k in todo:
            if self.contains(*k):
                self.asked[k] = True
            elif self.to_ask(*k):
                need.append(k)
            else:
                self.asked[k] = False
        if need and self.judge is not None:
            left = sorted({a for a, _ in need})
            right = sorted({b for _, b in need})
            li = {v: r for r, v in enumerate(left)}
            ri = {v: c for c, v in enumerate(right)}
            mask = np.zeros((len(left), len(right)), dtype=bool)
            for a, b in need:
                mask[li[a], ri[b]] = True
            prob = self.judge.between_some([self.texts[i] for i in left],
                                           [self.texts[j] for j in right], mask)
            for a, b in need:
                self.asked[(a, b)] = bool(prob[li[a], ri[b]] >= self.params.judge)
