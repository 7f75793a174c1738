"""Walk the documents folder: read what can be read, report everything else by name and reason."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from index.metadata import is_sidecar, make_meta, read_sidecar, split_front_matter
from index.models import LoadedDocument, OcrCutPages, SkippedFile
from index.readers import READERS, OcrService, OcrSettings, UnreadableDocument, read_bytes

logger = logging.getLogger(__name__)

_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)


@dataclass(frozen=True)
class DocumentFile:
    path: Path
    relative: str


def list_document_files(root: Path) -> tuple[list[DocumentFile], list[SkippedFile]]:
    """Every candidate file under ``root`` (sorted), and the ones refused before reading."""
    files: list[DocumentFile] = []
    skipped: list[SkippedFile] = []
    if not root.is_dir():
        return files, skipped
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            relative = path.relative_to(root).as_posix()
            if name.startswith(".") or is_sidecar(path):
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(real_root):
                    skipped.append(
                        SkippedFile(relative, "symlink points outside the documents folder", "symlink_outside")
                    )
                    continue
            if path.suffix.lower() not in READERS:
                kind = path.suffix or name
                skipped.append(
                    SkippedFile(relative, f"unsupported format '{kind}'", "unsupported_format", {"format": kind})
                )
                continue
            files.append(DocumentFile(path, relative))
    return files, skipped


@dataclass(frozen=True)
class RawFile:
    """A document's bytes and its sidecar, read once: enough to tell whether it changed."""

    data: bytes
    fields: dict[str, str]
    sidecar_bytes: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data + b"\0meta\0" + self.sidecar_bytes).hexdigest()


def read_raw(file: DocumentFile, max_bytes: int) -> RawFile:
    """The file's bytes (size-checked before reading) and its metadata sidecar."""
    try:
        size = file.path.stat().st_size
        if size == 0:
            raise UnreadableDocument("empty file", "empty")
        if size > max_bytes:
            size_mb, limit_mb = f"{size / 1e6:.1f}", f"{max_bytes / 1e6:.1f}"
            raise UnreadableDocument(
                f"too large ({size_mb} MB, limit {limit_mb} MB)", "too_large", size=size_mb, limit=limit_mb
            )
        data = file.path.read_bytes()
        fields, sidecar_bytes = read_sidecar(file.path)
    except OSError as exc:
        raise UnreadableDocument(f"cannot read ({exc.strerror or exc})", "cannot_read") from exc
    return RawFile(data, fields, sidecar_bytes)


def read_document(file: DocumentFile, max_bytes: int, ocr: OcrService | None = None) -> LoadedDocument:
    """Read one file into a document, or raise UnreadableDocument with the reason.

    Without an OCR service, scanned pages are not recognised (and reported as such).
    """
    return parse_document(file, read_raw(file, max_bytes), ocr)


def parse_document(file: DocumentFile, raw: RawFile, ocr: OcrService | None = None) -> LoadedDocument:
    """Extract text and metadata from bytes already read.

    In a build's planning pass (an OCR service without a run) a document with pages still to
    recognise raises OcrPending.
    """
    fields = raw.fields
    suffix = file.path.suffix.lower()
    ocr = ocr or OcrService(OcrSettings(enabled=False))
    # The document's declared language picks the OCR language packs ("kk" -> Kazakh).
    extracted = read_bytes(suffix, raw.data, ocr.session(fields.get("language", "")))
    text = extracted.text
    if extracted.title:
        fields = {"title": extracted.title, **fields}
    if suffix in (".txt", ".md"):
        front, text = split_front_matter(text, file.relative)
        fields = {**front, **fields}
    meta = replace(make_meta(fields, file.path, text), pages=extracted.pages, ocr_pages=extracted.ocr_pages)
    if suffix == ".md":
        text = _MD_HEADING.sub("", text)  # "# Title" reads as "Title" in an answer
    if not text.strip():
        raise UnreadableDocument("empty file (no text)", "no_text")
    return LoadedDocument(
        path=file.relative,
        text=text,
        meta=meta,
        content_hash=raw.digest,
        format=suffix.lstrip("."),
        ocr_cuts=tuple(
            OcrCutPages(file.relative, cut.pages, cut.reason, cut.code, dict(cut.details)) for cut in extracted.ocr_cuts
        ),
    )
