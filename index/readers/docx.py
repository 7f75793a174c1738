"""DOCX: paragraphs and tables in body order; a table row keeps its header ("Срок: до 1 марта")."""

from __future__ import annotations

import io
import zipfile

from index.readers.base import Extracted, UnreadableDocument

# A .docx is a zip; a zip bomb expands a few KB into gigabytes. These bound what we unpack.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


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
