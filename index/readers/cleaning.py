"""Make a scanned or photographed page easy for Tesseract: upscale small text, flatten the light, deskew, binarise.

Tesseract's own binarisation is one global Otsu threshold and its line finder tolerates only a small
tilt, so a phone photo with a shadow over half the page, or a tilted photocopy, loses whole lines.
Each step below was measured on three kinds of page (index/evaluation/scans.py; figures in the
README): a clean 300 dpi scan, a noisy 200 dpi scan tilted 3°, and a phone photo at Telegram's
1280 px with a shadow.

Only numpy, scipy and Pillow: no OpenCV for four filters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage

# Tesseract reads best when lower-case letters are about 20-30 px tall (its models are trained on
# ~300 dpi text); smaller text is enlarged up to this much.
TARGET_X_HEIGHT = 24
MAX_UPSCALE = 4.0
MAX_SKEW_DEGREES = 10.0
MAX_PIXELS = 60_000_000  # a page larger than this after upscaling is not enlarged further
MEDIAN_SAFE_X_HEIGHT = 14  # letters this tall keep their strokes through a 3 px median
PAPER_FLOOR = 0.4  # light below this share of the brightest paper is not paper (a desk, a hand)
SPECK_PIXELS = 12  # a blob of ink smaller than this is a speck, not a letter
SPECKLED = 15.0  # specks per letter above which a page is denoised and binarised


@dataclass(frozen=True)
class CleaningSteps:
    """Which steps run; all on by default (each can be switched off to measure what it is worth)."""

    upscale: bool = True
    flatten: bool = True
    deskew: bool = True
    binarise: bool = True

    @property
    def signature(self) -> str:
        """Part of the OCR cache key: a different cleaning gives different text."""
        names = [n for n in ("upscale", "flatten", "deskew", "binarise") if getattr(self, n)]
        return "clean-v1:" + ",".join(names)


def to_grey(image: Image.Image) -> np.ndarray:
    if image.mode in ("RGBA", "LA", "P"):
        # Transparent areas are paper, not ink.
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA"))
    return np.asarray(image.convert("L"), dtype=np.float32)


def flatten_light(grey: np.ndarray) -> np.ndarray:
    """Divide by the paper's brightness around each pixel, so shadows and gradients vanish.

    The paper is the brightest thing near any point: a grey closing (max then min filter) wider
    than a letter removes the ink and leaves the lighting, computed on a quarter-size copy for speed.
    """
    small = grey[::4, ::4]
    size = max(9, round(min(small.shape) / 40))
    paper = ndimage.grey_closing(small, size=(size, size))
    paper = ndimage.uniform_filter(paper, size=size)
    paper = ndimage.zoom(paper, (grey.shape[0] / small.shape[0], grey.shape[1] / small.shape[1]), order=1)
    paper = paper[: grey.shape[0], : grey.shape[1]]
    if paper.shape != grey.shape:  # zoom may round one row or column short
        paper = np.pad(paper, [(0, grey.shape[0] - paper.shape[0]), (0, grey.shape[1] - paper.shape[1])], "edge")
    # Only paper is brightened: a desk around a photographed sheet is darker than paper even in the
    # phone's shadow, and lifting it to white would turn its sensor noise into a field of specks.
    floor = PAPER_FLOOR * float(np.percentile(paper, 95))
    return np.clip(grey / np.maximum(paper, max(floor, 1.0)) * 255.0, 0, 255)


def otsu_threshold(grey: np.ndarray) -> float:
    histogram, edges = np.histogram(grey, bins=256, range=(0, 256))
    weights = histogram.astype(np.float64)
    total = weights.sum()
    if total == 0:
        return 128.0
    levels = (edges[:-1] + edges[1:]) / 2
    below = np.cumsum(weights)
    mean_below = np.cumsum(weights * levels)
    above = total - below
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_below[-1] * below / total - mean_below) ** 2 / (below * above)
    between[~np.isfinite(between)] = 0
    return float(levels[int(np.argmax(between))])


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Dark pixels: letters (and dirt)."""
    return grey < otsu_threshold(grey)


@dataclass(frozen=True)
class InkBlobs:
    """What the connected blobs of ink say about a page."""

    x_height: float | None  # typical height of small letters in pixels; None when there is no text
    specks_per_letter: float  # blobs too small to be letters, per letter-sized blob: noise


def ink_blobs(ink: np.ndarray) -> InkBlobs:
    labels, count = ndimage.label(ink)
    if count == 0:
        return InkBlobs(None, 0.0)
    boxes = ndimage.find_objects(labels)
    heights = np.array([b[0].stop - b[0].start for b in boxes], dtype=np.float32)
    widths = np.array([b[1].stop - b[1].start for b in boxes], dtype=np.float32)
    areas = ndimage.sum_labels(ink, labels, index=np.arange(1, count + 1))
    specks = int(np.count_nonzero(areas < SPECK_PIXELS))
    # Letters: not specks, not rules or pictures.
    letters = heights[
        (areas >= SPECK_PIXELS) & (heights >= 5) & (widths >= 2) & (heights <= 200) & (widths <= 4 * heights)
    ]
    height = float(np.median(letters)) if len(letters) >= 20 else None
    return InkBlobs(height, specks / max(len(letters), 1))


def skew_angle(ink: np.ndarray) -> float:
    """The tilt of the text lines in degrees (counter-clockwise positive, as PIL rotates); 0 if straight.

    Projection profiles: rotating the ink's coordinates by the right angle stacks every text line
    into few rows, which makes the row histogram sharpest. Searched coarse to fine on a sample of
    ink pixels, so it costs the same on any page size.
    """
    ys, xs = np.nonzero(ink)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 200_000:
        pick = np.random.default_rng(0).choice(len(ys), 200_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)

    def sharpness(angle: float) -> float:
        theta = np.deg2rad(angle)
        rows = np.round(ys * np.cos(theta) + xs * np.sin(theta)).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.sum(counts.astype(np.float64) ** 2))

    best = 0.0
    for span, stride in ((MAX_SKEW_DEGREES, 0.5), (0.5, 0.1), (0.1, 0.02)):
        candidates = np.arange(best - span, best + span + stride / 2, stride)
        best = float(max(candidates, key=sharpness))
    return best if abs(best) >= 0.2 else 0.0


def clean_page(image: Image.Image, steps: CleaningSteps = CleaningSteps()) -> Image.Image:
    """The page as Tesseract should see it: greyscale, or black on white when it was noisy."""
    grey = to_grey(image)
    if steps.flatten:
        grey = flatten_light(grey)
    page = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8), "L")
    blobs = ink_blobs(ink_mask(np.asarray(page)))
    height = blobs.x_height
    # Binarising a clean page or a photo loses thin strokes (Tesseract's own threshold does better
    # there); on a speckled scan it is what makes the text readable at all (measured: 0 % of the
    # characters without it, 99 % with it). Specks per letter tell the two apart whatever the
    # resolution: 0 on a clean scan, 0.7-7 on phone photos (a sparse page has few letters to divide by),
    # 25-40 on a bad photocopy.
    denoise = steps.binarise and blobs.specks_per_letter > SPECKLED
    small = height is not None and height < TARGET_X_HEIGHT * 0.8
    # A 3 px median removes speckle without eating strokes once letters are ~14 px or taller; on
    # 9 px letters it does eat them, so small text is enlarged first.
    median_first = height is not None and height >= MEDIAN_SAFE_X_HEIGHT
    if denoise and median_first:
        page = page.filter(ImageFilter.MedianFilter(3))
    if steps.upscale and small and height is not None:
        factor = min(MAX_UPSCALE, TARGET_X_HEIGHT / height, (MAX_PIXELS / (page.width * page.height)) ** 0.5)
        if factor > 1.05:
            page = page.resize((round(page.width * factor), round(page.height * factor)), Image.Resampling.BICUBIC)
    if denoise and not median_first:
        page = page.filter(ImageFilter.MedianFilter(3))
    if steps.deskew:
        angle = skew_angle(ink_mask(np.asarray(page)))
        if angle:
            page = page.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if denoise:
        pixels = np.asarray(page)
        return Image.fromarray(np.where(pixels < otsu_threshold(pixels), 0, 255).astype(np.uint8), "L")
    return page
