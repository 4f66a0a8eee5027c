"""Whether a summary sentence reads on its own, outside its article.

A sentence lifted out of an article can lean on what came before it: it opens with a
quotation (whose speaker is named in the sentence before, or after), with a pronoun or a
demonstrative whose referent is in the previous sentence ("He said ...", "This was ..."),
with a connective that answers the previous sentence ("But ...", "However, ..."), or it
is a fragment. These rules say so from the sentence's own words, with no model:

* :func:`opens_with_quote`: the sentence starts inside quotation marks;
  :func:`continues_quote`: it ends a quotation opened in an earlier sentence.
* :func:`opening_pronoun`: the first word is a pronoun or demonstrative that points back.
* :func:`opening_connective`: the first word answers the previous sentence.
* :func:`quote_without_speaker`: it holds a quotation and no attribution outside it.
* :func:`fragment_reason`: no verb cue, starts in lower case or with a figure, ends on a
  lone initial, a lone digit or a function word, is in title case (a headline), or has no
  final punctuation.

:func:`summary_problems` applies them to a whole summary: an opening pronoun is fine when
the summary sentence just before it is the same article's preceding sentence (the
referent came along), dangling otherwise. :func:`name_before_introduction` finds a name
used bare ("Ketsoyan would not say ...") before the sentence that introduces it in full
("her publicist, Jack Ketsoyan"): the story summary's order puts the full name first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storydesk.text import base_language

from .single import _QUOTE_START, _TERMINAL

__all__ = [
    "PRONOUNS",
    "CONNECTIVES",
    "opens_with_quote",
    "continues_quote",
    "opening_pronoun",
    "opening_connective",
    "quote_without_speaker",
    "english_rules",
    "fragment_reason",
    "needs_predecessor",
    "summary_problems",
    "name_before_introduction",
]

# First words that point back to something said before. "It" and "There" open many
# self-contained sentences ("It is raining", "There were ..."); "It" is counted (it
# usually refers back in news), "There" is not.
PRONOUNS = frozenset(
    "he she it they him her his hers its their theirs them we us our this these those "
    "that such".split()
)
# Openers that answer the previous sentence. "That" / "This" + noun are demonstratives
# and are in PRONOUNS.
CONNECTIVES = frozenset(
    "but however also and so yet still meanwhile nevertheless nonetheless moreover "
    "furthermore besides instead otherwise then thus hence therefore likewise similarly "
    "indeed".split()
)

_DEMONSTRATIVES = frozenset("this that these those".split())
_TIME_WORDS = frozenset(
    """morning afternoon evening night week weekend month year season summer winter spring
    autumn fall monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december""".split()
)
_SECOND_WORD = re.compile(r"^\W*[A-Za-z]+\s+([A-Za-z]+)")
_FIRST_WORD = re.compile(r"^\W*([A-Za-z]+(?:['’][a-z]+)?)")
# Quotation marks: straight and curly double quotes, `` and '' as in PTB-tokenised text.
_QUOTED = re.compile(r"``.*?(?:''|$)|\"[^\"]*(?:\"|$)|“[^”]*(?:”|$)|«[^»]*(?:»|$)", re.DOTALL)
_HAS_QUOTE = re.compile(r"``|''|[\"“”«»]")
# Words that attribute speech or writing to a speaker.
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|saying|told|tells|tell|asked|asks|added|adds|stated|states"
    r"|declared|announced|wrote|writes|according|quoted|quoting|insisted|argued|argues"
    r"|explained|noted|warned|replied|claimed|claims|called|calls|described|describes"
    r"|urged|promised|vowed|admitted|acknowledged|conceded|recalled|remarked|testified"
    r"|reported|reports|commented|continued|predicted|stressed|suggested|contended"
    r"|concluded|observed|complained|denied|pledged|accus\w*|demand\w*|calling)\b",
    re.IGNORECASE,
)
# A verb cue, for the fragment check without a tagger: a form of be/have/do, a modal, a
# common irregular past, or an -ed / -s / -ing form after the first word.
_VERB_WORDS = frozenset(
    """is are was were be been being am has have had having do does did done will would
    shall should can could may might must said says told took taken made went gone came
    come gave given found left won lost met began begun fell rose held led got get gets
    set put sent kept brought bought thought saw seen knew known became become ran run
    struck hit cut let shot fought caught sold paid spent stood sat lay laid broke broken
    spoke spoken wrote written chose chosen drove flew flown grew grown threw thrown
    wore sought taught built meant heard felt stole hid""".split()
)
_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# Ends on a lone initial ("told L."), a lone digit after a preposition ("up to 2.", but not
# "Oct. 9.") or a word that cannot end a sentence ("had a."): the splitter cut inside an
# abbreviation or a figure.
_ENDS_MID = re.compile(
    r"(?:(?<![.\w'’])[A-Z]|\b(?:to|of|at|from|is|was|and)\s+\d"
    r"|\b(?:a|an|the|of|to|and|or|with|from|by|at))"
    r"\s*[.!?][\"'”’)]*$",
    re.IGNORECASE,
)
# Starts with a figure: news style spells out a number that opens a sentence, so a
# sentence starting "6 rattled ..." is the tail of "4.6" split at its dot.
_STARTS_FIGURE = re.compile(r"^\W*\d")


def _first_word(sentence: str) -> str:
    if opens_with_quote(sentence):
        return ""
    m = _FIRST_WORD.match(sentence)
    return m.group(1).lower() if m else ""


def opens_with_quote(sentence: str) -> bool:
    """The sentence starts inside quotation marks (``“...``, ``"...``, `` ``...``)."""
    return bool(_QUOTE_START.match(sentence))


def opening_pronoun(sentence: str) -> str | None:
    """The pronoun or demonstrative the sentence opens with ("He", "This", "Their"), or None.
    A demonstrative before a time word ("This morning", "That week") points to the time
    of the report, not back, and is not counted."""
    w = _first_word(sentence)
    if w not in PRONOUNS:
        return None
    if w in _DEMONSTRATIVES:
        m = _SECOND_WORD.match(sentence)
        if m and m.group(1).lower() in _TIME_WORDS:
            return None
    return w


def opening_connective(sentence: str) -> str | None:
    """The connective the sentence opens with ("But", "However"), or None."""
    w = _first_word(sentence)
    return w if w in CONNECTIVES else None


def continues_quote(sentence: str) -> bool:
    """It ends a quotation it did not open (``... my innocence.”`` with no ``“`` before):
    the quotation, and its speaker, began in an earlier sentence."""
    s = sentence.strip()
    if opens_with_quote(s):
        return False
    closers = s.count("”") + s.count("''") + s.count("»")
    openers = s.count("“") + s.count("``") + s.count("«")
    if closers or openers:
        return closers > openers
    first = s.find('"')
    return s.count('"') % 2 == 1 and first > 0 and s[first - 1] in ".!?,;"


def quote_without_speaker(sentence: str) -> bool:
    """It is mostly a quotation (at least half its words quoted) and nothing outside the
    quotation attributes it (no "said", "told", "according to" ...): a quote the reader
    cannot put to a speaker. A quoted word or phrase in a reported sentence is not."""
    if not _HAS_QUOTE.search(sentence):
        return False
    outside = _QUOTED.sub(" ", sentence)
    if outside.strip() == sentence.strip():
        return False  # a stray mark, an apostrophe pair: nothing quoted
    if len(outside.split()) > len(sentence.split()) / 2:
        return False
    return not _ATTRIBUTION.search(outside)


def english_rules(language: str | None) -> bool:
    """Whether these rules read ``language`` (English, or unknown read as English); other
    languages get only what holds in any language (final punctuation)."""
    return base_language(language) in (None, "en")


def needs_predecessor(sentence: str, language: str | None = None) -> bool:
    """It leans on the sentence before it: an opening quotation, pronoun or connective,
    the end of a quotation opened before, or a quotation with no speaker in it (English
    rules; False in other languages)."""
    return english_rules(language) and bool(
        opens_with_quote(sentence)
        or continues_quote(sentence)
        or opening_pronoun(sentence)
        or opening_connective(sentence)
        or quote_without_speaker(sentence)
    )


def fragment_reason(sentence: str, caseless: bool = False,
                    language: str | None = None) -> str | None:
    """Why the sentence is a fragment ("no verb", "lower-case start", "no final
    punctuation"), or None when it is a whole sentence. Beyond final punctuation the
    rules are English (:func:`english_rules`)."""
    s = sentence.strip()
    if not _TERMINAL.search(s):
        return "no final punctuation"
    if not english_rules(language):
        return None
    first = next((c for c in s if c.isalnum()), "")
    if not caseless and first.islower():
        return "lower-case start"
    if _STARTS_FIGURE.match(s):
        return "starts with a figure"
    if _ENDS_MID.search(s):
        return "ends mid-sentence"
    if not caseless:
        long = [w for w in _WORD.findall(s) if len(w) > 3]
        if len(long) >= 4 and sum(w[0].isupper() for w in long) >= 0.9 * len(long):
            return "title case (a headline)"
    words = _WORD.findall(s)
    lower = [w.lower() for w in words]
    if any(w in _VERB_WORDS or w.endswith("n't") for w in lower):
        return None
    for w, lw in zip(words[1:], lower[1:], strict=False):
        if lw.endswith(("ed", "ing")) and len(lw) >= 4:
            return None
        if lw.endswith("s") and not lw.endswith("ss") and len(lw) > 3 and not w[0].isupper():
            return None
    return "no verb"


def summary_problems(
    summary: Sequence[tuple[str, tuple[int, int] | None]], caseless: bool = False
) -> list[str]:
    """What keeps a summary from reading on its own, one line per problem (empty: reads on
    its own). ``summary``: (sentence text, (article id, sentence index) it was taken from,
    or None) in the order shown. An opening pronoun or connective is fine when the
    previous summary sentence is the same article's preceding sentence."""
    out: list[str] = []
    prev: tuple[int, int] | None = None
    for k, (text, origin) in enumerate(summary):
        follows = (
            prev is not None and origin is not None
            and origin[0] == prev[0] and origin[1] == prev[1] + 1
        )
        if k == 0 and (opens_with_quote(text) or continues_quote(text)):
            out.append(f"opens with a quotation: {text[:60]!r}")
        elif (opens_with_quote(text) or continues_quote(text)) and not follows:
            out.append(f"sentence {k + 1} opens with a quotation: {text[:60]!r}")
        pron = opening_pronoun(text)
        if pron and not follows:
            out.append(f"sentence {k + 1} opens with {pron!r} without its referent: {text[:60]!r}")
        reason = fragment_reason(text, caseless)
        if reason:
            out.append(f"sentence {k + 1} is a fragment ({reason}): {text[:60]!r}")
        prev = origin
    return out


# A name written in full: two or more capitalised words (or initials) in a row; its last
# word is the one a later mention uses alone ("Jack Ketsoyan" ... "Ketsoyan").
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*[a-z][\w'’-]*")
_NAME_WORD = rf"(?:{_CAPITALISED.pattern}|[A-Z]\.)"
_NAME_RUN = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})+")


def _last_name(word: str) -> str:
    return re.sub(r"['’]s?$", "", word)


def _full_names(sentence: str) -> set[str]:
    """Last words of the names the sentence writes in full (a leading stop word such as
    "The" or "In" is not part of a name)."""
    from storydesk.text import stopwords

    stop = stopwords("en")
    out: set[str] = set()
    for m in _NAME_RUN.finditer(sentence):
        parts = m.group().split()
        while parts and parts[0].lower() in stop:
            parts.pop(0)
        if len(parts) >= 2:
            out.add(_last_name(parts[-1]))
    return out


def _bare_names(sentence: str) -> set[str]:
    """Capitalised words that stand alone: no capitalised word or initial next to them."""
    runs = [(m.start(), m.end()) for m in _NAME_RUN.finditer(sentence)]
    return {_last_name(m.group()) for m in _CAPITALISED.finditer(sentence)
            if not any(a <= m.start() < b for a, b in runs)}


def name_before_introduction(
    sentences: Sequence[str], language: str | None = None
) -> list[tuple[str, int, int]]:
    """Names a summary uses alone before it writes them in full: (name, index of the
    sentence using it alone, index of the first sentence writing it in full), for each
    name whose first mention is bare and whose full form comes later (English rules:
    :func:`english_rules`; a name never written in full is not counted: nothing says it
    is a surname)."""
    if not english_rules(language):
        return []
    full = [_full_names(t) for t in sentences]
    bare = [_bare_names(t) for t in sentences]
    out: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    for i, names in enumerate(bare):
        for name in sorted(names - seen):
            if any(name in full[j] for j in range(i + 1)):
                continue
            later = next((j for j in range(i + 1, len(sentences)) if name in full[j]), None)
            if later is not None:
                out.append((name, i, later))
        seen |= names | full[i]
    return out
