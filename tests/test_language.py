from __future__ import annotations

import pytest

from storydesk.extract.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The government announced on Tuesday that it would raise taxes next year.", "en"),
        (
            "Die Regierung hat am Dienstag angekündigt, die Steuern im nächsten Jahr zu erhöhen.",
            "de",
        ),
        ("El gobierno anunció el martes que subirá los impuestos el próximo año.", "es"),
        ("Le gouvernement a annoncé mardi qu'il augmenterait les impôts l'an prochain.", "fr"),
        ("Правительство во вторник объявило, что в следующем году повысит налоги.", "ru"),
        ("政府周二宣布，明年将提高税收，以弥补预算赤字和公共债务。", "zh"),
    ],
)
def test_detects_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "   ", "ok", "12345 678", "Hi there"])
def test_too_little_text_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_only_two_letter_codes() -> None:
    code = detect_language("Wetin dey happen for Lagos today? Di people dey vex well well.")
    assert code is None or len(code) == 2
