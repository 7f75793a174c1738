"""What every reader shares: its result, its failure, and the context it reads in."""

from __future__ import annotations

from dataclasses import dataclass, field


class UnreadableDocument(Exception):
    """The file cannot give text.

    The message is the reason in English (CLI, logs); ``code`` and ``details`` let an interface say
    it in the reader's own language (the bot's texts have a ``skip_<code>`` string per code).
    """

    def __init__(self, reason: str, code: str = "unreadable", **details: str | int | float) -> None:
        super().__init__(reason)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str = ""  # the document's own title (HTML <title>, DOCX/PDF properties), if any
    pages: int = 0  # pages of a PDF or an image file; 0 where a format has none
    ocr_pages: tuple[int, ...] = ()  # 1-based numbers of the pages whose text came from OCR
    ocr_cuts: tuple[OcrCut, ...] = field(default=())  # pages left unread by a limit


@dataclass(frozen=True)
class OcrCut:
    """Pages of a document that OCR left out, and why (reported in the build summary)."""

    pages: tuple[int, ...]  # 1-based page numbers
    reason: str  # in English, for the CLI and logs
    code: str  # "page_limit", "page_timeout", "page_failed": what an interface translates
    details: dict[str, str | int | float] = field(default_factory=dict)
