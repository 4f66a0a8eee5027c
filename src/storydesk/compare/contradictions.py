"""Contradictions between articles on typed details, with both sides, provenance, a
kind and a confidence.

Details are compared only between two sentences of different articles that state one
fact: the fact judge (:mod:`.judge`) gives the pair, read as if its figures agreed, a
probability of at least ``CompareSettings.judge_threshold``. Then

* **number / money / percent / age / duration**: quantities that measure the same thing
  (:mod:`.quantities`: kind, key such as "dead" or "%", and subject where a sentence
  states several) whose values do not meet ("12 dead" vs "at least 15 dead"; "more than
  30 hours" meets "30 hours"), where neither sentence also states a value agreeing with
  the other's;
* **date / time**: the dates (times) the two sentences state, resolved against each
  article's own date ("on Wednesday", "Mar. 4", "2026-03-04" are one day), have nothing in
  common; lines that are publication timestamps are no facts;
* **place**: each sentence names, after "in", "at", "near", "off"..., a place the other
  article never mentions at all ("off Tarr Island" vs "near Hollis Point");
* **quote_attribution**: the same quote (``quote_match`` of the shorter one's words)
  credited (:mod:`.quotes`) to different people, both known;
* **quote_wording**: the same quote credited to the same person with words changed (a
  shorter excerpt of the same words is no contradiction). Quotes of unknown speakers are
  not compared.

The confidence is the judge's probability times how sure the reading of the detail is
(``_CERTAINTY``): readers show the contradictions from ``min_confidence`` on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storydesk.settings import CompareSettings
from storydesk.summarize.single import display_text
from storydesk.text import stopwords

from .details import Quote, dates, quantities, quotes
from .quantities import like_pairs, measured, meets
from .quotes import credit
from .records import CompareArticle, Sentence

__all__ = ["Contradiction", "find_contradictions"]

# How sure the reading of each kind of detail is: an exact figure read against one of the
# same subject, a weekday resolved against two different article dates...
_CERTAINTY = {"number": 1.0, "number_qualified": 0.85, "number_subject_unseen": 0.9,
              "date": 0.9, "date_relative": 0.4, "time": 0.8, "place": 0.75,
              "quote_attribution": 0.9, "quote_wording": 0.8}
_LOCATIVE = re.compile(r"\b(?:in|at|near|off|outside|inside|from|to)\s+(?:the\s+)?$")
_URL = re.compile(r"https?\s*:|www\s*\.|\.\s*(?:com|org|net)\s*/", re.IGNORECASE)
_STAMP = re.compile(r"\b(?:last\s+)?(?:updated|published|posted)\b(?:\s+(?:at|on))?\s*[\d:]",
                    re.IGNORECASE)
_MIN_FACT_WORDS = 4  # words besides dates and times a sentence needs to state a fact
_RELATIVE = re.compile(r"^(?:yesterday|today|tonight|monday|tuesday|wednesday|thursday|"
                       r"friday|saturday|sunday)$", re.IGNORECASE)


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
    confidence: float = 1.0

    def to_dict(self, arts: Sequence[CompareArticle]) -> dict[str, Any]:
        return {
            "type": self.type,
            "about": self.about,
            "confidence": round(self.confidence, 3),
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


def _not_a_fact(text: str) -> bool:
    """A line that states no fact of the story: a publication or update stamp ("Updated
    10:32 a.m. EST", "December 15th, 2008, 7:35 am", a line that is a date and little
    more), a web address, a site's notice about cookies or personal data."""
    from storydesk.summarize.single import CHROME, chrome_anywhere

    from .details import _mask_dates

    if CHROME.match(text.strip()) or chrome_anywhere(text) or _URL.search(text):
        return True
    if _STAMP.search(text):
        return True
    return len(re.findall(r"[^\W\d_]{2,}", _mask_dates(text))) < _MIN_FACT_WORDS


def _event_places(text: str, places: Sequence[str]) -> list[str]:
    """The places of ``places`` that ``text`` names as where something is ("in X",
    "near X", "off the X"), longest first."""
    out = []
    for p in places:
        for m in re.finditer(rf"\b{re.escape(p)}\b", text):
            if _LOCATIVE.search(text[max(0, m.start() - 12):m.start()]):
                out.append(p)
                break
    return out


def _overlap(a: Quote, b: Quote) -> float:
    """Share of the shorter quote's content words (stop words aside; all words when it
    has none) found in the other."""
    stop = stopwords(None)  # English: what the judge was fitted on

    wa = [w for w in a.words if w not in stop] or list(a.words)
    wb = [w for w in b.words if w not in stop] or list(b.words)
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    pool = list(long_)
    hit = 0
    for w in short:
        if w in pool:
            pool.remove(w)
            hit += 1
    return hit / len(short) if short else 0.0


def _is_excerpt(a: Quote, b: Quote) -> bool:
    """True when the shorter quote's words occur, in order, in the longer one."""
    short, long_ = (a, b) if len(a.words) <= len(b.words) else (b, a)
    it = iter(long_.words)
    return all(w in it for w in short.words)


class _Found:
    """Contradictions collected so far, one per kind, detail and pair of readings (the
    most confident kept)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple, Contradiction] = {}

    def add(self, kind: str, about: str, a: Side, b: Side, confidence: float) -> None:
        if a.article > b.article:
            a, b = b, a
        key = (kind, about, a.article, b.article, a.normalised, b.normalised)
        if key not in self.by_key or self.by_key[key].confidence < confidence:
            self.by_key[key] = Contradiction(kind, about, [a, b], confidence)


def find_contradictions(
    arts: Sequence[CompareArticle],
    sents: Sequence[Sentence],
    same: np.ndarray,
    infos: Sequence[ArticleInfo],
    settings: CompareSettings,
) -> list[Contradiction]:
    """Contradictions between sentences of different articles; ``same``: the judge's
    probability that two sentences state one fact apart from their figures
    (:func:`.judge.judge_matrices`, rows as ``sents``)."""
    found = _Found()
    _detail_contradictions(arts, sents, same, infos, settings, found)
    _quote_contradictions(arts, sents, infos, settings, found)
    out = list(found.by_key.values())
    out.sort(key=lambda c: (c.sides[0].article, c.sides[0].sentence, c.type))
    return out


def _detail_contradictions(arts: Sequence[CompareArticle], sents: Sequence[Sentence],
                           same: np.ndarray, infos: Sequence[ArticleInfo],
                           settings: CompareSettings, found: _Found) -> None:
    """Numbers, dates, times and places of two sentences of different articles that the
    judge takes for one fact (at ``settings.judge_threshold``)."""
    tol = settings.approx_tolerance
    art = np.array([s.article for s in sents])
    ii, jj = np.nonzero(np.triu(same >= settings.judge_threshold, 1)
                        & (art[:, None] != art[None, :]))
    keep = [(i, j) for i, j in zip(ii.tolist(), jj.tolist(), strict=True)]
    rows = sorted({r for pair in keep for r in pair})
    stamp = {r: _not_a_fact(sents[r].text) for r in rows}
    keep = [(i, j) for i, j in keep if not stamp[i] and not stamp[j]]
    qty = {r: measured(sents[r].text, quantities(sents[r].text, tol)) for r in rows}
    dts = {r: dates(sents[r].text, arts[sents[r].article].date) for r in rows}
    add = found.add
    for i, j in keep:
        si, sj = sents[i], sents[j]
        p = float(same[i, j])
        # numbers: like against like, never every number against every number
        for x, y, seen in like_pairs(qty[i], qty[j]):
            qa, qb = x.q, y.q
            if meets(qa, qb):
                continue
            if any(z.q.key == qa.key and meets(z.q, qa) for z in qty[j]) or any(
                    z.q.key == qb.key and meets(z.q, qb) for z in qty[i]):
                continue
            sure = _CERTAINTY["number_qualified" if qa.rel or qb.rel else "number"]
            if not seen:
                sure *= _CERTAINTY["number_subject_unseen"]
            kind = "number" if qa.kind in ("count", "duration") else qa.kind
            add(kind, qa.key, Side(si.article, si.index, qa.text, qa.normalised, si.text),
                Side(sj.article, sj.index, qb.text, qb.normalised, sj.text), p * sure)
        # dates and times of one fact
        for kind in ("date", "time"):
            da = {d.value: d.text for d in dts[i] if d.kind == kind}
            db = {d.value: d.text for d in dts[j] if d.kind == kind}
            if da and db and not set(da) & set(db):
                va, vb = sorted(da)[0], sorted(db)[0]
                sure = _CERTAINTY[kind]
                if kind == "date" and (_RELATIVE.match(da[va].strip()) or _RELATIVE.match(
                        db[vb].strip())) and arts[si.article].date != arts[sj.article].date:
                    sure = _CERTAINTY["date_relative"]
                add(kind, kind, Side(si.article, si.index, da[va], va, si.text),
                    Side(sj.article, sj.index, db[vb], vb, sj.text), p * sure)
        # places of the event
        pa = _event_places(si.text, infos[si.article].places)
        pb = _event_places(sj.text, infos[sj.article].places)
        only_a = [x for x in pa if x.lower() not in infos[sj.article].text_lower]
        only_b = [x for x in pb if x.lower() not in infos[si.article].text_lower]
        if only_a and only_b:
            add("place", "place", Side(si.article, si.index, only_a[0], only_a[0], si.text),
                Side(sj.article, sj.index, only_b[0], only_b[0], sj.text),
                p * _CERTAINTY["place"])


def _quote_contradictions(arts: Sequence[CompareArticle], sents: Sequence[Sentence],
                          infos: Sequence[ArticleInfo], settings: CompareSettings,
                          found: _Found) -> None:
    """Quotes credited to their speakers, compared only when both speakers are known:
    one quote credited to two people, or one person's quote worded differently."""
    add = found.add
    qs: list[tuple[int, Quote, str, float]] = []
    rows_of: dict[int, list[int]] = {}
    for r, s in enumerate(sents):
        rows_of.setdefault(s.article, []).append(r)
    for ai, a in enumerate(arts):
        arows = rows_of.get(ai, [])
        texts = [sents[k].text for k in arows]
        for q, qstart, qend in quotes(a.text, settings.min_quote_words):
            # the sentence the quote ends in carries its attribution ("...," X said)
            pos = next((n for n, k in enumerate(arows)
                        if sents[k].start <= qend - 1 < sents[k].end), None)
            if pos is None:
                continue
            first = next((n for n, k in enumerate(arows)
                          if sents[k].start <= qstart < sents[k].end), pos)
            who = credit(texts, pos, infos[ai].persons) or (
                credit(texts, first, infos[ai].persons) if first != pos else None)
            if who:
                qs.append((arows[first], q, *who))
    for k, (ri, qa, spa, ca) in enumerate(qs):
        for rj, qb, spb, cb in qs[k + 1:]:
            si, sj = sents[ri], sents[rj]
            overlap = _overlap(qa, qb)
            if si.article == sj.article or overlap < settings.quote_match:
                continue
            if spa != spb:
                add("quote_attribution", qa.text if len(qa.words) <= len(qb.words) else qb.text,
                    Side(si.article, si.index, qa.text, spa, si.text),
                    Side(sj.article, sj.index, qb.text, spb, sj.text),
                    overlap * min(ca, cb) * _CERTAINTY["quote_attribution"])
            elif not _is_excerpt(qa, qb):
                add("quote_wording", spa,
                    Side(si.article, si.index, qa.text, " ".join(qa.words), si.text),
                    Side(sj.article, sj.index, qb.text, " ".join(qb.words), sj.text),
                    overlap * min(ca, cb) * _CERTAINTY["quote_wording"])
