"""Webhook mode: Telegram's secret header is required; nothing but the webhook and /healthz is served."""

from __future__ import annotations

import asyncio
import gc
import logging
from pathlib import Path

import pytest
from aiogram import Bot

from bot.app import build_dispatcher
from bot.config import Settings
from bot.runners import create_webhook_app
from bot.webhook import QuietRefusedUpdates
from index.engine import Engine
from tests.conftest import SEED_DOCUMENTS, FakeEmbedder
from tests.fake_telegram import TOKEN
from tests.test_bot_handlers import RecordingSession

SECRET = "webhook-SECRET-42"


def webhook_bot(tmp_path: Path) -> tuple[Settings, Bot, RecordingSession, object]:
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        webhook_url="https://bot.example.org",
        webhook_secret=SECRET,
        documents_dir=SEED_DOCUMENTS,
        index_dir=tmp_path / "index",
    )
    engine = Engine.from_settings(settings, embedder_factory=FakeEmbedder)
    engine.ensure_index()
    session = RecordingSession()
    bot = Bot(TOKEN, session=session)
    return settings, bot, session, build_dispatcher(settings, engine)


async def test_webhook_secret_is_checked(aiohttp_client, tmp_path: Path) -> None:
    settings, bot, session, dp = webhook_bot(tmp_path)
    client = await aiohttp_client(create_webhook_app(dp, bot, settings))
    update = {
        "update_id": 1,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
                    "from": {"id": 5, "is_bot": False, "first_name": "A"}, "text": "/help"},
    }  # fmt: skip
    path = settings.webhook_path

    missing = await client.post(path, json=update)
    wrong = await client.post(path, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
    assert missing.status == 401 and wrong.status == 401
    assert session.requests == []  # rejected requests reach no handler

    right = await client.post(path, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert right.status == 200

    health = await client.get("/healthz")
    assert health.status == 200 and (await health.json())["status"] == "ok"
    for probe in ("/documents/azerbaijan-kazakhstan-21st-session.ru.txt", "/var/index/CURRENT", "/", "/.env"):
        assert (await client.get(probe)).status == 404


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b'{"message": "hello"}', b"[1, 2]", b'{"update_id": "x", "message": 5}'],
    ids=["malformed", "not-utf8", "no-update-id", "a-list", "wrong-types"],
)
async def test_what_is_not_an_update_gets_400_and_one_log_line(aiohttp_client, tmp_path: Path, caplog, body) -> None:
    settings, bot, session, dp = webhook_bot(tmp_path)
    client = await aiohttp_client(create_webhook_app(dp, bot, settings))
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    with caplog.at_level(logging.INFO):
        response = await client.post(settings.webhook_path, data=body, headers=headers)
        await asyncio.sleep(0.1)
        gc.collect()  # a failed task nobody awaited is reported when it is collected
        await asyncio.sleep(0)
    assert response.status == 400
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1 and problems[0].exc_info is None
    assert "not a Telegram update" in problems[0].getMessage() and SECRET not in caplog.text
    assert "Traceback" not in caplog.text and "never retrieved" not in caplog.text
    assert session.requests == []


def test_the_access_log_leaves_refused_updates_to_the_handlers_one_line() -> None:
    quiet = QuietRefusedUpdates("/telegram/webhook")

    def access(line: str) -> logging.LogRecord:
        return logging.LogRecord("aiohttp.access", logging.INFO, __file__, 1, line, None, None)

    assert not quiet.filter(access('127.0.0.1 [x] "POST /telegram/webhook HTTP/1.1" 400 170 "-" "-"'))
    assert quiet.filter(access('127.0.0.1 [x] "POST /telegram/webhook HTTP/1.1" 200 160 "-" "-"'))
    assert quiet.filter(access('127.0.0.1 [x] "POST /other HTTP/1.1" 400 170 "-" "-"'))
