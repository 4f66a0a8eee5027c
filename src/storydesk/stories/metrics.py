"""Clustering metrics and the ``evaluate`` entry point of ``storydesk eval stories``."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from storydesk.stories.online import OnlineGrouper, StorySettings


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (Bagga & Baldwin 1998) of a partition."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    if not gold:
        return 0.0, 0.0, 0.0
    pairs = Counter(zip(gold, pred, strict=True))
    g, p = Counter(gold), Counter(pred)
    prec = sum(c * c / p[pp] for (_, pp), c in pairs.items()) / len(gold)
    rec = sum(c * c / g[gg] for (gg, _), c in pairs.items()) / len(gold)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def partition_scores(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    prec, rec, f1 = bcubed(gold, pred)
    return {
        "bcubed_precision": prec,
        "bcubed_recall": rec,
        "bcubed_f1": f1,
        "ari": float(adjusted_rand_score(gold, pred)),
        "nmi": float(normalized_mutual_info_score(gold, pred)),
        "stories_found": len(set(pred)),
        "stories_gold": len(set(gold)),
    }


def evaluate(rows: Sequence[dict[str, Any]], settings: StorySettings | None = None,
             seed: int = 0, final_consolidate: bool = True) -> dict[str, Any]:
    """Group ``rows`` (id, text, optional title/date/outlet; gold ``story``) online.

    Rows arrive in an order shuffled by ``seed``; each is placed as it arrives
    (with the periodic local consolidation of the settings), then one full
    consolidation runs, as the store does when idle. ``articles_per_s`` counts
    the whole run, consolidation included.
    """
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    g = OnlineGrouper(settings or StorySettings())
    t0 = time.perf_counter()
    for i in order:
        r = rows[i]
        g.add(r["id"], r.get("text") or "", title=r.get("title") or "", date=r.get("date"),
              entities=r.get("entities"), duplicate_of=r.get("duplicate_of"))
    online = {doc_id: g.story_of(doc_id) for doc_id in (r["id"] for r in rows)}
    if final_consolidate:
        g.consolidate(full=True)
    elapsed = time.perf_counter() - t0
    gold = [r["story"] for r in rows]
    out = partition_scores(gold, [g.story_of(r["id"]) for r in rows])
    out["online_bcubed_f1"] = bcubed(gold, [online[r["id"]] for r in rows])[2]
    out["articles_per_s"] = len(rows) / elapsed if elapsed > 0 else float("inf")
    out["seed"] = seed
    return out
