"""Questions in private chats, in groups (mention, reply, /ask), and "more sources" buttons."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.enums import ChatAction, ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.filters import AddressedToBot
from bot.formatting import answer_message, passage_message, split_message
from bot.middlewares import RateLimitMiddleware
from bot.services import AnswerService, RateLimiter
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


async def typing(bot: Bot, chat_id: int) -> None:
    """Show "typing…"; an API that refuses this optional call must not stop the answer."""
    try:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramAPIError as exc:
        logger.info("sendChatAction refused (%s); answering anyway", type(exc).__name__)


async def answer_question(message: Message, question: str, bot: Bot, t: Texts, answers: AnswerService) -> None:
    await typing(bot, message.chat.id)
    reply = await answers.ask(question)
    if reply.answer is None:
        await message.reply(t("not_found"))
        return
    key = answers.remember(reply)
    parts = split_message(answer_message(reply.answer, t))
    for i, part in enumerate(parts):
        markup = more_button(key, 1, reply, t) if i == len(parts) - 1 else None
        if i == 0:
            await message.reply(part, reply_markup=markup)  # the first part quotes the question
        else:
            await message.answer(part, reply_markup=markup)


def create_router(limiter: RateLimiter) -> Router:
    router = Router(name="questions")
    router.message.middleware(RateLimitMiddleware(limiter))

    @router.message(CommandStart())
    @router.message(Command("help"))
    async def start(message: Message, bot: Bot, t: Texts) -> None:
        me = await bot.me()
        await message.answer(t("start", username=me.username or "bot"))

    @router.message(Command("ask"))
    async def ask_command(message: Message, command: CommandObject, bot: Bot, t: Texts, answers: AnswerService) -> None:
        if not command.args or not command.args.strip():
            await message.reply(t("ask_usage"))
            return
        await answer_question(message, command.args.strip(), bot, t, answers)

    @router.message(F.chat.type == ChatType.PRIVATE, F.text, ~F.text.startswith("/"))
    async def private_question(message: Message, bot: Bot, t: Texts, answers: AnswerService) -> None:
        await answer_question(message, message.text or "", bot, t, answers)

    @router.message(F.text, AddressedToBot())
    async def group_question(message: Message, question: str, bot: Bot, t: Texts, answers: AnswerService) -> None:
        if not question:
            await message.reply(t("ask_usage"))
            return
        await answer_question(message, question, bot, t, answers)

    @router.callback_query(MoreSources.filter())
    async def more_sources(query: CallbackQuery, callback_data: MoreSources, t: Texts, answers: AnswerService) -> None:
        reply = answers.recall(callback_data.key)
        if reply is None or query.message is None:
            await query.answer(t("expired"), show_alert=True)
            return
        index = callback_data.index
        if index >= len(reply.passages):
            await query.answer(t("no_more"))
            return
        passage = reply.passages[index]
        parts = split_message(passage_message(passage, index + 1, len(reply.passages), t))
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            await query.message.answer(
                part, reply_markup=more_button(callback_data.key, index + 1, reply, t) if last else None
            )
        await query.answer()

    return router
