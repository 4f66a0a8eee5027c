"""Pointing-back rules outside English (pointing.POINTING_BACK) and the summary's
note of the languages it has rules for. Every sentence here is made up for these tests."""

from __future__ import annotations

import pytest

from storydesk.services.summaries import ArticleSummary, StorySummary
from storydesk.summarize.multi import SummarySentence
from storydesk.summarize.readability import (
    needs_predecessor,
    opening_connective,
    opening_pronoun,
    quote_with_pronoun_speaker,
    readability_note,
    rules_language,
    summary_problems,
)

# One sentence per language that leans on the one before it, and the word that shows it.
LEANING = [
    ("de", "Dieser Plan der Stadtwerke scheiterte im Rat von Kellbach.", "dieser"),
    ("de", "Trotzdem blieb die Fähre nach Ormund am Montag im Hafen.", "trotzdem"),
    ("fr", "Elle a quitté la mairie de Vorlac mardi soir.", "elle"),
    ("fr", "Par ailleurs, le pont de Vorlac restera fermé jusqu'à jeudi.", "par ailleurs"),
    ("es", "Sin embargo, el puerto de Marvela no reabrió el lunes.", "sin embargo"),
    ("es", "Ella firmó el acuerdo con la cooperativa de Marvela.", "ella"),
    ("it", "Tuttavia il traghetto per Lussera è rimasto in porto.", "tuttavia"),
    ("pt", "No entanto, a ponte de Arvelo continua fechada.", "no entanto"),
    ("nl", "Daarom bleef de veerboot naar Ostrum dinsdag in de haven.", "daarom"),
    ("ru", "Тем не менее, их постоянно оскорбляют в порту Ветлуги.", "тем не менее"),
    ("ru", "Они закрыли порт Ветлуги во вторник.", "они"),
    ("pl", "Mimo to prom do Lusowa nie wypłynął we wtorek.", "mimo to"),
    ("tr", "Ancak Kervan limanındaki vinç salı günü yeniden çalıştı.", "ancak"),
]

# Sentences that read on their own: an article ("Das", "Die"), a time ("Diese Woche",
# "Esta semana"), an impersonal "Il y a", a name.
STANDING = [
    ("de", "Das Rathaus von Kellbach brannte in der Nacht zum Montag."),
    ("de", "Die Fähre nach Ormund fährt wieder."),
    ("de", "Diese Woche legte die Fähre nach Ormund zweimal an."),
    ("fr", "Il y a deux blessés au port de Vorlac."),
    ("es", "Esta semana el puerto de Marvela reabrió."),
    ("ru", "Порт Ветлуги закрыли во вторник."),
    ("tr", "Bu yıl Kervan limanına daha az gemi geldi."),
]


@pytest.mark.parametrize(("lang", "sentence", "word"), LEANING)
def test_pointing_back_words_by_language(lang: str, sentence: str, word: str) -> None:
    assert needs_predecessor(sentence, lang)
    assert word in (opening_pronoun(sentence, lang), opening_connective(sentence, lang))
    # A regional tag reads as its base language.
    assert needs_predecessor(sentence, f"{lang}-XX")


@pytest.mark.parametrize(("lang", "sentence"), STANDING)
def test_sentences_that_stand_alone(lang: str, sentence: str) -> None:
    assert not needs_predecessor(sentence, lang)


def test_quotation_with_a_pronoun_for_its_speaker() -> None:
    assert quote_with_pronoun_speaker("«Я прошу прощения у жителей», — сказал он.", "ru")
    assert not quote_with_pronoun_speaker("«Я прошу прощения», — сказал Гремин.", "ru")
    assert quote_with_pronoun_speaker("„Wir kommen wieder“, sagte er.", "de")
    assert quote_with_pronoun_speaker("« Nous reviendrons », a-t-il dit.", "fr")
    assert quote_with_pronoun_speaker('"Volveremos pronto", dijo él.', "es")
    assert needs_predecessor("«Я прошу прощения у жителей», — сказал он.", "ru")
    # Pro-drop: the speaker is in the verb, no pronoun to see.
    assert not quote_with_pronoun_speaker('"Volveremos pronto", dijo.', "es")


def test_no_rules_outside_the_lists() -> None:
    assert not needs_predecessor("他们随后关闭了港口。", "zh")
    assert not needs_predecessor("لكنهم أغلقوا الميناء.", "ar")
    assert rules_language("zh") is None and rules_language("ru-RU") == "ru"
    assert rules_language(None) == "en"
    assert readability_note(["ru", "ru"]) == "rules for ru"
    assert readability_note(["zh"]) == "no rules for zh"
    assert readability_note(["en", None, "zh", "ar"]) == "rules for en; no rules for ar, zh"


def test_summary_problems_in_russian() -> None:
    lead = ("Порт Ветлуги закрыли во вторник.", (1, 0))
    dangling = ("Тем не менее, их постоянно оскорбляют.", (2, 5))
    assert summary_problems([lead, dangling], language="ru")
    assert summary_problems([lead, ("Тем не менее, их оскорбляют.", (1, 1))],
                            language="ru") == []
    assert summary_problems([("«Я прошу прощения», — сказал он.", (2, 3))], language="ru")


def test_summary_json_says_which_rules_read_it() -> None:
    sents = [SummarySentence("港口周二关闭。", [(1, 0)], 1)]
    story = StorySummary(None, [1, 2], 2, sents, languages=["zh", "ru"]).to_dict()
    assert story["readability"] == "rules for ru; no rules for zh"
    art = ArticleSummary(1, "港口", sents, languages=["zh"]).to_dict()
    assert art["readability"] == "no rules for zh"
    # A summary kept before the languages were recorded has none: no field.
    assert "readability" not in ArticleSummary(1, "港口", sents).to_dict()
