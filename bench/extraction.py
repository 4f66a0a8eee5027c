"""Article body extraction on the scrapinghub article-extraction benchmark.

    .venv/bin/python bench/extraction.py [--data ../shared/data/extraction/scrapinghub] [--json]

181 real article pages (``html/<id>.html.gz``) with hand-made gold bodies
(``ground-truth.json``) and the stored outputs of other extractors
(``output/<tool>.json``), from scrapinghub/article-extraction-benchmark (MIT).

The metric is the benchmark's own, as its README and evaluate.py describe it:
tokens are ``\\w+`` matches (case kept), each text is a multiset of 4-token
shingles, and each page gets precision and recall of the predicted shingles
against the gold ones. Precision is averaged over the pages with some output,
recall over the pages with a gold body, and F1 is taken of the two means.

Every stored output is scored here with the same code, in the same run, next
to two live runs: plain trafilatura (``extract(html, include_comments=False)``,
as the benchmark runs it) and storydesk's ``extract_html``. pages/s is one
process on one core, for the live runs only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

_TOKEN = re.compile(r"\w+")
SHINGLE = 4

# --- the metric --------------------------------------------------------------


def tokenize(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The multiset of n-token shingles; a text shorter than n is one shingle."""
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def match_counts(gold: str | None, pred: str | None) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of one page's shingles."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp


def page_scores(gold: str | None, pred: str | None) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where it is undefined (nothing to divide)."""
    tp, fp, fn = match_counts(gold, pred)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def evaluate(gold: Mapping[str, str], pred: Mapping[str, str | None]) -> dict[str, float]:
    """Mean precision (pages with output), mean recall (pages with gold), F1 of the means."""
    precisions: list[float] = []
    recalls: list[float] = []
    for key, gold_text in gold.items():
        p, r = page_scores(gold_text, pred.get(key))
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pages": len(gold)}


# --- data --------------------------------------------------------------------


def default_data() -> Path:
    return ROOT.parent / "shared" / "data" / "extraction" / "scrapinghub"


def load_gold(data: Path) -> dict[str, str]:
    with open(data / "ground-truth.json", encoding="utf-8") as fh:
        raw = json.load(fh)
    return {key: item.get("articleBody") or "" for key, item in raw.items()}


def load_stored(path: Path) -> dict[str, str]:
    """One tool's stored output; files are ``{id: {...}}`` or ``{"output": {id: {...}}}``."""
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    items = raw["output"] if isinstance(raw.get("output"), dict) else raw
    return {
        key: (item.get("articleBody") if isinstance(item, dict) else item) or ""
        for key, item in items.items()
    }


def load_pages(data: Path, keys: Iterable[str]) -> dict[str, bytes]:
    pages = {}
    for key in keys:
        with gzip.open(data / "html" / f"{key}.html.gz") as fh:
            pages[key] = fh.read()
    return pages


# --- live runs ---------------------------------------------------------------


def run_trafilatura(html: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False) or ""


def run_storydesk(html: bytes, url: str | None) -> str:
    from storydesk.extract.html import extract_html

    try:
        return extract_html(html.decode("utf-8", "replace"), url).text
    except ValueError:
        return ""


def run_live(
    fn: Callable[[bytes, str | None], str], pages: Mapping[str, bytes], urls: Mapping[str, str]
) -> tuple[dict[str, str], float]:
    fn(next(iter(pages.values())), None)  # warm up imports and caches
    out: dict[str, str] = {}
    start = time.process_time()
    for key, html in pages.items():
        out[key] = fn(html, urls.get(key))
    elapsed = time.process_time() - start
    return out, len(pages) / elapsed if elapsed else float("inf")


LIVE: dict[str, Callable[[bytes, str | None], str]] = {
    "trafilatura 2.3.1 (live)": run_trafilatura,
    "storydesk extract_html (live)": run_storydesk,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)

    import logging
    import warnings

    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore")

    data: Path = args.data
    gold = load_gold(data)
    with open(data / "ground-truth.json", encoding="utf-8") as fh:
        urls = {k: v.get("url") or "" for k, v in json.load(fh).items()}
    pages = load_pages(data, gold)

    rows: list[dict[str, Any]] = []
    for name, fn in LIVE.items():
        pred, speed = run_live(fn, pages, urls)
        rows.append({"tool": name, **evaluate(gold, pred), "pages_per_s": speed})
    for path in sorted((data / "output").glob("*.json")):
        rows.append({"tool": path.stem, **evaluate(gold, load_stored(path)), "pages_per_s": None})
    rows.sort(key=lambda r: -r["f1"])

    if args.json:
        print(json.dumps({"data": str(data), "pages": len(gold), "rows": rows}, indent=2))
        return 0
    print(f"scrapinghub article-extraction benchmark: {len(gold)} pages ({data})")
    print(f"{'tool':<32} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}")
    for r in rows:
        speed = f"{r['pages_per_s']:.1f}" if r["pages_per_s"] else "-"
        print(
            f"{r['tool']:<32} {r['precision']:>9.3f} {r['recall']:>7.3f} {r['f1']:>6.3f} {speed:>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
