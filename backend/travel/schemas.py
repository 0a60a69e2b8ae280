"""Travel claims (trip, per diem, mileage, attached expenses) and the normalbelopp table as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.attest.schemas import AttestView, HistoryEntry, ItemState, PersonRef
from backend.core.schemas import Input, Kilometres, Output

Vehicle = Literal["own_car", "company_car_fossil", "company_car_electric"]
LongStayFlag = Literal["none", "after_3_months", "after_2_years"]
Place = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class MealsIn(Input):
    """Meals provided free on a day of the trip (also when included in a ticket or the hotel rate)."""

    date: date
    breakfast: bool = False
    lunch: bool = False
    dinner: bool = False


class LegIn(Input):
    date: date
    from_place: Place
    to_place: Place
    distance_km: Kilometres
    purpose: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    vehicle: Vehicle = "own_car"
    """own_car | company_car_fossil (petrol, diesel, plug-in hybrid) | company_car_electric."""


class TravelClaimIn(Input):
    """The trip. Times are Stockholm local time when given without an offset."""

    departure_at: datetime
    return_at: datetime
    purpose: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    destination: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    country_code: Annotated[str, msgspec.Meta(min_length=2, max_length=3)] = "SE"
    """SE for a domestic trip, else the destination country (ISO 3166-1 alpha-2)."""
    distance_from_home_km: Kilometres = Decimal(0)
    distance_from_workplace_km: Kilometres = Decimal(0)
    """Per diem needs more than 50 km from both the ordinary workplace and home."""
    lodging_paid_by_employer: bool = True
    """False: the employee arranged the nights themselves, so a night allowance is due."""
    meals: Annotated[list[MealsIn], msgspec.Meta(max_length=400)] = []
    long_stay: LongStayFlag = "none"
    """The trip is already past 3 months (70 %) or 2 years (50 %) at the same place."""
    same_place_since: date | None = None
    """Instead of ``long_stay``: when the stay at this place began (the reductions then apply by date)."""
    mileage: Annotated[list[LegIn], msgspec.Meta(max_length=100)] = []
    expense_ids: Annotated[list[UUID], msgspec.Meta(max_length=50)] = []
    """Expenses (hotel, tickets) filed in the expenses area; not ones in an expense claim."""


class MealsView(Output):
    date: date
    breakfast: bool
    lunch: bool
    dinner: bool


class NightView(Output):
    lodging: Literal["employer_paid", "own_arrangement"]
    tax_free_max: Decimal
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal


class PerDiemDayView(Output):
    date: date
    kind: Literal["full_day", "half_day"]
    rule: str
    """``per_diem.full_day``, ``per_diem.half_day_departure``, ``per_diem.half_day_return``, or why none."""
    country_code: str
    long_stay: Literal["none", "after_3_months", "after_2_years"]
    allowance: Decimal
    """The day's tax-free amount before meals."""
    meals_provided: list[str]
    meal_reduction: Decimal
    day_tax_free_max: Decimal
    day_paid: Decimal
    night: NightView | None
    """The night starting this day (none on the return day)."""
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal
    explanation: str


class PerDiemView(Output):
    qualifies: bool
    rule: str
    explanation: str
    days: list[PerDiemDayView]
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal


class MileageLegView(Output):
    date: date
    from_place: str
    to_place: str
    purpose: str | None
    distance_km: Kilometres
    vehicle: Vehicle
    mil: Decimal
    rate_per_mil: Decimal
    """What the organisation pays per mil."""
    tax_free_max_per_mil: Decimal
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal
    explanation: str


class MileageView(Output):
    legs: list[MileageLegView]
    paid: Decimal
    tax_free: Decimal
    taxable: Decimal


class ExpenseRef(Output):
    id: UUID
    expense_date: date | None
    merchant: str | None
    category: str | None
    amount_sek: Decimal | None
    payment: str


class TotalsView(Output):
    per_diem: Decimal
    mileage: Decimal
    expenses: Decimal
    """Attached expenses paid privately (reimbursed); company-card expenses are not paid out."""
    total: Decimal
    tax_free: Decimal
    taxable: Decimal
    """Per diem and mileage above the tax-free amounts: salary, taxed on the payslip."""


class TravelClaimView(Output):
    id: UUID
    employee: PersonRef
    state: ItemState
    editable: bool
    purpose: str | None
    destination: str | None
    country_code: str
    departure_at: datetime
    return_at: datetime
    distance_from_home_km: Decimal
    distance_from_workplace_km: Decimal
    lodging_paid_by_employer: bool
    meals: list[MealsView]
    long_stay: LongStayFlag
    same_place_since: date | None
    per_diem: PerDiemView
    mileage: MileageView
    expenses: list[ExpenseRef]
    totals: TotalsView
    attest: AttestView | None
    history: list[HistoryEntry]


class TravelClaimSummary(Output):
    id: UUID
    purpose: str | None
    destination: str | None
    country_code: str
    departure_at: datetime
    return_at: datetime
    state: ItemState
    total: Decimal
    submitted_at: datetime | None


class NormalbeloppView(Output):
    year: int
    country_code: str
    country_name: str
    amount: Decimal


class NormalbeloppLoaded(Output):
    years: list[int]
    """The years the file held; each replaces that year's earlier table."""
    loaded: int
