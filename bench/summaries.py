"""Summaries: ROUGE against baselines, sentence splitting, speed.

    .venv/bin/python bench/summaries.py [--data ../shared/data] [--bbc N] [--json OUT]
                                        [--skip-rouge] [--skip-speed]

Needs ``rouge-score`` and, for the baselines, ``sumy`` and ``newspaper4k``
(``pip install rouge-score sumy newspaper4k pysbd``). All systems are scored in one run
with one scorer (rouge-score, Porter stemmer, ROUGE-Lsum on sentences one a line).

1. ROUGE on CNN/DailyMail (shared/data/summaries/cnndm100.jsonl, REALSumm's 100 test
   articles; 3 sentences each) and on BBC News (bbc.jsonl, all 2,225 or a sample of
   ``--bbc N``; as many sentences as the reference has). Baselines: lead-3 (first three
   sentences of our splitter), sumy's LexRank, TextRank, LSA and Luhn and newspaper4k's
   summariser, all given our sentence splits (sumy and newspaper4k would otherwise need
   NLTK's punkt data, a download), and on CNN/DM the stored outputs of the published
   systems in the ``systems`` field, each with storydesk and lead-3 on the same articles.
2. Sentence splitting: correctness on SPLIT_CASES (hand-written, below) for storydesk
   and pysbd; agreement with pysbd on real BBC text; articles per second.
3. Speed: one article of about 1,000 words, and a story of 25 articles, ms on one core.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.summarize import (  # noqa: E402
    baselines,  # noqa: E402
    split_sentences,
    summarize_article,
    summarize_story,
)
from storydesk.summarize.evaluate import evaluate  # noqa: E402

# (text, expected sentences). Written for this bench; not from any corpus.
SPLIT_CASES: list[tuple[str, list[str]]] = [
    (
        "Mr. Smith went to Washington. He met Dr. Jones there.",
        ["Mr. Smith went to Washington.", "He met Dr. Jones there."],
    ),
    (
        "Gen. Carter and Col. Ames spoke. St. Paul's was full.",
        ["Gen. Carter and Col. Ames spoke.", "St. Paul's was full."],
    ),
    (
        "The talks began on Jan. 5 and ended on Feb. 12. Nothing was agreed.",
        ["The talks began on Jan. 5 and ended on Feb. 12.", "Nothing was agreed."],
    ),
    (
        "J. R. R. Tolkien wrote the book. It sold well.",
        ["J. R. R. Tolkien wrote the book.", "It sold well."],
    ),
    (
        "George W. Bush met reporters. They asked about Iraq.",
        ["George W. Bush met reporters.", "They asked about Iraq."],
    ),
    (
        "The U.S. economy grew. The U.K. economy shrank.",
        ["The U.S. economy grew.", "The U.K. economy shrank."],
    ),
    (
        "Troops left the U.S. They flew to Germany.",
        ["Troops left the U.S.", "They flew to Germany."],
    ),
    ('"We will win," he said. "We always do."', ['"We will win," he said.', '"We always do."']),
    ('"Why now?" she asked. Nobody answered.', ['"Why now?" she asked.', "Nobody answered."]),
    (
        "Growth was 3.5 percent. Sales reached $1.2 million.",
        ["Growth was 3.5 percent.", "Sales reached $1.2 million."],
    ),
    (
        "Shares fell 0.7% to 12.50 euros. Analysts were surprised.",
        ["Shares fell 0.7% to 12.50 euros.", "Analysts were surprised."],
    ),
    ("He waited... and waited. Then he left.", ["He waited... and waited.", "Then he left."]),
    ("It was over… The crowd went home.", ["It was over…", "The crowd went home."]),
    (
        "The meeting starts at 9 a.m. on Monday. Be there.",
        ["The meeting starts at 9 a.m. on Monday.", "Be there."],
    ),
    (
        "Apple Inc. said profits rose. The shares rose too.",
        ["Apple Inc. said profits rose.", "The shares rose too."],
    ),
    (
        "He lives at No. 10 Downing Street. It is old.",
        ["He lives at No. 10 Downing Street.", "It is old."],
    ),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    (
        "Sales rose to $10.9bn.For the year, profit fell.",
        ["Sales rose to $10.9bn.", "For the year, profit fell."],
    ),
    (
        'Costs were "extraordinary"."We will appeal," he said.',
        ['Costs were "extraordinary".', '"We will appeal," he said.'],
    ),
    (
        "The vote (held on Tuesday) passed. Critics (including Mrs. Lee) objected.",
        ["The vote (held on Tuesday) passed.", "Critics (including Mrs. Lee) objected."],
    ),
    (
        "Prof. Alan Brown, e.g. the chair, spoke. Others agreed.",
        ["Prof. Alan Brown, e.g. the chair, spoke.", "Others agreed."],
    ),
    (
        "Police said the man, 34, was arrested. He denies it.",
        ["Police said the man, 34, was arrested.", "He denies it."],
    ),
    (
        "Headline without a stop\nThe first sentence follows. The second too.",
        ["Headline without a stop", "The first sentence follows.", "The second too."],
    ),
    (
        'She told the BBC: "It\'s finished." Talks resume on Friday.',
        ['She told the BBC: "It\'s finished."', "Talks resume on Friday."],
    ),
    (
        "The score was 2-1. Rooney scored twice in the 2nd half.",
        ["The score was 2-1.", "Rooney scored twice in the 2nd half."],
    ),
    (
        "He paid £25.50 for it vs. £30 elsewhere. A bargain.",
        ["He paid £25.50 for it vs. £30 elsewhere.", "A bargain."],
    ),
    (
        "the talks failed . mr. lee left for the u.s. and canada . he was angry .",
        ["the talks failed .", "mr. lee left for the u.s. and canada .", "he was angry ."],
    ),
    (
        "`` we will fight , '' he said . `` always . ''",
        ["`` we will fight , '' he said .", "`` always . ''"],
    ),
    (
        "Ms. Ortiz, the mayor, won. Sen. Hall conceded at 11 p.m. The count ended.",
        ["Ms. Ortiz, the mayor, won.", "Sen. Hall conceded at 11 p.m.", "The count ended."],
    ),
    (
        "Visit example.com for details. Then call us.",
        ["Visit example.com for details.", "Then call us."],
    ),
]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------- baselines
# sumy (LexRank, TextRank, LSA, Luhn), newspaper4k and stored published outputs: the same
# adapters `storydesk eval summaries` uses (storydesk.summarize.baselines).


def sumy_systems() -> dict[str, Any]:
    out = baselines.sumy_systems()
    if not out:
        print("sumy not installed: its baselines are left out", file=sys.stderr)
    return out


def newspaper_system() -> dict[str, Any]:
    out = baselines.newspaper_system()
    if not out:
        print("newspaper4k not installed: its baseline is left out", file=sys.stderr)
    return out


stored_system = baselines.stored_system


# ---------------------------------------------------------------- reports


def fmt(r: dict[str, Any]) -> str:
    return " / ".join(f"{100 * r[m]:.1f}" for m in ("rouge1", "rouge2", "rougeLsum"))


def fmt_ci(r: dict[str, Any]) -> str:
    return " ".join(
        f"[{100 * r[m + '_ci'][0]:.1f}-{100 * r[m + '_ci'][1]:.1f}]" for m in ("rouge1", "rouge2")
    )


def rouge_section(data: Path, bbc_n: int | None, report: dict[str, Any]) -> None:
    baselines = {**sumy_systems(), **newspaper_system()}
    cnn = read_jsonl(data / "summaries" / "cnndm100.jsonl")
    t = time.perf_counter()
    res = evaluate(cnn, n_sentences=3, systems=baselines)
    print(
        f"\n## CNN/DailyMail, {len(cnn)} articles, 3 sentences  ({time.perf_counter() - t:.0f} s)"
    )
    print("ROUGE-1 / 2 / Lsum F x100 [95% bootstrap interval of R-1, R-2]")
    for name, r in res.items():
        print(f"  {name:<22} {fmt(r)}   {fmt_ci(r)}  n={r['n']}")
    report["cnndm100"] = res

    names = sorted({k for row in cnn for k in (row.get("systems") or {})})
    print("\n  Published systems (stored outputs), each with storydesk and lead-3 on its articles:")
    pub: dict[str, Any] = {}
    for name in names:
        rows = [row for row in cnn if (row.get("systems") or {}).get(name)]
        r = evaluate(rows, n_sentences=3, systems={name: stored_system(name)}, bootstrap=200)
        pub[name] = r
        print(
            f"  {name:<22} {fmt(r[name])}   storydesk {fmt(r['storydesk'])}   "
            f"lead3 {fmt(r['lead3'])}  n={r[name]['n']}"
        )
    report["cnndm100_published"] = pub

    bbc = read_jsonl(data / "summaries" / "bbc.jsonl")
    if bbc_n and bbc_n < len(bbc):
        bbc = random.Random(0).sample(bbc, bbc_n)
    for words in (False, True):
        t = time.perf_counter()
        res = evaluate(bbc, words=words, systems=baselines)
        what = "reference's length in words" if words else "reference's length in sentences"
        print(f"\n## BBC News, {len(bbc)} articles, {what}  ({time.perf_counter() - t:.0f} s)")
        for name, r in res.items():
            print(f"  {name:<22} {fmt(r)}   {fmt_ci(r)}  n={r['n']}")
        report["bbc_words" if words else "bbc"] = res
    print(
        "  (word budget: storydesk and lead-3 keep within it; sumy and newspaper4k take the"
        " reference's sentence count)"
    )


def split_section(data: Path, report: dict[str, Any]) -> None:
    def score(fn: Any) -> tuple[int, list[str]]:
        ok, bad = 0, []
        for text, want in SPLIT_CASES:
            got = [s.strip() for s in fn(text)]
            if got == want:
                ok += 1
            else:
                bad.append(text)
        return ok, bad

    print("\n## Sentence splitting")
    ok, bad = score(split_sentences)
    print(f"  storydesk: {ok}/{len(SPLIT_CASES)} hand-written cases exact")
    for b in bad:
        print(f"    failed: {b!r}")
    out: dict[str, Any] = {"cases": len(SPLIT_CASES), "storydesk_exact": ok}
    bbc = read_jsonl(data / "summaries" / "bbc.jsonl")[:300]
    texts = [r["text"] for r in bbc]
    t = time.perf_counter()
    ours = [split_sentences(x) for x in texts]
    ours_rate = len(texts) / (time.perf_counter() - t)
    print(f"  storydesk: {ours_rate:.0f} BBC articles/s")
    out["storydesk_articles_per_s"] = ours_rate
    try:
        import pysbd
    except ImportError:
        print("  pysbd not installed: no comparison")
        report["splitting"] = out
        return
    seg = pysbd.Segmenter(language="en", clean=False)
    pok, pbad = score(lambda x: [s for s in (s.strip() for s in seg.segment(x)) if s])
    print(f"  pysbd:     {pok}/{len(SPLIT_CASES)} hand-written cases exact")
    t = time.perf_counter()
    theirs = []
    for x in texts:
        theirs.append([s.strip() for s in seg.segment(x) if s.strip()])
    rate = len(texts) / (time.perf_counter() - t)
    print(f"  pysbd:     {rate:.0f} BBC articles/s")
    # agreement: boundary sets (character offsets in the whitespace-free text)
    agree = tp = fp = fn = 0
    for a, b in zip(ours, theirs, strict=True):
        ba, bb = _bounds(a), _bounds(b)
        tp += len(ba & bb)
        fp += len(ba - bb)
        fn += len(bb - ba)
        agree += ba == bb
    p, r = tp / (tp + fp), tp / (tp + fn)
    print(
        f"  agreement with pysbd on {len(texts)} BBC articles: boundary precision {p:.3f}, "
        f"recall {r:.3f}; identical splits in {agree} articles"
    )
    out.update(pysbd_exact=pok, pysbd_articles_per_s=rate, pysbd_boundary_p=p, pysbd_boundary_r=r)
    report["splitting"] = out


def _bounds(sents: list[str]) -> set[int]:
    out, pos = set(), 0
    for s in sents[:-1]:
        pos += len(re.sub(r"\s", "", s))
        out.add(pos)
    return out


def speed_section(data: Path, report: dict[str, Any]) -> None:
    bbc = read_jsonl(data / "summaries" / "bbc.jsonl")
    long = [r["text"] for r in bbc if 900 <= len(r["text"].split()) <= 1100][:20]
    ms = []
    for text in long:
        summarize_article(text)  # warm
        t = time.perf_counter()
        for _ in range(5):
            summarize_article(text)
        ms.append((time.perf_counter() - t) / 5 * 1000)
    words = statistics.mean(len(x.split()) for x in long)
    print("\n## Speed (one core; another process may share the machine)")
    print(
        f"  summarize_article: {len(long)} BBC articles of ~{words:.0f} words: "
        f"median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms (goal <= 20 ms)"
    )
    eco = read_jsonl(data / "stories" / "ecbplus.jsonl")
    by: dict[str, list[str]] = {}
    for r in eco:
        by.setdefault(r["story"], []).append(r["text"])
    stories = sorted(by.values(), key=len, reverse=True)[:5]
    sms = []
    for texts in stories:
        arts = [(i, x) for i, x in enumerate((texts * 3)[:25])]
        summarize_story(arts)
        t = time.perf_counter()
        for _ in range(3):
            summarize_story(arts)
        sms.append((time.perf_counter() - t) / 3 * 1000)
    print(
        f"  summarize_story: 25-article stories from ECB+ (a story's articles repeated to 25 "
        f"where it has fewer): median {statistics.median(sms):.0f} ms, max {max(sms):.0f} ms "
        "(goal <= 300 ms)"
    )
    report["speed"] = {
        "article_ms_median": statistics.median(ms),
        "article_ms_max": max(ms),
        "article_words": words,
        "story25_ms_median": statistics.median(sms),
        "story25_ms_max": max(sms),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--bbc", type=int, default=0, help="a random sample of N BBC articles (0: all)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--skip-rouge", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    args = ap.parse_args()
    report: dict[str, Any] = {}
    split_section(args.data, report)
    if not args.skip_speed:
        speed_section(args.data, report)
    if not args.skip_rouge:
        rouge_section(args.data, args.bbc or None, report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
