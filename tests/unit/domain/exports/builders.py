"""Facts for the export specifications, built with the real travel rules (per diem, mileage)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from backend.domain.exports.model import Dimensions, ExpenseFact, ItemFacts, Person, TimeFact, TravelFact
from backend.domain.payslip.inputs import TimeCode, TravelDay, TravelLeg
from backend.domain.rates import VehicleKind
from backend.domain.travel.mileage import MileageLeg, MileagePolicy, compute_mileage
from backend.domain.travel.normalbelopp import NormalbeloppTable
from backend.domain.travel.per_diem import Lodging, Meal, PerDiemPolicy, Trip, compute_per_diem

D = Decimal
REPO_ROOT = Path(__file__).resolve().parents[4]
PAXML_XSD = REPO_ROOT.parent / "shared" / "payroll" / "paxml-2.0.xsd"
ANNA = Person("1001", "198112189876", "Anna Åström")
APPROVED = date(2026, 11, 20)


def paxml_xsd() -> Path:
    if not PAXML_XSD.is_file():
        pytest.skip(f"shared test data {PAXML_XSD} is absent (it lives beside the repo in ../shared/payroll)")
    return PAXML_XSD


def time_week(*facts: TimeFact, person: Person = ANNA, item_id: str = "week-47") -> ItemFacts:
    return ItemFacts(item_id, "time_week", person, APPROVED, "Vecka 47", time=facts)


def expense(
    amount: str,
    *,
    vat: tuple[tuple[str, str], ...] = (),
    category: str | None = "meal",
    payment: str = "private",
    text: str = "Lunch",
    dimensions: Dimensions = Dimensions(),
    expense_id: str = "e1",
    day: date = date(2026, 11, 17),
) -> ExpenseFact:
    return ExpenseFact(
        expense_id, day, D(amount), tuple((D(r), D(a)) for r, a in vat), category, payment, text, dimensions
    )


def expense_claim(*expenses: ExpenseFact, person: Person = ANNA, item_id: str = "claim-1") -> ItemFacts:
    return ItemFacts(item_id, "expense_claim", person, APPROVED, "Utlägg november", expenses=expenses)


def trip(
    departure: datetime,
    return_at: datetime,
    *,
    country: str = "SE",
    meals: dict[date, frozenset[Meal]] | None = None,
    lodging: dict[date, Lodging] | None = None,
    policy: PerDiemPolicy | None = None,
    legs: tuple[tuple[date, str, VehicleKind], ...] = (),
    mileage_rates: dict[VehicleKind, Decimal] | None = None,
    normalbelopp: NormalbeloppTable | None = None,
    dimensions: Dimensions = Dimensions(),
) -> TravelFact:
    """A travel claim's facts as the travel rules compute and store them."""
    per_diem = compute_per_diem(
        Trip(departure, return_at, D(300), D(300), country, meals or {}, lodging or {}),
        policy=policy,
        normalbelopp=normalbelopp,
    )
    mileage = compute_mileage(
        [MileageLeg(day, D(km), vehicle) for day, km, vehicle in legs], MileagePolicy(mileage_rates or {})
    )
    days = tuple(
        TravelDay(d.kind.value, d.allowance, d.meal_reduction, d.night.tax_free if d.night else D(0))
        for d in per_diem.days
    )
    return TravelFact(
        claim_id="trip-1",
        first_day=departure.date(),
        last_day=return_at.date(),
        country_code=country,
        per_diem_tax_free=per_diem.tax_free,
        per_diem_taxable=per_diem.taxable,
        mileage_tax_free=mileage.tax_free,
        mileage_taxable=mileage.taxable,
        days=days if per_diem.qualifies else (),
        legs=tuple(TravelLeg(x.leg.distance_km, x.mil, x.rate_per_mil, x.tax_free_max_per_mil) for x in mileage.lines),
        text="Göteborg",
        dimensions=dimensions,
        meals_provided=tuple(tuple(m.value for m in Meal if m in d.meals_provided) for d in per_diem.days),
        leg_vehicles=tuple(x.leg.vehicle.value for x in mileage.lines),
    )


def travel_claim(fact: TravelFact, *expenses: ExpenseFact, person: Person = ANNA) -> ItemFacts:
    return ItemFacts("travel-1", "travel_claim", person, APPROVED, "Resa Göteborg", travel=fact, expenses=expenses)


def work(day: date, hours: str = "8", code: TimeCode = TimeCode.WORK, **kwargs: object) -> TimeFact:
    return TimeFact(day, code, D(hours), **kwargs)  # type: ignore[arg-type]
