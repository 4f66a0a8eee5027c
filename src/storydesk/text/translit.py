"""Keys that travel across scripts: a name written in Cyrillic, Arabic or Han and its Latin
spelling meet on one key (``Путин``, ``Putin`` -> ``putin``).

``anyascii`` transliterates every script to ASCII by fixed tables (no language model), so
a key is only as good as the match of conventions: Cyrillic and Greek names mostly meet
their English spelling, Arabic names meet it less often (vowels are not written), and Han
characters become pinyin syllables that meet a Latin name only when it is pinyin too.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["translit_key"]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def translit_key(text: str) -> str:
    """``text`` transliterated to ASCII, lower-cased, with anything but letters and digits
    left out ("Владимир Путин" -> "vladimirputin")."""
    from anyascii import anyascii

    return _NON_ALNUM.sub("", anyascii(text).lower())
