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
def translit_key(text: str, sep: str = "") -> str:
    """``text`` transliterated to ASCII and lower-cased, its words joined by ``sep``,
    anything but letters and digits left out ("Владимир Путин" -> "vladimirputin"; with
    ``sep=" "``, "vladimir putin"; "Ольга" -> "olga", the soft sign's ' dropped)."""
    from anyascii import anyascii

    keys = (_NON_ALNUM.sub("", anyascii(w).lower()) for w in text.split())
    return sep.join(k for k in keys if k)
