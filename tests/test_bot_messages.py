"""Every kind of message gets what a user expects: captions and edited questions are answered, the rest is explained."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.bot_harness import ADMIN, GROUP, QUESTION, STAFF, fast_bot
from tests.fake_telegram import edited, group_message, media_message, private_message

MENTION = "@commission_test_bot"
GROUP_CHAT = {"id": GROUP, "type": "supergroup", "title": "Commission staff"}


async def test_questions_in_captions_are_answered(tmp_path: Path) -> None:
    async with fast_bot(tmp_path) as run:
        fake = run.fake
        fake.push(media_message(STAFF, "photo", caption=QUESTION, message_id=1))
        fake.push(media_message(STAFF, "photo", caption=f"{MENTION} {QUESTION}", chat=GROUP_CHAT, message_id=2))
        fake.push(media_message(STAFF, "document", caption="Коллеги, вот скан протокола", chat=GROUP_CHAT))
        # An admin's file in a private chat is an upload, caption or not (an unsupported type here, so no reindex).
        fake.push(media_message(ADMIN, "document", caption="Добавьте, пожалуйста", message_id=3))
        await fake.wait_for(
            lambda calls: fake.messages_to(STAFF) and fake.messages_to(GROUP) and fake.messages_to(ADMIN)
        )
        await asyncio.sleep(0.5)
    assert "Казахстане" in fake.messages_to(STAFF)[0]
    [group_answer] = fake.messages_to(GROUP)  # the caption without a mention was not for the bot
    assert "Казахстане" in group_answer
    [upload_reply] = fake.messages_to(ADMIN)
    assert upload_reply.startswith("Поддерживаются файлы")


async def test_an_edited_question_gets_an_answer_marked_as_such(tmp_path: Path) -> None:
    async with fast_bot(tmp_path) as run:
        fake = run.fake
        first = private_message(STAFF, "Что подписали по итогам заседания?", message_id=5)
        fake.push(first)
        await fake.wait_for(lambda calls: fake.messages_to(STAFF))
        fake.push(edited(first, QUESTION))
        await fake.wait_for(lambda calls: len(fake.messages_to(STAFF)) == 2)
        group_question = group_message(GROUP, STAFF, "Коллеги, где пройдет заседание?", message_id=6)
        fake.push(group_question)
        fake.push(edited(group_question, f"{MENTION} {QUESTION}"))  # now it asks the bot
        await fake.wait_for(lambda calls: fake.messages_to(GROUP))
    original, corrected = fake.messages_to(STAFF)
    assert "подписан Протокол" in original
    assert corrected.startswith("<i>Ответ на исправленный вопрос:</i>") and "Казахстане" in corrected
    reply_to = fake.calls_to("sendMessage")[1].params["reply_parameters"]["message_id"]
    assert reply_to == 5  # it quotes the corrected question
    [group_answer] = fake.messages_to(GROUP)
    assert "Казахстане" in group_answer


async def test_what_the_bot_does_not_understand_gets_one_line_in_private_and_silence_in_groups(tmp_path: Path) -> None:
    async with fast_bot(tmp_path) as run:
        fake = run.fake
        fake.push(private_message(STAFF, "/translate all", message_id=1))
        for n, kind in enumerate(["sticker", "location", "photo"], start=2):  # voice has a router of its own
            fake.push(media_message(STAFF, kind, message_id=n))
        fake.push(group_message(GROUP, STAFF, "/translate all"))
        fake.push(media_message(STAFF, "sticker", chat=GROUP_CHAT))
        fake.push(media_message(STAFF, "voice", chat=GROUP_CHAT))
        await fake.wait_for(lambda calls: len(fake.messages_to(STAFF)) == 4)
        await asyncio.sleep(0.5)
    unknown_command, *not_understood = fake.messages_to(STAFF)
    assert unknown_command.startswith("Такой команды нет") and "/help" in unknown_command
    assert len(not_understood) == 3 and all(t.startswith("Я отвечаю на вопросы по документам") for t in not_understood)
    assert fake.messages_to(GROUP) == []
    assert not fake.refused()
