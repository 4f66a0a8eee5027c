"""Summaries: ROUGE against baselines, sentence splitting, speed.

    .venv/bin/python bench/summaries.py [--data ../shared/data] [--bbc N] [--json OUT]
                                        [--skip-rouge] [--skip-speed] [--skip-duc]
                                        [--only-stories] [--only SECTION] [--msrp N]
                                        [--duc-words N]

Needs ``rouge-score`` and, for the baselines, ``sumy`` and ``newspaper4k``
(``pip install rouge-score sumy newspaper4k pysbd``). All systems are scored in one run
with one scorer (rouge-score, Porter stemmer, ROUGE-Lsum on sentences one a line).

1. ROUGE on CNN/DailyMail (shared/data/summaries/cnndm100.jsonl, REALSumm's 100 test
   articles; 3 sentences each) and on BBC News (bbc.jsonl, all 2,225 or a sample of
   ``--bbc N``; as many sentences as the reference has). Baselines: lead-3 (first three
   sentences of our splitter), sumy's LexRank, TextRank, LSA and Luhn and newspaper4k's
   summariser, all given our sentence splits (sumy and newspaper4k would otherwise need
   NLTK's punkt data, a download), and on CNN/DM the stored outputs of the published
   systems in the ``systems`` field, each with storydesk and lead-3 on the same articles;
   storydesk also without the read-alone rule ("leaning allowed"). Then article summaries
   that do not read on their own (:func:`article_readability_section`, ``--only
   articles``): CNN/DM, 300 BBC articles and the scrapinghub pages, rule off and on.
2. Sentence splitting: correctness on SPLIT_CASES (hand-written, below) for storydesk
   and pysbd; agreement with pysbd on real BBC text; articles per second.
3. Speed: one article of about 1,000 words, and a story of 25 articles, ms on one core.
4. Story summaries on DUC 2004 Task 2 (duc2004.jsonl: 50 clusters of 10 AP/NYT articles,
   4 human summaries each): ROUGE-1/2 recall at 100 words
   (:func:`storydesk.summarize.evaluate.rouge_recall`: every summary, ours, the baselines'
   and the 13 stored systems', cut to its first 100 whitespace words by the same code;
   rouge-score's tokenizer with the Porter stemmer and no stop-word removal; matches
   summed over the 4 references), storydesk with ``words=100`` (it stays within the
   budget), lead (the first document's opening, cut at 100 words) and MMR over TF-IDF
   (lambda 0.7, cut at 100 words) computed here, and the stored systems as given.
   ``--duc-words N`` scores storydesk, lead and MMR at N words instead (the references
   stay ~100 words and the stored systems, 100-word summaries, are left out): how the
   summariser holds at the held-out DUC 2006 length (250 words).
5. Readability of story summaries (3 sentences) on real stories, DUC 2004 clusters and
   ECB+ events (``stories/ecbplus.jsonl`` grouped by ``story``): the share that open with
   a quotation or a dangling pronoun or hold a fragment
   (:func:`storydesk.summarize.readability.summary_problems`).
6. A fact said twice (:func:`redundancy_section`): the share of story summaries (DUC 2004
   at 100 words, ECB+ at 5 sentences) holding a pair of sentences that state one fact by
   a measure apart from the summariser's own test (:data:`MEASURES`), before the repeat
   test and now; ``--show N`` prints the loosely flagged pairs to read by hand.
7. One event told twice (:func:`repeats_section`, ``--only repeats``): the same story
   summaries holding a pair of sentences that name the same kind of event and the same
   who or where (a rule apart from the summariser's tests: ``bench/summary_repeats.py``),
   without the event test and now, and the rule's agreement with the hand reading.
8. "Reported by 2 of 2" (:func:`reported_section`): two-article stories built from MSRP
   pairs; the share of pairs whose first sentence, shown as a summary sentence, is
   counted as reported by both articles, by word match alone and with the fact judge.
9. Pointing-back openers by language (:func:`languages_section`, ``--only languages``):
   SemEval-2022 same-story pairs (Overall <= 1.5, one language) as two-article story
   summaries of 3 sentences; per language, the share with a sentence opening on a
   pointing-back word (pointing.POINTING_BACK) without its article's sentence before
   it, with that language's rules off and on.

Story summaries here get the fact judge the desk gives them
(``services.comparisons.summary_judge``), as the reader and the API do.

    .venv/bin/python bench/summaries.py --only-stories        # sections 4-8 and speed
    .venv/bin/python bench/summaries.py --only redundancy --show 100
    .venv/bin/python bench/summaries.py --only repeats --show 136
"""

from __future__ import annotations

import argparse
import functools
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

from storydesk.compare.judge import judge_matrix  # noqa: E402
from storydesk.services.comparisons import summary_judge  # noqa: E402
from storydesk.settings import Settings, SummaryParams  # noqa: E402
from storydesk.summarize import (  # noqa: E402
    StoryParams,  # noqa: E402
    baselines,  # noqa: E402
    split_sentences,
    summarize_article,
    summarize_story,
)
from storydesk.summarize.coverage import CoverageParams  # noqa: E402
from storydesk.summarize.evaluate import (  # noqa: E402
    evaluate,
    rouge_recall,
    storydesk_system,
    truncate_words,
)
from storydesk.summarize.multi import (  # noqa: E402
    StoryArticle,
    sentence_matrix,  # noqa: E402
    story_sources,
)
from storydesk.summarize.names import (  # noqa: E402
    bare_names,
    full_names,
    last_name,
    name_before_introduction,
    names_in_full,
)
from storydesk.summarize.pointing import POINTING_BACK  # noqa: E402
from storydesk.summarize.provenance import FactJudge  # noqa: E402
from storydesk.summarize.readability import (  # noqa: E402
    opening_connective,
    opening_pronoun,
    rules_language,
    summary_problems,
)
from storydesk.summarize.redundancy import RedundancyParams  # noqa: E402
from storydesk.summarize.single import is_summary_sentence  # noqa: E402
from storydesk.text import is_caseless, split_sentence_spans  # noqa: E402
from storydesk.text.sentences import TITLES  # noqa: E402
from storydesk.text.terms import forget_sentence_terms  # noqa: E402

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
    # storydesk as before every sentence had to read on its own (SummaryParams.read_alone)
    leaning = {"storydesk, leaning allowed": storydesk_system(SummaryParams(read_alone=False))}
    baselines = {**leaning, **sumy_systems(), **newspaper_system()}
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
            forget_sentence_terms()  # each run reads its sentences afresh
            summarize_article(text)
        ms.append((time.perf_counter() - t) / 5 * 1000)
    words = statistics.mean(len(x.split()) for x in long)
    print("\n## Speed (one core; another process may share the machine)")
    print(
        f"  summarize_article: {len(long)} BBC articles of ~{words:.0f} words: "
        f"median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms (goal <= 20 ms)"
    )
    report["speed"] = {
        "article_ms_median": statistics.median(ms),
        "article_ms_max": max(ms),
        "article_words": words,
    }
    story_speed(data, report)


def story_speed(data: Path, report: dict[str, Any]) -> None:
    stories = [(s * 3)[:25] for s in sorted(_ecb_stories(data), key=len, reverse=True)[:5]]
    out: dict[str, float] = {}
    for how, judge in (("", None), ("_judge", _judge())):
        sms, cpu = [], []
        for texts in stories:
            arts = [(i, x) for i, x in enumerate(texts)]
            summarize_story(arts, judge=judge)
            t, c = time.perf_counter(), time.process_time()
            for _ in range(3):
                forget_sentence_terms()  # each run reads its sentences afresh
                summarize_story(arts, judge=judge)
            sms.append((time.perf_counter() - t) / 3 * 1000)
            cpu.append((time.process_time() - c) / 3 * 1000)
        print(
            f"  summarize_story{' with the fact judge' if judge else ''}: 25-article stories "
            f"from ECB+ (a story's articles repeated to 25 where it has fewer): median "
            f"{statistics.median(sms):.0f} ms, max {max(sms):.0f} ms (CPU time: median "
            f"{statistics.median(cpu):.0f} ms, max {max(cpu):.0f} ms; goal <= 300 ms)"
        )
        out[f"story25{how}_ms_median"] = statistics.median(sms)
        out[f"story25{how}_ms_max"] = max(sms)
        out[f"story25{how}_cpu_ms_median"] = statistics.median(cpu)
        out[f"story25{how}_cpu_ms_max"] = max(cpu)
    # 25 distinct articles: the first 25 of each ECB+ topic that has as many (two events
    # of one kind, about 7,300 words), CPU time
    by: dict[str, list[str]] = {}
    for r in read_jsonl(data / "stories" / "ecbplus.jsonl"):
        by.setdefault(r["topic"], []).append(r["text"])
    topics = [v[:25] for _, v in sorted(by.items()) if len(v) >= 25]
    cpu = []
    for texts in topics:
        arts = [(i, x) for i, x in enumerate(texts)]
        summarize_story(arts, judge=_judge())
        forget_sentence_terms()
        c = time.process_time()
        summarize_story(arts, judge=_judge())
        cpu.append((time.process_time() - c) * 1000)
    print(f"  summarize_story with the fact judge, 25 distinct articles ({len(topics)} ECB+ "
          f"topics): CPU time median {statistics.median(cpu):.0f} ms, max {max(cpu):.0f} ms")
    out["distinct25_judge_cpu_ms_median"] = statistics.median(cpu)
    out["distinct25_judge_cpu_ms_max"] = max(cpu)
    # 25 long articles at 250 words, as DUC 2006 asks: DUC 2004 clusters in threes (10 +
    # 10 + 5 articles, about 10,000 words; the topics mixed, so a timing only), CPU time
    rows = read_jsonl(data / "summaries" / "duc2004.jsonl")
    cpu = []
    for k in range(0, len(rows) - 2, 3):
        docs = [d["text"] for r in rows[k:k + 2] for d in r["documents"]]
        docs += [d["text"] for d in rows[k + 2]["documents"][:5]]
        arts = list(enumerate(docs))
        summarize_story(arts, words=250, judge=_judge())
        forget_sentence_terms()
        c = time.process_time()
        summarize_story(arts, words=250, judge=_judge())
        cpu.append((time.process_time() - c) * 1000)
    print(f"  summarize_story with the fact judge, 25 long articles at 250 words ({len(cpu)} "
          f"stories of DUC 2004 articles): CPU time median {statistics.median(cpu):.0f} ms, "
          f"max {max(cpu):.0f} ms")
    out["long25_judge_cpu_ms_median"] = statistics.median(cpu)
    out["long25_judge_cpu_ms_max"] = max(cpu)
    report.setdefault("speed", {}).update(out)


# ---------------------------------------------------------------- stories (DUC 2004, ECB+)

DUC_WORDS = 100


def _fill(sentences: list[str], words: int | None = None) -> str:
    """Sentences joined until the budget (default :data:`DUC_WORDS`) is reached; the last
    one is cut by the scorer."""
    words = DUC_WORDS if words is None else words
    out: list[str] = []
    used = 0
    for s in sentences:
        if used >= words:
            break
        out.append(s)
        used += len(s.split())
    return " ".join(out)


def duc_lead(row: dict[str, Any]) -> str:
    """The first document's opening sentences (document dates are lost in this copy)."""
    return _fill([sp.text for sp in split_sentence_spans(row["documents"][0]["text"])])


class _S:
    def __init__(self, text: str) -> None:
        self.text = text


def duc_mmr(row: dict[str, Any], lam: float = 0.7, max_sim: float = 1.0) -> str:
    """MMR over TF-IDF: the sentence most like the cluster's centroid, less lam-weighted
    similarity to those taken (Carbonell & Goldstein 1998), until 100 words. Candidates:
    the sentences storydesk deems whole (6-80 words, final punctuation)."""
    import numpy as np

    sents = [
        sp.text
        for d in row["documents"]
        for sp in split_sentence_spans(d["text"])
        if is_summary_sentence(sp.text)
    ]
    x = sentence_matrix([_S(t) for t in sents])
    c = x.mean(axis=0)
    c /= np.linalg.norm(c) or 1.0
    rel = x @ c
    sim = x @ x.T
    chosen: list[int] = []
    used = 0
    while used < DUC_WORDS and len(chosen) < len(sents):
        red = sim[:, chosen].max(axis=1) if chosen else np.zeros(len(sents))
        score = lam * rel - (1 - lam) * red
        score[chosen] = -np.inf
        k = int(np.argmax(score))
        chosen.append(k)
        used += len(sents[k].split())
    return " ".join(sents[k] for k in chosen)


# The summariser as it was before the repeat test (redundancy.py): no containment test,
# no event test, no fact judge in the selection ("before" in the redundancy figures).
BEFORE = StoryParams(coverage=CoverageParams(redundancy=RedundancyParams(
    contain=2.0, ask=2.0, event_min=0)))
# The summariser without the event test (redundancy.Repeats.retells) but with the rest of
# the repeat test and the fact judge: "before" in the repeats figures.
NO_EVENT = StoryParams(coverage=CoverageParams(redundancy=RedundancyParams(event_min=0)))


@functools.cache
def _judge() -> FactJudge:
    """The fact judge the desk gives story summaries (services.comparisons.summary_judge)."""
    return summary_judge(Settings())


def _storydesk_duc(row: dict[str, Any], before: bool = False) -> str:
    arts = [(i, d["text"]) for i, d in enumerate(row["documents"])]
    summ = summarize_story(arts, words=DUC_WORDS, params=BEFORE) if before else \
        summarize_story(arts, words=DUC_WORDS, judge=_judge())
    return " ".join(s.text for s in summ)


def _storydesk_duc_before(row: dict[str, Any]) -> str:
    return _storydesk_duc(row, before=True)


def _storydesk_duc_no_event(row: dict[str, Any]) -> str:
    arts = [(i, d["text"]) for i, d in enumerate(row["documents"])]
    return " ".join(s.text for s in summarize_story(arts, words=DUC_WORDS, params=NO_EVENT,
                                                    judge=_judge()))


def duc_section(data: Path, report: dict[str, Any], systems: dict[str, Any] | None = None) -> None:
    rows = read_jsonl(data / "summaries" / "duc2004.jsonl")
    runners: dict[str, Any] = {"storydesk": _storydesk_duc,
                               "storydesk before": _storydesk_duc_before,
                               "no event test": _storydesk_duc_no_event, "lead (D1)": duc_lead,
                               "mmr tf-idf": duc_mmr, **(systems or {})}
    # the stored systems' summaries are 100-word ones: scored only at that length
    names = sorted({k for r in rows for k in r.get("systems", {})}) if DUC_WORDS == 100 else []
    per: dict[str, list[dict[str, float]]] = {}
    times: dict[str, float] = {}
    words: dict[str, list[int]] = {}
    for row in rows:
        for name, fn in runners.items():
            t = time.perf_counter()
            text = fn(row)
            times[name] = times.get(name, 0.0) + time.perf_counter() - t
            per.setdefault(name, []).append(rouge_recall(text, row["references"], DUC_WORDS))
            words.setdefault(name, []).append(len(truncate_words(text, DUC_WORDS).split()))
        for name in names:
            text = row["systems"].get(name)
            if text:
                per.setdefault(name, []).append(rouge_recall(text, row["references"], DUC_WORDS))
                words.setdefault(name, []).append(len(truncate_words(text, DUC_WORDS).split()))
    print(f"\n## DUC 2004 Task 2, {len(rows)} clusters, ROUGE-1 / ROUGE-2 recall x100 at "
          f"{DUC_WORDS} words (rouge-score tokens, Porter stems, stop words kept)")
    out: dict[str, Any] = {}
    for name, vals in sorted(per.items(), key=lambda kv: -sum(v["rouge2"] for v in kv[1])):
        r1 = 100 * statistics.mean(v["rouge1"] for v in vals)
        r2 = 100 * statistics.mean(v["rouge2"] for v in vals)
        mw = statistics.mean(words[name])
        extra = f"  {1000 * times[name] / len(rows):.0f} ms/cluster" if name in times else ""
        print(f"  {name:<14} {r1:5.2f} / {r2:5.2f}   mean {mw:.0f} words  n={len(vals)}{extra}")
        out[name] = {"rouge1": r1, "rouge2": r2, "mean_words": mw, "n": len(vals)}
    report["duc2004"] = out


def _ecb_stories(data: Path) -> list[list[str]]:
    by: dict[str, list[str]] = {}
    for r in read_jsonl(data / "stories" / "ecbplus.jsonl"):
        by.setdefault(r["story"], []).append(r["text"])
    return [v for _, v in sorted(by.items())]


@functools.lru_cache(maxsize=4096)
def _spans(text: str) -> list[Any]:
    """The splitter's spans of an article (the counts below read each article often)."""
    return split_sentence_spans(text)


def cut_at_figure(texts: list[str], summ: list[Any]) -> bool:
    """Whether a summary sentence is cut inside a figure or a bracket: it ends inside
    brackets, or ends on a figure and a dot where its article goes on with a digit
    ("... stealing $2." of "$2. 6 million"). Read from the article text, apart from the
    readability rules."""
    for s in summ:
        if s.origin is None:
            continue
        sp = _spans(texts[s.origin[0]])[s.origin[1]]
        after = texts[s.origin[0]][sp.end:sp.end + 4]
        if sp.text.rfind("(") > sp.text.rfind(")") or (
                re.search(r"\d\.$", sp.text) and re.match(r"\s*\d", after)):
            return True
    return False


def starts_inside_quotation(texts: list[str], summ: list[Any]) -> bool:
    """Whether a summary sentence begins inside a quotation its article opened before
    it, without the sentence before it shown: in the article's text before the sentence,
    an odd number of straight double quotes, or more opening than closing curly or PTB
    marks. Read from the whole article text, apart from the summariser's rule
    (:func:`storydesk.summarize.readability.inside_quotation`, which reads sentence by
    sentence and holds a quotation open over a few sentences only)."""
    prev = None
    for s in summ:
        o = s.origin
        if o is not None and prev != (o[0], o[1] - 1):
            sp = _spans(texts[o[0]])[o[1]]
            before = texts[o[0]][:sp.start]
            if (before.count('"') % 2 or before.count("“") > before.count("”")
                    or before.count("``") > before.count("''")):
                return True
        prev = o
    return False


# titles before a name: the splitter's abbreviations ("Sen.", "Dr.") and a few words
_TITLED = TITLES | frozenset("president minister judge officer detective coach".split())


def surname_never_introduced(texts: list[str], summ: list[Any]) -> bool:
    """Whether a summary uses alone the surname of a person its article writes in full
    (a run of capitalised words opening on a first name of the English tagger's
    gazetteer, or after a title: "Sen. Chuck Hagel") and never writes the name in full.
    Read apart from the summariser's tagger-based rule (:mod:`storydesk.summarize.names`)."""
    from storydesk.extract.entity_models import first_name

    in_full = set().union(*(full_names(s.text) for s in summ)) if summ else set()
    for s in summ:
        if s.origin is None:
            continue
        art = texts[s.origin[0]]
        people = set()
        for start, parts in names_in_full(art):
            before = art[max(0, start - 12):start].split()[-1:]
            if first_name(parts[0].rstrip(".")) or any(
                    w.lower().rstrip(".") in _TITLED for w in [parts[0], *before]):
                people.add(last_name(parts[-1]))
        if (bare_names(s.text) - in_full) & people:
            return True
    return False


def article_readability_section(data: Path, report: dict[str, Any], n: int = 3,
                                show: int = 0) -> None:
    """Article summaries (as an article, or a story of one article, shows them) that do not
    read on their own (:func:`summary_problems`), with the read-alone rule (the default)
    and without it, and those with a sentence that begins inside a quotation by the
    article text's marks (:func:`starts_inside_quotation`: apart from the rules, and noisy
    where a quotation's paragraphs are not marked again): CNN/DM 100, 300 BBC articles
    (seed 5) and the scrapinghub pages' bodies (13 languages, each read in its detected
    language)."""
    from storydesk.extract.language import detect_language

    bbc = read_jsonl(data / "summaries" / "bbc.jsonl")
    random.Random(5).shuffle(bbc)
    gt = json.loads((data / "extraction" / "scrapinghub" / "ground-truth.json").read_text())
    pages = [v["articleBody"] for _, v in sorted(gt.items()) if v["articleBody"].strip()]
    sets = {"cnndm100": [(r["text"], "en") for r in read_jsonl(data / "summaries" /
                                                               "cnndm100.jsonl")],
            "bbc300": [(r["text"], "en") for r in bbc[:300]],
            "scrapinghub": [(x, detect_language(x)) for x in pages]}
    print(f"\n## Article summaries that do not read on their own ({n} sentences; leaning "
          "allowed -> read-alone rule)")
    out: dict[str, Any] = {}
    for name, rows in sets.items():
        counts: dict[str, int] = {}
        for rule in ("off", "on"):
            params = StoryParams(sentence=SummaryParams(read_alone=rule == "on"))
            bad = quoted = made = 0
            for text, lang in rows:
                summ = summarize_story([StoryArticle(0, text, language=lang)], n_sentences=n,
                                       params=params)
                made += bool(summ)
                probs = summary_problems([(s.text, s.origin) for s in summ],
                                         is_caseless(text), lang)
                bad += bool(probs)
                quoted += starts_inside_quotation([text], summ)
                if probs and rule == "on" and show:
                    print("    " + " | ".join(s.text[:70] for s in summ))
            counts[rule] = bad
            counts[f"inside_quotation_{rule}"] = quoted
            counts["summaries"] = made
        print(f"  {name}: {len(rows)} articles, {counts['summaries']} summaries; problems "
              f"{counts['off']} -> {counts['on']}; a sentence inside a quotation by the "
              f"text's marks {counts['inside_quotation_off']} -> {counts['inside_quotation_on']}")
        out[name] = {"articles": len(rows), **counts}
    report["article_readability"] = out


def readability_section(data: Path, report: dict[str, Any], n: int = 3,
                        show: int = 0, per_story: int = 0, draws: int = 1) -> None:
    """``per_story``: summarise ``per_story`` articles drawn from each story that has as
    many (as a 3-outlet story is), ``draws`` times (seeds 0, 1, ...); 0: every article."""
    sets = {
        "duc2004": [[d["text"] for d in r["documents"]]
                    for r in read_jsonl(data / "summaries" / "duc2004.jsonl")],
        "ecbplus": [s for s in _ecb_stories(data) if len(s) >= 2],
    }
    if per_story:
        sets = {name: [random.Random(seed).sample(s, per_story)
                       for seed in range(draws) for s in stories if len(s) >= per_story]
                for name, stories in sets.items()}
    drawn = f", {per_story} articles drawn from each story, {draws} draws" if per_story else ""
    print(f"\n## Story summaries that read on their own ({n} sentences{drawn})")
    out: dict[str, Any] = {}
    total = ok_all = 0
    for name, stories in sets.items():
        ok = named = cut = bare = quoted = 0
        kinds: dict[str, int] = {}
        shown = 0
        for texts in stories:
            summ = summarize_story([(i, t) for i, t in enumerate(texts)], n_sentences=n,
                                   judge=_judge())
            probs = summary_problems([(s.text, s.origin) for s in summ])
            ok += not probs
            named += any(i >= 1 for _, i, _ in name_before_introduction([s.text for s in summ]))
            cut += cut_at_figure(texts, summ)
            bare += surname_never_introduced(texts, summ)
            quoted += starts_inside_quotation(texts, summ)
            for p in probs:
                k = p.split(":")[0]
                k = re.sub(r"^sentence \d+ ", "", k)
                k = re.sub(r"opens with '\w+'", "opens with a pronoun", k)
                kinds[k] = kinds.get(k, 0) + 1
            if probs and shown < show:
                shown += 1
                print("    " + "\n    ".join(probs))
        total += len(stories)
        ok_all += ok
        print(f"  {name}: {ok}/{len(stories)} read on their own ({100 * ok / len(stories):.0f}%);"
              f" problems: {dict(sorted(kinds.items(), key=lambda kv: -kv[1]))}; a name used "
              f"alone before it is written in full, after the opening: {named}; a sentence cut "
              f"inside a figure or brackets (read from the article text): {cut}; a person's "
              f"surname alone, never written in full (their article writes it): {bare}; "
              f"a sentence inside a quotation its article opened before it: {quoted}")
        out[name] = {"stories": len(stories), "read_on_own": ok, "problems": kinds,
                     "name_before_introduction": named, "cut_at_figure": cut,
                     "surname_never_introduced": bare, "starts_inside_quotation": quoted}
    print(f"  all: {ok_all}/{total} ({100 * ok_all / total:.1f}%)")
    out["all"] = {"stories": total, "read_on_own": ok_all}
    report["readability"] = out


def _semeval_same_story(data: Path) -> dict[str, list[tuple[str, str]]]:
    """SemEval-2022 Task 8 pairs on one story (Overall <= 1.5), both articles in one
    language: language -> [(text1, text2)], file order."""
    import csv

    out: dict[str, list[tuple[str, str]]] = {}
    with open(data / "similarity" / "semeval2022_train.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["lang1"] != r["lang2"] or float(r["Overall"]) > 1.5:
                continue
            if r["text1"].strip() and r["text2"].strip():
                out.setdefault(r["lang1"], []).append((r["text1"], r["text2"]))
    return out


def _dangling_opener(summ: list[Any], lang: str) -> bool:
    """A summary sentence opens with a pointing-back word (pointing.POINTING_BACK, or
    the English lists) and the one before it is not its article's preceding sentence."""
    prev = None
    for s in summ:
        o = s.origin
        follows = prev is not None and o is not None and o[0] == prev[0] and o[1] == prev[1] + 1
        if not follows and (opening_pronoun(s.text, lang) or opening_connective(s.text, lang)):
            return True
        prev = o
    return False


def languages_section(data: Path, report: dict[str, Any], n: int = 3, show: int = 0) -> None:
    """Per language, the share of two-article story summaries with a sentence opening on a
    pointing-back word without its predecessor: with the language's rules off (its
    POINTING_BACK entry removed while summarising) and on; both counted by the rules."""
    pairs = _semeval_same_story(data)
    judge = _judge()
    print(f"\n## Pointing-back openers by language (SemEval-2022 same-story pairs, {n} "
          "sentences)")
    out: dict[str, Any] = {}
    for lang, rows in sorted(pairs.items(), key=lambda kv: -len(kv[1])):
        counts: dict[str, int] = {}
        texts: dict[str, list[list[str]]] = {}
        for when in ("before", "after"):
            saved = POINTING_BACK.pop(lang, None) if when == "before" else None
            try:
                summs = [summarize_story([StoryArticle(0, a, language=lang),
                                          StoryArticle(1, b, language=lang)],
                                         n_sentences=n, judge=judge) for a, b in rows]
            finally:
                if saved is not None:
                    POINTING_BACK[lang] = saved
            texts[when] = [[x.text for x in s] for s in summs]
            bad = [s for s in summs if _dangling_opener(s, lang)]
            counts[when] = len(bad)
            for s in bad[:show]:
                print("    " + " | ".join(x.text[:70] for x in s))
        rules = rules_language(lang) or "none"
        changed = sum(a != b for a, b in zip(texts["before"], texts["after"], strict=True))
        print(f"  {lang}: {len(rows)} pairs, rules {rules}: dangling opener before "
              f"{counts['before']}/{len(rows)} ({100 * counts['before'] / len(rows):.0f}%), "
              f"after {counts['after']}/{len(rows)} ({100 * counts['after'] / len(rows):.0f}%);"
              f" summaries changed {changed}")
        out[lang] = {"pairs": len(rows), "rules": rules, **counts, "changed": changed}
    report["languages"] = out


# ---------------------------------------------------------------- a fact said twice

_WORD = re.compile(r"[a-z0-9]+")


def _plain_words(text: str) -> set[str]:
    """Distinct lower-case words less scikit-learn's English stop words (no stemming)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return {w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS}


# The measure of "states a fact twice" (apart from what the summariser selects with):
# strict, the fact judge at its own threshold or 70% of the shorter sentence's words in
# the other; loose, the judge at 0.15 or 50%, which flags pairs to read by hand.
MEASURES = {"strict": (Settings().compare.judge_threshold, 0.7), "loose": (0.15, 0.5)}


def repeated_pairs(sentences: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Pairs of summary sentences that state one fact, by each of :data:`MEASURES`:
    the fact judge's probability (IDF over the summary's sentences) at its threshold, or
    the share of the shorter sentence's distinct content words (lower case, scikit-learn's
    English stop words out, not stemmed, not weighted) that the other holds."""
    out: dict[str, list[tuple[int, int]]] = {k: [] for k in MEASURES}
    if len(sentences) < 2:
        return out
    prob = judge_matrix(sentences)
    bags = [_plain_words(t) for t in sentences]
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            small, big = sorted((bags[i], bags[j]), key=len)
            share = len(small & big) / len(small) if small else 0.0
            for name, (judged, words) in MEASURES.items():
                if prob[i, j] >= judged or share >= words:
                    out[name].append((i, j))
    return out


def _desk_sets(data: Path) -> dict[str, tuple[list[list[str]], dict[str, int]]]:
    """The 136 stories the repeat figures are read on, with the length the desk gives
    each: DUC 2004 clusters at 100 words, ECB+ events (2+ articles) at 5 sentences."""
    return {
        "duc2004": ([[d["text"] for d in r["documents"]]
                     for r in read_jsonl(data / "summaries" / "duc2004.jsonl")],
                    {"words": DUC_WORDS}),
        "ecbplus": ([s for s in _ecb_stories(data) if len(s) >= 2], {"n_sentences": 5}),
    }



def repeats_section(data: Path, report: dict[str, Any], show: int = 0) -> None:
    """One event told twice (:mod:`summary_repeats`): the story summaries of
    :func:`_desk_sets` holding a pair of sentences that tell the same event by the rule,
    without the event test and now (both with the fact judge), and the rule's agreement
    with the hand labels of the summaries without it. ``show``: print the flagged pairs
    of that many summaries, now."""
    from summary_repeats import HAND_BEFORE, HAND_NOW, same_event_pairs

    print("\n## One event told twice: summaries with a pair of sentences naming the same "
          "kind of event and the same who or where (bench/summary_repeats.py)")
    out: dict[str, Any] = {}
    flagged: dict[str, set[tuple[str, int]]] = {"before": set(), "now": set()}
    shown = 0
    for name, (stories, length) in _desk_sets(data).items():
        row: dict[str, Any] = {"stories": len(stories)}
        for when, params in (("before", NO_EVENT), ("now", StoryParams())):
            pairs = 0
            for k, texts in enumerate(stories):
                summ = summarize_story([(i, t) for i, t in enumerate(texts)], **length,
                                       params=params, judge=_judge())
                sents = [s.text for s in summ]
                found = same_event_pairs(sents)
                pairs += len(found)
                if found:
                    flagged[when].add((name, k))
                if found and when == "now" and shown < show:
                    shown += 1
                    for i, j in found:
                        print(f"    {name} {k}:\n      {sents[i]}\n      {sents[j]}")
            hits = sum(1 for s, _ in flagged[when] if s == name)
            row[when] = {"summaries": hits, "pairs": pairs}
            print(f"  {name} {when:6}: {hits}/{len(stories)} summaries ({pairs} pairs)")
        out[name] = row
    for when, hand in (("before", HAND_BEFORE), ("now", HAND_NOW)):
        clear, arguable = hand["clear"], hand["arguable"]
        rule = flagged[when]
        out[f"agreement_{when}"] = {
            "hand_clear": len(clear), "hand_arguable": len(arguable), "rule": len(rule),
            "rule_and_clear": len(rule & clear), "rule_and_arguable": len(rule & arguable),
            "rule_only": len(rule - clear - arguable)}
        print(f"  {when}, against the hand reading: {len(clear)} clear and {len(arguable)} "
              f"arguable repeats; the rule flags {len(rule)}: {len(rule & clear)} clear, "
              f"{len(rule & arguable)} arguable, {len(rule - clear - arguable)} read as no "
              f"repeat")
    report["repeats"] = out


def redundancy_section(data: Path, report: dict[str, Any], show: int = 0) -> None:
    """Share of story summaries holding a pair of sentences that state one fact
    (:func:`repeated_pairs`), before the repeat test and now, DUC 2004 at 100 words and
    ECB+ events at the default 5 sentences. ``show``: print the loosely flagged pairs of
    that many summaries (to read by hand)."""
    sets = _desk_sets(data)
    strict, loose = MEASURES["strict"], MEASURES["loose"]
    print(f"\n## A fact said twice: summaries holding a pair the judge deems one fact "
          f"(strict: >= {strict[0]:.2f}, loose: >= {loose[0]:.2f}) or whose shorter one's "
          f"words are in the other (strict: {strict[1]:.0%}, loose: {loose[1]:.0%})")
    out: dict[str, Any] = {}
    for name, (stories, length) in sets.items():
        row: dict[str, Any] = {"stories": len(stories)}
        for when, kw in (("before", {"params": BEFORE}), ("now", {"judge": _judge()})):
            hits = {k: 0 for k in MEASURES}
            flagged = 0
            for k, texts in enumerate(stories):
                summ = summarize_story([(i, t) for i, t in enumerate(texts)], **length, **kw)
                sents = [s.text for s in summ]
                pairs = repeated_pairs(sents)
                for m, p in pairs.items():
                    hits[m] += bool(p)
                flagged += len(pairs["loose"])
                if show and pairs["loose"]:
                    for i, j in pairs["loose"]:
                        print(f"    {name} {k} {when}:\n      {sents[i]}\n      {sents[j]}")
            row[when] = {**hits, "loose_pairs": flagged}
            print(f"  {name} {when:6}: strict {hits['strict']}/{len(stories)}, loose "
                  f"{hits['loose']}/{len(stories)} summaries ({flagged} loose pairs)")
        out[name] = row
    report["redundancy"] = out


def _msrp_stories(rows: list[dict[str, Any]], rng: random.Random
                  ) -> list[tuple[list[StoryArticle], int]]:
    """Two-article stories from MSRP pairs: article 1 holds s1 after two other rows' s1,
    article 2 holds s2 before two other rows' s2, one sentence a line (sentences of other
    stories: what an article says besides). Returns (articles, index of the sentence
    that starts s1 in article 1)."""
    out = []
    for k, r in enumerate(rows):
        others = [rows[j] for j in rng.sample(range(len(rows)), 6) if j != k][:4]
        a = "\n".join([others[0]["s1"], others[1]["s1"], r["s1"]])
        b = "\n".join([r["s2"], others[2]["s2"], others[3]["s2"]])
        start = len(others[0]["s1"]) + len(others[1]["s1"]) + 2
        # the sentence that holds s1's start (a stray opening mark at the end of the
        # line before joins it: text.sentences)
        idx = next(i for i, sp in enumerate(split_sentence_spans(a)) if sp.end > start)
        out.append(([StoryArticle(1, a, "one"), StoryArticle(2, b, "two")], idx))
    return out


def reported_section(data: Path, report: dict[str, Any], limit: int = 0) -> None:
    """"Reported by 2 of 2" for a fact two outlets word differently: two-article stories
    built from MSRP pairs; the share of pairs whose s1, shown as a summary sentence, is
    reported by both articles (label 1: the share that should; label 0: the share that
    should not), by the summary's provenance (:func:`story_sources`) with word match
    only and with the fact judge."""
    rows = read_jsonl(data / "compare" / "msrp_train.jsonl")
    if limit:
        rows = random.Random(0).sample(rows, limit)
    stories = _msrp_stories(rows, random.Random(1))
    ways = {"words": (StoryParams(), None), "judge": (StoryParams(), _judge()),
            "judge, no prefilter": (StoryParams(judge_min_cosine=-1.0), _judge())}
    counts = {(lab, how): 0 for lab in (0, 1) for how in ways}
    missed = 0  # label 1, not by words
    t0 = time.perf_counter()
    for r, (arts, idx) in zip(rows, stories, strict=True):
        cands = [((a.id, i), sp.text) for a in arts
                 for i, sp in enumerate(split_sentence_spans(a.text))]
        shown = [(1, idx, dict(cands)[(1, idx)])]
        got = {}
        for how, (params, judge) in ways.items():
            got[how] = any(a == 2 for a, _ in story_sources(cands, shown, params, judge)[0])
            counts[(r["label"], how)] += got[how]
        missed += r["label"] == 1 and not got["words"]
    ms = 1000 * (time.perf_counter() - t0) / len(rows)
    n = {lab: sum(r["label"] == lab for r in rows) for lab in (0, 1)}
    print(f"\n## Reported by 2 of 2: two-article stories from {len(rows)} MSRP pairs "
          f"({ms:.1f} ms a story, all three ways; the judge was fitted on this file)")
    added = counts[(1, "judge")] - counts[(1, "words")]
    print(f"  label 1 pairs word match misses: {missed}; the judge counts {added} of them")
    out: dict[str, Any] = {"pairs": len(rows), "words_missed": missed, "judge_added": added}
    for how in ways:
        same = counts[(1, how)] / n[1]
        other = counts[(0, how)] / n[0] if n[0] else 0.0
        print(f"  {how:19}: same meaning (label 1) reported by 2: {counts[(1, how)]}/{n[1]} "
              f"({100 * same:.1f}%); not the same (label 0): {counts[(0, how)]}/{n[0]} "
              f"({100 * other:.1f}%)")
        out[how] = {"same_reported_by_2": same, "other_reported_by_2": other}
    report["reported_by"] = out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--bbc", type=int, default=0, help="a random sample of N BBC articles (0: all)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--skip-rouge", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-duc", action="store_true")
    ap.add_argument("--only-stories", action="store_true",
                    help="only the story sections: DUC 2004, readability, story speed")
    ap.add_argument("--show", type=int, default=0,
                    help="print the problems of the first N summaries that do not read well")
    ap.add_argument("--msrp", type=int, default=0,
                    help="a random sample of N MSRP pairs for 'reported by' (0: all)")
    ap.add_argument("--only", choices=["duc", "readability", "articles", "languages",
                                       "redundancy", "repeats", "reported", "speed"],
                    help="one section (articles: article summaries that read on their own)")
    ap.add_argument("--per-story", type=int, default=0,
                    help="readability: summarise N articles drawn from each story (a "
                         "3-outlet story: 3); 0: all of them")
    ap.add_argument("--draws", type=int, default=1, help="readability: draws per story")
    ap.add_argument("--duc-words", type=int, default=100,
                    help="the DUC 2004 summary length (references stay ~100 words; the "
                         "stored systems are scored only at 100)")
    args = ap.parse_args()
    global DUC_WORDS
    DUC_WORDS = args.duc_words
    report: dict[str, Any] = {}
    if args.only:
        {"duc": lambda: duc_section(args.data, report),
         "readability": lambda: readability_section(args.data, report, show=args.show,
                                                    per_story=args.per_story,
                                                    draws=args.draws),
         "articles": lambda: article_readability_section(args.data, report, show=args.show),
         "languages": lambda: languages_section(args.data, report, show=args.show),
         "redundancy": lambda: redundancy_section(args.data, report, args.show),
         "repeats": lambda: repeats_section(args.data, report, args.show),
         "reported": lambda: reported_section(args.data, report, args.msrp),
         "speed": lambda: story_speed(args.data, report)}[args.only]()
        if args.json:
            args.json.write_text(json.dumps(report, indent=1))
        return
    if args.only_stories:
        duc_section(args.data, report)
        readability_section(args.data, report, show=args.show)
        redundancy_section(args.data, report)
        repeats_section(args.data, report)
        reported_section(args.data, report, args.msrp)
        story_speed(args.data, report)
        if args.json:
            args.json.write_text(json.dumps(report, indent=1))
        return
    split_section(args.data, report)
    if not args.skip_duc:
        duc_section(args.data, report)
        readability_section(args.data, report, show=args.show)
    if not args.skip_speed:
        speed_section(args.data, report)
    if not args.skip_rouge:
        rouge_section(args.data, args.bbc or None, report)
        article_readability_section(args.data, report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
