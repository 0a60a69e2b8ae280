"""Personnummer: 12 digits, Luhn over the last ten, the birth date it carries."""

from __future__ import annotations

from datetime import date

import pytest

from backend.domain import personnummer
from backend.domain.personnummer import InvalidPersonnummer, PersonnummerBirthDateMismatch


def test_a_published_example_number_is_valid() -> None:
    # Skatteverket's example 811218-9876, with the century written out.
    assert personnummer.check("19811218-9876", date(1981, 12, 18)) == "198112189876"


def test_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidPersonnummer):
        personnummer.check("198112189875")


def test_ten_digits_are_refused_because_the_century_is_unknown() -> None:
    with pytest.raises(InvalidPersonnummer):
        personnummer.check("8112189876")


def test_a_number_for_another_birth_date_is_refused() -> None:
    with pytest.raises(PersonnummerBirthDateMismatch):
        personnummer.check("198112189876", date(1981, 12, 19))


def test_a_coordination_number_carries_the_day_plus_sixty() -> None:
    number = personnummer.make(date(1990, 1, 1), 123)
    coordination = number[:6] + "61" + number[8:11]
    coordination += personnummer.check_digit(coordination)
    assert personnummer.check(coordination, date(1990, 1, 1)) == coordination


def test_a_date_that_does_not_exist_is_refused() -> None:
    with pytest.raises(InvalidPersonnummer):
        personnummer.check("199002301236")


@pytest.mark.parametrize("serial", [0, 7, 980, 999])
def test_made_numbers_are_valid_and_carry_the_birth_date(serial: int) -> None:
    number = personnummer.make(date(1975, 9, 21), serial)
    assert personnummer.valid(number)
    assert personnummer.birth_date_of(number) == date(1975, 9, 21)
