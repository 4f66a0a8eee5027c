"""What SQLite's full-text index holds, and how a query reaches it, in any language.

FTS5's ``unicode61`` tokenizer splits on spaces and punctuation only: it neither stems
(``putins`` would not find ``Putin``) nor cuts Chinese (a whole clause is one token).
So the ``articles_terms`` table (schema v7) holds each article's words as the text
layer reads them for an index in the article's language: each word lower-cased and
stemmed, unspaced scripts as overlapping character bigrams (a query's bigrams then
match as a phrase, so any substring of two characters or more is found), joined by
spaces (:func:`storydesk.text.index_terms`); ``unicode61`` only folds case and accents.

A query term is read the same way once per language the store holds (its language is
not known), and any of those readings may match; a phrase stays a phrase. Snippets are
cut from the original text around the words whose reading matched, marked between
``MARK_START`` and ``MARK_END`` (characters no stored text holds).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from storydesk.store.query import Reading, Term
from storydesk.text import has_cjk, index_terms, stem, word_spans

__all__ = ["index_row", "term_reading", "highlight", "MARK_START", "MARK_END", "SNIPPET_WORDS"]

# Search snippets mark matches with two control characters that cleaning removes from
# every stored text, so a bracket written in an article is never taken for a match.
MARK_START, MARK_END = "\x02", "\x03"

SNIPPET_WORDS = 16  # words in a snippet, as FTS5's snippet() is asked for
_SCAN_CHARS = 50_000  # a snippet is looked for in this much of a text


def index_row(title: str, text: str, language: str | None) -> tuple[str, str]:
    """The title and text as ``articles_terms`` holds them."""
    return " ".join(index_terms(title or "", language)), " ".join(
        index_terms(text or "", language))


def _fold(word: str) -> str:
    """Lower case without accents, as ``unicode61 remove_diacritics 2`` folds a token."""
    nfd = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in nfd if unicodedata.category(c) != "Mn")


def _readings(term: str, languages: Iterable[str | None]) -> list[list[str]]:
    """The distinct readings of a query term (a word or a phrase), one per language."""
    out: list[list[str]] = []
    for lang in languages:
        toks = [t for t in index_terms(term, lang) if t]
        if toks and toks not in out:
            out.append(toks)
    return out


def term_reading(languages: Iterable[str | None]) -> Reading:
    """How a query term reaches ``articles_terms``: its readings in the stored languages
    (and with no language), any of which may match; a prefix term keeps its last word as
    typed (folded, not stemmed), so ``Lukashenk*`` finds ``Lukashenko``; in an unspaced
    script it is read as a word is, so ``卡尔斯*`` finds ``卡尔斯克``."""
    langs = list(dict.fromkeys([None, *languages]))

    def reading(term: Term) -> list[list[str]]:
        if not term.prefix:
            return _readings(term.text, langs)
        words = term.words()
        if not words:
            return []
        head, last = " ".join(words[:-1]), words[-1]
        # unspaced script has no word to complete: its bigrams, the last one a prefix
        tail = index_terms(last) if has_cjk(last) else [_fold(last)]
        out: list[list[str]] = []
        for lang in langs:
            toks = [t for t in index_terms(head, lang) if t] + tail
            if toks not in out:
                out.append(toks)
        return out

    return reading


def highlight(text: str, terms: list[Term], language: str | None,
              width: int = SNIPPET_WORDS) -> str:
    """About ``width`` words of ``text`` around its first words that match ``terms`` in
    ``language``, each matched word between ``MARK_START`` and ``MARK_END``, `` … ``
    where the text is cut."""
    words = [t.text for t in terms if not t.prefix]
    prefixes = tuple(_fold(t.words()[-1]) for t in terms if t.prefix and t.words())
    wanted = {_fold(t) for term in words for t in index_terms(term, language)}
    wanted |= {_fold(t) for term in words for t in index_terms(term, None)}
    head = text[:_SCAN_CHARS]
    spans = word_spans(head, language, segment=False)
    if not spans:
        return head[:200]

    def matches(i: int) -> bool:
        s, e = spans[i]
        key = stem(head[s:e].lower(), language)
        key = key if key.isascii() else _fold(key)
        return key in wanted or (bool(prefixes) and key.startswith(prefixes))

    first = next((i for i in range(len(spans)) if matches(i)), 0)
    start = max(0, min(first - width // 4, len(spans) - width))
    end = min(len(spans), start + width)
    hits = [i for i in range(start, end) if matches(i)]
    # Marked stretches: matched words, overlapping ones (bigrams) joined into one.
    marks: list[list[int]] = []
    for i in hits:
        if start <= i < end:
            s, e = spans[i]
            if marks and s < marks[-1][1]:
                marks[-1][1] = max(marks[-1][1], e)
            else:
                marks.append([s, e])
    lo, hi = spans[start][0], max(e for _, e in spans[start:end])
    out: list[str] = []
    pos = lo
    for s, e in marks:
        out.append(f"{head[pos:s]}{MARK_START}{head[s:e]}{MARK_END}")
        pos = e
    out.append(head[pos:hi])
    lead = "" if start == 0 else " … "
    tail = "" if end == len(spans) and len(head) == len(text) else " … "
    return lead + "".join(out) + tail
