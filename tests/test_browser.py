"""The web reader in a real browser: Debian's chromium, headless, driven by Playwright,
against `storydesk serve` started as a user starts it, on 127.0.0.1.

Screenshots are kept in test-artifacts/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from httpserver import free_port, wait_for_server

from storydesk.demo import load

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Flags for a closed network and a root user (see chromium's own --help).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

sync_api = pytest.importorskip("playwright.sync_api", reason="make test installs playwright")
if not os.path.exists(CHROMIUM):  # pragma: no cover - make test installs it
    pytest.skip("chromium is not installed (make test installs it)", allow_module_level=True)

# Fictional hostile article: markup in the title and text must show as text, never run.
HOSTILE = {
    "title": "Harbour <script>window.__pwned = 'title'</script> notice",
    "text": (
        "The harbour office of Lowgate posted a notice on Friday about berth repairs.\n\n"
        "<script>window.__pwned = 'text'</script> The notice <img src=x "
        "onerror=\"window.__pwned = 'img'\"> listed three berths that will close next week.\n\n"
        "Skippers were told to <a href=\"javascript:window.__pwned='link'\">read the plan</a> "
        "before sailing."
    ),
    "outlet": "Lowgate Ledger",
    "date": "2026-03-27",
    "url": "https://lowgate-ledger.example/harbour-notice",
}


@contextmanager
def serve(db: str, *add: Path) -> Iterator[str]:
    """``storydesk add`` each path into ``db``, then ``storydesk serve`` it on 127.0.0.1;
    yields the base URL."""
    exe = str(Path(sys.executable).parent / "storydesk")
    env = {**os.environ, "STORYDESK_DB": db}
    for path in add:
        subprocess.run([exe, "add", str(path)], check=True, env=env, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(proc, base + "/")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    db = str(tmp / "reader.db")
    load(db)
    hostile = tmp / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    with serve(db, hostile) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    ctx.close()
    assert errors == []


def test_article_list_opens_an_article(server: str, page) -> None:
    page.goto(server + "/articles")
    assert "storydesk" in page.title()
    first = page.locator("main a[href^='/articles/']").first
    title = first.inner_text().strip()
    assert title
    first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url
    assert page.locator("h1").first.inner_text().strip() == title


def test_search_highlights_matches(server: str, page) -> None:
    page.goto(server + "/")
    page.fill("input[name=q]", "earthquake")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "/search" in page.url
    assert page.locator("mark").count() > 0
    assert "earthquake" in page.locator("mark").first.inner_text().lower()


def test_hostile_article_content_does_not_run(server: str, page) -> None:
    page.goto(server + "/search?q=berths")
    page.locator("main a[href^='/articles/']").first.click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "<script>window.__pwned = 'text'</script>" in body  # shown as text
    assert "onerror=" in body
    link = page.locator("main a", has_text="read the plan")
    assert link.count() == 0  # article markup is never rendered as a link
    assert page.evaluate("() => window.__pwned === undefined")
    page.goto(server + "/")
    assert page.evaluate("() => window.__pwned === undefined")


def test_story_page_then_summary_in_place_then_next_and_previous(server: str, page) -> None:
    page.goto(server + "/")
    several = page.locator(".story-item", has_text=re.compile(r"\b[2-9]\d* articles"))
    several.first.locator("a[href^='/stories/']").click()
    page.wait_for_load_state()
    assert "/stories/" in page.url
    assert page.locator(".summary-sentences li").count() > 0
    page.locator(".members a.item-title").first.click()
    page.wait_for_load_state()
    article_url = page.url
    assert "/articles/" in article_url
    page.click("a.get-summary")
    page.wait_for_selector(".summary-box li")
    assert page.url == article_url  # shown in place, no navigation
    assert 1 <= page.locator(".summary-box li").count() <= 3
    ref = page.locator(".summary-box a.ref").first.get_attribute("href")
    assert ref and page.locator(ref).count() == 1  # the cited sentence is on the page
    nxt = page.locator("a[rel=next]")
    assert "next article" in nxt.inner_text().lower()  # CSS shows it in capitals
    nxt.click()
    page.wait_for_load_state()
    assert page.url != article_url
    page.locator("a[rel=prev]").click()
    page.wait_for_load_state()
    assert page.url == article_url


def _story_with_shared_fact_and_contradiction(server: str) -> int:
    for st in httpx.get(server + "/api/stories", params={"limit": 200}).json()["items"]:
        if len(st["article_ids"]) > 2:
            c = httpx.get(f"{server}/api/stories/{st['id']}/comparison").json()["comparison"]
            if c["shared"] and c["contradictions"]:
                return st["id"]
    raise AssertionError("no story with a shared fact and a contradiction")


def test_story_page_sets_the_outlets_side_by_side(server: str, page) -> None:
    sid = _story_with_shared_fact_and_contradiction(server)
    n = len(httpx.get(f"{server}/api/stories/{sid}").json()["article_ids"])
    page.goto(f"{server}/stories/{sid}")
    compare = page.locator("section.compare")
    assert compare.is_visible()
    assert compare.locator("ul.shared li").count() >= 1  # facts all share
    columns = compare.locator("section.column")
    assert columns.count() == n
    boxes = [columns.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]  # side by side
    assert "only here" in columns.first.inner_text().lower()  # CSS shows it in capitals
    first = compare.locator("ul.contradictions > li").first
    sides = first.locator(".side")
    assert sides.count() >= 2 and sides.nth(0).locator("mark").count() == 1
    a, b = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert a["y"] == b["y"] and a["x"] < b["x"]  # both sides next to each other
    value = sides.nth(1).locator("strong.value").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: columns stack
    boxes = [columns.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["x"] == boxes[1]["x"] and boxes[0]["y"] < boxes[1]["y"]
    link = sides.nth(1).locator("a.ref").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(href)
    sentence = page.locator("#" + href.split("#", 1)[1])
    assert value in sentence.inner_text()  # the sentence that states that side


def test_summary_link_works_without_javascript(server: str, browser) -> None:
    ctx = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    pg = ctx.new_page()
    pg.goto(server + "/articles/1")
    pg.click("a.get-summary")
    pg.wait_for_load_state()
    assert pg.url.endswith("/articles/1/summary")
    assert pg.locator(".summary-sentences li").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "summary_page_without_javascript.png"), full_page=True)
    ctx.close()


@pytest.mark.parametrize("width", [1200, 390])
def test_sources_page_reads_as_a_table_not_a_column_of_words(server: str, browser,
                                                            width: int) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    pg = ctx.new_page()
    pg.goto(server + "/sources")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"sources-{width}.png"), full_page=True)
    cells = pg.locator("table.sources td.cites")
    assert cells.count() >= 5
    line = float(pg.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)"))
    for i in range(cells.count()):
        cell = cells.nth(i)
        names = cell.locator(".cite")
        if names.count() == 0:
            continue
        box = cell.locator("span").first.bounding_box()
        assert box is not None
        # a cited source never breaks inside its name, and the cell never stacks one per line
        for j in range(names.count()):
            nb = names.nth(j).bounding_box()
            assert nb is not None and nb["height"] < 1.6 * line, names.nth(j).inner_text()
        if names.count() >= 2:
            assert box["height"] < names.count() * line * 0.9 or box["width"] > 200
    if width > 640:  # a phone shows each value under its label instead of a header row
        hb = pg.locator("table.sources th", has_text="Cites most").bounding_box()
        assert hb is not None and hb["height"] < 1.6 * line  # the heading on one line
    # the cited names lead to the stories that cite them
    pg.locator("table.sources td.cites a", has_text="Reuters").first.click()
    pg.wait_for_load_state()
    assert "cited=Reuters" in pg.url and "Stories citing Reuters" in pg.locator("h1").inner_text()
    ctx.close()


def test_front_page_filters_by_cited_source(server: str, page) -> None:
    page.goto(server + "/?outlet=TASS")  # TASS is cited in the sample, it publishes nothing
    assert "No stories match these filters" in page.locator("main").inner_text()
    page.locator("main a", has_text="cite TASS").click()
    page.wait_for_load_state()
    assert "cited=TASS" in page.url
    assert page.locator("h1").inner_text() == "Stories citing TASS"
    listed = page.locator("ol.stories li")
    assert listed.count() >= 1
    page.fill("input[name=cited]", "Reuters")
    page.locator("form.filters button").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Stories citing Reuters"
    assert "match" in page.locator("p.count").inner_text()


def test_search_syntax_and_no_match_in_the_page(server: str, page) -> None:
    page.goto(server + "/")
    page.fill("#q", "earthquake -Velmora")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    titles = page.locator("ol.items li .item-title").all_inner_texts()
    assert titles and not any("Velmora" in t for t in titles)
    page.fill("#q", "Lukashenk*")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert "No articles match “Lukashenk*”." in page.locator("main").inner_text()
    page.fill("#q", "-earthquake")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert "only excludes words" in page.locator("main").inner_text()
