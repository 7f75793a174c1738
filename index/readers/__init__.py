"""Extract plain text from the file formats the commission uses, one module per format.

Every reader takes the file's bytes and returns :class:`Extracted` text, or raises
:class:`UnreadableDocument` with a reason a person can act on ("encrypted PDF", "Tesseract is not
installed") and a ``code`` an interface translates. Page formats (PDF, images) also take an OCR
session for their pages without text (:mod:`index.readers.ocr`). Nothing here decides what to
index; :mod:`index.loader` does that.
"""

from __future__ import annotations

from collections.abc import Callable

from index.readers.base import Extracted, OcrCut, UnreadableDocument
from index.readers.docx import read_docx
from index.readers.html import read_html
from index.readers.image import IMAGE_EXTENSIONS, read_image
from index.readers.ocr import OcrPending, OcrService, OcrSettings, PageOcr
from index.readers.pdf import read_pdf
from index.readers.text import decode_text, read_plain

TextReader = Callable[[bytes], Extracted]
PageReader = Callable[[bytes, PageOcr], Extracted]

READERS: dict[str, TextReader | PageReader] = {
    ".txt": read_plain,
    ".md": read_plain,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
    **dict.fromkeys(IMAGE_EXTENSIONS, read_image),
}
PAGE_FORMATS = frozenset((".pdf", *IMAGE_EXTENSIONS))  # readers that take an OCR session
SUPPORTED_EXTENSIONS = tuple(READERS)


def read_bytes(suffix: str, data: bytes, ocr: PageOcr) -> Extracted:
    """Text of a file with this (lower-case) suffix; OcrPending in a build's planning pass."""
    reader = READERS[suffix]
    if suffix in PAGE_FORMATS:
        return reader(data, ocr)  # type: ignore[call-arg]
    return reader(data)  # type: ignore[call-arg]


__all__ = [
    "PAGE_FORMATS",
    "READERS",
    "SUPPORTED_EXTENSIONS",
    "Extracted",
    "OcrCut",
    "OcrPending",
    "OcrService",
    "OcrSettings",
    "PageOcr",
    "UnreadableDocument",
    "decode_text",
    "read_bytes",
]
