"""Language codes as the text layer reads them."""

from __future__ import annotations

__all__ = ["base_language", "CJK_LANGUAGES", "RTL_LANGUAGES"]

# Written without spaces between words (segmented or split into character n-grams).
CJK_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
# Written right to left.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ug", "ku", "sd"})


def base_language(code: str | None) -> str | None:
    """The ISO 639-1 part of a language tag, lower-cased ("de-AT" -> "de"); None stays None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base or None
