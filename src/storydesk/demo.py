"""Load the bundled sample (fictional news, see sample/README.md) into a store.

    python -m storydesk.demo --db demo.db

Plain-text files carry no outlet of their own, so the sample's manifest
(``sample/gold.jsonl``) names the outlet of each file, as a user would with
``storydesk add --outlet NAME``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from storydesk import Desk

SAMPLE = Path(__file__).parent / "sample"


def sample_files() -> dict[str | None, list[str]]:
    """The sample's files grouped by the outlet to give them (None: read from the file)."""
    by_outlet: dict[str | None, list[str]] = defaultdict(list)
    seen = set()
    manifest = SAMPLE / "gold.jsonl"
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        file = row["file"].split("#", 1)[0]
        if file in seen:
            continue
        seen.add(file)
        outlet = row.get("outlet") if file.endswith(".txt") else None
        by_outlet[outlet].append(str(SAMPLE / file))
    return by_outlet


def load(db: str) -> None:
    with Desk(db) as desk:
        total = {"added": 0, "duplicates": 0, "failed": 0}
        for outlet, files in sample_files().items():
            report = desk.add(files, outlet=outlet)
            total["added"] += len(report.added)
            total["duplicates"] += len(report.duplicates)
            total["failed"] += len(report.failures)
            for f in report.failures:
                print(f"failed: {f.origin}: {f.reason}")
        print(f"sample: {total['added']} added, {total['duplicates']} duplicates, "
              f"{total['failed']} failed")
        stories = desk.stories(limit=None)
        for st in stories:  # summarised and compared now, so the reader's pages open at once
            desk.story_summary(st.id)
            if len(st.article_ids) > 1:
                desk.story_comparison(st.id)
        print(f"sample: {len(stories)} stories, summarised and compared")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="demo.db")
    load(ap.parse_args().db)


if __name__ == "__main__":
    main()
