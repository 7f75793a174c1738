"""Dispatcher middlewares (access, language, in-flight tracking, rate limit) and the request retry."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.enums import ChatType
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery, InlineQuery, InlineQueryResultsButton, Message, TelegramObject, Update
from pydantic import ValidationError

from bot.config import Settings
from bot.services import RateLimiter
from bot.texts import texts_for

logger = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def _actor(update: Update) -> tuple[Any, Any]:
    """(user, chat) behind an update, whatever its kind."""
    event = update.event
    user = getattr(event, "from_user", None)
    chat = getattr(event, "chat", None)
    if isinstance(event, CallbackQuery) and event.message is not None:
        chat = event.message.chat
    return user, chat


class LanguageMiddleware(BaseMiddleware):
    """Puts ``t`` (the user's interface strings) into every handler's data."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        data["t"] = texts_for(getattr(user, "language_code", None))
        return await handler(event, data)


class AccessMiddleware(BaseMiddleware):
    """When ALLOWED_USER_IDS / ALLOWED_CHAT_IDS are set, everyone else gets a refusal and no data."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        s = self.settings
        if not s.access_restricted or (user_id is not None and user_id in s.admin_ids):
            return True
        return (user_id in s.allowed_user_ids) or (chat_id is not None and chat_id in s.allowed_chat_ids)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        user, chat = _actor(event)
        if user is None or self.allowed(user.id, getattr(chat, "id", None)):
            return await handler(event, data)
        t = texts_for(user.language_code)
        inner = event.event
        logger.info("refused user %s in chat %s", user.id, getattr(chat, "id", None))
        if isinstance(inner, Message) and inner.chat.type == ChatType.PRIVATE:
            await inner.answer(t("refused"))
        elif isinstance(inner, InlineQuery):
            button = InlineQueryResultsButton(text=t("inline_refused"), start_parameter="access")
            await inner.answer([], cache_time=0, is_personal=True, button=button)
        elif isinstance(inner, CallbackQuery):
            await inner.answer(t("refused"), show_alert=True)
        return None  # groups: silence; nothing else reaches a handler


class InFlightMiddleware(BaseMiddleware):
    """Counts updates being handled, so shutdown can wait for every answer to be sent."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self.count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.count -= 1
            if self.count == 0:
                self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
            return True
        except TimeoutError:
            return False


class RateLimitMiddleware(BaseMiddleware):
    """Per-user question limit with a friendly message (installed on the question handlers only)."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        wait = self.limiter.retry_after(user.id)
        if wait <= 0:
            return await handler(event, data)
        t = data["t"]
        seconds = max(1, round(wait))
        if isinstance(event, Message):
            await event.answer(t("rate_limited", seconds=seconds))
        elif isinstance(event, InlineQuery):
            button = InlineQueryResultsButton(text=t("rate_limited", seconds=seconds), start_parameter="limit")
            await event.answer([], cache_time=0, is_personal=True, button=button)
        return None


class TolerantUpdatesMiddleware(BaseRequestMiddleware):
    """One update the library cannot parse must not block every update after it.

    aiogram parses a getUpdates batch as a whole; a single malformed update fails the batch, the
    offset never moves past it, and polling retries the same batch forever. Here the batch is
    parsed update by update: bad ones are logged and replaced by an empty update with the same
    id (which the dispatcher skips), so the offset moves on and the good ones are handled.
    """

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not isinstance(method, GetUpdates):
            return await make_request(bot, method)
        try:
            return await make_request(bot, method)
        except ClientDecodeError as exc:
            raw = exc.data if isinstance(exc.data, dict) else None
            if not raw or not raw.get("ok") or not isinstance(raw.get("result"), list):
                raise
            updates = []
            for item in raw["result"]:
                try:
                    updates.append(Update.model_validate(item, context={"bot": bot}))
                except ValidationError:
                    update_id = item.get("update_id") if isinstance(item, dict) else None
                    logger.warning("skipped a malformed update (id %s)", update_id)
                    if isinstance(update_id, int):
                        updates.append(Update(update_id=update_id))
            if not updates:
                raise
            return updates  # type: ignore[return-value]  # the chain passes results, not envelopes


class RetryRequestMiddleware(BaseRequestMiddleware):
    """Honour flood control (429 retry_after) and retry network and 5xx errors with backoff."""

    def __init__(self, attempts: int = 5, base_delay: float = 0.5, max_delay: float = 30.0) -> None:
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):  # polling has its own backoff loop
            return await make_request(bot, method)
        delay = self.base_delay
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts:
                    raise
                logger.warning("%s: flood control, retrying in %s s", method.__api_method__, exc.retry_after)
                await asyncio.sleep(min(exc.retry_after, self.max_delay * 4))
            except (TelegramNetworkError, TelegramServerError) as exc:
                if attempt == self.attempts:
                    raise
                logger.warning(
                    "%s failed (%s), retry %d in %.1f s", method.__api_method__, type(exc).__name__, attempt, delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
        raise AssertionError("unreachable")
