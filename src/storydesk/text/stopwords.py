"""Stop words per language: the one list every stage uses.

* English: the function words of NLTK's English list (pronouns, articles, auxiliaries,
  prepositions, conjunctions), the words news repeats in every story (``said``,
  ``told``, ``year``...), contraction pieces (``s``, ``ll``, ``n't``) and the bracket
  tokens of tokenized corpora (``lrb``, ``rrb``). With ``broad=True`` (story vectors)
  scikit-learn's ``ENGLISH_STOP_WORDS`` (318 words) is added: it also drops general
  words (``fire``, ``bill``, ``system``, ``interest``), which helps tell stories apart
  but lowers summary ROUGE (measured, docs/text.md). stopwords-iso's English list
  (1,298 words) drops even more (``world``, ``research``) and is not used.
* Every other language stopwords-iso has (58 languages, ``stopwordsiso`` package,
  200 KB): its list as shipped, lower-cased.
* A language with no list: no stop words (IDF weighting still damps common words).
"""

from __future__ import annotations

from functools import cache

from .languages import base_language

__all__ = ["stopwords", "ENGLISH", "NEWS_WORDS"]

ENGLISH = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves""".split()
)
# Words every English news story uses; they say nothing about which story it is.
NEWS_WORDS = frozenset(
    "said says say told new year years just like also would could one two mr mrs ms"
    " s t re ve ll d m n't lrb rrb".split()
)


@cache
def stopwords(lang: str | None, broad: bool = False) -> frozenset[str]:
    """The stop words of ``lang`` (an ISO 639-1 code or tag), lower-case; English when
    the language is unknown (None). ``broad``: also general English words (see above)."""
    code = base_language(lang) or "en"
    if code == "en":
        if broad:
            from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

            return ENGLISH | NEWS_WORDS | frozenset(ENGLISH_STOP_WORDS)
        return ENGLISH | NEWS_WORDS
    import stopwordsiso

    if not stopwordsiso.has_lang(code):
        return frozenset()
    return frozenset(w.lower() for w in stopwordsiso.stopwords(code))
