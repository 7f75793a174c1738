"""Voice questions: a voice message, audio file or video note is transcribed and answered like text.

Private chats: every recording is a question. Groups: a recording that replies to the bot or whose
caption mentions it. The reply first shows what was heard ("🎤 …"), so a misheard word is visible,
then the answer comes the same way as for a typed question, under the same rate limit.
"""

from __future__ import annotations

import logging
from html import escape

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Audio, Message, VideoNote, Voice

from bot.feedback import FeedbackService
from bot.filters import CaptionAddressedToBot
from bot.limits import RateLimiter
from bot.middlewares import RATE_LIMITED, RateLimitMiddleware
from bot.reply_memory import ReplyMemory
from bot.routers.questions import answer_question, typing
from bot.services import AnswerService
from bot.speech.audio import AudioTooLong, UnreadableAudio
from bot.speech.service import SpeechService
from bot.texts import Texts

logger = logging.getLogger(__name__)
# The Bot API serves files up to 20 MB; a minute of any recording Telegram sends is far below that.
DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024
RECORDING = F.voice | F.audio | F.video_note


def recording_of(message: Message) -> Voice | Audio | VideoNote | None:
    return message.voice or message.audio or message.video_note


async def answer_recording(
    message: Message, bot: Bot, t: Texts, speech: SpeechService, answers: AnswerService, replies: ReplyMemory,
    feedback: FeedbackService,
) -> None:  # fmt: skip
    recording = recording_of(message)
    assert recording is not None
    if not speech.available:
        await message.reply(t("voice_off"))
        return
    limit = round(speech.max_seconds)
    too_big = recording.file_size is not None and recording.file_size > DOWNLOAD_LIMIT_BYTES
    if (recording.duration or 0) > speech.max_seconds or too_big:
        # Refused before download: the duration comes with the message.
        await message.reply(t("voice_too_long", seconds=recording.duration, limit=limit))
        return
    await typing(bot, message)
    try:
        buffer = await bot.download(recording, timeout=60)
        data = buffer.read() if buffer else b""
    except TelegramAPIError as exc:
        logger.warning("could not download a recording (%s)", type(exc).__name__)
        await message.reply(t("voice_download_failed"))
        return
    try:
        transcript = await speech.transcribe(data, answers.engine.snapshot)
    except AudioTooLong:
        await message.reply(t("voice_too_long", seconds=f"> {limit}", limit=limit))
        return
    except UnreadableAudio as exc:
        logger.info("unreadable recording (%s)", exc)
        await message.reply(t("voice_unreadable"))
        return
    if not transcript.text:
        await message.reply(t("voice_unclear"))
        return
    await message.reply(t("voice_heard", text=escape(transcript.text)))
    await answer_question(message, transcript.text, bot, t, answers, replies, feedback)


def create_router(limiter: RateLimiter) -> Router:
    router = Router(name="voice")
    router.message.middleware(RateLimitMiddleware(limiter))

    @router.message(RECORDING, F.chat.type == ChatType.PRIVATE, flags=RATE_LIMITED)
    @router.message(RECORDING, CaptionAddressedToBot(), flags=RATE_LIMITED)
    async def voice_question(
        message: Message, bot: Bot, t: Texts, speech: SpeechService, answers: AnswerService, replies: ReplyMemory,
        feedback: FeedbackService,
    ) -> None:  # fmt: skip
        await answer_recording(message, bot, t, speech, answers, replies, feedback)

    return router
