"""Comparison quality on the bundled sample's labelled details, and speed.

    .venv/bin/python bench/compare.py

Quality: src/storydesk/sample/facts.jsonl lists, per story, contradictions (which
articles give which value) and agreements stated differently. For each labelled
contradiction, every pair of articles on different sides is a positive: found when
``compare`` of the story's articles reports a contradiction of the same field
between them (number/money/percent count as one field "number|money"). Every pair
on one side, and every pair of an agreement, is a negative for that field. Reported:
recall over positives, and precision = found positives / all contradictions of
labelled fields reported between pairs the labels speak about.

Speed: ``compare`` of 20 sample articles (five stories of four) on this machine.
"""

from __future__ import annotations

import json
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.compare import compare  # noqa: E402
from storydesk.compare.inputs import load_inputs  # noqa: E402

SAMPLE = ROOT / "src" / "storydesk" / "sample"
FIELD = {"number": "number", "money": "number", "percent": "number", "age": "number",
         "date": "date", "time": "date", "place": "place", "quote_attribution": "quote",
         "quote_wording": "quote"}


def main() -> None:
    gold = [json.loads(x) for x in (SAMPLE / "facts.jsonl").read_text().splitlines() if x]
    loaded: dict[str, object] = {}

    def article(ref: str):  # noqa: ANN202
        if ref not in loaded:
            path, _, k = ref.partition("#")
            arts = load_inputs(None, [str(SAMPLE / path)])
            for i, a in enumerate(arts):
                a.id = f"{path}#{i + 1}" if len(arts) > 1 else path
                loaded[a.id] = a
        return loaded[ref]

    tp = fn = fp = 0
    misses, extras = [], []
    for g in gold:
        if g["kind"] not in ("contradiction", "agreement"):
            continue
        field = "number" if g["field"] in ("number", "money") else g["field"]
        groups = list(g["values"].values())
        refs = sorted({r for grp in groups for r in grp})
        result = compare([article(r) for r in refs], similarity=False)
        found = {(frozenset(result.articles[s.article].id for s in c.sides))
                 for c in result.contradictions if FIELD[c.type] == field}
        pos = set()
        if g["kind"] == "contradiction":
            for a, b in combinations(range(len(groups)), 2):
                for x in groups[a]:
                    for y in groups[b]:
                        pos.add(frozenset((x, y)))
        neg = set()
        for grp in groups if g["kind"] == "contradiction" else [refs]:
            for x, y in combinations(grp, 2):
                neg.add(frozenset((x, y)))
        for p in pos:
            if p in found:
                tp += 1
            else:
                fn += 1
                misses.append((g["story"], g["field"], sorted(p)))
        for n in neg:
            if n in found:
                fp += 1
                extras.append((g["story"], g["field"], sorted(n)))
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    print(f"labelled contradictions (sample/facts.jsonl): precision {prec:.2f} "
          f"recall {rec:.2f} (tp {tp}, fp {fp}, fn {fn})")
    for m in misses:
        print("  missed", m)
    for e in extras:
        print("  false", e)

    # speed: 20 articles
    paths = sorted(p for p in SAMPLE.rglob("*") if p.suffix in (".txt", ".html"))[:20]
    arts = load_inputs(None, [str(p) for p in paths])
    for k, a in enumerate(arts):
        a.id = k
    compare(arts[:2])  # warm up (lexicons, gazetteers)
    t, c = time.perf_counter(), time.process_time()
    compare(arts)
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    t = time.perf_counter()
    compare(arts, similarity=False)
    dt2 = time.perf_counter() - t
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"speed: {len(arts)} articles compared in {dt:.2f} s, CPU {cpu:.2f} s "
          f"({dt2:.2f} s without the {len(arts) * (len(arts) - 1) // 2} pair profiles); "
          f"load average {load}")


if __name__ == "__main__":
    main()
