"""The real `commission-bot run` process: polling a fake Bot API, stopping on SIGTERM without losing answers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.bot_harness import bot_process, sigterm
from tests.conftest import MODEL_CACHE, SEED_DOCUMENTS
from tests.fake_telegram import TOKEN, FakeTelegram, private_message


async def test_sigterm_finishes_the_answer_in_flight(tmp_path: Path) -> None:
    docs = tmp_path / "documents"
    shutil.copytree(SEED_DOCUMENTS, docs)
    fake = FakeTelegram()
    await fake.start()
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.url,
        "DOCUMENTS_DIR": str(docs),
        "INDEX_DIR": str(tmp_path / "index"),
        "MODEL_CACHE_DIR": str(MODEL_CACHE),
        "ADMIN_IDS": "1",
        "HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
    }
    async with bot_process(env, fake) as process:
        await fake.wait_for(lambda calls: fake.calls_to("deleteWebhook"), timeout=300)  # started, about to poll
        fake.delay["sendChatAction"] = 2.0  # the answer is still in flight when the signal arrives
        fake.push(private_message(2, "Где пройдет 22-е заседание комиссии?"))
        await fake.wait_for(lambda calls: fake.calls_to("sendChatAction"), timeout=60)
        assert (tmp_path / "heartbeat").is_file()  # polling proves itself to the healthcheck
        log = await sigterm(process, timeout=120)
    assert process.returncode == 0, log[-2000:]
    [answer] = [c.params["text"] for c in fake.calls_to("sendMessage")]
    assert "Казахстане" in answer
    assert fake.calls_to("setMyCommands")
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
