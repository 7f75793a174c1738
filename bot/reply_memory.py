"""Recent replies behind the "more sources" buttons: which index version they came from, how old, how far shown."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from index.models import Reply

# A "more sources" button older than this says the answer has expired: a day-old list of passages is
# not what a user pressing the button expects, and the memory must not grow without end.
REPLY_MAX_AGE = 24 * 3600.0


@dataclass
class RememberedReply:
    reply: Reply
    index_version: str | None  # None: the index changed while the question was being answered
    created: float
    shown: int = 1  # passages already sent; the answer's own passage is the first

    def is_current(self, index_version: str | None) -> bool:
        return self.index_version is not None and self.index_version == index_version


class ReplyMemory:
    """A bounded, time-limited map from a short key (fits in callback data) to a remembered reply."""

    def __init__(self, max_age: float = REPLY_MAX_AGE, capacity: int = 2000) -> None:
        self.max_age = max_age
        self.capacity = capacity
        self._replies: OrderedDict[str, RememberedReply] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, reply: Reply, index_version: str | None, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        key = hashlib.sha1(f"{time.monotonic_ns()}:{reply.question}".encode()).hexdigest()[:12]
        with self._lock:
            self._replies[key] = RememberedReply(reply, index_version, now)
            while len(self._replies) > self.capacity:
                self._replies.popitem(last=False)
        return key

    def recall(self, key: str, now: float | None = None) -> RememberedReply | None:
        """The remembered reply, or None when it is unknown (forgotten, or from before a restart) or too old."""
        now = time.monotonic() if now is None else now
        with self._lock:
            remembered = self._replies.get(key)
            if remembered is not None and now - remembered.created > self.max_age:
                del self._replies[key]
                return None
            return remembered
