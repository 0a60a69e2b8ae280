"""Swedish organisation numbers (NNNNNN-NNNN), valid only with a correct Luhn check digit.

Besides "Org.nr 556139-9865" they hide in VAT numbers ("SE556139986501") and the
12-digit form ("16556139-9865"). Without a keyword nearby a number is accepted only if
its third digit is 2 or more (legal persons; a personal identity number has a month
there), which keeps phone numbers that happen to pass Luhn (one in ten) out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocr.layout import Line
from ocr.text import find_keyword, fix_digits, fold

KEYWORDS = (
    "org nr",
    "orgnr",
    "org.nr",
    "org. nr",
    "org nummer",
    "organisationsnummer",
    "organisationsnr",
    "org no",
    "org.no",
    "orgnummer",
    "org-nr",
    "org:",
    "momsreg",
    "moms reg",
    "vat no",
    "vat reg",
    "momsregnr",
    "reg nr",
    "regnr",
    "org",
)
_NUMBER = re.compile(r"(?<![\dA-Za-z])(?:16)?(\d{6})\s?[-–]?\s?(\d{4})(?!\d)")
_VAT_NUMBER = re.compile(r"(?<![A-Za-z0-9])SE\s?(\d{6})\s?-?\s?(\d{4})\s?01(?!\d)")
_DIGITISH = re.compile(r"[\dOoIlSB|]{6}\s?[-–]?\s?[\dOoIlSB|]{4}")


@dataclass(frozen=True, slots=True)
class OrgNumberMatch:
    value: str
    start: int
    end: int
    line: Line
    keyword: bool


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by Swedish organisation and personal numbers."""
    if not digits.isdigit() or not digits:
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise(text: str) -> str | None:
    """ "556139-9865" (or with spaces, no dash, 16-prefix, SE...01) -> "556139-9865" if valid."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 12 and text.strip().upper().startswith("SE") and digits.endswith("01"):
        digits = digits[:10]
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if len(digits) != 10 or not luhn_valid(digits):
        return None
    return f"{digits[:6]}-{digits[6:]}"


def find_org_numbers(line: Line) -> list[OrgNumberMatch]:
    """Valid organisation numbers in ``line``; look-alike letters fixed after a keyword."""
    folded = fold(line.text)
    hit = find_keyword(folded, KEYWORDS, fuzzy=False)
    text = line.text
    if hit is not None:
        tail = text[hit.end :]
        tail = _DIGITISH.sub(lambda m: fix_digits(m.group()), tail)
        text = text[: hit.end] + tail
    found: list[OrgNumberMatch] = []
    for pattern in (_VAT_NUMBER, _NUMBER):
        for m in pattern.finditer(text):
            if any(f.start <= m.start() < f.end for f in found):
                continue
            digits = m.group(1) + m.group(2)
            if not luhn_valid(digits):
                continue
            near = (hit is not None and hit.end <= m.start() + 2) or pattern is _VAT_NUMBER
            if not near and int(digits[2]) < 2:
                continue
            found.append(OrgNumberMatch(f"{digits[:6]}-{digits[6:]}", m.start(), m.end(), line, near))
    return found
