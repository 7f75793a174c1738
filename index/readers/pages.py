"""Put a paged document's text together: text-layer pages and recognised pages, in page order."""

from __future__ import annotations

import re

from index.readers.base import Extracted, UnreadableDocument
from index.readers.ocr import PagesRead

# A word broken at the end of a printed line: "сотрудни-\nчества". Russian compound adjectives
# ("торгово-\nэкономический") end their first part in -о/-е and keep the hyphen.
_BROKEN_WORD = re.compile(r"(\w*?)([^\W\d_])-[ \t]*\n[ \t]*(?=[a-zа-яё])")


def _join_broken_word(match: re.Match[str]) -> str:
    head, last = match.group(1), match.group(2)
    return f"{head}{last}-" if last in "оеОЕ" else f"{head}{last}"


# Tesseract sometimes starts a new block in mid-sentence (a blank line before a lower-case word):
# the splitter would take it for a paragraph break and cut the sentence in two.
_BLOCK_IN_SENTENCE = re.compile(r"(?<=[^\s.!?:;…])[ \t]*\n\s*\n\s*(?=[a-zа-яё])")
# The edge of a page or a table rule read as a letter: "|" standing alone.
_STRAY_BARS = re.compile(r"(?:(?<=\s)|^)[|¦]+(?=\s|$)", re.MULTILINE)


# A line break inside a paragraph is where the printed line ended, not where the sentence did.
_LINE_IN_PARAGRAPH = re.compile(r"[ \t]*(?<!\n)\n(?!\s*\n)[ \t]*")


def tidy_ocr_text(text: str) -> str:
    """Tesseract's text as paragraphs: words and sentences broken across lines or blocks joined again."""
    text = _STRAY_BARS.sub("", text.replace("\f", "\n"))
    text = _BROKEN_WORD.sub(_join_broken_word, text)
    text = _BLOCK_IN_SENTENCE.sub("\n", text)
    return _LINE_IN_PARAGRAPH.sub(" ", text).strip()


def assemble_pages(
    page_count: int,
    layer_texts: dict[int, str],
    read: PagesRead | None,
    title: str,
    blank: tuple[str, str],
) -> Extracted:
    """The document's text with its OCR facts; UnreadableDocument when no page gave any text."""
    texts = dict(layer_texts)
    recognised = {n: tidy_ocr_text(t) for n, t in (read.texts.items() if read else ())}
    texts.update(recognised)
    text = "\n\n".join(texts[n].strip() for n in sorted(texts) if texts[n].strip())
    cuts = tuple(read.cuts) if read else ()
    if not text.strip():
        if cuts:  # nothing readable, and the reason is what OCR could not do
            first = cuts[0]
            raise UnreadableDocument(first.reason, first.code, **first.details)
        raise UnreadableDocument(*blank)  # (reason, code) of a document with nothing on it
    ocr_pages = tuple(sorted(recognised))  # a blank scanned page is still a recognised one
    return Extracted(text, title, pages=page_count, ocr_pages=ocr_pages, ocr_cuts=cuts)
