"""One factory that builds the dispatcher: routers, middlewares and the injected services."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, ErrorEvent

from bot.archive import ArchiveService
from bot.archive.albums import AlbumCollector
from bot.bot_api import RetryRequestMiddleware, TolerantUpdatesMiddleware, optional
from bot.config import Settings
from bot.feedback import FeedbackService, FollowUpRules
from bot.limits import RateLimiter
from bot.middlewares import AccessMiddleware, InFlightMiddleware, LanguageMiddleware
from bot.reply_memory import ReplyMemory
from bot.routers import admin, documents, fallback, inline, more_sources, questions, voice
from bot.routers import feedback as feedback_router
from bot.services import AnswerService
from bot.speech import SpeechService, create_speech_service
from bot.texts import ADMIN_COMMANDS, COMMANDS, texts_for
from index.engine import Engine

logger = logging.getLogger(__name__)


def create_bot(settings: Settings) -> Bot:
    """A Bot talking to TELEGRAM_API_URL, retrying sends on flood control and network errors."""
    assert settings.bot_token is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(TolerantUpdatesMiddleware())
    session.middleware(RetryRequestMiddleware())
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML,
            link_preview_is_disabled=True,
            # A reply to a question deleted meanwhile is sent as a plain message instead of failing
            # with "message to be replied not found".
            allow_sending_without_reply=True,
        ),
    )


def error_router() -> Router:
    router = Router(name="errors")

    @router.errors()
    async def on_error(event: ErrorEvent) -> bool:
        # The traceback goes to the log (where the token is redacted); the user gets an apology.
        logger.error("error while handling update %s", event.update.update_id, exc_info=event.exception)
        if isinstance(event.exception, TelegramNetworkError):
            # The answer may have arrived before the connection broke, and an apology would travel the
            # same broken connection: say nothing rather than contradict a delivered answer.
            return True
        message = event.update.message or event.update.edited_message
        if message is not None:
            user = message.from_user
            apology = texts_for(user.language_code if user else None)("error")
            await optional(message.answer(apology), "sending the apology")
        return True

    return router


def open_feedback(settings: Settings, answers: AnswerService) -> FeedbackService:
    rules = FollowUpRules(settings.follow_up_minutes, settings.follow_up_words)
    return FeedbackService.open(settings.feedback_path, settings.feedback_days, rules, lambda: answers.index_version)


def build_dispatcher(settings: Settings, engine: Engine, **extra: Any) -> Dispatcher:
    answers = AnswerService(engine, workers=settings.answer_workers)
    questions_budget = RateLimiter(settings.rate_limit_per_minute)  # private, group and inline questions alike
    buttons_budget = RateLimiter(settings.rate_limit_per_minute)  # "more sources" presses
    in_flight = InFlightMiddleware()
    speech: SpeechService = extra.pop("speech", None) or create_speech_service(settings)
    feedback: FeedbackService = extra.pop("feedback", None) or open_feedback(settings, answers)
    dp = Dispatcher(
        settings=settings,
        answers=answers,
        replies=ReplyMemory(),
        archive=ArchiveService.for_engine(engine, int(settings.upload_max_mb * 1024 * 1024)),
        in_flight=in_flight,
        speech=speech,
        albums=AlbumCollector(),
        feedback=feedback,
        **extra,
    )
    dp.update.outer_middleware(in_flight)
    dp.update.outer_middleware(AccessMiddleware(settings))
    for observer in (dp.message, dp.edited_message, dp.inline_query, dp.callback_query):
        observer.outer_middleware(LanguageMiddleware())
    dp.include_routers(
        documents.create_router(settings),  # first: an admin's document in a private chat is an upload
        feedback_router.create_router(settings),  # before admin's "admins only" for /report
        admin.create_router(settings),
        voice.create_router(questions_budget),
        questions.create_router(questions_budget),
        inline.create_router(settings, questions_budget),
        more_sources.create_router(buttons_budget),
        fallback.create_router(),  # last: what no feature router took
        error_router(),
    )

    @dp.startup()
    async def start_feedback() -> None:
        feedback.start()  # expired questions are deleted while the bot runs, not only at start-up

    @dp.shutdown()
    async def finish_in_flight() -> None:
        # Updates are no longer taken; let answers already being computed reach their users.
        if not await in_flight.wait_idle(timeout=30):
            logger.warning("%d updates were still being handled at shutdown", in_flight.count)
        answers.close()
        speech.close()
        await feedback.close()

    return dp


async def set_commands(bot: Bot, settings: Settings) -> None:
    """Command menus in every interface language; a server that refuses them must not stop the bot."""
    for language, commands in COMMANDS.items():
        menu = [BotCommand(command=c, description=d) for c, d in commands]
        admin_menu = menu + [BotCommand(command=c, description=d) for c, d in ADMIN_COMMANDS[language]]
        menus = [(BotCommandScopeDefault(), menu)]
        menus += [(BotCommandScopeChat(chat_id=admin_id), admin_menu) for admin_id in sorted(settings.admin_ids)]
        for scope, items in menus:
            if await optional(bot.set_my_commands(items, scope=scope, language_code=language), "setMyCommands") is None:
                return  # the server refuses menus: the rest would be refused the same way
