"""Money amounts in a printed row: "268,17", "2 087,59", "1,007.50", "RM13.30", "250:-".

Amounts are ``Decimal`` from the digits, never float. An amount needs two decimals
(the case on nearly every receipt) or an explicit whole-krona mark (":-", ",-"); bare
integers are quantities, article numbers and dates far more often than prices. A row
with no other amount that ends in digits, one space and two digits ("Subtotal  6 00")
holds an amount whose decimal point the OCR lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ocr.layout import Line
from ocr.text import fix_digits

_AMOUNT = re.compile(
    r"""
    (?<![\d.,])
    (?P<neg>-\s?)?
    (?P<int>\d{1,3}(?:(?P<ts>[ ,.'])\d{3})(?:(?P=ts)\d{3})*|\d+)
    (?:\s(?=[.,]\d\d(?!\d)))?(?P<sep>[.,])\s?
    (?P<dec>\d{2})
    (?![\d])(?![.,]\d)(?!\s?%)
    (?P<trail>-(?!\d))?
    """,
    re.VERBOSE,
)
_WHOLE = re.compile(r"(?<![\d.,])(?P<int>\d{1,3}(?: \d{3})+|\d+)(?::-|,-|\.-)")
_SPACED = re.compile(r"(?<![\d.,])(?<![\d.,\-] )(?P<int>\d{1,4}) (?P<dec>\d{2})\s*$")
"""A row ending in "6 00" or "RM8 60": the decimal point lost (faint dot-matrix print)."""
_CENTS = re.compile(r"(?:(?<=\s)|^)(?P<neg>-)?[.,](?P<dec>\d{2})(?![\d.,])(?!\s?%)(?P<trail>-(?!\d))?")
"""A row ending in ".40": an amount under one unit printed without its leading zero ("CHANGE RM  .40")."""
_TOKEN = re.compile(r"\S+")
_FIXABLE_TOKEN = re.compile(r"^-?\d+(?:[ ,.']\d{3})*[.,]\d{2}-?$")


@dataclass(frozen=True, slots=True)
class Amount:
    """One amount found in a row, with its character span in ``line.text``."""

    value: Decimal
    start: int
    end: int
    decimals: bool
    line: Line

    @property
    def suspicious(self) -> bool:
        """A leading zero ("01.00"): a digit was probably lost in reading."""
        digits = self.line.text[self.start : self.end].lstrip("-")
        return len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()

    @property
    def confidence(self) -> float:
        return self.line.confidence_in(self.start, self.end)


def numeric_text(text: str) -> str:
    """``text`` with digit look-alikes fixed inside number-like tokens (same length)."""
    chars = list(text)
    for match in _TOKEN.finditer(text):
        token = match.group()
        digits = sum(c.isdigit() for c in token)
        if digits < 3 or digits < len(token) - 2:
            continue
        fixed = fix_digits(token)
        if fixed != token and _FIXABLE_TOKEN.match(fixed):
            chars[match.start() : match.end()] = list(fixed)
    return "".join(chars)


def find_amounts(line: Line) -> list[Amount]:
    """All amounts in ``line``, left to right."""
    text = numeric_text(line.text)
    found: list[Amount] = []
    for match in _AMOUNT.finditer(text):
        value = _value(match)
        if value is not None:
            found.append(Amount(value, match.start("int"), match.end(), True, line))
    for match in _WHOLE.finditer(text):
        if any(a.start <= match.start() < a.end for a in found):
            continue
        digits = match.group("int").replace(" ", "")
        found.append(Amount(Decimal(digits), match.start(), match.end(), False, line))
    for match in _CENTS.finditer(text):
        if any(a.start <= match.start() < a.end for a in found):
            continue
        cents = Decimal(f"0.{match.group('dec')}")
        found.append(
            Amount(
                -cents if match.group("neg") or match.group("trail") else cents, match.start(), match.end(), True, line
            )
        )
    if not found:
        spaced = _SPACED.search(text)
        if spaced is not None:
            value = Decimal(f"{int(spaced.group('int'))}.{spaced.group('dec')}")
            found.append(Amount(value, spaced.start(), spaced.end("dec"), True, line))
    found.sort(key=lambda a: a.start)
    return found


def _value(match: re.Match[str]) -> Decimal | None:
    thousands = match.group("ts")
    if thousands is not None and thousands == match.group("sep"):
        return None
    integer = match.group("int")
    if thousands:
        integer = integer.replace(thousands, "")
    try:
        value = Decimal(f"{int(integer)}.{match.group('dec')}")
    except (InvalidOperation, ValueError):
        return None
    if match.group("neg") or match.group("trail"):
        value = -value
    return value


def parse_amount(text: str) -> Decimal | None:
    """The single amount in ``text`` ("1 234,56", "12.50", "99:-"), or None."""
    from ocr.layout import lines_from_text

    lines = lines_from_text(text.replace("  ", " "))
    amounts = [a for line in lines for a in find_amounts(line)]
    return amounts[0].value if len(amounts) == 1 else None
