"""Webhook secrets too weak to be secrets are refused at start-up; logs hide whole secret values and nothing else."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.config import Settings, describe_invalid_settings
from bot.logsafety import REDACTED, install_redaction, redact
from tests.fake_telegram import TOKEN

STRONG = "Xq3_v9-LmP0rT7sK2wYb"


@pytest.mark.parametrize("secret", ["x", "short-secret-15", "has spaces in it here", "ünïcödé-sëcrët-välüé", "a" * 257])
def test_weak_or_malformed_webhook_secrets_are_refused_without_showing_them(secret: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None, webhook_secret=secret)
    line = describe_invalid_settings(refused.value)
    assert line.startswith("Invalid setting: WEBHOOK_SECRET must be 16 to 256 characters of A-Z a-z 0-9 _ -")
    assert secret not in line and secret not in str(refused.value)


def test_telegram_secrets_of_16_to_256_characters_are_accepted_and_empty_means_unset() -> None:
    for secret in (STRONG[:16], STRONG, "A" * 256):
        assert Settings(_env_file=None, webhook_secret=secret).webhook_secret.get_secret_value() == secret
    assert Settings(_env_file=None, webhook_secret="").webhook_secret is None


def test_the_cli_says_which_setting_is_wrong_in_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", "hunter2")
    assert main(["ask", "Где пройдет 22-е заседание?"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "WEBHOOK_SECRET" in err and "7 characters" in err
    assert "hunter2" not in err and "Traceback" not in err


def test_only_whole_secret_values_are_redacted() -> None:
    secrets = [TOKEN, STRONG]
    bot_id, token_secret = TOKEN.split(":")
    lines = {
        f"POST https://api.telegram.org/bot{TOKEN}/getMe": f"POST https://api.telegram.org/bot{bot_id}:{REDACTED}/getMe",
        f"token={TOKEN}": f"token={REDACTED}",
        f"X-Telegram-Bot-Api-Secret-Token: {STRONG}": f"X-Telegram-Bot-Api-Secret-Token: {REDACTED}",
        f"'{STRONG}'": f"'{REDACTED}'",
        # The same characters inside a longer word are another value: left alone.
        f"id {STRONG}2 and x{token_secret}": f"id {STRONG}2 and x{token_secret}",
        "an ordinary line with x and e in it": "an ordinary line with x and e in it",
    }
    for line, expected in lines.items():
        assert redact(line, secrets) == expected


def test_the_log_keeps_its_words_when_a_secret_is_a_common_letter(caplog) -> None:
    """The failure this replaces: WEBHOOK_SECRET=x turned every "x" in the log into [redacted]."""
    logger = logging.getLogger("test.redaction")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    try:
        install_redaction([TOKEN, "x"], logger)
        record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "index: next export %s", ("x",), None)
        assert handler.format(record) == f"index: next export {REDACTED}"
    finally:
        logger.removeHandler(handler)
