"""Named entities and language identification, every option side by side in one run.

    .venv/bin/python bench/entities.py [--data ../shared/data] [--folds 5] [--articles 300]
                                       [--skip-cv] [--json]

1. English: CoNLL-2003 development split (the ``testa-*`` documents of
   ``entities/conll2003_dev.jsonl``; the shipped CRF is trained on ``train-*`` only).
2. Russian: factRuEval-2016 documents of ``entities/ru_news_dev.jsonl``. natasha and the
   rules are scored on all of them; the CRFs trained on this file are scored by
   document-level k-fold cross-validation (seeded folds; each document tagged by the
   model trained on the other folds).
   Quality: typed document-level precision/recall/F1 (``storydesk.extract.entity_eval``,
   the published ``doc_score.py`` rules), overall and per type, on the names
   ``extract_entities`` would give (one name per entity per article).
   Speed (docs/s) everywhere is per CPU-second of the bench's process, since the machine
   is shared.
3. Speed and junk on real news: articles/s of each English option over BBC News articles
   (``summaries/bbc.jsonl``); and how many names it gives there that begin or end
   with a capitalised function word ("Vostok Station The").
4. Install size (MB) of what each option needs beyond numpy: packages and model files.
5. Language identification: accuracy and ms per text of ``detect_language`` on the
   distinct article texts of the SemEval-2022 Task 8 sample (10 languages).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from train_entities import load, with_hints  # noqa: E402

from storydesk.extract import entities as E  # noqa: E402
from storydesk.extract import entity_models as M  # noqa: E402
from storydesk.extract import entity_rules as R  # noqa: E402
from storydesk.extract import tagger as T  # noqa: E402
from storydesk.extract.entity_eval import score  # noqa: E402
from storydesk.extract.language import detect_language  # noqa: E402

Pairs = list[tuple[str, str]]
_MODEL_FILES = {"crf-en": ["en"], "crf-ru": ["ru"], "natasha+crf-ru": ["ru_natasha"]}
_PACKAGES = {"crf-en": ["python-crfsuite"], "crf-ru": ["python-crfsuite"],
             "natasha": ["natasha"], "natasha+crf-ru": ["natasha", "python-crfsuite"],
             "spacy": ["spacy", "en-core-web-sm"], "rules": []}


def _closure(names: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(names)
    while todo:
        n = todo.pop().lower().replace("_", "-")
        if n in seen or n == "numpy":
            continue
        try:
            reqs = metadata.requires(n) or []
        except metadata.PackageNotFoundError:
            continue
        seen.add(n)
        todo += [re.split(r"[ ;<>=!~\[(]", r, maxsplit=1)[0] for r in reqs if "extra ==" not in r]
    return seen


def install_mb(option: str) -> float | None:
    """Size on disk of the packages ``option`` needs (beyond numpy) plus its model files."""
    total = 0
    for dist in _closure(_PACKAGES.get(option, [])):
        for f in metadata.distribution(dist).files or []:
            p = Path(str(f.locate()))
            if p.is_file():
                total += p.stat().st_size
    if option in _PACKAGES and _PACKAGES[option] and not total:
        return None
    total += sum((T.DATA_DIR / f"crf_{m}.crfsuite.gz").stat().st_size
                 for m in _MODEL_FILES.get(option, []))
    if option == "rules":
        total += sum(p.stat().st_size for p in T.DATA_DIR.glob("*.txt"))
    return total / 1e6


def names(text: str, option: str) -> Pairs:
    """What ``extract_entities`` gives with ``option``, as (name, type) pairs."""
    if option == "rules":
        return R.rules(text, True)
    if option == "rules-non-english":
        return R.rules(text, False)
    if option == "spacy":
        return M.spacy_mentions(text)
    return E.canonical(E.mentions(text, option), "en" if option.endswith("-en") else "ru")


def run(rows: list[dict[str, Any]], fn: Callable[[str], Pairs]) -> tuple[dict[str, Pairs], float]:
    """Predictions and documents per CPU-second of this process (the machine is shared, so
    wall time would measure the neighbours)."""
    fn(rows[0]["text"])  # load the model
    t = time.process_time()
    pred = {r["id"]: fn(r["text"]) for r in rows}
    return pred, len(rows) / (time.process_time() - t)


def cross_validate(rows: list[dict[str, Any]], folds: int, stacked: bool) -> tuple[
        dict[str, Pairs], float]:
    """Each document tagged by a CRF trained on the other folds (documents shuffled with
    a fixed seed)."""
    if stacked:
        rows = with_hints(rows)
    ids = [r["id"] for r in rows]
    random.Random(13).shuffle(ids)
    fold = {d: i % folds for i, d in enumerate(ids)}
    pred: dict[str, Pairs] = {}
    seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            train = [r for r in rows if fold[r["id"]] != k]
            out = Path(tmp) / f"fold{k}.crfsuite.gz"
            T.train(train, out, None)
            model = T.CRF(out, None)
            t = time.process_time()
            for r in rows:
                if fold[r["id"]] == k:
                    hints = E.natasha_spans(r["text"]) if stacked else None  # timed, too
                    spans = model.tag(r["text"], hints)
                    pred[r["id"]] = E.canonical([(s.text, M.TAG_TYPES[s.type]) for s in spans
                                                 if s.type in M.TAG_TYPES], "ru")
            seconds += time.process_time() - t
    return pred, len(rows) / seconds


def row(option: str, s: dict[str, Any], docs_s: float, note: str = "") -> dict[str, Any]:
    mb = install_mb(option)
    pt = s["per_type"]
    print(f"{option:22s} {s['precision']:.3f} {s['recall']:.3f} {s['f1']:.3f}   "
          + "  ".join(f"{t} {pt[t]['precision']:.2f}/{pt[t]['recall']:.2f}/{pt[t]['f1']:.2f}"
                      for t in ("PER", "ORG", "LOC"))
          + f"   {docs_s:7.1f}  {'' if mb is None else f'{mb:6.1f}'}  {note}", flush=True)
    return {"option": option, **s, "docs_per_s": round(docs_s, 1),
            "install_mb": None if mb is None else round(mb, 1), "note": note}


def _head() -> None:
    print(f"{'option':22s} P     R     F1      per type P/R/F1"
          f"{'':50s}docs/s  MB")


def spacy_available() -> bool:
    try:
        M.spacy_nlp()
    except Exception as e:  # noqa: BLE001
        print(f"(spacy unavailable: {e})")
        return False
    return True


def english(data: Path) -> list[dict[str, Any]]:
    dev = [r for r in load(data, "en") if r["id"].startswith("testa-")]
    n = sum(len(r["entities"]) for r in dev)
    print(f"## English: CoNLL-2003 testa (dev), {len(dev)} documents, {n} mentions; "
          "typed document-level scores")
    _head()
    out = []
    options = ["rules", "crf-en"] + (["spacy"] if spacy_available() else [])
    for option in options:
        pred, speed = run(dev, lambda text, o=option: names(text, o))
        note = "trained on CoNLL train-* only" if option == "crf-en" else ""
        out.append(row(option, score(dev, pred), speed, note))
    return out


def russian(data: Path, folds: int, skip_cv: bool) -> list[dict[str, Any]]:
    rows = load(data, "ru")
    n = sum(len(r["entities"]) for r in rows)
    print(f"\n## Russian: factRuEval-2016 dev file, {len(rows)} documents, {n} mentions; "
          "typed document-level scores")
    _head()
    out = []
    pred, speed = run(rows, lambda text: names(text, "rules-non-english"))
    out.append(row("rules", score(rows, pred), speed, "non-English mode"))
    if not E.natasha_available():
        print("(natasha not installed)")
    else:
        pred, speed = run(rows, lambda text: names(text, "natasha"))
        out.append(row("natasha", score(rows, pred), speed, "natasha 1.6 as shipped"))
    if skip_cv:
        return out
    pred, speed = cross_validate(rows, folds, stacked=False)
    out.append(row("crf-ru", score(rows, pred), speed, f"{folds}-fold CV by document"))
    if E.natasha_available():
        pred, speed = cross_validate(rows, folds, stacked=True)
        out.append(row("natasha+crf-ru", score(rows, pred), speed,
                       f"{folds}-fold CV by document"))
    return out


_FUNCTION_WORD = re.compile(
    r"^(?:The|A|An|In|On|At|Of|For|And|But|Or|To|By|As|It|He|She|They|We|This|That|His|Her"
    r"|Their|Its|Our|After|Before|When|While|If|Mr|Mrs|Ms)$")


def junk(names_: Pairs) -> int:
    return sum(1 for n, _ in names_ if n.split() and (_FUNCTION_WORD.match(n.split()[0])
                                                       or _FUNCTION_WORD.match(n.split()[-1])))


def speed(data: Path, n: int) -> list[dict[str, Any]]:
    texts = []
    with open(data / "summaries" / "bbc.jsonl", encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) >= n:
                break
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"\n## Speed and junk: {len(texts)} BBC News articles ({words:.0f} words on average), "
          "per CPU-second")
    out = []
    for option in ["rules", "crf-en"] + (["spacy"] if spacy_available() else []):
        names(texts[0], option)  # load the model
        t = time.process_time()
        got = [names(x, option) for x in texts]
        per_s = len(texts) / (time.process_time() - t)
        distinct = [sorted(set(g)) for g in got]
        bad = sum(junk(g) for g in distinct)
        total = sum(len(g) for g in distinct)
        print(f"{option:22s} {per_s:7.1f} articles/s  {total} names, {bad} begin or end with a "
              "capitalised function word")
        out.append({"option": option, "articles_per_s": round(per_s, 1), "names": total,
                    "function_word_names": bad})
    return out


def language(data: Path) -> dict[str, Any] | None:
    path = data / "similarity" / "semeval2022_train.csv"
    if not path.exists():
        return None
    seen: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            seen.setdefault(r["text1"], r["lang1"])
            seen.setdefault(r["text2"], r["lang2"])
    items = [(t, lang) for t, lang in seen.items() if t.strip()]
    detect_language(items[0][0])
    t0 = time.process_time()
    preds = [detect_language(t) for t, _ in items]
    ms = (time.process_time() - t0) / len(items) * 1000
    ok = sum(p == g for p, (_, g) in zip(preds, items, strict=True))
    langs = Counter(g for _, g in items)
    ok_t = sum(detect_language(t[:60]) == g for t, g in items)
    print(f"\n## Language: SemEval-2022 Task 8 sample, {len(items)} distinct texts, "
          f"{len(langs)} languages")
    print(f"py3langid accuracy {ok / len(items):.4f}, first 60 characters only "
          f"{ok_t / len(items):.4f}; {ms:.2f} ms/text")
    return {"texts": len(items), "accuracy": ok / len(items),
            "accuracy_60_chars": ok_t / len(items), "ms_per_text": ms}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--articles", type=int, default=300, help="BBC articles for the speed run")
    ap.add_argument("--skip-cv", action="store_true", help="leave out the Russian CRF folds")
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = ap.parse_args()
    results = {"english": english(args.data), "russian": russian(args.data, args.folds,
                                                                 args.skip_cv),
               "speed": speed(args.data, args.articles), "language": language(args.data)}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
