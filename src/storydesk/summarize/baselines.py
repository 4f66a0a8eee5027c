"""Baseline summarisers for ``evaluate``: sumy's LexRank, TextRank, LSA and Luhn,
newspaper4k's summariser, and the stored outputs of published systems.

sumy and newspaper4k are optional (``pip install 'storydesk[bench]'``); a missing one is
left out. Both would split sentences with NLTK's punkt, a download that cannot happen
here, so both are given storydesk's sentences: sumy through its document model (our
splitter as its tokenizer's ``to_sentences``), newspaper4k by swapping its splitter for
ours during the call. Each baseline is ``f(row, n, words) -> sentences`` (see
:func:`storydesk.summarize.evaluate.evaluate`); they take ``n`` sentences and ignore a
word budget.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from storydesk.text.sentences import split_sentences

from .evaluate import System

__all__ = ["sumy_systems", "newspaper_system", "stored_system", "stored_system_names",
           "available_baselines"]


class _SumyTokenizer:
    """sumy's tokenizer interface on storydesk's sentences (no NLTK data needed)."""

    language = "english"
    _word = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

    def to_sentences(self, text: str) -> list[str]:
        return split_sentences(text)

    def to_words(self, sentence: str) -> list[str]:
        return self._word.findall(sentence)


def sumy_systems() -> dict[str, System]:
    """sumy's LexRank, TextRank, LSA and Luhn (English stemmer and stop words)."""
    try:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.lsa import LsaSummarizer
        from sumy.summarizers.luhn import LuhnSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words
    except ImportError:
        return {}
    tok = _SumyTokenizer()
    out: dict[str, System] = {}
    for name, cls in [
        ("lexrank", LexRankSummarizer),
        ("textrank", TextRankSummarizer),
        ("lsa", LsaSummarizer),
        ("luhn", LuhnSummarizer),
    ]:
        summ = cls(Stemmer("english"))
        summ.stop_words = get_stop_words("english")

        def run(
            row: Mapping[str, Any], n: int | None, words: int | None, summ: Any = summ
        ) -> list[str]:
            doc = PlaintextParser.from_string(row["text"], tok).document
            return [str(s) for s in summ(doc, n or 3)]

        out["sumy_" + name] = run
    return out


def newspaper_system() -> dict[str, System]:
    """newspaper4k's ``nlp.summarize`` (title from a leading headline line, if any)."""
    try:
        import newspaper.nlp as nlp
        from newspaper.text import StopWords
    except ImportError:
        return {}
    sw = StopWords("en")

    def ours(text: str) -> list[str]:
        return [s for s in split_sentences(text) if len(s) > 10]  # its own length filter

    def run(row: Mapping[str, Any], n: int | None, words: int | None) -> list[str]:
        text = row["text"]
        title = " "
        first, _, rest = text.partition("\n")
        if rest and not re.search(r"[.!?\"']\s*$", first):
            title, text = first, rest
        saved = nlp.split_sentences
        nlp.split_sentences = ours
        try:
            return list(nlp.summarize(title, text, sw, max_sents=n or 3))
        finally:
            nlp.split_sentences = saved

    return {"newspaper4k": run}


def stored_system(name: str) -> System:
    """The outputs stored in a row's ``systems`` field under ``name`` (None where absent)."""

    def run(row: Mapping[str, Any], n: int | None, words: int | None) -> list[str] | None:
        out = (row.get("systems") or {}).get(name)
        if isinstance(out, str):
            return split_sentences(out)
        return [str(s) for s in out] if out else None

    return run


def stored_system_names(rows: list[Mapping[str, Any]]) -> list[str]:
    return sorted({k for row in rows for k in (row.get("systems") or {})})


def available_baselines() -> dict[str, System]:
    """Every installed baseline besides lead-3 (which ``evaluate`` always runs)."""
    return {**sumy_systems(), **newspaper_system()}
