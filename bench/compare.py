"""Comparison quality on real news (MSRP, ECB+), on the fictional unit sets, and speed.

    .venv/bin/python bench/compare.py [--no-msrp] [--minilm] [--json] [-v]

Real data (``../shared/data/``):

* **MSRP** (``compare/msrp_train.jsonl``, 4,076 sentence pairs from different outlets,
  label 1 = same meaning): the fact judge against TF-IDF cosine with a threshold fitted on
  the training folds, stratified 10-fold cross-validation (``bench/judge.py``).
* **ECB+** (``stories/ecbplus.jsonl``): real articles, several outlets per event. For
  each event with at least three articles, the first three (by id) are compared:
  contradictions reported (the confident ones, as readers show them) per event, and those
  held back. Recall of changed figures: in each event, up to five pairs of sentences of
  different articles that the judge calls one fact (``judge_threshold``) and that state
  the same exact figure of the same kind and key (one of that key in each), the figure in
  the second copy changed (doubled, plus one) in its article; found when the comparison
  of the changed articles reports a contradiction between exactly those two sentences.
  Alignment rates (``alignment_rates``): sentence pairs of two articles the judge takes
  for one fact, per 1,000 pairs of one event and of two events of one kind (an ECB+
  topic's two events), over the first 8 topics, 8 articles of each event.

Fictional unit sets (``src/storydesk/sample/``, written for storydesk; kept as checks,
not as quality figures): ``facts.jsonl`` (labelled contradictions between sample
articles: every pair of articles on different sides of a labelled contradiction is a
positive, every pair on one side or of an agreement a negative; number, money, percent
and age count as one field) and ``alignment.jsonl`` (16 pairs of articles written as
sentences, the sentence pairs stating one fact labelled; precision and recall of aligned
pairs, unique sentences and contradictions, per split ``dev`` / ``test``), for each
alignment method (``words``, ``paraphrase``, ``judge`` the default; ``minilm`` with
``--minilm``, the transformers extra).

Speed: ``compare`` of 20 sample articles (five stories of four) on this machine.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.compare import compare  # noqa: E402
from storydesk.compare.details import Quantity, quantities, strip_dateline  # noqa: E402
from storydesk.compare.evaluate import evaluate_alignment, read_alignment_pairs  # noqa: E402
from storydesk.compare.facts import CompareArticle, article_sentences  # noqa: E402
from storydesk.compare.inputs import load_inputs  # noqa: E402
from storydesk.compare.judge import judge_matrices, load_judge  # noqa: E402
from storydesk.settings import CompareSettings  # noqa: E402
from storydesk.text.terms import forget_sentence_terms  # noqa: E402

SAMPLE = ROOT / "src" / "storydesk" / "sample"
ECB = ROOT.parent / "shared" / "data" / "stories" / "ecbplus.jsonl"
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


def ecb_events(path: Path = ECB, per_event: int = 3) -> list[list[CompareArticle]]:
    """The first ``per_event`` articles (by id) of each ECB+ event with that many."""
    by: dict[str, list[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            by[r["story"]].append(r)
    out = []
    for story in sorted(by):
        rows = sorted(by[story], key=lambda r: r["id"])[:per_event]
        if len(rows) == per_event:
            out.append([CompareArticle(r["id"], r["text"]) for r in rows])
    return out


def _changed(text: str, q: Quantity) -> str | None:
    """``text`` with quantity ``q``'s figure changed (doubled, plus one)."""
    body = strip_dateline(text)
    off = len(text) - len(body)
    span = text[off + q.start:off + q.end + 1]
    m = re.search(r"\d+(?:[.,] ?\d+)*", span)  # "6. 1" as a tokenizer broke 6.1
    if not m:
        return None
    new = str(int(q.value * 2 + 1)) if q.value == int(q.value) else f"{q.value * 2 + 1:g}"
    s = off + q.start + m.start()
    return text[:s] + new + text[s + len(m.group(0)):]


def real_story_scores(settings: CompareSettings, per_event: int = 3, per_story_pairs: int = 5
                      ) -> dict:
    """Contradictions reported per ECB+ event (``per_event`` articles each) and the share
    of changed shared figures reported (see the module's documentation)."""
    events = ecb_events(per_event=per_event)
    reported = held = 0
    kinds: dict[str, int] = defaultdict(int)
    tried = hit = 0
    model = load_judge(settings.judge_model)
    for arts in events:
        r = compare(arts, settings, similarity=False)
        reported += len(r.confident)
        held += len(r.contradictions) - len(r.confident)
        for c in r.confident:
            kinds[c.type] += 1
        # changed numbers: pairs the judge calls one fact that share an exact figure
        sents = article_sentences(arts)
        same, _ = judge_matrices([s.text for s in sents], [s.article for s in sents], model)
        n = 0
        for i, j in zip(*np.nonzero(np.triu(same >= settings.judge_threshold, 1)), strict=True):
            si, sj = sents[i], sents[j]
            if si.article == sj.article or n >= per_story_pairs:
                continue
            qa = [q for q in quantities(si.text, settings.approx_tolerance) if not q.rel]
            qb = [q for q in quantities(sj.text, settings.approx_tolerance) if not q.rel]
            pair = next(((x, y) for x in qa for y in qb if x.key == y.key and x.kind == y.kind
                         and x.value == y.value and x.low == x.high
                         and sum(z.key == x.key for z in qa) == 1
                         and sum(z.key == y.key for z in qb) == 1), None)
            if pair is None:
                continue
            new = _changed(sj.text, pair[1])
            if new is None:
                continue
            art = arts[sj.article]
            text = art.text[:sj.start] + new + art.text[sj.end:]
            changed = [a if k != sj.article else CompareArticle(a.id, text)
                       for k, a in enumerate(arts)]
            rc = compare(changed, settings, similarity=False)
            n += 1
            tried += 1
            if any({(s.article, s.sentence) for s in c.sides} == {(si.article, si.index),
                                                                  (sj.article, sj.index)}
                   for c in rc.confident):
                hit += 1
    return {"events": len(events), "articles_per_event": per_event,
            "reported_per_event": round(reported / len(events), 3),
            "held_back_per_event": round(held / len(events), 3), "kinds": dict(kinds),
            "changed_numbers": tried, "changed_found": hit,
            "changed_recall": round(hit / tried, 3) if tried else float("nan")}


def alignment_rates(thresholds: tuple[float, ...] = (0.2, 0.5), topics: int = 8,
                    per_event: int = 8, path: Path = ECB) -> dict:
    """How often the judge takes two sentences of two articles for one fact, per 1,000
    sentence pairs of one ECB+ event and of two events of one kind (an ECB+ topic holds
    two: ``Necb`` and ``Necbplus``): the first ``topics`` topics, the first ``per_event``
    articles (by id) of each of their two events, every sentence pair of two articles."""
    by: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            by[r["topic"]][r["story"]].append(r)
    same = {t: 0 for t in thresholds}
    other = {t: 0 for t in thresholds}
    n_same = n_other = 0
    for topic in sorted(by, key=lambda t: (len(t), t))[:topics]:
        arts, event = [], []
        for story in sorted(by[topic]):
            for r in sorted(by[topic][story], key=lambda r: r["id"])[:per_event]:
                arts.append(CompareArticle(r["id"], strip_dateline(r["text"])))
                event.append(story)
        sents = article_sentences(arts)
        art = np.array([s.article for s in sents])
        ev = np.array([event[a] for a in art])
        m = judge_matrices([s.text for s in sents], art.tolist())[0]
        upper = np.triu(art[:, None] != art[None, :], 1)
        one = upper & (ev[:, None] == ev[None, :])
        two = upper & (ev[:, None] != ev[None, :])
        n_same += int(one.sum())
        n_other += int(two.sum())
        for t in thresholds:
            same[t] += int((one & (m >= t)).sum())
            other[t] += int((two & (m >= t)).sum())
    return {"pairs_one_event": n_same, "pairs_two_events": n_other,
            "per_1000": {str(t): [round(1000 * same[t] / max(n_same, 1), 2),
                                  round(1000 * other[t] / max(n_other, 1), 2)]
                         for t in thresholds}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minilm", action="store_true", help="also the minilm alignment")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and errors")
    ap.add_argument("--no-msrp", action="store_true",
                    help="skip the MSRP cross-validation (bench/judge.py; about a minute)")
    args = ap.parse_args()
    real: dict = {}
    if not args.no_msrp:
        import judge as judge_bench  # bench/judge.py

        rows = judge_bench.read_fact_pairs(judge_bench.DATA)
        real["msrp"] = judge_bench.cross_validate(rows)
    settings = CompareSettings()
    t = time.perf_counter()
    real["ecbplus"] = real_story_scores(settings)
    real["ecbplus"]["seconds"] = round(time.perf_counter() - t, 1)
    real["alignment_rates"] = alignment_rates()
    methods = ["words", "paraphrase", "judge"] + (["minilm"] if args.minilm else [])
    out: dict = {"real": real, "alignment": {}, "contradictions": {}}
    items = read_alignment_pairs()
    for m in methods:
        settings = CompareSettings(alignment=m)
        out["alignment"][m] = {sp: evaluate_alignment(items, settings, sp)
                               for sp in ("dev", "test", None)}
        out["contradictions"][m] = contradiction_scores(settings)
    if not args.json:
        for k, r in real.get("msrp", {}).items():
            print(f"MSRP train, 10-fold CV, {k:8} accuracy {r['accuracy']:.3f}  F1 {r['f1']:.3f}")
        e = real["ecbplus"]
        print(f"ECB+ ({e['events']} events, {e['articles_per_event']} articles each): "
              f"{e['reported_per_event']:.3f} contradictions reported per event "
              f"({e['held_back_per_event']:.3f} held back; {e['kinds']}); changed shared "
              f"figures reported {e['changed_found']} of {e['changed_numbers']} "
              f"({e['changed_recall']:.3f})")
        a = real["alignment_rates"]
        print(f"ECB+ alignment: sentence pairs taken for one fact per 1,000 pairs of one event"
              f" ({a['pairs_one_event']}) / of two events of one kind ({a['pairs_two_events']}):"
              + "; ".join(f" at {t}: {x} / {y}" for t, (x, y) in a["per_1000"].items()))
        print("fictional unit sets below (sample/*.jsonl): not quality figures")
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
    forget_sentence_terms()  # each timed run reads its sentences afresh
    t, c = time.perf_counter(), time.process_time()
    compare(arts)
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    forget_sentence_terms()
    t = time.perf_counter()
    compare(arts, similarity=False)
    dt2 = time.perf_counter() - t
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    forget_sentence_terms()
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
