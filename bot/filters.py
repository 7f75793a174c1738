"""Filters: who is an admin, and which messages ask the bot a question or are addressed to it."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.enums import ChatType, MessageEntityType
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message, MessageEntity


class IsAdmin(BaseFilter):
    """The sender of a message or the presser of a button is one of ADMIN_IDS."""

    def __init__(self, admin_ids: frozenset[int]) -> None:
        self.admin_ids = admin_ids

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        return event.from_user is not None and event.from_user.id in self.admin_ids


def mentions(text: str, entities: list[MessageEntity] | None, username: str | None) -> bool:
    """Whether the text's entities hold an @mention of this username."""
    mention = f"@{username}".lower() if username else None
    return mention is not None and any(
        entity.type == MessageEntityType.MENTION and entity.extract_from(text).lower() == mention
        for entity in entities or []
    )


def replies_to(message: Message, user_id: int) -> bool:
    reply = message.reply_to_message
    return reply is not None and reply.from_user is not None and reply.from_user.id == user_id


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
        entities = message.entities if message.text else message.caption_entities
        if not (mentions(text, entities, me.username) or replies_to(message, me.id)):
            return False
        question = text
        if me.username:
            mention = f"@{me.username}".lower()
            question = " ".join(w for w in text.split() if w.lower() != mention)
        return {"question": question.strip()}


class CaptionAddressedToBot(BaseFilter):
    """A group message (a voice message, say) that replies to the bot or whose caption mentions it."""

    async def __call__(self, message: Message, bot: Bot) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return False
        me = await bot.me()
        return replies_to(message, me.id) or mentions(message.caption or "", message.caption_entities, me.username)
