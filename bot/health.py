"""Is the bot working? What each mode records, and how the healthcheck reads it.

- Polling: the bot rewrites a small heartbeat file after every successful getUpdates (at most every
  few seconds). Healthy while the last one is recent: updates are being fetched from Telegram, which
  also proves the event loop runs. Telegram unreachable, or the loop stuck, and the file ages.
- Webhook: the server's /healthz says whether the webhook is registered with Telegram (the bot keeps
  retrying while Telegram is unreachable) and which index version serves.

No aiogram here: the healthcheck process imports this and should start fast.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

# Long polling returns at least every ~10 s when idle; a burst can hold the next fetch for a while
# (updates are handled before more are taken). Two minutes without one is not a busy bot any more.
HEARTBEAT_MAX_AGE = 120.0
BEAT_EVERY = 5.0


class Heartbeat:
    """The polling loop's proof of life: a file holding when updates were last fetched."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._last = float("-inf")
        self._warned = False

    def reset(self) -> None:
        """At start-up: a file left by an earlier process says nothing about this one."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            self._warn(exc)

    def beat(self) -> None:
        now = self.clock()
        if now - self._last < BEAT_EVERY:
            return
        self._last = now
        staging = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            staging.write_text(json.dumps({"at": now, "pid": os.getpid()}), encoding="utf-8")
            os.replace(staging, self.path)  # the healthcheck never reads half a file
        except OSError as exc:
            self._warn(exc)

    def _warn(self, exc: OSError) -> None:
        if not self._warned:
            self._warned = True
            logger.warning(
                "cannot write the heartbeat file %s (%s): the healthcheck will report unhealthy", self.path, exc
            )


def polling_health(path: Path, now: float, max_age: float = HEARTBEAT_MAX_AGE) -> tuple[bool, str]:
    """(healthy, one line saying why) from the heartbeat file."""
    try:
        at = float(json.loads(path.read_text(encoding="utf-8"))["at"])
    except FileNotFoundError:
        return False, "polling: no updates fetched from Telegram yet (starting, or Telegram unreachable)"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return False, f"polling: heartbeat file {path} unreadable ({exc})"
    age = max(0.0, now - at)
    if age > max_age:
        return False, f"polling: last updates fetched from Telegram {age:.0f} s ago (unreachable, or the bot is stuck)"
    return True, f"polling: last updates fetched from Telegram {age:.0f} s ago"


@dataclass
class WebhookStatus:
    """Whether Telegram knows where to send updates; /healthz reports it."""

    registered: bool = False
    problem: str = "registering the webhook with Telegram"
    attempts: int = 0
    since: float = field(default_factory=time.time)

    def failed(self, problem: str) -> None:
        self.attempts += 1
        self.problem = problem

    def succeeded(self) -> None:
        self.registered = True
        self.problem = ""

    def as_json(self) -> dict:
        if self.registered:
            return {"webhook": "registered"}
        return {"webhook": "not registered", "problem": self.problem, "attempts": self.attempts,
                "waiting_s": round(time.time() - self.since)}  # fmt: skip


class QuietHealthyChecks(logging.Filter):
    """For aiohttp's access log: the healthcheck's /healthz every 30 s is noise while it answers 200."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("GET /healthz " in message and '" 200 ' in message)
