"""The "more sources" button: one press, one passage; out of date after a reindex; expired after a while."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.reply_memory import ReplyMemory
from index.models import Reply
from tests.bot_harness import QUESTION, STAFF, fast_bot
from tests.fake_telegram import Call, FakeTelegram, callback_query, private_message


def button_of(call: Call) -> str | None:
    markup = call.params.get("reply_markup")
    return markup["inline_keyboard"][0][0]["callback_data"] if markup else None


async def ask(fake: FakeTelegram, message_id: int = 1) -> Call:
    """Ask the question; the bot's answer (with its button)."""
    before = len(fake.calls_to("sendMessage"))
    fake.push(private_message(STAFF, QUESTION, message_id=message_id))
    await fake.wait_for(lambda calls: len(fake.calls_to("sendMessage")) > before)
    return fake.calls_to("sendMessage")[-1]


def alerts(fake: FakeTelegram) -> list[str]:
    return [c.params.get("text", "") for c in fake.calls_to("answerCallbackQuery")]


async def test_one_press_one_passage_and_the_button_moves_on(tmp_path: Path) -> None:
    async with fast_bot(tmp_path) as run:
        fake = run.fake
        answer = await ask(fake)
        answer_id = answer.result["message_id"]
        for n in range(8):  # an impatient user: eight presses of the same button
            fake.push(callback_query(STAFF, button_of(answer), answer_id, query_id=f"p{n}"))
        await fake.wait_for(
            lambda calls: len(fake.calls_to("answerCallbackQuery")) == 8 and fake.calls_to("editMessageReplyMarkup")
        )
        await asyncio.sleep(0.3)  # room for copies, if any were coming
        passages = fake.calls_to("sendMessage")[1:]
        assert [p.params["text"].split("\n")[0] for p in passages] == ["<b>Фрагмент 2 из 3</b>"]
        [removed] = fake.calls_to("editMessageReplyMarkup")  # the pressed message lost its button, not its votes
        assert int(removed.params["message_id"]) == answer_id
        assert [[b["text"] for b in row] for row in removed.params["reply_markup"]["inline_keyboard"]] == [["👍", "👎"]]
        assert "Ещё источники (1)" in str(passages[0].params["reply_markup"])  # ... which moved to the passage

        fake.push(callback_query(STAFF, button_of(passages[0]), passages[0].result["message_id"], query_id="last"))
        await fake.wait_for(lambda calls: len(fake.calls_to("sendMessage")) == 3)
        last = fake.calls_to("sendMessage")[-1]
        assert last.params["text"].startswith("<b>Фрагмент 3 из 3</b>") and button_of(last) is None
        await fake.wait_for(lambda calls: len(fake.calls_to("editMessageReplyMarkup")) == 2)
    assert not fake.refused()


async def test_button_presses_have_their_own_rate_limit(tmp_path: Path) -> None:
    async with fast_bot(tmp_path, rate_limit_per_minute=2) as run:
        fake = run.fake
        answer = await ask(fake)
        first = callback_query(STAFF, button_of(answer), answer.result["message_id"], query_id="a")
        fake.push(first)
        await fake.wait_for(lambda calls: len(fake.calls_to("sendMessage")) == 2)
        passage = fake.calls_to("sendMessage")[-1]
        fake.push({"callback_query": {**first["callback_query"], "id": "b"}})  # the used button again: counted
        await fake.wait_for(lambda calls: len(fake.calls_to("answerCallbackQuery")) == 2)
        fake.push(callback_query(STAFF, button_of(passage), passage.result["message_id"], query_id="c"))
        await fake.wait_for(lambda calls: len(fake.calls_to("answerCallbackQuery")) == 3)
        assert alerts(fake)[2].startswith("Слишком много вопросов подряд")
        assert len(fake.calls_to("sendMessage")) == 2  # the third press showed nothing
        answer_two = await ask(fake, message_id=2)  # questions have a budget of their own
        assert "Казахстане" in answer_two.params["text"]


async def test_after_a_reindex_the_button_says_the_answer_is_out_of_date(tmp_path: Path) -> None:
    async with fast_bot(tmp_path) as run:
        fake = run.fake
        answer = await ask(fake)
        (tmp_path / "documents" / "new.txt").write_text("Заседание рабочей группы перенесено на март.", "utf-8")
        await asyncio.to_thread(run.engine.build)
        fake.push(callback_query(STAFF, button_of(answer), answer.result["message_id"], query_id="old"))
        await fake.wait_for(lambda calls: fake.calls_to("answerCallbackQuery"))
        [press] = fake.calls_to("answerCallbackQuery")
        assert press.params["text"].startswith("Документы обновились после этого ответа")
        assert press.params["show_alert"] in (True, "true")
        assert len(fake.calls_to("sendMessage")) == 1  # no passage of the previous index
        await fake.wait_for(lambda calls: fake.calls_to("editMessageReplyMarkup"))  # and the stale button is gone

        fresh = await ask(fake, message_id=2)  # a question asked after the reindex has a working button
        fake.push(callback_query(STAFF, button_of(fresh), fresh.result["message_id"], query_id="new"))
        await fake.wait_for(lambda calls: len(fake.calls_to("sendMessage")) == 3)

        run.dp["replies"].max_age = 0.0  # every remembered answer is now too old
        last = fake.calls_to("sendMessage")[-1]
        fake.push(callback_query(STAFF, button_of(last), last.result["message_id"], query_id="aged"))
        await fake.wait_for(lambda calls: len(fake.calls_to("answerCallbackQuery")) == 3)
        assert alerts(fake)[-1] == "Этот ответ устарел, задайте вопрос ещё раз."
        assert len(fake.calls_to("sendMessage")) == 3


def test_remembered_replies_expire_and_stay_bounded() -> None:
    memory = ReplyMemory(max_age=60, capacity=2)
    reply = Reply("вопрос", None, [])
    key = memory.remember(reply, "v000001", now=100.0)
    assert memory.recall(key, now=159.0).is_current("v000001")
    assert not memory.recall(key, now=159.0).is_current("v000002")
    assert memory.recall(key, now=161.0) is None
    keys = [memory.remember(reply, "v1", now=200.0) for _ in range(3)]
    assert memory.recall(keys[0], now=200.0) is None and memory.recall(keys[2], now=200.0) is not None
    assert not memory.recall(memory.remember(reply, None, now=200.0), now=200.0).is_current(None)
