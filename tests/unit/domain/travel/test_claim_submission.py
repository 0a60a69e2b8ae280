"""What a travel claim needs before it goes to attest, with plain values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.domain.text import Text
from backend.domain.travel.claim import (
    HOTEL_AND_NIGHT_ALLOWANCE,
    description_problems,
    hotel_with_night_allowance,
    nothing_to_claim,
)

pytestmark = pytest.mark.clockless

NO_PER_DIEM = Text(sv="Ingen övernattning.", en="No overnight stay.")


def test_a_described_trip_has_no_problems() -> None:
    assert description_problems("Kundmöte", "Göteborg") == []


def test_attest_needs_both_the_purpose_and_the_destination() -> None:
    problems = description_problems(None, "")

    assert [(p.field, p.code) for p in problems] == [
        ("purpose", "travel.purpose_required"),
        ("destination", "travel.destination_required"),
    ]
    assert problems[0].message("sv") == "Ange resans syfte."
    assert problems[1].message("en") == "Give the destination."


def test_nothing_to_claim_without_per_diem_mileage_or_expenses() -> None:
    problem = nothing_to_claim(Decimal(0), Decimal(0), 0, NO_PER_DIEM)

    assert problem is not None
    assert (problem.field, problem.code) == ("per_diem", "travel.nothing_to_claim")
    assert problem.message("sv") == "Inget att ersätta: Ingen övernattning. Lägg till milersättning eller utlägg."
    assert problem.message("en") == "Nothing to pay: No overnight stay. Add mileage or expenses."


@pytest.mark.parametrize(
    ("per_diem", "mileage", "expenses"),
    [(Decimal(290), Decimal(0), 0), (Decimal(0), Decimal("62.50"), 0), (Decimal(0), Decimal(0), 1)],
)
def test_any_per_diem_mileage_or_expense_is_something_to_claim(
    per_diem: Decimal, mileage: Decimal, expenses: int
) -> None:
    assert nothing_to_claim(per_diem, mileage, expenses, NO_PER_DIEM) is None


def test_a_hotel_receipt_with_a_night_allowance_is_a_warning() -> None:
    warning = hotel_with_night_allowance(False, ["train", "hotel"])

    assert warning is not None
    assert warning.sv == "Hotellkvitto bifogat men logi anges som inte betald av arbetsgivaren (nattraktamente)."
    assert HOTEL_AND_NIGHT_ALLOWANCE == "travel.hotel_and_night_allowance"


def test_no_warning_when_the_employer_paid_the_lodging_or_there_is_no_hotel_receipt() -> None:
    assert hotel_with_night_allowance(True, ["hotel"]) is None
    assert hotel_with_night_allowance(False, ["train", None]) is None
