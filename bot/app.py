"""One factory that builds the dispatcher: routers, middlewares and the injected services."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, ErrorEvent

from bot.archive import ArchiveService
from bot.config import Settings
from bot.middlewares import (
    AccessMiddleware,
    InFlightMiddleware,
    LanguageMiddleware,
    RetryRequestMiddleware,
    TolerantUpdatesMiddleware,
)
from bot.routers import admin, documents, inline, questions, voice
from bot.services import AnswerService, RateLimiter
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
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def error_router() -> Router:
    router = Router(name="errors")

    @router.errors()
    async def on_error(event: ErrorEvent) -> bool:
        # The traceback goes to the log (where the token is redacted); the user gets an apology.
        logger.error("error while handling update %s", event.update.update_id, exc_info=event.exception)
        message = event.update.message
        user = message.from_user if message else None
        if message is not None:
            try:
                await message.answer(texts_for(user.language_code if user else None)("error"))
            except TelegramAPIError:
                logger.warning("could not send the apology for update %s", event.update.update_id)
        return True

    return router


def build_dispatcher(settings: Settings, engine: Engine, **extra: Any) -> Dispatcher:
    answers = AnswerService(engine, workers=settings.answer_workers)
    limiter = RateLimiter(settings.rate_limit_per_minute)
    in_flight = InFlightMiddleware()
    speech: SpeechService = extra.pop("speech", None) or create_speech_service(settings)
    dp = Dispatcher(
        settings=settings,
        answers=answers,
        archive=ArchiveService.for_engine(engine, int(settings.upload_max_mb * 1024 * 1024)),
        in_flight=in_flight,
        speech=speech,
        **extra,
    )
    dp.update.outer_middleware(in_flight)
    dp.update.outer_middleware(AccessMiddleware(settings))
    for observer in (dp.message, dp.inline_query, dp.callback_query):
        observer.outer_middleware(LanguageMiddleware())
    dp.include_routers(
        documents.create_router(settings),
        admin.create_router(settings),
        voice.create_router(limiter),
        questions.create_router(limiter),
        inline.create_router(settings, limiter),
        error_router(),
    )

    @dp.shutdown()
    async def finish_in_flight() -> None:
        # Polling has stopped taking updates; let answers already being computed reach their users.
        if not await in_flight.wait_idle(timeout=30):
            logger.warning("%d updates were still being handled at shutdown", in_flight.count)
        answers.close()
        speech.close()

    return dp


async def set_commands(bot: Bot, settings: Settings) -> None:
    """Command menus in Russian and English; a server that refuses them must not stop the bot."""
    for language, commands in COMMANDS.items():
        menu = [BotCommand(command=c, description=d) for c, d in commands]
        await _optional(bot.set_my_commands(menu, scope=BotCommandScopeDefault(), language_code=language))
        admin_menu = menu + [BotCommand(command=c, description=d) for c, d in ADMIN_COMMANDS[language]]
        for admin_id in settings.admin_ids:
            scope = BotCommandScopeChat(chat_id=admin_id)
            await _optional(bot.set_my_commands(admin_menu, scope=scope, language_code=language))


async def _optional(call: Awaitable[Any]) -> None:
    try:
        await call
    except TelegramAPIError as exc:
        logger.warning("optional Bot API call refused (%s); going on without it", type(exc).__name__)
