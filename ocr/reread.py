"""The second pass: the few rows that decide the total and the date, read again alone.

Measured on the development sets: Tesseract reading a single row (page segmentation
mode 7) gets the digits of amounts right more often than the same row inside the
whole-page pass ("343,95" for "345,95", "141.50" for "141.58"): the page pass shares
one line-height estimate and one threshold across the receipt. Re-reading costs
30-60 ms a row, so only the rows of the leading total candidates and the row that
should hold the date are read again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt

from ocr.extract import DATE_WORDS
from ocr.fields.dates import find_dates
from ocr.fields.totals import rank_totals
from ocr.geometry import Box
from ocr.layout import Line, make_line
from ocr.tesseract import Word, read_words
from ocr.text import find_keyword, fold

SINGLE_LINE_PSM: Final = 7
TOTAL_ROWS: Final = 3
_DATE_SHAPE = re.compile(r"\d{1,4}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{2,4}")


def rows_to_reread(lines: Sequence[Line], today: date) -> list[int]:
    """Indexes of the rows worth a second look: total candidates and the date row."""
    chosen: list[int] = []
    for candidate in rank_totals(lines)[:TOTAL_ROWS]:
        if candidate.kinds != ("tendered",) and candidate.amount.line.index not in chosen:
            chosen.append(candidate.amount.line.index)
    date_rows = [
        line
        for line in lines
        if _DATE_SHAPE.search(line.text) or find_keyword(fold(line.text), DATE_WORDS, fuzzy=False)
    ]
    clean = [line for line in date_rows if any(not d.repaired for d in find_dates(line, today=today))]
    if not clean:
        for line in date_rows[:2]:
            if line.index not in chosen:
                chosen.append(line.index)
    return chosen


def reread(image: npt.NDArray[np.uint8], lines: Sequence[Line], indexes: Sequence[int]) -> list[Line]:
    """``lines`` with the rows at ``indexes`` replaced by a single-row reading, where that reads better."""
    result = list(lines)
    height, width = image.shape
    for index in indexes:
        line = lines[index]
        box = line.box
        pad = max(4, int(0.4 * box.height))
        top, bottom = max(0, box.top - pad), min(height, box.bottom + pad)
        left, right = max(0, box.left - pad), min(width, box.right + pad)
        if bottom - top < 8 or right - left < 8:
            continue
        crop = np.ascontiguousarray(image[top:bottom, left:right])
        words = [_shift(w, left, top) for w in read_words(crop, psm=SINGLE_LINE_PSM)]
        if not words:
            continue
        mean = sum(w.confidence for w in words) / len(words)
        if mean + 0.15 < line.confidence:
            continue
        result[index] = make_line(index, words)
    return result


def _shift(word: Word, dx: int, dy: int) -> Word:
    box = Box(word.box.left + dx, word.box.top + dy, word.box.width, word.box.height)
    return Word(word.text, box, word.confidence, word.block, word.line)
