"""Extract plain text from the file formats the commission uses.

Every reader takes the file's bytes and returns text, or raises :class:`UnreadableDocument` with
a reason a person can act on ("encrypted PDF", "no text layer (scanned?)"). Nothing here decides
what to index; :mod:`index.loader` does that.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import charset_normalizer

# A .docx is a zip; a zip bomb expands a few KB into gigabytes. These bound what we unpack.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    nuls = sample.count(0)
    controls = sum(1 for b in sample if b < 32 and b not in (0, 9, 10, 13))
    return controls / len(sample) > 0.02 or nuls / len(sample) > 0.3


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the detected encoding (typically cp1251)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _CONTROL.sub("", data.decode("utf-16"))
        except UnicodeDecodeError:
            raise UnreadableDocument("damaged UTF-16 text", "damaged_text") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _looks_binary(data):
        raise UnreadableDocument("binary data, not text", "binary")
    # Stray NUL bytes (from a bad export) are dropped rather than failing the whole file.
    data = data.replace(b"\x00", b"")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp866", "latin_1"]).best()
        if best is None:
            raise UnreadableDocument("unknown text encoding", "unknown_encoding") from None
        text = str(best)
    return _CONTROL.sub("", text)


def read_plain(data: bytes) -> Extracted:
    return Extracted(decode_text(data))


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


def read_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument("not a PDF file (corrupt or wrong extension)", "not_pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise UnreadableDocument("encrypted PDF (password protected)", "encrypted_pdf")
            except UnreadableDocument:
                raise
            except Exception as exc:
                raise UnreadableDocument("encrypted PDF (password protected)", "encrypted_pdf") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title", "") or "")
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise UnreadableDocument(f"corrupt PDF ({type(exc).__name__})", "corrupt_pdf") from exc
    # pypdf pads justified text with runs of spaces; the splitter collapses them anyway.
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise UnreadableDocument("no text layer (scanned PDF?)", "no_text_layer")
    return Extracted(text, title)


def _check_zip(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableDocument("not a DOCX file (not a zip archive)", "not_docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        unpacked = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if unpacked > MAX_UNZIPPED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
            megabytes = unpacked // (1024 * 1024)
            raise UnreadableDocument(
                f"refused: archive expands to {megabytes} MB (zip bomb?)", "zip_bomb", mb=megabytes
            )
        if "word/document.xml" not in {i.filename for i in infos}:
            raise UnreadableDocument("not a DOCX file (no word/document.xml)", "not_docx")


def _table_rows(table) -> list[str]:
    """Each row as "Header: value; Header: value" so that a row makes sense on its own."""
    rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
    if not rows:
        return []
    header, lines = rows[0], []
    if len(rows) == 1:
        return ["; ".join(c for c in header if c)]
    for row in rows[1:]:
        pairs = []
        for i, value in enumerate(row):
            if not value or (i > 0 and value == row[i - 1]):  # merged cells repeat their text
                continue
            name = header[i] if i < len(header) else ""
            pairs.append(f"{name}: {value}" if name and name != value else value)
        if pairs:
            lines.append("; ".join(pairs) + ".")
    return lines


def read_docx(data: bytes) -> Extracted:
    _check_zip(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        title = document.core_properties.title or ""
        # Body order matters: a table belongs between the paragraphs around it.
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                if block.text.strip():
                    parts.append(block.text.strip())
                    if not title and (block.style.name or "").startswith(("Heading", "Title")):
                        title = block.text.strip()
            elif isinstance(block, Table):
                parts.extend(_table_rows(block))
    except UnreadableDocument:
        raise
    except Exception as exc:  # python-docx raises many kinds on damaged XML
        raise UnreadableDocument(f"corrupt DOCX ({type(exc).__name__})", "corrupt_docx") from exc
    text = "\n\n".join(parts)
    if not text.strip():
        raise UnreadableDocument("no text in the document", "no_text")
    return Extracted(text, title)


READERS: dict[str, Callable[[bytes], Extracted]] = {
    ".txt": read_plain,
    ".md": read_plain,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}
SUPPORTED_EXTENSIONS = tuple(READERS)
