"""Which article sentences state a summary sentence: one lookup, one pluggable judge.

:func:`stating_sentences` asks a pairwise *same-fact* predicate ``same_fact(a, b) ->
bool`` of the summary sentence against every sentence of the story's articles and returns
every one it accepts (the shown sentence itself always counts). The default predicate,
:func:`word_match`, is the word-level matching the story summariser has always used: the
TF-IDF cosine of stemmed content words (IDF over the story's sentences) at least
``threshold``. A judge that recognises a fact worded differently (a paraphrase model)
plugs in as ``same_fact``, and "reported by N of M" counts follow from what it accepts.

:class:`FactJudge` is how a caller hands the summariser such a judge (the comparison's
fitted judge: the summariser does not import the comparison; its caller builds one and
passes it in). :func:`judged_sources` completes a summary's sources with it: an article
reports a summary sentence's fact when one of its sentences is judged the same fact.
Only sentences sharing some content with the summary sentence (TF-IDF cosine at least
``min_cosine``) are shown to the judge, each distinct text once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from storydesk.text import content_terms

__all__ = [
    "SameFact", "FactJudge", "word_match", "sentence_matrix", "stating_sentences",
    "judged_sources",
]

SameFact = Callable[[str, str], bool]
K = TypeVar("K", bound=Hashable)
# between(a, b) -> len(a) x len(b) probabilities that a[i] and b[j] state one fact
Between = Callable[[Sequence[str], Sequence[str]], np.ndarray]
# some(a, b, mask) -> the same, judged only where the len(a) x len(b) boolean mask holds
BetweenSome = Callable[[Sequence[str], Sequence[str], np.ndarray], np.ndarray]


@dataclass(frozen=True)
class FactJudge:
    """A judge of "these two sentences state one fact", given by the caller:
    ``between(a, b)`` is the ``len(a)`` x ``len(b)`` matrix of probabilities that
    ``a[i]`` and ``b[j]`` state one fact; a pair at ``threshold`` or more does.
    ``some(a, b, mask)``, when given, judges only the pairs ``mask`` holds (0 elsewhere),
    the probabilities of those as ``between`` gives them: callers that need a few pairs
    of a large matrix ask it instead."""

    between: Between
    threshold: float = 0.5
    some: BetweenSome | None = None

    def between_some(self, a: Sequence[str], b: Sequence[str], mask: np.ndarray) -> np.ndarray:
        """:attr:`between` where ``mask`` holds (by :attr:`some` when given), 0 elsewhere."""
        if self.some is not None:
            return self.some(a, b, mask)
        return np.where(mask, self.between(a, b), 0.0)

    @classmethod
    def from_predicate(cls, same: SameFact) -> FactJudge:
        """A judge from a yes/no predicate ``same(a, b)`` (probability 1 or 0)."""

        def between(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
            return np.array([[float(same(x, y)) for y in b] for x in a]).reshape(len(a), len(b))

        return cls(between, 0.5)

    def same(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` state one fact."""
        return bool(float(self.between([a], [b])[0, 0]) >= self.threshold)


class _Text:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def sentence_matrix(
    sents: Sequence[Any], terms: Callable[[str, str | None], list[str]] = content_terms
) -> np.ndarray:
    """Row-normalised log-TF x IDF vectors of sentences (anything with ``.text`` and,
    optionally, ``.language``), IDF over these sentences (dense: a story has at most a few
    thousand sentences and a few thousand distinct words after stop words). ``terms``
    reads a sentence's terms in its language."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    counts: list[int] = []
    for r, s in enumerate(sents):
        for t, c in Counter(terms(s.text, getattr(s, "language", None))).items():
            rows.append(r)
            cols.append(vocab.setdefault(t, len(vocab)))
            counts.append(c)
    x = np.zeros((len(sents), max(1, len(vocab))), dtype=np.float32)
    x[rows, cols] = 1.0 + np.log(np.asarray(counts, dtype=np.int64))
    if len(sents):
        df = (x > 0).sum(axis=0)
        x *= np.log((len(sents) + 1) / (df + 0.5)).astype(np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


def word_match(
    texts: Sequence[str], threshold: float = 0.3, matrix: np.ndarray | None = None
) -> SameFact:
    """The word-level predicate: TF-IDF cosine (IDF over ``texts``, the story's sentences)
    of the two sentences at least ``threshold``. A pair with a sentence outside ``texts``
    is compared with IDF over ``texts`` and the two. ``matrix``: ``sentence_matrix`` of
    ``texts``, when already at hand."""
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


def judged_sources(
    shown: Sequence[str],
    sources: Sequence[list[tuple[K, int]]],
    rows: Sequence[tuple[K, int, str]],
    judge: FactJudge,
    similarity: np.ndarray | None = None,
    min_cosine: float = 0.1,
    per_article: int = 0,
) -> list[list[tuple[K, int]]]:
    """``sources`` (per summary sentence in ``shown``, its (article, sentence index)
    pairs) completed by ``judge``: an article not yet among a sentence's sources reports
    its fact when one of its sentences (``rows``: (article, sentence index, text)) is
    judged the same fact; its best-judged sentence is added. ``similarity``: the
    ``len(shown)`` x ``len(rows)`` word-level cosine; only rows at ``min_cosine`` or more
    (and each distinct text once) are shown to the judge (None: every row), and with
    ``per_article``, only each article's that many closest to a summary sentence."""
    if not shown or not rows:
        return [list(s) for s in sources]
    if similarity is not None:
        similarity = np.where(similarity >= min_cosine, similarity, -np.inf)
        if per_article:
            similarity = _closest_per_article(similarity, [r[0] for r in rows], per_article)
    keep = range(len(rows)) if similarity is None else \
        np.flatnonzero(np.isfinite(similarity).any(axis=0))
    texts: dict[str, int] = {}
    for r in keep:
        texts.setdefault(rows[r][2], len(texts))
    if not texts:
        return [list(s) for s in sources]
    # only the pairs read below: a shown sentence and a row of an article not yet a source
    mask = np.zeros((len(shown), len(texts)), dtype=bool)
    for k, src in enumerate(sources):
        have = {a for a, _ in src}
        for r in keep:
            if rows[r][0] not in have and (similarity is None or np.isfinite(similarity[k, r])):
                mask[k, texts[rows[r][2]]] = True
    prob = judge.between_some(list(shown), list(texts), mask)
    out = []
    for k, src in enumerate(sources):
        have = {a for a, _ in src}
        best: dict[K, tuple[float, int]] = {}
        for r in keep:
            aid, i, t = rows[r]
            if similarity is not None and not np.isfinite(similarity[k, r]):
                continue
            p = float(prob[k, texts[t]])
            if aid not in have and p >= judge.threshold and p > best.get(aid, (0.0, 0))[0]:
                best[aid] = (p, i)
        out.append(sorted({*src, *((aid, i) for aid, (_, i) in best.items())}))
    return out


def _closest_per_article(similarity: np.ndarray, articles: Sequence[Hashable], k: int
                         ) -> np.ndarray:
    """``similarity`` with every entry but each row's ``k`` highest per article set to
    -inf."""
    out = np.full_like(similarity, -np.inf)
    groups: dict[Hashable, list[int]] = {}
    for c, a in enumerate(articles):
        groups.setdefault(a, []).append(c)
    for cols in groups.values():
        idx = np.asarray(cols)
        block = similarity[:, idx]
        top = np.argsort(-block, axis=1)[:, :k]
        rows = np.arange(similarity.shape[0])[:, None]
        out[rows, idx[top]] = block[rows, top]
    return out
