"""Stems per language: Snowball stemmers (``snowballstemmer``), cached; English light.

``stem(word, lang)`` gives the Snowball stem of a lower-case word for the 30-odd
languages Snowball covers; words of other languages come back unchanged.
snowballstemmer is pure Python; PyStemmer, a dependency, gives it C stemmers of the same
algorithms, which it uses by itself. Each (language, word) is stemmed once per process
(bounded cache). A Snowball stemmer object keeps the word it works on, so each thread has
its own: the reader's requests and its background pass stem at once.

English gets a light stemmer instead (plural, ``-ed`` and ``-ing`` taken off, in the
manner of Harman's S-stemmer): Porter2, more aggressive (``marine`` and ``marinate`` ->
``marin``), measured lower on summaries (docs/text.md).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from .languages import base_language

__all__ = ["stem", "stems", "stemmer_language", "STEMMED_LANGUAGES"]

_DIGIT = re.compile(r"\d")
LIGHT_ENGLISH = "light-english"
# ISO 639-1 code -> Snowball algorithm name (English: the light stemmer).
STEMMED_LANGUAGES: dict[str, str] = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": LIGHT_ENGLISH, "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


@cache
def stemmer_language(lang: str | None) -> str | None:
    """The Snowball algorithm used for ``lang`` (English when None), or None."""
    return STEMMED_LANGUAGES.get(base_language(lang) or "en")


def _light_english(w: str) -> str:
    """report/reports/reported/reporting -> report; studies -> study; cutting -> cut."""
    for ap in "'’":
        if ap in w:
            w = w.split(ap, 1)[0]
    n = len(w)
    if n > 5 and w.endswith("ing"):
        return _undouble(w[:-3])
    if n > 4 and w.endswith("ed"):
        return _undouble(w[:-2])
    if n > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if n > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _undouble(w: str) -> str:
    """cutt -> cut, stopp -> stop (after -ing / -ed was taken off)."""
    if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1].isalpha():
        return w[:-1]
    return w


_PER_THREAD = threading.local()


def _stemmer(algorithm: str) -> Callable[[str], str]:
    """This thread's stemmer for ``algorithm`` (a Snowball stemmer is not thread-safe:
    two threads sharing one get each other's words, or an IndexError)."""
    if algorithm == LIGHT_ENGLISH:
        return _light_english
    made: dict[str, Callable[[str], str]] | None = getattr(_PER_THREAD, "stemmers", None)
    if made is None:
        made = _PER_THREAD.stemmers = {}
    got = made.get(algorithm)
    if got is None:
        import snowballstemmer

        got = made[algorithm] = snowballstemmer.stemmer(algorithm).stemWord
    return got


@lru_cache(maxsize=500_000)
def _stem(word: str, algorithm: str) -> str:
    return _stemmer(algorithm)(word)


def _algorithm(lang: str | None, full: bool) -> str | None:
    """The stemmer :func:`stem` uses for ``lang``: Porter2 for English with ``full``."""
    algorithm = stemmer_language(lang)
    return "english" if full and algorithm == LIGHT_ENGLISH else algorithm


def stem(word: str, lang: str | None = None, *, full: bool = False) -> str:
    """The stem of a lower-case ``word`` in ``lang`` (English when None); the word itself
    where the language has no stemmer or the word holds a digit. ``full``: English by
    Porter2 (Snowball "english") instead of the light stemmer, as ROUGE-like matching
    of concepts wants ("elections" / "election", "attacked" / "attack")."""
    algorithm = _algorithm(lang, full)
    if algorithm is None or not word or _DIGIT.search(word):
        return word
    return _stem(word, algorithm)


def stems(words: Iterable[str], lang: str | None = None, *, full: bool = False) -> list[str]:
    """:func:`stem` of each word (the language looked up once)."""
    algorithm = _algorithm(lang, full)
    if algorithm is None:
        return list(words)
    return [w if not w or _DIGIT.search(w) else _stem(w, algorithm) for w in words]
