"""The webhook endpoint: checks Telegram's secret, refuses what is not an update, hands updates to the dispatcher.

Differs from aiogram's SimpleRequestHandler in two ways that matter in production:
- a body that is not JSON, or JSON that is not an Update, gets HTTP 400 and one log line (aiogram answers
  500 with a traceback, or fails later in a task nobody awaits);
- at shutdown it does not close the bot's HTTP session itself. aiogram closes it first thing, under the
  answers still being sent; their requests then fail and are retried, and Telegram delivers them twice.
  Here shutdown waits for the updates being handled, and the runner closes the session last.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

logger = logging.getLogger(__name__)


class UpdateRequestHandler(SimpleRequestHandler):
    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret_token: str, **data: Any) -> None:
        super().__init__(dispatcher=dispatcher, bot=bot, handle_in_background=True, secret_token=secret_token, **data)

    def register(self, app: web.Application, /, path: str, **kwargs: Any) -> None:
        app.on_shutdown.append(self._finish_updates)  # instead of closing the session (see the module's doc)
        app.router.add_route("POST", path, self.handle, **kwargs)

    async def handle(self, request: web.Request) -> web.Response:
        if not self.verify_secret(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), self.bot):
            return web.Response(body="Unauthorized", status=401)
        try:
            update = Update.model_validate(json.loads(await request.read()), context={"bot": self.bot})
        except (ValueError, ValidationError) as exc:  # not JSON, not UTF-8, or not an Update
            logger.warning("webhook: refused a request that is not a Telegram update (%s)", _reason(exc))
            return web.Response(text="not a Telegram update", status=400)
        task = asyncio.create_task(self._feed(update))
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({})

    async def _feed(self, update: Update) -> None:
        try:
            await self.dispatcher.feed_update(self.bot, update, **self.data)
        except Exception:  # the error router handles handler errors; this is whatever slips past it
            logger.exception("update %s could not be handled", update.update_id)

    async def _finish_updates(self, app: web.Application) -> None:
        """Wait for the updates already accepted (their answers are still being computed or sent)."""
        pending = set(self._background_feed_update_tasks)
        if pending:
            logger.info("waiting for %d updates to be answered", len(pending))
            _, still = await asyncio.wait(pending, timeout=30)
            if still:
                logger.warning("%d updates were still being handled at shutdown", len(still))

    async def close(self) -> None:
        """The runner closes the bot's session once everything is sent."""


class QuietRefusedUpdates(logging.Filter):
    """For aiohttp's access log: a request refused as not an update was already logged, in one line, by the handler."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.refused = f"POST {path} "

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (self.refused in message and '" 400 ' in message)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return f"{exc.error_count()} invalid fields"
    return type(exc).__name__
