"""Text as it should have been written: mojibake repaired (ftfy), Unicode NFC.

``repair_text`` fixes text that was decoded with the wrong character set somewhere
upstream (``gÃ¼nlÃ¼k`` -> ``günlük``, ``â€™`` -> ``’``) with ftfy's heuristics, which
change nothing in text that is already right. Quotes, full-width punctuation and line
breaks are left as written: only the encoding accidents go.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["repair_text"]


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
    import ftfy

    out = ftfy.fix_text(text, _config())
    if not unicodedata.is_normalized("NFC", out):
        out = unicodedata.normalize("NFC", out)
    return out
