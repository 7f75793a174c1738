"""Versioned index folders on disk, switched atomically.

    INDEX_DIR/
      CURRENT                 name of the version readers load (replaced with os.replace)
      build.lock              held (flock) by the one build allowed at a time
      versions/v000007/       a complete version: manifest.json is written last
      versions/.tmp-v000008/  a build in progress (removed if its process died)

A build writes everything into a temporary folder, renames it to its final name, then points
CURRENT at it. A process killed at any moment leaves CURRENT naming a complete version. A reader
loads a version wholly into memory, so later builds and clean-ups never change what it serves.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from index.folders import FolderNotWritable, is_writable

logger = logging.getLogger(__name__)

FORMAT_VERSION = 5  # bump when the files of a version change; older versions are rebuilt
MANIFEST = "manifest.json"
DATABASE = "index.sqlite"
CHUNK_VECTORS = "chunks.faiss"
SENTENCE_VECTORS = "sentences.faiss"
TITLE_VECTORS = "titles.npy"  # one vector per document, in documents order
VERSION_FILES = (DATABASE, CHUNK_VECTORS, SENTENCE_VECTORS, TITLE_VECTORS)


class BuildInProgress(RuntimeError):
    """Another build holds the lock."""


class CorruptIndex(RuntimeError):
    """A version folder exists but cannot be loaded."""


@dataclass(frozen=True)
class StagedVersion:
    name: str
    path: Path


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_manifest(folder: Path, manifest: dict) -> None:
    """The manifest is the version's seal: sizes of every file, written (and synced) last."""
    manifest = {**manifest, "format": FORMAT_VERSION, "files": {}}
    for item in sorted(folder.iterdir()):
        if item.is_file() and item.name != MANIFEST:
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
            manifest["files"][item.name] = item.stat().st_size
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, folder / MANIFEST)


def read_manifest(folder: Path) -> dict:
    """Check that a version is whole (every file present at its recorded size) and return its manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CorruptIndex(f"{folder.name}: manifest missing or unreadable") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise CorruptIndex(f"{folder.name}: index format {manifest.get('format')} is not {FORMAT_VERSION}")
    for name, size in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file():
            raise CorruptIndex(f"{folder.name}: {name} is missing")
        if path.stat().st_size != size:
            raise CorruptIndex(f"{folder.name}: {name} is truncated or altered ({path.stat().st_size} of {size} bytes)")
    for name in VERSION_FILES:
        if name not in manifest.get("files", {}):
            raise CorruptIndex(f"{folder.name}: {name} not recorded in the manifest")
    return manifest


def check_database(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            result = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CorruptIndex(f"{path.parent.name}: database is damaged ({exc})") from exc
    if not result or result[0] != "ok":
        raise CorruptIndex(f"{path.parent.name}: database is damaged ({result[0] if result else 'no answer'})")


class VersionStore:
    def __init__(self, root: Path, keep: int = 2) -> None:
        self.root = root
        self.versions = root / "versions"
        self.keep = keep  # complete versions kept: the current one and its fallback

    # ---- reading -------------------------------------------------------------------------
    def current_name(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text("utf-8").strip()
        except OSError:
            return None
        return name or None

    def complete_versions(self) -> list[str]:
        """Sealed version folders, newest first."""
        if not self.versions.is_dir():
            return []
        names = [p.name for p in self.versions.iterdir() if p.is_dir() and not p.name.startswith(".")]
        return sorted((n for n in names if (self.versions / n / MANIFEST).exists()), reverse=True)

    def candidates(self) -> list[str]:
        """Versions to try loading, in order: CURRENT first, then older sealed ones."""
        current = self.current_name()
        rest = [n for n in self.complete_versions() if n != current]
        return ([current] if current else []) + rest

    def path_of(self, name: str) -> Path:
        return self.versions / name

    # ---- building ------------------------------------------------------------------------
    @contextmanager
    def build_lock(self) -> Iterator[None]:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = open(self.root / "build.lock", "a+")  # noqa: SIM115 - held for the whole build
        except OSError as exc:
            if is_writable(self.root):
                raise
            raise FolderNotWritable(self.root, "index") from exc
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise BuildInProgress(
                    f"another index build is already running ({holder}); try again when it ends"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}")
            handle.flush()
            yield
        finally:
            handle.close()  # closing releases the flock; a killed process releases it too

    def clean_up(self) -> list[str]:
        """Remove leftovers of killed builds and versions nobody falls back to (call under the lock)."""
        removed: list[str] = []
        if not self.versions.is_dir():
            return removed
        current = self.current_name()
        sealed = self.complete_versions()
        keep = {current} if current else set()
        for name in sealed:
            if len(keep) >= self.keep:
                break
            if current is None or name < current:  # the fallback is older than the current one
                keep.add(name)
        for item in self.versions.iterdir():
            if item.name not in keep:
                shutil.rmtree(item, ignore_errors=True)
                removed.append(item.name)
        if removed:
            logger.info("removed old or unfinished index versions: %s", ", ".join(sorted(removed)))
        return removed

    def stage(self) -> StagedVersion:
        self.versions.mkdir(parents=True, exist_ok=True)
        existing = [p.name.removeprefix(".tmp-") for p in self.versions.iterdir()]
        numbers = [int(n[1:]) for n in existing if n.startswith("v") and n[1:].isdigit()]
        name = f"v{max(numbers, default=0) + 1:06d}"
        path = self.versions / f".tmp-{name}"
        path.mkdir()
        return StagedVersion(name, path)

    def publish(self, staged: StagedVersion) -> Path:
        """Seal a staged folder under its final name, then switch CURRENT to it atomically."""
        final = self.versions / staged.name
        os.replace(staged.path, final)
        _fsync_dir(self.versions)
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(staged.name, "utf-8")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, self.root / "CURRENT")
        _fsync_dir(self.root)
        return final
