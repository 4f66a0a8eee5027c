"""Stories within and across languages on SemEval-2022 Task 8 pairs, next to a
per-language TF-IDF baseline.

    .venv/bin/python bench/languages.py [--file ../shared/data/similarity/semeval2022_train.csv]
        [--json OUT] [--set KEY=VALUE] [--pair-auc]

1. Every article of the file (both sides of every pair, once each; the first line is
   the title) goes through a Desk on a SQLite file as a user adds it (JSON lines, no
   language given, no dates), then ``place_new_articles``. Texts refused are counted.
2. Labelled pairs: Overall <= 1.5 is "same story", >= 3.0 "different"; the rest is left
   out. For each group (English, same non-English language, across languages, and each
   language): same-story recall (both in one story) and different pairs joined.
   Largest story: its share of all stored articles.
3. Baseline in the same run: TF-IDF of word uni/bigrams plus character 2-5-grams
   (sublinear tf), fitted per language for same-language pairs and on all articles for
   pairs across languages; cosine of a pair; the threshold is fitted on the dev half of
   the labelled pairs (split by pair id) for same-story recall 0.85, per group, and the
   figures are read on the test half. storydesk is read on the same test half, on the
   dev half (where its settings were chosen), and on all pairs.

``--pair-auc``: also, per language, the ROC area of the pairs' cosines under the
grouper's own story vectors (``featurize`` in each stored article's detected language,
IDF of all of them): how well the vectors alone order same-story pairs above different.

Pairs are scored as pairs; a story-level baseline would need clustering on top.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "similarity" / "semeval2022_train.csv"
SAME, DIFFERENT = 1.5, 3.0
TARGET_RECALL = 0.85


@dataclasses.dataclass
class Pair:
    a: str
    b: str
    lang_a: str
    lang_b: str
    overall: float

    @property
    def same(self) -> bool:
        return self.overall <= SAME

    @property
    def dev(self) -> bool:
        return zlib.crc32(f"{self.a}_{self.b}".encode()) % 2 == 0

    @property
    def group(self) -> str:
        if self.lang_a != self.lang_b:
            return "across languages"
        return "English" if self.lang_a == "en" else "same non-English"


def read(path: Path) -> tuple[dict[str, tuple[str, str]], list[Pair]]:
    """Articles by id (language, text) and the labelled pairs."""
    csv.field_size_limit(sys.maxsize)
    arts: dict[str, tuple[str, str]] = {}
    pairs: list[Pair] = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            a, b = row["pair_id"].split("_", 1)
            arts.setdefault(a, (row["lang1"], row["text1"]))
            arts.setdefault(b, (row["lang2"], row["text2"]))
            o = float(row["Overall"])
            if o <= SAME or o >= DIFFERENT:
                pairs.append(Pair(a, b, row["lang1"], row["lang2"], o))
    return arts, pairs


def _title_text(raw: str) -> tuple[str, str]:
    """The file writes "title  body": the first double space ends the title."""
    title, sep, body = raw.strip().partition("  ")
    return (title.strip(), body.strip()) if sep and body.strip() else ("", raw.strip())


def storydesk_stories(arts: dict[str, tuple[str, str]], sets: list[str],
                      vectors: dict[str, dict[int, float]] | None = None
                      ) -> tuple[dict[str, int], int, float, int]:
    """Story per article id through a real Desk; refused count, seconds, stored count.
    ``vectors``: filled with each stored article's story vector (``_story_vectors``)."""
    from stories import story_settings  # bench/stories.py: KEY=VALUE, nested keys too

    from storydesk.desk import Desk
    from storydesk.settings import Settings

    settings = Settings(stories=story_settings(list(sets)))
    with tempfile.TemporaryDirectory() as tmp:
        rows = Path(tmp) / "articles.jsonl"
        with rows.open("w", encoding="utf-8") as f:
            for aid, (_lang, raw) in arts.items():
                title, text = _title_text(raw)
                row = {"title": title, "text": text, "url": f"https://a{aid}.semeval.example/"}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        desk = Desk(str(Path(tmp) / "desk.db"), settings=settings)
        t = time.perf_counter()
        report = desk.add([str(rows)])
        desk.place_new_articles()
        seconds = time.perf_counter() - t
        n = desk.store.count_articles()
        by_url = {a.url: a.id for a in desk.store.list_articles(limit=n + 1)}
        story: dict[str, int] = {}
        for aid in arts:
            i = by_url.get(f"https://a{aid}.semeval.example/")
            if i is not None:
                s = desk.story_of(i)
                if s is not None:
                    story[aid] = s
        if vectors is not None:
            stored = {a.id: a for a in desk.store.articles_by_ids(sorted(by_url.values()),
                                                                  with_text=True)}
            vectors.update(_story_vectors(
                {aid: stored[i] for aid in arts
                 if (i := by_url.get(f"https://a{aid}.semeval.example/")) in stored},
                settings.stories.vector))
        return story, len(report.failures), seconds, len(by_url)


def _story_vectors(stored: dict[str, Any], vs: Any) -> dict[str, dict[int, float]]:
    """Each stored article's unit story vector (``featurize`` in its detected language,
    weighed with the IDF of all of them), by SemEval id: the pairs' cosines come from it."""
    from storydesk.stories.vectorize import TermStats, featurize

    feats = {aid: featurize(a.text, a.title or "", [e.name for e in a.entities], vs,
                            a.language) for aid, a in stored.items()}
    stats = TermStats(vs.n_features)
    for f in feats.values():
        stats.count(f.idx)
    return {aid: dict(zip(f.idx.tolist(), stats.weigh(f.idx, f.tfw).tolist(), strict=True))
            for aid, f in feats.items()}


def _auc(pos: list[float], neg: list[float]) -> float:
    """Share of (same-story, different) pairs of pairs ordered right by cosine."""
    if not pos or not neg:
        return float("nan")
    return float(np.mean([[p > n for n in neg] for p in pos]))


def print_pair_auc(vecs: dict[str, dict[int, float]], pairs: list[Pair]) -> None:
    """ROC area of the pairs' own cosines (same story above different), per language."""
    def cos(a: dict[int, float], b: dict[int, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(t, 0.0) for t, v in a.items())

    by: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for p in pairs:
        if p.a in vecs and p.b in vecs:
            c = cos(vecs[p.a], vecs[p.b])
            for key in {p.group, p.lang_a if p.lang_a == p.lang_b else p.group}:
                by[key][0 if p.same else 1].append(c)
    print("\npair cosines, ROC area (same story above different): " + ", ".join(
        f"{k} {_auc(*v):.3f}" for k, v in sorted(by.items())))


def baseline_scores(arts: dict[str, tuple[str, str]], pairs: list[Pair]) -> list[float]:
    """Cosine of each pair under the per-language TF-IDF (words + character n-grams)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    def fit(ids: list[str]) -> dict[str, Any]:
        docs = [arts[i][1] for i in ids]
        word = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1)
        char = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5),
                               min_df=2, max_features=300_000)
        x = normalize(hstack([word.fit_transform(docs), char.fit_transform(docs)]).tocsr())
        return {i: x[k] for k, i in enumerate(ids)}

    by_lang: dict[str, list[str]] = defaultdict(list)
    for i, (lang, _) in arts.items():
        by_lang[lang].append(i)
    vec_lang = {lang: fit(ids) for lang, ids in by_lang.items()}
    vec_all = fit(list(arts))
    out = []
    for p in pairs:
        v = vec_lang[p.lang_a] if p.lang_a == p.lang_b else vec_all
        out.append(float(v[p.a].multiply(v[p.b]).sum()))
    return out


def _rates(joined: list[bool], same: list[bool]) -> tuple[float, float, int, int]:
    s = [j for j, y in zip(joined, same, strict=True) if y]
    d = [j for j, y in zip(joined, same, strict=True) if not y]
    return (float(np.mean(s)) if s else float("nan"), float(np.mean(d)) if d else float("nan"),
            len(s), len(d))


def _threshold(scores: list[float], same: list[bool]) -> float:
    pos = sorted((s for s, y in zip(scores, same, strict=True) if y), reverse=True)
    if not pos:
        return 1.0
    k = max(0, int(np.ceil(TARGET_RECALL * len(pos))) - 1)
    return pos[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, default=DATA)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a StorySettings field (e.g. vector.stem=true); repeatable")
    ap.add_argument("--pair-auc", action="store_true",
                    help="also the ROC area of the pairs' own story-vector cosines, per language")
    args = ap.parse_args()
    arts, pairs = read(args.file)
    langs = Counter(lang for lang, _ in arts.values())
    print(f"{len(arts)} articles ({', '.join(f'{k} {v}' for k, v in langs.most_common())}); "
          f"{len(pairs)} labelled pairs ({sum(p.same for p in pairs)} same story)")

    vecs: dict[str, dict[int, float]] | None = {} if args.pair_auc else None
    story, refused, seconds, stored = storydesk_stories(arts, args.set, vecs)
    sizes = Counter(story.values())
    largest = max(sizes.values()) / max(1, stored) if sizes else 0.0
    print(f"storydesk: {stored} stored, {refused} refused, {len(sizes)} stories, largest "
          f"{largest:.1%} of articles; {seconds:.0f} s to add and place")

    scores = baseline_scores(arts, pairs)
    groups = ["English", "same non-English", "across languages"]
    per_lang = sorted({p.lang_a for p in pairs if p.lang_a == p.lang_b})
    rows: dict[str, Any] = {}
    print("\n| pairs | storydesk all: recall / different joined (n same, n diff) "
          "| storydesk test half | storydesk dev half "
          "| TF-IDF baseline test half (threshold on dev) |")
    print("| --- | --- | --- | --- | --- |")
    for name in groups + [f"  {lang}" for lang in per_lang]:
        lang = name.strip() if name.startswith("  ") else None
        sel = [i for i, p in enumerate(pairs)
               if (p.group == name if lang is None else p.lang_a == p.lang_b == lang)]
        if not sel:
            continue
        joined = [pairs[i].a in story and story.get(pairs[i].a) == story.get(pairs[i].b)
                  for i in sel]
        same = [pairs[i].same for i in sel]
        r_all = _rates(joined, same)
        test = [k for k, i in enumerate(sel) if not pairs[i].dev]
        dev = [k for k, i in enumerate(sel) if pairs[i].dev]
        r_test = _rates([joined[k] for k in test], [same[k] for k in test])
        r_dev = _rates([joined[k] for k in dev], [same[k] for k in dev])
        th = _threshold([scores[sel[k]] for k in dev], [same[k] for k in dev])
        b_test = _rates([scores[sel[k]] >= th for k in test], [same[k] for k in test])
        rows[name.strip()] = {"storydesk_all": r_all, "storydesk_test": r_test,
                              "storydesk_dev": r_dev, "baseline_test": b_test, "threshold": th}
        print(f"| {name} | {r_all[0]:.2f} / {r_all[1]:.2f} ({r_all[2]}, {r_all[3]}) "
              f"| {r_test[0]:.2f} / {r_test[1]:.2f} | {r_dev[0]:.2f} / {r_dev[1]:.2f} "
              f"| {b_test[0]:.2f} / {b_test[1]:.2f} "
              f"(cos ≥ {th:.2f}) |")
    if vecs is not None:
        print_pair_auc(vecs, pairs)
    if args.json:
        args.json.write_text(json.dumps({"stored": stored, "refused": refused,
                                         "stories": len(sizes), "largest_share": largest,
                                         "groups": rows}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
