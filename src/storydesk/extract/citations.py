"""The news agencies and outlets an article attributes information to.

A name from the curated list (``data/agencies.tsv``, matched case-sensitively on
whole words with one combined trie-shaped regex) counts only when the words around
it attribute something to it:

* before it: "according to", "citing", "reported by", "told", "(Cited: ...)",
  "interview with", "a report by", optionally through a descriptor ("the Russian
  state news agency TASS");
* after it: "Reuters said", "RIA Novosti reported", "a Xinhua report", "TASS's
  correspondent";
* as a credit: "MOSCOW (Reuters) -", "/TASS/", "— AP" at the end of a line, a
  line that is only the name.

Names joined by "and" / "," / "/" share their context ("TASS and RIA Novosti
reported"). A name that runs on into a longer proper name ("The National Guard",
"Michael Bloomberg") or is followed by an ordinary noun ("Reuters journalists")
is not a citation: precision first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "agencies.tsv"
LEFT_WINDOW = 120  # characters read before a name for its attribution
RIGHT_WINDOW = 80  # characters read after it
LEFT_WORDS = 10  # attribution words start at most this many words before a name


@dataclass(frozen=True)
class Source:
    """One agency or outlet of the list: its canonical name and how it is written."""

    name: str
    kind: str  # "agency" | "outlet"
    country: str
    aliases: tuple[str, ...]


def load_sources(path: Path = DATA_FILE) -> list[Source]:
    """The agencies and outlets of the data file."""
    out: list[Source] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        parts += [""] * (4 - len(parts))
        name, kind, country, spellings = (p.strip() for p in parts[:4])
        only = spellings.startswith("=")
        names = [] if only else [name]
        names += [a.strip() for a in spellings.lstrip("=").split("|") if a.strip()]
        expanded: list[str] = []
        for a in names:
            expanded.append(a)
            if a.startswith("The "):
                expanded.append("the " + a[4:])
        out.append(Source(name, kind, country, tuple(dict.fromkeys(expanded))))
    return out


def _trie_regex(words: list[str]) -> str:
    """One regex alternation shaped as a character trie: fast to scan with ``re``."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return f"(?:{body})?"
        return body

    return build(trie)


# The same in other languages: "агентства", "Nachrichtenagentur", "la agencia", "وكالة".
_FOREIGN_DESC = (
    r"агентств[оауе]|агентством|информагентств[оауе]|издани[еяю]|газет[аыуе]|телеканала?"
    r"|nachrichtenagentur|agentur|zeitung|sender|agencia|agence|agenzia|agencja|ajansı"
    r"|وكالة|الأنباء|صحيفة|قناة"
)
# Words between an attribution verb and the name: "the Russian state news agency".
_DESC = (
    r"(?:(?i:state|state-run|state-owned|state-controlled|government|government-run|official"
    r"|news|agency|newspaper|daily|weekly|broadcaster|channel|television|tv|radio|wire|service"
    r"|outlet|website|site|portal|magazine|public|private|independent|opposition|leading|major"
    r"|local|regional|national|international|business|financial|online|media|tabloid|paper"
    r"|network|news\s+agency|[\w]+-(?:run|owned|controlled|based|language|backed|friendly|leaning)"
    rf"|pro-[\w-]+|{_FOREIGN_DESC})|[A-Z][\w'’.-]*)"
)
_BEFORE = (
    r"according\s+to|citing|cited\s+by|quoted\s+by|quoting|(?:as\s+|first\s+)?reported\s+by"
    r"|reports?\s+by|reporting\s+by|report\s+from|told|telling|tells|tell|speaking\s+to"
    r"|spoke\s+to|speaking\s+with|spoke\s+with|talking\s+to|talked\s+to|interview\s+with"
    r"|interviewed\s+by|comments\s+to|remarks\s+to|statement\s+to|via|writes|wrote|reports"
    r"|reported|published\s+by|published\s+in|broadcast\s+by|broadcast\s+on|aired\s+by"
    r"|aired\s+on|carried\s+by|obtained\s+by|seen\s+by|reviewed\s+by|confirmed\s+to"
    r"|confirmed\s+by|explained\s+to|appearance\s+on|appeared\s+on|writing\s+in|writes\s+in"
    r"|wrote\s+in|op-ed\s+(?:in|for)|column\s+(?:in|for)|article\s+(?:in|for|by)"
    r"|story\s+(?:in|by)|report\s+(?:in|on)|data\s+from|figures\s+from|estimates\s+by"
    r"|calculations\s+by|tally\s+by|poll\s+by|survey\s+by|investigation\s+by|analysis\s+by"
    r"|per|laut|zufolge|berichtete?|meldete?|selon|rapporte|d'après|según|informó|informa"
    r"|secondo|riferisce|сообщает|сообщил[аио]?|переда[её]т|передал[аио]?|пишет"
    r"|по\s+данным|со\s+ссылкой\s+на|по\s+сообщению|по\s+информации|заявил[аи]?"
    r"|рассказал[аи]?|в\s+интервью"
    r"|podała|podał|podaje|według|poinformowała|poinformował|informuje"
    r"|و?(?:ذكرت|ذكر|قالت|قال|أفادت|أفاد|أوردت|نقلت\s+عن|نقل\s+عن|نقلا\s+عن|نقلاً\s+عن"
    r"|بحسب|حسب)"
)
_REPORT_NOUN = (
    r"(?i:report|reports|story|article|dispatch|interview|investigation|analysis|survey|poll"
    r"|statement|tally|calculations?|data|figures|estimates?|footage|broadcast|piece)"
)
_LEFT = re.compile(
    rf"(?<![\w-])(?i:{_BEFORE})\s+(?:(?i:an?|the|der|die|das|la|le|les|el|il)\s+|(?i:l)['’])?"
    rf"(?:{_REPORT_NOUN}\s+(?i:by|from|in|of|on)\s+(?:(?i:the)\s+)?)?(?:{_DESC}\s+){{0,4}}$"
)
_LABEL_LEFT = re.compile(
    r"(?i:cited|cited\s+from|source|sources|quelle|quellen|fuente|источник|источники)\s*:\s*$"
)
_DASH_LEFT = re.compile(r"(?:^|\s)[—–-]{1,2}\s*$")
_AFTER_VERB = (
    r"reported|reports|report|reporting|said|says|wrote|writes|quoted|quotes|quoting|cited"
    r"|cites|citing|learned|learnt|learns|understands|was\s+told|were\s+told|been\s+told"
    r"|published|publishes|broadcast|broadcasts|aired|airs|announced|confirmed|noted|notes"
    r"|added|adds|tweeted|posted|claimed|claims|obtained|saw|seen|reviewed|estimated"
    r"|estimates|calculated|calculations?|contributed|could\s+not|couldn't|cannot|can't"
    r"|was\s+unable|were\s+unable|revealed|reveals|disclosed|stated|states|informed|asked"
    r"|spoke|interviewed|correspondents?|reporters?|interview|investigation|analysis|tally"
    r"|count|survey|poll|dispatch|story|article|footage|photographers?|columnist|editor"
    r"|berichtete?|meldete?|rapporte|informó|informa|reportó|riferisce|сообщает"
    r"|сообщил[аио]?|переда[её]т|передал[аио]?|пишет|пишут|утверждает"
    r"|haberine\s+göre|açıklamasına\s+göre|göre|bildirdi|aktardı|duyurdu"
)
_AFTER_DESC = (
    r"news\s+agency|agency|newswire|wire\s+service|news\s+service|newspaper|daily|broadcaster"
    r"|television|tv(?:\s+channel)?|channel|radio|website|outlet|magazine|news|sources?"
)
_ADVERB = (
    r"has|had|have|also|earlier|previously|later|first|reportedly|then|exclusively|separately"
    r"|originally|initially|recently|was|were|is|been|had\s+been|has\s+been|today|yesterday"
    r"|on\s+\w+|late\s+\w+|last\s+\w+|this\s+\w+|earlier\s+\w+"
)
_RIGHT = re.compile(
    rf"(?:['’](?:s|\w{{1,5}})?)?\s*,?\s*(?:(?i:{_AFTER_DESC})\s+)?(?:(?i:{_ADVERB})\s+){{0,3}}"
    rf"(?i:{_AFTER_VERB})(?!\w)"
)
_CITING_AFTER = re.compile(r"\s*,\s*(?i:citing|quoting)\b")
_FUNCTION = (
    r"that|which|who|whom|whose|and|or|but|as|in|on|at|by|for|from|with|to|of|about|after"
    r"|before|during|over|via|into|when|while|where|if|because|since|than|earlier|later|last"
    r"|this|today|yesterday|tonight|late|early|also|has|had|have|is|was|were|are|will|would"
    r"|could|can|may|might|did|does|do|he|she|they|it|we|i|you|his|her|their|its|there|the|a"
    r"|an|not|exclusively|separately|reportedly|first|then|previously|recently"
)
_WEEKDAY_MONTH = (
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April"
    r"|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug"
    r"|Sept?|Oct|Nov|Dec|News|Agency|TV|Television|Radio|Online|World|Service"
)
_FOLLOW_OK = re.compile(
    rf"(?:['’]s?(?!\w))?(?:\s*(?:$|[^\w\s])|\s+(?:(?i:{_FUNCTION}|{_AFTER_VERB}|{_AFTER_DESC})"
    rf"(?!\w)|(?:{_WEEKDAY_MONTH})(?!\w)|[a-z]+ed(?!\w)|[^\W\d_a-zA-Z]))"
)
_SEP = re.compile(r"\s*(?:,|/|&|;|and|or|as\s+well\s+as|,\s*and|,\s*or)\s*(?:(?i:the)\s+)?")
_FOREIGN_DESC_RE = re.compile(_FOREIGN_DESC)
_PREV_WORD = re.compile(r"[A-Z][\w'’.-]*")
_NATIONALITY = re.compile(r"(?:an|ese|ish|i|ch|ic|ean|ian|[’']s)$")
_OPEN = {"(": ")", "[": "]", "/": "/"}
# Chinese and Japanese write no space around a name: "据新华社报道", "新华社北京12月6日电".
_CJK_CHAR = "\u3040-\u30ff\u3400-\u9fff"
_CJK_END = re.compile(f"[{_CJK_CHAR}]$")
_CJK_LEFT = re.compile(r"(?:据|根据|援引|引述|转引自|引自|来源[:：]|によると)\s*$")
_CJK_RIGHT = re.compile(
    r"\s*(?:(?:[^\s，。,.\d]{0,6}\d{1,2}月\d{1,2}日)?(?:电|讯)|报道|消息|称|表示|发布|记者|援引"
    r"|によると|が報じ)"
)
# Matched names end at a word boundary, or anywhere after a CJK character.
_NAME_END = rf"(?:(?<=[{_CJK_CHAR}])|(?!\w|-\w))"
_CAP = r"[A-ZÀ-ÞА-ЯЁ][\w'’.&-]*"
_DATELINE_CREDIT = re.compile(
    rf"{_CAP}(?:[ -]{_CAP}){{0,3}}(?:,\s*{_CAP}(?:\s{_CAP}){{0,2}})?"
    r"(?:,\s*[^()\n/]{3,30}?\d)?\.?\s*"
    rf"(?P<o>[(/])(?P<name>{_CAP}(?: {_CAP}){{0,3}})[)/]\.?\s*(?:[-–—]{{1,2}}|\.)"
)
# Capitalised words that may start a sentence right before a name ("Then Reuters said").
_STARTERS = frozenset(
    "The A An Then But And Meanwhile Earlier Later Also However So Now Yesterday Today "
    "Separately Still Additionally Finally Previously Instead Both Only Even When While As "
    "After Before Since If Though Although Because On In At By For From With Without Last "
    "This That Here There Citing According Reporting Speaking Asked Told Quoting Via Unlike "
    "Like Per Or Nor Yet Cited Source Sources Laut Selon Según Secondo".split()
)


@lru_cache(maxsize=1)
def _matcher() -> tuple[
    re.Pattern[str], re.Pattern[str] | None, tuple[str, ...], dict[str, str], frozenset[str]
]:
    """The scanning regexes and the canonical name of every spelling.

    Spellings that start with an upper-case letter (or any non-Latin character) go
    into one trie regex, which ``re`` scans fast because every branch starts with a
    capital. "the Guardian" is found as "Guardian" preceded by "the " (``needs_the``
    holds such spellings); the few lower-case spellings ("dpa") get their own regex.
    """
    canon: dict[str, str] = {}
    for src in load_sources():
        for a in src.aliases:
            canon.setdefault(a, src.name)
    needs_the: set[str] = set()
    for a in list(canon):
        if a.startswith("the "):
            bare = a[4:]
            if bare not in canon:
                canon[bare] = canon[a]
                needs_the.add(bare)
            del canon[a]
    upper = sorted(a for a in canon if not a[0].islower())
    lower = sorted(a for a in canon if a[0].islower())
    main = re.compile(rf"(?:{_trie_regex(upper)}){_NAME_END}")
    small = re.compile(rf"(?:{_trie_regex(lower)}){_NAME_END}") if lower else None
    return main, small, tuple(lower), canon, frozenset(needs_the)


def canonical_names() -> list[str]:
    """Every canonical name in the list."""
    return list(dict.fromkeys(_matcher()[3].values()))


def _runs_into_name(text: str, start: int) -> bool:
    """True when a capitalised word right before the name makes it part of a longer
    proper name ("Michael Bloomberg"): any but a nationality ("Russian"), a descriptor
    ("Kremlin-backed"), a possessive ("Qatar's") or a common sentence opener."""
    if start == 0 or text[start - 1] != " ":
        return False
    before = text[max(0, start - 60):start].rstrip()
    parts = before.rsplit(None, 1)
    m = _PREV_WORD.fullmatch(parts[-1]) if parts else None
    if not m:
        return False
    word = m.group(0)
    if "-" in word or word.isupper() or _NATIONALITY.search(word):
        return False
    if word in _STARTERS or _FOREIGN_DESC_RE.fullmatch(word.lower()):
        return False
    return True


def _line_before(text: str, start: int) -> str:
    left = text[max(0, start - LEFT_WINDOW):start]
    cut = left.rfind("\n")
    return left[cut + 1:] if cut >= 0 else left


def _left_attributes(left: str) -> bool:
    """True when ``left`` ends with attribution words ("according to the state news
    agency "). The anchored regex is tried only at the starts of the last words."""
    if left.rstrip().endswith(":") and _LABEL_LEFT.search(left[-30:]):
        return True
    pos = len(left)
    for _ in range(LEFT_WORDS):
        cut = left.rfind(" ", 0, pos - 1) if pos > 1 else -1
        for p in (cut + 1, cut + 2):
            if p < len(left) and _LEFT.match(left, p):
                return True
        if cut < 0:
            break
        pos = cut
    return False


def _attributed(text: str, start: int, end: int) -> bool:
    left = _line_before(text, start)
    if _left_attributes(left):
        return True
    right = text[end:end + RIGHT_WINDOW]
    if _CJK_END.search(text[start:end]) and (_CJK_LEFT.search(left) or _CJK_RIGHT.match(right)):
        return True
    if _RIGHT.match(right) or _CITING_AFTER.match(right):
        return True
    before = left.rstrip()
    if before and before[-1] in _OPEN and right[:1] == _OPEN[before[-1]]:
        return True  # "(Reuters)", "[AP]", "/TASS/"
    line_ends = right.split("\n", 1)[0].strip() == ""
    if line_ends and (not left.strip() or _DASH_LEFT.search(left)):
        return True  # a credit line: "Reuters", "— AP"
    return False


def _mentions(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, canonical)`` of every listed name written in ``text``."""
    main, small, lower, canon, needs_the = _matcher()
    found = list(main.finditer(text))
    if small is not None and any(a in text for a in lower):
        found += small.finditer(text)
        found.sort(key=lambda m: m.start())
    out: list[tuple[int, int, str]] = []
    for m in found:
        start, alias = m.start(), m.group(0)
        cjk = _CJK_END.match(alias[0]) is not None
        if start and not cjk and (text[start - 1].isalnum() or text[start - 1] in "_-"):
            continue
        if alias in needs_the:
            if text[max(0, start - 4):start] != "the " or (
                start > 4 and text[start - 5].isalnum()
            ):
                continue
            start -= 4
        if _runs_into_name(text, start):
            continue
        out.append((start, m.end(), canon[alias]))
    return out


@lru_cache(maxsize=64)
def _known_matcher(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?:{_trie_regex(sorted(set(names)))}){_NAME_END}")


def _dateline_credits(text: str) -> list[tuple[int, int, str]]:
    """Names credited in a dateline at the start of a paragraph, listed or not:
    "KARSK, March 2, 2026 (Meridian Wire) -", "VELGRAD, 16 February 2026 /VSA/ --"."""
    out = []
    pos = 0
    while pos >= 0:
        m = _DATELINE_CREDIT.match(text, pos)
        nl = text.find("\n", pos)
        pos = nl + 1 if nl >= 0 else -1
        if not m:
            continue
        head = text[m.start():m.start("o")].strip()
        first = head.split(None, 1)[0].strip(",") if head else ""
        if any(c.isdigit() for c in head) or (len(first) >= 3 and first.isupper()):
            out.append((m.start("name"), m.end("name"), m.group("name")))
    return out


def find_citations(text: str, known: tuple[str, ...] | list[str] | None = None) -> list[str]:
    """Canonical names of the agencies and outlets ``text`` attributes information to,
    unique, in order of first appearance.

    ``known`` (optional) adds names to look for beyond the curated list, such as the
    outlets a desk already follows; they are matched case-sensitively like the list.
    A name credited in a paragraph's dateline ("PLACE, DATE (Name) -") counts even
    when it is on no list.
    """
    if not text:
        return []
    mentions = _mentions(text)
    extra: list[tuple[int, int, str]] = []
    if known:
        _, _, _, canon, _ = _matcher()
        for m in _known_matcher(tuple(known)).finditer(text):
            s0 = m.start()
            if s0 and (text[s0 - 1].isalnum() or text[s0 - 1] in "_-"):
                continue
            if not _runs_into_name(text, s0):
                extra.append((s0, m.end(), canon.get(m.group(0), m.group(0))))
    if "(" in text or "/" in text:
        _, _, _, canon, _ = _matcher()
        extra += [(a, b, canon.get(n, n)) for a, b, n in _dateline_credits(text)]
    if extra:
        spans = {(a, b) for a, b, _ in mentions}
        mentions += [x for x in extra if (x[0], x[1]) not in spans]
        mentions.sort()
    out: dict[str, None] = {}
    i = 0
    while i < len(mentions):
        j = i
        while j + 1 < len(mentions) and _SEP.fullmatch(
            text, mentions[j][1], mentions[j + 1][0]
        ):
            j += 1
        group = mentions[i:j + 1]
        start, end = group[0][0], group[-1][1]
        follows = _FOLLOW_OK.match(text, end) or _CJK_END.search(text[start:end])
        if follows and _attributed(text, start, end):
            for _, _, name in group:
                out.setdefault(name, None)
        i = j + 1
    return merge_short_forms(list(out))


def merge_short_forms(names: list[str]) -> list[str]:
    """Names in order of first appearance, without the short forms of an earlier one:
    "The Times" after "The New York Times" is the same paper, as a second reference in
    one article is ("The Post" after "The Washington Post"). A short form is "The" and one
    word that ends the longer name; one that comes first stays its own source."""
    out: list[str] = []
    for name in names:
        core = name.removeprefix("The ")
        if core != name and " " not in core and any(
            len(earlier) > len(name) and earlier.endswith(" " + core) for earlier in out
        ):
            continue
        out.append(name)
    return out
