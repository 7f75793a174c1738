"""Images (.png, .jpg, .tif): a scanned page or a photographed one, recognised by OCR; a TIFF may hold many pages."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageOps, UnidentifiedImageError

from index.readers.base import Extracted, UnreadableDocument
from index.readers.ocr import PageOcr, PageRequest
from index.readers.pages import assemble_pages

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# An A4 page at 600 dpi is 35 megapixels; a picture far beyond that is a decompression bomb, not a page.
MAX_MEGAPIXELS = 100


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise UnreadableDocument(f"not a readable image ({type(exc).__name__})", "corrupt_image") from exc
    megapixels = image.width * image.height / 1e6
    if megapixels > MAX_MEGAPIXELS:
        raise UnreadableDocument(
            f"image too large ({megapixels:.0f} megapixels, limit {MAX_MEGAPIXELS})",
            "image_too_large",
            megapixels=round(megapixels),
            limit=MAX_MEGAPIXELS,
        )
    return image


def _frame(data: bytes, index: int) -> Image.Image:
    """One page, upright: phones store portrait photos sideways with an EXIF rotation tag."""
    image = _open(data)
    image.seek(index)
    upright = ImageOps.exif_transpose(image)
    upright.load()  # decode now, while the bytes are at hand
    return upright


def read_image(data: bytes, ocr: PageOcr) -> Extracted:
    image = _open(data)
    try:
        frames = getattr(image, "n_frames", 1)
        image.seek(0)
    except (OSError, EOFError) as exc:
        raise UnreadableDocument(f"not a readable image ({type(exc).__name__})", "corrupt_image") from exc
    digest = hashlib.sha256(data).hexdigest()
    requests = [PageRequest(i + 1, f"{digest}:{i}", lambda i=i: _frame(data, i)) for i in range(frames)]
    return assemble_pages(frames, {}, ocr.read_pages(requests), "", ("no text found in the image", "no_text"))
