"""The nearest-neighbour graph of a story's members, and where it comes apart.

Average-link affinity (``online``) compares a story's members with its mean. Two
events of one kind (two earthquakes, two arrests of one man) share so much
vocabulary that their cross affinity reaches 0.5-0.8 of their cohesion, where
loose parts of one event also lie. Their *neighbourhoods* tell them apart: an
article's nearest neighbours are reports of its own event (on ECB+, 98% of
nearest neighbours are), so in the graph that links each member to its nearest
neighbours, two events are two parts joined by few edges, while one event with a
loose fringe stays one connected mass.

The measure is the *conductance* of a cut: the weight of the edges across it
over the smaller side's total edge weight (0: nothing crosses; about 0.5: a
random cut). It depends on who is whose neighbour, not on how similar texts are
in absolute terms, so one bar serves long articles and short snippets. The number
of neighbours grows with the story (``neighbours_for``), so a large story's graph
does not fall into cliques of near-copies.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh


def neighbours_for(n: int, least: int, share: float) -> int:
    """Neighbours per member in a story of ``n``: ``share`` of it, at least ``least``, but
    at most a third of it (at least 2).

    The cut between two events is clean only where each member's neighbours lie inside
    its own event. In a small story of two events that cannot be with ``least`` (3): a
    report of an event of three has only two fellow reports, and one of an event of
    four must take all three with none to spare. The third changes stories of under 9
    members only (2 neighbours there).
    """
    k = min(max(least, int(round(share * n))), max(2, n // 3))
    return max(1, min(n - 1, k))


def knn_graph(K: np.ndarray, k: int) -> np.ndarray:
    """Symmetric weighted graph linking each member to its ``k`` most similar ones.

    ``K`` is the members' cosine Gram matrix. An edge's weight is the members'
    cosine (at least a tiny positive value, so that a link exists even between
    texts with no term in common); an edge is kept when either end chose it.
    """
    n = len(K)
    W = np.zeros((n, n))
    if n < 2:
        return W
    k = min(k, n - 1)
    S = K.astype(float, copy=True)
    np.fill_diagonal(S, -np.inf)
    nb = np.argpartition(-S, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(n), k)
    cols = nb.ravel()
    W[rows, cols] = np.maximum(K[rows, cols], 1e-6)
    return np.maximum(W, W.T)


def conductance(W: np.ndarray, part: np.ndarray) -> float:
    """Conductance of the cut ``part`` (bool per member) of graph ``W``."""
    deg = W.sum(axis=1)
    vol_a, vol_b = float(deg[part].sum()), float(deg[~part].sum())
    small = min(vol_a, vol_b)
    if small <= 0:
        return 1.0
    return float(W[np.ix_(part, ~part)].sum()) / small


def best_cut(W: np.ndarray, min_part: int = 2) -> tuple[np.ndarray | None, float]:
    """The cut of least conductance along the graph's Fiedler vector, and its value.

    Spectral bisection: members ordered by the second eigenvector of the
    normalised Laplacian, every split point of that order tried (both sides of at
    least ``min_part`` members). Returns ``(None, 1.0)`` when no cut qualifies.
    """
    n = len(W)
    if n < 2 * min_part:
        return None, 1.0
    deg = W.sum(axis=1)
    if (deg <= 0).any():  # an isolated member: a cut of conductance 0 on its own
        deg = np.maximum(deg, 1e-12)
    inv = 1.0 / np.sqrt(deg)
    L = np.eye(n) - inv[:, None] * W * inv[None, :]
    _, vecs = eigh(L, subset_by_index=[0, 1], driver="evx")
    order = np.argsort(vecs[:, 1] * inv, kind="stable")
    Wo = W[np.ix_(order, order)]
    do = deg[order]
    # weight crossing the cut after the first c members: running update
    inside = np.cumsum(np.tril(Wo, -1).sum(axis=1))  # edges among the first c members
    vol = np.cumsum(do)
    total = float(vol[-1])
    cut = vol - 2.0 * inside - np.diag(Wo).cumsum()
    c = np.arange(1, n + 1)
    ok = (c >= min_part) & (n - c >= min_part)
    cond = np.where(ok, cut / np.maximum(np.minimum(vol, total - vol), 1e-12), np.inf)
    j = int(np.argmin(cond))
    if not np.isfinite(cond[j]):
        return None, 1.0
    part = np.zeros(n, bool)
    part[order[: j + 1]] = True
    return part, float(max(cond[j], 0.0))
