"""What the story and article pages show, computed from plain data (no HTTP here):
sentences with the indexes summaries cite, a story's timeline, the Atom feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as Date
from xml.sax.saxutils import escape as xml_escape

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
