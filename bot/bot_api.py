"""Talking to the Bot API: which calls are retried, which may fail quietly, which must succeed to start.

Three kinds of call:
- ordinary calls (answers, edits) go through :class:`RetryRequestMiddleware`: flood control (429) and
  server errors are retried; a lost connection is retried only when resending cannot duplicate a message;
- optional calls (command menus, "typing…", menu buttons) go through :func:`optional`: one attempt, a
  time limit, and any failure is one log line;
- start-up calls (getMe, setWebhook) go through :func:`required`: a failure becomes :class:`StartupFailed`,
  which the runner reports in one line before exiting.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable
from typing import TypeVar

import aiohttp
from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramEntityTooLarge,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Update
from pydantic import ValidationError

logger = logging.getLogger(__name__)
T = TypeVar("T")
NextRequest = NextRequestMiddlewareType[TelegramType]
Method = TelegramMethod[TelegramType]

# How long an optional call may take before the bot goes on without it (read at call time: tests shorten it).
OPTIONAL_TIMEOUT = 5.0
# Set while an optional call runs: its request gets one attempt, never a retry loop.
_single_attempt: contextvars.ContextVar[bool] = contextvars.ContextVar("single_attempt", default=False)


class StartupFailed(Exception):
    """The bot cannot start; the message is one line for the operator (no secrets in it)."""


def describe(exc: BaseException) -> str:
    """One short line for the log: the error's kind and what the server said, never a whole HTML page."""
    if isinstance(exc, TelegramAPIError):
        detail = exc.message
    elif isinstance(exc, ClientDecodeError):
        detail = f"{exc.message}: the server's answer is not a Bot API response"
    else:
        detail = str(exc) or "no details"
    return f"{type(exc).__name__}: {' '.join(detail.split())[:200]}"


async def optional(call: Awaitable[T], what: str, timeout: float | None = None) -> T | None:
    """Run a call the bot can live without; whatever goes wrong, log one line and return None.

    A Bot API server may refuse such a call in its own way (a 404 or 500 with ``{"message": ...}``,
    a proxy's 502 HTML page: aiogram's ClientDecodeError), be slow, or be unreachable.
    """
    token = _single_attempt.set(True)
    try:
        return await asyncio.wait_for(call, OPTIONAL_TIMEOUT if timeout is None else timeout)
    except Exception as exc:  # "whatever the failure": this call must never stop start-up or an answer
        if isinstance(exc, TimeoutError):
            logger.warning("%s took too long; going on without it", what)
        else:
            logger.warning("%s failed (%s); going on without it", what, describe(exc))
        return None
    finally:
        _single_attempt.reset(token)


async def required(call: Awaitable[T], what: str) -> T:
    """Run a call the bot cannot start without; a failure becomes StartupFailed with a readable reason."""
    try:
        return await call
    except (TelegramUnauthorizedError, TelegramNotFound):
        # Telegram answers 401 to a wrong token and 404 to a malformed one.
        raise StartupFailed(f"{what}: Telegram does not accept BOT_TOKEN; copy the token from @BotFather") from None
    except (TelegramAPIError, ClientDecodeError) as exc:
        raise StartupFailed(f"{what} failed: {describe(exc)}") from None


def creates_a_message(method: TelegramMethod[object]) -> bool:
    """Calls that Telegram would carry out twice if sent twice (sendMessage, copyMessage, ...)."""
    name = method.__api_method__
    return name.startswith(("send", "copyMessage", "forwardMessage")) and name != "sendChatAction"


def never_reached_the_server(exc: TelegramNetworkError) -> bool:
    """True when the connection was never made (refused, DNS), so the server cannot have the request.

    A timeout or a connection closed mid-request says nothing about whether the server got it.
    """
    return isinstance(exc.__cause__, aiohttp.ClientConnectorError)


class RetryRequestMiddleware(BaseRequestMiddleware):
    """Honour flood control (429 retry_after) and retry network and 5xx errors with backoff.

    A message-creating call whose connection broke after it was sent is not resent: Telegram may already
    have delivered it, and a second attempt would give the user the answer twice. Losing one message on a
    broken connection is the lesser harm; the log says so.
    """

    def __init__(self, attempts: int = 5, base_delay: float = 0.5, max_delay: float = 30.0) -> None:
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    async def __call__(self, make_request: NextRequest, bot: Bot, method: Method) -> Response[TelegramType]:
        if isinstance(method, GetUpdates) or _single_attempt.get():  # polling has its own backoff loop
            return await make_request(bot, method)
        name = method.__api_method__
        delay = self.base_delay
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:  # Telegram did not carry the call out: resending is safe
                if last:
                    raise
                logger.warning("%s: flood control, retrying in %s s", name, exc.retry_after)
                await asyncio.sleep(min(exc.retry_after, self.max_delay * 4))
                continue
            except TelegramEntityTooLarge:
                raise
            except TelegramNetworkError as exc:
                if last:
                    raise
                if creates_a_message(method) and not never_reached_the_server(exc):
                    logger.warning("%s: connection lost after sending (%s); not resent", name, describe(exc))
                    raise
                reason = type(exc.__cause__ or exc).__name__
            except TelegramServerError as exc:
                if last:
                    raise
                reason = type(exc).__name__
            logger.warning("%s failed (%s), retry %d in %.1f s", name, reason, attempt, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_delay)
        raise AssertionError("unreachable")


class TolerantUpdatesMiddleware(BaseRequestMiddleware):
    """One update the library cannot parse must not block every update after it.

    aiogram parses a getUpdates batch as a whole; a single malformed update fails the batch, the
    offset never moves past it, and polling retries the same batch forever. Here the batch is
    parsed update by update: bad ones are logged and replaced by an empty update with the same
    id (which the dispatcher skips), so the offset moves on and the good ones are handled.
    """

    async def __call__(self, make_request: NextRequest, bot: Bot, method: Method) -> Response[TelegramType]:
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
