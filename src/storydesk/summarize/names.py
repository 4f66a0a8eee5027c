"""People a story summary names by surname alone are written in full at first mention.

A summary takes sentences from several articles, so "Escalante was shot outside his
boyhood home" may reach the reader without the sentence, earlier in its article, that
said who Escalante is. Where an English summary sentence uses a surname alone (not after
"the", "van" or a word in capitals) before any summary sentence writes it in full,
and an article a summary sentence comes from names that person in full, that first
mention is written in full ("Jose Escalante was shot ...") while the word budget holds.

"Names in full": the English entity tagger (``crf-en``) tags the run a person; its words
are capitalised or initials, two to four; it opens on a first name of the tagger's
gazetteer, the article writes it twice, or its first word is one the article never writes
in lower case, no stop word and of no English word's form ("Committee Democrats", a
tagger's error, is none of these); the article gives the surname no other full name
(a generation such as "III" is no part of it), and tags it alone as a person at least
once and at least half as often as anything else ("Royal Canadian", with no "Canadian"
alone as a person, is not a name), or the name opens on a listed first name and the
surname begins no longer name ("Phil Ford" counts where the tagger reads "Ford" alone as
a company, not beside "Ford Motor Co."); a name tagged a place or a company counts only
with a listed first name and the surname alone tagged a person ("Juan Antonio
Samaranch"); the summary's articles give it one full name. A surname before
"administration", "era" and the like is left as it is ("a Bush administration rule").
The tagger runs only on an article of the summary that ends a longer name with a name
some summary sentence uses alone (:func:`used_alone`), and only on its sentences holding
such a name (read in the whole article's context: the same names as a full run); between
two articles' full names the sentence's own article decides. Names outside English are
left as they are (:func:`.readability.english_rules`).

The module also holds what a name written in full and a name used alone are
(:func:`full_names`, :func:`bare_names`), which the summary's order reads too
(:func:`name_before_introduction`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterator, Sequence

from storydesk.text import stopwords, word_count

from .readability import english_rules

__all__ = ["CAPITALISED", "NAME_RUN", "bare_names", "bare_words", "full_names", "last_name",
           "name_before_introduction", "names_in_full", "person_names", "used_alone",
           "write_names_in_full"]

# A name written in full: two or more capitalised words (or initials) in a row; its last
# word is the one a later mention uses alone ("Jack Ketsoyan" ... "Ketsoyan").
CAPITALISED = re.compile(r"[A-Z][\w'’-]*[a-z][\w'’-]*")
_NAME_WORD = rf"(?:{CAPITALISED.pattern}|[A-Z]\.)"
NAME_RUN = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})+")


def last_name(word: str) -> str:
    """A name's word without a possessive ("Ketsoyan's" -> "Ketsoyan")."""
    return re.sub(r"['’]s?$", "", word)


def names_in_full(text: str) -> Iterator[tuple[int, list[str]]]:
    """The names ``text`` writes in full: (where the run of capitalised words starts, the
    name's words), a leading stop word such as "The" or "In" not part of the name."""
    stop = stopwords("en")
    for m in NAME_RUN.finditer(text):
        parts = m.group().split()
        while parts and parts[0].lower() in stop:
            parts.pop(0)
        if len(parts) >= 2:
            yield m.start(), parts


def full_names(sentence: str) -> set[str]:
    """Last words of the names the sentence writes in full (:func:`names_in_full`), a
    generation left out ("Arcade Joseph Comeaux Jr." gives "Comeaux")."""
    return {last_name(_without_generation(parts)[-1]) for _, parts in names_in_full(sentence)}


def bare_words(sentence: str) -> list[re.Match[str]]:
    """Capitalised words that stand alone, in order: no capitalised word or initial next
    to them."""
    runs = [(m.start(), m.end()) for m in NAME_RUN.finditer(sentence)]
    return [m for m in CAPITALISED.finditer(sentence)
            if not any(a <= m.start() < b for a, b in runs)]


def bare_names(sentence: str) -> set[str]:
    """The names of :func:`bare_words` (a possessive "'s" off)."""
    return {last_name(m.group()) for m in bare_words(sentence)}


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
    full = [full_names(t) for t in sentences]
    bare = [bare_names(t) for t in sentences]
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


_MAX_WORDS = 4  # a person's name longer than this is read as something else
# A word of a person's name written in full: capitalised, or an initial ("van" and "of"
# make it something else: "Church of Jesus Christ of Latter").
_NAME_PART = re.compile(r"[A-Z][a-z][\w'’-]*|[A-Z]\.")
# Before a surname used alone: nothing that makes it part of a longer name (a quoted
# nickname too: 'Damon "Snacks" Harrison').
_NAME_BEFORE = re.compile(
    r"(?:\b[Tt]he|\b[A-Z]{2,}|\b(?:van|von|de|da|di|del|der|le|la|bin|al)|[A-Za-z][\"”’'])\s+$")


# What follows a surname in a full name ("Anthony LaCalamita III", "Hank Williams Jr.").
_SUFFIXES = frozenset("Jr Sr II III IV".split())


def _without_generation(parts: list[str]) -> list[str]:
    """A full name's words without a generation after the surname ("Anthony LaCalamita
    III" is Anthony LaCalamita)."""
    return parts[:-1] if len(parts) > 2 and parts[-1].rstrip(".,") in _SUFFIXES else parts


# After a surname used alone: it names a time or a body, not the person ("a Bush
# administration regulation", "the Nixon era").
_NAME_AS_LABEL = re.compile(
    r"\s+(?:administration|administrations|era|years|presidency|government|cabinet"
    r"|campaign|camp|White House)\b")

# Endings of English words rather than first names ("Describing", "Reportedly").
_WORD_FORM = re.compile(r"(?:ing|ed|ly|tion|ment|ness)$")


def person_names(text: str, language: str | None = None,
                 surnames: Collection[str] | None = None) -> dict[str, str]:
    """Surname -> the full name an article's ``text`` gives a person (see the module
    doc); empty outside English. ``surnames``: only these are asked for, and the tagger
    reads only the sentences holding one (in the whole text's context, so each is read
    as in a full run)."""
    if not english_rules(language):
        return {}
    from storydesk.extract.entity_models import first_name, mentions

    found: dict[str, Counter[str]] = {}  # full names tagged a person
    untyped: dict[str, Counter[str]] = {}  # ... tagged something else
    alone: Counter[str] = Counter()  # the surname alone, tagged a person
    other: Counter[str] = Counter()  # ... tagged a place or an organisation
    for name, kind in mentions(text, "crf-en", surnames):
        parts = _without_generation(name.split())
        surname = last_name(parts[-1])
        if len(parts) == 1:
            (alone if kind == "person" else other)[surname] += 1
        elif len(parts) <= _MAX_WORDS and all(_NAME_PART.fullmatch(w) for w in parts):
            (found if kind == "person" else untyped).setdefault(surname, Counter())[
                " ".join([*parts[:-1], surname])] += 1
    out = {}
    lower: set[str] | None = None
    for surname in found.keys() | untyped.keys():
        if surnames is not None and surname not in surnames:
            continue
        forms = found.get(surname) or untyped[surname]
        [(full, n)] = forms.items() if len(forms) == 1 else [("", 0)]
        if not full:
            continue
        first = full.split()[0]
        listed = first_name(first)
        # the surname alone tagged a person, at least half as often as anything else
        # ("Royal Canadian", with no "Canadian" alone as a person, is not a name); or a
        # full name tagged a person that opens on a listed first name, its surname in no
        # other run of capitalised words ("Phil Ford", where the tagger reads "Ford"
        # alone as a company; not beside "Ford Motor Co.")
        if not (alone[surname] >= 1 and 2 * alone[surname] >= other[surname]) and not (
                surname in found and listed and _only_as_surname(text, surname)) and not (
                _never_else(text, surname, full, found, untyped, other)):
            continue
        # a full name the tagger reads as a place or a company counts only with a listed
        # first name ("Juan Antonio Samaranch")
        if surname not in found and not listed:
            continue
        # a listed first name, a name the tagger found twice, or a first word the article
        # never writes in lower case and that has no English word's form ("Zdravko
        # Mucic"; "Committee Democrats", "Both Ranariddh", "Describing Yida" are none)
        if n < 2 and not listed:
            if lower is None:
                lower = {w for w in re.findall(r"\b[a-z][\w'’-]*", text)}
            word = first.lower()
            if word in lower or word in stopwords("en") or len(word.rstrip(".")) < 2 \
                    or _WORD_FORM.search(word):
                continue
        out[surname] = full
    return out


# Before a surname used alone: a determiner makes it a noun ("the Democrats").
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose)"


def _never_else(text: str, surname: str, full: str, found: dict[str, Counter[str]],
                untyped: dict[str, Counter[str]], other: Counter[str]) -> bool:
    """A full name the tagger reads only as a person, and whose surname alone it reads as
    nothing else, where the article uses the surname alone (never after "the", "a",
    "this" ...: "House Democrats" ... "the Democrats"; in no other run of capitalised
    words) and writes the first word only before the second ("Vishwanand Subryan" ...
    "Subryan is charged with ...", where the tagger tags "Subryan" alone as nothing;
    not "Congolese Tutsis" beside "Congolese troops")."""
    if surname not in found or surname in untyped or other[surname]:
        return False
    first, second = full.split()[:2]
    return _only_as_surname(text, surname) and _bare_mention(text, surname) is not None \
        and not re.search(rf"\b{_DETERMINER}\s+{re.escape(surname)}\b", text) and \
        not re.search(rf"(?<!\w){re.escape(first)}(?!\w)(?!\s+{re.escape(second)}(?!\w))",
                      text)


def _only_as_surname(text: str, surname: str) -> bool:
    """Every run of capitalised words in ``text`` holding ``surname`` ends with it ("Phil
    Ford", not "Ford Motor Co.")."""
    for m in NAME_RUN.finditer(text):
        words = [last_name(w) for w in m.group().split()]
        if surname in words[:-1]:
            return False
    return True


def _bare_mention(text: str, surname: str) -> re.Match[str] | None:
    """The first word of ``text`` that is ``surname`` alone (outside a run of names, not
    after "the", "van", a word in capitals or a quoted nickname: "the Clinton
    administration", "INS Sukanya", 'Damon "Snacks" Harrison'; not before "administration"
    or "era": "a Bush administration regulation")."""
    return next((m for m in bare_words(text) if last_name(m.group()) == surname
                 and not _NAME_BEFORE.search(text[max(0, m.start() - 8):m.start()])
                 and not (m.group() == surname and _NAME_AS_LABEL.match(text, m.end()))),
                None)


def used_alone(sentences: Sequence[str]) -> set[str]:
    """The names the sentences use alone, each in a sentence that does not also write it
    in full: those worth tagging an article for, where the article ends a longer name
    with one (cheap, before the tagger)."""
    return set().union(*(bare_names(s) - full_names(s) for s in sentences))


def write_names_in_full(
    texts: Sequence[str], names: Sequence[dict[str, str] | None], budget: int | None = None,
) -> list[str]:
    """``texts``: a summary's sentences in order; ``names[k]``: :func:`person_names` of
    the article of sentence k, or None where that article's names are left as written
    (not English). The full names of all the summary's articles go together (a surname
    they give two different full names is left alone, unless the sentence's own article
    gives it one), and the summary's first use of a surname alone, before any sentence
    writes the name in full, becomes the full name, while the summary stays within
    ``budget`` words (None: no limit)."""
    known: dict[str, str] = {}
    clash: set[str] = set()
    for d in names:
        for surname, full in (d or {}).items():
            if known.setdefault(surname, full) != full:
                clash.add(surname)
    out = list(texts)
    used = sum(word_count(t) for t in texts)
    introduced: set[str] = set()
    for k, text in enumerate(texts):
        if names[k] is None:
            introduced |= full_names(text)
            continue
        own = names[k] or {}
        for surname, full in sorted((known | own).items()):
            if (surname in clash and surname not in own) or surname in introduced \
                    or surname in full_names(text):
                continue
            m = _bare_mention(out[k], surname)
            if m is None:
                continue
            extra = len(full.split()) - 1
            if budget is not None and used + extra > budget:
                continue
            out[k] = out[k][:m.start()] + full + out[k][m.start() + len(surname):]
            used += extra
            introduced.add(surname)
        introduced |= full_names(out[k])
    return out
