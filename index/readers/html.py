"""HTML: the visible text only, paragraphs and table cells kept apart."""

from __future__ import annotations

import re

from index.readers.base import Extracted
from index.readers.text import decode_text

# Tags after which the visible text breaks: keeps paragraphs apart and table cells separated.
_HTML_BLOCKS = "p div li h1 h2 h3 h4 h5 h6 tr br section article blockquote pre td th table ul ol header footer".split()


def read_html(data: bytes) -> Extracted:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(data), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for hidden in soup(["script", "style", "noscript", "template", "head", "svg", "iframe", "object"]):
        hidden.decompose()
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_after("\n\n" if tag.name not in ("td", "th", "br") else " ")
    text = soup.get_text()
    return Extracted(re.sub(r"\n\s*\n+", "\n\n", text), title)
