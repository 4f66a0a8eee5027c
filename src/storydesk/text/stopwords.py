"""Stop words per language: the one list every stage uses.

* English: scikit-learn's ``ENGLISH_STOP_WORDS`` (318 words, already a dependency) and
  the words news repeats in every story (``said``, ``told``, ``year``...), contraction
  pieces (``s``, ``ll``, ``n't``) and the bracket tokens of tokenized corpora
  (``lrb``, ``rrb``). stopwords-iso's English list (1,298 words) takes content words
  too (``world``, ``research``, ``information``), so it is not used for English.
* Every other language stopwords-iso has (58 languages, ``stopwordsiso`` package,
  200 KB): its list as shipped, lower-cased.
* A language with no list: no stop words (IDF weighting still damps common words).
"""

from __future__ import annotations

from functools import cache

from .languages import base_language

__all__ = ["stopwords", "NEWS_WORDS"]

# Words every English news story uses; they say nothing about which story it is.
NEWS_WORDS = frozenset(
    "said says say told new year years just like also would could one two mr mrs ms"
    " s t re ve ll d m n't lrb rrb".split()
)


@cache
def stopwords(lang: str | None) -> frozenset[str]:
    """The stop words of ``lang`` (an ISO 639-1 code or tag), lower-case; English when
    the language is unknown (None)."""
    code = base_language(lang) or "en"
    if code == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS) | NEWS_WORDS
    import stopwordsiso

    if not stopwordsiso.has_lang(code):
        return frozenset()
    return frozenset(w.lower() for w in stopwordsiso.stopwords(code))
