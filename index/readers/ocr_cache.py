"""OCR results by content hash: an unchanged scan is never recognised twice.

    OCR_CACHE_DIR/
      3f/3fa9…c2.json     one page: {"text": ..., "status": "ok" | "timeout", "seconds": ...}

The key is a hash of the page's own content and of everything that changes the text (languages,
cleaning, resolution), so it survives renames, `index --full` and new index versions (the cache
lives outside the index folder). A page is ~3 KB of text; the folder is trimmed to its size limit
after each build, least recently used pages first. A damaged entry is a miss, never an error, and
an unwritable folder only means no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

ENTRY_FORMAT = 1


@dataclass(frozen=True)
class CachedPage:
    text: str
    status: str = "ok"  # "timeout": Tesseract did not finish within ``seconds``
    seconds: float = 0.0


def cache_key(page_fingerprint: str, signature: str) -> str:
    return hashlib.sha256(f"{page_fingerprint}\0{signature}".encode()).hexdigest()


class OcrCache:
    def __init__(self, folder: Path | None, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._broken = folder is None

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedPage | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            entry = json.loads(path.read_text("utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            logger.warning("OCR cache entry %s cannot be read (%s): recognising the page again", path.name, exc)
            return None
        except ValueError as exc:
            entry = {"damaged": str(exc)}
        try:
            if entry.get("format") != ENTRY_FORMAT or entry.get("key") != key:
                raise ValueError(entry.get("damaged", "not an entry of this format"))
            page = CachedPage(str(entry["text"]), str(entry.get("status", "ok")), float(entry.get("seconds", 0)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            logger.warning("OCR cache entry %s is damaged, recognising the page again (%s)", path.name, exc)
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest when the cache is trimmed
        return page

    def put(self, key: str, page: CachedPage) -> None:
        if self._broken:
            return
        path = self._path(key)
        entry = {"format": ENTRY_FORMAT, "key": key, "text": page.text, "status": page.status, "seconds": page.seconds}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(handle.name, path)  # a reader never sees half an entry
        except OSError as exc:
            logger.warning("OCR cache at %s is not writable (%s): results are not kept", self.folder, exc)
            self._broken = True

    def trim(self) -> int:
        """Remove the least recently used entries until the folder fits its limit; returns how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        entries = []
        for path in self.folder.glob("*/*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        if removed:
            logger.info("OCR cache trimmed: %d old pages removed", removed)
        return removed
