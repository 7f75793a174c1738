"""Small helpers for the archive's bot tests: wait for a text, find a button, ask a question."""

from __future__ import annotations

import time

from aiogram.filters.callback_data import CallbackData

from bot.document_views import DocAction, doc_key
from tests.conftest import FakeEmbedder
from tests.fake_telegram import Call, FakeTelegram, private_message


def sent_to(fake: FakeTelegram, chat_id: int, kind: str = "") -> list[str]:
    methods = (kind,) if kind else ("sendMessage", "editMessageText")
    return [c.params.get("text", "") for c in fake.calls if c.method in methods and int(c.params["chat_id"]) == chat_id]


async def wait_text(
    fake: FakeTelegram, chat_id: int, fragment: str, count: int = 1, kind: str = "", timeout: float = 30
) -> str:
    """Wait until ``count`` messages (or edits) to the chat contain ``fragment``; the last of them."""
    await fake.wait_for(lambda calls: len([t for t in sent_to(fake, chat_id, kind) if fragment in t]) >= count, timeout)
    return [t for t in sent_to(fake, chat_id, kind) if fragment in t][-1]


async def reply_with_button(fake: FakeTelegram, chat_id: int, data: CallbackData, timeout: float = 60) -> Call:
    """The newest message or edit to the chat carrying a button with this callback data."""
    packed = data.pack()

    def carrying() -> list[Call]:
        return [
            c
            for c in fake.calls
            if c.method in ("sendMessage", "editMessageText")
            and int(c.params["chat_id"]) == chat_id
            and packed in str(c.params.get("reply_markup"))
        ]

    await fake.wait_for(lambda calls: carrying(), timeout)
    return carrying()[-1]


def button(call: Call, action: str, name: str, label: str = "") -> str:
    """The callback data of the button for ``action`` on document ``name`` (and with ``label``, if given)."""
    key = doc_key(name)
    for row in call.params["reply_markup"]["inline_keyboard"]:
        for item in row:
            data = DocAction.unpack(item["callback_data"])
            if data.action == action and data.key == key and (not label or item["text"] == label):
                return item["callback_data"]
    raise AssertionError(f"no {action} button for {name} in {call.params['reply_markup']}")


def latest_text(fake: FakeTelegram, chat_id: int, message_id: int) -> str:
    """What the message shows now: its text when sent, or its last successful edit."""
    text = ""
    for c in fake.calls:
        sent = c.method == "sendMessage" and c.result and c.result["message_id"] == message_id
        if sent or (c.method == "editMessageText" and int(c.params["message_id"]) == message_id):
            text = c.params["text"]
    return text


async def ask(fake: FakeTelegram, user_id: int, question: str, timeout: float = 60) -> str:
    """Ask as staff; the bot's answer."""
    before = len(sent_to(fake, user_id, "sendMessage"))
    fake.push(private_message(user_id, question, message_id=int(time.monotonic() * 1000) % 1_000_000))
    await fake.wait_for(lambda calls: len(sent_to(fake, user_id, "sendMessage")) > before, timeout)
    return sent_to(fake, user_id, "sendMessage")[before]


class SlowEmbedder(FakeEmbedder):
    """The fake embedder taking its time per batch, so that a build lasts a few seconds."""

    def embed_documents(self, texts: list[str]):
        time.sleep(0.5)
        return super().embed_documents(texts)
