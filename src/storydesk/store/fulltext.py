"""What SQLite's full-text index holds, and how a query reaches it, in any language.

FTS5's ``unicode61`` tokenizer splits on spaces and punctuation only: it neither stems
(``putins`` would not find ``Putin``) nor cuts Chinese (a whole clause is one token).
So the ``articles_terms`` table (schema v7) holds each article's words as the text
layer reads them for an index in the article's language: each word lower-cased and
stemmed, unspaced scripts as overlapping character bigrams (a query's bigrams then
match as a phrase, so any substring of two characters or more is found), joined by
spaces (:func:`storydesk.text.index_terms`); ``unicode61`` only folds case and accents.
After them come the word starts of unspaced scripts (schema v10): at each place a word
begins (a Chinese word as jieba cuts it, else every character), up to ``START_CHARS``
characters of the run from there, written after ``START_MARK`` (a letter no index term
begins with), so that a prefix there matches words that begin with it, not any
substring: ``卡尔斯*`` is read as ``ǂ卡尔斯*``.

A query term is read the same way once per language the store holds (its language is
not known), and any of those readings may match; a phrase stays a phrase. Snippets are
cut from the original text around the words whose reading matched, marked between
``MARK_START`` and ``MARK_END`` (characters no stored text holds).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from storydesk.store.query import AllOf, AnyOf, Node, Reading, Term
from storydesk.text import has_cjk, index_terms, stem, trailing_run, word_spans, word_starts

__all__ = ["index_row", "term_reading", "word_start_prefixes", "highlight", "MARK_START",
           "MARK_END", "SNIPPET_WORDS", "START_MARK", "START_CHARS"]

# Search snippets mark matches with two control characters that cleaning removes from
# every stored text, so a bracket written in an article is never taken for a match.
MARK_START, MARK_END = "\x02", "\x03"

SNIPPET_WORDS = 16  # words in a snippet, as FTS5's snippet() is asked for
_SCAN_CHARS = 50_000  # a snippet is looked for in this much of a text

# Word starts of unspaced scripts: a letter that begins no index term (a word of a
# spaced script never runs on into an unspaced one), then at most START_CHARS characters.
START_MARK = "\u01c2"  # ǂ
START_CHARS = 4


def _column(value: str, language: str | None, limit: int | None = None) -> str:
    terms = " ".join(index_terms(value, language))
    starts = " ".join(START_MARK + w for w in word_starts(value, language, START_CHARS))
    if limit and len(terms) + len(starts) >= limit:  # each cut at about one place of the text
        share = (limit - 1) / (len(terms) + len(starts))
        terms, starts = terms[: int(len(terms) * share)], starts[: int(len(starts) * share)]
    return f"{terms} {starts}" if starts else terms


def index_row(title: str, text: str, language: str | None,
              limit: int | None = None) -> tuple[str, str]:
    """The title and text as ``articles_terms`` (or PostgreSQL's ``search`` column)
    holds them: index terms, then word starts. ``limit``: at most this many characters
    of the text's, its index terms and its word starts each cut in the same proportion
    (so that both reach about as far into the text)."""
    return _column(title or "", language), _column(text or "", language, limit)


@dataclass(frozen=True)
class _Start(Term):
    """A prefix at a word start of an unspaced script, as the index holds word starts."""


def word_start_prefixes(tree: AllOf) -> AllOf:
    """``tree`` with each prefix term that ends in an unspaced script (``卡尔斯*``) made
    to match at a word start only: the word-start term (``ǂ卡尔斯*``) alone when the
    term is that one run of at most START_CHARS characters, else the term (read as
    bigrams, the last one open: a substring) and the word start of its last run's first
    START_CHARS characters, both required."""

    def node(n: Node) -> Node:
        if isinstance(n, AnyOf):
            return AnyOf([node(i) for i in n.items])
        if isinstance(n, AllOf):
            return AllOf([node(i) for i in n.include], [node(i) for i in n.exclude])
        words = n.words() if n.prefix else []
        run = trailing_run(words[-1]) if words else ""
        if not run:
            return n
        start = _Start(START_MARK + run[:START_CHARS], prefix=True)
        if words == [run] and len(run) <= START_CHARS:
            return start
        return AllOf([n, start])

    return AllOf([node(i) for i in tree.include], [node(i) for i in tree.exclude])


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
    script as bigrams, the last one open (a substring: :func:`word_start_prefixes` adds
    the word start), and a word-start term as it is."""
    langs = list(dict.fromkeys([None, *languages]))

    def reading(term: Term) -> list[list[str]]:
        if isinstance(term, _Start):
            return [[term.text]]
        if not term.prefix:
            return _readings(term.text, langs)
        words = term.words()
        if not words:
            return []
        head, last = " ".join(words[:-1]), words[-1]
        # unspaced script: its bigrams, the last one a prefix (a substring; see
        # word_start_prefixes); a typed START_MARK starts no word here
        tail = index_terms(last) if has_cjk(last) else [_fold(last).lstrip(START_MARK)]
        if not tail[-1]:
            return []
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
    # a prefix of over two unspaced characters: the bigrams in each place it is written
    runs = {r for t in terms if t.prefix and t.words()
            and len(r := trailing_run(t.words()[-1])) > 2}
    covered = {s for r in runs for m in re.finditer(re.escape(r), head)
               for s in range(m.start(), m.end() - 1)}

    def matches(i: int) -> bool:
        s, e = spans[i]
        if s in covered:
            return True
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

