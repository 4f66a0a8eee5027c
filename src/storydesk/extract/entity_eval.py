"""Document-level scoring of named entities: what a reader sees is the set of names an
article is said to name.

Gold per document: the distinct (name, type) pairs of its mentions, types PER/ORG/LOC
(MISC left out), keeping only the longest form when one mention is a whole-token part of
another of the same type ("Putin" inside "Vladimir Putin"). A predicted (name, type) is
right when it equals a gold mention of that type in the document (case-insensitive,
whitespace folded). A gold name is found when a prediction of its type equals it or
contains it as whole tokens. Micro-averaged over documents, overall and per type.

The same rules as the ``doc_score.py`` scorer published with the evaluation data, so
figures compare.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

TYPES: dict[str, str | None] = {
    "PER": "PER", "ORG": "ORG", "LOC": "LOC",
    "person": "PER", "organisation": "ORG", "organization": "ORG", "place": "LOC",
    "GPE": "LOC", "FAC": "LOC", "NORP": None, "MISC": None,
}
SCORED = ("PER", "ORG", "LOC")


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().strip(".,;:'\"«»“”").lower()


def _inside(short: str, long: str) -> bool:
    return short != long and re.search(r"(^|\s)" + re.escape(short) + r"($|\s)", long) is not None


def gold_sets(entities: Iterable[Mapping[str, Any]]) -> tuple[set[tuple[str, str]],
                                                              set[tuple[str, str]]]:
    """(longest forms, all mentions) as (normalised name, type) pairs."""
    mentions: dict[str, set[str]] = {}
    for e in entities:
        t = TYPES.get(str(e["type"]))
        if t:
            mentions.setdefault(t, set()).add(norm(str(e["text"])))
    longest = {(n, t) for t, ns in mentions.items() for n in ns
               if not any(_inside(n, m) for m in ns)}
    allm = {(n, t) for t, ns in mentions.items() for n in ns}
    return longest, allm


def _prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> dict[str, float | int]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "predicted": n_p, "gold": n_r}


def score(docs: Sequence[Mapping[str, Any]], predictions: Mapping[str, Iterable[tuple[str, str]]],
          typed: bool = True) -> dict[str, Any]:
    """``docs``: gold rows ``{id, entities}``; ``predictions``: {id: [(name, type)]}.

    Returns ``precision``, ``recall``, ``f1`` (with ``predicted`` and ``gold`` counts) and,
    when typed, the same under ``per_type`` for PER, ORG and LOC."""
    counts = {t: [0, 0, 0, 0] for t in (*SCORED, "all")}  # tp_p, n_p, tp_r, n_r
    for d in docs:
        longest, allm = gold_sets(d["entities"])
        pred = {(norm(n), TYPES.get(t)) for n, t in predictions.get(d["id"], [])
                if TYPES.get(t)}
        if not typed:
            longest = {(n, "all") for n, _ in longest}
            allm = {(n, "all") for n, _ in allm}
            pred = {(n, "all") for n, _ in pred}
        for p in pred:
            c = counts[str(p[1])]
            c[1] += 1
            c[0] += p in allm
        for g in longest:
            c = counts[g[1]]
            c[3] += 1
            c[2] += any(g[1] == p[1] and (g[0] == p[0] or _inside(g[0], p[0])) for p in pred)
    total = [sum(c[i] for t, c in counts.items() if t != "all" or not typed) for i in range(4)]
    out: dict[str, Any] = _prf(*total)
    if typed:
        out["per_type"] = {t: _prf(*counts[t]) for t in SCORED}
    return out


def evaluate(rows: Sequence[Mapping[str, Any]], language: str | None = None,
             method: str | None = None) -> dict[str, Any]:
    """Score ``extract_entities`` on labelled rows ``{id, text, entities}``.

    ``language`` None: each row's language is detected. Returns ``score``'s figures plus
    ``documents`` and ``models`` (how many rows each entity model read)."""
    from collections import Counter

    from storydesk.extract.entities import entities_model, extract_entities
    from storydesk.extract.language import detect_language

    docs = [dict(r, id=str(r.get("id", i))) for i, r in enumerate(rows, 1)]
    predictions: dict[str, list[tuple[str, str]]] = {}
    models: Counter[str] = Counter()
    for d in docs:
        lang = language or detect_language(str(d["text"]))
        models[entities_model(lang, method)] += 1
        predictions[d["id"]] = [(e.name, e.type) for e in
                                extract_entities(str(d["text"]), language=lang, method=method)]
    return {**score(docs, predictions), "documents": len(docs), "models": dict(models)}
