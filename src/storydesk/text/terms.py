"""Content terms: the stemmed words of a text without its stop words, for TF-IDF."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from .languages import base_language
from .stems import stems
from .stopwords import stopwords
from .tokens import words

__all__ = ["content_terms", "forget_sentence_terms", "index_terms", "sentence_cache",
           "split_word"]

# Languages whose short elided articles and pronouns come before an apostrophe
# (l'homme, dell'anno, qu'il): the word is what follows it.
_ELIDING = frozenset({"fr", "it", "ca"})
_APOSTROPHES = "'’"


def split_word(low: str, lang: str | None) -> list[str]:
    """A lower-case word's parts for matching: hyphenated compounds give their parts and
    a clitic goes ("reporter's" -> "reporter", "l'homme" -> "homme")."""
    out: list[str] = []
    elides = base_language(lang) in _ELIDING
    for part in low.split("-"):
        for ap in _APOSTROPHES:
            if ap in part:
                head, _, tail = part.partition(ap)
                part = tail if elides and len(head) <= 3 and tail else head
        if part:
            out.append(part)
    return out


# A sentence's terms are asked for by several stages in turn (the summariser's units,
# its repeat test, provenance, the fact judge's tokens): what is read off a short text is
# kept (sentence_cache).
_CACHED_CHARS = 1000
_CACHES: list[Any] = []

_T = TypeVar("_T")


def sentence_cache(fn: Callable[..., _T]) -> Callable[..., _T]:
    """``fn(text, ...)`` kept for the last 16,384 calls on texts of at most 1,000
    characters (what it returns must not be changed by its callers; the other arguments
    must be hashable); :func:`forget_sentence_terms` empties every such cache."""
    cached = functools.lru_cache(maxsize=16384)(fn)
    _CACHES.append(cached)

    @functools.wraps(fn)
    def call(text: str, *args: Any, **kwargs: Any) -> _T:
        if len(text) <= _CACHED_CHARS:
            return cached(text, *args, **kwargs)
        return fn(text, *args, **kwargs)

    return call


def content_terms(text: str, lang: str | None = None) -> list[str]:
    """The stemmed content words of ``text`` in order: lower-cased, stop words of
    ``lang`` left out, stemmed in ``lang`` (English when None)."""
    return list(_sentence_terms(text, lang))


def forget_sentence_terms() -> None:
    """Empty the caches of short texts' terms and tokens (:func:`sentence_cache`: a
    benchmark's run that must not find the terms of the run before it)."""
    for cached in _CACHES:
        cached.cache_clear()


def _content_terms(text: str, lang: str | None) -> list[str]:
    stop = stopwords(lang)
    out: list[str] = []
    for w in words(text, lang):
        low = w.lower()
        if low in stop:
            continue
        for part in split_word(low, lang) if ("-" in low or "'" in low or "’" in low) else (low,):
            if part not in stop:
                out.append(part)
    return stems(out, lang)  # the language looked up once


@sentence_cache
def _sentence_terms(text: str, lang: str | None) -> tuple[str, ...]:
    return tuple(_content_terms(text, lang))


def index_terms(text: str, lang: str | None = None) -> list[str]:
    """Every word of ``text`` lower-cased and stemmed in ``lang`` (stop words kept), as a
    search index holds them: ``Putin's``, ``Putins`` and ``putin`` read alike; unspaced
    scripts (Chinese too) as character bigrams, so any substring can be found."""
    return stems([w.lower() for w in words(text, lang, segment=False)], lang)
