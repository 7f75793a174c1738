"""Questions: private messages, group mentions and replies, /ask, captions of photos and files, edited questions."""

from __future__ import annotations

import asyncio
import logging
from html import escape

from aiogram import Bot, F, Router
from aiogram.enums import ChatAction
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.bot_api import optional
from bot.feedback import FeedbackService, Tally, follow_up_heading, is_acknowledgement, with_votes
from bot.filters import AskedQuestion
from bot.formatting import answer_message, split_message
from bot.limits import RateLimiter
from bot.middlewares import RATE_LIMITED, RateLimitMiddleware
from bot.reply_memory import ReplyMemory
from bot.routers.more_sources import more_button
from bot.services import AnswerService
from bot.texts import Texts

logger = logging.getLogger(__name__)


async def typing(bot: Bot, message: Message) -> None:
    """Show "typing…" in the message's chat (and topic); a server that refuses it changes nothing."""
    thread = message.message_thread_id if message.is_topic_message else None
    await optional(bot.send_chat_action(message.chat.id, ChatAction.TYPING, message_thread_id=thread), "sendChatAction")


async def answer_question(
    message: Message, question: str, bot: Bot, t: Texts, answers: AnswerService, replies: ReplyMemory,
    feedback: FeedbackService, edited: bool = False,
) -> None:  # fmt: skip
    """Compute the answer while "typing…" is shown; reply to the question (or just send, if it is gone)."""
    earlier = await feedback.earlier_answer(message, bot.id, question)
    if earlier is not None and is_acknowledgement(question):
        await message.reply(t("welcome"))  # "Спасибо!" under an answer asks nothing
        return
    shown = asyncio.create_task(typing(bot, message))
    try:
        reply, version = await answers.ask_with_version(question, context=earlier.context if earlier else None)
    finally:
        await shown  # bounded by optional()'s time limit; keeps "typing…" ahead of the answer
    record = await feedback.record(message, reply, t.language, earlier)
    heading = f"<i>{escape(t('edited_answer'))}</i>\n\n" if edited else ""
    heading += follow_up_heading(earlier, t)
    if reply.answer is None:
        await feedback.link(await message.reply(heading + escape(t("not_found"))), record)
        return
    key = replies.remember(reply, version)
    parts = split_message(heading + answer_message(reply.answer, t))
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        markup = more_button(key, 1, reply, t) if last else None
        if last and record is not None:  # the votes go under the answer's end, beside "more sources"
            markup = with_votes(markup, record.token, Tally(), t)
        if i == 0:
            sent = await message.reply(part, reply_markup=markup)  # the first part quotes the question
        else:
            sent = await message.answer(part, reply_markup=markup)
        await feedback.link(sent, record)  # a reply to any part follows this question up


def create_router(limiter: RateLimiter) -> Router:
    router = Router(name="questions")
    for observer in (router.message, router.edited_message):
        observer.middleware(RateLimitMiddleware(limiter))

    @router.message(CommandStart())
    @router.message(Command("help"))
    async def start(message: Message, bot: Bot, t: Texts) -> None:
        me = await bot.me()
        await message.answer(t("start", username=me.username or "bot"))

    @router.message(Command("ask", magic=F.args.func(str.strip)), flags=RATE_LIMITED)
    async def ask_command(
        message: Message, command: CommandObject, bot: Bot, t: Texts, answers: AnswerService, replies: ReplyMemory,
        feedback: FeedbackService,
    ) -> None:  # fmt: skip
        await answer_question(message, (command.args or "").strip(), bot, t, answers, replies, feedback)

    @router.message(Command("ask"))
    async def ask_usage(message: Message, t: Texts) -> None:
        await message.reply(t("ask_usage"))

    @router.message(AskedQuestion(), flags=RATE_LIMITED)
    async def question(
        message: Message, question: str, bot: Bot, t: Texts, answers: AnswerService, replies: ReplyMemory,
        feedback: FeedbackService,
    ) -> None:  # fmt: skip
        if not question:  # a bare mention in a group
            await message.reply(t("ask_usage"))
            return
        await answer_question(message, question, bot, t, answers, replies, feedback)

    @router.edited_message(AskedQuestion(), flags=RATE_LIMITED)
    async def edited_question(
        message: Message, question: str, bot: Bot, t: Texts, answers: AnswerService, replies: ReplyMemory,
        feedback: FeedbackService,
    ) -> None:  # fmt: skip
        # A corrected question gets a fresh answer, marked as such and quoting the corrected text; the
        # earlier answer stays as it was (it answered what was asked then).
        if question:
            await answer_question(message, question, bot, t, answers, replies, feedback, edited=True)

    return router
