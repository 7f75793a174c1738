"""The "more sources" button: one press, one passage, from the index version the answer came from."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.bot_api import optional
from bot.formatting import passage_message, split_message
from bot.limits import RateLimiter
from bot.middlewares import RATE_LIMITED, RateLimitMiddleware
from bot.reply_memory import ReplyMemory
from bot.services import AnswerService
from bot.texts import Texts
from index.models import Reply

logger = logging.getLogger(__name__)


class MoreSources(CallbackData, prefix="more"):
    key: str
    index: int  # the passage to show (0 is the answer's own passage)


def more_button(key: str, index: int, reply: Reply, t: Texts) -> InlineKeyboardMarkup | None:
    remaining = len(reply.passages) - index
    if remaining <= 0:
        return None
    data = MoreSources(key=key, index=index).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t("more", n=remaining), callback_data=data)]]
    )


async def settle(query: CallbackQuery, bot: Bot, notice: str | None = None, drop: bool = True) -> None:
    """Answer the press (Telegram shows a notice, or just stops the spinner) and take its button off its message.

    Both are courtesies: a press answered too late, or a message too old to edit, is a log line, not an error.
    The message's other buttons (the votes) stay.
    """
    await optional(query.answer(notice, show_alert=notice is not None), "answering a button press")
    message = query.message
    if drop and isinstance(message, Message):  # not an InaccessibleMessage (deleted, or too old for the bot)
        rows = message.reply_markup.inline_keyboard if message.reply_markup else []
        kept = [
            row
            for row in rows
            if not any((b.callback_data or "").startswith(f"{MoreSources.__prefix__}:") for b in row)
        ]
        await optional(
            bot.edit_message_reply_markup(
                chat_id=message.chat.id,
                message_id=message.message_id,
                reply_markup=InlineKeyboardMarkup(inline_keyboard=kept) if kept else None,
            ),
            "removing a used button",
        )


def create_router(limiter: RateLimiter) -> Router:
    router = Router(name="more_sources")
    router.callback_query.middleware(RateLimitMiddleware(limiter))

    @router.callback_query(MoreSources.filter(), flags=RATE_LIMITED)
    async def more_sources(
        query: CallbackQuery, callback_data: MoreSources, bot: Bot, t: Texts, answers: AnswerService,
        replies: ReplyMemory,
    ) -> None:  # fmt: skip
        remembered = replies.recall(callback_data.key)
        if remembered is None or query.message is None:
            await settle(query, bot, t("expired"))
            return
        if not remembered.is_current(answers.index_version):
            # Passages of the previous index may quote documents since changed or deleted.
            await settle(query, bot, t("outdated"))
            return
        index, passages = callback_data.index, remembered.reply.passages
        if index < remembered.shown:  # a second press of a button already used: its passage is out there
            await settle(query, bot, drop=False)
            return
        if index >= len(passages):
            await settle(query, bot, t("no_more"))
            return
        shown_before, remembered.shown = remembered.shown, index + 1  # claimed before any await
        parts = split_message(passage_message(passages[index], index + 1, len(passages), t))
        try:
            for i, part in enumerate(parts):
                markup = more_button(callback_data.key, index + 1, remembered.reply, t) if i == len(parts) - 1 else None
                await bot.send_message(query.message.chat.id, part, reply_markup=markup)
        except Exception:
            remembered.shown = shown_before  # nothing (or not all) was delivered: the button may be pressed again
            raise
        await settle(query, bot)  # the button moves on to the passage just sent

    return router
