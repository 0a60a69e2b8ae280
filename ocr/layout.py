"""Words into printed rows, with the text of each row and where each character came from.

Tesseract may split a receipt row into a label block and an amount block (columns), so
rows are rebuilt from the word boxes: words whose vertical extents overlap enough are on
the same row. Within a row, a wide gap (a column break) becomes two spaces in the text
and a narrow one a single space, so "2 087,59" (thousands) and "25  102,95" (two table
cells) stay distinguishable for the amount patterns.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ocr.geometry import Box, union
from ocr.tesseract import Word

COLUMN_GAP_CHARS = 1.8
"""A gap wider than this many character widths separates two cells."""


@dataclass(frozen=True, slots=True)
class Line:
    """One printed row: its words left to right, its text, and each word's span in it."""

    index: int
    words: tuple[Word, ...]
    text: str
    spans: tuple[tuple[int, int], ...]

    @property
    def box(self) -> Box:
        return union(w.box for w in self.words)

    @property
    def height(self) -> float:
        return float(statistics.median(w.box.height for w in self.words))

    @property
    def confidence(self) -> float:
        return sum(w.confidence for w in self.words) / len(self.words)

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words that overlap the character range ``start:end`` of ``text``."""
        return [w for w, (s, e) in zip(self.words, self.spans, strict=True) if s < end and e > start]

    def boxes_in(self, start: int, end: int) -> list[Box]:
        return [w.box for w in self.words_in(start, end)]

    def confidence_in(self, start: int, end: int) -> float:
        words = self.words_in(start, end)
        return min((w.confidence for w in words), default=0.0)


def build_lines(words: Iterable[Word]) -> list[Line]:
    """Rows top to bottom: Tesseract's own text lines, joined across blocks by vertical overlap.

    Tesseract's lines follow the baseline (they survive a slight curve or tilt that
    a plain overlap test would cut in two); only lines from different blocks, which
    Tesseract never relates, are joined when they sit side by side.
    """
    segments: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        segments.setdefault((word.block, word.line), []).append(word)
    ordered = sorted(segments.values(), key=lambda seg: statistics.median(w.box.center_y for w in seg))
    rows: list[list[Word]] = []
    for segment in ordered:
        target = _find_row(rows, segment)
        if target is None:
            rows.append(list(segment))
        else:
            target.extend(segment)
    rows.sort(key=lambda r: statistics.median(w.box.center_y for w in r))
    return [make_line(i, row) for i, row in enumerate(rows)]


def _find_row(rows: list[list[Word]], segment: list[Word]) -> list[Word] | None:
    seg_top = statistics.median(w.box.top for w in segment)
    seg_bottom = statistics.median(w.box.bottom for w in segment)
    blocks = {w.block for w in segment}
    best: list[Word] | None = None
    best_overlap = 0.0
    for row in rows[-8:]:
        if any(w.block in blocks for w in row):
            continue
        top = statistics.median(w.box.top for w in row)
        bottom = statistics.median(w.box.bottom for w in row)
        overlap = min(bottom, seg_bottom) - max(top, seg_top)
        height = min(bottom - top, seg_bottom - seg_top)
        if height <= 0:
            continue
        ratio = overlap / height
        if ratio < 0.5 or any(_overlaps_horizontally(w.box, s.box) for w in row for s in segment):
            continue
        if ratio > best_overlap:
            best, best_overlap = row, ratio
    return best


def _overlaps_horizontally(a: Box, b: Box) -> bool:
    return min(a.right, b.right) - max(a.left, b.left) > 0.3 * min(a.width, b.width)


def make_line(index: int, words: Sequence[Word]) -> Line:
    """A row from its words: sorted left to right, joined by one or two spaces."""
    ordered = sorted(words, key=lambda w: w.box.left)
    char_width = statistics.median(max(1.0, w.box.width / max(1, len(w.text))) for w in ordered)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    previous: Word | None = None
    for word in ordered:
        if previous is not None:
            gap = word.box.left - previous.box.right
            separator = "  " if gap > COLUMN_GAP_CHARS * char_width else " "
            parts.append(separator)
            position += len(separator)
        parts.append(word.text)
        spans.append((position, position + len(word.text)))
        position += len(word.text)
        previous = word
    return Line(index, tuple(ordered), "".join(parts), tuple(spans))


def lines_from_text(text: str, *, char_width: int = 10, line_height: int = 20, confidence: float = 0.95) -> list[Line]:
    """Rows from plain text, as if each character were a monospaced glyph.

    For tests and for text that did not come from OCR (a PDF's text layer): spaces
    keep their width, so two spaces read as a column break as on paper.
    """
    words: list[Word] = []
    for row, raw in enumerate(text.splitlines()):
        column = 0
        for token in raw.split(" "):
            if token:
                box = Box(column * char_width, row * line_height * 2, len(token) * char_width, line_height)
                words.append(Word(token, box, confidence, 1, row))
            column += len(token) + 1
    return build_lines(words)
