"""What the handlers use, injected through the dispatcher: answering and limits (the archive: bot/archive/).

The engine is synchronous and CPU-bound; answers are computed in worker threads so the event
loop keeps serving other users meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor

from index.engine import Engine
from index.models import Reply

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
