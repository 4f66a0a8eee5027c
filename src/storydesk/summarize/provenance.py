"""Which article sentences state a summary sentence: one lookup, one pluggable judge.

:func:`stating_sentences` asks a pairwise *same-fact* predicate ``same_fact(a, b) ->
bool`` of the summary sentence against every sentence of the story's articles and returns
every one it accepts (the shown sentence itself always counts). The default predicate,
:func:`word_match`, is the word-level matching the story summariser has always used: the
TF-IDF cosine of stemmed content words (IDF over the story's sentences) at least
``threshold``. A judge that recognises a fact worded differently (a paraphrase model)
plugs in as ``same_fact``, and "reported by N of M" counts follow from what it accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import numpy as np

__all__ = ["SameFact", "word_match", "stating_sentences"]

SameFact = Callable[[str, str], bool]
K = TypeVar("K", bound=Hashable)


class _Text:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def word_match(
    texts: Sequence[str], threshold: float = 0.3, matrix: np.ndarray | None = None
) -> SameFact:
    """The word-level predicate: TF-IDF cosine (IDF over ``texts``, the story's sentences)
    of the two sentences at least ``threshold``. A pair with a sentence outside ``texts``
    is compared with IDF over ``texts`` and the two. ``matrix``: ``sentence_matrix`` of
    ``texts``, when already at hand."""
    from .multi import sentence_matrix

    x = matrix if matrix is not None else sentence_matrix([_Text(t) for t in texts])
    row = {t: i for i, t in enumerate(texts)}

    def same(a: str, b: str) -> bool:
        i, j = row.get(a), row.get(b)
        if i is not None and j is not None:
            return bool(float(x[i] @ x[j]) >= threshold)
        # A sentence from outside: IDF over the story's sentences and the two.
        m = sentence_matrix([_Text(t) for t in [*texts, a, b]])
        return bool(float(m[-2] @ m[-1]) >= threshold)

    return same


def stating_sentences(
    sentence: str,
    candidates: Sequence[tuple[K, str]],
    same_fact: SameFact,
    shown: K | None = None,
) -> list[K]:
    """Keys of the ``candidates`` ((key, sentence text) pairs, e.g. ((article id, sentence
    index), text)) that state ``sentence``'s fact by ``same_fact``, in candidate order;
    ``shown``, the key of the sentence shown, is always included."""
    return [k for k, t in candidates if k == shown or same_fact(sentence, t)]
