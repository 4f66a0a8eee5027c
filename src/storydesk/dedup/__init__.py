"""Duplicate detection: the same URL, the same text, and rewritten copies.

* exact: canonical URL (courlan) and a fingerprint of the normalised text;
* near: MinHash over word shingles with banded locality-sensitive hashing, so
  candidates come from an index lookup, never a scan of the store.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from storydesk.settings import DedupSettings

_WORD = re.compile(r"\w+", re.UNICODE)
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)


def canonical_url(url: str | None) -> str | None:
    """The URL with tracking parameters, fragments and case noise removed."""
    if not url:
        return None
    from courlan import normalize_url

    try:
        return normalize_url(url.strip(), strict=True)
    except Exception:  # courlan raises on some malformed URLs
        return url.strip()


def text_fingerprint(text: str) -> str:
    """A hash of the text's words, blind to case, spacing and punctuation."""
    words = _WORD.findall(text.lower())
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def _shingle_hashes(text: str, k: int) -> np.ndarray:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + k]) for i in range(len(words) - k + 1)]
    if not grams:
        return np.zeros(0, dtype=np.uint64)
    hashes = {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little")
              for g in grams}
    return np.fromiter(hashes, dtype=np.uint64, count=len(hashes))


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
        values = (np.outer(h, self._a) + self._b) % _MERSENNE & _MAX_HASH
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
