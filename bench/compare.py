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

Alignment: src/storydesk/sample/alignment.jsonl, 16 fictional pairs of articles written
as sentences, with every pair of sentences that states one fact labelled (most of
them paraphrased), so every other sentence is unique to its article, and the
contradicting details. Precision and recall of the aligned sentence pairs, of unique
sentences and of contradictions (field and both sentences), per split: ``dev`` (the
pairs the paraphrase settings were chosen on) and ``test`` (not used to choose them),
for each alignment method (``words``, the word-only alignment before; ``paraphrase``,
the default; ``minilm`` with ``--minilm``, needs the transformers extra). The
labelled contradictions above are also scored with each method.

Speed: ``compare`` of 20 sample articles (five stories of four) on this machine.

    .venv/bin/python bench/compare.py [--minilm] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.compare import compare  # noqa: E402
from storydesk.compare.inputs import load_inputs  # noqa: E402
from storydesk.compare.paraphrase import evaluate_alignment, read_alignment_pairs  # noqa: E402
from storydesk.settings import CompareSettings  # noqa: E402

SAMPLE = ROOT / "src" / "storydesk" / "sample"
FIELD = {"number": "number", "money": "number", "percent": "number", "age": "number",
         "date": "date", "time": "date", "place": "place", "quote_attribution": "quote",
         "quote_wording": "quote"}


def contradiction_scores(settings: CompareSettings) -> dict:
    """Precision and recall of the labelled contradictions of sample/facts.jsonl."""
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
        result = compare([article(r) for r in refs], settings, similarity=False)
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
    return {"precision": round(prec, 3), "recall": round(rec, 3), "tp": tp, "fp": fp,
            "fn": fn, "missed": misses, "false": extras}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minilm", action="store_true", help="also the minilm alignment")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and errors")
    args = ap.parse_args()
    methods = ["words", "paraphrase", "judge"] + (["minilm"] if args.minilm else [])
    out: dict = {"alignment": {}, "contradictions": {}}
    items = read_alignment_pairs()
    for m in methods:
        settings = CompareSettings(alignment=m)
        out["alignment"][m] = {sp: evaluate_alignment(items, settings, sp)
                               for sp in ("dev", "test", None)}
        out["contradictions"][m] = contradiction_scores(settings)
    if not args.json:
        print("alignment (sample/alignment.jsonl): P / R of shared sentence pairs "
              "(R of paraphrased ones), unique sentences, contradictions")
        for m in methods:
            for sp, r in out["alignment"][m].items():
                sh, u, c = r["shared"], r["unique"], r["contradictions"]
                print(f"  {m:10} {sp or 'all':4}  shared {sh['precision']:.2f} / "
                      f"{sh['recall']:.2f} ({sh['tp']} of {sh['labelled']}; paraphrased "
                      f"{r['shared_paraphrased_recall']:.2f})  unique {u['precision']:.2f} / "
                      f"{u['recall']:.2f}  contradictions {c['precision']:.2f} / "
                      f"{c['recall']:.2f}")
                if args.verbose and sp is None:
                    print("    missed", r["missed"])
                    print("    wrong", r["wrong"])
        for m in methods:
            r = out["contradictions"][m]
            print(f"labelled contradictions (sample/facts.jsonl), {m}: precision "
                  f"{r['precision']:.2f} recall {r['recall']:.2f} (tp {r['tp']}, "
                  f"fp {r['fp']}, fn {r['fn']})")
            if args.verbose:
                for x in r["missed"]:
                    print("  missed", x)
                for x in r["false"]:
                    print("  false", x)

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
    t = time.perf_counter()
    compare(arts, CompareSettings(alignment="words"))
    dt3 = time.perf_counter() - t
    out["speed"] = {"articles": len(arts), "seconds": round(dt, 3), "cpu": round(cpu, 3),
                    "without_profiles": round(dt2, 3), "words_alignment": round(dt3, 3),
                    "load": load}
    if args.json:
        print(json.dumps(out, indent=1, default=str))
        return
    print(f"speed: {len(arts)} articles compared in {dt:.2f} s, CPU {cpu:.2f} s "
          f"({dt2:.2f} s without the {len(arts) * (len(arts) - 1) // 2} pair profiles; "
          f"{dt3:.2f} s with the word-only alignment); load average {load}")


if __name__ == "__main__":
    main()
