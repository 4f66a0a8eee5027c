"""Bytes to text: find the encoding of a file or a response, refuse binary data."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

SNIFF_BYTES = 8192  # how much of the start is searched for NUL bytes and meta charset
MAX_CONTROL_SHARE = 0.01  # more control characters than this share means "not text"
# Unicode's control characters (category Cc: C0, DEL, C1) other than the white space ones.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


class NotText(ValueError):
    """The bytes are not text in any encoding we can find."""


def charset_from_content_type(content_type: str | None) -> str | None:
    """``text/html; charset=windows-1251`` -> ``windows-1251``."""
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return m.group(1) if m else None


def _try(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        codecs.lookup(encoding)
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    if not sample:
        return False
    controls = len(_CONTROLS.findall(sample))
    return controls / len(sample) > MAX_CONTROL_SHARE


def decode_bytes(data: bytes, *, declared: str | None = None, markup: bool = False) -> str:
    """Decode ``data``, trying in turn: a byte-order mark, the ``declared`` charset
    (an HTTP header), a ``<meta charset>`` or XML declaration when ``markup``,
    UTF-8, then charset-normalizer's guess.

    Raises NotText for binary data (NUL bytes, control characters, no encoding fits).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data, encoding)
            if text is not None:
                return text.lstrip("\ufeff")
    if b"\x00" in data[:SNIFF_BYTES]:
        raise NotText("binary file, not text")

    candidates: list[str | None] = [declared]
    if markup:
        head = data[:SNIFF_BYTES]
        for pattern in (_META_CHARSET, _XML_ENCODING):
            m = pattern.search(head)
            if m:
                candidates.append(m.group(1).decode("ascii", "replace"))
    candidates.append("utf-8")
    for encoding in candidates:
        text = _try(data, encoding)
        if text is not None and not _looks_binary(text):
            return text

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise NotText("binary file, not text")
    text = str(best)
    if _looks_binary(text):
        raise NotText("binary file, not text")
    return text


def human_size(n: int) -> str:
    """``25_300_000`` -> ``25.3 MB``; small numbers stay in bytes."""
    if n >= 100_000:
        return f"{n / 1_000_000:.1f}".removesuffix(".0") + " MB"
    return f"{n} bytes"
