"""Who may ask and how often: questions spend the budget; one notice per window."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.limits import Debouncer, OncePerWindow, RateLimiter
from tests.bot_harness import GROUP, OUTSIDER, QUESTION, STAFF, fast_bot
from tests.fake_telegram import anonymous_group_message, group_message, inline_query, private_message

MENTION = "@commission_test_bot"
ALLOWED_GROUP = -100777
LIMITED = "Слишком много вопросов подряд"
REFUSED = "Извините, доступ к этому боту ограничен"


async def test_a_message_without_a_sender_is_answered_only_in_an_allowed_chat(tmp_path: Path) -> None:
    restricted = {"allowed_user_ids": frozenset({STAFF}), "allowed_chat_ids": frozenset({ALLOWED_GROUP})}
    async with fast_bot(tmp_path, **restricted) as run:
        fake = run.fake
        fake.push(anonymous_group_message(GROUP, f"{MENTION} {QUESTION}"))
        fake.push(anonymous_group_message(ALLOWED_GROUP, f"{MENTION} {QUESTION}"))
        await fake.wait_for(lambda calls: fake.messages_to(ALLOWED_GROUP))
        await asyncio.sleep(0.5)
    assert "Казахстане" in fake.messages_to(ALLOWED_GROUP)[0]
    assert fake.messages_to(GROUP) == []
    assert all(int(c.params["chat_id"]) != GROUP for c in fake.calls_to("sendChatAction"))


async def test_only_questions_spend_the_budget_and_a_notice_comes_once_per_window(tmp_path: Path) -> None:
    async with fast_bot(tmp_path, rate_limit_per_minute=2) as run:
        fake = run.fake
        for n, text in enumerate(["/start", "/help", "/ask", QUESTION, QUESTION], start=1):
            fake.push(private_message(STAFF, text, message_id=n))
        await fake.wait_for(lambda calls: sum("Казахстане" in t for t in fake.messages_to(STAFF)) == 2)
        for n in range(6, 10):  # over the limit: four questions, one notice
            fake.push(private_message(STAFF, QUESTION, message_id=n))
        fake.push(group_message(GROUP, STAFF, f"{MENTION} {QUESTION}", message_id=10))  # groups: silence
        await fake.wait_for(lambda calls: any(LIMITED in t for t in fake.messages_to(STAFF)))
        await asyncio.sleep(0.5)
    texts = fake.messages_to(STAFF)
    assert (
        sum("Здравствуйте" in t for t in texts) == 2 and sum("Напишите вопрос после команды" in t for t in texts) == 1
    )
    assert sum("Казахстане" in t for t in texts) == 2
    assert sum(LIMITED in t for t in texts) == 1 and len(texts) == 6
    assert fake.messages_to(GROUP) == []


async def test_an_inline_question_typed_letter_by_letter_costs_one_question(tmp_path: Path) -> None:
    async with fast_bot(tmp_path, rate_limit_per_minute=2) as run:
        fake = run.fake
        question = "Где пройдет 22-е заседание"
        for n in range(1, len(question) + 1):  # Telegram sends a query for every keystroke
            fake.push(inline_query(STAFF, question[:n], f"q{n}"))
            await asyncio.sleep(0.05)
        await fake.wait_for(lambda calls: fake.calls_to("answerInlineQuery"))
        await asyncio.sleep(1.0)
        [answered] = fake.calls_to("answerInlineQuery")
        assert answered.params["inline_query_id"] == f"q{len(question)}"
        assert "Казахстане" in answered.params["results"][0]["input_message_content"]["message_text"]
        fake.push(private_message(STAFF, QUESTION, message_id=1))  # the second unit of two
        fake.push(private_message(STAFF, QUESTION, message_id=2))
        await fake.wait_for(lambda calls: len(fake.messages_to(STAFF)) == 2)
    answered, limited = sorted(fake.messages_to(STAFF), key=lambda text: text.startswith(LIMITED))
    assert "Казахстане" in answered and limited.startswith(LIMITED)


async def test_an_outsider_is_refused_once_per_window(tmp_path: Path) -> None:
    async with fast_bot(tmp_path, allowed_user_ids=frozenset({STAFF})) as run:
        fake = run.fake
        for n, text in enumerate([QUESTION, "/start", QUESTION, "/reindex"], start=1):
            fake.push(private_message(OUTSIDER, text, message_id=n))
        fake.push(private_message(STAFF, QUESTION, message_id=9))
        await fake.wait_for(lambda calls: fake.messages_to(STAFF) and fake.messages_to(OUTSIDER))
        await asyncio.sleep(0.5)
    [refusal] = fake.messages_to(OUTSIDER)
    assert refusal.startswith(REFUSED)


def test_budgets_notices_and_typing_pauses() -> None:
    limiter = RateLimiter(limit=2, window=60)
    assert [limiter.retry_after("u", now=t) for t in (0, 1)] == [0, 0]
    assert limiter.retry_after("u", now=2) == 58 and limiter.retry_after("u", now=60) == 0
    notices = OncePerWindow(60)
    assert [notices.first("u", now=t) for t in (0, 30, 59, 61)] == [True, False, False, True]


async def test_typing_pauses_let_only_the_last_query_through() -> None:
    debouncer = Debouncer(0.05)
    first = asyncio.create_task(debouncer.settled("u"))
    await asyncio.sleep(0.01)
    second = asyncio.create_task(debouncer.settled("u"))
    assert [await first, await second, await debouncer.settled("other")] == [False, True, True]
