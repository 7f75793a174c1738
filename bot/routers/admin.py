"""Administration: /reindex and /stats (ADMIN_IDS only); anyone else asking for an admin command is told so."""

from __future__ import annotations

import logging
import time
from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.archive import ArchiveService, BuildQueue
from bot.build_messages import follow_build
from bot.config import Settings
from bot.document_views import when
from bot.filters import IsAdmin
from bot.progress import ProgressMessage
from bot.services import AnswerService
from bot.texts import Texts

logger = logging.getLogger(__name__)
ADMIN_COMMANDS = ("reindex", "stats", "docs", "delete", "undo", "report")
FULL_WORDS = ("full", "полная", "полный", "толық", "tam")


def index_updated(manifest: dict, builds: BuildQueue, t: Texts) -> str:
    """When the serving index was built, and what changed then if this process built it."""
    try:
        built = datetime.strptime(manifest.get("created", ""), "%Y-%m-%dT%H:%M:%S%z").timestamp()
    except ValueError:
        return t("stats_no_index")
    report = builds.last_report
    if report is None or report.version != manifest.get("version"):
        return when(built)
    return t(
        "stats_changes",
        when=when(built),
        added=len(report.added),
        changed=len(report.changed),
        removed=len(report.removed),
    )


def stats_text(archive: ArchiveService, answered: int, since: float, t: Texts) -> str:
    snapshot = archive.snapshot
    manifest = snapshot.manifest if snapshot is not None else {}
    return t.html(
        "stats",
        documents=len(snapshot.documents) if snapshot is not None else 0,
        skipped=len(manifest.get("skipped", [])),
        chunks=snapshot.n_chunks if snapshot is not None else 0,
        updated=index_updated(manifest, archive.builds, t) if snapshot is not None else t("stats_no_index"),
        since=when(since),
        answered=answered,
    )


def create_router(settings: Settings) -> Router:
    router = Router(name="admin")
    admin = IsAdmin(settings.admin_ids)
    started = time.time()

    @router.message(Command("reindex"), admin)
    async def reindex(message: Message, command: CommandObject, bot: Bot, t: Texts, archive: ArchiveService) -> None:
        full = (command.args or "").strip().lower() in FULL_WORDS
        ticket = archive.builds.request(full)
        label = t("reindex_full") if full else ""
        first = t.html("reindex_running") if ticket.queued else t.html("reindex_started", full=label)
        status = await message.reply(first)
        await follow_build(ticket, ProgressMessage(bot, status), t)

    @router.message(Command("stats"), admin)
    async def stats(message: Message, t: Texts, answers: AnswerService, archive: ArchiveService) -> None:
        await message.answer(stats_text(archive, answers.answered, started, t))

    @router.message(Command(*ADMIN_COMMANDS))
    async def not_admin(message: Message, t: Texts) -> None:
        await message.reply(t.html("admins_only"))

    return router
