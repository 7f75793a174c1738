"""Documents from Telegram (ADMIN_IDS only): a file adds or replaces a document; /docs, /delete, /undo; descriptions.

Every change is followed by the build that indexes it (queued behind a running one), and the admin
is told when the change is in the answers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiohttp import ClientError

from bot.archive import ArchiveRefusal, ArchiveService, DuplicateDocument, FolderMissing, FolderNotWritable
from bot.archive.albums import AlbumCollector, Page, pages_as_pdf, photo_name
from bot.archive.captions import MAX_FIELD_CHARS, CaptionMeta, parse_caption, parse_date
from bot.build_messages import failure_text, follow_build, skip_reason
from bot.config import Settings
from bot.document_views import (
    DocAction,
    Entry,
    ask_keyboard,
    catalogue,
    delete_question,
    description_card,
    document_page,
    find,
    known_sources,
    list_page,
    search,
)
from bot.filters import IsAdmin
from bot.progress import ProgressMessage
from bot.texts import Texts
from index.models import BuildReport
from index.readers import SUPPORTED_EXTENSIONS, UnreadableDocument

logger = logging.getLogger(__name__)
INPUT_TIMEOUT = 600.0  # seconds an admin has to answer "send the title"; later text is a question again


class DescriptionInput(StatesGroup):
    value = State()  # data: name, field, until


def _sender(message: Message | CallbackQuery) -> int | None:
    return message.from_user.id if message.from_user else None


def refusal_text(refusal: ArchiveRefusal, t: Texts) -> str:
    """Why the archive refused a change, naming the folder or the document involved."""
    if isinstance(refusal, FolderNotWritable):
        return t.html("folder_not_writable", folder=refusal.folder)
    if isinstance(refusal, FolderMissing):
        return t.html("folder_missing", folder=refusal.folder)
    if isinstance(refusal, DuplicateDocument):
        return t.html("upload_duplicate", name=refusal.existing)
    return t.html("doc_gone")


def outcome(name: str, report: BuildReport, t: Texts) -> str:
    """Whether the build put the document into the answers, and if not, why."""
    if name in report.added or name in report.changed or name in report.unchanged:
        return t.html("upload_ready", name=name)
    skipped = next((s for s in report.skipped if s.path == name), None)
    reason = skip_reason(skipped.code, skipped.details, t) if skipped else t("skip_unreadable")
    return t.html("upload_not_indexed", name=name, reason=reason)


async def accept_document(
    message: Message, name: str, data: bytes, caption: CaptionMeta, bot: Bot, t: Texts, archive: ArchiveService
) -> None:
    """Keep a file an admin sent as a document, index it, and tell the admin when it answers (or why it does not).

    The one path for every file from Telegram: documents, and photographed pages (read by OCR).
    """
    try:
        accepted = await archive.add_document(name, data, caption.fields, _sender(message))
    except UnreadableDocument as exc:
        await message.reply(t.html("upload_refused", name=name, reason=skip_reason(exc.code, exc.details, t)))
        return
    except ArchiveRefusal as refusal:
        await message.reply(refusal_text(refusal, t))
        return
    if caption.bad_date:
        await message.reply(t.html("bad_date", value=caption.bad_date))
    if accepted.ticket is None:
        await message.reply(t.html("upload_unchanged", name=accepted.name))
        return
    ticket = accepted.ticket
    headline = t.html(
        {"added": "upload_added", "replaced": "upload_replaced"}.get(accepted.action, "upload_described"),
        name=accepted.name,
    )
    status = await message.reply(f"{headline}\n{t.html('indexing_queued' if ticket.queued else 'indexing_now')}")
    if accepted.missing:
        text, keyboard = description_card(accepted.name, {**accepted.fields, "title": accepted.title}, t)
        await message.answer(text, reply_markup=keyboard)
    report = await follow_build(
        ticket, ProgressMessage(bot, status), t, headline=lambda r: f"{headline}\n{outcome(accepted.name, r, t)}"
    )
    if report is not None and ticket.queued:
        # The admin may have left the chat while waiting: a new message notifies, an edit does not.
        await message.reply(outcome(accepted.name, report, t))


async def _accept_pages(pages: list[Page], bot: Bot, t: Texts, archive: ArchiveService) -> None:
    """Photographed pages as one document: a photo as it is, an album as a PDF of its pages."""
    first: Message = pages[0].message
    caption = parse_caption(next((p.caption for p in pages if p.caption), None))
    data = pages[0].data if len(pages) == 1 else await asyncio.to_thread(pages_as_pdf, [p.data for p in pages])
    name = photo_name(caption.fields.get("title"), first.date, len(pages))
    await accept_document(first, name, data, caption, bot, t, archive)


async def _entries(archive: ArchiveService, t: Texts) -> list[Entry]:
    return await asyncio.to_thread(catalogue, archive.store, archive.snapshot, t)


async def _show(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Turn the message with the pressed button into the next view."""
    if query.message is None:
        return
    try:
        await query.bot.edit_message_text(
            text=text, chat_id=query.message.chat.id, message_id=query.message.message_id, reply_markup=keyboard
        )
    except TelegramBadRequest as exc:  # "message is not modified" after a double press
        logger.debug("view not changed: %s", exc)


async def save_description(
    reply_to: Message, name: str, field: str, value: str, state: FSMContext, bot: Bot, t: Texts, archive: ArchiveService
) -> None:
    value = " ".join(value.split())[:MAX_FIELD_CHARS]
    if field == "date":
        iso = parse_date(value)
        if iso is None:
            await reply_to.answer(t.html("bad_date", value=value))  # the question stands: send the date again
            return
        value = iso
    await state.clear()
    try:
        fields, ticket = await archive.set_fields(name, {field: value})
    except ArchiveRefusal as refusal:
        await reply_to.answer(refusal_text(refusal, t))
        return
    status = ProgressMessage(bot, await reply_to.answer(t.html("meta_saved")))
    try:
        await ticket.wait()
    except Exception as error:
        await status.finish(failure_text(error, t))
        return
    text, keyboard = description_card(name, fields, t)
    await status.finish(f"{t.html('meta_saved_done')}\n\n{text}", reply_markup=keyboard)


def create_router(settings: Settings) -> Router:
    router = Router(name="documents")
    admin = IsAdmin(settings.admin_ids)

    # ---- adding and replacing ---------------------------------------------------------------
    @router.message(F.document, F.chat.type == ChatType.PRIVATE, admin)
    async def upload(message: Message, bot: Bot, t: Texts, archive: ArchiveService) -> None:
        document = message.document
        assert document is not None
        name = document.file_name or "document"
        store = archive.store
        if not store.supported(name):
            await message.reply(t.html("upload_type", types=", ".join(SUPPORTED_EXTENSIONS)))
            return
        limit_mb = f"{store.max_bytes / 1024 / 1024:.0f}"
        if document.file_size is not None and document.file_size > store.max_bytes:
            # Refused before download: the size comes with the message.
            await message.reply(
                t.html("upload_too_big", size=f"{document.file_size / 1024 / 1024:.1f}", limit=limit_mb)
            )
            return
        try:
            await asyncio.to_thread(store.ensure_writable)  # before the download, not after
        except ArchiveRefusal as refusal:
            await message.reply(refusal_text(refusal, t))
            return
        try:
            buffer = await bot.download(document, timeout=120)
            data = buffer.read() if buffer else b""
        except (TelegramAPIError, ClientError, TimeoutError) as exc:
            logger.warning("download of an upload failed (%s)", type(exc).__name__)
            await message.reply(t.html("upload_failed"))
            return
        if len(data) > store.max_bytes:
            await message.reply(t.html("upload_too_big", size=f"{len(data) / 1024 / 1024:.1f}", limit=limit_mb))
            return
        await accept_document(message, name, data, parse_caption(message.caption), bot, t, archive)

    @router.message(F.photo, F.chat.type == ChatType.PRIVATE, admin)
    async def photographed_page(
        message: Message, bot: Bot, t: Texts, archive: ArchiveService, albums: AlbumCollector
    ) -> None:
        """A page photographed with a phone becomes a document; an album of pages becomes one PDF."""
        assert message.photo
        photo = message.photo[-1]  # the largest size Telegram keeps
        store = archive.store
        limit_mb = f"{store.max_bytes / 1024 / 1024:.0f}"
        if photo.file_size is not None and photo.file_size > store.max_bytes:
            await message.reply(t.html("upload_too_big", size=f"{photo.file_size / 1024 / 1024:.1f}", limit=limit_mb))
            return
        try:
            await asyncio.to_thread(store.ensure_writable)
            buffer = await bot.download(photo, timeout=120)
            data = buffer.read() if buffer else b""
        except ArchiveRefusal as refusal:
            await message.reply(refusal_text(refusal, t))
            return
        except (TelegramAPIError, ClientError, TimeoutError) as exc:
            logger.warning("download of a photographed page failed (%s)", type(exc).__name__)
            await message.reply(t.html("upload_failed"))
            return
        page = Page(message.message_id, data, message.caption, message)
        if message.media_group_id is None:
            await _accept_pages([page], bot, t, archive)
            return

        async def album_complete(pages: list[Page]) -> None:
            await _accept_pages(pages, bot, t, archive)

        albums.add(message.chat.id, message.media_group_id, page, album_complete)

    # ---- the list and a document's page -------------------------------------------------------
    @router.message(Command("docs"), admin)
    async def docs(message: Message, t: Texts, archive: ArchiveService) -> None:
        entries = await _entries(archive, t)
        if not entries:
            await message.answer(t.html("docs_empty"))
            return
        text, keyboard = list_page(entries, 0, t)
        await message.answer(text, reply_markup=keyboard)

    @router.callback_query(DocAction.filter(F.action.in_({"list", "pick"})), admin)
    async def turn_page(query: CallbackQuery, callback_data: DocAction, t: Texts, archive: ArchiveService) -> None:
        entries = await _entries(archive, t)
        if not entries:
            await _show(query, t.html("docs_empty"))
        else:
            await _show(query, *list_page(entries, callback_data.page, t, picking=callback_data.action == "pick"))
        await query.answer()

    @router.callback_query(DocAction.filter(F.action.in_({"open", "delete", "edit"})), admin)
    async def open_document(query: CallbackQuery, callback_data: DocAction, t: Texts, archive: ArchiveService) -> None:
        entry = find(await _entries(archive, t), callback_data.key)
        if entry is None:
            await query.answer(t("doc_gone"), show_alert=True)
            return
        if callback_data.action == "open":
            await _show(query, *document_page(entry, callback_data.page, t))
        elif callback_data.action == "delete":
            await _show(query, *delete_question(entry, t))
        else:
            fields = {"title": entry.title, "source": entry.source, "date": entry.date}
            await _show(query, *description_card(entry.name, fields, t))
        await query.answer()

    # ---- deleting ---------------------------------------------------------------------------
    @router.message(Command("delete"), admin)
    async def delete_command(message: Message, command: CommandObject, t: Texts, archive: ArchiveService) -> None:
        entries = await _entries(archive, t)
        query = (command.args or "").strip()
        if not entries:
            await message.answer(t.html("docs_empty"))
            return
        found = search(entries, query) if query else entries
        if not found:
            await message.reply(t.html("delete_not_found", query=query))
        elif len(found) == 1 and query:
            text, keyboard = delete_question(found[0], t)
            await message.reply(text, reply_markup=keyboard)
        else:
            text, keyboard = list_page(found if query else entries, 0, t, picking=True)
            await message.reply(text, reply_markup=keyboard)

    @router.callback_query(DocAction.filter(F.action == "confirm"), admin)
    async def confirm_delete(
        query: CallbackQuery, callback_data: DocAction, bot: Bot, t: Texts, archive: ArchiveService
    ) -> None:
        entry = find(await _entries(archive, t), callback_data.key)
        if entry is None or query.message is None:
            await query.answer(t("doc_gone"), show_alert=True)
            return
        await query.answer()
        try:
            ticket = await archive.delete(entry.name, _sender(query))
        except ArchiveRefusal as refusal:
            await _show(query, refusal_text(refusal, t))
            return
        status = ProgressMessage(bot, query.message)
        status.show(t.html("deleting", name=entry.name))
        await follow_build(ticket, status, t, headline=lambda r: t.html("deleted_done", name=entry.name))

    @router.callback_query(DocAction.filter(F.action == "cancel"), admin)
    async def cancel(query: CallbackQuery, callback_data: DocAction, state: FSMContext, t: Texts) -> None:
        if callback_data.field:
            await state.clear()
            await _show(query, t.html("meta_cancelled"))
        else:
            await _show(query, t.html("delete_cancelled"))
        await query.answer()

    # ---- undo -------------------------------------------------------------------------------
    @router.message(Command("undo"), admin)
    async def undo(message: Message, command: CommandObject, bot: Bot, t: Texts, archive: ArchiveService) -> None:
        try:
            result = await archive.undo((command.args or "").strip() or None, _sender(message))
        except ArchiveRefusal as refusal:
            await message.reply(refusal_text(refusal, t))
            return
        if result is None:
            await message.reply(t.html("undo_nothing"))
            return
        change, exists, ticket = result
        headline = t.html("undo_restored" if exists else "undo_removed", name=change.name) + " " + t.html("undo_again")
        status = await message.reply(f"{headline}\n{t.html('indexing_queued' if ticket.queued else 'indexing_now')}")
        await follow_build(ticket, ProgressMessage(bot, status), t, headline=lambda r: headline)

    # ---- descriptions -----------------------------------------------------------------------
    @router.callback_query(DocAction.filter(F.action == "field"), admin)
    async def ask_field(
        query: CallbackQuery, callback_data: DocAction, state: FSMContext, t: Texts, archive: ArchiveService
    ) -> None:
        entry = find(await _entries(archive, t), callback_data.key)
        if entry is None or query.message is None or callback_data.field not in ("title", "source", "date"):
            await query.answer(t("doc_gone"), show_alert=True)
            return
        field = callback_data.field
        await state.set_state(DescriptionInput.value)
        await state.set_data({"name": entry.name, "field": field, "until": time.time() + INPUT_TIMEOUT})
        sources = await asyncio.to_thread(known_sources, archive.store, archive.snapshot) if field == "source" else []
        keyboard = ask_keyboard(entry.name, field, sources, t)
        await query.message.answer(t.html(f"meta_ask_{field}", name=entry.name), reply_markup=keyboard)
        await query.answer()

    @router.callback_query(DocAction.filter(F.action == "set"), admin)
    async def pick_value(
        query: CallbackQuery, callback_data: DocAction, state: FSMContext, bot: Bot, t: Texts, archive: ArchiveService
    ) -> None:
        entry = find(await _entries(archive, t), callback_data.key)
        if entry is None or query.message is None:
            await query.answer(t("doc_gone"), show_alert=True)
            return
        if callback_data.field == "date":
            value = date.today().isoformat()
        else:
            sources = await asyncio.to_thread(known_sources, archive.store, archive.snapshot)
            if not 0 <= callback_data.value < len(sources):
                await query.answer(t("doc_gone"), show_alert=True)
                return
            value = sources[callback_data.value]
        await query.answer()
        await save_description(query.message, entry.name, callback_data.field, value, state, bot, t, archive)

    @router.message(DescriptionInput.value, F.text, ~F.text.startswith("/"), admin)
    async def typed_value(message: Message, state: FSMContext, bot: Bot, t: Texts, archive: ArchiveService) -> None:
        data = await state.get_data()
        if time.time() > data.get("until", 0):
            await state.clear()
            raise SkipHandler  # an old prompt: this text is a question like any other
        await save_description(message, data["name"], data["field"], message.text or "", state, bot, t, archive)

    # ---- everyone else ----------------------------------------------------------------------
    # A file with a caption is a question about it (the questions router answers the caption).
    @router.message(F.document, F.chat.type == ChatType.PRIVATE, ~F.caption)
    async def not_admin_upload(message: Message, t: Texts) -> None:
        await message.reply(t.html("admins_only"))

    @router.callback_query(DocAction.filter())
    async def not_admin_button(query: CallbackQuery, t: Texts) -> None:
        await query.answer(t("admins_only"), show_alert=True)

    return router
