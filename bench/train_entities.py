"""Train the shipped CRF name taggers (seeded, deterministic for the same data).

    .venv/bin/python bench/train_entities.py [--lang en ru] [--data ../shared/data]

English: CoNLL-2003 ``train-*`` documents of ``entities/conll2003_dev.jsonl`` (the
``testa-*`` documents are the development split and never trained on). Russian: all
documents of ``entities/ru_news_dev.jsonl`` (its figures are k-fold cross-validation,
``bench/entities.py``); ``ru_natasha`` is the same with natasha's names as features.
Writes ``src/storydesk/data/entities/crf_<name>.crfsuite.gz``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.extract import tagger  # noqa: E402

FILES = {"en": "conll2003_dev.jsonl", "ru": "ru_news_dev.jsonl", "ru_natasha": "ru_news_dev.jsonl"}


def load(data: Path, name: str) -> list[dict[str, Any]]:
    with open(data / "entities" / FILES[name], encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def with_hints(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with natasha's names as ``hints`` (for the stacked Russian model)."""
    from storydesk.extract.entities import natasha_spans

    return [dict(r, hints=natasha_spans(r["text"])) for r in rows]


def training_rows(data: Path, name: str) -> list[dict[str, Any]]:
    rows = load(data, name)
    if name == "en":
        return [r for r in rows if r["id"].startswith("train-")]
    return with_hints(rows) if name == "ru_natasha" else rows


def gazetteers(name: str) -> tagger.Gazetteers | None:
    return tagger.Gazetteers.shipped() if tagger.MODELS[name][0] else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", nargs="+", default=sorted(FILES), choices=sorted(FILES))
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=tagger.DATA_DIR)
    args = ap.parse_args()
    for lang in args.lang:
        rows = training_rows(args.data, lang)
        out = args.out / f"crf_{lang}.crfsuite.gz"
        t = time.perf_counter()
        tagger.train(rows, out, gazetteers(lang), cut_lower=tagger.MODELS[lang][1])
        print(f"{lang}: {len(rows)} documents -> {out} ({out.stat().st_size / 1e6:.2f} MB, "
              f"{time.perf_counter() - t:.0f} s)")


if __name__ == "__main__":
    main()
