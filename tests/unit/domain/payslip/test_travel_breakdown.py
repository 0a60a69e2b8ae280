"""Travel lines read as on a lönespecifikation: days × rate, meal reductions, mil × rate.

The figures are those of ../shared/payroll/rates-2026.md: a domestic full day 300 kr, a half
day 150 kr, a free lunch reduces the day by 105 kr; own car 25 kr per mil tax-free.
"""

from __future__ import annotations

from datetime import date

from backend.domain.payslip import ApprovedTravelClaim
from backend.domain.payslip.inputs import TravelDay, TravelLeg
from tests.unit.domain.payslip.builders import D, employee, monthly, slip

APPROVED = date(2026, 3, 25)
GOTHENBURG = (
    TravelDay("full_day", D(300), D(0)),
    TravelDay("full_day", D(300), D(105)),
    TravelDay("half_day", D(150), D(0)),
)


def test_a_three_day_trip_with_a_free_lunch_shows_two_full_days_a_half_day_and_the_reduction() -> None:
    claim = ApprovedTravelClaim("trip-1", APPROVED, "Göteborg", per_diem_tax_free=D(645), days=GOTHENBURG)

    (line,) = slip(employee(monthly(42_000)), travel_claims=[claim]).lines_with("per_diem_tax_free")

    assert [(d.text_sv, d.quantity, d.unit, d.rate, d.amount) for d in line.details] == [
        ("Heldagar", D(2), "days", D(300), D(600)),
        ("Halvdagar", D(1), "days", D(150), D(150)),
        ("Måltidsreduktion (fria måltider)", D(1), "days", D(-105), D(-105)),
    ]
    assert (line.quantity, line.unit, line.amount) == (D(3), "days", D(645))


def test_mileage_shows_kilometres_and_mil_times_the_rate_above_and_within_the_tax_free_amount() -> None:
    legs = (TravelLeg(D(400), D(40), D("31.50"), D(25)),)
    claim = ApprovedTravelClaim("trip-2", APPROVED, mileage_tax_free=D(1000), mileage_taxable=D(260), legs=legs)

    payslip = slip(employee(monthly(42_000)), travel_claims=[claim])
    (free,) = payslip.lines_with("mileage_tax_free")
    (taxable,) = payslip.lines_with("mileage_taxable")

    assert (free.quantity, free.unit, free.rate, free.amount) == (D(40), "mil", D(25), D(1000))
    assert free.details[0].text_sv == "400 km, skattefritt belopp"
    assert (taxable.quantity, taxable.unit, taxable.rate, taxable.amount) == (D(40), "mil", D("6.50"), D(260))


def test_sub_lines_always_add_up_to_the_line_an_employer_paying_less_shows_the_difference() -> None:
    claim = ApprovedTravelClaim("trip-3", APPROVED, "Luleå", per_diem_tax_free=D(500), days=GOTHENBURG[:2])

    (line,) = slip(employee(monthly(42_000)), travel_claims=[claim]).lines_with("per_diem_tax_free")

    assert sum(d.amount for d in line.details) == line.amount == D(500)
    assert line.details[-1].text_sv == "Skillnad mot arbetsgivarens belopp"


def test_no_internal_id_in_a_travel_or_expense_text_when_there_is_no_description() -> None:
    claim = ApprovedTravelClaim("7f1c2d4e-0000-4000-8000-000000000001", APPROVED, per_diem_tax_free=D(300))

    (line,) = slip(employee(monthly(42_000)), travel_claims=[claim]).lines_with("per_diem_tax_free")

    assert line.text_sv == "Traktamente, skattefritt: resa"
    assert "7f1c2d4e" not in line.explanation_sv + line.explanation_en
