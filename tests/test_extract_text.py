"""Plain-text cleaning: title, date line, page chrome, paragraphs (extract/text.py,
extract/chrome.py, extract/dates.py), through their public functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.extract.chrome import line_key, strip_chrome
from storydesk.extract.dates import find_date_line, parse_date
from storydesk.extract.text import PlainText, normalise_whitespace, parse_plain_text

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def parse(name: str, **kw) -> PlainText:
    return parse_plain_text(load(name), **kw)


# --- the worked example: two outlets, one event -----------------------------------


def test_northwire_title_date_and_chrome():
    p = parse("station_northwire.txt")
    assert p.title == "Leaders open new wintering complex at Kestrel Ridge station"
    assert p.date == "2024-01-28"
    assert p.date_source == "line"
    assert p.text.startswith("The presidents of Norvania and Belaria on Sunday opened")
    assert p.text.endswith("buildings that date from 1957. (Cited: RIA Novosti)")
    assert p.text.count("\n\n") == 4  # five paragraphs
    for chrome in (
        "Get a summary", "Share", "Tweet", "Subscribe", "Advertisement", "Read more",
        "Facebook", "Previous Article", "Next Article", "All rights reserved", "Home >",
        "Menu", "date 2024",
    ):
        assert chrome not in p.text, chrome
    # the neighbouring headlines after Previous / Next Article go too
    assert "Grain exports" not in p.text
    assert "tram line" not in p.text
    assert p.lines_removed == 14


def test_eastern_monitor_with_outlet_boilerplate():
    def repeats(line: str) -> bool:  # what the store would say for this outlet
        return line_key(line) == "eastern monitor"

    p = parse("station_eastern_monitor.txt", is_boilerplate=repeats)
    assert p.title == "Talov joins Kessel for polar video call as arrests continue at home"
    assert p.date == "2024-01-28"
    assert "cookies" not in p.text.lower()
    assert "Photo:" not in p.text
    assert "Posted on" not in p.text
    assert "Sign up" not in p.text
    assert "Related articles" not in p.text
    assert "EU widens sanctions" not in p.text  # headlines under "Related articles"
    assert "Three journalists sentenced" not in p.text
    assert "Tags:" not in p.text
    assert p.text.endswith("Reuters journalists were not allowed to attend the event.")
    assert p.text.count("\n\n") == 3
    assert p.lines_removed == 9


def test_site_name_line_is_title_without_boilerplate_hook():
    # without the per-outlet hook the site name reads as the title: the hook matters
    p = parse("station_eastern_monitor.txt")
    assert p.title == "Eastern Monitor"


# --- titles and dates --------------------------------------------------------------


def test_inline_date_before_first_sentence_and_title_from_lead():
    p = parse("inline_date_no_title.txt")
    assert p.date == "2024-01-28"
    assert p.date_source == "line"
    assert p.text.startswith("Moscow, Jan 28 - A new wintering complex opened on Sunday")
    assert "date 2024" not in p.text
    # the dateline is left out of the title, which is cut to twelve words
    assert p.title == "A new wintering complex opened on Sunday at the Kestrel Ridge research…"


def test_hard_wrapped_text_is_joined_into_paragraphs():
    p = parse("wrapped_72.txt")
    assert p.title == "Ice-core team prepares first drilling season"
    assert p.date == "2024-01-28"
    paras = p.text.split("\n\n")
    assert len(paras) == 3
    assert paras[0].startswith(
        "The ice-core team at the Kestrel Ridge station will begin its first drilling season"
    )
    assert "\n" not in paras[1]
    assert "its long-range radio over the past year." in paras[1]
    assert "Date:" not in p.text


def test_one_paragraph_per_line_duplicate_title_and_date_lines():
    p = parse("one_line_paragraphs.txt")
    assert p.title == "Sanctions list grows as polar complex opens"
    assert p.date == "2024-01-28T10:15:00+00:00"
    assert p.text.split("\n\n") == [
        "The European Union on Sunday added 20 Belarian officials to its sanctions list.",
        "The officials include two deputy ministers and the head of the state television "
        "company.",
        "Belaria's foreign ministry called the move \"hostile\" and promised a response.",
    ]
    assert p.lines_removed == 1  # "Print"


def test_published_preferred_over_updated():
    p = parse_plain_text("Updated: 30 January 2024\nPublished: Jan. 28, 2024\nTitle here\n\n"
                         "Body text of the article goes on for a while here.")
    assert p.date == "2024-01-28"
    assert p.title == "Title here"
    assert "Updated" not in p.text and "Published" not in p.text


def test_byline_and_dateline_date():
    p = parse_plain_text(
        "Quake hits port city\nBy Nils Aaberg\n3 min read\n\n"
        "KARSK, Ostmark, March 2, 2026 (Meridian Wire) - A quake struck near the port city "
        "early on Monday, officials said.")
    assert p.title == "Quake hits port city"
    assert p.author == "Nils Aaberg"
    assert p.date == "2026-03-02"
    assert p.text.startswith("KARSK, Ostmark, March 2, 2026 (Meridian Wire) - A quake")


def test_author_line_with_published_label_and_time_before_date():
    p = parse_plain_text("Title of it\nElin Varga · Published 3 March 2026, 11:04\n\nBody.")
    assert p.date == "2026-03-03T11:04:00"
    assert p.text == "Body."
    assert parse_plain_text("Title\n08:12, 16.02.2026\n\nBody.").date == "2026-02-16T08:12:00"


def test_long_first_line_is_body():
    first = ("The new wintering complex at the Kestrel Ridge station opened on Sunday after "
             "two years of work by more than a hundred builders and engineers.")
    p = parse_plain_text(first + "\n\nSecond paragraph.")
    assert p.text.startswith(first)
    assert p.title == "The new wintering complex at the Kestrel Ridge station opened on Sunday…"


def test_body_sentence_starting_with_date_is_kept():
    text = ("Station opens\n\nOn January 28, 2024, the station opened its new complex.\n\n"
            "January 28, 2024 was the coldest day of the season at the station so far.")
    p = parse_plain_text(text)
    assert p.date is None
    assert "On January 28, 2024, the station" in p.text
    assert "January 28, 2024 was the coldest day" in p.text


# --- hostile input -----------------------------------------------------------------


def test_empty():
    p = parse("empty.txt")
    assert p == PlainText("", "", None, None, 0)
    assert parse_plain_text("") == p
    assert parse_plain_text("   \n\n \t\n") == p


def test_only_chrome():
    p = parse("only_chrome.txt")
    assert p.title == ""
    assert p.text == ""
    assert p.lines_removed == 15


def test_nul_bytes_and_control_characters():
    p = parse("nul_and_controls.txt")
    assert p.title == "Station opens new complex"
    assert "\x00" not in p.text and "\x07" not in p.text and "\x1b" not in p.text
    assert p.text == (
        "The new wintering complex at the Kestrel Ridge station opened on Sunday, "
        "according to Interfax.\n\nIt has room for 35 people.\n\n"  # form feed: a break
        "The old buildings will become a museum."
    )


def test_weird_unicode():
    p = parse("weird_unicode.txt")
    assert p.title == "Café talk at the pole"  # BOM, zero-width, RTL mark gone; NFC
    assert p.title[3] == "\u00e9"
    assert p.text == (
        "Scientists at the station met in the new café on Sunday to mark the opening of "
        "the wintering complex, Yonhap reported.\n\n"  # U+2028 is a line break
        "Teams from Norvania and Belaria attended."
    )
    assert "\r" not in p.text


def test_lone_surrogates_removed():
    p = parse_plain_text("Title\ud800 here\n\nSome body text\udfff that goes on.")
    assert p.title == "Title here"
    p.text.encode("utf-8")  # must not raise


def test_one_giant_line():
    sentence = "The expedition measured the ice again and found it thicker than last year. "
    raw = sentence * 20_000  # 1.5 MB, no line breaks
    p = parse_plain_text(raw)
    assert p.title == "The expedition measured the ice again and found it thicker than last…"
    assert len(p.text) == len(raw.strip())
    assert p.date is None


def test_many_short_lines_is_linear():
    raw = "\n".join(f"Line {i} of a very long list" for i in range(50_000))
    p = parse_plain_text(raw)
    assert p.title == "Line 0 of a very long list"


# --- chrome and dates as units -----------------------------------------------------


def test_strip_chrome_keeps_blank_lines_and_body():
    lines = ["Share", "", "Body line one.", "Next Article", "Other story headline", "",
             "Body line two.", "Sign up for our daily newsletter", "Advertisement"]
    assert strip_chrome(lines) == ["", "Body line one.", "", "Body line two."]


def test_strip_chrome_boilerplate_hook_never_gets_date_lines():
    seen: list[str] = []

    def hook(line: str) -> bool:
        seen.append(line)
        return True

    assert strip_chrome(["Published: January 28, 2024", "Some repeated line"], hook) == [
        "Published: January 28, 2024"
    ]


@pytest.mark.parametrize(
    "line",
    ["No time to read? Get a summary", "← Previous Article", "NEXT ARTICLE →",
     "Subscribe to our newsletter", "Tweet", "Read more: Another story", "Related:",
     "Advertisement", "This website uses cookies to improve your experience. Accept",
     "© 2024 Some Media Group. All rights reserved.", "Photo: Jana Roe / Reuters",
     "Facebook Twitter WhatsApp Email", "Home > World > Europe", "5 min read",
     "Tags: Antarctica, science", "Sign up", "Comments (12)"],
)
def test_chrome_lines(line):
    body = ("The expedition's ship left port on Sunday with supplies for the winter, and the "
            "crew expects to reach the station in about three weeks if the ice allows it.")
    assert strip_chrome([line, body]) == [body]


@pytest.mark.parametrize(
    "line",
    ["Share prices fell sharply on Monday.",
     "Officials urged residents to sign up for evacuation alerts before the storm.",
     "The next article of the treaty deals with fishing rights.",
     "Advertisements for the new station appeared across the city."],
)
def test_body_lines_are_not_chrome(line):
    assert strip_chrome([line]) == [line]


def test_line_key():
    assert line_key("  Share  on X (12) ") == line_key("share on x (3)") == "share on x 0"
    assert line_key("Read  MORE…") == "read more"


def test_normalise_whitespace():
    assert normalise_whitespace(" a \t b\n\nc  ") == "a b c"


@pytest.mark.parametrize(
    ("given", "iso"),
    [
        ("2024-01-28", "2024-01-28"),
        ("Sun, 28 Jan 2024 10:00:00 GMT", "2024-01-28T10:00:00+00:00"),
        ("Mon, 29 Jan 2024 08:00:00 +0300", "2024-01-29T08:00:00+03:00"),
        ("28 January 2024", "2024-01-28"),
        ("Jan. 28, 2024", "2024-01-28"),
        ("January 28, 2024 10:15 UTC", "2024-01-28T10:15:00+00:00"),
        ("Jan 28, 2024 at 3:05 p.m. EST", "2024-01-28T15:05:00-05:00"),
        ("2024-01-28T10:00:00.123Z", "2024-01-28T10:00:00+00:00"),
        ("Sunday, January 28th, 2024", "2024-01-28"),
        ("28.01.2024", "2024-01-28"),
        ("01/28/2024", "2024-01-28"),
        ("1706436000", "2024-01-28T10:00:00+00:00"),
        ("28 января 2024", "2024-01-28"),
    ],
)
def test_parse_date(given, iso):
    assert parse_date(given) == iso


@pytest.mark.parametrize(
    "given",
    ["", "garbage", "1850-01-01", "2999-01-01", "2024-02-30", "January 2024", "2024",
     "yesterday", "x" * 500],
)
def test_parse_date_rejects(given):
    assert parse_date(given) is None


def test_find_date_line():
    assert find_date_line("Title\ndate 2024-01-28\nBody text.") == (
        "2024-01-28", "Title\nBody text.")
    assert find_date_line("Date: 28 January 2024 Moscow - The long sentence goes on and on.") == (
        "2024-01-28", "Moscow - The long sentence goes on and on.")
    assert find_date_line("Title\nNo date here.") == (None, "Title\nNo date here.")


# (sentence, a site's notice?): notices in the languages of the labelled pages, glued to
# a headline too; news about cookies, personal data or data protection is none
NOTICES = [
    ("We use cookies to give you the best experience on our website.", True),
    ("Karsk Ferry Sinks Cookie Settings You can change your cookie settings at any time.",
     True),
    ("Wir verwenden auf unserer Webseite Cookies, um das Angebot zu verbessern.", True),
    ("Weitere Informationen finden Sie in unserer Datenschutzerklärung.", True),
    ("Szczegółowy opis przetwarzania danych można znaleźć w polityce prywatności.", True),
    ("Por favor revise nuestra Política de Privacidad.", True),
    ("Sitemizi kullanmaya devam ederek çerezleri kullanmamıza izin veriyorsunuz.", True),
    ("Мы используем файлы cookie, чтобы сайт работал лучше.", True),
    ("The Karsk bakery makes cookies and crackers for the whole region.", False),
    ("Spyware on the ferry's computers stole passengers' personal data.", False),
    ("Seit Beginn der DSGVO wurden in Karsk 22 Geldbußen verhängt.", False),
    ("The harbour board uses a website to post sailing times.", False),
]


@pytest.mark.parametrize(("sentence", "notice"), NOTICES)
def test_a_site_notice_about_cookies_or_personal_data(sentence: str, notice: bool) -> None:
    from storydesk.extract.chrome import is_site_notice, may_hold_notice

    assert is_site_notice(sentence) is notice
    if notice:
        assert may_hold_notice(sentence)
