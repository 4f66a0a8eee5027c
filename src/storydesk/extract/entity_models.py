"""Which model finds the names in an article, and the names each model finds.

``storydesk.models.entities_model(language, method)`` picks the model: the CRF taggers
of ``tagger.py`` ("crf-en", "crf-ru"), natasha's news NER read by a CRF
("natasha+crf-ru"), natasha alone, spaCy (``method="spacy"``, where ``en_core_web_sm``
is installed), the rules of ``entity_rules.py``, or "none". ``mentions(text, model)``
gives the raw (name, type) mentions of a tagger model, in text order, before
``entities.canonical`` merges them.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import Any

from storydesk.extract.entity_rules import ORG, PERSON, PLACE, POSSESSIVE, resolve

DEFAULT_METHOD = "auto"
TAG_TYPES = {"PER": PERSON, "ORG": ORG, "LOC": PLACE}


@lru_cache(maxsize=1)
def spacy_nlp() -> Any:
    import spacy

    try:
        return spacy.load("en_core_web_sm",
                          disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    except OSError:
        raise RuntimeError("the spaCy method needs spaCy's en_core_web_sm model, installed "
                           "from spaCy's own releases (it is not on PyPI)") from None


_SPACY_TYPES = {
    "PERSON": PERSON,
    "ORG": ORG,
    "GPE": PLACE,
    "LOC": PLACE,
    "FAC": PLACE,
    "NORP": None,
}


def spacy_mentions(text: str) -> list[tuple[str, str]]:
    doc = spacy_nlp()(text)
    raw: list[tuple[list[str], str | None]] = []
    for ent in doc.ents:
        typ = _SPACY_TYPES.get(ent.label_)
        if not typ:
            continue
        name = POSSESSIVE.sub("", ent.text.strip())
        if name.lower().startswith("the "):
            name = name[4:]
        words = name.split()
        if words:
            raw.append((words, typ))
    return resolve(raw)


@lru_cache(maxsize=1)
def _natasha() -> Any:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def natasha_spans(text: str) -> list[tuple[int, int, str]]:
    """natasha's (start, end, type) names in ``text``, types PER/ORG/LOC."""
    from natasha import Doc

    segmenter, ner = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(ner)
    return [(s.start, s.stop, s.type) for s in doc.spans]


def _natasha_mentions(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], t) for a, b, t in natasha_spans(text)]


def _crf_mentions(text: str, name: str,
                  lines_with: Collection[str] | None = None) -> list[tuple[str, str]]:
    from storydesk.extract.tagger import shipped_model

    hints = natasha_spans(text) if name == "ru_natasha" else None
    return [(s.text, s.type) for s in shipped_model(name).tag(text, hints, lines_with)]


def first_name(word: str) -> bool:
    """Whether the English tagger's gazetteer lists ``word`` as a first name ("Barry")."""
    from storydesk.extract.tagger import shipped_model

    gaz = shipped_model("en").feats.gaz
    return gaz is not None and "first" in gaz.word.get(word.lower(), ())


def mentions(text: str, model: str,
             lines_with: Collection[str] | None = None) -> list[tuple[str, str]]:
    """Raw (name, type) mentions in ``text`` by ``model`` (see ``entities_model``),
    types person/organisation/place, in text order; not yet canonical. ``lines_with``
    (the CRF models): only from the sentences holding one of these strings in a token."""
    if model == "natasha":
        raw = _natasha_mentions(text)
    elif model == "natasha+crf-ru":
        raw = _crf_mentions(text, "ru_natasha", lines_with)
    elif model.startswith("crf-"):
        raw = _crf_mentions(text, model[4:], lines_with)
    else:
        return []
    return [(n, TAG_TYPES[t]) for n, t in raw if t in TAG_TYPES]
