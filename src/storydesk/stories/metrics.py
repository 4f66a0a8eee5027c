"""Clustering metrics and the ``evaluate`` entry point of ``storydesk eval stories``."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

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
    # scikit-learn is imported here, not with the package: it costs an ingest process ~1 s
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

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


def _pairs(k: int) -> int:
    return k * (k - 1) // 2


def pair_counts(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[int, int, int, int]:
    """(same-story pairs, of them in one found story, different-story pairs, of them in
    one found story) over every pair of items, from the contingency table."""
    n = len(gold)
    same = sum(_pairs(c) for c in Counter(gold).values())
    joined = sum(_pairs(c) for c in Counter(pred).values())
    both = sum(_pairs(c) for c in Counter(zip(gold, pred, strict=True)).values())
    return same, both, _pairs(n) - same, joined - both


def language_scores(gold: Sequence[Hashable], pred: Sequence[Hashable],
                    langs: Sequence[str]) -> dict[str, Any]:
    """Per-language and cross-language figures of a partition.

    ``languages``: for each language, its articles, BCubed F1 on them alone, and over the
    pairs of its articles the share of same-story pairs found in one story
    (``pair_recall``) and of different-story pairs joined (``pair_false_joins``);
    ``across_languages``: the same two shares over the pairs of articles in two languages.
    """
    by: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        by.setdefault(lang or "?", []).append(i)
    per: dict[str, Any] = {}
    tot = pair_counts(gold, pred)
    within = [0, 0, 0, 0]
    for lang, ix in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        g = [gold[i] for i in ix]
        p = [pred[i] for i in ix]
        c = pair_counts(g, p)
        within = [a + b for a, b in zip(within, c, strict=True)]
        per[lang] = {"articles": len(ix), "bcubed_f1": bcubed(g, p)[2],
                     "pair_recall": c[1] / c[0] if c[0] else None,
                     "pair_false_joins": c[3] / c[2] if c[2] else None}
    x = [a - b for a, b in zip(tot, within, strict=True)]
    return {"languages": per, "across_languages": {
        "same_story_pairs": x[0], "pair_recall": x[1] / x[0] if x[0] else None,
        "different_pairs": x[2], "pair_false_joins": x[3] / x[2] if x[2] else None}}


def evaluate(rows: Sequence[dict[str, Any]], settings: StorySettings | None = None,
             seed: int = 0, final_consolidate: bool = True) -> dict[str, Any]:
    """Group ``rows`` (id, text, optional title/date/outlet/entities/language; gold
    ``story``) online.

    Rows arrive in an order shuffled by ``seed``; each is placed as it arrives
    (with the periodic local consolidation of the settings), then one full
    consolidation runs, as the store does when idle. ``articles_per_s`` counts
    the whole run, consolidation included. With a ``language`` on the rows, the
    per-language and cross-language figures (``language_scores``) are added.
    """
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    g = OnlineGrouper(settings or StorySettings())
    t0 = time.perf_counter()
    for i in order:
        r = rows[i]
        g.add(r["id"], r.get("text") or "", title=r.get("title") or "", date=r.get("date"),
              entities=r.get("entities"), duplicate_of=r.get("duplicate_of"),
              language=r.get("language"))
    online = {doc_id: g.story_of(doc_id) for doc_id in (r["id"] for r in rows)}
    if final_consolidate:
        g.consolidate(full=True)
    elapsed = time.perf_counter() - t0
    gold = [r["story"] for r in rows]
    out = partition_scores(gold, [g.story_of(r["id"]) for r in rows])
    out["online_bcubed_f1"] = bcubed(gold, [online[r["id"]] for r in rows])[2]
    out["articles_per_s"] = len(rows) / elapsed if elapsed > 0 else float("inf")
    out["seed"] = seed
    if any(r.get("language") for r in rows):
        out.update(language_scores(gold, [g.story_of(r["id"]) for r in rows],
                                   [r.get("language") or "" for r in rows]))
    return out
