"""PDF: the text layer where a page has one, OCR where it has none (a mixed PDF is read page by page).

pypdf reads the text layer (as before); PDFium (pypdfium2) renders the pages that need OCR. PDFium
decodes everything scanners write — JBIG2 and CCITT fax included, which pypdf cannot — and is
not thread-safe, so only the reading thread renders.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image

from index.readers.base import Extracted, UnreadableDocument
from index.readers.ocr import PageOcr, PageRequest
from index.readers.pages import assemble_pages

# A page whose text layer has fewer letters than this is treated as a scan (a stamped page number
# or a scanner's header is not the page's text).
MIN_TEXT_LAYER_LETTERS = 16
MIN_RENDER_DPI = 100  # below this a page's letters are too small even for upscaling
_LETTER = re.compile(r"[^\W\d_]")


def _text_layer(data: bytes) -> tuple[list[str], str]:
    """Each page's text layer and the document title; UnreadableDocument for a damaged or locked file."""
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
    return pages, title


class _Renderer:
    """PDFium's view of the same file: which pages draw anything, their fingerprints, their images."""

    def __init__(self, document, dpi: int) -> None:
        self.document = document
        self.dpi = dpi

    def needs_ocr(self, index: int) -> bool:
        """The page shows an image (a scan), or draws letters as outlines with no text at all."""
        import pypdfium2.raw as pdfium_c

        page = self.document[index]
        try:
            kinds = {item.type for item in page.get_objects()}
        finally:
            page.close()
        return pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds or kinds == {pdfium_c.FPDF_PAGEOBJ_PATH}

    def fingerprint(self, index: int) -> str:
        """A hash of what the page draws (images' raw data, every object's place), not of the file:
        the same scanned page in a re-saved or merged PDF is the same page."""
        import pypdfium2.raw as pdfium_c

        page = self.document[index]
        digest = hashlib.sha256(f"{page.get_size()}|{page.get_rotation()}".encode())
        try:
            for item in page.get_objects():
                digest.update(f"|{item.type}:{[round(x, 2) for x in item.get_bounds()]}".encode())
                if item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    digest.update(bytes(item.get_data(decode_simple=False)))
        finally:
            page.close()
        return digest.hexdigest()

    def image(self, index: int) -> Image.Image:
        """The page at its scan's own resolution (at most ``dpi``): resampling a 200 dpi scan to 300 dpi
        smears its noise into blobs that look like ink to the cleaning and to Tesseract."""
        import pypdfium2.raw as pdfium_c

        page = self.document[index]
        try:
            native = [
                item.get_px_size()[0] / max((item.get_bounds()[2] - item.get_bounds()[0]) / 72, 1e-3)
                for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
            ]
            dpi = min(self.dpi, max(native)) if native else self.dpi
            return page.render(scale=max(dpi, MIN_RENDER_DPI) / 72, grayscale=True).to_pil()
        finally:
            page.close()


@contextmanager
def _rendering(data: bytes, dpi: int) -> Iterator[_Renderer]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"corrupt PDF ({exc})", "corrupt_pdf") from exc
    try:
        yield _Renderer(document, dpi)
    finally:
        document.close()


def read_pdf(data: bytes, ocr: PageOcr) -> Extracted:
    layers, title = _text_layer(data)
    short = [i for i, text in enumerate(layers) if len(_LETTER.findall(text)) < MIN_TEXT_LAYER_LETTERS]
    read = None
    scanned: set[int] = set()
    if short:
        with _rendering(data, ocr.settings.render_dpi) as renderer:
            scanned = {i for i in short if renderer.needs_ocr(i)}
            requests = [
                PageRequest(i + 1, renderer.fingerprint(i), lambda i=i: renderer.image(i)) for i in sorted(scanned)
            ]
            read = ocr.read_pages(requests)
    texts = {i + 1: text for i, text in enumerate(layers) if i not in scanned}
    # pypdf pads justified text with runs of spaces; the splitter collapses them anyway.
    blank = ("no text layer and no scanned image (blank PDF?)", "no_text_layer")
    return assemble_pages(len(layers), texts, read, title, blank)
