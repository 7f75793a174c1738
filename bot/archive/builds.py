"""Index builds for the bot: one at a time; whatever is asked for meanwhile is done by one follow-up build.

An upload, a deletion or /reindex during a build does not fail with "already running": it gets a
:class:`BuildTicket` for the next build, which starts as soon as the current one ends and covers
every request made in between. Each requester awaits its own ticket, so each admin learns when
their change is in the index.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from index.engine import Engine
from index.models import BuildReport
from index.store import BuildInProgress

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildProgress:
    stage: str  # "waiting" (another process is building), "reading", "embedding", "writing", "publishing"
    done: int
    total: int


ProgressListener = Callable[[BuildProgress], None]


class BuildTicket:
    """One request's view of the build that includes it."""

    def __init__(self, full: bool, queued: bool) -> None:
        self.full = full
        self.queued = queued  # another build was running when this was asked for
        self.report: BuildReport | None = None
        self.error: BaseException | None = None
        self._listeners: list[ProgressListener] = []
        self._done = asyncio.Event()

    def on_progress(self, listener: ProgressListener) -> None:
        self._listeners.append(listener)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    async def wait(self) -> BuildReport:
        """The report of the build that included this request; raises what the build raised."""
        await self._done.wait()
        if self.error is not None:
            raise self.error
        assert self.report is not None
        return self.report

    def _progress(self, progress: BuildProgress) -> None:
        for listener in self._listeners:
            try:
                listener(progress)
            except Exception:  # a broken listener must not stop the build's other listeners
                logger.exception("progress listener failed")

    def _finish(self, report: BuildReport | None, error: BaseException | None = None) -> None:
        self.report, self.error = report, error
        self._done.set()


class BuildQueue:
    def __init__(self, engine: Engine, busy_retry: float = 5.0, busy_wait: float = 900.0) -> None:
        self.engine = engine
        # Another process (`commission-bot index`) may hold the engine's build lock: wait for it
        # this long, checking every ``busy_retry`` seconds, before giving up.
        self.busy_retry = busy_retry
        self.busy_wait = busy_wait
        self.running = False
        self.builds_run = 0
        self.last_report: BuildReport | None = None
        self.last_finished: float | None = None
        self._pending: list[BuildTicket] = []
        self._worker: asyncio.Task[None] | None = None

    def request(self, full: bool = False) -> BuildTicket:
        """A build that includes everything on disk now: the next one to start (possibly right away)."""
        ticket = BuildTicket(full, queued=self.running)
        self._pending.append(ticket)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._work(), name="index-builds")
        return ticket

    async def _work(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            self.running = True
            try:
                report = await self._build(any(t.full for t in batch), batch)
            except Exception as exc:
                if not isinstance(exc, BuildInProgress):
                    logger.exception("index build failed; the previous index keeps serving")
                for ticket in batch:
                    ticket._finish(None, exc)
            else:
                for ticket in batch:
                    ticket._finish(report)
            finally:
                self.running = False

    async def _build(self, full: bool, batch: list[BuildTicket]) -> BuildReport:
        loop = asyncio.get_running_loop()

        def tell(progress: BuildProgress) -> None:
            for ticket in batch:
                ticket._progress(progress)

        def progress(stage: str, done: int, total: int) -> None:  # called in the build's thread
            loop.call_soon_threadsafe(tell, BuildProgress(stage, done, total))

        deadline = loop.time() + self.busy_wait
        while True:
            try:
                report = await loop.run_in_executor(None, lambda: self.engine.build(full=full, progress=progress))
            except BuildInProgress:
                if loop.time() >= deadline:
                    raise
                tell(BuildProgress("waiting", 0, 0))
                await asyncio.sleep(self.busy_retry)
                continue
            self.builds_run += 1
            self.last_report, self.last_finished = report, time.time()
            return report
