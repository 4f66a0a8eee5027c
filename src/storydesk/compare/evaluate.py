"""Measuring fact alignment on labelled article pairs (``sample/alignment.jsonl``,
fictional: unit tests and ``bench/compare.py``): precision and recall of shared facts,
unique facts and contradictions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storydesk.settings import CompareSettings

from .records import CompareArticle

__all__ = ["ALIGNMENT_PAIRS", "read_alignment_pairs", "evaluate_alignment"]

ALIGNMENT_PAIRS = Path(__file__).resolve().parents[1] / "sample" / "alignment.jsonl"
_FIELD = {"money": "number", "percent": "number", "age": "number", "time": "date",
          "quote_attribution": "quote", "quote_wording": "quote"}


def read_alignment_pairs(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The labelled pairs (``sample/alignment.jsonl``, fictional): two articles as lists
    of sentences, the sentence pairs that state one fact (``shared``: [a, b, kind]) and
    the contradicting details (``contradictions``: field, a, b). A sentence in no shared
    pair is unique to its article. Each item gets ``articles``: two CompareArticles whose
    text splits back into exactly the labelled sentences (checked)."""
    import json

    from storydesk.summarize import split_sentence_spans

    items = [json.loads(x) for x in Path(path or ALIGNMENT_PAIRS).read_text(
        encoding="utf-8").splitlines() if x.strip()]
    for it in items:
        arts = []
        for side in ("a", "b"):
            a = it[side]
            text = " ".join(a["sentences"])
            got = [s.text for s in split_sentence_spans(text)]
            if got != a["sentences"]:
                raise ValueError(f"{it['id']}/{side}: sentences split differently: {got}")
            arts.append(CompareArticle(id=f"{it['id']}/{side}", text=text, title=a["title"],
                                       outlet=a["outlet"], date=a["date"]))
        it["articles"] = arts
    return items


def _ratio(n: int, d: int) -> float:
    return round(n / d, 3) if d else float("nan")


def evaluate_alignment(items: Sequence[dict[str, Any]], settings: CompareSettings,
                       split: str | None = None) -> dict[str, Any]:
    """Precision and recall of shared-fact alignment (sentence pairs), of unique facts
    (sentences aligned with nothing) and of contradictions (field and both sentences)
    over ``items`` (:func:`read_alignment_pairs`), optionally one ``split`` only."""
    from . import compare

    c: Counter[str] = Counter()
    misses: list[tuple[str, int, int, str]] = []
    extras: list[tuple[str, int, int]] = []
    for it in items:
        if split and it["split"] != split:
            continue
        result = compare(it["articles"], settings, similarity=False)
        pred: set[tuple[int, int]] = set()
        for f in result.facts:
            a = [i for art, i in f.members if art == 0]
            b = [j for art, j in f.members if art == 1]
            pred |= {(i, j) for i in a for j in b}
        gold = {(i, j): kind for i, j, kind in it["shared"]}
        for key, kind in gold.items():
            c[f"shared_{kind}"] += 1
            if key in pred:
                c[f"found_{kind}"] += 1
            else:
                misses.append((it["id"], *key, kind))
        extras += [(it["id"], *key) for key in pred - set(gold)]
        c["pred"] += len(pred)
        c["tp"] += len(pred & set(gold))
        for side in (0, 1):
            n = len(it["ab"[side]]["sentences"])
            gold_u = set(range(n)) - {k[side] for k in gold}
            pred_u = {f.members[0][1] for f in result.facts if f.articles == frozenset([side])}
            c["u_gold"] += len(gold_u)
            c["u_pred"] += len(pred_u)
            c["u_tp"] += len(gold_u & pred_u)
        want = {(x["field"], x["a"], x["b"]) for x in it["contradictions"]}
        got = set()
        for k in result.contradictions:
            s = {(x.article, x.sentence) for x in k.sides}
            for i, j in {(i, j) for ai, i in s if ai == 0 for bj, j in s if bj == 1}:
                got.add((_FIELD.get(k.type, k.type), i, j))
        c["c_gold"] += len(want)
        c["c_pred"] += len(got)
        c["c_tp"] += len(want & got)
    n_gold = c["shared_words"] + c["shared_paraphrase"]
    return {
        "method": settings.alignment, "split": split or "all",
        "shared": {"precision": _ratio(c["tp"], c["pred"]), "recall": _ratio(c["tp"], n_gold),
                   "tp": c["tp"], "predicted": c["pred"], "labelled": n_gold},
        "shared_paraphrased_recall": _ratio(c["found_paraphrase"], c["shared_paraphrase"]),
        "shared_same_words_recall": _ratio(c["found_words"], c["shared_words"]),
        "unique": {"precision": _ratio(c["u_tp"], c["u_pred"]),
                   "recall": _ratio(c["u_tp"], c["u_gold"]), "labelled": c["u_gold"]},
        "contradictions": {"precision": _ratio(c["c_tp"], c["c_pred"]),
                           "recall": _ratio(c["c_tp"], c["c_gold"]),
                           "labelled": c["c_gold"]},
        "missed": misses, "wrong": extras,
    }
