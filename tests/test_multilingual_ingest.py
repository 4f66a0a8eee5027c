"""Ingest in other languages, through a real Desk on a SQLite file: Chinese articles are
counted and taken in, mojibake is repaired, dates and cited agencies are read in other
languages and scripts. The sample is fictional, written for these tests (with our own
translations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.desk import Desk
from storydesk.extract.citations import find_citations
from storydesk.extract.dates import parse_date

# Three clauses and no sentence-internal spaces: a "\w+" count sees only 3 words.
ZH = ("卡尔斯克港务局周一宣布港口在风暴过后重新开放并恢复全部货运服务，"
      "市长奥尔加布兰特表示渔船和货船将在本周内陆续返回港口，"
      "风暴使港口关闭了整整十二天并造成码头工人停工")


def _desk(tmp_path: Path) -> Desk:
    return Desk(str(tmp_path / "desk.db"))


def test_chinese_article_is_taken_in_with_a_word_count(tmp_path: Path) -> None:
    f = tmp_path / "zh.txt"
    f.write_text(f"卡尔斯克港重新开放\n\n{ZH}。\n", encoding="utf-8")
    desk = _desk(tmp_path)
    report = desk.add([str(f)])
    assert report.failures == [] and len(report.added) == 1
    art = desk.store.articles_by_ids(report.added, with_text=True)[0]
    assert art.language == "zh"
    assert art.word_count >= 30


def test_mojibake_is_repaired_at_ingest(tmp_path: Path) -> None:
    f = tmp_path / "tr.txt"
    body = ("Karsk limanÄ± pazartesi gÃ¼nÃ¼ yeniden aÃ§Ä±ldÄ±. Belediye BaÅŸkanÄ± Olga "
            "Brandt gemilerin bu hafta dÃ¶neceÄŸini sÃ¶yledi.")
    f.write_text(f"Karsk limanÄ± yeniden aÃ§Ä±ldÄ±\n\n{body}\n", encoding="utf-8")
    desk = _desk(tmp_path)
    report = desk.add([str(f)])
    art = desk.store.articles_by_ids(report.added, with_text=True)[0]
    assert art.title == "Karsk limanı yeniden açıldı"
    assert "pazartesi günü yeniden açıldı" in art.text and "Ã" not in art.text


@pytest.mark.parametrize("written, iso", [
    ("2 marca 2026", "2026-03-02"),
    ("2 Mart 2026", "2026-03-02"),
    ("2 maart 2026", "2026-03-02"),
    ("2 مارس 2026", "2026-03-02"),
    ("2026年3月2日", "2026-03-02"),
    ("2026년 3월 2일", "2026-03-02"),
    ("2. März 2026", "2026-03-02"),
    ("2 марта 2026", "2026-03-02"),
])
def test_dates_in_other_languages(written: str, iso: str) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize("sentence, cited", [
    ("Об этом сообщает ТАСС.", ["TASS"]),
    ("Как передает РИА Новости, порт открыт.", ["RIA Novosti"]),
    ("По данным агентства Интерфакс, порт открыт.", ["Interfax"]),
    ("据新华社报道，卡尔斯克港重新开放。", ["Xinhua"]),
    ("新华社卡尔斯克3月2日电 卡尔斯克港重新开放。", ["Xinhua"]),
    ("Anadolu Ajansı'nın haberine göre liman yeniden açıldı.", ["Anadolu"]),
    ("وذكرت وكالة الأناضول أن الميناء أعيد فتحه.", ["Anadolu"]),
    ("ذكرت وكالة رويترز أن الميناء أعيد فتحه.", ["Reuters"]),
    ("Wie die Nachrichtenagentur dpa berichtet, ist der Hafen offen.", ["dpa"]),
    ("Según informó la agencia EFE, el puerto reabrió.", ["EFE"]),
    ("selon l'AFP, le port a rouvert.", ["AFP"]),
])
def test_cited_agencies_in_other_languages_and_scripts(sentence: str, cited: list[str]) -> None:
    assert find_citations(sentence) == cited


@pytest.mark.parametrize("sentence", [
    "新华社是一家通讯社。",  # names the agency, attributes nothing to it
    "Die Zeitung Reuters",
    "Reuters journalists went home.",
])
def test_names_without_attribution_are_no_citations(sentence: str) -> None:
    assert find_citations(sentence) == []


def test_one_line_chinese_article_without_title_is_taken_in(tmp_path: Path) -> None:
    # A JSON row with the whole article on one line and no title: the line is body.
    import json

    f = tmp_path / "zh.jsonl"
    f.write_text(json.dumps({"text": ZH + "。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    desk = _desk(tmp_path)
    report = desk.add([str(f)])
    assert report.failures == [], report.failures
    art = desk.store.articles_by_ids(report.added, with_text=True)[0]
    assert art.text.startswith("卡尔斯克港务局") and art.word_count >= 30
    assert art.title.endswith("…") and ZH.startswith(art.title[:-1])  # cut from the lead


def test_coverage_in_another_script_joins_the_story_and_says_why(tmp_path: Path) -> None:
    import json

    from test_text import SAMPLE

    titles = {"en": "Mayor Olga Brandt: Karsk harbour reopens",
              "ru": "Мэр Ольга Брандт: порт Карска открыт"}
    f = tmp_path / "two.jsonl"
    f.write_text("".join(
        json.dumps({"title": t, "text": " ".join([SAMPLE[lang]] * 2), "date": "2026-03-02"},
                   ensure_ascii=False) + "\n" for lang, t in titles.items()), encoding="utf-8")
    desk = _desk(tmp_path)
    en, ru = desk.add([str(f)]).added
    assert desk.story_of(en) == desk.story_of(ru)
    story = desk.store.get_story(desk.story_of(ru))
    why = story.why[ru]
    assert why["reason"] == "joined" and "Brandt" in why["summary"]  # the name in Latin letters
