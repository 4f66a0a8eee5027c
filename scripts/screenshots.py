"""Screenshots of the web reader for docs/web.md, taken in Debian's chromium (headless,
driven by Playwright) against the bundled sample, loaded as `make demo` loads it.

    .venv/bin/python scripts/screenshots.py [--out docs/img] [--db demo.db]

Without --db the sample is loaded into a temporary store. Pages are 1200 px wide
(the story page's comparison also 390 px, a phone); tall pages are cut at
--max-height px. Colours are reduced with Pillow when it is installed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk import Desk  # noqa: E402
from storydesk.demo import load  # noqa: E402
from storydesk.web import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]
DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}


@contextmanager
def serving(db: str) -> Iterator[str]:
    """The reader over ``db`` on a free port of 127.0.0.1, in a thread of this process."""
    config = uvicorn.Config(create_app(db, token=""), host="127.0.0.1", port=0,
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the reader did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def pick_story(db: str) -> tuple[int, int]:
    """A story worth showing (shared facts and contradictions, most articles) and its
    first article."""
    with Desk(db) as desk:
        best: tuple[tuple[int, int, int], int, int] | None = None
        for st in desk.stories(limit=None):
            if len(st.article_ids) < 2:
                continue
            c = desk.story_comparison(st.id)["comparison"]  # type: ignore[index]
            key = (min(len(c["shared"]), 1) + min(len(c["contradictions"]), 1),
                   len(st.article_ids), -st.id)
            if best is None or key > best[0]:
                best = (key, st.id, st.article_ids[0])
    if best is None:
        raise SystemExit("no story of two or more articles in the store")
    return best[1], best[2]


def shoot(base: str, out: Path, story_id: int, article_id: int, max_height: int) -> list[Path]:
    """Each page as a PNG in ``out``; returns the files."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots = [  # name, viewport, path, part of the page shown (CSS selector; None: the top)
        ("front", DESKTOP, "/", None),
        ("story", DESKTOP, f"/stories/{story_id}", None),
        ("story-compare", DESKTOP, f"/stories/{story_id}", "section.compare"),
        ("story-phone", PHONE, f"/stories/{story_id}", "section.compare"),
        ("article", DESKTOP, f"/articles/{article_id}", None),
        ("search", DESKTOP, "/search?q=earthquake", None),
        ("sources", DESKTOP, "/sources", None),
    ]
    saved: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def save(page: Any, name: str, selector: str | None) -> None:
            width = page.viewport_size["width"]
            top, height = 0.0, page.evaluate("() => document.documentElement.scrollHeight")
            if selector:
                box = page.locator(selector).bounding_box()
                top, height = max(box["y"] - 8, 0), box["height"] + 16
            path = out / f"{name}.png"
            page.screenshot(path=str(path), full_page=True, clip={
                "x": 0, "y": top, "width": width, "height": min(height, max_height)})
            _shrink(path)
            saved.append(path)

        for name, viewport, path, selector in shots:
            ctx = browser.new_context(viewport=viewport, color_scheme="light")
            page = ctx.new_page()
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            save(page, name, selector)
            if name == "article":  # "No time to read? Get a summary", shown in place
                page.click("a.get-summary")
                page.wait_for_selector(".summary-box li")
                save(page, "article-summary", None)
            ctx.close()
        browser.close()
    return saved


def _shrink(path: Path) -> None:
    """Fewer colours (text and flat colours lose nothing visible): about a third the size."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is optional here
        return
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=128)
    small.save(path, optimize=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    ap.add_argument("--db", help="a store to show (default: the sample, loaded now)")
    ap.add_argument("--max-height", type=int, default=1800)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = str(Path(tmp) / "sample.db")
            load(db)
        story_id, article_id = pick_story(db)
        with serving(db) as base:
            for path in shoot(base, args.out, story_id, article_id, args.max_height):
                print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                      f"{path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
