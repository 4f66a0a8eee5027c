"""Words of a text in any language, with their offsets.

One pattern for every script written with spaces between words: a word is a run of
letters, digits and combining marks (so Devanagari or Arabic vowel signs stay inside
their word), with apostrophes and hyphens allowed inside (``don't``, ``Jean-Luc``,
``Baden-Württemberg``).

Scripts written without spaces are cut out first and handled by language:

* Chinese (Han characters in text that is not Japanese): segmented into words with
  jieba's dictionary, loaded once per process on first use.
* Japanese (kana present, or the language is ``ja``), Thai, Lao, Khmer and Myanmar:
  overlapping character bigrams (a one-character run is itself). This is the
  fallback for any script without a segmenter here; bigrams are the usual unit for
  retrieval in such scripts and need no dictionary.

``word_spans`` gives ``(start, end)`` offsets into the text; ``words`` the surface
forms; ``word_count`` counts words as a reader does: whitespace-separated words in
spaced scripts, segmented words in Chinese, and each character of a run that has no
segmenter as one word (one character carries about one syllable there).
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any

from .languages import base_language

__all__ = ["word_spans", "words", "word_count", "has_cjk", "segmenter_for", "word_starts",
           "trailing_run"]


def _mark_class() -> str:
    """A character class body for every combining mark in the Basic Multilingual Plane."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp))[0] == "M":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


# Han (with extension A and compatibility ideographs), kana, and the South-East Asian
# scripts written without spaces.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_SEA = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_NOSPACE = _HAN + _KANA + _SEA
_MARKS = _mark_class()
_LETTER = rf"[^\W_{_NOSPACE}]"  # a letter or digit of a spaced script
_INNER = rf"(?:[^\W{_NOSPACE}]|[{_MARKS}'’-])"
_WORD = rf"{_LETTER}(?:{_INNER}*(?:{_LETTER}|[{_MARKS}]))?"  # a word of a spaced script
_RUN = rf"[{_NOSPACE}{_MARKS}]*[{_NOSPACE}][{_NOSPACE}{_MARKS}]*"  # a run of an unspaced one
_PATTERN = re.compile(rf"(?P<run>{_RUN})|(?P<word>{_WORD})")
_WORD_RE = re.compile(_WORD)
_KANA_RE = re.compile(f"[{_KANA}]")
_HAN_RE = re.compile(f"[{_HAN}]")
_CJK_RE = re.compile(f"[{_NOSPACE}]")
_RUN_RE = re.compile(_RUN)

_jieba_lock = threading.Lock()
_jieba: Any = None


def _load_jieba() -> Any:
    """jieba's tokenizer, its dictionary loaded once per process (about a second)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                _jieba = tok
    return _jieba


def segmenter_for(lang: str | None, run: str) -> str:
    """How a run of unspaced script is cut: "jieba" (Chinese words) or "bigrams"."""
    if base_language(lang) == "ja" or _KANA_RE.search(run) or not _HAN_RE.search(run):
        return "bigrams"
    return "jieba" if "jieba" in sys.modules or _jieba_available() else "bigrams"


def _jieba_available() -> bool:
    try:
        import jieba  # noqa: F401
    except ImportError:  # pragma: no cover - jieba is a dependency
        return False
    return True


def _run_spans(run: str, offset: int, how: str) -> Iterator[tuple[int, int]]:
    if how == "jieba":
        for _w, s, e in _load_jieba().tokenize(run):
            if not run[s:e].isspace():
                yield offset + s, offset + e
        return
    chars = [i for i, ch in enumerate(run) if unicodedata.category(ch)[0] != "M"]
    if len(chars) == 1:
        yield offset, offset + len(run)
        return
    ends = chars[1:] + [len(run)]
    for k in range(len(chars) - 1):
        yield offset + chars[k], offset + ends[k + 1]


def word_spans(text: str, lang: str | None = None,
               segment: bool = True) -> list[tuple[int, int]]:
    """``(start, end)`` of every word of ``text`` in order (see the module's doc). With
    ``segment`` False every unspaced run is cut into character bigrams, Chinese too: a
    search index does so, so that any substring of two characters or more is found
    whatever the segmenter would have made of its context."""
    if _CJK_RE.search(text) is None:
        return [m.span() for m in _WORD_RE.finditer(text)]
    out: list[tuple[int, int]] = []
    for m in _PATTERN.finditer(text):
        if m.lastgroup == "word":
            out.append(m.span())
        else:
            run = m.group()
            how = segmenter_for(lang, run) if segment else "bigrams"
            out.extend(_run_spans(run, m.start(), how))
    return out


def words(text: str, lang: str | None = None, segment: bool = True) -> list[str]:
    """The words of ``text`` as written (see :func:`word_spans`)."""
    if _CJK_RE.search(text) is None:  # spaced scripts only: the words as the pattern finds them
        return _WORD_RE.findall(text)
    return [text[s:e] for s, e in word_spans(text, lang, segment)]


def word_starts(text: str, lang: str | None = None, chars: int = 4) -> list[str]:
    """In each run of unspaced script in ``text``, the run from each of its word starts
    on, at most ``chars`` characters: a start of a Chinese word (jieba), else every
    character (no segmenter knows where a word begins; each character counts as a word,
    as in :func:`word_count`). A search index holds them so that a prefix can be
    matched at a word start: ``卡尔斯克港重新开放`` gives ``卡尔斯克``, ``港重新开``,
    ``重新开放``, ``开放``."""
    if _CJK_RE.search(text) is None:
        return []
    out: list[str] = []
    for m in _RUN_RE.finditer(text):
        run = m.group()
        if segmenter_for(lang, run) == "jieba":
            starts = [s for s, _e in _run_spans(run, 0, "jieba")]
        else:
            starts = [i for i, ch in enumerate(run) if unicodedata.category(ch)[0] != "M"]
        out.extend(run[s : s + chars] for s in starts)
    return out


def trailing_run(word: str) -> str:
    """The run of unspaced script that ``word`` ends with ("" if it ends otherwise)."""
    runs = [m for m in _RUN_RE.finditer(word) if m.end() == len(word)]
    return runs[-1].group() if runs else ""


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds any script written without spaces (Han, kana, Thai...)."""
    return _CJK_RE.search(text) is not None


def word_count(text: str, lang: str | None = None) -> int:
    """How many words ``text`` has, as a reader counts them: whitespace-separated words
    in spaced scripts (so ``3.5%`` is one word, as in a word budget), Chinese words
    (jieba) and one per character in runs with no segmenter (Japanese, Thai...)."""
    if not text:
        return 0
    if _CJK_RE.search(text) is None:  # spaced scripts only
        return len(text.split())
    n = 0
    for chunk in text.split():
        if _CJK_RE.search(chunk) is None:
            n += 1
            continue
        rest = chunk
        for m in _RUN_RE.finditer(chunk):
            run = m.group()
            if segmenter_for(lang, run) == "jieba":
                n += sum(1 for _ in _run_spans(run, 0, "jieba"))
            else:
                n += sum(1 for ch in run if unicodedata.category(ch)[0] != "M")
            rest = rest.replace(run, " ", 1)
        if any(ch.isalnum() for ch in rest):
            n += 1
    return n
