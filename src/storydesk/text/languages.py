"""Language codes as the text layer reads them."""

from __future__ import annotations

__all__ = ["base_language"]


def base_language(code: str | None) -> str | None:
    """The ISO 639-1 part of a language tag, lower-cased ("de-AT" -> "de"); None stays None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base or None
