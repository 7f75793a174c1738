"""Dispatcher middlewares: access, language, in-flight tracking, rate limits and inline debouncing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, InlineQuery, InlineQueryResultsButton, Message, TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError

from bot.config import Settings
from bot.limits import Debouncer, OncePerWindow, RateLimiter
from bot.texts import texts_for

logger = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# Handler flags: which handlers spend the sender's budget (questions, not /start or /help), and which
# wait for the user to stop typing (inline questions).
RATE_LIMITED = {"rate_limited": True}
DEBOUNCED_AND_RATE_LIMITED = {"rate_limited": True, "debounced": True}


def sender_key(event: TelegramObject) -> int | None:
    """Who spends the budget: the user, or the chat a message was sent on behalf of (anonymous admins)."""
    if isinstance(event, Message) and event.sender_chat is not None:
        return event.sender_chat.id
    user = getattr(event, "from_user", None)
    return user.id if user is not None else None


def _actor(update: Update) -> tuple[Any, Any]:
    """(user, chat) behind an update, whatever its kind; no user when a message speaks for a chat."""
    event = update.event
    user = getattr(event, "from_user", None)
    chat = getattr(event, "chat", None)
    if isinstance(event, Message) and event.sender_chat is not None:
        user = None  # an anonymous group admin or a channel: no person to check against the allowed users
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
    """When ALLOWED_USER_IDS / ALLOWED_CHAT_IDS are set, everyone else gets a refusal and no data.

    A message without a person behind it (sent on behalf of a group or channel) is answered only in an
    allowed chat. A refused user is told once per window, not once per message.
    """

    def __init__(self, settings: Settings, notice_window: float = 60.0) -> None:
        self.settings = settings
        self.notices = OncePerWindow(notice_window)

    def allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        s = self.settings
        if not s.access_restricted:
            return True
        if user_id is not None and (user_id in s.admin_ids or user_id in s.allowed_user_ids):
            return True
        return chat_id is not None and chat_id in s.allowed_chat_ids

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        try:
            user, chat = _actor(event)
        except UpdateTypeLookupError:
            return None  # an empty update (polling replaced a malformed one): nothing to handle, nobody to refuse
        if self.allowed(getattr(user, "id", None), getattr(chat, "id", None)):
            return await handler(event, data)
        logger.info(
            "refused %s in chat %s", getattr(user, "id", "a message without a sender"), getattr(chat, "id", None)
        )
        if user is None:
            return None
        t = texts_for(user.language_code)
        inner = event.event
        if isinstance(inner, Message) and inner.chat.type == ChatType.PRIVATE:
            if self.notices.first(user.id):
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
    """Spends the sender's budget on handlers flagged ``rate_limited`` only.

    Over the limit: a private chat hears it once per window (not once per message), a group hears
    nothing, an inline query gets an empty answer with the wait, a button press a short notice.
    """

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter
        self.notices = OncePerWindow(limiter.window)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        key = sender_key(event)
        if key is None or not get_flag(data, "rate_limited"):
            return await handler(event, data)
        wait = self.limiter.retry_after(key)
        if wait <= 0:
            return await handler(event, data)
        t = data["t"]
        text = t("rate_limited", seconds=max(1, round(wait)))
        logger.info("rate limit: %s must wait %.0f s", key, wait)
        if isinstance(event, Message):
            if event.chat.type == ChatType.PRIVATE and self.notices.first(key):
                await event.answer(text)
        elif isinstance(event, InlineQuery):
            button = InlineQueryResultsButton(text=text, start_parameter="limit")
            await event.answer([], cache_time=0, is_personal=True, button=button)
        elif isinstance(event, CallbackQuery):
            await event.answer(text)
        return None


class DebounceMiddleware(BaseMiddleware):
    """Handlers flagged ``debounced`` see a user's inline query only once the user stops typing."""

    def __init__(self, debouncer: Debouncer) -> None:
        self.debouncer = debouncer

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        key = sender_key(event)
        if key is not None and get_flag(data, "debounced") and not await self.debouncer.settled(key):
            return None  # superseded by a newer query: Telegram's client has moved on too
        return await handler(event, data)
