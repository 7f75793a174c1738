"""Whatever a Bot API server does to an optional call, or to the question a reply points at, the user gets the answer.

The real bot polls the fake Bot API; the FakeEmbedder answers (the model is not the point here).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import EditMessageText, SendMessage
from aiohttp import ClientConnectorError, ServerDisconnectedError
from aiohttp.client_reqrep import ConnectionKey

import bot.bot_api
from bot.bot_api import RetryRequestMiddleware
from tests.bot_harness import GROUP, QUESTION, STAFF, fast_bot
from tests.fake_telegram import (
    NOT_FOUND_JSON,
    PROXY_502_HTML,
    SERVER_ERROR_JSON,
    FakeTelegram,
    group_message,
    media_message,
    private_message,
)

APOLOGY = "Извините, при обработке вопроса произошла ошибка"


async def test_optional_calls_refused_in_any_form_stop_neither_start_nor_answers(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(bot.bot_api, "OPTIONAL_TIMEOUT", 0.5)
    fake = FakeTelegram()
    fake.faults["setMyCommands"] = [NOT_FOUND_JSON]  # an emulator that does not know the method
    fake.faults["sendChatAction"] = [
        SERVER_ERROR_JSON,
        PROXY_502_HTML,
        (400, {"description": "Bad Request: method is not available"}),
    ]
    async with fast_bot(tmp_path, fake, admin_ids=frozenset({1, 5})) as run:  # starting is the first check
        for n in range(1, 4):
            run.fake.push(private_message(STAFF, QUESTION, message_id=n))
            await run.fake.wait_for(lambda calls, n=n: len(run.fake.messages_to(STAFF)) == n)
        run.fake.delay["sendChatAction"] = 30  # hangs: the answer goes out once the call is given up
        run.fake.push(private_message(STAFF, QUESTION, message_id=4))
        await run.fake.wait_for(lambda calls: len(run.fake.messages_to(STAFF)) == 4, timeout=10)
    texts = run.fake.messages_to(STAFF)
    assert all("Казахстане" in text for text in texts) and not any(APOLOGY in text for text in texts)
    # One refusal of the command menu is enough to know the server does not take menus.
    assert [c.method for c in run.fake.calls if c.method.endswith("setMyCommands")] == ["!setMyCommands"]


async def test_replies_to_deleted_questions_are_sent_without_the_reference(tmp_path: Path) -> None:
    async with fast_bot(tmp_path) as run:
        fake = run.fake
        fake.push(private_message(STAFF, QUESTION, message_id=11))
        fake.push(group_message(GROUP, STAFF, f"/ask {QUESTION}", message_id=12))
        fake.push(media_message(STAFF, "sticker", message_id=13))
        fake.push(group_message(GROUP, STAFF, "/ask", message_id=14))
        for chat, message_id in ((STAFF, 11), (GROUP, 12), (STAFF, 13), (GROUP, 14)):
            fake.delete(chat, message_id)  # deleted before the bot has seen them
        await fake.wait_for(lambda calls: len(fake.calls_to("sendMessage")) == 4)
        await asyncio.sleep(0.3)
    assert not fake.refused()
    sent = fake.calls_to("sendMessage")
    assert len(sent) == 4 and not any(APOLOGY in c.params["text"] for c in sent)
    assert sum("Казахстане" in c.params["text"] for c in sent) == 2
    for call in sent:  # each still points at its question, for the case it is there
        assert call.params["reply_parameters"]["allow_sending_without_reply"] is True


# ---- retries: never a second copy of a message Telegram may already have --------------------
def network_error(method, cause: Exception) -> TelegramNetworkError:
    error = TelegramNetworkError(method=method, message=f"{type(cause).__name__}: {cause}")
    error.__cause__ = cause
    return error


CONNECTION_KEY = ConnectionKey("127.0.0.1", 1, False, True, None, None, None)
DISCONNECTED = ServerDisconnectedError()  # the connection closed after the request went out
REFUSED = ClientConnectorError(CONNECTION_KEY, ConnectionRefusedError(111, "Connection refused"))


@pytest.mark.parametrize(
    ("method", "cause", "attempts"),
    [
        (SendMessage(chat_id=1, text="ответ"), DISCONNECTED, 1),  # resending could deliver it twice
        (SendMessage(chat_id=1, text="ответ"), TimeoutError(), 1),
        (SendMessage(chat_id=1, text="ответ"), REFUSED, 2),  # never reached the server: safe to resend
        (EditMessageText(chat_id=1, message_id=2, text="x"), DISCONNECTED, 2),  # an edit twice is one edit
    ],
)
async def test_a_message_is_resent_only_when_the_server_cannot_have_it(method, cause, attempts: int) -> None:
    tried = []

    async def make_request(bot, method):
        tried.append(method)
        if len(tried) == 1:
            raise network_error(method, cause)
        return True

    retry = RetryRequestMiddleware(base_delay=0.01)
    if attempts == 1:
        with pytest.raises(TelegramNetworkError):
            await retry(make_request, None, method)
    else:
        assert await retry(make_request, None, method) is True
    assert len(tried) == attempts


async def test_flood_control_is_honoured_for_every_method() -> None:
    tried = []

    async def make_request(bot, method):
        tried.append(method)
        if len(tried) == 1:
            raise TelegramRetryAfter(method=method, message="Too Many Requests: retry after 0", retry_after=0)
        return True

    assert await RetryRequestMiddleware()(make_request, None, SendMessage(chat_id=1, text="ответ")) is True
    assert len(tried) == 2
