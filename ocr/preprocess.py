"""Turn a phone photo or scan into the grey image Tesseract reads best.

Steps, each because Tesseract does poorly without it:

1. find the paper on its background (a bright, roughly four-sided region) and warp it
   flat; a background full of texture otherwise becomes noise "words" and costs time;
   if no paper edge is visible (scans, close-ups) crop to the ink and straighten by the
   angle whose row profile is sharpest (text lines are horizontal);
2. turn it upright when text lines run vertically (a sideways photo without EXIF);
3. scale so that a typical glyph is ``GLYPH_HEIGHT`` pixels high: large photos are
   downscaled (faster, no loss), small scans upscaled (LSTM lines need ~20 px glyphs);
4. divide by the estimated paper brightness, which removes shadows and shading so that
   Tesseract's global Otsu threshold sees even paper.

The result keeps the 3x3 map back to the (EXIF-oriented) upload, for the field boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from ocr.geometry import Matrix, scaling, translation
from ocr.tesseract import sideways

Gray = npt.NDArray[Any]
"""A grey image (uint8); typed loosely because OpenCV's stubs return generic arrays."""

ANALYSIS_SIDE: Final = 1000
"""Longest side of the thumbnail used to find the paper and the skew angle."""
GLYPH_HEIGHT: Final = 22
"""Text line height (pixels) after scaling; chosen by measurement (bench/README.md)."""
MAX_OUTPUT_PIXELS: Final = 6_000_000
MIN_PAPER_FRACTION: Final = 0.08
MAX_PAPER_FRACTION: Final = 0.93
SKEW_RANGE_DEG: Final = 12.0


@dataclass(frozen=True, slots=True)
class Prepared:
    """The image for OCR and the map from its pixels to the uploaded image's pixels."""

    image: Gray
    to_original: Matrix
    original_size: tuple[int, int]
    paper_found: bool
    glyph_height: float


def prepare(image: Image.Image, *, glyph_height: int = GLYPH_HEIGHT, remove_junk: bool = True) -> Prepared:
    """Crop, straighten, upright, scale and normalise ``image`` (RGB, EXIF already applied)."""
    rgb = np.asarray(image.convert("RGB"))
    gray: Gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    height, width = gray.shape
    small_scale = min(1.0, ANALYSIS_SIDE / max(height, width))
    small: Gray = cv2.resize(gray, None, fx=small_scale, fy=small_scale, interpolation=cv2.INTER_AREA)

    quad = find_paper(small)
    if quad is not None:
        warp, size = _paper_warp(quad / small_scale)
        paper_found = True
    else:
        warp, size = _ink_warp(small, small_scale)
        paper_found = False

    # First warp at native resolution (capped), to measure the glyphs there.
    cap = min(1.0, (MAX_OUTPUT_PIXELS / max(size[0] * size[1], 1)) ** 0.5)
    warp = scaling(cap) @ warp
    size = (max(1, round(size[0] * cap)), max(1, round(size[1] * cap)))
    flat: Gray = cv2.warpPerspective(gray, warp, size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)

    if _text_is_vertical(flat):
        rotate = np.array([[0, 1, 0], [-1, 0, size[0]], [0, 0, 1]], dtype=np.float64)  # 90 deg clockwise view
        warp = rotate @ warp
        flat = np.ascontiguousarray(np.rot90(flat, k=1))
        size = (size[1], size[0])

    glyph = estimate_glyph_height(flat)
    factor = glyph_height / glyph if glyph > 0 else 1.0
    factor = min(factor, (MAX_OUTPUT_PIXELS / max(size[0] * size[1], 1)) ** 0.5)
    factor = float(np.clip(factor, 0.2, 4.0))
    if abs(factor - 1.0) > 0.05:
        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
        flat = cv2.resize(flat, None, fx=factor, fy=factor, interpolation=interpolation)
        warp = scaling(factor) @ warp

    normalised = normalise_light(flat, max(glyph * factor, 8.0))
    if remove_junk:
        normalised = erase_non_text(normalised, max(glyph * factor, 8.0))
    return Prepared(
        normalised, np.asarray(np.linalg.inv(warp), dtype=np.float64), (width, height), paper_found, glyph * factor
    )


def find_paper(small: Gray) -> npt.NDArray[np.float64] | None:
    """Four corners (tl, tr, br, bl) of a bright sheet on a darker background, or None."""
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _threshold, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(contour)
    total = small.shape[0] * small.shape[1]
    if not MIN_PAPER_FRACTION * total <= area <= MAX_PAPER_FRACTION * total:
        return None
    inside = float(blurred[mask > 0].mean())
    outside_pixels = blurred[mask == 0]
    if outside_pixels.size == 0 or inside - float(outside_pixels.mean()) < 40:
        return None
    hull = cv2.convexHull(contour)
    rect = cv2.minAreaRect(hull)
    rect_area = rect[1][0] * rect[1][1]
    if rect_area <= 0 or area / rect_area < 0.85:
        return None
    approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    points = approx.reshape(-1, 2).astype(np.float64) if len(approx) == 4 else cv2.boxPoints(rect).astype(np.float64)
    return _order_corners(points)


def _order_corners(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    sums = points.sum(axis=1)
    diffs = points[:, 1] - points[:, 0]
    return np.array(
        [points[np.argmin(sums)], points[np.argmin(diffs)], points[np.argmax(sums)], points[np.argmax(diffs)]],
        dtype=np.float64,
    )


def _paper_warp(quad: npt.NDArray[np.float64]) -> tuple[Matrix, tuple[int, int]]:
    tl, tr, br, bl = quad
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    w, h = max(1, round(float(width))), max(1, round(float(height)))
    target = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target).astype(np.float64)
    return matrix, (w, h)


def _ink_mask(gray: Gray) -> Gray:
    block = max(15, (min(gray.shape) // 40) | 1)
    mask: Gray = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    return mask


def _ink_warp(small: Gray, small_scale: float) -> tuple[Matrix, tuple[int, int]]:
    """Straighten by the sharpest row profile, then crop to the ink (with a margin)."""
    mask = _ink_mask(small)
    angle = estimate_skew(mask)
    h, w = small.shape
    rotation = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), [0, 0, 1]]).astype(np.float64)
    rotated = cv2.warpAffine(mask, rotation[:2], (w, h), flags=cv2.INTER_NEAREST)
    left, top, right, bottom = _ink_bounds(rotated)
    margin = max(4.0, 0.02 * max(right - left, bottom - top))
    left, top = max(0.0, left - margin), max(0.0, top - margin)
    right, bottom = min(float(w), right + margin), min(float(h), bottom + margin)
    small_to_crop = translation(-left, -top) @ rotation
    full = np.linalg.inv(scaling(small_scale)) @ small_to_crop @ scaling(small_scale)
    size = (max(1, round((right - left) / small_scale)), max(1, round((bottom - top) / small_scale)))
    return full, size


def _ink_bounds(mask: Gray) -> tuple[float, float, float, float]:
    """Bounds of the ink, ignoring specks and dark scanner edges touching the border."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    xs: list[float] = []
    ys: list[float] = []
    for i in range(1, count):
        x, y, cw, ch, area = (int(v) for v in stats[i])
        if area < 6 or ch > 0.5 * h or cw > 0.9 * w:
            continue
        if x <= 1 or y <= 1 or x + cw >= w - 1 or y + ch >= h - 1:
            continue
        xs += [x, x + cw]
        ys += [y, y + ch]
    if len(xs) < 8:
        return 0.0, 0.0, float(w), float(h)
    return (
        float(np.percentile(xs, 0.5)),
        float(np.percentile(ys, 0.5)),
        float(np.percentile(xs, 99.5)),
        float(np.percentile(ys, 99.5)),
    )


def estimate_skew(mask: Gray) -> float:
    """The rotation (degrees, counter-clockwise positive) that makes text rows sharpest."""
    h, w = mask.shape
    scale = min(1.0, 500 / max(h, w))
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    center = (sw / 2, sh / 2)

    def sharpness(angle: float) -> float:
        rotation = cv2.getRotationMatrix2D(center, angle, 1.0)
        rotated = cv2.warpAffine(small, rotation, (sw, sh), flags=cv2.INTER_LINEAR)
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = np.arange(-SKEW_RANGE_DEG, SKEW_RANGE_DEG + 0.01, 1.0)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.9, best + 0.91, 0.3)
    return float(max(fine, key=sharpness))


SIDEWAYS_RATIO = 1.5
"""Columns this much spikier than rows: the text runs up or down."""
DOUBTFUL_PROFILES = (0.8, 4.0)
"""Column/row spikiness ratios between which Tesseract's orientation detection decides (measured on
the dev sets turned a quarter: upright receipts with barcodes or monospaced columns reach 2.2, some
turned ones stay under 1.5)."""
BARCODE_BARS = 8
"""Long thin marks side by side from this many on are a barcode, not rules."""


def _text_is_vertical(flat: Gray) -> bool:
    """Text lines make the row profile spiky; if columns are spikier, the text runs up/down."""
    ratio = profile_ratio(flat)
    if DOUBTFUL_PROFILES[0] < ratio < DOUBTFUL_PROFILES[1]:
        told = sideways(flat)
        if told is not None:
            return told
    return bool(ratio > SIDEWAYS_RATIO)


def profile_ratio(flat: Gray, *, without_bars: bool = True) -> float:
    """How much spikier the column ink profile is than the row profile (0 for a blank page)."""
    h, w = flat.shape
    scale = min(1.0, 600 / max(h, w))
    small = cv2.resize(flat, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = _ink_mask(small)
    ink = (_without_bars(mask) if without_bars else mask).astype(np.float64)
    rows = np.square(np.diff(ink.sum(axis=1))).sum() / max(ink.shape[1], 1) ** 2
    cols = np.square(np.diff(ink.sum(axis=0))).sum() / max(ink.shape[0], 1) ** 2
    rows_per = rows * ink.shape[1] / max(ink.shape[0], 1)
    return float(cols / rows_per) if rows_per > 0 else 0.0


def _without_bars(mask: Gray) -> Gray:
    """``mask`` without the bars of a barcode, which would outweigh the text's profile.

    A barcode's bars make the column profile spikier than a few short lines of text make the
    row profile: the upright receipt was read as lying on its side. A barcode is many long thin
    marks side by side; a few (rules between sections) are kept, they run along the text.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count < BARCODE_BARS + 1:
        return mask
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    typical = float(np.median(np.maximum(widths, heights)[stats[1:, cv2.CC_STAT_AREA] >= 6]))
    upright = (heights > 3 * typical) & (heights > 4 * widths)
    lying = (widths > 3 * typical) & (widths > 4 * heights)
    bars = [np.flatnonzero(kind) + 1 for kind in (upright, lying) if kind.sum() >= BARCODE_BARS]
    if not bars:
        return mask
    cleaned: Gray = np.where(np.isin(labels, np.concatenate(bars)), 0, mask).astype(np.uint8)
    return cleaned


def estimate_glyph_height(gray: Gray) -> float:
    """Typical text height in pixels, from the runs of inked rows (0 if unknown).

    Rows rather than connected components: a dot-matrix glyph falls apart into dots,
    which made component heights a third of the real size. A run of inked rows is a
    text line (the image is straight by now); when lines touch, runs merge, so the
    component median (x 1.1) is used if the runs are implausibly tall.
    """
    h, w = gray.shape
    scale = min(1.0, 2000 / max(h, w))
    work = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _, mask = cv2.threshold(work, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = (mask > 0).sum(axis=1) > max(2.0, 0.01 * work.shape[1])
    runs: list[int] = []
    length = 0
    for value in inked:
        if value:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    runs = [r for r in runs if r >= 3]
    components = _component_height(mask)
    if len(runs) < 4:
        return float(components / scale)
    line = float(np.median(runs))
    if components > 0 and line > 2.5 * components:
        line = 1.1 * components
    return float(line / scale)


def _component_height(mask: Gray) -> float:
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    heights = []
    limit = 0.1 * mask.shape[0]
    for i in range(1, count):
        cw, ch, area = int(stats[i, 2]), int(stats[i, 3]), int(stats[i, 4])
        if 4 <= ch <= limit and cw <= 2.0 * ch and area >= 0.15 * cw * ch and ch >= 0.6 * cw:
            heights.append(ch)
    return float(np.median(heights)) if len(heights) >= 10 else 0.0


def normalise_light(gray: Gray, glyph: float) -> Gray:
    """Divide by the paper's brightness (text removed by a closing), then stretch contrast."""
    h, w = gray.shape
    shrink = 4
    small = cv2.resize(gray, (max(1, w // shrink), max(1, h // shrink)), interpolation=cv2.INTER_AREA)
    size = max(3, round(glyph * 1.6 / shrink) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), size)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    ratio = gray.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0)
    low = float(np.percentile(ratio, 1.0))
    stretched = (ratio - low) / max(1.0 - low, 1e-3) * 255.0
    result: Gray = np.clip(stretched, 0, 255).astype(np.uint8)
    return result


def erase_non_text(gray: Gray, line_height: float) -> Gray:
    """White out what is not text: rules, dashed separators, barcodes, big stamps and logos.

    Tesseract reads each of them as a row of garbage characters, and with swe+eng every
    row costs recognition time twice; rows of glyphs are left alone.
    """
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return gray
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    tops = stats[1:, cv2.CC_STAT_TOP]
    rule = (widths > 6 * line_height) & (heights < 0.4 * line_height)
    bar = (heights > 1.8 * line_height) & (widths < 0.25 * heights)
    huge = heights > 4.0 * line_height
    flat = (heights <= 0.35 * line_height) & (widths >= 1.5 * heights) & (widths < 2 * line_height)
    glyph = ~flat & ~rule & ~bar & ~huge & (heights >= 0.4 * line_height)
    dashes = np.zeros_like(flat)
    band = max(1, int(line_height / 2))
    bins = (tops + heights // 2) // band
    for value in np.unique(bins[flat]):
        in_band = np.abs(bins - value) <= 1
        if np.count_nonzero(flat & in_band) >= 6 and np.count_nonzero(glyph & in_band) <= 2:
            dashes |= flat & in_band
    erase = np.concatenate([[False], rule | bar | huge | dashes])
    if not erase.any():
        return gray
    cleaned = gray.copy()
    cleaned[erase[labels]] = 255
    return cleaned
