"""Replies as Telegram HTML: the answer sentence highlighted inside its passage, with its source.

Every piece of document text is HTML-escaped here, once, so that "<", "&" or "*" in a document
reach the user as characters and never break the message or inject markup.
"""

from __future__ import annotations

from html import escape

from bot.texts import Texts
from index.models import Answer, DocumentMeta, Passage, page_ranges

MESSAGE_LIMIT = 4096


def source_line(passage: Passage, t: Texts) -> str:
    meta = passage.meta
    parts = [f"<i>{escape(meta.title or passage.title or passage.document)}</i>"]
    parts += [escape(x) for x in (meta.source, meta.place, meta.date) if x]
    line = f"📄 {t('source')}: " + ", ".join(parts)
    return f"{line}\n{escape(ocr_mark(meta, t))}" if meta.ocr_pages else line


def ocr_mark(meta: DocumentMeta, t: Texts) -> str:
    """Says the text was recognised from a scan (so a misread letter is no surprise), and which pages."""
    if len(meta.ocr_pages) >= meta.pages:
        return t("ocr_mark")
    return t("ocr_mark_pages", pages=page_ranges(meta.ocr_pages), total=meta.pages)


def highlighted_passage(answer: Answer) -> str:
    text = answer.passage.text
    before, sentence, after = text[: answer.start], text[answer.start : answer.end], text[answer.end :]
    return f"{escape(before)}<b>{escape(sentence)}</b>{escape(after)}"


def answer_message(answer: Answer, t: Texts) -> str:
    return f"{highlighted_passage(answer)}\n\n{source_line(answer.passage, t)}"


def passage_message(passage: Passage, index: int, total: int, t: Texts) -> str:
    header = f"<b>{escape(t('passage', i=index, n=total))}</b>"
    return f"{header}\n{escape(passage.text)}\n\n{source_line(passage, t)}"


def split_message(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split between paragraphs, lines or words, never inside a tag or an entity.

    Tags opened in one part are closed at its end and reopened at the start of the next, so
    every part is valid HTML on its own.
    """
    parts: list[str] = []
    rest = html
    while len(rest) > limit:
        window = rest[: limit - 40]  # room for closing and reopening tags
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = len(window)
        # never cut inside a tag ("<b") or an entity ("&amp;")
        while "<" in window[:cut] and window[:cut].rfind("<") > window[:cut].rfind(">"):
            cut = window[:cut].rfind("<")
        amp = window[:cut].rfind("&")
        if amp != -1 and ";" not in window[amp:cut]:
            cut = amp
        head, rest = rest[:cut], rest[cut:].lstrip()
        open_tags = _open_tags(head)
        parts.append(head + "".join(f"</{tag}>" for tag in reversed(open_tags)))
        rest = "".join(f"<{tag}>" for tag in open_tags) + rest
    parts.append(rest)
    return [p for p in parts if p.strip()]


def _open_tags(html: str) -> list[str]:
    stack: list[str] = []
    i = 0
    while (i := html.find("<", i)) != -1:
        end = html.find(">", i)
        if end == -1:
            break
        tag = html[i + 1 : end].split()[0] if html[i + 1 : end].strip() else ""
        if tag.startswith("/"):
            if stack and stack[-1] == tag[1:]:
                stack.pop()
        elif tag:
            stack.append(tag)
        i = end + 1
    return stack
