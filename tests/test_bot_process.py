"""The real `commission-bot run` process: signals, webhook shutdown, start-up failures.

The first test runs the real model; the others run the same process with the FakeEmbedder
(``bot_process(..., fast=True)``), where the model's quality is not the point.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.config import Settings
from bot.runners import run_bot
from tests.bot_harness import QUESTION, STAFF, bot_process, sigterm
from tests.conftest import MODEL_CACHE, SEED_DOCUMENTS
from tests.fake_telegram import NOT_FOUND_JSON, TOKEN, FakeTelegram, private_message

WEBHOOK_SECRET = "webhook-secret-Kx81-value"


def bot_env(fake: FakeTelegram, tmp_path: Path, **settings: str) -> dict[str, str]:
    docs = tmp_path / "documents"
    if not docs.exists():
        shutil.copytree(SEED_DOCUMENTS, docs)
    return {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.url,
        "DOCUMENTS_DIR": str(docs),
        "INDEX_DIR": str(tmp_path / "index"),
        "MODEL_CACHE_DIR": str(MODEL_CACHE),
        "ADMIN_IDS": "1",
        "HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
        **settings,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_sigterm_finishes_the_answer_in_flight(tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.faults["setMyCommands"] = [NOT_FOUND_JSON]  # an emulator without command menus: start-up goes on
    await fake.start()
    async with bot_process(bot_env(fake, tmp_path), fake) as process:
        await fake.wait_for(lambda calls: fake.calls_to("deleteWebhook"), timeout=300)  # started, about to poll
        fake.delay["sendChatAction"] = 2.0  # the answer is still in flight when the signal arrives
        fake.push(private_message(2, QUESTION))
        await fake.wait_for(lambda calls: fake.calls_to("sendChatAction"), timeout=60)
        assert (tmp_path / "heartbeat").is_file()  # polling proves itself to the healthcheck
        log = await sigterm(process, timeout=120)
    assert process.returncode == 0, log[-2000:]
    [answer] = [c.params["text"] for c in fake.calls_to("sendMessage")]
    assert "Казахстане" in answer
    assert [c.method for c in fake.calls if c.method.endswith("setMyCommands")] == ["!setMyCommands"]
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


async def test_webhook_shutdown_with_a_slow_bot_api_delivers_each_answer_once(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    port = free_port()
    env = bot_env(fake, tmp_path, ABSTAIN_MARGIN="-1", WEBHOOK_URL="https://bot.example.org",
                  WEBHOOK_SECRET=WEBHOOK_SECRET, WEBHOOK_HOST="127.0.0.1", WEBHOOK_PORT=str(port))  # fmt: skip
    async with bot_process(env, fake, fast=True) as process:
        await fake.wait_for(lambda calls: fake.calls_to("setWebhook"), timeout=60)  # serving, and registered
        fake.delay["sendMessage"] = 3.0  # Telegram has the answer, but answers slowly
        update = {"update_id": 1, **private_message(STAFF, QUESTION)}
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        async with (
            aiohttp.ClientSession() as client,
            client.post(f"http://127.0.0.1:{port}/telegram/webhook", json=update, headers=headers) as response,
        ):
            assert response.status == 200
        await fake.wait_for(lambda calls: fake.calls_to("sendMessage"), timeout=30)
        log = await sigterm(process, timeout=60)  # while the answer is in flight
    assert process.returncode == 0, log[-2000:]
    assert len(fake.calls_to("sendMessage")) == 1, log[-2000:]  # delivered, and only once
    assert "Казахстане" in fake.calls_to("sendMessage")[0].params["text"]
    assert "Traceback" not in log and "Unclosed" not in log


FATAL_START_UPS = {  # name: (settings, a refusal of setWebhook, what the one line says)
    "wrong token": ({"BOT_TOKEN": "4242:WRONG-token-value"}, None, "getMe: Telegram does not accept BOT_TOKEN"),
    "webhook refused": (
        {"WEBHOOK_URL": "http://bot.example.org", "WEBHOOK_SECRET": WEBHOOK_SECRET},
        (400, {"description": "Bad Request: bad webhook: HTTPS url must be provided for webhook"}),
        "setWebhook http://bot.example.org/telegram/webhook failed: TelegramBadRequest: Bad Request: bad webhook",
    ),
}


async def fail_to_start(tmp_path: Path, settings: dict[str, str], fault: tuple | None) -> tuple[int | None, str]:
    fake = FakeTelegram()
    if fault is not None:
        fake.faults["setWebhook"] = [fault]
    await fake.start()
    async with bot_process(bot_env(fake, tmp_path, **settings), fake, fast=True) as process:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode, stderr.decode()


async def test_refusals_at_start_up_are_one_clear_line(tmp_path: Path) -> None:
    # The processes start side by side: most of their time is importing aiogram.
    outcomes = await asyncio.gather(
        *(
            fail_to_start(tmp_path / str(n), settings, fault)
            for n, (settings, fault, _) in enumerate(FATAL_START_UPS.values())
        )
    )
    for (case, (settings, _, expected)), (returncode, log) in zip(FATAL_START_UPS.items(), outcomes, strict=True):
        assert returncode == 2, f"{case}: {log[-2000:]}"
        [line] = [line for line in log.splitlines() if "ERROR" in line]
        assert "cannot start: " in line and expected in line, case
        assert "Traceback" not in log and "Unclosed" not in log, case
        for secret in (TOKEN, settings.get("BOT_TOKEN", TOKEN), WEBHOOK_SECRET):
            assert secret not in log and secret.split(":")[-1] not in log, case


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"bot_token": "not a token"}, "BOT_TOKEN is not a bot token"),
        ({"webhook_url": "https://bot.example.org"}, "WEBHOOK_SECRET must be set in webhook mode"),
    ],
)
def test_settings_that_cannot_work_are_one_clear_line(tmp_path: Path, caplog, settings, expected: str) -> None:
    config = Settings(_env_file=None, **{"bot_token": TOKEN, "index_dir": tmp_path / "index", **settings})
    with caplog.at_level(logging.INFO):
        assert run_bot(config) == 2  # returned, not raised: nothing reaches the user as a traceback
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.startswith("cannot start: ") and expected in line
    assert "not a token" not in caplog.text  # the token itself is never repeated
    assert not (tmp_path / "index").exists() and "index" not in caplog.text  # said before anything is loaded
