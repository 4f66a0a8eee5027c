"""How much text one request may split into sentences: the measurements behind
``WebSettings.page_chars`` and ``SummarySettings.max_chars``.

    .venv/bin/python bench/pagecap.py [--sizes 20000,50000,100000,200000] [--json]

1. The length of real articles: every article text of the labelled data in
   ../shared/data/ (stories, entities, summaries), as characters: median, p99, max.
2. The time to split one paragraph of N characters into sentences the way an article
   page does (``web.views.sentence_paragraphs``), for each N: the worst case for the
   splitter (a paragraph holds no line break to restart from). The paragraph is made of
   a bundled sample article's words in shuffled sentences.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from storydesk.web.views import sentence_paragraphs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
TEXT_KEYS = ("text", "article", "document", "body", "content")


def article_lengths() -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for path in sorted(DATA.glob("*/*.jsonl")):
        lengths = []
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            for k in TEXT_KEYS:
                v = row.get(k)
                if isinstance(v, str):
                    lengths.append(len(v))
                    break
                if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
                    lengths.append(sum(map(len, v)))
                    break
        if lengths:
            out[f"{path.parent.name}/{path.name}"] = sorted(lengths)
    return out


def paragraph(chars: int) -> str:
    sample = ROOT / "src/storydesk/sample/meridian-wire/2026-03-02-karsk-quake-kills-12.txt"
    words = sample.read_text(encoding="utf-8").split()
    rnd = random.Random(19)
    out: list[str] = []
    size = 0
    while size < chars:
        rnd.shuffle(words)
        out.append(" ".join(words[:40]) + ".")
        size += len(out[-1]) + 1
    return " ".join(out)[:chars]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="20000,50000,100000,200000")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    lengths = article_lengths()
    every = sorted(n for v in lengths.values() for n in v)
    result: dict[str, object] = {
        "articles": {name: {"n": len(v), "median": v[len(v) // 2],
                            "p99": v[int(len(v) * 0.99)], "max": v[-1]}
                     for name, v in lengths.items()},
        "all": {"n": len(every), "max": every[-1] if every else None},
        "split_seconds": {},
    }
    for n in (int(x) for x in args.sizes.split(",")):
        text = paragraph(n)
        t0 = time.perf_counter()
        sentence_paragraphs(text)
        result["split_seconds"][n] = round(time.perf_counter() - t0, 2)  # type: ignore[index]
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name, d in result["articles"].items():  # type: ignore[union-attr]
        print(f"{name:40} {d['n']:6} articles  median {d['median']:6}  p99 {d['p99']:6}  "
              f"max {d['max']:6} characters")
    print(f"all: {result['all']}")
    for n, s in result["split_seconds"].items():  # type: ignore[union-attr]
        print(f"one paragraph of {n:7} characters split in {s:6.2f} s")


if __name__ == "__main__":
    main()
