"""Saved texts whose first line is their URL: how many are read right.

    .venv/bin/python bench/url_lines.py [--data ../shared/data/stories/ecbplus.jsonl] [--json]

ECB+ (Cybulska & Vossen 2014, via cltl/ECB-parser, CC-BY 3.0) rebuilds every "ecbplus"
text from tokens, its first line the page's URL with spaces around the punctuation
("http: / / www. foxnews. com / ..."). Each text with such a line is read as
``storydesk add`` reads a saved ``.txt`` (``build_article`` on a text document, nothing
stored) and counted: titles that are the URL, articles with a ``url``, with an outlet,
the title being the line after the URL, and the distinct hosts and outlets (one outlet
per registered domain, named from ``data/outlets.tsv``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.extract.article import build_article  # noqa: E402
from storydesk.models import IngestError, RawDocument  # noqa: E402

URL_FIRST = re.compile(r"\s*https?\s*:")


def measure(path: Path) -> dict[str, int]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    with_url = [r for r in rows if URL_FIRST.match(r["text"])]
    out = {"rows": len(rows), "url_line": len(with_url), "built": 0, "title_is_url": 0,
           "url_set": 0, "outlet_set": 0, "title_next_line": 0}
    hosts, outlets = set(), set()
    for r in with_url:
        try:
            a = build_article(RawDocument(origin=r["id"], kind="text", content=r["text"]))
        except IngestError:  # too little text once the URL line is gone
            continue
        lines = [ln.strip() for ln in r["text"].splitlines() if ln.strip()]
        out["built"] += 1
        out["title_is_url"] += a.title.lower().startswith("http")
        out["url_set"] += bool(a.url)
        out["outlet_set"] += bool(a.outlet)
        out["title_next_line"] += len(lines) > 1 and a.title.strip() == lines[1]
        if a.url:
            hosts.add(urlsplit(a.url).hostname)
        if a.outlet:
            outlets.add(a.outlet)
    out["hosts"], out["outlets"] = len(hosts), len(outlets)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path,
                    default=ROOT.parent / "shared" / "data" / "stories" / "ecbplus.jsonl")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    got = measure(args.data)
    if args.json:
        print(json.dumps(got))
        return
    for k, v in got.items():
        print(f"{k:>16}  {v}")


if __name__ == "__main__":
    main()
