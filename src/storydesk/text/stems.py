"""Stems per language: Snowball stemmers (``snowballstemmer``), cached.

``stem(word, lang)`` gives the Snowball stem of a lower-case word for the 30-odd
languages Snowball covers (English is Porter2); words of other languages come back
unchanged. snowballstemmer is pure Python; with PyStemmer installed it uses its C
stemmers by itself. Each (language, word) is stemmed once per process (bounded cache).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from .languages import base_language

__all__ = ["stem", "stems", "stemmer_language", "STEMMED_LANGUAGES"]

# ISO 639-1 code -> Snowball algorithm name.
STEMMED_LANGUAGES: dict[str, str] = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


def stemmer_language(lang: str | None) -> str | None:
    """The Snowball algorithm used for ``lang`` (English when None), or None."""
    return STEMMED_LANGUAGES.get(base_language(lang) or "en")


@cache
def _stemmer(algorithm: str) -> Callable[[str], str]:
    import snowballstemmer

    return snowballstemmer.stemmer(algorithm).stemWord  # type: ignore[no-any-return]


@lru_cache(maxsize=500_000)
def _stem(word: str, algorithm: str) -> str:
    return _stemmer(algorithm)(word)


def stem(word: str, lang: str | None = None) -> str:
    """The stem of a lower-case ``word`` in ``lang`` (English when None); the word itself
    where the language has no stemmer or the word holds a digit."""
    algorithm = stemmer_language(lang)
    if algorithm is None or not word or any(c.isdigit() for c in word):
        return word
    return _stem(word, algorithm)


def stems(words: Iterable[str], lang: str | None = None) -> list[str]:
    """:func:`stem` of each word."""
    algorithm = stemmer_language(lang)
    if algorithm is None:
        return list(words)
    return [w if not w or any(c.isdigit() for c in w) else _stem(w, algorithm) for w in words]
