"""Interface strings: every language speaks every message, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bot.texts import ADMIN_COMMANDS, COMMANDS, LANGUAGES, texts_for


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_language_has_every_message_with_the_same_placeholders(language: str) -> None:
    russian = LANGUAGES["ru"]
    strings = LANGUAGES[language]
    assert set(strings) == set(russian)
    for key, template in russian.items():
        assert placeholders(strings[key]) == placeholders(template), key
    assert {c for c, _ in COMMANDS[language]} == {c for c, _ in COMMANDS["ru"]}
    assert {c for c, _ in ADMIN_COMMANDS[language]} == {c for c, _ in ADMIN_COMMANDS["ru"]}


@pytest.mark.parametrize(
    ("code", "expected"), [("kk", "kk"), ("az", "az"), ("en-US", "en"), ("ru", "ru"), (None, "ru"), ("uz", "ru")]
)
def test_telegram_language_code_picks_the_interface_language(code: str | None, expected: str) -> None:
    t = texts_for(code)
    assert t.language == expected
    assert t("not_found") == LANGUAGES[expected]["not_found"]


def test_kazakh_and_azerbaijani_staff_are_not_answered_in_russian() -> None:
    assert texts_for("kk")("not_found") != texts_for("ru")("not_found")
    assert texts_for("az")("not_found") != texts_for("ru")("not_found")
