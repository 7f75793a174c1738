"""What the handlers use, injected through the dispatcher: answering, reindexing, uploads.

The engine is synchronous and CPU-bound; everything here runs it in worker threads so the
event loop keeps serving other users while one question (or a whole reindex) is computed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from index.engine import Engine
from index.models import BuildReport, Reply
from index.readers import SUPPORTED_EXTENSIONS
from index.store import BuildInProgress

logger = logging.getLogger(__name__)


class AnswerService:
    """Answers questions off the event loop, each with the index version it came from."""

    def __init__(self, engine: Engine, workers: int = 2) -> None:
        self.engine = engine
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="answer")
        self.answered = 0

    @property
    def index_version(self) -> str | None:
        snapshot = self.engine.snapshot
        return snapshot.version if snapshot is not None else None

    async def ask(self, question: str, k: int | None = None) -> Reply:
        reply, _ = await self.ask_with_version(question, k)
        return reply

    async def ask_with_version(self, question: str, k: int | None = None) -> tuple[Reply, str | None]:
        """The reply and the index version it came from (None if a reindex swapped the index meanwhile)."""

        def answer() -> tuple[Reply, str | None]:
            before = self.index_version
            reply = self.engine.ask(question, k)
            return reply, before if self.index_version == before else None

        loop = asyncio.get_running_loop()
        reply, version = await loop.run_in_executor(self.executor, answer)
        self.answered += 1
        return reply, version

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=False)


@dataclass
class ReindexProgress:
    stage: str
    done: int
    total: int


class Reindexer:
    """One background build at a time; progress is reported back on the event loop."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._thread_lock = threading.Lock()
        self.running = False
        self.last_report: BuildReport | None = None
        self.last_finished: float | None = None

    async def run(
        self,
        full: bool,
        on_progress: Callable[[ReindexProgress], Awaitable[None]],
        min_interval: float = 1.0,
    ) -> BuildReport:
        """Build in a thread; raises BuildInProgress if one is already running (here or elsewhere)."""
        if not self._thread_lock.acquire(blocking=False):
            raise BuildInProgress("a reindex is already running")
        self.running = True
        loop = asyncio.get_running_loop()
        last_sent = [0.0, ""]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            # Telegram allows about one edit per second per message; send stage changes and the
            # end of each stage always, the rest at most once per interval.
            if stage == last_sent[1] and done < total and now - last_sent[0] < min_interval:
                return
            last_sent[0], last_sent[1] = now, stage
            asyncio.run_coroutine_threadsafe(on_progress(ReindexProgress(stage, done, total)), loop)

        try:
            report = await loop.run_in_executor(None, lambda: self.engine.build(full=full, progress=progress))
            self.last_report = report
            self.last_finished = time.time()
            return report
        finally:
            self.running = False
            self._thread_lock.release()


_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def safe_file_name(name: str) -> str:
    """A plain file name: no folders, no "..", no hidden or control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip(" ._")[:100] or "document"
    return f"{stem}.{suffix.lower()}" if suffix else stem


class DocumentInbox:
    """Puts uploaded files into the documents folder under safe, unique names."""

    def __init__(self, documents_dir: Path, max_bytes: int) -> None:
        self.documents_dir = documents_dir
        self.max_bytes = max_bytes

    @staticmethod
    def supported(name: str) -> bool:
        return Path(name).suffix.lower() in SUPPORTED_EXTENSIONS

    def target_for(self, name: str) -> Path:
        """A free path inside the documents folder for this name ("report-2.pdf" if taken)."""
        clean = safe_file_name(name)
        self.documents_dir.mkdir(parents=True, exist_ok=True)
        folder = self.documents_dir.resolve()
        candidate = folder / clean
        stem, suffix = Path(clean).stem, Path(clean).suffix
        n = 2
        while candidate.exists():
            candidate = folder / f"{stem}-{n}{suffix}"
            n += 1
        if candidate.parent != folder:  # belt and braces: the name cannot leave the folder
            raise ValueError("unsafe file name")
        return candidate

    def duplicate_of(self, data: bytes) -> Path | None:
        """An existing document with exactly these bytes, if any."""
        digest = hashlib.sha256(data).digest()
        if not self.documents_dir.is_dir():
            return None
        for path in self.documents_dir.iterdir():
            same_size = path.is_file() and path.stat().st_size == len(data)
            if same_size and hashlib.sha256(path.read_bytes()).digest() == digest:
                return path
        return None
