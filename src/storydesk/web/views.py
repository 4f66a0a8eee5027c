"""What the story and article pages show, computed from plain data (no HTTP here):
sentences with the indexes summaries cite, a story's timeline, the outlets' accounts
side by side, the Atom feed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as Date
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup, escape

from storydesk.models import Article, Story
from storydesk.summarize import split_sentence_spans

TIMELINE_WIDTH = 600  # px of the SVG plot on the story page
TIMELINE_ROW = 18  # px per outlet row


def sentence_paragraphs(text: str) -> list[list[tuple[int, str]]]:
    """The text as paragraphs of (sentence index, sentence): the index is the one
    summaries cite (a sentence's position in ``split_sentences(text)``)."""
    spans = split_sentence_spans(text)
    paras: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    last_end = 0
    for i, s in enumerate(spans):
        if cur and "\n" in text[last_end:s.start]:
            paras.append(cur)
            cur = []
        cur.append((i, s.text))
        last_end = s.end
    if cur:
        paras.append(cur)
    return paras


def _day(value: str | None) -> Date | None:
    try:
        return Date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass
class TimelineDot:
    x: float
    y: float
    article: Article


@dataclass
class Timeline:
    """A plot of a story's articles: one row per outlet, x = date."""

    width: int
    height: int
    rows: list[tuple[str, float]]  # (outlet, y)
    dots: list[TimelineDot]
    first: str
    last: str


def timeline(articles: list[Article]) -> Timeline | None:
    dated = [(d, a) for a in articles if (d := _day(a.date))]
    if not dated:
        return None
    lo, hi = min(d for d, _ in dated), max(d for d, _ in dated)
    span = max((hi - lo).days, 1)
    outlets = sorted({a.outlet or "unknown" for _, a in dated}, key=str.lower)
    label_w, pad = 150, 12
    inner = TIMELINE_WIDTH - label_w - 2 * pad
    rows = [(o, pad + TIMELINE_ROW * i + TIMELINE_ROW / 2) for i, o in enumerate(outlets)]
    y_of = dict(rows)
    dots = []
    for d, a in sorted(dated, key=lambda p: (p[0], p[1].id or 0)):
        x = label_w + pad + (inner * (d - lo).days / span if hi > lo else inner / 2)
        dots.append(TimelineDot(round(x, 1), y_of[a.outlet or "unknown"], a))
    return Timeline(TIMELINE_WIDTH, int(2 * pad + TIMELINE_ROW * len(outlets)), rows, dots,
                    lo.isoformat(), hi.isoformat())


@dataclass
class SentenceRef:
    """A link to one sentence of a story's article (``/articles/{article_id}#s{sentence}``)."""

    article_id: int
    sentence: int
    n: int  # the article's number on the story page
    text: str = ""
    score: float | None = None  # tone of the sentence, where it carries the tone
    value: str = ""  # the detail a contradiction is about, as the sentence states it


@dataclass
class FactRow:
    text: str
    refs: list[SentenceRef]
    missing: list[int] = field(default_factory=list)  # numbers of articles leaving it out


@dataclass
class ClaimSide:
    """One account of a disputed detail: what it says and every sentence saying it."""

    value: str  # as the first of ``refs`` states it
    refs: list[SentenceRef]


@dataclass
class ContradictionRow:
    """The accounts that conflict on one detail (the pairwise contradictions on it,
    grouped by what each side says)."""

    type: str  # "number", "date", "place", "quote attribution" ...
    about: str
    sides: list[ClaimSide]


@dataclass
class CompareColumn:
    """One article's account: what only it reports, whom it cites, its tone."""

    article: Article
    n: int
    only: list[FactRow]
    cited: list[str]
    tone: str
    score: float
    tone_sentences: list[SentenceRef]
    stresses: list[str]
    states: int  # facts it shares with at least one other article
    leaves_out: int  # facts another article reports and it does not


@dataclass
class CompareView:
    shared: list[FactRow]
    partial: list[FactRow]
    columns: list[CompareColumn]
    contradictions: list[ContradictionRow]
    rewrites: list[tuple[list[int], float, float]]  # (numbers, least and most in common)
    outlets: dict[int, str]  # article id -> its outlet's name
    held_back: int = 0  # contradictions found below CompareSettings.min_confidence


def comparison_view(
    data: dict[str, Any], articles: list[Article], number: dict[int, int]
) -> CompareView:
    """The story page's side-by-side view of ``Desk.story_comparison``'s JSON:
    ``articles`` in page order, ``number`` their numbers on the page."""
    c = data["comparison"]
    known = {a.id for a in articles}

    def ref(src: dict[str, Any], **kw: Any) -> SentenceRef | None:
        aid = int(src["article_id"])
        if aid not in known:
            return None
        return SentenceRef(aid, int(src["sentence"]), number[aid], src.get("text", ""), **kw)

    def fact(f: dict[str, Any]) -> FactRow:
        refs = [r for s in f["sources"] if (r := ref(s))]
        present = {r.article_id for r in refs}
        return FactRow(f["text"], refs, [number[a.id] for a in articles
                                         if a.id not in present and a.id is not None])

    shared = [fact(f) for f in c["shared"]]
    partial = [fact(f) for f in c["partial"]]
    unique = {int(k): [fact(f) for f in v] for k, v in c["unique"].items()}
    total_facts = len(shared) + len(partial) + sum(len(v) for v in unique.values())
    columns = []
    for a in articles:
        if a.id is None:
            continue
        key = str(a.id)
        tone = c["tone"].get(key) or {}
        frames = c["framing"].get(key) or {}
        in_partial = sum(1 for f in partial if number[a.id] not in f.missing)
        own = unique.get(a.id, [])
        columns.append(CompareColumn(
            article=a, n=number[a.id], only=own, cited=list(c["cited"].get(key) or []),
            tone=tone.get("tone", "neutral"), score=float(tone.get("score", 0.0)),
            tone_sentences=[r for s in tone.get("sentences", [])
                            if (r := ref({**s, "article_id": a.id}, score=s.get("score")))],
            stresses=list(frames.get("entities", [])) + list(frames.get("themes", [])),
            states=len(shared) + in_partial,
            leaves_out=total_facts - len(shared) - in_partial - len(own),
        ))
    rewrites = _rewrite_groups([([number[a], number[b]], float(r["share"]))
                                for r in c["rewrites"] for a, b in [map(int, r["articles"])]
                                if a in known and b in known])
    contradictions = _grouped_contradictions(
        [(k["type"].replace("_", " "), k["about"],
          [(s.get("normalised") or s.get("value", ""), r) for s in k["sides"]
           if (r := ref(s, value=s.get("value", "")))])
         for k in c["contradictions"]])
    outlets = {a.id: a.outlet or "outlet unknown" for a in articles if a.id is not None}
    return CompareView(shared, partial, columns, contradictions, rewrites, outlets,
                       int(c.get("contradictions_held_back", 0)))


def _grouped_contradictions(
    pairs: list[tuple[str, str, list[tuple[str, SentenceRef]]]],
) -> list[ContradictionRow]:
    """Pairwise contradictions (type, about, [(normalised value, sentence)]) as one row per
    disputed detail, with one side per distinct value (in order of first appearance)."""
    rows: dict[tuple[str, str], dict[str, ClaimSide]] = {}
    seen: set[tuple[str, str, str, int, int]] = set()
    for kind, about, sides in pairs:
        row = rows.setdefault((kind, about), {})
        for norm, r in sides:
            side = row.setdefault(norm, ClaimSide(r.value, []))
            if (kind, about, norm, r.article_id, r.sentence) not in seen:
                seen.add((kind, about, norm, r.article_id, r.sentence))
                side.refs.append(r)
    return [ContradictionRow(kind, about, list(sides.values()))
            for (kind, about), sides in rows.items() if len(sides) > 1]


def _rewrite_groups(pairs: list[tuple[list[int], float]]) -> list[tuple[list[int], float, float]]:
    """Pairs of rewrites of one copy as groups (connected pairs), with the least and most
    text any two in the group share."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for (a, b), _ in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, tuple[set[int], list[float]]] = {}
    for (a, b), share in pairs:
        members, shares = groups.setdefault(root(a), (set(), []))
        members.update((a, b))
        shares.append(share)
    return sorted((sorted(m), min(sh), max(sh)) for m, sh in groups.values())


def mark_value(text: str, value: str) -> Markup:
    """``text`` escaped, its first occurrence of ``value`` in ``<mark>``."""
    at = text.find(value) if value else -1
    if at < 0:
        return Markup(escape(text))
    return Markup("{}<mark>{}</mark>{}").format(text[:at], value, text[at + len(value):])


def _rfc3339(value: str | None) -> str:
    d = _day(value)
    if d is None:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{d.isoformat()}T00:00:00Z"


def atom_feed(stories: list[Story], base: str, summaries: dict[int, str]) -> str:
    """An Atom 1.0 feed of ``stories`` (latest first); ``base`` is the site's URL."""
    base = base.rstrip("/")
    updated = max((_rfc3339(s.last_date) for s in stories), default=_rfc3339(None))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>storydesk: latest stories</title>",
        f"<id>{xml_escape(base)}/</id>",
        f'<link rel="self" href="{xml_escape(base)}/feed.atom"/>',
        f'<link rel="alternate" href="{xml_escape(base)}/"/>',
        f"<updated>{updated}</updated>",
        "<generator>storydesk</generator>",
    ]
    for s in stories:
        url = f"{base}/stories/{s.id}"
        n = len(s.article_ids)
        outlets = ", ".join(s.outlets)
        text = summaries.get(s.id, "")
        content = (f"{n} article{'s' if n != 1 else ''} from {outlets}." if outlets
                   else f"{n} article{'s' if n != 1 else ''}.") + (f" {text}" if text else "")
        out += [
            "<entry>",
            f"<title>{xml_escape(s.title)}</title>",
            f"<id>{xml_escape(url)}</id>",
            f'<link href="{xml_escape(url)}"/>',
            f"<updated>{_rfc3339(s.last_date)}</updated>",
            f"<published>{_rfc3339(s.first_date)}</published>",
            "<author><name>storydesk</name></author>",
            f"<summary>{xml_escape(content)}</summary>",
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def lang_attrs(a: Any) -> Markup:
    """HTML attributes for an article's text: ``lang`` when its language is known (a
    well-formed tag) and ``dir="auto"``, so right-to-left scripts read right to left."""
    lang = getattr(a, "language", None)
    if isinstance(lang, str) and _LANG_TAG.fullmatch(lang.strip()):
        return Markup(' lang="{}" dir="auto"').format(lang.strip())
    return Markup(' dir="auto"')
