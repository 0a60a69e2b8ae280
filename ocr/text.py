"""Text folding and OCR-tolerant keyword search.

Keywords are matched on folded text (lower case, accents removed) with word boundaries,
and, for keywords of six letters or more, also fuzzily with ``rapidfuzz`` so that OCR
slips such as "T0TALT" or "Att betaia" still count. rapidfuzz rather than a hand-written
edit distance: it is maintained, typed, and its C++ core keeps a few thousand
comparisons per receipt far below a millisecond each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

FUZZY_MIN_LENGTH = 9
FUZZY_CUTOFF = 88.0


def fold(text: str) -> str:
    """Lower case without accents: "Växel ÅTER" -> "vaxel ater". Keeps length per character."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c)) or char
        out.append(base[0].lower()[0])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class KeywordHit:
    keyword: str
    start: int
    end: int
    score: float
    """1.0 for an exact match, less for a fuzzy one."""


@lru_cache(maxsize=4096)
def _pattern(keyword: str) -> re.Pattern[str]:
    # Words may be split by spaces or a hyphen ("sub total", "sub-total", "Sub- Total").
    escaped = r"[\s-]*".join(re.escape(part) for part in re.split(r"[ -]", keyword) if part)
    return re.compile(rf"(?<![a-z0-9]){escaped}(?![a-z])")


_PUNCTUATION = str.maketrans(dict.fromkeys("()[]{}<>:;,|\"'!?*=_~`^", " "))


def find_keyword(folded: str, keywords: Iterable[str], *, fuzzy: bool = True) -> KeywordHit | None:
    """The best of ``keywords`` in ``folded`` text: the longest exact match, else the closest fuzzy one.

    Brackets and other punctuation count as spaces ("Total Sales (Inclusive of GST)").
    Fuzzy matching compares letters only and needs keywords of ``FUZZY_MIN_LENGTH``
    letters or more, so "Total : 6.00" never passes for "total rm".
    """
    text = folded.translate(_PUNCTUATION)
    best: KeywordHit | None = None
    candidates = list(keywords)
    for keyword in candidates:
        match = _pattern(keyword).search(text)
        if match and (best is None or len(keyword) > len(best.keyword)):
            best = KeywordHit(keyword, match.start(), match.end(), 1.0)
    if best is not None or not fuzzy:
        return best
    letters, positions = _letters(text)
    for keyword in candidates:
        target = _letters(keyword)[0]
        if len(target.replace(" ", "")) < FUZZY_MIN_LENGTH or len(letters) < len(target) - 1:
            continue
        alignment = fuzz.partial_ratio_alignment(target, letters, score_cutoff=FUZZY_CUTOFF)
        if alignment is None or alignment.dest_end <= alignment.dest_start:
            continue
        start, end = alignment.dest_start, alignment.dest_end
        if start > 0 and letters[start - 1].isalpha():
            continue
        if end < len(letters) and letters[end].isalpha():
            continue
        score = alignment.score / 100.0
        if best is None or score > best.score:
            best = KeywordHit(keyword, positions[start], positions[end - 1] + 1, score)
    return best


def _letters(text: str) -> tuple[str, list[int]]:
    """Letters and single spaces of ``text``, with each kept character's index in it."""
    out: list[str] = []
    positions: list[int] = []
    for i, char in enumerate(text):
        if char.isalpha() or (char.isspace() and out and out[-1] != " "):
            out.append(char if char.isalpha() else " ")
            positions.append(i)
    while out and out[-1] == " ":
        out.pop()
        positions.pop()
    return "".join(out), positions


def has_keyword(folded: str, keywords: Iterable[str], *, fuzzy: bool = True) -> bool:
    return find_keyword(folded, keywords, fuzzy=fuzzy) is not None


_DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "I": "1",
        "l": "1",
        "|": "1",
        "i": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "G": "6",
        "b": "6",
    }
)


def fix_digits(token: str) -> str:
    """Letters OCR confuses with digits, read as digits; for tokens known to be numbers."""
    return token.translate(_DIGIT_LOOKALIKES)
