"""Plain-text articles as people save them from the web: title, date line, page
chrome and paragraphs.

``parse_plain_text`` is a pipeline of small steps: clean the characters, drop page
chrome (see :mod:`storydesk.extract.chrome`), take the date line (see
:mod:`storydesk.extract.dates`), take the title, and rebuild the paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from storydesk.extract.chrome import line_key, strip_chrome
from storydesk.extract.dates import HEAD_LINES, date_in_dateline, date_lines
from storydesk.text import has_cjk, repair_text, split_sentences, word_count

TITLE_WORDS = 12  # a title made from the lead is cut to this many words
BODY_FIRST_LINE_WORDS = 18  # a first line longer than this that ends a sentence is body
MAX_TITLE_WORDS = 40  # a first line longer than this is body whatever its ending
WRAP_MAX_WIDTH = 120  # hard-wrapped text is wrapped at no more than this many characters


@dataclass
class PlainText:
    """What ``parse_plain_text`` read: ``date`` is ISO 8601 or None, ``date_source``
    says how it was found ("line": a date line or a dateline), ``lines_removed`` counts
    chrome lines dropped."""

    title: str
    text: str
    date: str | None = None
    date_source: str | None = None
    lines_removed: int = 0
    author: str | None = None  # from a "By ..." line at the head, which leaves the text


# Characters: dropped (controls, zero-width, bidi marks, soft hyphen, BOM), made
# spaces (exotic spaces, tabs) or made line breaks (form feed, Unicode separators).
_TABLE: dict[int, str | None] = {c: None for c in range(0x20) if c not in (9, 10, 13)}
_TABLE.update({c: None for c in range(0x7F, 0xA0)})
for _c in "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\ufffe\uffff":
    _TABLE[ord(_c)] = None
for _c in range(0x202A, 0x202F):
    _TABLE[_c] = None
for _c in range(0x2066, 0x206A):
    _TABLE[_c] = None
for _c in "\t\u00a0\u1680\u202f\u205f\u3000":
    _TABLE[ord(_c)] = " "
for _c in range(0x2000, 0x200B):
    _TABLE[_c] = " "
for _c in "\x0b\x0c\x85\u2028\u2029":
    _TABLE[ord(_c)] = "\n"

_ODD = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE) + "]")
_NAME = r"[A-ZÀ-ÞА-ЯЁ][\w'’.-]*(?:\s+(?:[A-ZÀ-ÞА-ЯЁ][\w'’.-]*|van|von|de|da|al|bin|le|la)){0,3}"
_BYLINE = re.compile(
    rf"(?:by|von|par|por|автор:?)\s+(?P<names>{_NAME}(?:\s*(?:,|and|&|und|et|y|и)\s*{_NAME})*)"
    r"(?:\s*[,|·•—–-]\s*.{0,60})?",
    re.I,
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_WS = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?…。！？؟]['\"”’»)\]」』]*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[a-z0-9)\]'\"”’»%][.!?…])\s+(?=[\"“«'‘(\[]?[A-Z0-9А-ЯЁ])")
_DATELINE = re.compile(
    r"(?:[A-ZÀ-ÞА-ЯЁ][\w.'’-]*(?:\s[A-ZÀ-ÞА-ЯЁ][\w.'’-]*){0,2}(?:,\s*[A-ZÀ-ÞА-ЯЁ][\w.'’-]*){0,2})"
    r",?\s*(?:(?:[A-Z][a-z]{2,8}\.?\s\d{1,2}|\d{1,2}\s[A-Z][a-z]{2,8})\.?(?:,?\s\d{4})?)?"
    r"\s*(?:[(/][^)/\n]{1,40}[)/])?\s*(?:[-–—]{1,2}|:)\s"
)


def clean_characters(raw: str) -> str:
    """NFC text with Unix line breaks, mojibake repaired (ftfy), no control or invisible
    characters, and one kind of space."""
    s = raw.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATES.search(s):
        s = _SURROGATES.sub("", s)
    s = repair_text(s)  # before controls go: mojibake may hold C1 bytes ("â€\x9d")
    if _ODD.search(s):
        s = s.translate(_TABLE)
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    return s


def leading_text(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text`` at most, cut at the last line break
    within them (else the last space), so that no sentence but the last is cut and the
    sentences before it split as they do in the whole text."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind("\n")
    if cut < limit // 2:
        cut = max(cut, head.rfind(" "))
    return head[:cut] if cut > 0 else head


def normalise_whitespace(s: str) -> str:
    """Runs of whitespace made one space, ends stripped."""
    return _WS.sub(" ", s).strip()


def _dateline_end(s: str) -> int:
    """Where a dateline ("MOSCOW, Jan 28 (Reuters) - ") ends at the start of ``s``, or 0."""
    m = _DATELINE.match(s)
    if not m:
        return 0
    head = m.group(0)
    first = head.split(None, 1)[0].strip(",")
    if any(ch.isdigit() for ch in head) or "(" in head or "/" in head or (
        len(first) >= 3 and first.isupper()
    ):
        return m.end()
    return 0


def title_from_lead(text: str, max_words: int = TITLE_WORDS) -> str:
    """A title made from the lead: its first sentence without a dateline, cut to
    ``max_words`` words (with an ellipsis when cut)."""
    first = text.lstrip().split("\n", 1)[0]
    first = first[_dateline_end(first):]
    sentence = _SENTENCE_SPLIT.split(first, maxsplit=1)[0].strip()
    if has_cjk(sentence):
        sentence = split_sentences(sentence)[0] if sentence else sentence
        if word_count(sentence) > max_words:
            return sentence[: 2 * max_words].rstrip("，、；：") + "…"
        return sentence.rstrip("。")
    words = sentence.split()
    if len(words) > max_words:
        return " ".join(words[:max_words]).rstrip(",;:-–—") + "…"
    return " ".join(words).rstrip(" .")


def _reads_as_body(line: str) -> bool:
    n = word_count(line)  # Chinese by its words: a one-line article is no title
    if n > MAX_TITLE_WORDS:
        return True
    if n > BODY_FIRST_LINE_WORDS and _SENTENCE_END.search(line):
        return True
    return n > 8 and _dateline_end(line) > 0


def _glue(prev: str, nxt: str) -> str:
    """What goes between two joined lines: nothing after a hyphen that breaks a
    compound ("long-" + "range"), else a space."""
    if len(prev) > 1 and prev[-1] == "-" and prev[-2].isalpha() and nxt[:1].islower():
        return ""
    return " "


def _paragraphs(block: list[str]) -> list[str]:
    """One block of consecutive lines as paragraphs: hard-wrapped lines are joined;
    otherwise each line is a paragraph unless it plainly runs on into the next."""
    if len(block) == 1:
        return block
    lengths = [len(x) for x in block]
    width = max(lengths[:-1])
    full = sum(1 for n in lengths[:-1] if n >= 0.6 * width)
    ended = sum(1 for x in block[:-1] if _SENTENCE_END.search(x))
    # wrapped text breaks mid-sentence; one-sentence-per-line text does not
    wrapped = (
        width <= WRAP_MAX_WIDTH
        and full >= 0.7 * (len(block) - 1)
        and ended < 0.5 * (len(block) - 1)
    )
    out: list[str] = []
    parts = [block[0]]  # the lines of the paragraph being built (joined once: linear)
    for prev, line in zip(block, block[1:], strict=False):
        ends = _SENTENCE_END.search(prev) is not None
        if wrapped:
            new_para = ends and len(prev) < 0.7 * width
        else:
            new_para = ends or not (line[:1].islower() or prev[-1:] in ",;-–—(")
        if new_para:
            out.append("".join(parts))
            parts = [line]
        else:
            parts += [_glue(prev, line), line]
    out.append("".join(parts))
    return out


def lines_to_text(lines: list[str]) -> str:
    """Stripped lines (empty ones separate blocks) as text with "\\n\\n" between
    paragraphs."""
    paras: list[str] = []
    block: list[str] = []
    for line in lines:
        if line:
            block.append(line)
        elif block:
            paras.extend(_paragraphs(block))
            block = []
    if block:
        paras.extend(_paragraphs(block))
    return "\n\n".join(paras)


def parse_plain_text(
    raw: str, is_boilerplate: Callable[[str], bool] | None = None
) -> PlainText:
    """Read a plain-text article: title, date line, text without page chrome.

    ``is_boilerplate(line)`` (optional) marks lines that repeat across an outlet's
    articles (see :func:`storydesk.extract.chrome.strip_chrome`).
    """
    s = clean_characters(raw or "")
    lines = [" ".join(x.split()) for x in s.split("\n")]
    before = sum(1 for x in lines if x)
    lines = strip_chrome(lines, is_boilerplate)
    removed = before - sum(1 for x in lines if x)

    found = date_lines(lines)
    date, inline_at = None, None
    if found:
        idx, date, rest, _ = next((f for f in found if not f[3]), found[0])
        if rest:
            lines[idx] = rest
            inline_at = idx
        # every whole-line date goes ("Published: ...", "Updated: ..."), the chosen one too
        drop = {f[0] for f in found if not f[2]}
        if drop:
            lines = [x for i, x in enumerate(lines) if i not in drop]
            if inline_at is not None:
                inline_at -= sum(1 for i in drop if i < inline_at)

    author = None
    seen = 0
    for i, x in enumerate(lines):
        if not x:
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        m = _BYLINE.fullmatch(x) if len(x) < 120 else None
        if m and m.group("names")[:1].isupper():
            author = m.group("names")
            del lines[i]
            if inline_at is not None and i < inline_at:
                inline_at -= 1
            break

    first = next((i for i, x in enumerate(lines) if x), None)
    if first is None:
        return PlainText("", "", date, "line" if date else None, removed, author)
    head = lines[first]
    if first == inline_at or _reads_as_body(head):
        text = lines_to_text(lines)
        title = title_from_lead(text)
    else:
        title = head
        del lines[first]
        key = line_key(title)
        # a page that carries its title twice (breadcrumb or social card, then h1)
        seen = 0
        for j in range(first, len(lines)):
            if lines[j]:
                if line_key(lines[j]) == key:
                    del lines[j]
                    break
                seen += 1
                if seen >= 3:
                    break
        text = lines_to_text(lines)
    if date is None:
        for para in text.split("\n\n", 3)[:3]:
            date = date_in_dateline(para)
            if date:
                break
    return PlainText(title, text, date, "line" if date else None, removed, author)
