"""Named entities of an article: people, organisations and places, with counts.

The method follows the article's language (``entities_model(language)``):

- English: a CRF tagger trained on CoNLL-2003 Reuters news (``extract/tagger.py``,
  model ``data/entities/crf_en.crfsuite.gz``, rebuilt by ``bench/train_entities.py``).
- Russian: natasha's news NER (slovnet on numpy, its model shipped in the PyPI
  package), its names read as features by a CRF trained on factRuEval-2016 news
  (``crf_ru_natasha``); where natasha is not installed, that CRF's twin without them.
- Other languages: no model, so no entities (``entities_model`` is "none") rather
  than capitalised words taken for names.

Measured side by side in ``bench/entities.py``; figures in ``docs/entities.md``.
``method=`` (or the ``STORYDESK_ENTITIES`` environment variable) picks one by hand:
"auto" (the default, as above), "crf", "natasha", "rules" (the earlier
capitalised-sequence chunker with gazetteers, kept for comparison) or "spacy".

Names are canonical within an article: one name per entity, the longest form
holding the shorter ones of the same type ("Vladimir Putin" holds "Putin" and
"President Putin" when the title is tagged); possessive "'s" and a leading "the"
are dropped; a name's type is its most frequent type in the article, except that in
English a one-word name with no fuller person form in the article is a person only where
nothing else says otherwise (a place where it is tagged one, where something is "of"
it, as in "Port of X", or where a name ending in a place word holds it, "Ropewalk Lane";
else its other type), and such a longer name is a place (``place_named``).

Layout: ``entity_models.py`` picks the model and runs it, ``entity_rules.py`` holds the
rules method, ``tagger.py`` the CRF; this module merges mentions into entities.
"""

from __future__ import annotations

from collections import Counter

from storydesk.extract.entity_models import (
    DEFAULT_METHOD,
    TAG_TYPES,
    first_name,
    mentions,
    natasha_spans,
    spacy_mentions,
)
from storydesk.extract.entity_rules import ORG, PERSON, PLACE, PLACE_HEADS, rules
from storydesk.models import ENTITY_METHODS as METHODS
from storydesk.models import NO_ENTITY_MODEL as NO_MODEL
from storydesk.models import Entity, entities_model, natasha_available
from storydesk.text import base_language

__all__ = [
    "DEFAULT_METHOD", "METHODS", "NO_MODEL", "ORG", "PERSON", "PLACE", "PLACE_HEADS",
    "TAG_TYPES", "canonical", "entities_model", "extract_entities", "mentions",
    "natasha_available", "natasha_spans", "person_or_not", "place_named",
]


def canonical(pairs: list[tuple[str, str]], language: str | None = "en"
              ) -> list[tuple[str, str]]:
    """One name per entity: each mention under the article's longest form of it of the
    same type ("Putin" -> "Vladimir Putin"); a name in capitals under the article's usual
    spelling of it ("VELGRAD" -> "Velgrad"). A name tagged a person and another type is
    the more frequent of the two, and in English a one-word name with no fuller person
    form in the article a place or its other type (``person_or_not``); one tagged a place
    and an organisation stays two entities ("Detroit" the city and "Detroit" the team)."""
    cleaned = [(" ".join(n.strip(" \t\n.,;:\"«»“”").split()), t) for n, t in pairs]
    # a name in capitals (a headline, a dateline) under the article's usual spelling of it
    usual = {n.lower(): n for n, _ in reversed(cleaned) if not n.isupper()}
    cleaned = [(usual.get(n.lower(), n) if n.isupper() else n, t) for n, t in cleaned]
    # a name both a person and something else in one article takes one type
    votes: dict[str, Counter[str]] = {}
    for n, t in cleaned:
        votes.setdefault(n, Counter())[t] += 1
    bare = base_language(language) in (None, "en")
    if bare:  # "Ropewalk Lane" tagged a person is a place at every mention
        cleaned = [(n, PLACE if t == PERSON and place_named(n) else t) for n, t in cleaned]
    tagged = list(cleaned)
    for n, c in votes.items():
        top = person_or_not(n, c, tagged, bare) if PERSON in c else None
        if top:
            cleaned = [(m, top if m == n else t) for m, t in cleaned]
    freq = Counter(p for p in cleaned if p[0])
    canon: dict[tuple[str, str], tuple[str, str]] = {}
    for n, t in freq:
        padded = f" {n} "
        longer = [m for m, u in freq if u == t and m != n and padded in f" {m} "]
        if longer:
            canon[(n, t)] = max(longer, key=lambda m: (len(m.split()), freq[(m, t)], m)), t
    return [canon.get(p, p) for p in cleaned if p[0]]


def person_or_not(name: str, tags: Counter[str], pairs: list[tuple[str, str]],
                  bare: bool = True) -> str | None:
    """The one type that every mention of ``name``, tagged a person and maybe more (``tags``:
    mentions by type), takes among the (name, type) ``pairs`` of an article or a story;
    None: each keeps its own.

    With ``bare`` (English), a one-word name that the pairs never give as a person at more
    length ("Bergen", never "Anna Bergen") is a place where they tag it a place, name
    something "of" it ("Port of Bergen") or hold it in a name that ``place_named`` makes a
    place ("Bergen Lane"), else its other type, else a person: a bare word
    that the English tagger takes for a surname is more often a place or a team (measured
    in docs/entities.md). Not in Russian, where a person is often named by one word
    (a first name, "Надя"; an inflected surname, "Навального", that no fuller form holds
    as it stands). Also in English, a longer name that ends in a place word (``PLACE_HEADS``:
    "Ropewalk Lane", "Tiananmen Square") is a place unless it opens with a first name
    ("Barry Lane"). Any other name takes the more frequent of its types."""
    if bare and place_named(name):
        return PLACE
    padded = f" {name} "
    if bare and " " not in name and not any(t == PERSON and m != name and padded in f" {m} "
                                   for m, t in pairs):
        if tags[PLACE] or any(m.endswith(f" of {name}") or padded in f" {m} " and place_named(m)
                              for m, _ in pairs):
            return PLACE
        other = [t for t, _ in tags.most_common() if t != PERSON]
        return other[0] if other else None
    if len(tags) > 1:
        (top, k), (_, k2) = tags.most_common(2)
        if k > k2:
            return top
    return None


def place_named(name: str) -> bool:
    """Whether ``name`` is a place by its words: two or more, the last a place word
    (``PLACE_HEADS``: "Ropewalk Lane", "Tiananmen Square"), the first no first name
    ("Barry Lane" is a golfer)."""
    words = name.split()
    return len(words) > 1 and words[-1] in PLACE_HEADS and not first_name(words[0])


def extract_entities(
    text: str, title: str = "", language: str | None = "en", *, method: str | None = None
) -> list[Entity]:
    """People, organisations and places named in ``title`` and ``text``.

    Sorted by count (descending), then name. ``language`` None is detected.
    ``method``: see ``METHODS``; None reads ``STORYDESK_ENTITIES``, else "auto".
    A language without a model (``entities_model(language) == "none"``) gives [].
    """
    body = f"{title}\n\n{text}" if title else text
    if not body or not body.strip():
        return []
    if language is None:
        from storydesk.extract.language import detect_language

        language = detect_language(body)
    model = entities_model(language, method)
    if model == "rules":
        pairs = rules(body, base_language(language) in (None, "en"))
    elif model == "spacy":
        pairs = spacy_mentions(body)
    else:
        pairs = canonical(mentions(body, model), language)
    counts: Counter[tuple[str, str]] = Counter(pairs)
    ents = [Entity(name=n, type=t, count=c) for (n, t), c in counts.items()]
    ents.sort(key=lambda e: (-e.count, e.name))
    return ents
