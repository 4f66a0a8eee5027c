"""Read one HTML page: article text, title, date, author, site name and language.

trafilatura does the work (body, title, author, site name; htmldate for the date).
Around it sit a few small, general rules for news pages, each measured on the
scrapinghub article-extraction benchmark (``bench/extraction.py``):

1. *Prepare the tree.* Embedded posts (``blockquote.twitter-tweet`` and the like)
   are quotes the article makes, so they lose the class that marks them as
   widgets; an article body split over several sibling containers that share one
   class (a layout that puts an ad rail between parts of the text) is joined
   into the first of them, so the extractor sees the whole body.
2. *Extract precisely, fall back when short.* trafilatura runs with
   ``favor_precision``; if that yields less than ``min_words`` words, the
   balanced default runs too and the longer text wins.
3. *Clean lines.* A leading line that repeats the headline goes; so do lines of
   page chrome ("Read more: ...", "Related: ...", "Sign up for our newsletter",
   "Share this", "Comments") and the teaser list that follows a "Related" or
   "Don't miss" marker.

Paragraphs are separated by a blank line (``"\\n\\n"``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from storydesk.text import word_count

__all__ = ["HtmlArticle", "HtmlSettings", "extract_html"]

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class HtmlSettings:
    """Knobs of :func:`extract_html`; the defaults are the measured best."""

    favor_precision: bool = True
    include_tables: bool = True
    min_words: int = 60  # precise output shorter than this: try the balanced one too
    drop_title_line: bool = True
    drop_chrome_lines: bool = True
    unwrap_embeds: bool = True
    join_split_body: bool = True
    paragraph_sep: str = "\n\n"


DEFAULT_SETTINGS = HtmlSettings()


@dataclass
class HtmlArticle:
    """What one HTML page says about its article."""

    title: str | None
    text: str
    date: str | None = None  # ISO 8601
    date_source: str | None = None  # "html" when a date was found
    author: str | None = None
    sitename: str | None = None
    language: str | None = None  # ISO 639-1, from the page's markup
    description: str | None = None
    url: str | None = None  # canonical URL the page declares, else the one given
    image: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


# --- 1. the tree -------------------------------------------------------------

_EMBED_CLASSES = re.compile(r"\b(twitter-tweet|instagram-media|tiktok-embed)\b")
_MAX_GAP_CHARS = 100
_BODY_CLASS = re.compile(
    r"(?:^|[\s_-])(body|content|article|story|text|entry|post)(?:$|[\s_-])", re.I
)


def _load(html: str | bytes) -> HtmlElement | None:
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception:  # lxml and the decoder raise many types on broken input
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _unwrap_embeds(tree: HtmlElement) -> None:
    """Embedded posts are quotes: keep them as plain blockquotes."""
    for el in tree.iter("blockquote"):
        cls = el.get("class") or ""
        if _EMBED_CLASSES.search(cls):
            el.attrib.pop("class", None)
            for key in [k for k in el.attrib if k.startswith("data-")]:
                el.attrib.pop(key, None)


def _own_paragraph_chars(el: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in el if p.tag == "p")


def _join_split_body(tree: HtmlElement) -> None:
    """Join an article body that a layout split into sibling containers of one class.

    Containers qualify when their class names a body ("article__body",
    "story-content"...), each holds paragraphs of its own, they share one
    grandparent and nothing but chrome (under ``_MAX_GAP_CHARS`` of text: an
    "Advertisement" label, an empty ad rail) stands between them.
    """
    order: dict[HtmlElement, int] = {}
    groups: dict[tuple[str, int], list[HtmlElement]] = {}
    for i, el in enumerate(tree.iter()):
        order[el] = i
        if el.tag not in ("div", "section"):
            continue
        cls = (el.get("class") or "").strip()
        if not cls or not _BODY_CLASS.search(cls):
            continue
        if _own_paragraph_chars(el) < 150:
            continue
        parent = el.getparent()
        grand = parent.getparent() if parent is not None else None
        if grand is None:
            continue
        groups.setdefault((cls, id(grand)), []).append(el)
    elements = list(order)
    for members in groups.values():
        if len(members) < 2:
            continue
        ends = {id(m): order[m] + sum(1 for _ in m.iterdescendants()) for m in members}
        first = members[0]
        prev = first
        for other in members[1:]:
            if any(anc is first or anc is prev for anc in other.iterancestors()):
                break
            gap = sum(
                len((el.text or "").strip())
                for el in elements[ends[id(prev)] + 1 : order[other]]
                if el.tag not in ("script", "style") and isinstance(el.tag, str)
            )
            if gap > _MAX_GAP_CHARS:
                break
            prev = other
            for child in list(other):
                first.append(child)
            parent = other.getparent()
            if parent is not None:
                parent.remove(other)


# --- 2. extraction -----------------------------------------------------------


def _run(tree: HtmlElement, url: str | None, precision: bool, tables: bool, meta: bool) -> Any:
    from trafilatura import bare_extraction

    try:
        return bare_extraction(
            tree,
            url=url,
            favor_precision=precision,
            include_comments=False,
            include_tables=tables,
            with_metadata=meta,
        )
    # AssertionError: lxml's drop_tree on a root element (htmldate, on '<svg><html>').
    except (RecursionError, ValueError, TypeError, AttributeError, AssertionError,
            IndexError, etree.LxmlError):
        return None


def _words(text: str | None) -> int:
    return word_count(text or "")


# --- 3. lines ----------------------------------------------------------------

_CHROME = re.compile(
    r"""^\W*(?:
        (?:read|see)\s+(?:more|also)\b.{0,200}
      | related(?:\s+(?:post|posts|articles?|stories|coverage|content|links?))?\s*:.{0,200}
      | (?:more|also)\s*:.{0,200}
      | also\s+on\s+\S+\.\w+\b.{0,200}
      | (?:you\s+(?:may|might)\s+(?:also\s+)?like|recommended(?:\s+for\s+you)?
         |most\s+(?:read|popular)\b.{0,40}|don.?t\s+miss
         |leggi\s+anche|lesen\s+sie\s+auch|lire\s+aussi|leia\s+tamb[eé]m)\W*
      | (?:share|tweet|email)\s+(?:this|on)\b.{0,60}
      | like\s+this\s+(?:story|article)\?.{0,80}
      | (?:sign\s+up|subscribe)\b.{0,60}\b(?:newsletter|inbox|updates)\b.{0,120}
      | get\s+the\s+(?:latest|day.s).{0,80}\b(?:inbox|newsletter)\b.{0,80}
      | follow\s+.{1,80}\s+on\s+(?:twitter|facebook|instagram)\b.{0,160}
      | this\s+copy\s+is\s+for\s+your\s+personal,?\s+non-commercial\s+use.{0,300}
      | (?:\d+\s+)?comments?
      | tell\s+us\s+what\s+you\s+think\W*
      | filed\s+under\s*:.{0,200}
      | tags?\s*:?
      | advertisement|sponsored(?:\s+content)?|ad
      | (?:photo|image)\s*(?:credit|source)?\s*:.{0,120}
      | cookies?\b.{0,80}\b(?:accept|consent|policy|settings)\b.{0,120}
    )\W*$""",
    re.I | re.X,
)
# Lines that open a teaser block: the list lines right after them go too.
_TEASER_HEAD = re.compile(
    r"^\W*(?:related(?:\s+\w+)?|don.?t\s+miss|more|also|you\s+(?:may|might)\s+(?:also\s+)?like"
    r"|recommended(?:\s+for\s+you)?|most\s+(?:read|popular)\b.*|read\s+(?:more|also)|see\s+also"
    r"|leggi\s+anche)\W*$",
    re.I,
)


_LIST_MARKS = ("- ", "• ", "* ")
_LINK_CHECK_MAX_WORDS = 200  # only short texts are checked for being a link menu
_MIN_OWN_WORD_SHARE = 0.2
_SENTENCE_ENDS = (".", "!", "?", "”", '"')


def _norm(s: str) -> str:
    return " ".join(_WORDS.findall(s.casefold()))


def _clean_lines(text: str, title: str | None, settings: HtmlSettings) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    if settings.drop_title_line and title:
        t = _norm(title)
        while lines and t and _norm(lines[0]) == t:
            lines.pop(0)
    if not settings.drop_chrome_lines:
        return lines
    out: list[str] = []
    in_teasers = False
    for ln in lines:
        if _TEASER_HEAD.match(ln):
            in_teasers = True
            continue
        if in_teasers:
            if ln.startswith(_LIST_MARKS) or (len(ln) < 120 and not ln.endswith(_SENTENCE_ENDS)):
                continue
            in_teasers = False
        if _CHROME.match(ln):
            continue
        out.append(ln)
    return out


def _mostly_links(lines: list[str], tree: HtmlElement) -> bool:
    """A short text whose words are nearly all link labels is a menu, not an article."""
    words = Counter(_WORDS.findall(" ".join(lines)))
    total = sum(words.values())
    if total >= _LINK_CHECK_MAX_WORDS:
        return False
    link_words = Counter(_WORDS.findall(" ".join(str(t) for t in tree.xpath("//a//text()"))))
    return sum((words - link_words).values()) < _MIN_OWN_WORD_SHARE * total


# --- metadata ----------------------------------------------------------------

_LANG = re.compile(r"^[a-z]{2,3}$")


def _language(tree: HtmlElement) -> str | None:
    candidates: list[str] = []
    root = tree.getroottree().getroot()
    for attr in ("lang", "xml:lang", "{http://www.w3.org/XML/1998/namespace}lang"):
        if root.get(attr):
            candidates.append(root.get(attr) or "")
    for xp in (
        '//meta[@http-equiv="content-language" or @http-equiv="Content-Language"]/@content',
        '//meta[@property="og:locale"]/@content',
        '//meta[@name="language"]/@content',
    ):
        candidates.extend(str(v) for v in tree.xpath(xp))
    for c in candidates:
        code = re.split(r"[-_,;\s]", c.strip().lower(), maxsplit=1)[0]
        if _LANG.match(code):
            return code
    return None


def _jsonld_body(tree: HtmlElement) -> str | None:
    """The longest ``articleBody`` of the page's JSON-LD, as plain text."""
    best = ""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str) and len(body) > len(best):
                    best = body
                stack.extend(v for k, v in item.items() if k != "articleBody")
            elif isinstance(item, list):
                stack.extend(item)
    if not best:
        return None
    if "<" in best:
        from lxml.html import fromstring

        try:
            best = "\n".join(
                t.strip() for t in fromstring(f"<div>{best}</div>").itertext() if t.strip()
            )
        except (etree.LxmlError, ValueError):
            return None
    return best.strip() or None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _list(value: Any) -> list[str]:
    if not value:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return out


# --- entry point -------------------------------------------------------------


def extract_html(
    html: str | bytes, url: str | None = None, settings: HtmlSettings = DEFAULT_SETTINGS
) -> HtmlArticle:
    """Read the article of one HTML page.

    Raises ValueError with a short reason when the page is empty or has no
    article text; any other malformation is tolerated.
    """
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        raise ValueError("empty page")
    tree = _load(html)
    if tree is None:
        raise ValueError("not an HTML page")
    try:
        if settings.unwrap_embeds:
            _unwrap_embeds(tree)
        if settings.join_split_body:
            _join_split_body(tree)
    except (RecursionError, etree.LxmlError, ValueError):
        pass

    doc = _run(tree, url, settings.favor_precision, settings.include_tables, meta=True)
    text = (doc.text if doc is not None else None) or ""
    if settings.favor_precision and _words(text) < settings.min_words:
        alt = _run(tree, url, False, settings.include_tables, meta=doc is None)
        if alt is not None and _words(alt.text) > _words(text):
            text = alt.text or ""
            if doc is None:
                doc = alt
    if not text.strip():
        text = _jsonld_body(tree) or ""

    meta = doc.as_dict() if doc is not None else {}
    title = _str(meta.get("title"))
    lines = _clean_lines(text, title, settings)
    if not lines:
        raise ValueError("no article text found")
    if _mostly_links(lines, tree):
        raise ValueError("only links, no article text")
    date = _str(meta.get("date"))
    return HtmlArticle(
        title=title,
        text=settings.paragraph_sep.join(lines),
        date=date,
        date_source="html" if date else None,
        author=_str(meta.get("author")),
        sitename=_str(meta.get("sitename")),
        language=_language(tree),
        description=_str(meta.get("description")),
        url=_str(meta.get("url")) or url,
        image=_str(meta.get("image")),
        categories=_list(meta.get("categories")),
        tags=_list(meta.get("tags")),
    )
