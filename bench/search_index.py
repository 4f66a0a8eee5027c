"""How much the word starts of unspaced scripts (schema v10) add to the search index.

    OMP_NUM_THREADS=1 .venv/bin/python bench/search_index.py [--data ../shared/data]

Real news texts in unspaced scripts: the Chinese articles of the SemEval-2022 Task 8
pairs (language as the file labels it; each text once) and the Japanese article bodies
of the scrapinghub extraction benchmark's ground truth (those with kana). For each
language: the bytes of the index text (UTF-8) of schema v9 (``index_terms``: words, and
character bigrams of unspaced runs) and of v10 (``index_row``: the same, then the word
starts), and the CPU seconds to compute each (jieba's dictionary loaded before).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storydesk.store.fulltext import index_row  # noqa: E402
from storydesk.text import index_terms, word_count  # noqa: E402


def _texts(data: Path) -> dict[str, list[str]]:
    csv.field_size_limit(10**9)
    with open(data / "similarity" / "semeval2022_train.csv", encoding="utf-8") as f:
        zh = {r[f"text{i}"] for r in csv.DictReader(f) for i in (1, 2) if r[f"lang{i}"] == "zh"}
    truth = json.loads((data / "extraction" / "scrapinghub" / "ground-truth.json").read_text())
    ja = [b for v in truth.values() if len(re.findall("[\u3040-\u30ff]", b := v.get(
        "articleBody") or "")) > 20]
    return {"zh": sorted(zh), "ja": ja}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    word_count("北京", "zh")  # jieba's dictionary, loaded once
    for lang, texts in _texts(args.data).items():
        sizes, secs = [], []
        for v10 in (False, True):
            t0 = time.process_time()
            sizes.append(sum(len((index_row("", t, lang)[1] if v10 else " ".join(
                index_terms(t, lang))).encode()) for t in texts))
            secs.append(time.process_time() - t0)
        print(f"{lang}: {len(texts)} texts, {sum(map(len, texts))} characters; index text "
              f"v9 {sizes[0]} B, v10 {sizes[1]} B (x{sizes[1] / sizes[0]:.2f}); "
              f"CPU v9 {secs[0]:.3f} s, v10 {secs[1]:.3f} s")


if __name__ == "__main__":
    main()
