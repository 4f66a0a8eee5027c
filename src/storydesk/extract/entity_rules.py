"""The capitalised-sequence chunker with gazetteers: storydesk's first entity method,
kept for comparison (``method="rules"``; the default reads the CRF taggers).

Capitalised runs of words, joined across connectors ("Bank of England"), lose leading
sentence openers and titles, are split at "and"/"of" unless the whole is a known name,
and are typed by the gazetteers in ``data/entities`` (places, organisations, organisation
words, first names) and by the words around them ("Mr", "in", "said"). ``resolve`` gives
every mention one name and type per article.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from storydesk.extract.tagger import ABBREV, DATA_DIR

PERSON, ORG, PLACE = "person", "organisation", "place"

# Words that make the next capitalised name a person.
TITLES = {
    "president", "vice", "prime", "minister", "chancellor", "king", "queen", "prince", "princess",
    "pope", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lady", "lord",
    "senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov",
    "mayor", "judge", "justice", "general", "gen", "colonel", "col", "captain", "capt",
    "lieutenant", "lt", "sergeant", "sgt", "admiral", "commander", "archbishop", "bishop",
    "cardinal", "rabbi", "imam", "father", "sheikh", "emir", "ayatollah", "chairman", "chairwoman",
    "secretary", "ambassador", "commissioner", "inspector", "detective", "officer", "coach",
    "chief", "deputy", "spokesman", "spokeswoman", "spokesperson", "striker", "defender",
    "goalkeeper", "singer", "actor", "actress", "director", "economist", "researcher", "lawyer",
}
# Words that make the next capitalised name a place ("in Paris").
PLACE_PREPS = {"in", "near", "at", "from", "across", "outside", "inside", "around", "towards"}
# Connectors allowed inside a name when the name is an organisation or place.
JOINERS = {"of", "for", "and", "&", "on"}
# Lower-case particles inside person names.
PARTICLES = {
    "de", "da", "di", "del", "della", "van", "von", "der", "den", "du", "la", "le", "bin", "al",
    "el", "ibn", "dos", "das",
}
# Last words that make a name of two or more words a place ("Weaver Street"); the CRF path
# reads them too (``entities.person_or_not``).
PLACE_HEADS = {
    "Sea", "Ocean", "River", "Valley", "Mountains", "Mountain", "Island", "Islands", "Province",
    "Region", "County", "Lake", "Bay", "Gulf", "Strait", "Peninsula", "Desert", "Airport", "Square",
    "Street", "Avenue", "Road", "Lane", "Bridge", "Stadium", "Park", "District", "Republic",
    "Coast", "Canal", "Mount", "Cape", "Isle", "Basin", "Plateau",
}
PLACE_PREFIX = {
    "Mount", "Cape", "Lake", "Gulf", "Bay", "Isle", "Sea", "Republic", "Strait", "Port", "Fort",
    "San", "Santa", "Saint", "St", "St.",
}
# "the port of X", "the mayor of X", "X island": lower-case nouns that mark a place name.
PLACE_OF_NOUNS = {
    "port", "city", "town", "village", "capital", "province", "region", "state", "island",
    "islands", "district", "county", "suburb", "outskirts", "centre", "center", "streets", "mayor",
    "governor", "residents", "people", "citizens", "coast", "shores", "north", "south", "east",
    "west", "heart", "area", "municipality", "prefecture", "republic",
}
PLACE_AFTER_NOUNS = {
    "island", "islands", "province", "region", "district", "county", "harbour", "harbor", "airport",
    "valley", "river", "peninsula", "municipality", "prefecture",
}
MONTHS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec",
}
DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
# Capitalised words that are not names wherever they stand.
NOT_NAMES = MONTHS | DAYS | {
    "I", "I'm", "I've", "I'd", "I'll", "OK", "TV", "CEO", "CFO", "GDP", "COVID", "Covid", "AM",
    "PM", "BST", "GMT", "UTC", "EST", "Mr", "Mrs", "Ms", "Dr", "Christmas", "Easter", "Ramadan",
    "Internet", "God", "Read", "More", "Photo", "Image", "Video", "Copyright", "Getty", "Images",
    "Advertisement", "Share", "Click", "Subscribe", "Follow", "Related", "Updated", "Published",
    "Sign", "Story", "Topics", "Watch", "Listen",
}
DEMONYM_ENDINGS = ("ian", "ese", "ish", "ans", "ians", "ese")
# Capitalised words that open sentences and are not names (with the English stop words).
OPENERS = frozenset({
    "According", "After", "Before", "Although", "Speaking", "Meanwhile", "However", "Officials",
    "Residents", "Thousands", "Hundreds", "Dozens", "Millions", "Both", "Police", "Protesters",
    "Voters", "Farmers", "Analysts", "Experts", "Critics", "Health", "Last", "Next", "Earlier",
    "Later", "Today", "Yesterday", "Tomorrow", "Now", "Here", "Yes", "No", "But", "And", "Or", "So",
    "If", "When", "While", "Despite", "Since", "Under", "Over", "Our", "Your", "Their", "His",
    "Her", "Its", "This", "That", "These", "Those", "Such", "Many", "Most", "Some", "Several",
    "Other", "Another", "New", "Why", "How", "What", "Who", "Where", "Which", "Asked", "Instead",
    "Also", "Still", "Even", "Only", "Just", "Few", "Each", "Every", "All", "Any", "Not", "Nor",
    "Yet", "Then", "There", "They", "We", "You", "He", "She", "It", "A", "An", "The", "In", "On",
    "At", "By", "For", "From", "To", "With", "Without", "Within", "During", "Until", "Among",
    "Between", "Against",
})

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-'’&]\w+)*", re.UNICODE)
POSSESSIVE = re.compile(r"['’]s$")
_ACRONYM = re.compile(r"^(?:[A-Z]{2,6}|(?:[A-Z]\.){2,5})$")


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    sent_start: bool
    possessive: bool = False

class _Gazetteers:
    def __init__(self) -> None:
        self.places = self._load("places_geonames.txt") | self._load("places_extra.txt")
        self.orgs = self._load("organisations.txt")
        self.org_words = self._load("org_words.txt")
        self.first_names = self._load("first_names.txt") | self._load("first_names_extra.txt")
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        self.stop = {w.title() for w in ENGLISH_STOP_WORDS} | OPENERS

    @staticmethod
    def _load(name: str) -> set[str]:
        text = (DATA_DIR / name).read_text("utf-8")
        return {ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}


@lru_cache(maxsize=1)
def _gaz() -> _Gazetteers:
    return _Gazetteers()


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = 0
    prev_text = ""
    for m in _TOKEN.finditer(text):
        word = m.group()
        gap = text[prev_end : m.start()]
        sent_start = (
            not toks or "\n" in gap or (any(c in gap for c in ".!?:") and prev_text not in ABBREV)
        )
        possessive = bool(POSSESSIVE.search(word))
        if possessive:
            word = word[:-2]
        toks.append(_Tok(word, m.start(), m.end(), bool(sent_start), possessive))
        prev_end, prev_text = m.end(), word
    return toks


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and not word.isdigit()


def _chunks(toks: list[_Tok], text: str) -> list[tuple[int, int]]:
    """Spans [i, j) of maximal capitalised runs, joined across connectors."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    while i < n:
        if not _is_cap(toks[i].text) or toks[i].text in NOT_NAMES:
            i += 1
            continue
        j = i + 1
        while j < n and not toks[j - 1].possessive:
            gap = text[toks[j - 1].end : toks[j].start]
            if gap.strip() not in ("", ".") or toks[j].sent_start and gap.strip():
                break
            w = toks[j].text
            if _is_cap(w) and w not in NOT_NAMES:
                j += 1
                continue
            # a connector followed by a capitalised word
            if (
                (w in JOINERS or w in PARTICLES)
                and j + 1 < n
                and _is_cap(toks[j + 1].text)
                and text[toks[j].end : toks[j + 1].start].strip() == ""
            ):
                j += 2
                continue
            break
        spans.append((i, j))
        i = j
    return spans


def _classify(words: list[str], gz: _Gazetteers, prev: str, prev2: str, nxt: str) -> str | None:
    name = " ".join(words)
    in_org, in_place = name in gz.orgs, name in gz.places
    if in_org and in_place:
        return PLACE if prev.lower() == "the" and name not in ("Kremlin", "Pentagon") else ORG
    if in_org:
        return ORG
    if in_place:
        return PLACE
    last, first = words[-1], words[0]
    if last in gz.org_words or any(
        w in gz.org_words and nw in ("of", "for") for w, nw in zip(words, words[1:], strict=False)
    ):
        return ORG
    if len(words) > 1 and (last in PLACE_HEADS or first in PLACE_PREFIX):
        return PLACE
    low_prev = prev.lower().rstrip(".")
    if low_prev in TITLES:
        return PERSON
    if len(words) > 1 and first in gz.first_names and not any(w in JOINERS for w in words):
        return PERSON
    if _ACRONYM.match(name):
        return ORG
    if low_prev in PLACE_PREPS and len(words) == 1:
        return PLACE
    if len(words) <= 2 and (
        (low_prev == "of" and prev2.lower() in PLACE_OF_NOUNS) or nxt in PLACE_AFTER_NOUNS
    ):
        return PLACE
    if nxt in ("said", "says", "told", "added", "wrote") and len(words) <= 3:
        return PERSON
    if prev in ("said", "says") and len(words) <= 3:
        return PERSON
    if 2 <= len(words) <= 3 and not any(w in JOINERS for w in words):
        # an unknown run of capitalised words: in news more often a company,
        # club or party than a person without title or known first name
        return ORG
    return None


def _split_joined(words: list[str], gz: _Gazetteers) -> list[list[str]]:
    """Split a run at connectors unless the whole is an organisation or place name."""
    if not any(w in JOINERS for w in words):
        return [words]
    name = " ".join(words)
    if name in gz.orgs or name in gz.places:
        return [words]
    last = words[-1]
    heads = gz.org_words | PLACE_PREFIX | PLACE_HEADS
    if any(w in heads and nw in ("of", "for") for w, nw in zip(words, words[1:], strict=False)):
        return [words]
    if last in gz.org_words and "and" in words:
        # "Securities and Investments Commission": join when the left part is
        # not itself a name on its own
        k = words.index("and")
        left = " ".join(words[:k])
        if left not in gz.orgs and left not in gz.places and words[0] not in gz.first_names:
            return [words]
    out: list[list[str]] = []
    cur: list[str] = []
    for w in words:
        if w in JOINERS:
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(w)
    if cur:
        out.append(cur)
    return out


def _demonym(word: str, gz: _Gazetteers) -> bool:
    return len(word) > 5 and word.endswith(DEMONYM_ENDINGS) and word not in gz.first_names


def rules(text: str, english: bool) -> list[tuple[str, str]]:
    gz = _gaz()
    toks = _tokenize(text)
    mid_caps = {t.text for t in toks if not t.sent_start and _is_cap(t.text)}
    raw: list[tuple[list[str], str | None]] = []
    for i, j in _chunks(toks, text):
        words = [t.text for t in toks[i:j]]
        # drop leading stop-words and titles ("The", "President", "Mr")
        while (
            words
            and (words[0] in gz.stop or words[0].lower().rstrip(".") in TITLES)
            and not (" ".join(words) in gz.orgs or " ".join(words) in gz.places)
        ):
            i += 1
            words = words[1:]
        if not words:
            continue
        prev = toks[i - 1].text if i > 0 else ""
        prev2 = toks[i - 2].text if i > 1 else ""
        nxt = toks[j].text if j < len(toks) else ""
        sent_start = toks[i].sent_start
        for part in _split_joined(words, gz):
            while part and part[-1] in PARTICLES:
                part = part[:-1]
            if not part:
                continue
            name = " ".join(part)
            if len(part) == 1 and (_demonym(name, gz) or name in gz.stop):
                continue
            typ = _classify(part, gz, prev, prev2, nxt)
            known = name in gz.orgs or name in gz.places
            if sent_start and len(part) == 1 and not known and typ is None and name not in mid_caps:
                continue
            if not english and not known and typ != PERSON:
                continue
            raw.append((part, typ))
            prev = part[-1]
    return resolve(raw)


def resolve(raw: list[tuple[list[str], str | None]]) -> list[tuple[str, str]]:
    """Give every mention a canonical name and type; drop those left untyped."""
    types: dict[str, Counter[str]] = {}
    for words, typ in raw:
        c = types.setdefault(" ".join(words), Counter())
        if typ:
            c[typ] += 1
    best = {n: (c.most_common(1)[0][0] if c else None) for n, c in types.items()}
    multi = [n for n in best if " " in n]
    canon: dict[str, str] = {}
    for n in best:
        if " " in n:
            continue
        # a single word that is the last (or first) word of a longer name
        longer = [m for m in multi if m.split()[-1] == n and best[m] == PERSON]
        if not longer:
            longer = [
                m
                for m in multi
                if n in m.split()
                and best[m] in (ORG, PLACE)
                and best[n] in (None, best[m])
                and m.split()[0] == n
            ]
        if len(longer) >= 1:
            canon[n] = max(longer, key=lambda m: sum(1 for w, _ in raw if " ".join(w) == m))
    out: list[tuple[str, str]] = []
    for words, _typ in raw:
        n = " ".join(words)
        c = canon.get(n, n)
        t = best.get(c) or best.get(n)
        if t:
            out.append((c, t))
    return out

