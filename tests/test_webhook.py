"""Webhook mode: Telegram's secret header is required; nothing but the webhook and /healthz is served."""

from __future__ import annotations

from pathlib import Path

from aiogram import Bot

from bot.app import build_dispatcher
from bot.config import Settings
from bot.runners import create_webhook_app
from index.engine import Engine
from tests.conftest import SEED_DOCUMENTS, FakeEmbedder
from tests.fake_telegram import TOKEN
from tests.test_bot_handlers import RecordingSession

SECRET = "webhook-SECRET-42"


async def test_webhook_secret_is_checked(aiohttp_client, tmp_path: Path) -> None:
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
    dp = build_dispatcher(settings, engine)
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
