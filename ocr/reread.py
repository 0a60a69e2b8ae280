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
from ocr.fields.amounts import find_amounts
from ocr.fields.dates import find_dates
from ocr.fields.totals import line_keyword, rank_totals
from ocr.geometry import Box
from ocr.layout import Line, make_line
from ocr.tesseract import LANGUAGES, Word, read_words
from ocr.text import find_keyword, fold

SINGLE_LINE_PSM: Final = 7
TOTAL_ROWS: Final = 3
UNREADABLE_ROWS: Final = 2
_DATE_SHAPE = re.compile(r"\d{1,4}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{2,4}")


def rows_to_reread(lines: Sequence[Line], today: date) -> list[int]:
    """Indexes of the rows worth a second look: total candidates, total rows without a legible amount, the date row."""
    chosen: list[int] = []
    for candidate in rank_totals(lines)[:TOTAL_ROWS]:
        if candidate.kinds[0] not in ("tendered", "computed") and candidate.amount.line.index not in chosen:
            chosen.append(candidate.amount.line.index)
    for index in unreadable_total_rows(lines)[:UNREADABLE_ROWS]:
        if index not in chosen:
            chosen.append(index)
    date_rows = [
        line
        for line in lines
        if _DATE_SHAPE.search(line.text) or find_keyword(fold(line.text), DATE_WORDS, fuzzy=False)
    ]
    clean = [line for line in date_rows if any(not d.repaired for d in find_dates(line, today=today))]
    for line in clean[:1] or date_rows[:2]:
        if line.index not in chosen:
            chosen.append(line.index)
    return chosen


def unreadable_total_rows(lines: Sequence[Line]) -> list[int]:
    """Rows that name the final amount ("NET TOTAL", "Amt Payable") but hold no amount that reads as one."""
    found: list[int] = []
    for line in lines:
        kind = line_keyword(fold(line.text))
        if kind is None or kind[0] not in ("final", "payable"):
            continue
        if not any(a.decimals and a.start >= kind[1].end for a in find_amounts(line)):
            found.append(line.index)
    return found


def reread(
    image: npt.NDArray[np.uint8],
    lines: Sequence[Line],
    indexes: Sequence[int],
    *,
    languages: str = LANGUAGES,
    today: date | None = None,
) -> list[Line]:
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
        words = [_shift(w, left, top) for w in read_words(crop, psm=SINGLE_LINE_PSM, languages=languages)]
        # The padding may catch a piece of the row above or below: keep what sits on this row.
        words = [w for w in words if box.top <= w.box.center_y <= box.bottom]
        if not words:
            continue
        mean = sum(w.confidence for w in words) / len(words)
        if mean + 0.15 < line.confidence:
            continue
        again = make_line(index, words)
        if today is not None and _lost_something(line, again, today):
            continue
        result[index] = again
    return result


def _lost_something(before: Line, after: Line, today: date) -> bool:
    """The single-row reading lost a date or an amount the page reading had (it cut or garbled a cell)."""
    dates_before = any(not d.repaired for d in find_dates(before, today=today))
    dates_after = any(not d.repaired for d in find_dates(after, today=today))
    amounts_before = sum(a.decimals for a in find_amounts(before))
    amounts_after = sum(a.decimals for a in find_amounts(after))
    return (dates_before and not dates_after) or amounts_after < amounts_before


def _shift(word: Word, dx: int, dy: int) -> Word:
    box = Box(word.box.left + dx, word.box.top + dy, word.box.width, word.box.height)
    return Word(word.text, box, word.confidence, word.block, word.line)
