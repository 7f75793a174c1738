"""Filters: who is an admin, and which group messages are addressed to the bot."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.enums import ChatType, MessageEntityType
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message


class IsAdmin(BaseFilter):
    """The sender of a message or the presser of a button is one of ADMIN_IDS."""

    def __init__(self, admin_ids: frozenset[int]) -> None:
        self.admin_ids = admin_ids

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        return event.from_user is not None and event.from_user.id in self.admin_ids


class AddressedToBot(BaseFilter):
    """A group message that mentions the bot or replies to it; gives the question without the mention."""

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        if message.chat.type == ChatType.PRIVATE or not message.text or message.text.startswith("/"):
            return False
        me = await bot.me()
        text = message.text
        mention = f"@{me.username}".lower() if me.username else None
        mentioned = mention is not None and any(
            entity.type == MessageEntityType.MENTION and entity.extract_from(text).lower() == mention
            for entity in message.entities or []
        )
        replied = (
            message.reply_to_message is not None
            and message.reply_to_message.from_user is not None
            and message.reply_to_message.from_user.id == me.id
        )
        if not (mentioned or replied):
            return False
        question = text
        if mention:
            question = " ".join(w for w in text.split() if w.lower() != mention)
        return {"question": question.strip()}
