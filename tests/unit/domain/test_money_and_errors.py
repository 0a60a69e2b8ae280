"""Exact money helpers and the domain error shape the API relies on."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from backend.domain.errors import DomainError, InvalidValue
from backend.domain.money import as_decimal, format_days, format_sek, round_ore
from backend.domain.text import Text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0.005"), Decimal("0.01")),
        (Decimal("-0.005"), Decimal("-0.01")),
        (Decimal("0.0049"), Decimal("0.00")),
        (Fraction(1, 3), Decimal("0.33")),
        (Fraction(2, 3), Decimal("0.67")),
        (7, Decimal("7.00")),
    ],
)
def test_round_ore_is_half_up(value: Decimal | Fraction | int, expected: Decimal) -> None:
    assert round_ore(value) == expected


def test_floats_are_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        as_decimal(0.1)  # type: ignore[arg-type]
    assert caught.value.code == "value.not_exact"


def test_fractions_without_a_decimal_form_are_refused() -> None:
    with pytest.raises(InvalidValue):
        as_decimal(Fraction(1, 3))


def test_amounts_are_formatted_for_english_and_swedish() -> None:
    assert format_sek(Decimal("1107.6923"), lang="en") == "1,107.69 kr"
    assert format_sek(Decimal("1107.6923"), lang="sv") == "1 107,69 kr"


def test_domain_errors_carry_code_messages_and_field() -> None:
    error = DomainError(Text(sv="Fel", en="Bad"), field="x", code="demo.bad")
    assert error.as_dict() == {"code": "demo.bad", "message_en": "Bad", "message_sv": "Fel", "field": "x"}
    assert str(error) == "[demo.bad] Bad"


@pytest.mark.parametrize(
    ("days", "swedish", "english"),
    [
        (Decimal("10.00"), "10 dagar", "10 days"),  # not "1E+1"
        (Decimal("100"), "100 dagar", "100 days"),
        (Decimal("1.00"), "1 dag", "1 day"),
        (Decimal("0.5"), "0,5 dag", "0.5 days"),
        (Decimal("2.50"), "2,5 dagar", "2.5 days"),
        (20, "20 dagar", "20 days"),
    ],
)
def test_day_counts_are_written_as_people_write_them(days: Decimal | int, swedish: str, english: str) -> None:
    assert (format_days(days, lang="sv"), format_days(days, lang="en")) == (swedish, english)
