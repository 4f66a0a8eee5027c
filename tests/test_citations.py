"""Cited agencies and outlets (extract/citations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.extract.citations import canonical_names, find_citations, load_sources
from storydesk.extract.text import parse_plain_text

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def cited(name: str) -> list[str]:
    p = parse_plain_text((FIXTURES / name).read_text(encoding="utf-8"))
    return find_citations(f"{p.title}\n{p.text}")


def test_worked_example_names_both_agencies():
    assert cited("station_northwire.txt") == ["RIA Novosti"]
    # "Reuters journalists were not allowed ..." is a mention, not a second citation
    assert cited("station_eastern_monitor.txt") == ["Reuters", "Interfax"]


def test_datelines_and_credits():
    # "(Reuters) -", "Kremlin-backed RT said", "the Associated Press reported",
    # "/TASS/", "— AP"; but not "Xinhua-built", "Reuters Institute", "Michael
    # Bloomberg", "the National Guard", "AP photo", "AP exams"
    assert cited("datelines.txt") == ["Reuters", "RT", "AP", "TASS"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The complex was opened online. (Cited: RIA Novosti)", ["RIA Novosti"]),
        ("The figures were reported by TASS on Monday.", ["TASS"]),
        ("According to Reuters, the talks failed.", ["Reuters"]),
        ("A spokesman told the AP on Sunday.", ["AP"]),
        ("RIA Novosti reported that the station opened.", ["RIA Novosti"]),
        ("Reuters said the claim could not be verified.", ["Reuters"]),
        ("The ministry said so, citing Interfax.", ["Interfax"]),
        ("A Xinhua report said the ship had left.", ["Xinhua"]),
        ("PARIS (AFP) - The president said", ["AFP"]),
        ("MOSCOW (Reuters) - The Kremlin said", ["Reuters"]),
        ("The talks ended late on Sunday. — AP", ["AP"]),
        ("Agence France-Presse said on Monday that", ["AFP"]),
        ("The Associated Press reported it first.", ["AP"]),
        ("TASS and RIA Novosti reported the opening.", ["TASS", "RIA Novosti"]),
        ("It was first reported by the BBC and Al Jazeera.", ["BBC", "Al Jazeera"]),
        ("according to the Russian state news agency TASS, it opened", ["TASS"]),
        ("according to a report by The New York Times, he left", ["The New York Times"]),
        ("according to the Guardian, it rained", ["The Guardian"]),
        ("He said in an interview with CNN that he would.", ["CNN"]),
        ("Sources: TASS, Interfax", ["TASS", "Interfax"]),
        ("The RIA Novosti correspondent saw the ship.", ["RIA Novosti"]),
        ("China's Xinhua reported the launch.", ["Xinhua"]),
        ("BEIJING, Jan. 28 (Xinhua) -- The station", ["Xinhua"]),
        ("the officials told dpa.", ["dpa"]),
        ("сообщает ТАСС со ссылкой на пресс-службу", ["TASS"]),
        ("Interfax said, and later Reuters said, and Interfax said again.",
         ["Interfax", "Reuters"]),
    ],
)
def test_attribution_patterns(text, expected):
    assert find_citations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Reuters journalists were detained in the city.",
        "The cap was on the map; AP exams are hard. Happy people apply.",
        "Michael Bloomberg said he would run.",
        "according to the National Guard, troops arrived.",
        "according to the Australian government, it rained.",
        "The Times Square event drew crowds. The Sun rose and the sun set.",
        "Reuters/Ipsos poll results were mixed",
        "The RTX card and the APP store and CAPTAIN AP-NORC ran.",
        "A TASS-like agency was formed.",
    ],
)
def test_no_false_citations(text):
    assert find_citations(text) == []


def test_list_is_large_and_canonical():
    names = canonical_names()
    assert len(names) >= 150
    assert len(names) == len(set(names))
    for n in ("Reuters", "AP", "AFP", "TASS", "RIA Novosti", "Interfax", "Xinhua", "Kyodo",
              "Yonhap", "ANSA", "dpa", "EFE", "Anadolu", "PTI", "ANI", "IRNA", "BelTA",
              "Ukrinform", "UNIAN", "BBC", "CNN", "Al Jazeera", "The New York Times",
              "The Washington Post", "The Guardian", "Bloomberg", "Financial Times",
              "Le Monde", "Der Spiegel", "NHK", "CCTV", "Sputnik", "RT"):
        assert n in names, n
    kinds = {s.kind for s in load_sources()}
    assert kinds == {"agency", "outlet"}


def test_spellings_map_to_one_name():
    text = ("The Associated Press said. AP said. Associated Press said. RIA said. "
            "RIA-Novosti said. Agence France-Presse said. AFP said. ITAR-TASS said.")
    assert find_citations(text) == ["AP", "RIA Novosti", "AFP", "TASS"]


def test_dateline_credit_of_an_unlisted_outlet_and_known_names():
    assert find_citations("KARSK, Ostmark, March 2, 2026 (Meridian Wire) - A quake hit.") == [
        "Meridian Wire"]
    assert find_citations("VELGRAD, 16 February 2026 /VSA/ -- The ministry said.") == ["VSA"]
    assert find_citations("He (John) - no.") == []
    text = "Meridian Wire reported the quake, and Reuters said so too."
    assert find_citations(text) == ["Reuters"]
    assert find_citations(text, known=["Meridian Wire"]) == ["Meridian Wire", "Reuters"]


def test_giant_text_is_fast_enough():
    text = ("The ministry said the talks would go on, Reuters reported. " * 20_000)
    assert find_citations(text) == ["Reuters"]
