"""The archive's operations as the bot (or any other front end) calls them: change files, then index."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.archive.builds import BuildQueue, BuildTicket
from bot.archive.captions import EDITABLE_FIELDS
from bot.archive.names import display_stem, safe_file_name
from bot.archive.store import Change, DocumentStore
from index.engine import Engine
from index.metadata import default_title
from index.snapshot import Snapshot


@dataclass(frozen=True)
class Accepted:
    name: str  # the document's name in the archive
    action: str  # "added", "replaced" or "unchanged"
    fields: dict[str, str]  # its title, source, date as they stand now (in its sidecar)
    ticket: BuildTicket | None  # the build that indexes it; None when nothing changed
    title: str = ""  # the title answers will show: the admin's, else the document's own ("" if neither)
    missing: tuple[str, ...] = ()  # of title, source, date: what neither the admin nor the file gave


class ArchiveService:
    def __init__(self, store: DocumentStore, builds: BuildQueue) -> None:
        self.store = store
        self.builds = builds

    @classmethod
    def for_engine(cls, engine: Engine, upload_max_bytes: int) -> ArchiveService:
        """The archive of the engine's documents folder; its history lives beside the index versions."""
        build = engine.config.build
        store = DocumentStore(
            build.documents_dir,
            engine.config.store.root / "history",
            # An upload the index would skip as too large is refused at once.
            min(upload_max_bytes, build.max_file_bytes),
            build.splitter,
            ocr=build.ocr,
        )
        return cls(store, BuildQueue(engine))

    async def add_document(self, name: str, data: bytes, fields: dict[str, str], by: int | None = None) -> Accepted:
        """Check a file with the engine's readers, keep it as a document, and queue the build that indexes it.

        The one path for every file an admin sends (documents, scans and photographed pages). A name in
        use makes this a new version of that document. Raises UnreadableDocument (the index's code and
        reason), DuplicateDocument or FolderNotWritable; nothing is kept then.
        """
        clean = safe_file_name(name)
        document = await asyncio.to_thread(self.store.check, clean, data)
        fields = dict(fields)
        existing = self.store.document(clean)
        has_title = "title" in fields or (existing is not None and existing.fields.get("title"))
        name_derived = default_title(Path(clean), "")
        if not has_title and display_stem(name) != Path(clean).stem and document.meta.title == name_derived:
            # "Протокол 12/2025.docx" is kept as "Протокол 12_2025.docx"; its title keeps what the admin wrote.
            fields["title"] = display_stem(name)
        saved = await asyncio.to_thread(self.store.save, clean, data, fields, by)
        before = existing.fields if existing else {}
        changed = saved.action != "unchanged" or any(before.get(k) != v for k, v in fields.items())
        ticket = self.builds.request() if changed else None
        current = self.store.document(clean)
        now = current.fields if current else fields
        own_title = document.meta.title if document.meta.title != name_derived else ""
        title = now.get("title") or own_title
        missing = tuple(f for f in EDITABLE_FIELDS if not (title if f == "title" else now.get(f)))
        return Accepted(clean, saved.action, now, ticket, title, missing)

    @property
    def snapshot(self) -> Snapshot | None:
        """The index version serving now (what /docs shows as indexed)."""
        return self.builds.engine.snapshot

    async def delete(self, name: str, by: int | None = None) -> BuildTicket:
        await asyncio.to_thread(self.store.delete, name, by)
        return self.builds.request()

    async def undo(self, name: str | None = None, by: int | None = None) -> tuple[Change, bool, BuildTicket] | None:
        """Undo the last change (of ``name``): the change, whether the document exists now, and its build."""
        undone = await asyncio.to_thread(self.store.undo, name, by)
        if undone is None:
            return None
        change, exists = undone
        return change, exists, self.builds.request()

    async def set_fields(self, name: str, fields: dict[str, str]) -> tuple[dict[str, str], BuildTicket]:
        current = await asyncio.to_thread(self.store.set_fields, name, fields)
        return current, self.builds.request()
