"""A rule-based sentence splitter for news text in any language, with character offsets.

No downloaded data, no model: a pass over the text with one regular expression for
candidate ends (``.``, ``!``, ``?``, ellipses, the Arabic ``؟`` and ``۔``, the Devanagari
``।``, with any closing quotes or brackets) and a few rules that veto a candidate:

* the CJK full stops and marks ``。！？`` always end a sentence, with or without a space
  after them (Chinese and Japanese write none);

* titles before a name (``Mr.``, ``Dr.``, ``Gen.``, ``St.``, ``Reps.``) never end a sentence,
  unless the text writes the word as part of a name, after the same capitalised word and
  with no dot ("Prime Minister Hun Sen. The opposition ..." where it also writes "Hun Sen
  said");
* months and ``No.`` do not end one before a number (``Jan. 5``, ``No. 10``);
* an initial (``J. R. R. Tolkien``) or a dotted acronym (``U.S.``, ``a.m.``) ends one only
  before a word that usually starts a sentence (``The``, ``He``, ``But`` ...); a spaced
  ``a. m.`` / ``p. m.`` ends none before a weekday, a month or a time zone (``3: 30 a. m.
  Tuesday``, ``4: 45 p. m. EST``), nor does ``Inc.`` before a weekday;
* in normally cased text a candidate followed by a lower-case word is no end
  (``"Why?" he asked``, ``approx. five``);
* decimals and amounts (``3.5``, ``$1.2``) are never candidates (no space after the dot),
  nor are those that a tokenizer broke with a space (``$27. 5 million``, ``a 6. 1
  magnitude quake``, ``at 8. 40am``): a number of one to three digits, a dot, a space
  and a number of one or two digits, or an article, a dot, a space and a number
  (``pointed a. 38 caliber``; :func:`mend_numbers` writes them whole again);
* a dot glued to the next sentence (``$10.9bn.For the year``), as in some scraped text,
  is an end when a lower-case word stops there and a capitalised word starts after it.

Closing marks after a space where only a closing mark can stand (tokenized ``''``, ``”``,
French ``»``) end with the sentence before them. A piece that is only quotation marks
(tokenized text's ``... everyone there. "`` at a line's end) joins the sentence it belongs
to (:func:`_attach_lone_quotes`).

Lines are hard breaks, except a line that runs on into a lower-case one (hard-wrapped text).
Text with almost no capitals (lower-cased corpora such as CNN/DailyMail as distributed,
and scripts without case: Arabic, Chinese, Hindi...) is split in a caseless mode that
relies on the word lists alone.

Every rule looks at a bounded window around a candidate, so splitting takes time linear
in the text's length (a 400 KB paragraph splits in a fraction of a second).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "is_caseless", "mend_numbers", "split_sentences", "split_sentence_spans"]


@dataclass(frozen=True, slots=True)
class Span:
    """One sentence: its text and where it lies in the text given (``text[start:end]``)."""

    start: int
    end: int
    text: str


# Titles written before a name: never the end of a sentence.
TITLES = frozenset(
    "mr mrs ms messrs mme dr prof gen col lt sgt capt cmdr adm maj brig cpl pvt rep sen gov"
    " pres supt insp det rev fr sr jr st mt ft hon atty gen lieut esq const cst cmndr comdr"
    " cdr msgr spc pfc"
    " reps sens drs profs gens govs".split()  # plurals: "the names of Reps. Robert Livingston"
)
# Titles only ever written before a name: one ending a line goes on with the next line
# when that line opens with a capital ("Vancouver police Const.\nTim Fanning told ...").
NAME_TITLES = TITLES - {"sr", "jr", "st", "mt", "ft", "esq"}
_TITLE_AT_END = re.compile(r"(?<![\w.])([A-Za-z]+)\.$")
# Months written short ("Jan. 5", "1: 30 a. m. Feb. 1 on state Route 94").
_MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Not an end before a number.
BEFORE_NUMBER = _MONTH_ABBREVIATIONS | frozenset(
    "no nos vol p pp fig art ch sec para op ed".split())
# Never an end.
ALWAYS = frozenset("e.g i.e vs v cf approx ca c incl viz al".split())
# May end a sentence; an end only before a capitalised word (cased) or a sentence starter,
# not before a weekday ("America Online Inc. Tuesday laid out the details").
FINAL_OK = frozenset("inc corp co ltd llc plc bros etc jr sr".split())
# English day and month names, lower case, in calendar order (compare.details reads
# their places).
WEEKDAYS = tuple("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = tuple("january february march april may june july august september october"
               " november december".split())
# Words that often begin a sentence: an initial or acronym before one is taken as an end.
STARTERS = frozenset(
    "the a an he she it they we i you his her their its our this that these those there"
    " but and so yet in on at for after before when while if as however meanwhile"
    " mr mrs ms dr police officials some many most one two".split()
)
CASELESS_STARTERS = frozenset(
    "the he she it they we i his her their its this these those there however".split()
)
# After a closing quote in caseless text, these words continue the sentence.
SPEECH = frozenset("said says say asked asks told added wrote replied he she they i we".split())

# Full stops and marks that end a sentence whatever follows (CJK, no space after).
CJK_TERMINATORS = "。！？｡"
_CAND = re.compile(
    r"(?:\.{3}|…|\. \. \.|[.!?؟۔।。！？｡])+"  # terminator(s)
    # closing quotes / brackets, also after a space where only a closing mark can stand:
    # tokenized '' and ” and French typography's » ("gagner. » Le match")
    r"(?:[\"'”’»)\]」』）》〉]+|\s(?:''|[”»])(?=\s|$))*"
)
_OPENERS = "\"'“‘«([`「『（《"
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
# A letter and a dot before the word: a dotted abbreviation a tokenizer spaced ("a. m.").
_SPACED_INITIAL = re.compile(r"(?<![\w.])[A-Za-z]\.\s+$")
_TIME_ZONE = re.compile(r"[A-Z]{2,4}")  # "ET", "EST", "GMT", "PST"
_NEXT_WORD = re.compile(r"\s*[\"'“‘«(\[`「『（《]*(\S{0,64})")
_NON_SPACE = re.compile(r"\S")
# Dashes that set an aside off ("Corp. _ the Sherman Act of 1890 _ is brief"; AP and NYT copy
# write "_").
_ASIDE_DASHES = frozenset({"_", "--", "—", "–"})
_ANY_DIGIT = re.compile(r"\d")
# A decimal or a time broken by a space after its dot ("$27. 5 million", "8. 40am").
_BROKEN_DECIMAL = re.compile(r"(?<![\d.,])([$€£¥]?\d{1,3})\. (\d{1,2})(?!\d)")
# A figure under one whose point went to the article before it ("pointed a. 38 caliber").
_BROKEN_POINT = re.compile(r"(?<![\w.])(a|an|the)\. (\d+)(?![\d.])")
# ... after a thousands comma or a time's colon ("170, 000", "$1, 199", "9: 25").
_BROKEN_NUMBER = re.compile(
    r"(?<![\d.,:])(\d{1,3}), (\d{3})(?![\d,])|(?<![\d.,:])(\d{1,2}): (\d{2})(?![\d:])"
)
_WINDOW = 64  # characters looked at before a candidate for the word it ends
_QUOTE_WINDOW = 2000  # characters looked back for an open straight quote
# Languages whose script has no case: their text is split in caseless mode.
UNCASED = frozenset("ar fa ur ps he yi zh ja ko th lo km my hi mr ne bn gu pa ta te kn ml si"
                    " am ka".split())


def is_caseless(text: str, lang: str | None = None) -> bool:
    """Whether ``text`` is split without case rules: a script without case (by ``lang``)
    or text with almost no capitals (a lower-cased corpus)."""
    if lang and lang.split("-", 1)[0].lower() in UNCASED:
        return True
    sample = text[:5000]
    letters = sum(map(str.isalpha, sample))
    if letters < 20:
        return False
    # (upper-case characters that are not letters, such as Ⅻ, count as capitals too)
    return sum(map(str.isupper, sample)) / letters < 0.005


def mend_numbers(text: str, keep_offsets: bool = False) -> str:
    """``text`` with the numbers a tokenizer broke with a space written whole again:
    decimals ("$27. 5 million" -> "$27.5 million"; the splitter never ends a sentence
    there), a figure under one ("pointed a. 38 caliber" -> "a .38 caliber"), thousands
    ("170, 000") and times ("9: 25"). ``keep_offsets``: the space taken out goes after
    the number, so every number starts where it did."""
    if not _ANY_DIGIT.search(text):
        return text
    pad = " " if keep_offsets else ""
    text = _BROKEN_DECIMAL.sub(lambda m: f"{m[1]}.{m[2]}{pad}", text)
    text = _BROKEN_POINT.sub(r"\1 .\2", text)
    return _BROKEN_NUMBER.sub(
        lambda m: (f"{m[1]},{m[2]}" if m[1] else f"{m[3]}:{m[4]}") + pad, text)


def _next_word(line: str, pos: int) -> str:
    """The next word from pos on, without opening quotes or brackets."""
    m = _NEXT_WORD.match(line, pos)
    return m.group(1) if m else ""


def _word_before(line: str, start: int) -> str:
    """The word just before ``line[start]``, closing quotes and brackets skipped, at most
    _WINDOW characters back."""
    lo = max(0, start - _WINDOW)
    end = start
    while end > lo and line[end - 1] in "\"'”’)]":
        end -= 1
    i = end
    while i > lo and not line[i - 1].isspace() and line[i - 1] not in "\"'“‘«([":
        i -= 1
    return line[i:end]


class _NamePairs:
    """Title words a text writes as part of a name: "Hun Sen said" makes "Hun Sen." an
    end there. Read off the whole text once, when a title after a capitalised word first
    comes up."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pairs: frozenset[str] | None = None

    def has(self, prev: str, title: str) -> bool:
        if self.pairs is None:
            self.pairs = frozenset(
                f"{m[1]} {m[2]}" for m in _TITLE_AS_NAME.finditer(self.text))
        return f"{prev} {title}" in self.pairs


# A capitalised word and a title word written capitalised with no dot after it.
# (not the places' "St", "Mt", "Ft": "Wall St closed" and "the Wall St. Journal")
_TITLE_WORDS = "|".join(sorted((t.capitalize() for t in TITLES - {"st", "mt", "ft"}),
                               key=len, reverse=True))
_TITLE_AS_NAME = re.compile(rf"(?<![\w'’-])([A-Z][\w'’-]*) ({_TITLE_WORDS})(?![\w.])")
_PREV_NAME = re.compile(r"(?<![\w'’-])([A-Z][\w'’-]*) $")


def _is_end(line: str, start: int, end: int, caseless: bool,
            names: _NamePairs | None = None) -> int | None:
    """Where the candidate line[start:end] (terminator plus closers) ends a sentence:
    an offset in ``line``, or None when it is no end; ``names``: the text's title words
    written as part of a name."""
    term = line[start:end]
    if term[0] in CJK_TERMINATORS or _NON_SPACE.search(line, end) is None:
        return end
    glued = not line[end].isspace()
    nxt = _next_word(line, end)
    nxt_clean = nxt.rstrip(".,;:!?\"'”’)")
    first = nxt[:1]
    before = _word_before(line, start)
    low_before = before.lower()
    dot = term[0] == "." and not term.startswith("..") and not term.startswith(". .")
    ellipsis = term.startswith("...") or term.startswith("…") or term.startswith(". .")

    if glued:
        return _glued_end(line, start, end, caseless, before, nxt)
    if term == "." and before and (_BROKEN_DECIMAL.match(line, start - len(before))
                                   or _BROKEN_POINT.match(line, start - len(before))):
        return None

    if caseless:
        if ellipsis:
            return None
        if any(q in term for q in "\"'”’") and nxt_clean.lower() in SPEECH:
            return None
        if dot and before:
            key = low_before.rstrip(".")
            if key in TITLES or key in ALWAYS:
                return None
            if key in BEFORE_NUMBER and first.isdigit():
                return None
            if (_ACRONYM.match(key) or len(key) == 1 or key in FINAL_OK) and (
                nxt_clean.lower() not in CASELESS_STARTERS
            ):
                return None
        return end

    # cased text
    if first.islower():
        return None
    if nxt in _ASIDE_DASHES and _next_word(line, line.index(nxt, end) + len(nxt))[:1].islower():
        return None  # "... on Microsoft Corp. _ the Sherman Antitrust Act _ is brief": an aside
    if ellipsis:
        return end if (first.isupper() or first in _OPENERS or first.isdigit()) else None
    if dot and before:
        key = low_before.rstrip(".")
        if key in ALWAYS:
            return None
        if key in TITLES and (first.isupper() or first.isdigit()):
            at = start - len(before)
            prev = _PREV_NAME.search(line, max(0, at - _WINDOW), at)
            if names is None or prev is None or not names.has(prev[1], before):
                return None
            return end
        if key in BEFORE_NUMBER and first.isdigit():
            return None
        if key in FINAL_OK:
            return None if nxt_clean.lower() in WEEKDAYS else end
        single = len(key) == 1 and before[:1].isupper()
        if (single or _ACRONYM.match(key)) and nxt_clean.lower() not in STARTERS:
            return None
        if len(key) == 1 and _SPACED_INITIAL.search(
                line, max(0, start - len(before) - 5), start - len(before)) and (
                nxt_clean.lower() in WEEKDAYS or nxt_clean.lower() in MONTHS
                or nxt_clean.lower() in _MONTH_ABBREVIATIONS or _TIME_ZONE.fullmatch(nxt_clean)):
            return None  # "3: 30 a. m. Tuesday that ...", "5: 40 p. m. ET" (spaced a.m.)
    return end


def _glued_end(
    line: str, start: int, end: int, caseless: bool, before: str, nxt: str
) -> int | None:
    """A sentence end with no space after it, as scraped text has ("$10.9bn.For the")."""
    if caseless or line[start] not in ".!?":
        return None
    closers = line[start + 1 : end].lstrip(".!?")
    cut = end
    if closers.startswith('"'):
        # A straight quote after the stop: closing if the sentence has an open quote.
        lo = max(0, start - _QUOTE_WINDOW)
        sent_start = max(line.rfind(". ", lo, start), lo)
        if line.count('"', sent_start, start) % 2 == 0:
            cut = start + 1 + (len(line[start + 1 : end]) - len(closers))
            nxt = line[cut + 1 : cut + 1 + _WINDOW].split(" ", 1)[0]
    if not nxt[:1].isupper():
        return None
    if not (len(nxt) >= 2 and (nxt[1].isalpha() or nxt[1] in "'’")) and nxt not in ("A", "I"):
        return None
    key = before.lower().rstrip(".")
    if line[start] == "." and (
        len(key) < 2 or _ACRONYM.match(key) or key in TITLES or key in FINAL_OK or key in ALWAYS
    ):
        return None
    return cut


def _lines(text: str) -> list[tuple[int, int]]:
    """Blocks of text separated by line breaks, hard-wrapped lines joined back."""
    blocks: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        chunk = text[s:e]
        if not chunk.strip():
            continue
        single = bool(blocks) and text[blocks[-1][1] : s].count("\n") == 1
        tail = text[max(blocks[-1][0], blocks[-1][1] - _WINDOW) : blocks[-1][1]].rstrip() \
            if blocks else ""
        title = _TITLE_AT_END.search(tail) if single else None
        if (
            single
            and chunk.lstrip()[:1].islower()
            and tail[-1:] not in ('.', '!', '?', ':', '"', '”', '’')
        ) or (title and title.group(1).lower() in NAME_TITLES and chunk.lstrip()[:1].isupper()):
            blocks[-1] = (blocks[-1][0], e)
        else:
            blocks.append((s, e))
    return blocks


def split_sentence_spans(text: str, lang: str | None = None) -> list[Span]:
    """Split text into sentences, each with its character offsets in ``text``; ``lang``
    (an ISO 639-1 code, optional) says whether the script has case."""
    if not text or not text.strip():
        return []
    caseless = is_caseless(text, lang)
    spans: list[Span] = []
    names = _NamePairs(text)
    for bs, be in _lines(text):
        line = text[bs:be]
        cur = 0
        for m in _CAND.finditer(line):
            cut = _is_end(line, m.start(), m.end(), caseless, names)
            if cut is not None and cut > cur:
                _add(spans, text, bs + cur, bs + cut)
                cur = cut
        _add(spans, text, bs + cur, be)
    return _attach_lone_quotes(spans, text)


_LONE_QUOTE = re.compile(r"[\"'“”‘’«»\s]+")


def _attach_lone_quotes(spans: list[Span], text: str) -> list[Span]:
    """A piece that is only quotation marks joins the sentence it belongs to. Tokenized
    text writes a closing quote after a space at the end of a line (``... everyone there.
    "``, the quotation opened lines before) and sometimes an opening one there too: a
    closing mark joins the sentence before it on its line, an opening one the sentence
    after it. A straight quote closes when the text holds an odd number of them before
    it; ``“`` closes when the text has more ``“`` than ``”`` before it (a misused closing
    mark)."""
    if not any(_LONE_QUOTE.fullmatch(s.text) for s in spans):
        return spans
    out: list[Span] = []
    waiting: Span | None = None  # an opening mark waiting for the sentence after it
    counted = 0  # the marks below are counted in text[:counted]
    straight = curly_open = curly_close = 0
    for sp in spans:
        if waiting is not None:
            sp = Span(waiting.start, sp.end,
                      re.sub(r"\s*\n\s*", " ", text[waiting.start:sp.end]))
            waiting = None
        if not _LONE_QUOTE.fullmatch(sp.text):
            out.append(sp)
            continue
        before = text[counted:sp.start]  # each stretch of text is counted once: linear
        straight += before.count('"')
        curly_open += before.count("“")
        curly_close += before.count("”")
        counted = sp.start
        mark = sp.text.strip()[0]
        if mark == '"':
            closing = straight % 2 == 1
        elif mark == "“":
            closing = curly_open > curly_close
        else:
            closing = mark in "”’»"
        if closing and out and "\n" not in text[out[-1].end:sp.start]:
            prev = out.pop()
            out.append(Span(prev.start, sp.end, prev.text + text[prev.end:sp.end]))
        elif not closing and mark in "\"“‘«":
            waiting = sp
        else:
            out.append(sp)
    if waiting is not None:
        out.append(waiting)
    return out


def _add(spans: list[Span], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        # A line break inside a hard-wrapped sentence reads as a space.
        spans.append(Span(s, e, re.sub(r"\s*\n\s*", " ", text[s:e])))


def split_sentences(text: str, lang: str | None = None) -> list[str]:
    """Split text into sentences (see :func:`split_sentence_spans` for offsets)."""
    return [s.text for s in split_sentence_spans(text, lang)]
