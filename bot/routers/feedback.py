"""Votes under answers (👍 / 👎 and why), inline answers sent into a chat, and /report for admins."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, ChosenInlineResult, Message

from bot.bot_api import optional
from bot.config import Settings
from bot.feedback import FeedbackService, Vote, build_report, csv_name, report_csv, report_text, with_votes
from bot.feedback.keyboard import DOWN, UP
from bot.filters import IsAdmin
from bot.formatting import split_message
from bot.routers.questions import typing
from bot.services import AnswerService
from bot.texts import Texts, texts_for

logger = logging.getLogger(__name__)
INLINE_PREFIX = "fb."  # inline result ids that name an answer of the log: "fb.<token>"


def inline_result_id(token: str) -> str:
    return INLINE_PREFIX + token


async def show_votes(query: CallbackQuery, bot: Bot, markup) -> None:
    """Redraw the buttons under the answer; an unchanged keyboard (a repeated press) is no error."""
    try:
        if query.inline_message_id is not None:
            await bot.edit_message_reply_markup(inline_message_id=query.inline_message_id, reply_markup=markup)
        elif isinstance(query.message, Message):
            await bot.edit_message_reply_markup(
                chat_id=query.message.chat.id, message_id=query.message.message_id, reply_markup=markup
            )
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message:
            logger.info("could not redraw the vote buttons (%s)", exc.message)


def create_router(settings: Settings) -> Router:
    router = Router(name="feedback")
    admin = IsAdmin(settings.admin_ids)

    @router.callback_query(Vote.filter())
    async def vote(query: CallbackQuery, callback_data: Vote, bot: Bot, t: Texts, feedback: FeedbackService) -> None:
        result = await feedback.vote(callback_data.token, query.from_user.id, callback_data.choice)
        if result is None:
            await optional(query.answer(t("vote_expired"), show_alert=True), "answering a vote")
            return
        record, tally = result
        notes = {UP: "vote_thanks", DOWN: "vote_why"}
        await optional(query.answer(t(notes.get(callback_data.choice, "vote_reason_thanks"))), "answering a vote")
        existing = query.message.reply_markup if isinstance(query.message, Message) else None
        # The buttons speak the language of the one who asked, whoever presses them.
        await show_votes(query, bot, with_votes(existing, record.token, tally, texts_for(record.language)))

    @router.chosen_inline_result()
    async def inline_sent(result: ChosenInlineResult, feedback: FeedbackService) -> None:
        # Telegram reports this only with inline feedback on (BotFather /setinlinefeedback); without it, an
        # inline answer enters the log at its first vote.
        if result.result_id.startswith(INLINE_PREFIX):
            await feedback.inline_sent(result.result_id.removeprefix(INLINE_PREFIX))

    @router.message(Command("report"), admin, F.chat.type != ChatType.PRIVATE)
    async def report_in_a_group(message: Message, t: Texts) -> None:
        await message.reply(t("report_private_only"))  # staff's questions are not for every member of a group

    @router.message(Command("report"), admin)
    async def report(message: Message, bot: Bot, t: Texts, feedback: FeedbackService, answers: AnswerService) -> None:
        shown = asyncio.create_task(typing(bot, message))
        summary = await feedback.summary()
        loop = asyncio.get_running_loop()
        # Grouping encodes the questions: on the answer workers, beside the questions being answered.
        made = await loop.run_in_executor(
            answers.executor, build_report, summary, answers.engine.embedder.embed_queries, settings.feedback_days
        )
        await shown
        text = report_text(made, t)
        if feedback.unsaved_folder is not None:
            text = t.html("report_memory_only", folder=feedback.unsaved_folder) + "\n\n" + text
        for part in split_message(text):
            await message.answer(part)
        if made.groups:
            document = BufferedInputFile(report_csv(made, t), filename=csv_name(made))
            await bot.send_document(message.chat.id, document, caption=t("report_csv_caption"))

    return router
