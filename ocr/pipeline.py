"""The whole interpretation of one upload, synchronously: bytes in, ``Receipt`` out.

Run it in a worker process (``ocr.pool.ReceiptInterpreter``), never in an event loop:
one receipt costs about a second of CPU.

Passes (measured on the development sets, see bench/README.md): one Tesseract pass
with page segmentation mode 6 (one uniform block, so a label and its amount stay one
row) with the English model alone, which is twice as fast as Swedish and English
together; the page is read again with both only when that reading shows a Nordic
receipt (``ocr.languages``). A pass on the image turned 180 degrees runs only when the
first one reads like upside-down text (low word confidence): a photo without EXIF taken
the wrong way round. Then the few rows that decide the total and the date are re-read
one by one with both models (``ocr.reread``). Last, PP-OCRv4 (``ocr.neural``) detects
the text regions of the same image and re-reads those holding digits, and its digits
replace Tesseract's where they disagree (``ocr.engines``; figures in ocr/README.md).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Final, Literal
from zoneinfo import ZoneInfo

import numpy as np

from ocr import neural
from ocr.engines import combined_lines
from ocr.extract import extract_fields
from ocr.geometry import Matrix, map_box, scaling
from ocr.images import open_image
from ocr.languages import FAST, FULL, needs_full_model
from ocr.layout import Line, build_lines
from ocr.model import Receipt
from ocr.preprocess import Gray, Prepared, prepare
from ocr.reread import reread, rows_to_reread
from ocr.tesseract import Word, read_words

PSM: Final = 6
REREAD = True
Engines = Literal["tesseract", "combined"]
"""What ``read_lines`` uses: Tesseract alone (kept for comparison), or with PP-OCR's digits."""
STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
UPSIDE_DOWN_CONFIDENCE: Final = 0.6
"""Mean confidence of real words below which the 180-degree pass is tried."""


def today_in_stockholm() -> date:
    return datetime.now(STOCKHOLM).date()


def interpret(data: bytes, *, today: date | None = None) -> Receipt:
    """Read one receipt image (JPEG, PNG, WebP, HEIC or one-page PDF).

    Raises the ``ocr.errors`` classes for files that are not a readable image.
    ``today`` bounds the plausible purchase dates (default: today in Stockholm).
    """
    loaded = open_image(data, reduce_large=True)
    prepared = prepare(loaded.image)
    today = today or today_in_stockholm()
    lines, to_decoded = read_lines(prepared, today)
    receipt = extract_fields(lines, today=today)
    size = loaded.size
    to_original = scaling(loaded.scale) @ to_decoded
    boxes = {
        name: tuple(map_box(to_original, box, clip=size) for box in found) for name, found in receipt.boxes.items()
    }
    return dataclasses.replace(receipt, boxes=boxes, image_size=size)


def read_lines(prepared: Prepared, today: date, *, engines: Engines = "combined") -> tuple[list[Line], Matrix]:
    """The printed rows of the prepared image, and the map from the image read to the upload."""
    image, lines, to_original = read_tesseract(prepared, today)
    if engines == "combined":
        lines = combined_lines(image, lines, neural.engine())
    return lines, to_original


def read_tesseract(prepared: Prepared, today: date) -> tuple[Gray, list[Line], Matrix]:
    """Tesseract's rows of the prepared image (turned 180 degrees if it was upside down)."""
    image, words, to_original = _read(prepared, FAST)
    lines = build_lines(words)
    if needs_full_model(lines):
        lines = build_lines(read_words(image, psm=PSM, languages=FULL))
    if REREAD:
        lines = reread(image, lines, rows_to_reread(lines, today), languages=FULL, today=today)
    return image, lines, to_original


def _quality(words: list[Word]) -> tuple[float, float]:
    """(mean confidence, summed confidence) of word-like tokens."""
    real = [w.confidence for w in words if sum(c.isalnum() for c in w.text) >= 3]
    if not real:
        return 0.0, 0.0
    return sum(real) / len(real), sum(real)


def _read(prepared: Prepared, languages: str) -> tuple[Gray, list[Word], Matrix]:
    """The image read, its words and the map from its pixels to the upload."""
    words = read_words(prepared.image, psm=PSM, languages=languages)
    mean, total = _quality(words)
    if mean >= UPSIDE_DOWN_CONFIDENCE:
        return prepared.image, words, prepared.to_original
    turned: Gray = np.ascontiguousarray(prepared.image[::-1, ::-1])
    turned_words = read_words(turned, psm=PSM, languages=languages)
    _, turned_total = _quality(turned_words)
    if turned_total <= total:
        return prepared.image, words, prepared.to_original
    h, w = prepared.image.shape
    rotate = np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], dtype=np.float64)
    return turned, turned_words, prepared.to_original @ rotate
