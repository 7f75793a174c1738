"""Administration: /reindex, /docs, /stats and document uploads (ADMIN_IDS only)."""

from __future__ import annotations

import asyncio
import logging
import time
from html import escape

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.config import Settings
from bot.filters import IsAdmin
from bot.formatting import split_message
from bot.services import AnswerService, DocumentInbox, Reindexer, ReindexProgress
from bot.texts import Texts
from index.builder import MissingDocumentsFolder
from index.folders import FolderNotWritable, writable_or_logged
from index.models import BuildReport
from index.readers import SUPPORTED_EXTENSIONS
from index.store import BuildInProgress

logger = logging.getLogger(__name__)
ADMIN_COMMANDS = ("reindex", "docs", "stats")


def report_text(report: BuildReport, t: Texts) -> str:
    text = t(
        "reindex_done",
        version=report.version,
        documents=report.documents,
        chunks=report.chunks,
        added=len(report.added),
        changed=len(report.changed),
        removed=len(report.removed),
        skipped=len(report.skipped),
    )
    lines = [escape(text)]
    for label, names in (("+", report.added), ("~", report.changed), ("−", report.removed)):
        lines += [f"{label} {escape(name)}" for name in names[:20]]
    lines += [f"⚠ {escape(s.path)}: {escape(s.reason)}" for s in report.skipped[:30]]
    return "\n".join(lines)


async def run_reindex(message: Message, full: bool, bot: Bot, t: Texts, reindexer: Reindexer) -> None:
    """One progress message, edited as the build goes, ending with the summary."""
    if reindexer.running:
        await message.reply(t("reindex_running"))
        return
    label = t("reindex_full") if full else ""
    status = await message.reply(t("reindex_started", full=label))
    last_text = [status.text or ""]

    async def edit(text: str) -> None:
        if text == last_text[0]:
            return
        last_text[0] = text
        try:
            await bot.edit_message_text(text=text, chat_id=status.chat.id, message_id=status.message_id)
        except TelegramBadRequest as exc:  # "message is not modified" and the like
            logger.debug("progress edit skipped: %s", exc)

    async def on_progress(p: ReindexProgress) -> None:
        await edit(t("reindex_progress", full=label, stage=t(f"stage_{p.stage}"), done=p.done, total=p.total))

    try:
        report = await reindexer.run(full, on_progress)
    except BuildInProgress:
        await edit(t("reindex_running"))
        return
    except MissingDocumentsFolder as exc:
        await edit(t("reindex_failed", reason=str(exc)))
        return
    except FolderNotWritable as exc:
        logger.warning("%s", exc)
        await edit(t("reindex_not_writable"))
        return
    except Exception as exc:
        logger.exception("reindex failed")
        await edit(t("reindex_failed", reason=type(exc).__name__))
        return
    await asyncio.sleep(0)  # let queued progress edits run first, so the summary is the last edit
    await edit(split_message(report_text(report, t))[0])


def create_router(settings: Settings) -> Router:
    router = Router(name="admin")
    admin = IsAdmin(settings.admin_ids)

    @router.message(Command("reindex"), admin)
    async def reindex(message: Message, command: CommandObject, bot: Bot, t: Texts, reindexer: Reindexer) -> None:
        full = (command.args or "").strip().lower() in ("full", "полная", "полный")
        await run_reindex(message, full, bot, t, reindexer)

    @router.message(Command("docs"), admin)
    async def docs(message: Message, t: Texts, answers: AnswerService) -> None:
        snapshot = answers.engine.snapshot
        if snapshot is None or not snapshot.documents:
            await message.answer(t("docs_empty"))
            return
        lines = [escape(t("docs_header", n=len(snapshot.documents)))]
        lines += [f"• <code>{escape(d.path)}</code> — {escape(d.meta.title)}" for d in snapshot.documents]
        skipped = snapshot.manifest.get("skipped", [])
        if skipped:
            lines.append(escape(t("docs_skipped")))
            lines += [f"⚠ <code>{escape(s['path'])}</code>: {escape(s['reason'])}" for s in skipped]
        for part in split_message("\n".join(lines)):
            await message.answer(part)

    @router.message(Command("stats"), admin)
    async def stats(message: Message, t: Texts, answers: AnswerService, reindexer: Reindexer) -> None:
        facts = answers.engine.stats()
        last = t("never")
        if reindexer.last_report and reindexer.last_finished:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(reindexer.last_finished))
            r = reindexer.last_report
            last = f"{when} (+{len(r.added)} ~{len(r.changed)} −{len(r.removed)} ⚠{len(r.skipped)})"
        text = t(
            "stats",
            documents=facts["documents"],
            chunks=facts["chunks"],
            model=facts.get("model", "—"),
            version=facts.get("version") or "—",
            last=last,
            answered=answers.answered,
        )
        await message.answer(escape(text))

    @router.message(F.document, F.chat.type == ChatType.PRIVATE, admin)
    async def upload(message: Message, bot: Bot, t: Texts, inbox: DocumentInbox, reindexer: Reindexer) -> None:
        document = message.document
        assert document is not None
        name = document.file_name or "document"
        if not inbox.supported(name):
            await message.reply(t("upload_type", types=", ".join(SUPPORTED_EXTENSIONS)))
            return
        limit_mb = inbox.max_bytes / 1024 / 1024
        if document.file_size is not None and document.file_size > inbox.max_bytes:
            # Refused before download: the size comes with the message.
            await message.reply(
                t("upload_too_big", size=f"{document.file_size / 1024 / 1024:.1f}", limit=f"{limit_mb:.0f}")
            )
            return
        if not writable_or_logged(inbox.documents_dir, "documents"):  # said before downloading, not after
            await message.reply(t("upload_not_writable"))
            return
        try:
            buffer = await bot.download(document, timeout=120)
            data = buffer.read() if buffer else b""
        except TelegramAPIError as exc:
            await message.reply(t("upload_failed", reason=escape(type(exc).__name__)))
            return
        if len(data) > inbox.max_bytes:
            await message.reply(t("upload_too_big", size=f"{len(data) / 1024 / 1024:.1f}", limit=f"{limit_mb:.0f}"))
            return
        duplicate = inbox.duplicate_of(data)
        if duplicate is not None:
            await message.reply(t("upload_duplicate", name=escape(duplicate.name)))
            return
        target = inbox.target_for(name)
        target.write_bytes(data)
        logger.info("admin %s uploaded %s", message.from_user.id if message.from_user else "?", target.name)
        await message.reply(t("upload_saved", name=escape(target.name)))
        await run_reindex(message, False, bot, t, reindexer)

    @router.message(Command(*ADMIN_COMMANDS))
    async def not_admin(message: Message, t: Texts) -> None:
        await message.reply(t("admins_only"))

    @router.message(F.document, F.chat.type == ChatType.PRIVATE)
    async def not_admin_upload(message: Message, t: Texts) -> None:
        await message.reply(t("admins_only"))

    return router
