from __future__ import annotations

import pytest

from storydesk.extract.entities import extract_entities
from storydesk.models import Entity


def _types(ents: list[Entity]) -> dict[str, str]:
    return {e.name: e.type for e in ents}


def test_people_organisations_places_in_a_sentence() -> None:
    text = (
        "Prime Minister Anna Berglund of Finland met officials of the World Bank "
        "and the Baltic Shipping Agency in Helsinki on Monday."
    )
    t = _types(extract_entities(text))
    assert t["Anna Berglund"] == "person"
    assert t["Finland"] == "place"
    assert t["World Bank"] == "organisation"
    assert t["Baltic Shipping Agency"] == "organisation"
    assert t["Helsinki"] == "place"
    assert "Monday" not in t and "Prime Minister" not in t


def test_organisation_with_of_and_titles() -> None:
    text = "Dr. Karel Novak, who advises the Ministry of Health, spoke to Reuters in Prague."
    t = _types(extract_entities(text))
    assert t == {
        "Karel Novak": "person",
        "Ministry of Health": "organisation",
        "Reuters": "organisation",
        "Prague": "place",
    }


def test_surname_is_merged_into_full_name_and_counted() -> None:
    text = (
        "Vladimir Putin spoke by video link. Putin praised the expedition. "
        "Later Putin's spokesman, Dmitry Peskov, said the call went well."
    )
    ents = extract_entities(text)
    by_name = {e.name: e for e in ents}
    assert "Putin" not in by_name
    assert by_name["Vladimir Putin"].count == 3
    assert by_name["Vladimir Putin"].type == "person"
    assert ents[0].name == "Vladimir Putin"  # sorted by count first
    assert by_name["Dmitry Peskov"].type == "person"


def test_possessive_is_stripped_and_title_counts() -> None:
    ents = extract_entities("Kenya's central bank raised rates again.", title="Kenya acts")
    assert ents == [Entity(name="Kenya", type="place", count=2)]


def test_sentence_start_words_and_demonyms_are_not_entities() -> None:
    text = "Thousands marched on Tuesday. However, French and German officials stayed away."
    assert extract_entities(text) == []


def test_and_splits_names_but_not_organisation_names() -> None:
    t = _types(extract_entities("Amazon and Microsoft bid; Poland and Lithuania agreed."))
    assert t == {
        "Amazon": "organisation",
        "Microsoft": "organisation",
        "Poland": "place",
        "Lithuania": "place",
    }
    t = _types(extract_entities("The Securities and Investments Commission fined the firm."))
    assert t == {"Securities and Investments Commission": "organisation"}


def test_sorted_by_count_then_name() -> None:
    ents = extract_entities(
        "Oslo and Bergen. Oslo again. Bergen again. They also visited Stavanger."
    )
    got = [(e.name, e.count) for e in ents]
    assert got == [("Bergen", 2), ("Oslo", 2), ("Stavanger", 1)]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text(text: str) -> None:
    assert extract_entities(text) == []


def test_non_english_does_not_crash_and_keeps_known_places() -> None:
    de = "Der Bundeskanzler hat am Montag in Berlin mit Vertretern der Wirtschaft gesprochen."
    t = _types(extract_entities(de, language="de"))
    assert t.get("Berlin") == "place"
    assert "Bundeskanzler" not in t and "Wirtschaft" not in t
    zh = "新华社北京电 今天在北京会见了来访的领导人"
    assert isinstance(extract_entities(zh, language="zh"), list)
    assert isinstance(
        extract_entities("Москва, 5 июля. Путин встретился с Лукашенко.", language="ru"), list
    )


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError):
        extract_entities("Paris", method="nope")
