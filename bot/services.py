"""What the handlers use, injected through the dispatcher: answering, reindexing, limits, uploads.

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
from collections import OrderedDict, deque
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
    """Answers questions off the event loop and remembers recent replies for "more sources"."""

    def __init__(self, engine: Engine, workers: int = 2, remembered: int = 2000) -> None:
        self.engine = engine
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="answer")
        self.answered = 0
        self._replies: OrderedDict[str, Reply] = OrderedDict()
        self._remembered = remembered
        self._lock = threading.Lock()

    async def ask(self, question: str, k: int | None = None) -> Reply:
        loop = asyncio.get_running_loop()
        reply = await loop.run_in_executor(self.executor, self.engine.ask, question, k)
        self.answered += 1
        return reply

    def remember(self, reply: Reply) -> str:
        key = hashlib.sha1(f"{time.monotonic_ns()}:{reply.question}".encode()).hexdigest()[:12]
        with self._lock:
            self._replies[key] = reply
            while len(self._replies) > self._remembered:
                self._replies.popitem(last=False)
        return key

    def recall(self, key: str) -> Reply | None:
        with self._lock:
            return self._replies.get(key)

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


class RateLimiter:
    """At most ``limit`` events per user in a sliding ``window`` of seconds."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[int, deque[float]] = {}

    def retry_after(self, user_id: int, now: float | None = None) -> float:
        """0 if the user may go on (and the event is counted), else seconds to wait."""
        if self.limit <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        events = self._events.setdefault(user_id, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return self.window - (now - events[0])
        events.append(now)
        if len(self._events) > 10_000:  # forget idle users so memory stays flat
            for uid in [u for u, e in self._events.items() if not e or now - e[-1] >= self.window]:
                del self._events[uid]
        return 0.0


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
