"""Contradictions between articles on typed details, with both sides and provenance.

Details are compared only between sentences that talk about the same thing: two
sentences of one aligned fact, or two sentences whose TF-IDF cosine reaches
``CompareSettings.context_threshold``. Then

* **number / money / percent / age / duration**: quantities of one kind counting the same
  thing ("dead", "crowns", "%") whose intervals do not meet ("12 dead" vs "at least
  15 dead"; never "over 150" vs "more than 150"), and neither sentence also states a
  value agreeing with the other's;
* **date / time**: the dates (times) the two sentences state, resolved against each
  article's date ("on Wednesday", "Mar. 4", "2026-03-04" are one day), have nothing in
  common;
* **place**: two sentences of one fact name places, and each names one the other
  article never mentions at all ("off Tarr Island" vs "near Hollis Point");
* **quote_attribution**: the same quote (``quote_match`` of the shorter one's words)
  is given to different people;
* **quote_wording**: the same quote, given to the same person or to nobody, with
  words changed (a shorter excerpt of the same words is no contradiction).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storydesk.settings import CompareSettings
from storydesk.summarize.single import display_text

from .details import Quote, dates, quantities, quotes
from .facts import AlignedFact, CompareArticle, Sentence

__all__ = ["Contradiction", "find_contradictions"]

_SPEECH = re.compile(
    r"\b(?:said|says|say|told|added|stated|declared|noted|explained|wrote|insisted|"
    r"according to|called)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she)\s+(?:said|says|added|told|noted)\b|"
                      r"\bsaid\s+(?:he|she)\b", re.IGNORECASE)


@dataclass
class Side:
    article: int
    sentence: int
    value: str
    normalised: str
    text: str


@dataclass
class Contradiction:
    type: str
    about: str
    sides: list[Side] = field(default_factory=list)

    def to_dict(self, arts: Sequence[CompareArticle]) -> dict[str, Any]:
        return {
            "type": self.type,
            "about": self.about,
            "sides": [
                {"article_id": arts[s.article].id, "sentence": s.sentence, "value": s.value,
                 "normalised": s.normalised, "text": display_text(s.text)}
                for s in self.sides
            ],
        }


@dataclass
class ArticleInfo:
    """What contradiction finding needs of each article, computed once."""

    places: list[str]
    persons: list[str]
    text_lower: str


def _context_pairs(
    sents: Sequence[Sentence], x: np.ndarray, facts: Sequence[AlignedFact],
    settings: CompareSettings,
) -> list[tuple[int, int, bool]]:
    """(row i, row j, same fact) for sentences of different articles sharing context:
    one fact, a cosine of ``context_threshold``, or two leads at ``lead_threshold``.
    Two leads count as one fact (for places)."""
    row = {(s.article, s.index): r for r, s in enumerate(sents)}
    fact_of: dict[int, int] = {}
    for k, f in enumerate(facts):
        for m in f.members:
            if m in row:
                fact_of[row[m]] = k
    art = np.array([s.article for s in sents])
    sim = x @ x.T
    lead = np.array([s.index < settings.lead_sentences for s in sents])
    ok = (sim >= settings.context_threshold) | (
        lead[:, None] & lead[None, :] & (sim >= settings.lead_threshold))
    pairs: list[tuple[int, int, bool]] = []
    ii, jj = np.nonzero(np.triu(ok, 1) & (art[:, None] != art[None, :]))
    seen = set()
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        same = (i in fact_of and fact_of.get(i) == fact_of.get(j)) or bool(lead[i] and lead[j])
        pairs.append((i, j, same))
        seen.add((i, j))
    for k in range(len(sents)):
        for m in range(k + 1, len(sents)):
            if (k, m) not in seen and k in fact_of and fact_of.get(k) == fact_of.get(m) \
                    and art[k] != art[m]:
                pairs.append((k, m, True))
    return pairs


def _speaker(sents: Sequence[Sentence], r: int, info: ArticleInfo) -> str | None:
    """The person a quote in sentence ``r`` is attributed to, by last name, if known."""
    text = sents[r].text
    outside = re.sub(r"[\"“”][^\"“”]*[\"“”]", " ", text)
    found = [(m.start(), p) for p in info.persons
             for m in re.finditer(rf"\b{re.escape(p)}\b", outside)]
    if found:
        verb = _SPEECH.search(outside)
        pos = verb.start() if verb else 0
        return min(found, key=lambda f: abs(f[0] - pos))[1].split()[-1]
    if _PRONOUN.search(outside):
        for k in range(r - 1, max(-1, r - 4), -1):
            if sents[k].article != sents[r].article:
                break
            prev = [(m.start(), p) for p in info.persons
                    for m in re.finditer(rf"\b{re.escape(p)}\b", sents[k].text)]
            if prev:
                return max(prev)[1].split()[-1]
    return None


def _overlap(a: Quote, b: Quote) -> float:
    short, long_ = (a, b) if len(a.words) <= len(b.words) else (b, a)
    pool = list(long_.words)
    hit = 0
    for w in short.words:
        if w in pool:
            pool.remove(w)
            hit += 1
    return hit / len(short.words)


def _is_excerpt(a: Quote, b: Quote) -> bool:
    """True when the shorter quote's words occur, in order, in the longer one."""
    short, long_ = (a, b) if len(a.words) <= len(b.words) else (b, a)
    it = iter(long_.words)
    return all(w in it for w in short.words)


def find_contradictions(
    arts: Sequence[CompareArticle],
    sents: Sequence[Sentence],
    x: np.ndarray,
    facts: Sequence[AlignedFact],
    infos: Sequence[ArticleInfo],
    settings: CompareSettings,
) -> list[Contradiction]:
    tol = settings.approx_tolerance
    qty = [quantities(s.text, tol) for s in sents]
    dts = [dates(s.text, arts[s.article].date) for s in sents]
    found: dict[tuple, Contradiction] = {}

    def add(kind: str, about: str, a: Side, b: Side) -> None:
        if a.article > b.article:
            a, b = b, a
        key = (kind, about, a.article, b.article, a.normalised, b.normalised)
        if key not in found:
            found[key] = Contradiction(kind, about, [a, b])

    for i, j, same in _context_pairs(sents, x, facts, settings):
        si, sj = sents[i], sents[j]
        # numbers
        for qa in qty[i]:
            for qb in qty[j]:
                if qa.kind != qb.kind or qa.key != qb.key or qa.agrees(qb):
                    continue
                if any(q.key == qa.key and q.agrees(qa) for q in qty[j]) or any(
                        q.key == qb.key and q.agrees(qb) for q in qty[i]):
                    continue
                kind = "number" if qa.kind in ("count", "duration") else qa.kind
                add(kind, qa.key, Side(si.article, si.index, qa.text, qa.normalised, si.text),
                    Side(sj.article, sj.index, qb.text, qb.normalised, sj.text))
        # dates and times
        for kind in ("date", "time"):
            da = {d.value: d.text for d in dts[i] if d.kind == kind}
            db = {d.value: d.text for d in dts[j] if d.kind == kind}
            if da and db and not set(da) & set(db) and (same or kind == "date"):
                va, vb = sorted(da)[0], sorted(db)[0]
                add(kind, kind, Side(si.article, si.index, da[va], va, si.text),
                    Side(sj.article, sj.index, db[vb], vb, sj.text))
        # places
        if same:
            pa = [p for p in infos[si.article].places if p in si.text]
            pb = [p for p in infos[sj.article].places if p in sj.text]
            only_a = [p for p in pa if p.lower() not in infos[sj.article].text_lower]
            only_b = [p for p in pb if p.lower() not in infos[si.article].text_lower]
            if only_a and only_b:
                add("place", "place", Side(si.article, si.index, only_a[0], only_a[0], si.text),
                    Side(sj.article, sj.index, only_b[0], only_b[0], sj.text))

    # quotes: every quote against every quote of another article
    qs: list[tuple[int, Quote, str | None]] = []
    rows_of: dict[int, list[int]] = {}
    for r, s in enumerate(sents):
        rows_of.setdefault(s.article, []).append(r)
    for ai, a in enumerate(arts):
        rows = rows_of.get(ai, [])
        for q, qstart, qend in quotes(a.text, settings.min_quote_words):
            # the sentence the quote ends in carries its attribution ("...," X said)
            r = next((k for k in rows if sents[k].start <= qend - 1 < sents[k].end), None)
            if r is None:
                continue
            first = next((k for k in rows if sents[k].start <= qstart < sents[k].end), r)
            qs.append((first, q, _speaker(sents, r, infos[ai]) or
                       _speaker(sents, first, infos[ai])))
    for k, (ri, qa, spa) in enumerate(qs):
        for rj, qb, spb in qs[k + 1:]:
            si, sj = sents[ri], sents[rj]
            if si.article == sj.article or _overlap(qa, qb) < settings.quote_match:
                continue
            if spa and spb and spa != spb:
                add("quote_attribution", qa.text if len(qa.words) <= len(qb.words) else qb.text,
                    Side(si.article, si.index, qa.text, spa, si.text),
                    Side(sj.article, sj.index, qb.text, spb, sj.text))
            elif not _is_excerpt(qa, qb):
                add("quote_wording", spa or spb or "",
                    Side(si.article, si.index, qa.text, " ".join(qa.words), si.text),
                    Side(sj.article, sj.index, qb.text, " ".join(qb.words), sj.text))
    out = list(found.values())
    out.sort(key=lambda c: (c.sides[0].article, c.sides[0].sentence, c.type))
    return out
