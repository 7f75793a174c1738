"""Synthetic scanned pages: real text rendered with a real font, then degraded like a scanner or a phone.

Used by `commission-bot bench` (OCR speed and character accuracy per page kind) and by the tests
(scanned fixtures made on the fly). Three kinds of page, the ones the commission's archive holds:

- ``clean``: a 300 dpi office scan, straight and clean;
- ``noisy``: a 200 dpi scan of a copy of a copy: tilted 3°, speckled, blurred, saved as a rough JPEG;
- ``photo``: a phone photo as Telegram delivers it (long side 1280 px, about 110 dpi on A4): uneven
  light, grey-yellow paper, a slight tilt and keystone, soft focus, JPEG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Debian's fonts-dejavu-core: Cyrillic, Kazakh and Azerbaijani letters included.
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
FONT_PACKAGE = "fonts-dejavu-core"
A4_INCHES = (8.27, 11.69)
PAGE_KINDS = ("clean", "noisy", "photo")


def find_font() -> Path | None:
    return next((p for p in FONT_CANDIDATES if p.is_file()), None)


@dataclass(frozen=True)
class PageStyle:
    dpi: int = 300
    font_points: float = 11.0
    margin_inches: float = 0.8
    line_spacing: float = 1.25


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)  # an empty paragraph is a blank line
    return lines


def render_pages(text: str, font_path: Path, style: PageStyle = PageStyle()) -> list[Image.Image]:
    """``text`` typeset on as many white A4 pages (greyscale) as it needs."""
    width, height = (round(x * style.dpi) for x in A4_INCHES)
    font = ImageFont.truetype(str(font_path), round(style.font_points / 72 * style.dpi))
    margin = round(style.margin_inches * style.dpi)
    step = round(font.size * style.line_spacing)
    lines = _wrap(text.strip(), font, width - 2 * margin)
    per_page = (height - 2 * margin) // step
    pages = []
    for start in range(0, len(lines), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for i, line in enumerate(lines[start : start + per_page]):
            draw.text((margin, margin + i * step), line, font=font, fill=20)
        pages.append(page)
    return pages


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert(image.mode)


def noisy_scan(page: Image.Image, rng: np.random.Generator, angle: float = 3.0) -> Image.Image:
    """A rough 200 dpi scan of a 300 dpi page: tilted, speckled, blurred, JPEG-compressed."""
    page = page.resize((round(page.width * 2 / 3), round(page.height * 2 / 3)), Image.Resampling.LANCZOS)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(0.8))
    pixels = np.asarray(page, dtype=np.float32)
    pixels = pixels * 0.8 + 30 + rng.normal(0, 28, pixels.shape)  # grey paper, sensor noise
    specks = rng.random(pixels.shape)
    pixels[specks < 0.01] = 0  # toner dust
    pixels[specks > 0.995] = 255
    return _jpeg(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), 35)


def phone_photo(page: Image.Image, rng: np.random.Generator, long_side: int = 1280) -> Image.Image:
    """A hand-held photo of the page, downsized as Telegram sends photos: uneven light, tilt, keystone."""
    width, height = page.size
    pad = round(0.05 * width)
    canvas = Image.new("L", (width + 2 * pad, height + 2 * pad), 90)  # a dark desk around the sheet
    canvas.paste(page, (pad, pad))
    # Keystone: the top edge farther from the camera than the bottom one.
    w, h = canvas.size
    squeeze = 0.03 * w
    quad = (-squeeze, 0, -squeeze * 0.2, h, w + squeeze * 0.2, h, w + squeeze, 0)  # UL, LL, LR, UR of the source
    canvas = canvas.transform(canvas.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=90)
    canvas = canvas.rotate(-1.5, resample=Image.Resampling.BICUBIC, fillcolor=90)
    scale = long_side / max(canvas.size)
    canvas = canvas.resize((round(canvas.width * scale), round(canvas.height * scale)), Image.Resampling.LANCZOS)
    canvas = canvas.filter(ImageFilter.GaussianBlur(0.6))
    pixels = np.asarray(canvas, dtype=np.float32) / 255
    yy, xx = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]]
    # Light from the upper left fading across the sheet, and the soft shadow of the phone and hand
    # over the lower right: there the paper is darker than the ink is elsewhere.
    x, y = xx / pixels.shape[1], yy / pixels.shape[0]
    shadow = 1 / (1 + np.exp(-(x + y - 1.25) / 0.06))
    light = (0.98 - 0.2 * x * y) * (1 - 0.55 * shadow)
    pixels = pixels * light * 0.85 + 0.05 + rng.normal(0, 0.025, pixels.shape)
    grey = np.clip(pixels * 255, 0, 255)
    tint = np.stack([grey, grey * 0.96, grey * 0.86], axis=-1)  # warm indoor light on paper
    return _jpeg(Image.fromarray(tint.astype(np.uint8), "RGB"), 80)


def scanned_pages(text: str, kind: str, font_path: Path, seed: int = 0) -> list[Image.Image]:
    """``text`` as pages of one kind (see the module doc)."""
    rng = np.random.default_rng(seed)
    pages = render_pages(text, font_path)
    if kind == "clean":
        return pages
    if kind == "noisy":
        return [noisy_scan(p, rng) for p in pages]
    if kind == "photo":
        return [phone_photo(p, rng) for p in pages]
    raise ValueError(f"unknown page kind {kind!r} (one of {', '.join(PAGE_KINDS)})")


def image_only_pdf(pages: list[Image.Image], dpi: int) -> bytes:
    """A PDF of page images with no text layer, as a scanner writes it."""
    buffer = io.BytesIO()
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=rgb[1:])
    return buffer.getvalue()


def character_accuracy(truth: str, found: str) -> float:
    """1 - (edit distance / length of the truth), whitespace runs counted as one space; floored at 0."""
    a, b = " ".join(truth.split()), " ".join(found.split())
    if not a:
        return 1.0 if not b else 0.0
    return max(0.0, 1 - edit_distance(a, b) / len(a))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (a dense page is ~3,000 × 3,000 cells)."""
    if not a or not b:
        return len(a) or len(b)
    b_codes = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    columns = np.arange(len(b) + 1, dtype=np.int64)
    row = columns.copy()
    for i, char in enumerate(a, 1):
        substitute = row[:-1] + (b_codes != ord(char))
        delete = row[1:] + 1
        new = np.empty_like(row)
        new[0] = i
        new[1:] = np.minimum(substitute, delete)
        # Insertions run along the row: new[j] = min over k <= j of new[k] + (j - k).
        row = np.minimum.accumulate(new - columns) + columns
    return int(row[-1])
