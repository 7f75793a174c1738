"""What the handlers use, injected through the dispatcher: answering (the archive: bot/archive/, limits: bot/limits.py).

The engine is synchronous and CPU-bound; answers are computed in worker threads so the event
loop keeps serving other users meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from index.engine import Engine
from index.followup import FollowUp
from index.models import Reply

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

    async def ask_with_version(
        self, question: str, k: int | None = None, context: FollowUp | None = None
    ) -> tuple[Reply, str | None]:
        """The reply (to a follow-up of ``context``, if given) and the index version it came from (None if a
        reindex swapped the index meanwhile)."""

        def answer() -> tuple[Reply, str | None]:
            before = self.index_version
            reply = self.engine.ask(question, k, context)
            return reply, before if self.index_version == before else None

        loop = asyncio.get_running_loop()
        reply, version = await loop.run_in_executor(self.executor, answer)
        self.answered += 1
        return reply, version

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=False)
