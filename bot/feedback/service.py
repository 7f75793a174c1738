"""What the handlers use of the answer log: follow-up context, recording answers, votes, the report.

Every database call runs in a worker thread; the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aiogram.enums import ChatType
from aiogram.types import Message, User

from bot.feedback.followups import EarlierAnswer, FollowUpRules, is_short
from bot.feedback.store import AnswerRecord, FeedbackStore, LogSummary, Tally
from index.folders import ROLES, is_writable, not_writable_message
from index.models import Reply

logger = logging.getLogger(__name__)
PURGE_EVERY = 3600.0  # seconds between deletions of expired rows (and one at start-up)
INLINE_PENDING = 2000  # inline answers offered but not (yet) sent or voted on, remembered in memory


@dataclass(frozen=True)
class PendingInline:
    """An inline answer offered to a user: it enters the log once sent (chosen) or voted on."""

    user_id: int
    language: str
    reply: Reply
    index_version: str | None


class FeedbackService:
    def __init__(
        self,
        store: FeedbackStore,
        rules: FollowUpRules,
        index_version: Callable[[], str | None] = lambda: None,
        unsaved_folder: Path | None = None,
        purge_every: float = PURGE_EVERY,
    ) -> None:
        self.store = store
        self.rules = rules
        self.index_version = index_version
        self.unsaved_folder = unsaved_folder  # set when the log cannot be written there and lives in memory
        self.purge_every = purge_every
        self._pending: OrderedDict[str, PendingInline] = OrderedDict()
        self._purging: asyncio.Task | None = None

    @classmethod
    def open(
        cls,
        path: Path,
        days: float,
        rules: FollowUpRules,
        index_version: Callable[[], str | None] = lambda: None,
        clock: Callable[[], float] = time.time,
        purge_every: float = PURGE_EVERY,
    ) -> FeedbackService:
        """The log at ``path``; a folder the bot may not write keeps it in memory, said once in the log."""
        problem = None
        if not is_writable(path.parent) or (path.exists() and not os.access(path, os.W_OK)):
            problem = not_writable_message(path.parent, "feedback")
        else:
            try:
                store = FeedbackStore(path, days, clock)
            except (OSError, sqlite3.Error) as exc:
                problem = f"The answer log {path} cannot be opened ({exc}): {ROLES['feedback']}"
        if problem is not None:
            logger.error("%s", problem)
            store = FeedbackStore(None, days, clock)
        service = cls(store, rules, index_version, path.parent if problem else None, purge_every)
        service.store.purge()
        return service

    # ---- follow-ups ----------------------------------------------------------------------
    async def earlier_answer(self, message: Message, bot_id: int, question: str) -> EarlierAnswer | None:
        """The answer this message follows up: the one it replies to, or (private chat) the last one, if short."""
        replied = message.reply_to_message
        try:
            if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
                record = await asyncio.to_thread(self.store.answer_for_message, message.chat.id, replied.message_id)
                return EarlierAnswer(record, by_reply=True) if record is not None else None
            if replied is None and message.chat.type == ChatType.PRIVATE and is_short(question, self.rules):
                since = self.store.clock() - self.rules.minutes * 60
                record = await asyncio.to_thread(self.store.last_answer_in, message.chat.id, since, message.message_id)
                return EarlierAnswer(record, by_reply=False) if record is not None else None
        except sqlite3.Error:
            logger.exception("could not read the answer log; the question is answered on its own")
        return None

    # ---- the log ---------------------------------------------------------------------------
    async def record(
        self, message: Message, reply: Reply, language: str, earlier: EarlierAnswer | None
    ) -> AnswerRecord | None:
        """Log a question asked in a chat and the bot's answer (or that it had none); None if the log failed,
        which never keeps the answer from the asker (it just comes without vote buttons)."""
        asker = _sender_id(message)
        kind = "private" if message.chat.type == ChatType.PRIVATE else "group"
        context = earlier.context.question if earlier else None
        try:
            return await asyncio.to_thread(
                self.store.record, asker, kind, language, reply, context, self.index_version()
            )
        except sqlite3.Error:
            logger.exception("could not log a question; it is answered without vote buttons")
            return None

    async def link(self, sent: Message, record: AnswerRecord | None) -> None:
        """The bot's message ``sent`` shows ``record``: replies to it are its follow-ups."""
        if record is None:
            return
        try:
            await asyncio.to_thread(self.store.link_message, sent.chat.id, sent.message_id, record.id)
        except sqlite3.Error:
            logger.exception("could not log which message shows an answer; replies to it are new questions")

    def offer_inline(self, user: User, reply: Reply, language: str) -> str:
        """A token for an inline answer; it is logged only if the user sends it or votes on it."""
        token = secrets.token_urlsafe(9)
        self._pending[token] = PendingInline(user.id, language, reply, self.index_version())
        while len(self._pending) > INLINE_PENDING:
            self._pending.popitem(last=False)
        return token

    async def inline_sent(self, token: str) -> AnswerRecord | None:
        """The user sent the inline answer ``token`` into a chat: log it (once)."""
        pending = self._pending.pop(token, None)
        if pending is None:
            return None
        return await asyncio.to_thread(
            self.store.record, pending.user_id, "inline", pending.language, pending.reply, None,
            pending.index_version, token,
        )  # fmt: skip

    async def vote(self, token: str, voter: int, choice: str) -> tuple[AnswerRecord, Tally] | None:
        """Record a press of a vote button; None when the answer is no longer kept."""
        if token in self._pending:  # an inline answer voted on before Telegram told us it was sent
            await self.inline_sent(token)
        return await asyncio.to_thread(self.store.vote, token, voter, choice)

    async def summary(self) -> LogSummary:
        return await asyncio.to_thread(self.store.summary)

    # ---- retention ---------------------------------------------------------------------------
    def start(self) -> None:
        """Delete expired rows every ``purge_every`` seconds while the bot runs."""
        if self._purging is None:
            self._purging = asyncio.create_task(self._purge_periodically(), name="feedback-purge")

    async def _purge_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.purge_every)
            try:
                await asyncio.to_thread(self.store.purge)
            except sqlite3.Error:
                logger.exception("could not delete expired rows from the answer log; retrying later")

    async def close(self) -> None:
        if self._purging is not None:
            self._purging.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._purging
            self._purging = None
        self.store.close()


def _sender_id(message: Message) -> int:
    """Who asked: the user, or the channel/group an anonymous admin writes as."""
    if message.from_user is not None:
        return message.from_user.id
    return message.sender_chat.id if message.sender_chat is not None else 0
