"""A Telegram message that shows the latest state of long work, edited within Telegram's flood control.

Telegram answers a second edit of one message within about a second with 429 and ``retry_after``.
Edits therefore go out one at a time, no closer than ``interval``, and only the newest state is
sent: states overtaken while an edit (or a flood-control wait) was in progress are dropped. The
final state is always the last one shown: :meth:`ProgressMessage.finish` waits for the edit in
flight, then sends it, and nothing is edited after it.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramRetryAfter
from aiogram.types import InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.formatting import split_message

logger = logging.getLogger(__name__)


class ProgressMessage:
    def __init__(
        self, bot: Bot, message: Message | InaccessibleMessage, interval: float = 1.0, attempts: int = 5
    ) -> None:
        self.bot = bot
        self.chat_id = message.chat.id
        self.message_id = message.message_id
        self.interval = interval
        self.attempts = attempts
        self._shown = getattr(message, "text", None) or ""
        self._wanted = self._shown
        self._last_edit = 0.0
        self._final = False
        self._markup: InlineKeyboardMarkup | None = None
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None

    def show(self, text: str) -> None:
        """Make ``text`` the state to show next (ignored once the message is final)."""
        if self._final:
            return
        self._wanted = text
        self._wake.set()
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_loop())

    async def finish(self, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
        """Show ``text`` as the last state (longer texts continue in new messages); never raises."""
        parts = split_message(text) or [text]
        self._final = True
        self._wanted, self._markup = parts[0], reply_markup
        self._wake.set()
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_loop())
        await self._writer
        for part in parts[1:]:
            await self._send(part)

    async def _write_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            pause = self._last_edit + self.interval - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)  # states arriving meanwhile replace each other
            final = self._final
            if self._wanted != self._shown or (final and self._markup is not None):
                await self._edit(final)
            if final:
                return

    async def _edit(self, final: bool) -> None:
        loop = asyncio.get_running_loop()
        for _ in range(self.attempts):
            text = self._wanted  # the newest state, also after a flood-control wait
            markup = self._markup if final else None
            try:
                await self.bot.edit_message_text(
                    text=text, chat_id=self.chat_id, message_id=self.message_id, reply_markup=markup
                )
            except TelegramRetryAfter as exc:
                logger.info("progress edit: flood control, waiting %s s", exc.retry_after)
                await asyncio.sleep(exc.retry_after)
                continue
            except TelegramBadRequest as exc:
                if "not modified" not in str(exc).lower():
                    logger.warning("progress message cannot be edited (%s)", exc.message)
                    if final:  # deleted or too old: the final state still reaches the admin
                        await self._send(text, markup)
                self._shown = text
                return
            except TelegramAPIError as exc:
                logger.warning("progress edit failed (%s)", type(exc).__name__)
                if final:
                    await self._send(text, markup)
                return
            self._shown, self._last_edit = text, loop.time()
            return
        if final:
            await self._send(self._wanted, self._markup)

    async def _send(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        try:
            await self.bot.send_message(self.chat_id, text, reply_markup=markup)
        except TelegramAPIError as exc:
            logger.warning("could not send the final state (%s)", type(exc).__name__)
