"""Typed details read from one sentence: quantities, dates and times, quotes.

A quantity is an interval, so that agreement stated differently is not a conflict:
"12" is [12, 12], "more than 150" and "over 150" are (150, inf), "at least 12" is
[12, inf), "about 14 million" is 14e6 +/- ``approx_tolerance``, "between 5 and 7" is
[5, 7]. Two quantities contradict each other only when their intervals do not meet.
Each quantity has a *kind* (count, money, percent, age, duration) and a *key* saying
what it counts ("dead", "crowns", "hours"), so that only like with like is compared.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from storydesk.extract.dates import find_dates
from storydesk.text import mend_numbers
from storydesk.text.sentences import MONTHS, WEEKDAYS

__all__ = ["Quantity", "DateMention", "Quote", "quantities", "dates", "quotes", "strip_dateline"]

_WORDNUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
    "several hundred": 300, "hundreds": 200, "thousands": 2000, "dozens": 24,
}
_SCALE = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
          "trillion": 1e12}
_CURRENCY = {
    "$": "dollars", "€": "euros", "£": "pounds", "¥": "yen", "dollar": "dollars",
    "dollars": "dollars", "usd": "dollars", "euro": "euros", "euros": "euros", "eur": "euros",
    "pound": "pounds", "pounds": "pounds", "crown": "crowns", "crowns": "crowns",
    "kronor": "crowns", "kroner": "crowns", "rouble": "roubles", "roubles": "roubles",
    "rubles": "roubles", "yuan": "yuan", "francs": "francs",
}
# Words that say what a count counts; each group is one key.
_GROUPS = {
    "dead": "dead", "killed": "dead", "deaths": "dead", "died": "dead", "fatalities": "dead",
    "lives": "dead", "toll": "dead", "bodies": "dead", "killing": "dead",
    "injuring": "injured", "wounding": "injured", "arresting": "arrested",
    "detaining": "arrested", "injured": "injured", "wounded": "injured", "hurt": "injured",
    "injuries": "injured",
    "missing": "missing",
    "arrested": "arrested", "detained": "arrested", "arrests": "arrested",
    "detentions": "arrested",
    "people": "people", "persons": "people", "residents": "people",
    "passengers": "passengers", "vessels": "vessels", "ships": "vessels", "boats": "vessels",
    "hours": "hours", "hour": "hours", "days": "days", "day": "days", "weeks": "weeks",
    "week": "weeks", "months": "months", "month": "months", "years": "years", "year": "years",
    "minutes": "minutes", "minute": "minutes",
    "kilometres": "km", "kilometers": "km", "km": "km", "kilometre": "km", "kilometer": "km",
    "miles": "miles", "metres": "metres", "meters": "metres", "m": "metres",
    "stops": "stops", "stations": "stations", "members": "members", "officials": "officials",
    "workers": "workers", "dockworkers": "workers", "staff": "workers",
    "employees": "workers", "homes": "homes", "houses": "homes", "buildings": "buildings",
    "seats": "seats", "votes": "votes", "troops": "troops", "soldiers": "troops",
    "protesters": "protesters", "demonstrators": "protesters", "beds": "beds",
    "degrees": "degrees", "tonnes": "tonnes", "tons": "tonnes", "magnitude": "magnitude",
}
_EVENTS = {"dead", "injured", "missing", "arrested"}
# Scales named right before or after a number ("magnitude 5.4", "a 5.4 magnitude quake"):
# the number measures the scale, whatever the sentence goes on to count.
_MEASURE_BEFORE = {"magnitude", "category", "level", "grade", "force"}
_DURATION = {"hours", "days", "weeks", "months", "years", "minutes"}
_SKIP_WORDS = {"of", "the", "a", "an", "more", "other", "new", "local", "were", "was", "have",
               "had", "been", "are", "is", "and", "who", "people"}
_LOWER = {  # (lower bound is open, upper infinite)
    "more than": ">", "over": ">", "above": ">", "in excess of": ">", "upwards of": ">",
    "at least": ">=", "no fewer than": ">=", "no less than": ">=", "a minimum of": ">=",
    "fewer than": "<", "less than": "<", "under": "<", "below": "<", "within": "<=",
    "up to": "<=", "at most": "<=", "as many as": "<=", "no more than": "<=",
    "about": "~", "around": "~", "some": "~", "roughly": "~", "approximately": "~",
    "nearly": "~<", "almost": "~<", "close to": "~<", "an estimated": "~", "estimated": "~",
    "just over": "~>", "just under": "~<",
}
_QUAL = "|".join(sorted((re.escape(k) for k in _LOWER), key=len, reverse=True))
_NUMWORD = "|".join(sorted((re.escape(k) for k in _WORDNUM), key=len, reverse=True))
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|\.\d+|(?:{_NUMWORD}))"  # .38: a figure under one
_SCALES = r"(?:thousand|million|mln|billion|bn|trillion|m)\b"
_QTY = re.compile(
    rf"(?<![\w.,])(?:(?P<qual>{_QUAL})\s+)?(?:between\s+(?P<lo>{_NUM})\s+and\s+)?"
    rf"(?P<cur>[$€£¥])?\s?(?P<num>{_NUM})(?:\s*(?:-|–|to)\s*(?P<hi>\d+(?:\.\d+)?))?"
    rf"(?:\s*(?P<scale>{_SCALES}))?(?P<pct>\s*(?:%|per\s?cent\b|percent\b))?(?![\w])"
    rf"(?P<hyph>-(?:year-old|hour|day|week|month|kilometre|km|metre|storey|point|minute)s?)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")
_TIME = re.compile(
    r"(?<![\d:])(?P<h>[0-2]?\d)(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
    r"|(?<![\d:.])(?P<h2>[0-2]?\d):(?P<m2>[0-5]\d)(?![\d:])",
    re.IGNORECASE,
)
_MONTHS = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON_RE = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_PARTIAL = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MON_RE})\b\.?(?!\s*\d{{4}})"
    rf"|\b(?P<m2>{_MON_RE})\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:on|last|this|late on|early on|since)\s+(?P<w>" + "|".join(WEEKDAYS)
                      + r")\b(?!,?\s+(?:\d|" + _MON_RE + r"))", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?P<w>yesterday|today|tonight)\b", re.IGNORECASE)
_DATELINE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ .'-]{2,}(?:,[^.\n]{0,60}?)?\s*(?:[-–—]{1,2}|:)\s+")
_QUOTE = re.compile(r"[\"“”]([^\"“”\n]{3,}?)[\"“”]|(?<![\w])[‘]([^‘’]{3,}?)[’](?![\w])")


@dataclass(frozen=True)
class Quantity:
    kind: str  # count | money | percent | age | duration
    key: str  # what is counted: "dead", "crowns", "hours", "%"...
    low: float
    high: float
    low_open: bool
    high_open: bool
    text: str
    value: float = 0.0
    rel: str = ""
    start: int = -1  # where it lies in the sentence without its dateline (strip_dateline)
    end: int = -1

    def agrees(self, other: Quantity) -> bool:
        """True when the two intervals meet (bounds compared with their openness)."""
        lo, lo_open = max((self.low, self.low_open), (other.low, other.low_open))
        hi, hi_open = min((self.high, not self.high_open), (other.high, not other.high_open))
        hi_open = not hi_open
        if lo < hi:
            return True
        return lo == hi and not lo_open and not hi_open

    @property
    def normalised(self) -> str:
        """The value in plain figures: "15 dead", ">150 injured", "~1.4e+07 crowns"."""
        if self.low != self.high and not math.isinf(self.high) and not self.rel:
            return f"{self.low:g}-{self.high:g} {self.key}"
        return f"{self.rel}{self.value:g} {self.key}"


def _value(s: str) -> float | None:
    s = s.lower().strip()
    if s in _WORDNUM:
        return float(_WORDNUM[s])
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def strip_dateline(text: str) -> str:
    """The sentence without a leading dateline ("KARSK, Ostmark, March 5 (Wire) - ")."""
    m = _DATELINE.match(text)
    return text[m.end():] if m and m.end() < 120 else text


def _key_after(words: list[str], before: list[str]) -> str | None:
    if before and _GROUPS.get(before[-1].lower()) in _EVENTS:
        return _GROUPS[before[-1].lower()]
    for w in (before[-1:] + words[:1]):  # "magnitude 5.4 quake", "a 5.4 magnitude quake"
        if w.lower() in _MEASURE_BEFORE:
            return _GROUPS.get(w.lower(), w.lower())
    found = [_GROUPS[w.lower().strip("'’")] for w in words[:4] if w.lower().strip("'’") in _GROUPS]
    events = [k for k in found if k in _EVENTS]
    if events:
        return events[0]
    if found:
        return found[0]
    for w in reversed(before[-3:]):
        lw = w.lower()
        if lw in _GROUPS and _GROUPS[lw] in _EVENTS:
            return _GROUPS[lw]
    for w in words[:2]:
        lw = w.lower()
        if lw not in _SKIP_WORDS and lw.isalpha() and len(lw) > 2:
            return lw.rstrip("s")
    return None


def quantities(text: str, tolerance: float) -> list[Quantity]:
    """The quantities of a sentence (years, dates, times and ordinals left out), read
    with the numbers a tokenizer broke mended ("a 6. 1 - magnitude quake" is 6.1)."""
    body = mend_numbers(strip_dateline(text), keep_offsets=True)
    masked = _mask_dates(body)
    out: list[Quantity] = []
    for m in _QTY.finditer(masked):
        raw = m.group("num")
        v = _value(raw)
        if v is None:
            continue
        if raw.isdigit() and len(raw) == 4 and 1900 <= v <= 2100 and not m.group("scale") \
                and not m.group("pct") and not m.group("cur"):
            continue  # a year
        after = _WORD.findall(re.split(r"[,;:.!?]", masked[m.end():m.end() + 60])[0])
        before = _WORD.findall(masked[max(0, m.start() - 40):m.start()])
        scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
        hyph = (m.group("hyph") or "").lower()
        cur = m.group("cur")
        kind = "count"
        if m.group("pct"):
            kind, key = "percent", "%"
        elif cur or (after and after[0].lower() in _CURRENCY):
            kind = "money"
            key = _CURRENCY[cur] if cur else _CURRENCY[after[0].lower()]
        elif hyph.startswith("-year-old") or (after[:2] and [w.lower() for w in after[:2]]
                                               == ["years", "old"]) or (
                before and before[-1].lower() in {"aged", "age"}):
            kind, key = "age", "years old"
        else:
            if hyph:
                after = [hyph.strip("-")] + after
            k = _key_after(after, before)
            if k is None:
                continue
            key = _GROUPS.get(k, k)
            if raw.lower() in _WORDNUM and not m.group("qual") and key not in _GROUPS.values():
                continue  # "one of the...", "two leaders": too vague to compare
            if key in _DURATION:
                kind = "duration"
        v *= scale
        lo = hi = v
        lo_open = hi_open = False
        if m.group("lo") is not None and (lv := _value(m.group("lo"))) is not None:
            lo = lv * scale
        if m.group("hi") is not None and (hv := _value(m.group("hi"))) is not None \
                and hv * scale > v:
            hi = hv * scale
        qual = (m.group("qual") or "").lower()
        rel = _LOWER.get(qual, "")
        if rel == ">":
            hi, lo_open = math.inf, True
        elif rel == ">=":
            hi = math.inf
        elif rel == "<":
            lo, hi_open = 0.0, True
        elif rel == "<=":
            lo = 0.0
        elif rel.startswith("~"):
            lo, hi = lo * (1 - tolerance), hi * (1 + tolerance)
            if rel == "~<":
                hi = v
            elif rel == "~>":
                lo = v
        if raw.lower() in ("dozens", "hundreds", "thousands", "several hundred"):
            lo, hi, rel = v / 2, math.inf, "~"
        elif raw.lower() in _WORDNUM and raw.lower().endswith("dozen") and not rel:
            lo, hi = 10.0, 14.0  # "a dozen" is rarely exact
        shown = {">": ">", ">=": ">=", "<": "<", "<=": "<="}.get(rel, "~" if rel else "")
        out.append(Quantity(kind, key, lo, hi, lo_open, hi_open, " ".join(m.group(0).split()),
                            v, shown, m.start(), m.end()))
    return out


@dataclass(frozen=True)
class DateMention:
    kind: str  # "date" | "time"
    value: str  # ISO date, or HH:MM
    text: str


def _mask_dates(text: str) -> str:
    """The text with dates and times blanked out (so their digits are no quantities)."""
    chars = list(text)
    for start, end, _ in _date_spans(text, None):
        chars[start:end] = " " * (end - start)
    for m in _TIME.finditer(text):
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


def _date_spans(text: str, today: date | None) -> list[tuple[int, int, str | None]]:
    spans: list[tuple[int, int, str | None]] = []
    taken = [False] * (len(text) + 1)
    for start, end, iso in find_dates(text):
        spans.append((start, end, iso[:10]))
        for k in range(start, end):
            taken[k] = True
    for m in _PARTIAL.finditer(text):
        if taken[m.start()]:
            continue
        mon = _MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
        day = int(m.group("d1") or m.group("d2"))
        iso = None
        if today is not None and 1 <= day <= 31:
            year = today.year
            try:
                d = date(year, mon, day)
                if (d - today).days > 200:
                    d = date(year - 1, mon, day)
                elif (today - d).days > 200:
                    d = date(year + 1, mon, day)
                iso = d.isoformat()
            except ValueError:
                iso = None
        spans.append((m.start(), m.end(), iso))
        for k in range(m.start(), m.end()):
            taken[k] = True
    if today is not None:
        for m in _WEEKDAY.finditer(text):
            if taken[m.start("w")]:
                continue
            wd = WEEKDAYS.index(m.group("w").lower())
            back = (today.weekday() - wd) % 7
            spans.append((m.start("w"), m.end("w"), (today - timedelta(days=back)).isoformat()))
        for m in _RELATIVE.finditer(text):
            shift = 1 if m.group("w").lower() == "yesterday" else 0
            spans.append((m.start(), m.end(), (today - timedelta(days=shift)).isoformat()))
    return spans


def dates(text: str, published: str | None) -> list[DateMention]:
    """Dates (ISO) and clock times the sentence states, resolved against the article's date."""
    body = strip_dateline(text)
    today = None
    if published:
        try:
            today = date.fromisoformat(published[:10])
        except ValueError:
            today = None
    out = [DateMention("date", iso, body[s:e]) for s, e, iso in _date_spans(body, today) if iso]
    for m in _TIME.finditer(body):
        h = int(m.group("h") or m.group("h2"))
        mi = int(m.group("m") or m.group("m2") or 0)
        ap = (m.group("ap") or "").lower()
        if ap == "p" and h < 12:
            h += 12
        elif ap == "a" and h == 12:
            h = 0
        if h < 24:
            out.append(DateMention("time", f"{h:02d}:{mi:02d}", m.group(0).strip()))
    return out


@dataclass(frozen=True)
class Quote:
    text: str
    words: tuple[str, ...]


def quotes(text: str, min_words: int) -> list[tuple[Quote, int, int]]:
    """Quoted passages of at least ``min_words`` words, with where they lie in ``text``."""
    out = []
    for m in _QUOTE.finditer(text):
        q = (m.group(1) or m.group(2) or "").strip()
        words = tuple(w.lower() for w in re.findall(r"\w+", q))
        if len(words) >= min_words:
            out.append((Quote(q, words), m.start(), m.end()))
    return out
