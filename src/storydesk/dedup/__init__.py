"""Duplicate detection: the same URL, the same text, and rewritten copies.

* exact: canonical URL (tracking parameters dropped, every other one kept) and a
  fingerprint of the normalised text; a URL match counts only when the texts agree;
* near: MinHash over word shingles with banded locality-sensitive hashing, so
  candidates come from an index lookup, never a scan of the store.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from storydesk.settings import DedupSettings

_WORD = re.compile(r"\w+", re.UNICODE)
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)


# Query parameters that only say how a reader arrived, never which article: dropped
# from a URL before comparing. Every other parameter is kept (``?nid=1000``,
# ``?articleId=5``, Drupal's ``?q=node/123`` name the article). Names are compared
# in lower case; an entry ending in ``*`` is a prefix.
TRACKING_PARAMS = (
    "utm_*", "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src", "ref_url", "referrer",
    "cmpid", "ocid", "smid", "at_medium", "at_campaign", "__twitter_impression",
)
_TRACKING_EXACT = frozenset(p for p in TRACKING_PARAMS if not p.endswith("*"))
_TRACKING_PREFIX = tuple(p[:-1] for p in TRACKING_PARAMS if p.endswith("*"))
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter is known tracking (``TRACKING_PARAMS``)."""
    name = name.lower()
    return name in _TRACKING_EXACT or name.startswith(_TRACKING_PREFIX)


def canonical_url(url: object) -> str | None:
    """The URL as duplicates are found by it: scheme and host in lower case, no default
    port, no fragment, no tracking parameters (``TRACKING_PARAMS``), the others sorted.
    Anything that is not a non-empty string is None; a URL that cannot be parsed is
    kept as written."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not is_tracking_param(k))
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def text_fingerprint(text: str) -> str:
    """A hash of the text's words, blind to case, spacing and punctuation."""
    words = _WORD.findall(text.lower())
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def _shingle_hashes(text: str, k: int) -> np.ndarray:
    """32-bit hashes of the text's ``k``-word shingles (a shingle repeated in the text
    repeats its hash: a MinHash reads only the smallest)."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        grams = [" ".join(words)] if words else []
    else:
        n = len(words) - k + 1
        grams = list(map(" ".join, zip(*[words[i : i + n] for i in range(k)], strict=True)))
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(g.encode(), digest_size=4).digest() for g in grams])
    return np.frombuffer(digests, dtype="<u4").astype(np.uint64)


@dataclass
class NearDupIndex:
    """MinHash signatures and their LSH band keys."""

    settings: DedupSettings

    def __post_init__(self) -> None:
        rng = np.random.RandomState(1)  # fixed: signatures must match across runs
        n = self.settings.num_perm
        self._a = rng.randint(1, (1 << 31) - 1, size=n).astype(np.uint64)
        self._b = rng.randint(0, (1 << 31) - 1, size=n).astype(np.uint64)

    def signature(self, text: str) -> np.ndarray:
        """A ``num_perm`` MinHash signature (uint32) of the text's shingles."""
        h = _shingle_hashes(text, self.settings.shingle_words)
        if h.size == 0:
            return np.full(self.settings.num_perm, _MAX_HASH, dtype=np.uint32)
        values = np.outer(h, self._a)
        values += self._b
        values %= _MERSENNE
        values &= _MAX_HASH
        return values.min(axis=0).astype(np.uint32)

    def band_keys(self, sig: np.ndarray) -> list[str]:
        rows = self.settings.num_perm // self.settings.bands
        keys = []
        for b in range(self.settings.bands):
            chunk = sig[b * rows : (b + 1) * rows].tobytes()
            keys.append(f"{b}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
        return keys

    @staticmethod
    def similarity(a: np.ndarray, b: np.ndarray) -> float:
        """Estimated Jaccard similarity of the two texts' shingle sets."""
        return float(np.mean(a == b))

    @staticmethod
    def to_bytes(sig: np.ndarray) -> bytes:
        return sig.astype("<u4").tobytes()

    @staticmethod
    def from_bytes(data: bytes) -> np.ndarray:
        return np.frombuffer(data, dtype="<u4")
