"""Text as it should have been written: mojibake repaired (ftfy), Unicode NFC.

``repair_text`` fixes text that was decoded with the wrong character set somewhere
upstream (``gÃ¼nlÃ¼k`` -> ``günlük``, ``â€™`` -> ``’``) with ftfy's heuristics, which
change nothing in text that is already right. Quotes, full-width punctuation and line
breaks are left as written: only the encoding accidents go.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["repair_text"]

# UTF-8 read as Latin-1 or Windows-1252 (the usual mojibake) always shows a lead byte
# (Â..ô) before a continuation byte (\x80..¿, or what Windows-1252 puts there: € ’ “ …).
# Text without such a pair is left to NFC alone: ftfy costs ~0.5 ms per KB.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)


@lru_cache(maxsize=1)
def _config():  # type: ignore[no-untyped-def]
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,  # markup is the extractor's business, not ours
        uncurl_quotes=False,
        fix_character_width=False,  # keep CJK full-width punctuation as written
        fix_line_breaks=False,
        normalization="NFC",
        explain=False,
    )


def repair_text(text: str) -> str:
    """``text`` with mojibake repaired and in Unicode NFC."""
    if not text:
        return text
    if text.isascii():
        return text
    if _SUSPECT.search(text) is None:
        out = text
    else:
        import ftfy

        out = ftfy.fix_text(text, _config())
    if not unicodedata.is_normalized("NFC", out):
        out = unicodedata.normalize("NFC", out)
    return out
