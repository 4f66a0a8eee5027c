"""Articles in other scripts in a real browser: Arabic reads right to left, Chinese
renders, each article's text carries its language (``lang``) and ``dir="auto"``.

The articles are the fictional multilingual sample of ``test_text`` (written for the
tests). Screenshots are kept in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import httpx
import pytest
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, serve
from test_text import SAMPLE

sync_api = pytest.importorskip("playwright.sync_api", reason="make test installs playwright")
if not os.path.exists(CHROMIUM):  # pragma: no cover - make test installs it
    pytest.skip("chromium is not installed (make test installs it)", allow_module_level=True)

TITLES = {
    "ar": "إعادة فتح ميناء كارسك",
    "zh": "卡尔斯克港重新开放",
    "en": "Karsk harbour reopens",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser-languages")
    db = str(tmp / "reader.db")
    rows = tmp / "sample.jsonl"
    with rows.open("w", encoding="utf-8") as f:
        for lang, title in TITLES.items():
            text = " ".join([SAMPLE[lang]] * 2)  # long enough to be an article
            f.write(json.dumps({"title": title, "text": text, "outlet": f"Karsk {lang}",
                                "date": "2026-03-02"}, ensure_ascii=False) + "\n")
    with serve(db, rows) as base:
        yield base


def _article_ids(base: str) -> dict[str, int]:
    listed = httpx.get(base + "/api/articles", params={"limit": 50}).json()
    items = listed["items"]
    return {a["language"]: a["id"] for a in items}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser: object, url: str, name: str) -> object:
    ctx = browser.new_context(viewport={"width": 1000, "height": 800})  # type: ignore[attr-defined]
    pg = ctx.new_page()
    pg.goto(url)
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return pg


def test_every_language_was_taken_in(server: str) -> None:
    assert set(_article_ids(server)) == {"ar", "zh", "en"}


def test_arabic_article_reads_right_to_left(server: str, browser: object) -> None:
    pg = _open(browser, f"{server}/articles/{_article_ids(server)['ar']}", "arabic_article")
    text = pg.locator("article.article .text")  # type: ignore[attr-defined]
    assert text.get_attribute("lang") == "ar"
    assert text.get_attribute("dir") == "auto"
    assert pg.locator("h1").get_attribute("lang") == "ar"  # type: ignore[attr-defined]
    # The desk's own words around it stay left to right.
    tools = pg.locator(".tools")  # type: ignore[attr-defined]
    assert tools.evaluate("e => getComputedStyle(e).direction") == "ltr"
    para = pg.locator("article.article .text p").first  # type: ignore[attr-defined]
    assert para.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # Right to left: the first sentence starts at the right edge of its paragraph.
    first = pg.locator("article.article .text .sentence").first  # type: ignore[attr-defined]
    box, pbox = first.bounding_box(), para.bounding_box()
    assert abs((box["x"] + box["width"]) - (pbox["x"] + pbox["width"])) < 30
    # Three sentences of the sample, each its own span ("؟" ends one).
    assert pg.locator("article.article .text .sentence").count() >= 4  # type: ignore[attr-defined]


def test_chinese_article_renders_its_sentences(server: str, browser: object) -> None:
    pg = _open(browser, f"{server}/articles/{_article_ids(server)['zh']}", "chinese_article")
    assert pg.locator("article.article .text").get_attribute("lang") == "zh"  # type: ignore[attr-defined]
    # No space between sentences in a script written without spaces.
    assert "。 " not in pg.locator("article.article .text p").first.inner_text()  # type: ignore[attr-defined]
    sents = pg.locator("article.article .text .sentence")  # type: ignore[attr-defined]
    assert sents.count() >= 3  # split at 。！
    assert sents.first.inner_text().endswith("。")
    assert sents.first.bounding_box()["width"] > 50  # laid out, not an empty box
    assert pg.locator("h1").inner_text() == TITLES["zh"]  # type: ignore[attr-defined]


def test_english_article_stays_left_to_right(server: str, browser: object) -> None:
    pg = _open(browser, f"{server}/articles/{_article_ids(server)['en']}", "english_article")
    para = pg.locator("article.article .text p").first  # type: ignore[attr-defined]
    assert para.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert pg.locator("article.article .text").get_attribute("lang") == "en"  # type: ignore[attr-defined]
