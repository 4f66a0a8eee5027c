"""storydesk's text layer: words, stop words, stems, sentences and counts per language.

Every stage reads text through these functions, passing the article's language (an ISO
639-1 code or tag such as ``"de"`` or ``"zh-CN"``; None for unknown, read as English
where a list or stemmer is needed). It imports only the standard library, small
pure-Python libraries (ftfy, snowballstemmer, stopwordsiso, jieba, anyascii) and
scikit-learn's English stop-word list, never another storydesk stage. Heavy resources
(jieba's dictionary) load once per process on first use. See ``docs/text.md``.
"""

from .languages import base_language
from .normalize import repair_text
from .sentences import Span, is_caseless, mend_numbers, split_sentence_spans, split_sentences
from .stems import STEMMED_LANGUAGES, stem, stems
from .stopwords import stopwords
from .terms import content_terms, forget_sentence_terms, index_terms, sentence_cache
from .tokens import has_cjk, trailing_run, word_count, word_spans, word_starts, words
from .translit import translit_key

__all__ = [
    "STEMMED_LANGUAGES",
    "Span",
    "base_language",
    "content_terms",
    "forget_sentence_terms",
    "has_cjk",
    "index_terms",
    "is_caseless",
    "mend_numbers",
    "repair_text",
    "sentence_cache",
    "split_sentence_spans",
    "split_sentences",
    "stem",
    "stems",
    "stopwords",
    "trailing_run",
    "translit_key",
    "word_count",
    "word_spans",
    "word_starts",
    "words",
]
