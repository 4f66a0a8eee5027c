"""The grouper's articles as plain arrays, for a store to append and read back.

Features never change once computed (only IDF weighting does), so a store appends the
articles added since its last save as one *segment* instead of rewriting every article.
Article ids must be integers. ``OnlineGrouper.export_new`` and
``OnlineGrouper.load_segments`` use these.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np

from storydesk.stories.records import Doc


class Row(NamedTuple):
    """One article read back from a segment (``day`` and ``orig`` -1 when absent)."""

    doc_id: int
    idx: np.ndarray
    tfw: np.ndarray
    ent: np.ndarray
    day: int
    dup: bool
    orig: int
    lang: str  # "" when unknown, or when the segment was written before languages were kept


def pack(ids: list[int], docs: list[Doc], names: Mapping[int, str],
         langs: list[str]) -> dict[str, np.ndarray]:
    """A segment of these articles (``docs[i]`` is article ``ids[i]``, in language
    ``langs[i]``) and the term names first seen since the last segment."""
    text = json.dumps({str(k): v for k, v in names.items()})
    return {
        "ids": np.array(ids, np.int64),
        "day": np.array([-1 if d.day is None else d.day for d in docs], np.int64),
        "dup": np.array([d.dup for d in docs], bool),
        "orig": np.array([-1 if d.orig is None else d.orig for d in docs], np.int64),
        "len": np.array([len(d.idx) for d in docs], np.int64),
        "idx": (np.concatenate([d.idx for d in docs]).astype(np.int32) if docs
                else np.zeros(0, np.int32)),
        "tfw": np.concatenate([d.tfw for d in docs]) if docs else np.zeros(0, np.float32),
        "ent": np.concatenate([d.ent for d in docs]) if docs else np.zeros(0, bool),
        "names": np.frombuffer(text.encode("utf-8"), np.uint8),
        "langs": np.frombuffer(json.dumps(langs).encode("utf-8"), np.uint8),
    }


def langs_of(seg: Mapping[str, np.ndarray]) -> list[str]:
    """The language of each article of a segment ("" for a segment written before
    languages were kept)."""
    if "langs" not in seg:
        return [""] * len(seg["ids"])
    return json.loads(bytes(seg["langs"]).decode("utf-8"))


def unpack(segments: Iterable[dict[str, np.ndarray]], keep: Mapping[int, object]
           ) -> tuple[dict[int, str], list[Row]]:
    """The term names and the articles (those in ``keep``, by id) of these segments."""
    names: dict[int, str] = {}
    rows: list[Row] = []
    for seg in segments:
        names.update({int(k): v for k, v in
                      json.loads(bytes(seg["names"]).decode("utf-8")).items()})
        bounds = np.concatenate([[0], np.cumsum(seg["len"])]).tolist()
        idx_all = seg["idx"].astype(np.int64)
        langs = langs_of(seg)
        for k, doc_id in enumerate(seg["ids"].tolist()):
            if doc_id not in keep:
                continue
            a, b = bounds[k], bounds[k + 1]
            rows.append(Row(doc_id, idx_all[a:b], seg["tfw"][a:b], seg["ent"][a:b],
                            int(seg["day"][k]), bool(seg["dup"][k]), int(seg["orig"][k]),
                            langs[k]))
    rows.sort(key=lambda r: r.doc_id)
    return names, rows
