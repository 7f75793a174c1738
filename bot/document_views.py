"""The archive as admins see it in Telegram: the list of documents, a document's page, its description card.

Pure functions from the archive's state to (text, keyboard); the handlers in bot/routers/documents.py
send them. Callback data carries a short key of the document's name (Telegram allows 64 bytes).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.archive.store import DocumentStore
from bot.build_messages import skip_reason
from bot.texts import Texts
from index.metadata import default_title
from index.snapshot import Snapshot

PAGE_SIZE = 10
SOURCE_SUGGESTIONS = 6
NOT_SET = "—"


class DocAction(CallbackData, prefix="doc"):
    """What a button in the archive's messages does.

    action: "list" / "pick" (a page of the list, to open or to delete), "open", "edit", "field",
    "set" (a suggested value), "delete", "confirm", "cancel".
    """

    action: str
    key: str = ""
    page: int = 0
    field: str = ""
    value: int = -1


def doc_key(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Entry:
    """One file of the documents folder, with what the index knows of it."""

    name: str
    title: str
    source: str
    date: str
    size: int
    modified: float
    chunks: int | None  # None: not in the index (skipped, or waiting for the next build)
    problem: str  # why the index skips it, in the admin's language; "" when it does not

    @property
    def key(self) -> str:
        return doc_key(self.name)


def catalogue(store: DocumentStore, snapshot: Snapshot | None, t: Texts) -> list[Entry]:
    """Every document on disk (indexed or not), by name."""
    indexed: dict[str, tuple[int, object]] = {}
    skipped: dict[str, str] = {}
    if snapshot is not None:
        counts = np.bincount(snapshot.chunk_document.astype(np.int64), minlength=len(snapshot.documents))
        indexed = {d.path: (int(counts[i]), d.meta) for i, d in enumerate(snapshot.documents)}
        for item in snapshot.manifest.get("skipped", []):
            skipped[item["path"]] = skip_reason(item.get("code", "unreadable"), item.get("details", {}), t)
    entries = []
    for document in store.documents():
        chunks, meta = indexed.get(document.name, (None, None))
        fields = document.fields
        title = fields.get("title") or (meta.title if meta is not None else "") or default_title_of(document.name)
        entries.append(
            Entry(
                name=document.name,
                title=title,
                source=fields.get("source") or (meta.source if meta is not None else ""),
                date=fields.get("date") or (meta.date if meta is not None else ""),
                size=document.size,
                modified=document.modified,
                chunks=chunks,
                problem=skipped.get(document.name, ""),
            )
        )
    # Files the index refuses before reading (an .xlsx, say) are not documents, but the admin should see them.
    listed = {e.name for e in entries}
    for name, problem in skipped.items():
        stored = store.document(name) if name not in listed else None
        if stored is not None:
            entries.append(Entry(name, name, "", "", stored.size, stored.modified, None, problem))
    return sorted(entries, key=lambda e: e.name)


def default_title_of(name: str) -> str:
    return default_title(Path(name), "")


def find(entries: list[Entry], key: str) -> Entry | None:
    return next((e for e in entries if e.key == key), None)


def search(entries: list[Entry], query: str) -> list[Entry]:
    """By exact file name, else every document whose name or title contains the query (any case)."""
    exact = [e for e in entries if e.name == query]
    if exact:
        return exact
    needle = query.casefold()
    return [e for e in entries if needle in e.name.casefold() or needle in e.title.casefold()]


def human_size(size: int, t: Texts) -> str:
    if size < 1024 * 1024:
        return t("size_kb", n=f"{max(size / 1024, 0.1):.1f}")
    return t("size_mb", n=f"{size / 1024 / 1024:.1f}")


def when(timestamp: float) -> str:
    return time.strftime("%d.%m.%Y %H:%M", time.localtime(timestamp))


# ---- the list ------------------------------------------------------------------------------
def list_page(entries: list[Entry], page: int, t: Texts, picking: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the list; each number opens the document (or, ``picking``, asks to delete it)."""
    pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    header = "delete_pick" if picking else "docs_header"
    lines = [t.html(header, n=len(entries), page=page + 1, pages=pages)]
    for number, entry in enumerate(shown, page * PAGE_SIZE + 1):
        described = ", ".join(escape(x) for x in (entry.source, entry.date) if x)
        line = f"<b>{number}.</b> {escape(entry.title)}" + (f" — {described}" if described else "")
        line += f"\n    <code>{escape(entry.name)}</code>"
        if entry.problem:
            line += "\n    ⚠ " + t.html("doc_not_indexed", reason=entry.problem)
        elif entry.chunks is None:
            line += "\n    ⏳ " + t.html("doc_pending")
        lines.append(line)
    if not picking:
        lines.append(f"\n<i>{t.html('docs_hint')}</i>")
    action = "delete" if picking else "open"
    buttons = [
        InlineKeyboardButton(text=str(number), callback_data=DocAction(action=action, key=e.key, page=page).pack())
        for number, e in enumerate(shown, page * PAGE_SIZE + 1)
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    turn = "pick" if picking else "list"
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(text="◀", callback_data=DocAction(action=turn, page=page - 1).pack()))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(text="▶", callback_data=DocAction(action=turn, page=page + 1).pack()))
    if nav:
        rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


# ---- one document ----------------------------------------------------------------------------
def document_page(entry: Entry, page: int, t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    text = t.html(
        "doc_page",
        title=entry.title,
        source=entry.source or NOT_SET,
        date=entry.date or NOT_SET,
        name=entry.name,
        size=human_size(entry.size, t),
        chunks=entry.chunks if entry.chunks is not None else NOT_SET,
        added=when(entry.modified),
    )
    if entry.problem:
        text += "\n⚠ " + t.html("doc_not_indexed", reason=entry.problem)
    elif entry.chunks is None:
        text += "\n⏳ " + t.html("doc_pending")
    text += f"\n\n<i>{t.html('doc_replace_hint')}</i>"
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=t("btn_edit"), callback_data=DocAction(action="edit", key=entry.key).pack()),
                InlineKeyboardButton(
                    text=t("btn_delete"), callback_data=DocAction(action="delete", key=entry.key, page=page).pack()
                ),
            ],
            [InlineKeyboardButton(text=t("btn_back"), callback_data=DocAction(action="list", page=page).pack())],
        ]
    )
    return text, keyboard


def delete_question(entry: Entry, t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("btn_confirm_delete"), callback_data=DocAction(action="confirm", key=entry.key).pack()
                ),
                InlineKeyboardButton(text=t("btn_cancel"), callback_data=DocAction(action="cancel").pack()),
            ]
        ]
    )
    return t.html("delete_confirm", title=entry.title, name=entry.name), keyboard


# ---- the description card --------------------------------------------------------------------
def description_card(name: str, fields: dict[str, str], t: Texts) -> tuple[str, InlineKeyboardMarkup]:
    """Title, source and date of a document, with a button for each."""
    text = t.html(
        "meta_card",
        name=name,
        title=fields.get("title") or NOT_SET,
        source=fields.get("source") or NOT_SET,
        date=fields.get("date") or NOT_SET,
    )
    key = doc_key(name)
    row = [
        InlineKeyboardButton(
            text=t(f"btn_{field}"), callback_data=DocAction(action="field", key=key, field=field).pack()
        )
        for field in ("title", "source", "date")
    ]
    keyboard = InlineKeyboardMarkup(inline_keyboard=[row])
    return f"{text}\n\n<i>{t.html('meta_card_hint')}</i>", keyboard


def known_sources(store: DocumentStore, snapshot: Snapshot | None) -> list[str]:
    """Sources already used in the archive, most used first: offered as buttons."""
    counter: Counter[str] = Counter(d.fields["source"] for d in store.documents() if d.fields.get("source"))
    if snapshot is not None:
        counter.update(d.meta.source for d in snapshot.documents if d.meta.source)
    return [source for source, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))][:SOURCE_SUGGESTIONS]


def ask_keyboard(name: str, field: str, sources: list[str], t: Texts) -> InlineKeyboardMarkup:
    """Buttons under "send the title / source / date": suggestions for that field, and cancel."""
    key = doc_key(name)
    rows: list[list[InlineKeyboardButton]] = []
    if field == "source":
        rows += [
            [
                InlineKeyboardButton(
                    text=_short(s), callback_data=DocAction(action="set", key=key, field=field, value=i).pack()
                )
            ]
            for i, s in enumerate(sources)
        ]
    if field == "date":
        today = DocAction(action="set", key=key, field=field, value=0).pack()
        rows.append([InlineKeyboardButton(text=t("btn_today"), callback_data=today)])
    rows.append([InlineKeyboardButton(text=t("btn_cancel"), callback_data=DocAction(action="cancel").pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
