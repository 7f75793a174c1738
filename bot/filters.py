"""Filters: who is an admin, and which messages ask the bot a question."""

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


class AskedQuestion(BaseFilter):
    """A message that asks the bot a question; gives the question (text or caption) without the bot's mention.

    In a private chat, any text or caption that is not a command. In a group, a text or caption that
    mentions the bot or replies to one of its messages (group chatter is not for the bot).
    """

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        text = message.text or message.caption
        if not text or text.startswith("/"):
            return False
        if message.chat.type == ChatType.PRIVATE:
            return {"question": text.strip()} if text.strip() else False
        me = await bot.me()
        mention = f"@{me.username}".lower() if me.username else None
        entities = message.entities if message.text else message.caption_entities
        mentioned = mention is not None and any(
            entity.type == MessageEntityType.MENTION and entity.extract_from(text).lower() == mention
            for entity in entities or []
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
