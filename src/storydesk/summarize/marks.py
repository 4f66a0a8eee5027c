"""Quotation marks and final punctuation, as the summarisers read them: where a sentence
ends, which quotations it leaves open, and how to close one shown without its end."""

from __future__ import annotations

import re

__all__ = [
    "QUOTE_START",
    "TERMINAL",
    "QUOTE_MARK",
    "CLOSERS",
    "CLOSES_AT_END",
    "open_quotations",
    "close_quotation",
    "close_runs",
]

# an opening quotation mark at the start of a sentence
QUOTE_START = re.compile(r"\s*(?:[\"“‘«]|``|'(?=\s|[A-Za-z]))")
# final punctuation, closing marks after it, a tokenizer's space before one ("... there. \"")
TERMINAL = re.compile(r"[.!?…؟۔।。！？][\"'”’»)\]」』）》]*$|[.!?…]\s*(?:''|[\"”»])$")


# Quotation marks (straight, curly, guillemets, „German“, PTB ``/''); an opening mark and
# the marks that close it (German „...“ and »...«, French «...»); "*": a quotation an
# earlier sentence opened, which any of them closes.
QUOTE_MARK = re.compile(r"``|''|[\"“”«»„]")
CLOSERS: dict[str, tuple[str, ...]] = {
    '"': ('"',), "“": ("”",), "„": ("“", "”"), "«": ("»",), "»": ("«",), "``": ("''",),
    "*": ("”", "“", "''", "»", "«", '"')}
# What follows a straight mark that closes a quotation: punctuation, the end, or a space
# and a lower-case word ('... religiosa", ha detto Lao.', '... edilmiştir" denildi.').
# With none open, such a mark closes one an earlier sentence opened: it opens none.
ENDS_QUOTE = re.compile(r"\s*(?:[,.;:!?…]|$)|\s+[a-zß-ÿа-яё]")
# A mark after the sentence's final punctuation, a tokenizer's space allowed: it closes.
CLOSES_AT_END = re.compile(r"[.!?,;]\s*(?:''|[\"“”»])$")


def open_quotations(sentence: str, carried: bool = False) -> list[str]:
    """The opening marks of the quotations ``sentence`` leaves open, innermost last;
    ``carried``: it begins inside a quotation an earlier sentence opened ("*"). A mark
    closes the innermost quotation when it is one of its closers, a straight mark, or the
    mark after the final punctuation (``... everyone there. "``); a closing mark of
    another kind closes it too; any other opening mark opens one, but a straight mark
    followed by punctuation or a lower-case word opens none (:data:`ENDS_QUOTE`)."""
    s = sentence.strip()
    stack = ["*"] if carried else []
    for m in QUOTE_MARK.finditer(s):
        mark = m.group()
        final = m.end() == len(s) and CLOSES_AT_END.search(s) is not None
        if stack and (mark in CLOSERS[stack[-1]] or mark == '"' or final
                      or mark not in CLOSERS):
            stack.pop()
        elif mark in CLOSERS and not final and not (
                mark == '"' and ENDS_QUOTE.match(s, m.end())):
            stack.append(mark)
    return stack


def close_quotation(sentence: str) -> str:
    """The sentence with the one quotation it opens and leaves open closed after its
    final punctuation (``Hodler said, "No, I don't resign.`` -> ``... resign."``): a
    quotation that runs on into the article's next sentence, shown without it. Unchanged
    when no quotation, or more than one, is left open."""
    s = sentence.rstrip()
    if not TERMINAL.search(s):
        return sentence
    left = open_quotations(s)
    return s + CLOSERS[left[0]][0] if len(left) == 1 else sentence


def close_runs(sentences: list[str], runs_on: list[bool]) -> list[str]:
    """``sentences`` as a summary shows them, ``runs_on[k]`` True where sentence k is
    followed, next in the summary, by its article's next sentence. A quotation left open
    at the end of such a run is closed after the run's last sentence (:func:`close_quotation`
    of the run read as one): "... selected “because we want the ceremony to be fun." then
    "He can hold a stage." shows as "... He can hold a stage.”" when the article's
    sentence closing the quotation is not shown."""
    out: list[str] = []
    run: list[str] = []
    for s, on in zip(sentences, runs_on, strict=True):
        run.append(s)
        if on:
            out.append(s)
            continue
        joined = " ".join(run)
        closed = close_quotation(joined)
        out.append(s.rstrip() + closed[len(joined.rstrip()):] if closed != joined else s)
        run = []
    return out
