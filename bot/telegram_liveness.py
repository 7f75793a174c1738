"""Keeping in touch with Telegram: the polling heartbeat and webhook registration that outlasts an outage.

Webhook mode with Telegram unreachable at start (network down, DNS, a proxy's 502): the webhook server
is already up and answers /healthz with 503; registration is retried with backoff (5 s doubling to a
minute, one log line per attempt) until Telegram answers, so the bot recovers by itself, with or
without a restart policy. Telegram's refusals (wrong token, a URL it will not call) are not outages:
they are raised to the caller, which stops the bot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod

from bot.health import Heartbeat, WebhookStatus

logger = logging.getLogger(__name__)

# Not Telegram saying no, but Telegram not being reached (or a proxy in between failing).
OUTAGES = (TelegramNetworkError, TelegramServerError, TelegramRetryAfter, ClientDecodeError, TimeoutError)


def install_heartbeat(bot: Bot, heartbeat: Heartbeat) -> None:
    """Beat after every getUpdates that returned: polling is alive and Telegram reachable."""

    async def beat_after_updates(make_request, bot: Bot, method: TelegramMethod):
        result = await make_request(bot, method)
        if isinstance(method, GetUpdates):
            heartbeat.beat()
        return result

    bot.session.middleware(beat_after_updates)


@dataclass(frozen=True)
class Backoff:
    first: float = 5.0
    longest: float = 60.0

    def delays(self):
        delay = self.first
        while True:
            yield delay
            delay = min(delay * 2, self.longest)


async def register_webhook(
    register: Callable[[], Awaitable[object]],
    status: WebhookStatus,
    backoff: Backoff = Backoff(),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Call ``register`` (setWebhook) until Telegram accepts it, waiting out outages; refusals are raised."""
    for delay in backoff.delays():
        try:
            await register()
        except OUTAGES as exc:
            wait = float(exc.retry_after) if isinstance(exc, TelegramRetryAfter) else delay
            problem = f"Telegram Bot API unreachable ({type(exc).__name__})"
            status.failed(problem)
            logger.warning(
                "%s: webhook not registered yet (attempt %d), retrying in %.0f s", problem, status.attempts, wait
            )
            await sleep(wait)
            continue
        status.succeeded()
        if status.attempts:
            logger.info("webhook registered after %d failed attempts", status.attempts)
        return
