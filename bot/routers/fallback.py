"""The last router: a private message no feature understood gets one short line on what the bot understands.

Included after every feature router (questions, voice, ...), so a feature that learns to handle a kind of
message takes it before it falls through to here. Groups get nothing: the bot speaks there only when asked.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType, ContentType
from aiogram.types import Message

from bot.texts import Texts

# What people send; service messages (a pinned message, a changed auto-delete timer, ...) are not for a reply.
PEOPLES_CONTENT = {
    ContentType.TEXT,
    ContentType.PHOTO,
    ContentType.DOCUMENT,
    ContentType.STICKER,
    ContentType.ANIMATION,
    ContentType.VOICE,
    ContentType.AUDIO,
    ContentType.VIDEO,
    ContentType.VIDEO_NOTE,
    ContentType.LOCATION,
    ContentType.VENUE,
    ContentType.CONTACT,
    ContentType.POLL,
    ContentType.DICE,
    ContentType.STORY,
    ContentType.PAID_MEDIA,
}


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.filter(F.chat.type == ChatType.PRIVATE, F.content_type.in_(PEOPLES_CONTENT))

    @router.message(F.text.startswith("/"))
    async def unknown_command(message: Message, t: Texts) -> None:
        await message.reply(t("unknown_command"))

    @router.message()
    async def not_understood(message: Message, t: Texts) -> None:
        await message.reply(t("not_understood"))

    return router
