"""Tesseract's words with PP-OCR's digits: the rows the field rules read.

Each engine is strong where the other is weak (measured, ocr/README.md): Tesseract
keeps the spaces between words and å/ä/ö, PP-OCRv4 (``ocr.neural``) reads digits,
separators and dates right on tilted, curled and shadowed photos but runs Latin words
together. So PP-OCR detects the text regions of the same prepared image Tesseract
read, and for each region its reading is aligned character by character with
Tesseract's words there (``difflib``): where the two disagree on a run of digits and
number punctuation, PP-OCR's characters replace Tesseract's inside Tesseract's word
(its box and spacing stay); letters stay Tesseract's. A region Tesseract read nothing
in, and one it read as low-confidence noise, becomes PP-OCR's reading split into words
at spaces and letter/digit changes.

Only regions where Tesseract saw a digit or saw nothing are recognised: the
recogniser costs about 25 ms of CPU per row and plain text rows gain nothing.
"""

from __future__ import annotations

import difflib
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from ocr.geometry import Box, union
from ocr.layout import Line, make_line
from ocr.neural import Detection, NeuralEngine, Reading
from ocr.tesseract import Word

NUMBER_CHARS: Final = frozenset("0123456789.,:/-")
UNSURE: Final = 0.75
"""Tesseract word confidence below which PP-OCR may overrule its letters or its whole region."""
TRUSTED_READING: Final = 0.80
"""PP-OCR mean character confidence a reading needs before it changes anything."""
NOISE_SIMILARITY: Final = 0.5
"""Below this similarity to PP-OCR's reading, unsure Tesseract words count as noise."""
NEW_BLOCK: Final = 900_000
"""Block numbers for words only PP-OCR read (Tesseract's blocks are smaller)."""
_LATIN: Final = re.compile(r"^[\x20-\x7e\u00a0-\u024f€£]+$")
_SPLIT_AMOUNT: Final = re.compile(r"\d[.,]\d{1,2}$")
_SPLIT_DATE: Final = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}$")
_TOKEN: Final = re.compile(r"[A-Za-z\u00c0-\u024f]+|[^A-Za-z\u00c0-\u024f\s]+")


@dataclass(frozen=True, slots=True)
class Region:
    """A detected region, the Tesseract words whose centres lie in it, and PP-OCR's reading."""

    detection: Detection
    words: tuple[Word, ...]
    reading: Reading | None = None


def combined_lines(image: npt.NDArray[np.uint8], lines: Sequence[Line], engine: NeuralEngine) -> list[Line]:
    """``lines`` (Tesseract's, on ``image``) with PP-OCR's digits merged in."""
    words = [w for line in lines for w in line.words]
    regions = assign(engine.detect(image), words)
    chosen = [r for r in regions if worth_reading(r)]
    readings = engine.recognise(image, [r.detection for r in chosen])
    read = [Region(r.detection, r.words, reading) for r, reading in zip(chosen, readings, strict=True)]
    return merge(lines, read)


def assign(detections: Sequence[Detection], words: Sequence[Word]) -> list[Region]:
    """Each word goes to the region holding its centre (the one nearest its height, if several)."""
    owned: list[list[Word]] = [[] for _ in detections]
    for word in words:
        cx, cy = word.box.left + word.box.width / 2, word.box.center_y
        best, best_distance = -1, float("inf")
        for i, d in enumerate(detections):
            if d.left - 2 <= cx <= d.right + 2 and d.top - 2 <= cy <= d.bottom + 2:
                distance = abs((d.top + d.bottom) / 2 - cy)
                if distance < best_distance:
                    best, best_distance = i, distance
        if best >= 0:
            owned[best].append(word)
    return [Region(d, tuple(sorted(ws, key=lambda w: w.box.left))) for d, ws in zip(detections, owned, strict=True)]


def worth_reading(region: Region) -> bool:
    """PP-OCR changes only digits, or fills in a region Tesseract read nothing in.

    Recognising also the regions of unsure letters cost a fifth more recognition time
    and changed no total or date on 188 development receipts (measured)."""
    return not region.words or any(any(c.isdigit() for c in w.text) for w in region.words)


def merge(lines: Sequence[Line], regions: Sequence[Region]) -> list[Line]:
    """``lines`` with the words of each read region corrected or replaced, and rows only PP-OCR read added."""
    replaced: dict[int, list[Word]] = {}
    added: list[list[Word]] = []
    for number, region in enumerate(regions):
        reading = region.reading
        if reading is None or reading.confidence < TRUSTED_READING or not _LATIN.match(reading.text):
            continue
        if not region.words:
            added.append(split_reading(reading, region.detection, NEW_BLOCK + number))
            continue
        mean = sum(w.confidence for w in region.words) / len(region.words)
        tesseract = "".join(w.text for w in region.words)
        similarity = difflib.SequenceMatcher(None, tesseract, reading.text.replace(" ", ""), autojunk=False).ratio()
        if similarity < NOISE_SIMILARITY and mean < UNSURE:
            first = region.words[0]
            for word in region.words:
                replaced[id(word)] = []
            replaced[id(first)] = split_reading(reading, region.detection, first.block, first.line)
            continue
        fixed = join_numbers(correct_digits(region.words, reading.text), reading.text)
        if list(fixed) != list(region.words):
            for word in region.words:
                replaced[id(word)] = []
            replaced[id(region.words[0])] = fixed
    rows = [[new for word in line.words for new in replaced.get(id(word), [word])] for line in lines]
    rows = [row for row in rows if row]
    for segment in added:
        if segment:
            _place(rows, segment)
    rows.sort(key=lambda row: statistics.median(w.box.center_y for w in row))
    return [make_line(index, row) for index, row in enumerate(rows)]


def _place(rows: list[list[Word]], segment: list[Word]) -> None:
    """Join ``segment`` to the row beside it (half its height or more shared, no word overlapping), or start one."""
    top, bottom = min(w.box.top for w in segment), max(w.box.bottom for w in segment)
    left, right = min(w.box.left for w in segment), max(w.box.right for w in segment)
    for row in rows:
        row_top = statistics.median(w.box.top for w in row)
        row_bottom = statistics.median(w.box.bottom for w in row)
        shared = min(bottom, row_bottom) - max(top, row_top)
        if shared < 0.5 * min(bottom - top, row_bottom - row_top):
            continue
        if any(min(right, w.box.right) - max(left, w.box.left) > 0 for w in row):
            continue
        row.extend(segment)
        return
    rows.append(segment)


def correct_digits(words: Sequence[Word], reading: str) -> list[Word]:
    """``words`` with the runs where PP-OCR reads other digits or number punctuation taken from ``reading``."""
    chars: list[str] = []
    owner: list[int] = []
    for index, word in enumerate(words):
        chars += list(word.text)
        owner += [index] * len(word.text)
    target = reading.replace(" ", "")
    texts = [list(w.text) for w in words]
    offsets = _offsets(words)
    edits: list[tuple[int, int, str, int]] = []  # (word, position in word, replacement, length replaced)
    matcher = difflib.SequenceMatcher(None, "".join(chars), target, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        theirs = target[j1:j2]
        ours = "".join(chars[i1:i2])
        if not _numeric_change(ours, theirs, chars, i1, i2):
            continue
        if ours and not any(c.isdigit() for c in ours) and _sure_non_number(words, owner[i1:i2]):
            continue
        anchor = i1 if i1 < len(owner) else len(owner) - 1
        if tag == "insert":
            at_word = owner[max(0, i1 - 1)]
        else:
            at_word = owner[anchor]
            if owner[i2 - 1] != at_word:  # the change spans two words: keep Tesseract's spacing
                continue
        edits.append((at_word, i1 - offsets[at_word], theirs, i2 - i1))
    for at_word, at, theirs, length in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        texts[at_word][at : at + length] = list(theirs)
    result: list[Word] = []
    for word, text in zip(words, texts, strict=True):
        new = "".join(text)
        result.append(word if new == word.text else Word(new, word.box, word.confidence, word.block, word.line))
    return result


def join_numbers(words: Sequence[Word], reading: str) -> list[Word]:
    """Join pieces Tesseract split ("68. 87", "05- 02-18") where PP-OCR reads them as one ("68.87", "05-02-18")."""
    tokens = reading.split()
    result: list[Word] = []
    for word in words:
        if result and _joinable(result[-1].text, word.text, tokens):
            last = result.pop()
            box = union((last.box, word.box))
            word = Word(last.text + word.text, box, min(last.confidence, word.confidence), last.block, last.line)
        result.append(word)
    return result


def _joinable(left: str, right: str, tokens: Sequence[str]) -> bool:
    """Two pieces of one amount or date: a separator at the split, and PP-OCR read them without a space."""
    if not (left and right and (left[-1] in ".,-/" or right[0] in ".,-/")):
        return False
    joined = left + right
    shaped = _SPLIT_AMOUNT.search(joined) or _SPLIT_DATE.search(joined)
    return bool(shaped) and any(joined in token for token in tokens)


def _sure_non_number(words: Sequence[Word], owners: Sequence[int]) -> bool:
    """Sure words without a digit ("&", "I") stay: PP-OCR turns symbols between words into digits too."""
    touched = [words[i] for i in set(owners)]
    return all(w.confidence >= UNSURE and not any(c.isdigit() for c in w.text) for w in touched)


def _numeric_change(ours: str, theirs: str, chars: Sequence[str], i1: int, i2: int) -> bool:
    """A change inside a number: PP-OCR gives digits/punctuation next to digits, Tesseract something else."""
    if not theirs:
        # Tesseract has extra characters: drop them only when they are stray punctuation inside a number.
        return all(c in ".,:" for c in ours) and _digit_near(chars, i1, i2)
    if not all(c in NUMBER_CHARS for c in theirs):
        return False
    if not any(c.isdigit() for c in theirs) and not _digit_near(chars, i1, i2):
        return False
    if any(c.isalpha() for c in ours) and len(ours) > 2:
        return False  # a word Tesseract read as letters is not a number PP-OCR should overwrite
    return any(c.isdigit() for c in theirs + ours) or _digit_near(chars, i1, i2)


def _digit_near(chars: Sequence[str], i1: int, i2: int) -> bool:
    before = chars[i1 - 1] if i1 > 0 else ""
    after = chars[i2] if i2 < len(chars) else ""
    return before.isdigit() or after.isdigit()


def _offsets(words: Sequence[Word]) -> list[int]:
    offsets, position = [], 0
    for word in words:
        offsets.append(position)
        position += len(word.text)
    return offsets


def split_reading(reading: Reading, region: Detection, block: int, line: int = 0) -> list[Word]:
    """PP-OCR's reading as words (at spaces and letter/digit changes), boxes shared out by characters."""
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(reading.text)]
    if not tokens:
        return []
    left, right = region.left, region.right
    top, bottom = round(region.top), round(region.bottom)
    per_char = (right - left) / max(1, len(reading.text))
    return [
        Word(
            text,
            Box(round(left + start * per_char), top, max(1, round(len(text) * per_char)), max(1, bottom - top)),
            reading.confidence,
            block,
            line,
        )
        for text, start in tokens
    ]
