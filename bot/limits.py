"""Per-user budgets: how many questions a minute, one notice per window, and inline queries settled before counting."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Hashable

# Forget idle keys once this many are tracked, so memory stays flat however many users come and go.
_TRACKED_KEYS = 10_000


class RateLimiter:
    """At most ``limit`` events per key in a sliding ``window`` of seconds."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[Hashable, deque[float]] = {}

    def retry_after(self, key: Hashable, now: float | None = None) -> float:
        """0 if the key may go on (and the event is counted), else seconds to wait."""
        if self.limit <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return self.window - (now - events[0])
        events.append(now)
        if len(self._events) > _TRACKED_KEYS:
            for idle in [k for k, e in self._events.items() if not e or now - e[-1] >= self.window]:
                del self._events[idle]
        return 0.0


class OncePerWindow:
    """True the first time a key comes up in each window: one notice per window, not one per message."""

    def __init__(self, window: float) -> None:
        self.window = window
        self._since: dict[Hashable, float] = {}

    def first(self, key: Hashable, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        since = self._since.get(key)
        if since is not None and now - since < self.window:
            return False
        self._since[key] = now
        if len(self._since) > _TRACKED_KEYS:
            for idle in [k for k, t in self._since.items() if now - t >= self.window]:
                del self._since[idle]
        return True


class Debouncer:
    """Lets through only the last of a burst: a call settles when no newer call for its key came within ``delay``.

    Telegram sends an inline query for nearly every keystroke; answering (and counting) only the query
    the user stopped typing at makes a 25-character question cost one unit instead of six.
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._latest: dict[Hashable, int] = {}
        self._tickets = 0

    async def settled(self, key: Hashable) -> bool:
        self._tickets += 1
        ticket = self._latest[key] = self._tickets
        await asyncio.sleep(self.delay)
        if self._latest.get(key) != ticket:
            return False  # a newer query from the same user supersedes this one
        del self._latest[key]
        return True
