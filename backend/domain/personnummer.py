"""Swedish personal identity numbers (personnummer): the one rule for checking and making them.

Stored as 12 digits ``YYYYMMDDNNNC``: the birth date, a three-digit birth number and a Luhn
check digit over the last ten digits (``YYMMDDNNN``), as Skatteverket defines it. Samordnings-
nummer (day + 60) are accepted too; their birth date is the day minus 60.
"""

from __future__ import annotations

import re
from datetime import date

from backend.domain.errors import DomainError
from backend.domain.text import Text
from ocr.fields.orgnr import luhn_valid  # the one Luhn rule (organisation and personal numbers)

COORDINATION_OFFSET = 60


class InvalidPersonnummer(DomainError):
    code = "personnummer.invalid"

    def __init__(self, field: str = "personal_identity_number") -> None:
        super().__init__(
            Text(
                sv="Ett personnummer har 12 siffror (ÅÅÅÅMMDDNNNK) med rätt kontrollsiffra.",
                en="A personal identity number has 12 digits (YYYYMMDDNNNC) with a correct check digit.",
            ),
            field=field,
        )


class PersonnummerBirthDateMismatch(DomainError):
    code = "personnummer.birth_date_mismatch"

    def __init__(self, field: str = "personal_identity_number") -> None:
        super().__init__(
            Text(
                sv="Personnumret stämmer inte med födelsedatumet.",
                en="The personal identity number does not match the birth date.",
            ),
            field=field,
        )


def normalise(text: str) -> str:
    """``"19850315-1234"``, ``"198503151234"`` or ``"19850315 1234"`` -> 12 digits; separators only, no guessing
    of the century (a 10-digit number is refused: the century cannot be known for sure)."""
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{12}", digits):
        raise InvalidPersonnummer()
    return digits


def birth_date_of(number: str) -> date | None:
    """The birth date a 12-digit number carries (coordination numbers: day - 60), None if no real date."""
    year, month, day = int(number[:4]), int(number[4:6]), int(number[6:8])
    if day > COORDINATION_OFFSET:
        day -= COORDINATION_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        return None


def valid(number: str) -> bool:
    """12 digits, a real birth date and a correct Luhn check digit over the last ten."""
    return bool(re.fullmatch(r"\d{12}", number)) and birth_date_of(number) is not None and luhn_valid(number[2:])


def check(text: str, birth_date: date | None = None) -> str:
    """The normalised number, or the reason it is refused (also when it contradicts ``birth_date``)."""
    number = normalise(text)
    if not valid(number):
        raise InvalidPersonnummer()
    if birth_date is not None and birth_date_of(number) != birth_date:
        raise PersonnummerBirthDateMismatch()
    return number


def check_digit(first_eleven: str) -> str:
    """The Luhn digit that completes ``YYYYMMDDNNN``."""
    for digit in "0123456789":
        if luhn_valid(first_eleven[2:] + digit):
            return digit
    raise AssertionError("unreachable: one of ten digits always completes a Luhn number")  # pragma: no cover


def make(birth_date: date, birth_number: int) -> str:
    """A valid number for ``birth_date`` and a birth number 0-999 (test data: the demo, benchmarks)."""
    if not 0 <= birth_number <= 999:
        msg = f"birth number {birth_number} is not 0-999"
        raise ValueError(msg)
    first = f"{birth_date:%Y%m%d}{birth_number:03d}"
    return first + check_digit(first)
