"""Whether a summary sentence reads on its own, outside its article.

A sentence lifted out of an article can lean on what came before it: it opens with a
quotation (whose speaker is named in the sentence before, or after), with a pronoun or a
demonstrative whose referent is in the previous sentence ("He said ...", "This was ..."),
with a connective that answers the previous sentence ("But ...", "However, ..."), or it
is a fragment. These rules say so from the sentence's own words, with no model:

* :func:`opens_with_quote`: the sentence starts inside quotation marks;
  :func:`continues_quote`: it ends a quotation opened in an earlier sentence.
* :func:`opening_pronoun`: the first word is a pronoun or demonstrative that points back.
* :func:`opening_connective`: the first word answers the previous sentence, or a
  connective set off after the first phrase does ("The protesters, however, ...").
* :func:`answers_before`: it agrees, disagrees, refuses or says something of what was
  told before without saying what ("Williams agreed.", "The panel refused, to avoid
  appearing biased.", "The Angels apparently are good with that.").
* :func:`quote_without_speaker`: it holds a quotation and no attribution outside it.
* :func:`fragment_reason`: no verb cue, starts in lower case or with a figure, ends on a
  lone initial, a lone digit or a function word, is in title case (a headline), or has no
  final punctuation.

The pronoun, connective and quotation rules also read German, French, Spanish, Italian,
Portuguese, Dutch, Russian, Polish and Turkish (:data:`.pointing.POINTING_BACK`, one list
set per base language; :func:`quote_with_pronoun_speaker`); the fragment rules are English. Other
languages have no rules, and a summary says so (:func:`readability_note`: "no rules for
zh") rather than reading them as English.

:func:`summary_problems` applies them to a whole summary: an opening pronoun is fine when
the summary sentence just before it is the same article's preceding sentence (the
referent came along), dangling otherwise. :func:`name_before_introduction` finds a name
used bare ("Ketsoyan would not say ...") before the sentence that introduces it in full
("her publicist, Jack Ketsoyan"): the story summary's order puts the full name first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from storydesk.text import base_language, words
from storydesk.text.sentences import MONTHS, WEEKDAYS

from .marks import (
    CLOSES_AT_END,
    QUOTE_MARK,
    QUOTE_START,
    TERMINAL,
    close_quotation,
    open_quotations,
)
from .pointing import (
    CONNECTIVES,
    EN_AGREES_WITH_BEFORE,
    EN_CONNECTIVE_PHRASES,
    EN_GROUP_WORD,
    EN_POINTING_PHRASES,
    EN_THEY_AFTER_PHRASE,
    POINTING_BACK,
    PRONOUNS,
)

__all__ = [
    "rules_language",
    "readability_note",
    "quote_with_pronoun_speaker",
    "opens_with_quote",
    "continues_quote",
    "inside_quotation",
    "quote_runs_on",
    "asks_question",
    "opening_pronoun",
    "opening_connective",
    "answers_before",
    "quote_without_speaker",
    "english_rules",
    "fragment_reason",
    "needs_predecessor",
    "reads",
    "summary_problems",
]

_DEMONSTRATIVES = frozenset("this that these those".split())
_TIME_WORDS = frozenset(
    "morning afternoon evening night week weekend month year season summer winter spring"
    " autumn fall".split()) | frozenset(WEEKDAYS) | frozenset(MONTHS)
_SECOND_WORD = re.compile(r"^\W*[A-Za-z]+\s+([A-Za-z]+)")
_FIRST_WORD = re.compile(r"^\W*([A-Za-z]+(?:['’][a-z]+)?)")
# A quotation: `` and '' as in PTB-tokenised text, „German“ (or ”), »German«,
# «guillemets», curly and straight double quotes.
_QUOTED = re.compile(
    r"``.*?(?:''|$)|„[^“”\"]*(?:[“”\"]|$)|»[^«]*(?:«|$)|«[^»]*(?:»|$)|“[^”]*(?:”|$)"
    r"|\"[^\"]*(?:\"|$)",
    re.DOTALL,
)
_HAS_QUOTE = re.compile(r"``|''|[\"“”«»]")
# Words that attribute speech or writing to a speaker.
_SAYING = (
    r"(?:said|says|say|saying|told|tells|tell|asked|asks|added|adds|stated|states"
    r"|declared|announced|wrote|writes|according|quoted|quoting|insisted|argued|argues"
    r"|explained|noted|warned|replied|claimed|claims|called|calls|described|describes"
    r"|urged|promised|vowed|admitted|acknowledged|conceded|recalled|remarked|testified"
    r"|reported|reports|commented|continued|predicted|stressed|suggested|contended"
    r"|concluded|observed|complained|denied|pledged|accus\w*|demand\w*|calling)")
_ATTRIBUTION = re.compile(rf"\b{_SAYING}\b", re.IGNORECASE)
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
# "Q. (italics)Earlier this month ...": a question of a printed interview.
_INTERVIEW_MARK = re.compile(r"^Q[.:]\s")
# A sentence that opens on a verb in the past and its object or a preposition, its
# subject left in the sentence before ("Made her way to the third-floor room, where ...").
_NO_SUBJECT = re.compile(
    r"^(?!(?:Need|Speed|Feed|Seed|Breed|Bleed|Proceed|Exceed|Succeed|Indeed|Embed|Shed)\b)"
    r"(?:[A-Z][a-z]{2,}ed|Made|Took|Went|Came|Gave|Got|Found|Left|Told|Saw|Ran|Began"
    r"|Brought|Held|Kept|Sent)\s+(?:her|his|their|its|my|our|the|a|an|to|into|up|out|off"
    r"|back|down|him|them|it)\b")
# After the opening phrase's comma: no subject follows ("..., where she ...").
_NOT_A_SUBJECT = re.compile(r"\s*(?:where|which|who|whom|when|while|and|but|then)\b")
# ... unless the subject comes after the verb ("Added to that fact is that ...").
_INVERTED = re.compile(r"\b(?:is|are|was|were)\b")


def _first_word(sentence: str) -> str:
    if opens_with_quote(sentence):
        return ""
    m = _FIRST_WORD.match(sentence)
    return m.group(1).lower() if m else ""


def opens_with_quote(sentence: str) -> bool:
    """The sentence starts inside quotation marks (``“...``, ``"...``, `` ``...``)."""
    return bool(QUOTE_START.match(sentence))


def opening_pronoun(sentence: str, language: str | None = None) -> str | None:
    """The pronoun or demonstrative the sentence opens with ("He", "This", "Their", "The
    two", "Both"; "Sie", "Это" by :data:`POINTING_BACK`), or None (also in a language
    with no rules). A demonstrative before a time word ("This morning", "That week",
    "Diese Woche") points to the time of the report, not back, and is not counted."""
    lang = base_language(language)
    if lang not in (None, "en"):
        return _opening_words(sentence, lang, pronouns=True)
    for pattern in EN_POINTING_PHRASES:
        m = pattern.match(sentence)
        if m:
            return m.group(1).lower()
    m = EN_THEY_AFTER_PHRASE.match(sentence)
    if m and not EN_GROUP_WORD.search(m.group(1)):
        return m.group(2).lower()
    w = re.split(r"['’]", _first_word(sentence), maxsplit=1)[0]  # "He's", "They're", "That's"
    if w not in PRONOUNS:
        return None
    if w in _DEMONSTRATIVES:
        m = _SECOND_WORD.match(sentence)
        if m and m.group(1).lower() in _TIME_WORDS:
            return None
    return w


def opening_connective(sentence: str, language: str | None = None) -> str | None:
    """The connective the sentence opens with ("But", "However"; "Тем не менее", "Sin
    embargo" by :data:`POINTING_BACK`), or sets off after its first phrase in English
    ("The protesters, however, ..."), lower case, or None."""
    lang = base_language(language)
    if lang not in (None, "en"):
        return _opening_words(sentence, lang, pronouns=False)
    w = _first_word(sentence)
    if w in CONNECTIVES:
        return w
    for pattern in EN_CONNECTIVE_PHRASES:
        m = pattern.match(sentence)
        if m:
            return m.group(1).lower()
    return None


_LONGEST_CONNECTIVE = max(c.count(" ") + 1 for pb in POINTING_BACK.values()
                          for c in pb.connectives)
# Opening quotation marks of other languages too: „German“, ‚single‘, »guillemets«.
_QUOTE_START_ANY = re.compile(r"\s*[\"“‘«„‚»]")


def _opening_words(sentence: str, lang: str, pronouns: bool) -> str | None:
    """The pronoun (or connective) of :data:`POINTING_BACK` ``lang`` that ``sentence``
    opens with, lower case; None when it opens inside a quotation."""
    rules = POINTING_BACK.get(lang)
    if rules is None or opens_with_quote(sentence) or _QUOTE_START_ANY.match(sentence):
        return None
    head = [w.lower() for w in words(sentence[:200], lang)[:_LONGEST_CONNECTIVE]]
    if not head:
        return None
    if pronouns:
        if head[0] not in rules.pronouns:
            return None
        time = len(head) > 1 and (head[1] in rules.not_before or head[1].isdigit())
        return None if time else head[0]  # "Diese Woche", "Este 2020"
    for n in range(len(head), 0, -1):
        phrase = " ".join(head[:n])
        if phrase in rules.connectives:
            return phrase
    return None


def continues_quote(sentence: str) -> bool:
    """It ends a quotation it did not open (``... my innocence.”`` with no ``“`` before):
    the quotation, and its speaker, began in an earlier sentence."""
    s = sentence.strip()
    if opens_with_quote(s):
        return False
    if CLOSES_AT_END.search(s) and len(QUOTE_MARK.findall(s)) == 1:
        return True  # its one mark ends it: ``... everyone there. "``, ``... girl. “``
    closers = s.count("”") + s.count("''") + s.count("»")
    openers = s.count("“") + s.count("``") + s.count("«")
    if closers or openers:
        return closers > openers
    first = s.find('"')  # a tokenizer's space may stand before it: 'safe, " he said.'
    return s.count('"') % 2 == 1 and first > 0 and s[:first].rstrip()[-1:] in tuple(".!?,;")


# Sentences a quotation is held open over at most (:func:`inside_quotation`).
QUOTATION_SPAN = 4


def inside_quotation(sentences: Sequence[str]) -> list[bool]:
    """For an article's consecutive sentences, whether each begins inside a quotation
    an earlier one opened and did not close: the middle of a quotation over several
    sentences, printed without marks of its own ("People forget I've done 20 movies."
    between ``“I didn't know ...`` and ``... a party girl.”``). A sentence that opens with
    a mark starts a quotation of its own (a new paragraph of one quotation opens again,
    as newswire prints it); a mark after the final punctuation closes. A quotation is
    held open over at most :data:`QUOTATION_SPAN` sentences, so that a stray mark does
    not silence an article."""
    out: list[bool] = []
    open_for = 0  # sentences the open quotation has run over; 0: none is open
    for s in sentences:
        s = s.strip()
        starts = opens_with_quote(s)
        inside = bool(open_for) and not starts
        out.append(inside)
        if not open_quotations(s, carried=inside):
            open_for = 0
        elif inside:
            open_for = open_for + 1 if open_for < QUOTATION_SPAN else 0
        else:
            open_for = 1
    return out


# A question mark at the end, in any script, closing marks after it.
_QUESTION_END = re.compile(r"[?？؟][\"'”’»)\]」』）\s]*$")


def asks_question(sentence: str) -> bool:
    """It asks a question in its own voice, not in a quotation ("Did the earth move for
    you?", "Should the Yankees go higher than $25 million a season?"): a summary says
    what happened. Any script (``?``, ``？``, ``؟``)."""
    outside = _outside_quotation(sentence)
    return bool(_QUESTION_END.search(sentence if outside is None else outside.rstrip()))


def quote_without_speaker(sentence: str) -> bool:
    """It is mostly a quotation (at least half its words quoted) and nothing outside the
    quotation attributes it (no "said", "told", "according to" ...): a quote the reader
    cannot put to a speaker. A quoted word or phrase in a reported sentence is not."""
    outside = _outside_quotation(sentence)
    if outside is None or len(outside.split()) > len(sentence.split()) / 2:
        return False
    return not _ATTRIBUTION.search(outside)


def _outside_quotation(sentence: str) -> str | None:
    """The sentence with its quotations blanked out, or None when it quotes nothing (no
    mark, or a stray mark or apostrophe pair that encloses nothing)."""
    if not _HAS_QUOTE.search(sentence):
        return None
    outside = _QUOTED.sub(" ", sentence)
    return None if outside.strip() == sentence.strip() else outside


# First-person words; "I" counts before a lower-case word and not after a capitalised
# one ("World War I", "Henry I was" are not), "US" never (the United States), We / My
# ... capitalised only as the first word.
_FIRST_PERSON = frozenset(
    "i i'm i've i'd i'll me my myself mine we we're we've we'll we'd us our ours "
    "ourselves".split())


def _first_person(text: str) -> bool:
    found = list(_WORD.finditer(text))
    for k, m in enumerate(found):
        w = m.group().replace("’", "'")
        if w.lower() not in _FIRST_PERSON or w == "US" or w.startswith("i"):
            continue  # a lower-case "i" / "i'm" is no pronoun of edited news text
        if w == "I":
            after = found[k + 1].group() if k + 1 < len(found) else ""
            before = found[k - 1].group() if k else ""
            if not after[:1].islower() or before[:1].isupper():
                continue
        elif w[0].isupper() and not w.startswith("I'") and k > 0:
            continue  # "Ask Me Anything": a title; a capitalised We / My opens a sentence
        return True
    return False


def quote_runs_on(sentence: str) -> bool:
    """It opens with a quotation that goes on into the next sentence (``"The warship
    altered course and challenged them.`` ... ``..., " said Captain Nambiar.``): its
    speaker, if any, is named after it, so the sentence before it cannot supply one (a
    sentence that introduces it ends on a colon, which no summary shows)."""
    s = sentence.strip()
    return opens_with_quote(s) and close_quotation(s) != s


# The second person: "You focus on winning.", "... the ones who made you feel good".
_SECOND_PERSON = re.compile(r"^\W*You\b|\b(?:you|your|yours|yourself|yourselves)\b")


def first_person_without_speaker(sentence: str) -> bool:
    """It speaks in the first or second person outside any quotation marks (``I dated a
    million guys, but I'm so happy ...``, ``We all knew this would happen``, ``You never
    see that in man coverage``) and attributes nothing (no "said", "told" ...): a
    quotation printed without its marks, or the writer speaking or addressing the reader,
    whom another outlet's summary cannot name; the writer's own "As I said ..." attributes
    nothing. English."""
    outside = _QUOTED.sub(" ", sentence)
    return (_first_person(outside) or bool(_SECOND_PERSON.search(outside))) and \
        not _ATTRIBUTION.search(_OWN_SAYING.sub(" ", outside))


# The writer's own saying, which attributes nothing ("As I said many times in my review,
# ...", "as we reported last week").
_OWN_SAYING = re.compile(
    rf"\b(?:I|[Ww]e)(?:['’]ve| have| had)?(?: \w+ly)? (?i:{_SAYING}|mentioned|write)\b")


def english_rules(language: str | None) -> bool:
    """Whether these rules read ``language`` (English, or unknown read as English); other
    languages get only what holds in any language (final punctuation)."""
    return base_language(language) in (None, "en")


def rules_language(language: str | None) -> str | None:
    """The language whose pointing-back rules read ``language``: "en" for English or
    unknown, the base language where :data:`POINTING_BACK` has lists, else None (no
    rules: such a summary may hold a sentence that leans on one it lacks)."""
    lang = base_language(language)
    if lang in (None, "en"):
        return "en"
    return lang if lang in POINTING_BACK else None


def readability_note(languages: Iterable[str | None]) -> str:
    """What the readability rules read in a summary of articles in ``languages``:
    "rules for en, ru", "no rules for zh", "rules for en; no rules for ar, zh"."""
    have: set[str] = set()
    lack: set[str] = set()
    for lang in languages:
        ruled = rules_language(lang)
        if ruled:
            have.add(ruled)
        else:
            lack.add(base_language(lang) or "")
    parts = [f"rules for {', '.join(sorted(have))}"] if have else []
    if lack:
        parts.append(f"no rules for {', '.join(sorted(lack))}")
    return "; ".join(parts)


# What a pronoun that stands for a speaker says ("he said", "she told", "they insisted"),
# read by the quotation rule and the reported-speech rule below.
_PRONOUN_SAYS = (r"(?:said|says|told|tells|added|adds|asked|wrote|declared|insisted"
                 r"|explained|noted|warned|replied|stated|recalled|admitted|argued|stressed)")
# English: a quotation put to "he said", "she told", "..., said he", with no name (a
# capitalised word after the first, not all capitals, not a day or month) before the
# pronoun.
_EN_PRONOUN_SPEAKER = re.compile(
    rf"\b(?:[Hh]e|[Ss]he|[Tt]hey)\s+{_PRONOUN_SAYS}\b"
    r"|,\s*(?:said|says|added)\s+(?:he|she)\b")
_CAP_WORD = re.compile(r"[A-Za-z][\w'’-]*")


# Reported speech put to a pronoun at its end ("... the rescue operations are underway,
# he said.", "... falls short, she wrote."), or to someone described as named before
# ("... dispatched to the quake site, the official said.", "the spokeswoman said", "...,
# the newspaper reported."; not "an official said", nor "the police said"): the speaker
# was named before.
_EN_SAID_BY_PRONOUN = re.compile(
    r",\s*(?:he|she|they|the (?:official|spokesman|spokeswoman|spokesperson|source|officer"
    r"|aide|diplomat|witness|statement|report|newspaper|paper|daily|magazine|station"
    r"|broadcaster|agency|ministry))\s+(?:said|says|added|adds|told [\w ]{1,30}"
    r"|explained|noted|stressed|insisted|wrote|warned|argued|reported)\s*\.[\"”']?$")


# A name of two capitalised words among a sentence's first words, saying or thinking: the
# speaker the pronoun at its end stands for ("Hewlett-Packard CEO Mark Hurd believes ...,
# he said."); not a name that is what is reported ("France Telecom isn't sure what caused
# the cut, she said.", "Catherine Gomes lived in that apartment, he said.").
_NAMED_SUBJECT = re.compile(
    r"\W*(?:[\w'’.-]+\s+){0,5}?[A-Z][\w'’.-]*[a-z][\w'’.-]*\s+[A-Z][\w'’.-]*[a-z][\w'’.-]*"
    rf"\s+(?:\w+ly\s+)?(?:{_SAYING}|believes|believed|thinks|thought|expects|hopes)\b")


# Reported speech put to a pronoun after a comma, with no quotation: within the sentence
# ("NASA will consider ideas ..., he said, but only if ...", "ATI, he said, also blends
# in ...", "... qualifies, he says; the oil and gas driller ...": group 1, whoever is
# named before), or after an opening phrase with no name before it ("Speaking to IRNA,
# they said they had not received aid ...").
_EN_PRONOUN_SAYS_MID = re.compile(rf",\s*(?:he|she|they)\s+{_PRONOUN_SAYS}\b(\s*[,;—–])?")


def _english_pronoun_speaker(sentence: str) -> bool:
    if _EN_SAID_BY_PRONOUN.search(sentence.rstrip()) and not _NAMED_SUBJECT.match(sentence):
        return True
    outside = _outside_quotation(sentence)
    if outside is None:
        m = _EN_PRONOUN_SAYS_MID.search(sentence)
        return m is not None and (m.group(1) is not None or not _named_before(sentence,
                                                                             m.start()))
    m = _EN_PRONOUN_SPEAKER.search(outside)
    return m is not None and not _named_before(outside, m.start())


def _named_before(text: str, end: int) -> bool:
    """A name (a capitalised word after the first, not all capitals, not a day or month)
    stands in ``text`` before ``end``."""
    return any(w[0].isupper() and not w.isupper() and w.lower() not in _TIME_WORDS
               for w in _CAP_WORD.findall(text[:end])[1:])


def quote_with_pronoun_speaker(sentence: str, language: str | None) -> bool:
    """It opens with a quotation whose speaker is only a pronoun, within the first three
    words after it (``«...», — сказал он.``, ``„...“, sagte er.``, ``« ... », a-t-il dit.``):
    the speaker was named in an earlier sentence. Languages that drop the subject
    ("«...», dijo.") show no pronoun and are not caught. In English (where any opening
    quotation counts already, :func:`opens_with_quote`): a quotation anywhere put to "he
    said" / "she told" / "..., said he" with no name before the pronoun (``On attending
    the APEC meeting, he said, ``It's difficult for me.''``), or reported speech that ends
    on one ("... the rescue operations are underway, he said.")."""
    if english_rules(language):
        return _english_pronoun_speaker(sentence)
    rules = POINTING_BACK.get(base_language(language) or "")
    if rules is None or not rules.speakers or not _QUOTE_START_ANY.match(sentence):
        return False
    m = _QUOTED.match(sentence.lstrip())
    if m is None:
        return False
    after = sentence.lstrip()[m.end():]
    lang = base_language(language)
    head = [p.lower() for w in words(after[:120], lang)[:3] for p in w.split("-") if p]
    return any(w in rules.speakers for w in head[:4])


def answers_before(sentence: str) -> re.Match[str] | None:
    """Where an English sentence agrees, refuses or says something of what was told before
    without saying what ("Williams agreed.", "... good with that.", "The union said this
    clearly addresses ..."; :data:`.pointing.EN_AGREES_WITH_BEFORE`), or None."""
    for hints, pattern in EN_AGREES_WITH_BEFORE:
        if any(h in sentence for h in hints):
            m = pattern.search(sentence)
            if m:
                return m
    return None


def needs_predecessor(sentence: str, language: str | None = None) -> bool:
    """It leans on the sentence before it: an opening quotation, pronoun or connective,
    the end of a quotation opened before, a quotation with no speaker in it or with a
    pronoun for one, or the first person with no speaker (English rules); in a language
    of :data:`POINTING_BACK`, an opening pronoun or connective or a quotation whose
    speaker is a pronoun; False in other languages."""
    if not english_rules(language):
        return bool(
            opening_pronoun(sentence, language)
            or opening_connective(sentence, language)
            or quote_with_pronoun_speaker(sentence, language)
        )
    return bool(
        opens_with_quote(sentence)
        or continues_quote(sentence)
        or opening_pronoun(sentence)
        or opening_connective(sentence)
        or quote_without_speaker(sentence)
        or first_person_without_speaker(sentence)
        or quote_with_pronoun_speaker(sentence, language)
        or answers_before(sentence)
    )


def reads(sentence: str, caseless: bool = False,
          language: str | None = None) -> tuple[bool, bool]:
    """How a summary may use a sentence as shown (without its dateline): whether it is
    whole (no fragment, no question in the summary's own voice) and whether it leans on
    the sentence before it (:func:`needs_predecessor`, read only for a whole sentence:
    False for another; the middle of a quotation is read apart, over the article's
    sentences: :func:`inside_quotation`). The article summary and the story summary read
    every sentence through this."""
    whole = not (fragment_reason(sentence, caseless, language) or asks_question(sentence))
    return whole, whole and needs_predecessor(sentence, language)


# The rest of a sentence cut at a line break: an opening bracket and a comma after it,
# or a comma, semicolon or colon first ("(EYP MCF), a consulting company ...").
_GOES_ON = re.compile(r"\s*(?:[(（\[][^)）\]]{0,80}[)）\]]\s*)?[,;:，；：]")
# A whole sentence in brackets: an aside to the sentence before it.
_ASIDE = re.compile(r"[(（\[][^()（）\[\]]*[)）\]]$")
# A label in capitals before a colon: a page's section, a note, a dateline ("NOTES:",
# "READ MORE:", "UPDATED:", "JAMMU:").
_LABEL = re.compile(r"\s*[A-Z][A-Z'’ ]{2,24}:\s")
# An ellipsis at the end, closing marks after it: a teaser or a quotation cut off ("...
# when gunfire erupted outside...", "... within the …", "Mark Felt ...").
_CUT_OFF = re.compile(r"(?:\.\s?\.\s?\.|…)[.\"'”’»)\]]*\s*$")
# A line of a sports transactions list: a team in capitals, then what it did, in title case
# ("PHILADELPHIA 76ERS Fired Jim O'Brien, coach.", "NEW YORK METS Signed ...").
_TRANSACTION = re.compile(
    r"[A-Z][A-Z0-9.'&-]+(?: [A-Z0-9][A-Z0-9.'&-]+)* (?:Fired|Signed|Re-signed|Named|Placed"
    r"|Released|Traded|Activated|Recalled|Agreed|Waived|Claimed|Acquired|Promoted|Assigned"
    r"|Optioned|Designated|Hired|Extended|Exercised|Purchased|Reinstated|Suspended)\b")
# A section head in capitals glued to the sentence after it, as NYT copy has it ("YANKEES
# Pitching The starting pitching enabled ...").
_SECTION_HEAD = re.compile(
    r"[A-Z]{3,}(?: [A-Z]{2,})* [A-Z][a-z]+(?: [A-Z][a-z]+){0,2} (?:The|A|An|This|His|Her"
    r"|Their|In|On|At)\s")
# A line of a chronology or a fact box: a date and a colon first, or a rule of underscores
# ("Oct. 9, 1998: Netanyahu appoints him foreign minister, ...", "Brief biography of Ariel
# Sharon ...: ___ 1928: Born in Kfar Mallal ...").
_CHRONOLOGY = re.compile(
    r"_{3,}|^\W*(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:-\d{1,2})?, )?(?:1[5-9]|20)\d\d:\s")


def fragment_reason(sentence: str, caseless: bool = False,
                    language: str | None = None) -> str | None:
    """Why the sentence is a fragment ("no verb", "lower-case start", "no final
    punctuation", "ends inside brackets", "no subject", "an interview's question mark"
    ...), or None when it is a whole sentence. Beyond final punctuation, brackets, a label,
    an ellipsis at the end and a chronology's line the rules are English
    (:func:`english_rules`)."""
    s = sentence.strip()
    if not TERMINAL.search(s):
        return "no final punctuation"
    if max(s.rfind("("), s.rfind("（")) > max(s.rfind(")"), s.rfind("）")):
        return "ends inside brackets"  # cut at a dot inside them: "at a depth of 10 km (6."
    if _ASIDE.match(s):
        return "an aside in brackets"  # "(Prices on the West Coast have skewed higher.)"
    if _GOES_ON.match(s):
        return "goes on from the sentence before"  # "(EYP MCF), a consulting company ..."
    if _LABEL.match(s):
        return "opens with a label"  # "NOTES: Chiefs WR Terrance Copper ...", "READ MORE:"
    if _CUT_OFF.search(s):
        return "ends on an ellipsis"  # a teaser cut off: "... will be former Portland Coach..."
    if _CHRONOLOGY.search(s):
        return "a chronology's line"  # "Oct. 9, 1998: Netanyahu appoints him ..."
    if not english_rules(language):
        return None
    if _TRANSACTION.match(s):
        return "a transactions list's line"  # "PHILADELPHIA 76ERS Fired Jim O'Brien, coach."
    if _SECTION_HEAD.match(s):
        return "opens with a section head"  # "YANKEES Pitching The starting pitching ..."
    first = next((c for c in s if c.isalnum()), "")
    if not caseless and first.islower():
        return "lower-case start"
    if _STARTS_FIGURE.match(s):
        return "starts with a figure"
    if _INTERVIEW_MARK.match(s):
        return "an interview's question mark"
    # the pattern holds the sentence's end: searched in its last 64 characters (a search
    # of the whole sentence tries every word)
    if _ENDS_MID.search(s, max(0, len(s) - 64)):
        return "ends mid-sentence"
    if _NO_SUBJECT.match(s) and (
            _NOT_A_SUBJECT.match(s[s.index(",") + 1:]) if "," in s
            else not _INVERTED.search(s)):
        return "no subject"
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
    summary: Sequence[tuple[str, tuple[int, int] | None]], caseless: bool = False,
    language: str | None = None,
) -> list[str]:
    """What keeps a summary from reading on its own, one line per problem (empty: reads on
    its own). ``summary``: (sentence text, (article id, sentence index) it was taken from,
    or None) in the order shown; ``language``: its articles' language (None: English). An
    opening pronoun or connective (or, outside English, a pronoun-attributed quotation)
    is fine when the previous summary sentence is the same article's preceding
    sentence."""
    out: list[str] = []
    prev: tuple[int, int] | None = None
    english = english_rules(language)
    for k, (text, origin) in enumerate(summary):
        follows = (
            prev is not None and origin is not None
            and origin[0] == prev[0] and origin[1] == prev[1] + 1
        )
        quoted = english and (opens_with_quote(text) or continues_quote(text))
        unnamed = (english and first_person_without_speaker(text)) or \
            quote_with_pronoun_speaker(text, language)
        if k == 0 and quoted:
            out.append(f"opens with a quotation: {text[:60]!r}")
        elif quoted and not follows:
            out.append(f"sentence {k + 1} opens with a quotation: {text[:60]!r}")
        elif unnamed and (k == 0 or not follows):
            out.append(f"sentence {k + 1} quotes a speaker it does not name: {text[:60]!r}")
        pron = opening_pronoun(text, language) or opening_connective(text, language)
        if pron and not follows:
            out.append(f"sentence {k + 1} opens with {pron!r} without its referent: {text[:60]!r}")
        agrees = answers_before(text) if english else None
        if agrees and not follows:
            out.append(f"sentence {k + 1} does not say what it answers "
                       f"({agrees.group(agrees.lastindex or 0)!r}): {text[:60]!r}")
        reason = fragment_reason(text, caseless, language)
        if reason:
            out.append(f"sentence {k + 1} is a fragment ({reason}): {text[:60]!r}")
        if asks_question(text):
            out.append(f"sentence {k + 1} asks a question: {text[:60]!r}")
        prev = origin
    return out
