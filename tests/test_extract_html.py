"""extract_html on hand-written fictional pages, and the benchmark's scorer on tiny cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from storydesk.extract.html import HtmlArticle, HtmlSettings, extract_html

FIXTURES = Path(__file__).parent / "fixtures" / "html"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import extraction as bench  # noqa: E402

BODY = [
    "The harbour town of Pellmoor opened a floating library on Tuesday",
    "The ferry, renamed Inkwell, carries about nine thousand books",
    "“People on the outer islands have waited years for a proper library,”",
    "volunteers from the sailing club have agreed to crew the vessel on weekends.",
    "Critics on the council warned that fuel prices could make the service hard",
]
CHROME = [
    "cookies",
    "Accept all",
    "Home",
    "Sport",
    "Weather",
    "Share on Facebook",
    "Share this article",
    "Read more",
    "Related articles",
    "Lighthouse keeper retires",
    "Most popular",
    "Fishing quotas",
    "All rights reserved",
    "adSlots",
    "tracking pixel",
    "Marta Quillon",  # the byline belongs in `author`, not in the text
]


def _page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article() -> HtmlArticle:
    return extract_html(_page("news_article.html"), "https://coastal-ledger.example/x")


def test_metadata(article: HtmlArticle) -> None:
    assert article.title == "Harbour town opens floating library"
    assert article.date == "2024-04-16"
    assert article.date_source == "html"
    assert article.author == "Marta Quillon"
    assert article.sitename == "The Coastal Ledger"
    assert article.language == "en"
    assert article.description == "A converted ferry now lends books to island villages."


def test_body_kept_in_order_with_paragraph_breaks(article: HtmlArticle) -> None:
    positions = [article.text.find(s) for s in BODY]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)
    assert len(article.text.split("\n\n")) == len(BODY)


@pytest.mark.parametrize("chrome", CHROME)
def test_chrome_dropped(article: HtmlArticle, chrome: str) -> None:
    assert chrome not in article.text


def test_headline_not_repeated_in_text(article: HtmlArticle) -> None:
    assert not article.text.startswith("Harbour town opens floating library")


def test_chrome_line_rule_is_what_drops_read_more() -> None:
    loose = extract_html(_page("news_article.html"), settings=HtmlSettings(drop_chrome_lines=False))
    assert "Read more: Pellmoor council approves new sea wall" in loose.text


def test_bytes_give_the_same_article(article: HtmlArticle) -> None:
    raw = (FIXTURES / "news_article.html").read_bytes()
    from_bytes = extract_html(raw)
    assert from_bytes.text == article.text
    assert "“People" in from_bytes.text  # decoded as UTF-8, not mojibake


def test_malformed_page() -> None:
    page = extract_html(_page("malformed.html"))
    assert page.title == "Bergdorf bekommt eine neue Seilbahn"
    assert page.language == "de"
    assert page.sitename == "Alpenbote"
    assert page.author == "Jonas Feldmaier"
    assert page.date == "2023-02-03"
    starts = ("Das Bergdorf Hinterstein", "Die alte Sesselbahn", "Bürgermeisterin", "Naturschützer")
    for start in starts:
        assert start in page.text
    assert "nicht mehr sicher genug" in page.text
    assert "Die Bauarbeiten sollen im Mai beginnen" in page.text
    assert "&amp;" not in page.text and "&#x26;" not in page.text


def test_body_split_over_containers_is_joined() -> None:
    page = extract_html(_page("split_body.html"))
    assert page.language == "fr"
    assert page.sitename == "Le Courrier du Delta"
    assert page.date == "2022-09-08"
    paragraphs = page.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("La ligne de tramway")
    assert paragraphs[3].startswith("Selon la métropole")
    assert "Publicité" not in page.text
    unjoined = extract_html(_page("split_body.html"), settings=HtmlSettings(join_split_body=False))
    assert len(unjoined.text.split("\n\n")) < 4


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "   \n ",
        "<html><head><title>Nothing</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        b"\x00\x01\x02\xff",
    ],
)
def test_empty_pages_raise_value_error(html: str | bytes) -> None:
    with pytest.raises(ValueError) as err:
        extract_html(html)
    reason = str(err.value)
    assert reason and "\n" not in reason and len(reason) < 60


def test_deeply_nested_markup_does_not_crash() -> None:
    para = "<p>" + "A sentence about the river crossing and the new bridge toll. " * 6 + "</p>"
    html = "<html><body>" + "<div>" * 5000 + para * 4 + "</div>" * 5000 + "</body></html>"
    try:
        page = extract_html(html)
    except ValueError:
        return  # a clear "no text" is fine; any other exception is not
    assert "river crossing" in page.text


def test_garbage_never_raises_other_errors() -> None:
    junk = ["<<<>>>", "<p>unclosed", "<html><body><p>" + "x" * 10, "<?xml version='1.0'?><a/>"]
    for html in junk:
        try:
            extract_html(html)
        except ValueError:
            pass


# --- the benchmark's metric ---------------------------------------------------


def test_metric_single_page() -> None:
    gold = "one two three four five six"  # shingles: 1234 2345 3456
    pred = "one two three four five seven"  # shingles: 1234 2345 3457
    assert bench.match_counts(gold, pred) == (2, 1, 1)
    assert bench.page_scores(gold, pred) == (2 / 3, 2 / 3)
    # case counts, punctuation does not; a short text is one shingle
    assert bench.match_counts("A b, c. d", "a b c d") == (0, 1, 1)
    assert bench.match_counts("A b, c. d", "A b c d!") == (1, 0, 0)
    assert bench.shingles("x y") == {("x", "y"): 1}
    # multisets: a repeated shingle is counted as many times as it occurs
    assert bench.match_counts("a b c d a b c d", "a b c d") == (1, 0, 4)


def test_metric_means_and_f1() -> None:
    gold = {"p1": "one two three four five six", "p2": "w x y z"}
    pred = {"p1": "one two three four five seven", "p2": ""}
    m = bench.evaluate(gold, pred)
    # p2 has no output: left out of the precision mean, counts 0 in the recall mean
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx((2 / 3 + 0) / 2)
    p, r = 2 / 3, 1 / 3
    assert m["f1"] == pytest.approx(2 * p * r / (p + r))
    assert bench.evaluate(gold, {"p1": gold["p1"], "p2": gold["p2"]})["f1"] == 1.0
