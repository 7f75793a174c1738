"""Documents on disk as admins change them: new versions, deletions, metadata, and one step of history.

    DOCUMENTS_DIR/report.pdf                      the current version
    DOCUMENTS_DIR/report.pdf.meta.yaml            its title, source, date (read by the engine)
    INDEX_DIR/history/files/report.pdf(+sidecar)  the state before the last change of report.pdf
    INDEX_DIR/history/journal.json                the last change of each document, newest last

Each document keeps the one version before its last change, so any change can be undone; undoing
swaps the two versions, so undoing twice brings the change back. A document that did not exist
before its change ("added") has an empty previous state: undoing its upload removes it.

Every upload is read with the engine's own readers before it is kept: a file the index would skip
is refused, and nothing of it stays on disk.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from index.loader import DocumentFile, RawFile, list_document_files, parse_document
from index.metadata import make_meta, read_sidecar, sidecar_path, write_sidecar
from index.models import LoadedDocument
from index.readers import READERS, OcrPending, OcrService, OcrSettings, UnreadableDocument
from index.splitter import SplitterConfig, split_text

logger = logging.getLogger(__name__)

_REFUSED_WRITE = (errno.EACCES, errno.EPERM, errno.EROFS)


class ArchiveRefusal(Exception):
    """A change the archive refuses; nothing was changed."""


class FolderNotWritable(ArchiveRefusal):
    """The bot may not write into a folder it must change (a read-only mount, wrong owner)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(f"folder not writable: {folder}")
        self.folder = folder


class FolderMissing(ArchiveRefusal):
    """The documents folder does not exist: a mistyped DOCUMENTS_DIR, never created behind the admin's back."""

    def __init__(self, folder: Path) -> None:
        super().__init__(f"documents folder not found: {folder}")
        self.folder = folder


class DuplicateDocument(ArchiveRefusal):
    """The same bytes are already in the archive under another name."""

    def __init__(self, existing: str) -> None:
        super().__init__(f"already in the archive as {existing}")
        self.existing = existing


class UnknownDocument(ArchiveRefusal, KeyError):
    """No document of that name."""


@dataclass(frozen=True)
class StoredDocument:
    name: str  # relative to the documents folder, with forward slashes
    size: int
    modified: float  # when this version was put there (Unix time)
    fields: dict[str, str]  # what its sidecar says


@dataclass(frozen=True)
class Change:
    """The last change of one document, as the journal keeps it."""

    name: str
    action: str  # "added", "replaced", "deleted" or "undone"
    at: float
    by: int | None = None
    had_previous: bool = True  # False: before this change there was no such document
    undone: str = ""  # for "undone": the action that was undone


@dataclass(frozen=True)
class Saved:
    name: str
    action: str  # "added", "replaced" or "unchanged"


class DocumentStore:
    def __init__(
        self,
        documents_dir: Path,
        history_dir: Path,
        max_bytes: int,
        splitter: SplitterConfig | None = None,
        keep_changes: int = 100,
        ocr: OcrSettings | None = None,
    ) -> None:
        self.ocr = ocr or OcrSettings()
        self.documents_dir = documents_dir
        self.history_dir = history_dir
        self.max_bytes = max_bytes
        self.splitter = splitter or SplitterConfig()
        self.keep_changes = keep_changes  # older changes lose their previous version (and cannot be undone)
        self._lock = threading.RLock()

    # ---- checks --------------------------------------------------------------------------
    @staticmethod
    def supported(name: str) -> bool:
        return Path(name).suffix.lower() in READERS

    def check(self, name: str, data: bytes) -> LoadedDocument:
        """Read the bytes as the index will; raises UnreadableDocument with the index's code and reason."""
        suffix = Path(name).suffix.lower()
        if suffix not in READERS:
            kind = suffix or name
            raise UnreadableDocument(f"unsupported format '{kind}'", "unsupported_format", format=kind)
        if not data:
            raise UnreadableDocument("empty file", "empty")
        if len(data) > self.max_bytes:
            size_mb, limit_mb = f"{len(data) / 1e6:.1f}", f"{self.max_bytes / 1e6:.1f}"
            raise UnreadableDocument(
                f"too large ({size_mb} MB, limit {limit_mb} MB)", "too_large", size=size_mb, limit=limit_mb
            )
        file = DocumentFile(Path(name), name)
        try:
            # Scanned pages are looked up in the OCR cache only: Tesseract is too slow for an upload's
            # reply, so they are recognised by the build. A scan Tesseract cannot read (not installed,
            # no language pack) is still refused here, with that reason.
            document = parse_document(file, RawFile(data, {}, b""), OcrService(self.ocr))
        except OcrPending:
            digest = RawFile(data, {}, b"").digest
            return LoadedDocument(name, "", make_meta({}, file.path, ""), digest, Path(name).suffix.lower().lstrip("."))
        if not split_text(document.text, self.splitter):
            raise UnreadableDocument("no sentences found in the text", "no_text")
        return document

    def ensure_writable(self) -> None:
        """Raise FolderNotWritable naming the folder when the documents or history folder refuses writes.

        A missing documents folder is FolderMissing: creating it would let the next build replace
        the whole index with the one uploaded file (the builder refuses a missing folder for that reason).
        """
        if not self.documents_dir.is_dir():
            raise FolderMissing(self.documents_dir)
        for folder in (self.documents_dir, self.history_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                handle, probe = tempfile.mkstemp(dir=folder, prefix=".write-check-")
                os.close(handle)
                os.unlink(probe)
            except OSError as exc:
                if exc.errno in _REFUSED_WRITE:
                    raise FolderNotWritable(folder) from exc
                raise

    # ---- reading -------------------------------------------------------------------------
    def path_of(self, name: str) -> Path:
        """The document's path; a name that would leave the folder is refused."""
        folder = self.documents_dir.resolve()
        path = (folder / name).resolve()
        if not path.is_relative_to(folder) or path == folder:
            raise UnknownDocument(name)
        return path

    def documents(self) -> list[StoredDocument]:
        files, _ = list_document_files(self.documents_dir)
        found = []
        for file in files:
            try:
                stat = file.path.stat()
            except OSError:
                continue
            found.append(StoredDocument(file.relative, stat.st_size, stat.st_mtime, read_sidecar(file.path)[0]))
        return found

    def document(self, name: str) -> StoredDocument | None:
        try:
            path = self.path_of(name)
            stat = path.stat()
        except (UnknownDocument, OSError):
            return None
        return StoredDocument(name, stat.st_size, stat.st_mtime, read_sidecar(path)[0]) if path.is_file() else None

    def duplicate_of(self, data: bytes, other_than: str = "") -> str | None:
        """A document (other than ``other_than``) holding exactly these bytes."""
        digest = hashlib.sha256(data).digest()
        for document in self.documents():
            if document.name == other_than or document.size != len(data):
                continue
            if hashlib.sha256(self.path_of(document.name).read_bytes()).digest() == digest:
                return document.name
        return None

    def changes(self) -> list[Change]:
        """The last change of each document, newest first."""
        return list(reversed(self._read_journal()))

    # ---- changing ------------------------------------------------------------------------
    def save(self, name: str, data: bytes, fields: dict[str, str], by: int | None = None) -> Saved:
        """Put ``data`` in as document ``name`` (a safe, top-level name): a new document or a new version.

        A new version keeps the document's metadata, with ``fields`` written over it; the version
        it replaces goes to the history.
        """
        if not self.documents_dir.is_dir():
            raise FolderMissing(self.documents_dir)
        with self._lock, self._writing():
            path = self.path_of(name)
            if path.is_file():
                if path.read_bytes() == data:
                    if fields:
                        write_sidecar(path, fields)
                    return Saved(name, "unchanged")
                action = "replaced"
            else:
                duplicate = self.duplicate_of(data)
                if duplicate is not None:
                    raise DuplicateDocument(duplicate)
                action = "added"
            self._keep_previous(name)
            _write_atomically(path, data)
            if fields:
                write_sidecar(path, fields)
            self._record(Change(name, action, time.time(), by, had_previous=action == "replaced"))
            logger.info("document %s %s by %s", name, action, by)
            return Saved(name, action)

    def delete(self, name: str, by: int | None = None) -> Change:
        with self._lock, self._writing():
            path = self.path_of(name)
            if not path.is_file():
                raise UnknownDocument(name)
            self._keep_previous(name)
            path.unlink()
            sidecar_path(path).unlink(missing_ok=True)
            change = Change(name, "deleted", time.time(), by)
            self._record(change)
            logger.info("document %s deleted by %s", name, by)
            return change

    def set_fields(self, name: str, fields: dict[str, str]) -> dict[str, str]:
        """Write metadata fields into the document's sidecar (an empty value clears one); returns them all."""
        with self._lock, self._writing():
            path = self.path_of(name)
            if not path.is_file():
                raise UnknownDocument(name)
            write_sidecar(path, fields)
            return read_sidecar(path)[0]

    def undo(self, name: str | None = None, by: int | None = None) -> tuple[Change, bool] | None:
        """Swap a document (the one changed last, or ``name``) with its previous state.

        Returns the change undone and whether the document exists now; None when there is nothing to undo.
        """
        with self._lock, self._writing():
            journal = self._read_journal()
            candidates = [c for c in journal if name is None or c.name == name]
            if not candidates:
                return None
            change = candidates[-1]
            path = self.path_of(change.name)
            previous = self._history_path(change.name)
            if change.had_previous and not previous.is_file():
                logger.warning("previous version of %s is missing from the history", change.name)
                return None
            stash = self.history_dir / ".swap"
            shutil.rmtree(stash, ignore_errors=True)
            exists_now = path.is_file()
            if exists_now:
                _copy_version(path, stash / "document")
            if change.had_previous:
                _copy_version(previous, path)
                restored = True
            else:
                path.unlink(missing_ok=True)
                sidecar_path(path).unlink(missing_ok=True)
                restored = False
            _remove_version(previous)
            if exists_now:
                _copy_version(stash / "document", previous)
            shutil.rmtree(stash, ignore_errors=True)
            self._record(Change(change.name, "undone", time.time(), by, had_previous=exists_now, undone=change.action))
            logger.info("document %s: %s undone by %s", change.name, change.action, by)
            return change, restored

    # ---- history -------------------------------------------------------------------------
    def _history_path(self, name: str) -> Path:
        return self.history_dir / "files" / name

    def _keep_previous(self, name: str) -> None:
        """Copy the document's current state (or its absence) into the history, replacing what was there."""
        previous = self._history_path(name)
        _remove_version(previous)
        path = self.path_of(name)
        if path.is_file():
            _copy_version(path, previous)

    def _read_journal(self) -> list[Change]:
        try:
            raw = json.loads((self.history_dir / "journal.json").read_text("utf-8"))
            return [Change(**item) for item in raw.get("changes", [])]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, TypeError) as exc:
            logger.warning("history journal unreadable (%s); starting a new one", exc)
            return []

    def _record(self, change: Change) -> None:
        journal = [c for c in self._read_journal() if c.name != change.name] + [change]
        for old in journal[: -self.keep_changes]:
            _remove_version(self._history_path(old.name))
        journal = journal[-self.keep_changes :]
        text = json.dumps({"changes": [asdict(c) for c in journal]}, ensure_ascii=False, indent=1)
        _write_atomically(self.history_dir / "journal.json", text.encode("utf-8"))

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turns "permission denied" / "read-only file system" into FolderNotWritable naming the folder."""
        try:
            yield
        except OSError as exc:
            if exc.errno not in _REFUSED_WRITE:
                raise
            inside_history = Path(exc.filename or "").is_relative_to(self.history_dir)
            raise FolderNotWritable(self.history_dir if inside_history else self.documents_dir) from exc


def _write_atomically(path: Path, data: bytes) -> None:
    """A reader (a build) sees the old file or the new one, never a half-written one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_version(source: Path, target: Path) -> None:
    """Copy a document and its sidecar (or the sidecar's absence); keeps its time, so "added" stays true."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".copy-")
    os.close(handle)
    try:
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sidecar_path(source).is_file():
        shutil.copy2(sidecar_path(source), sidecar_path(target))
    else:
        sidecar_path(target).unlink(missing_ok=True)


def _remove_version(path: Path) -> None:
    path.unlink(missing_ok=True)
    sidecar_path(path).unlink(missing_ok=True)
