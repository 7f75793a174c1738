"""Photographed pages from Telegram, turned into one document each: a photo, or an album as one PDF.

Telegram delivers an album as separate messages that share a ``media_group_id``, with no sign of which
is the last. The collector waits until the group has been quiet for ``quiet_seconds`` and hands over all
its pages, in the order they were sent; a photo without a group is handed over at once. The pages of an
album become one PDF with no text layer, which the OCR reader reads page by page (index.readers).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

logger = logging.getLogger(__name__)


@dataclass
class Page:
    order: int  # the message id: Telegram numbers an album's messages in the order they were sent
    data: bytes
    caption: str | None = None  # an album's caption rides on one of its messages, usually the first
    message: Any = None  # what to reply to


@dataclass
class _Pending:
    pages: list[Page] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None


class AlbumCollector:
    def __init__(self, quiet_seconds: float = 2.0, max_pages: int = 50) -> None:
        self.quiet_seconds = quiet_seconds
        self.max_pages = max_pages
        self._pending: dict[tuple[int, str], _Pending] = {}

    def add(self, chat_id: int, group: str, page: Page, when_complete: Callable[[list[Page]], Awaitable[None]]) -> None:
        """Keep a page of an album; ``when_complete`` gets all of them once the album is quiet."""
        key = (chat_id, group)
        pending = self._pending.setdefault(key, _Pending())
        if len(pending.pages) < self.max_pages:
            pending.pages.append(page)
        if pending.timer is not None:
            pending.timer.cancel()
        loop = asyncio.get_running_loop()
        pending.timer = loop.call_later(self.quiet_seconds, self._complete, key, when_complete)

    def _complete(self, key: tuple[int, str], when_complete: Callable[[list[Page]], Awaitable[None]]) -> None:
        pending = self._pending.pop(key, None)
        if pending is None:
            return
        pages = sorted(pending.pages, key=lambda p: p.order)
        task = asyncio.get_running_loop().create_task(when_complete(pages))
        task.add_done_callback(_log_failure)


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("an album upload failed", exc_info=task.exception())


def pages_as_pdf(pages: list[bytes]) -> bytes:
    """The photographed pages as one PDF with no text layer (each page an image, at its own size)."""
    from PIL import Image

    images = [Image.open(io.BytesIO(data)).convert("RGB") for data in pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=200.0)
    return out.getvalue()


def photo_name(title: str | None, when: datetime, pages: int) -> str:
    """A file name for photographed pages: the title the admin gave, else the date and time they came."""
    stem = (title or "").strip() or f"photo-{when:%Y-%m-%d-%H%M%S}"
    return f"{stem}.pdf" if pages > 1 else f"{stem}.jpg"
