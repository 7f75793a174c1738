"""Webhook mode with Telegram unreachable at start: the bot serves, says so on /healthz, and registers when it can."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramUnauthorizedError

from bot.health import WebhookStatus
from bot.telegram_liveness import Backoff, register_webhook
from tests.bot_harness import bot_process, sigterm
from tests.conftest import MODEL_CACHE, ROOT, SEED_DOCUMENTS
from tests.fake_telegram import TOKEN, FakeTelegram

SECRET = "webhook-start-secret-42"


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


async def wait_for_healthz(port: int, status: int, timeout: float, until=lambda body: True) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            code, body = await asyncio.to_thread(healthz, port)
            if code == status and until(body):
                return body
        except OSError:
            pass  # not listening yet
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"/healthz did not answer {status} within {timeout} s")
        await asyncio.sleep(0.3)


async def test_telegram_refusing_the_webhook_is_not_retried() -> None:
    fake = FakeTelegram()
    await fake.start()
    fake.faults["setWebhook"].append((401, {"description": "Unauthorized"}))
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.url)))
    status = WebhookStatus()
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await register_webhook(lambda: bot.set_webhook("https://bot.example.org/hook"), status, Backoff(0.01))
    finally:
        await bot.session.close()
        await fake.stop()
    assert status.attempts == 0 and not status.registered


async def test_the_bot_waits_out_telegram_being_unreachable_at_start(tmp_path: Path, unused_tcp_port: int) -> None:
    fake = FakeTelegram()
    await fake.start()
    await fake.stop()  # Telegram is down when the bot starts
    docs = tmp_path / "documents"
    shutil.copytree(SEED_DOCUMENTS, docs)
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.url,
        "WEBHOOK_URL": "https://bot.example.org",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(unused_tcp_port),
        "DOCUMENTS_DIR": str(docs),
        "INDEX_DIR": str(tmp_path / "index"),
        "MODEL_CACHE_DIR": str(MODEL_CACHE),
    }
    healthcheck = [sys.executable, "-m", "bot.healthcheck"]
    async with bot_process(env, fake) as process:
        starting = await wait_for_healthz(unused_tcp_port, 503, timeout=300, until=lambda body: body["attempts"] >= 1)
        assert starting["webhook"] == "not registered" and "unreachable" in starting["problem"]
        down = await asyncio.to_thread(subprocess.run, healthcheck, cwd=ROOT, env=env, capture_output=True, text=True)
        assert down.returncode == 1 and "503" in down.stdout

        await fake.start(fake.port)  # Telegram is back
        registered = await wait_for_healthz(unused_tcp_port, 200, timeout=120)
        assert registered["webhook"] == "registered" and registered["documents"] == 1
        up = await asyncio.to_thread(subprocess.run, healthcheck, cwd=ROOT, env=env, capture_output=True, text=True)
        assert up.returncode == 0, up.stdout
        [call] = fake.calls_to("setWebhook")
        assert call.params["url"] == "https://bot.example.org/telegram/webhook"
        assert call.params["secret_token"] == SECRET
        await fake.wait_for(lambda calls: fake.calls_to("setMyCommands"))  # menus follow registration
        log = await sigterm(process, timeout=60)
    assert process.returncode == 0, log[-2000:]
    assert "Traceback" not in log
    assert "webhook not registered yet (attempt 1)" in log
    assert '/healthz HTTP/1.1" 503' in log and '/healthz HTTP/1.1" 200' not in log  # healthy checks stay quiet
    assert SECRET not in log and TOKEN.split(":")[1] not in log
