"""Telegram faults against the fake Bot API: 429, 5xx, slow and refused connections, malformed updates."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from tests.bot_harness import STAFF, running_bot
from tests.conftest import SEED_DOCUMENTS, FakeEmbedder
from tests.fake_telegram import FakeTelegram, private_message

QUESTION = "Где пройдет 22-е заседание комиссии?"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    shutil.copytree(SEED_DOCUMENTS, folder)
    return folder


def answers(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [c.params["text"] for c in fake.calls_to("sendMessage") if int(c.params["chat_id"]) == chat_id]


async def test_flood_control_and_server_errors_are_retried_and_answer_once(docs, tmp_path) -> None:
    fake = FakeTelegram()
    fake.faults["sendMessage"] = [
        (429, {"description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}}),
        (500, {"description": "Internal Server Error"}),
        (502, {"description": "Bad Gateway"}),
    ]
    async with running_bot(docs, tmp_path / "index", FakeEmbedder(), fake, abstain_margin=-1.0) as run:
        run.fake.push(private_message(STAFF, QUESTION))
        await run.fake.wait_for(lambda calls: answers(run.fake, STAFF), timeout=30)
        await asyncio.sleep(1.0)
        assert len(answers(run.fake, STAFF)) == 1  # exactly once, after three refusals
        refused = [c for c in run.fake.calls if c.method == "!sendMessage"]
        assert len(refused) == 3
        delivered = run.fake.calls_to("sendMessage")[0]
        assert delivered.at - refused[0].at >= 1.0  # retry_after was honoured


async def test_polling_survives_outages_slowness_and_garbage(docs, tmp_path) -> None:
    fake = FakeTelegram()
    async with running_bot(docs, tmp_path / "index", FakeEmbedder(), fake, abstain_margin=-1.0) as run:
        # getUpdates failing with 500s, then malformed payloads, then an update type nobody handles
        run.fake.faults["getUpdates"] = [(500, {"description": "Internal Server Error"})] * 2
        run.fake.malformed_updates = [
            "this is not json",
            {"ok": True, "result": [{"update_id": "not-a-number", "message": 42}]},
        ]
        run.fake.push({"poll": {"id": "p1", "question": "Обед?", "options": [], "total_voter_count": 0,
                                "is_closed": False, "is_anonymous": True, "type": "regular",
                                "allows_multiple_answers": False}})  # fmt: skip
        run.fake.push(private_message(STAFF, QUESTION))
        await run.fake.wait_for(lambda calls: len(answers(run.fake, STAFF)) == 1, timeout=60)

        # slow responses
        run.fake.delay["sendMessage"] = 1.5
        run.fake.push(private_message(STAFF, QUESTION))
        await run.fake.wait_for(lambda calls: len(answers(run.fake, STAFF)) == 2, timeout=30)
        run.fake.delay.clear()

        # the API refuses connections for a while; a question asked meanwhile is answered once it is back
        outage = asyncio.create_task(run.fake.go_down(3.0))
        await asyncio.sleep(0.5)
        run.fake.push(private_message(STAFF, QUESTION))
        await outage
        await run.fake.wait_for(lambda calls: len(answers(run.fake, STAFF)) == 3, timeout=60)
        await asyncio.sleep(1.0)
        assert len(answers(run.fake, STAFF)) == 3  # every question answered exactly once
