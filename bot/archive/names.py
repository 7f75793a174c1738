"""Safe file names for uploaded documents."""

from __future__ import annotations

import re
import unicodedata

# Letters and digits of any script, spaces, dots and dashes survive; anything else becomes "_".
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)
MAX_STEM = 100  # characters; Cyrillic takes two bytes each and file systems allow 255 bytes


def safe_file_name(name: str) -> str:
    """A plain file name that keeps the whole name the sender gave, minus what a file system cannot hold.

    Telegram allows "/" inside a document's name ("Протокол 12/2025.docx"): it is part of the name,
    not a folder, so it becomes "_" ("Протокол 12_2025.docx") like every other character that could
    make a path, a hidden file or a control sequence. The result never leaves the folder it is put in.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip(" ._")[:MAX_STEM].strip(" ._") or "document"
    suffix = suffix.strip(" _").lower()
    return f"{stem}.{suffix}" if suffix else stem


def display_stem(name: str) -> str:
    """The name as the sender wrote it, without its extension: "Протокол 12/2025"."""
    name = unicodedata.normalize("NFC", name or "").strip().lstrip("./\\ ")  # "../" says nothing about a document
    stem, dot, _ = name.rpartition(".")
    return (stem if dot and stem else name).strip()
