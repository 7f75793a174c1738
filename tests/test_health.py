"""The healthcheck tells the truth in both modes: polling (a heartbeat of getUpdates) and webhook (/healthz)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from bot.app import build_dispatcher
from bot.config import Settings
from bot.health import HEARTBEAT_MAX_AGE, Heartbeat, WebhookStatus, polling_health
from bot.healthcheck import check, loopback_url
from bot.runners import create_webhook_app, start_polling
from bot.telegram_liveness import install_heartbeat
from index.engine import Engine
from tests.conftest import SEED_DOCUMENTS, FakeEmbedder
from tests.fake_telegram import TOKEN, FakeTelegram

SECRET = "health-check-secret-0123"


def test_the_heartbeat_file_is_read_by_its_age(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat"
    assert polling_health(path, now=1000.0) == (
        False,
        "polling: no updates fetched from Telegram yet (starting, or Telegram unreachable)",
    )
    Heartbeat(path, clock=lambda: 1000.0).beat()
    assert polling_health(path, now=1030.0)[0]
    stale, line = polling_health(path, now=1000.0 + HEARTBEAT_MAX_AGE + 1)
    assert not stale and "121 s ago" in line
    path.write_text("{half a fi")
    assert not polling_health(path, now=1000.0)[0]


def test_a_heartbeat_left_by_an_earlier_process_does_not_count(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat"
    path.write_text(json.dumps({"at": time.time(), "pid": 1}))
    Heartbeat(path).reset()
    assert not polling_health(path, now=time.time())[0]


def test_console_mode_has_nothing_to_check() -> None:
    assert check(Settings(_env_file=None)) == (True, "console mode: no server to check")


async def test_polling_is_healthy_while_updates_arrive_and_not_once_telegram_is_gone(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    settings = Settings(_env_file=None, bot_token=TOKEN, telegram_api_url=fake.url,
                        documents_dir=SEED_DOCUMENTS, index_dir=tmp_path / "index",
                        heartbeat_file=tmp_path / "heartbeat")  # fmt: skip
    (tmp_path / "heartbeat").write_text(json.dumps({"at": time.time(), "pid": 1}))  # an earlier run's
    engine = Engine.from_settings(settings, embedder_factory=FakeEmbedder)
    await asyncio.to_thread(engine.ensure_index)
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.url)))
    dp = build_dispatcher(settings, engine)
    heartbeat = Heartbeat(settings.heartbeat_file)
    heartbeat.reset()  # as the bot does first thing
    install_heartbeat(bot, heartbeat)
    assert not check(settings)[0]
    polling = asyncio.create_task(start_polling(dp, bot, settings, handle_signals=False, polling_timeout=1))
    try:
        await fake.wait_for(lambda calls: settings.heartbeat_file.exists(), timeout=30)
        healthy, line = check(settings)
        assert healthy and line.startswith("polling: last updates fetched from Telegram")
        await fake.stop()  # Telegram unreachable: the heartbeat ages
        assert not check(settings, now=time.time() + HEARTBEAT_MAX_AGE + 1)[0]
    finally:
        with contextlib.suppress(RuntimeError):
            await dp.stop_polling()
        await asyncio.wait_for(polling, 30)
        await bot.session.close()


async def test_webhook_health_follows_registration(tmp_path: Path, unused_tcp_port: int) -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN, webhook_url="https://bot.example.org",
                        webhook_secret=SECRET, webhook_host="127.0.0.1", webhook_port=unused_tcp_port,
                        documents_dir=SEED_DOCUMENTS, index_dir=tmp_path / "index")  # fmt: skip
    assert loopback_url(settings) == f"http://127.0.0.1:{unused_tcp_port}/healthz"
    engine = Engine.from_settings(settings, embedder_factory=FakeEmbedder)
    await asyncio.to_thread(engine.ensure_index)
    status = WebhookStatus()
    bot = Bot(TOKEN, session=AiohttpSession())
    runner = web.AppRunner(create_webhook_app(build_dispatcher(settings, engine), bot, settings, status))
    unhealthy_while_down = await asyncio.to_thread(check, settings)  # no server yet
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    try:
        status.failed("Telegram Bot API unreachable (TelegramNetworkError)")
        starting = await asyncio.to_thread(check, settings)
        status.succeeded()
        healthy = await asyncio.to_thread(check, settings)
    finally:
        await runner.cleanup()
        await bot.session.close()
    assert not unhealthy_while_down[0] and "does not answer" in unhealthy_while_down[1]
    assert not starting[0] and "503" in starting[1] and "TelegramNetworkError" in starting[1]
    assert healthy[0] and '"webhook": "registered"' in healthy[1] and '"documents": 1' in healthy[1]
