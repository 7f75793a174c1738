"""Run the real bot (real Dispatcher, real aiohttp session) against the fake Bot API."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from aiogram import Bot, Dispatcher

from bot.app import build_dispatcher, create_bot, set_commands
from bot.config import Settings
from bot.feedback import FeedbackService
from bot.runners import start_polling
from bot.speech import SpeechService
from index.engine import Engine
from tests.conftest import ROOT, SEED_DOCUMENTS, FakeEmbedder
from tests.fake_telegram import TOKEN, FakeTelegram

ADMIN = 1
STAFF = 2
OUTSIDER = 3
GROUP = -100500
QUESTION = "Где пройдет 22-е заседание комиссии?"  # the FakeEmbedder finds its answer too ("...в Казахстане")


@dataclass
class RunningBot:
    fake: FakeTelegram
    bot: Bot
    dp: Dispatcher
    engine: Engine
    settings: Settings


def bot_settings(documents: Path, index_dir: Path, fake: FakeTelegram, **overrides) -> Settings:
    values = {
        "bot_token": TOKEN,
        "telegram_api_url": fake.url,
        "documents_dir": documents,
        "index_dir": index_dir,
        "admin_ids": frozenset({ADMIN}),
        "rate_limit_per_minute": 1000,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@contextlib.asynccontextmanager
async def running_bot(
    documents: Path,
    index_dir: Path,
    embedder,
    fake: FakeTelegram | None = None,
    speech: SpeechService | None = None,
    feedback: FeedbackService | None = None,
    **overrides,
) -> AsyncIterator[RunningBot]:
    fake = fake or FakeTelegram()
    await fake.start()
    settings = bot_settings(documents, index_dir, fake, **overrides)
    engine = Engine.from_settings(settings, embedder_factory=lambda: embedder)
    await asyncio.to_thread(engine.ensure_index)
    bot = create_bot(settings)
    services = {"speech": speech, "feedback": feedback}
    dp = build_dispatcher(settings, engine, **{name: service for name, service in services.items() if service})
    await set_commands(bot, settings)
    polling = asyncio.create_task(start_polling(dp, bot, settings, handle_signals=False, polling_timeout=1))
    try:
        yield RunningBot(fake, bot, dp, engine, settings)
    finally:
        with contextlib.suppress(RuntimeError):
            await dp.stop_polling()
        await asyncio.wait_for(polling, 60)
        await fake.stop()


def fast_bot(tmp_path: Path, fake: FakeTelegram | None = None, **overrides) -> contextlib.AbstractAsyncContextManager:
    """The real bot on a copy of the shipped documents, answering with the FakeEmbedder (fast, deterministic).

    For tests of the bot's behaviour, where the model's quality is not the point.
    """
    documents = tmp_path / "documents"
    if not documents.exists():
        shutil.copytree(SEED_DOCUMENTS, documents)
    overrides.setdefault("abstain_margin", -1.0)  # calibrated for real models; the fake one always answers
    return running_bot(documents, tmp_path / "index", FakeEmbedder(), fake, **overrides)


@contextlib.asynccontextmanager
async def bot_process(
    env: dict[str, str], fake: FakeTelegram, fast: bool = False
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`commission-bot run` as a real process; killed if the test leaves it running, then the fake stops.

    ``fast``: the same process with the FakeEmbedder (tests/bot_child.py), where the model is not the point.
    """
    command = ["-m", "tests.bot_child"] if fast else ["-m", "bot.cli", "run"]
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.stop()


async def sigterm(process: asyncio.subprocess.Process, timeout: float) -> str:
    """Stop the bot as a container runtime does; returns what it logged."""
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout)
    return stderr.decode()


# What /reindex shows, in order. Progress is coalesced to the latest state, so a stage that passed
# quickly may never be shown; what is shown must never go back a stage, and must end with the summary.
REINDEX_STAGES = (
    "читаю документы",
    "обрабатываю новый текст",
    "сохраняю индекс",
    "включаю обновлённый",
    "Индекс обновлён",
)


def assert_reindex_stages_in_order(shown: list[str]) -> None:
    order = [
        next(i for i, s in enumerate(REINDEX_STAGES) if s in t) for t in shown if any(s in t for s in REINDEX_STAGES)
    ]
    assert order == sorted(order), shown
    assert order and order[-1] == len(REINDEX_STAGES) - 1, shown
