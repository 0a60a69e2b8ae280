"""Per diem and mileage for a claim, by the domain's rules with the organisation's figures.

The rules are ``backend.domain.travel`` (the claim's checks, ``compute_per_diem``,
``compute_mileage``); this module gathers what they need from the database and turns their
answer into the claim's stored ``computation``, which the views read back, so what is attested
is what is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import STOCKHOLM
from backend.core.problems import FieldError, invalid
from backend.core.rates_store import ensure_loaded_rates
from backend.domain.calendar import months_before
from backend.domain.errors import DomainError
from backend.domain.money import as_decimal
from backend.domain.rates import VehicleKind
from backend.domain.travel.claim import ClaimFacts, claim_problems
from backend.domain.travel.claim import Leg as ClaimLeg
from backend.domain.travel.mileage import MileageLeg as Leg
from backend.domain.travel.mileage import MileageLine, MileagePolicy, MileageResult, compute_mileage
from backend.domain.travel.per_diem import (
    DOMESTIC,
    Lodging,
    Meal,
    PerDiemPolicy,
    PerDiemResult,
    Trip,
    compute_per_diem,
    wall_clock,
)
from backend.travel.rates import normalbelopp_table, year_policy
from backend.travel.schemas import LegIn, TravelClaimIn

ZERO = Decimal("0.00")


def aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=STOCKHOLM) if moment.tzinfo is None else moment.astimezone(STOCKHOLM)


def _s(value: Decimal) -> str:
    return str(value)


def per_diem_json(result: PerDiemResult) -> dict[str, Any]:
    """The per diem as stored with the claim: every figure a decimal string, explanations in both languages."""
    return {
        "qualifies": result.qualifies,
        "rule": result.reason,
        "explanation_en": result.explanation_en,
        "explanation_sv": result.explanation_sv,
        "paid": _s(result.paid),
        "tax_free": _s(result.tax_free),
        "taxable": _s(result.taxable),
        "days": [
            {
                "date": d.date.isoformat(),
                "kind": d.kind.value,
                "rule": d.rule,
                "country_code": d.country_code,
                "long_stay": d.long_stay.value,
                "allowance": _s(d.allowance),
                "meals_provided": [m.value for m in Meal if m in d.meals_provided],
                "meal_reduction": _s(d.meal_reduction),
                "day_tax_free_max": _s(d.day_tax_free_max),
                "day_paid": _s(d.day_paid),
                "night": None
                if d.night is None
                else {
                    "lodging": d.night.lodging.value,
                    "tax_free_max": _s(d.night.tax_free_max),
                    "paid": _s(d.night.paid),
                    "tax_free": _s(d.night.tax_free),
                    "taxable": _s(d.night.taxable),
                },
                "paid": _s(d.paid),
                "tax_free": _s(d.tax_free),
                "taxable": _s(d.taxable),
                "explanation_en": d.explanation_en,
                "explanation_sv": d.explanation_sv,
            }
            for d in result.days
        ],
    }


def mileage_json(result: MileageResult, legs: Sequence[LegIn]) -> dict[str, Any]:
    """The mileage as stored with the claim, each line with the leg as the employee gave it."""
    return {
        "paid": _s(result.paid),
        "tax_free": _s(result.tax_free),
        "taxable": _s(result.taxable),
        "legs": [
            {
                "date": leg.date.isoformat(),
                "from_place": leg.from_place,
                "to_place": leg.to_place,
                "purpose": leg.purpose,
                "distance_km": _s(line.leg.distance_km),
                "vehicle": leg.vehicle,
                "mil": _s(line.mil),
                "rate_per_mil": _s(line.rate_per_mil),
                "tax_free_max_per_mil": _s(line.tax_free_max_per_mil),
                "paid": _s(line.paid),
                "tax_free": _s(line.tax_free),
                "taxable": _s(line.taxable),
                "explanation_en": line.explanation_en,
                "explanation_sv": line.explanation_sv,
            }
            for line, leg in zip(result.lines, legs, strict=True)
        ],
    }


# --- checking -----------------------------------------------------------------------------------


def trip_errors(data: TravelClaimIn) -> list[FieldError]:
    """Every problem of the trip, meals and legs by the domain's claim rules, before anything is computed."""
    return claim_problems(
        ClaimFacts(
            departure=wall_clock(data.departure_at),
            return_at=wall_clock(data.return_at),
            distance_from_home_km=data.distance_from_home_km,
            distance_from_workplace_km=data.distance_from_workplace_km,
            country_code=data.country_code,
            meal_days=tuple(meals.date for meals in data.meals),
            legs=tuple(ClaimLeg(leg.date, leg.distance_km) for leg in data.mileage),
            same_place_since=data.same_place_since,
        )
    )


async def country_errors(session: AsyncSession, organisation_id: UUID, data: TravelClaimIn) -> list[FieldError]:
    """A trip abroad needs the country's normalbelopp for every year of the trip."""
    code = data.country_code.strip().upper()
    if code == DOMESTIC:
        return []
    first, last = wall_clock(data.departure_at).date(), wall_clock(data.return_at).date()
    years = set(range(first.year, max(first, last).year + 1))
    table = await normalbelopp_table(session, organisation_id, years)
    for year in sorted(years):
        try:
            table.get(year, code)
        except DomainError as exc:
            return [FieldError("country_code", exc.code, exc.message)]
    return []


# --- computing ----------------------------------------------------------------------------------


async def compute(
    session: AsyncSession, organisation_id: UUID, data: TravelClaimIn
) -> tuple[PerDiemResult, MileageResult, dict[str, Any]]:
    """Per diem and mileage of a checked claim, and the computation to store with it."""
    per_diem = await _per_diem(session, organisation_id, data)
    lines = await _mileage_lines(session, organisation_id, data.mileage)
    mileage = MileageResult(
        lines=tuple(line for line, _ in lines),
        paid=sum((line.paid for line, _ in lines), ZERO),
        tax_free=sum((line.tax_free for line, _ in lines), ZERO),
        taxable=sum((line.taxable for line, _ in lines), ZERO),
    )
    computation = {
        "per_diem": per_diem_json(per_diem),
        "mileage": mileage_json(mileage, [leg for _, leg in lines]),
    }
    return per_diem, mileage, computation


async def _per_diem(session: AsyncSession, organisation_id: UUID, data: TravelClaimIn) -> PerDiemResult:
    """The long-stay flag becomes a start date so the domain applies the reductions by date."""
    departure, return_at = wall_clock(data.departure_at), wall_clock(data.return_at)
    first, last = departure.date(), return_at.date()
    code = data.country_code.strip().upper()
    since = data.same_place_since
    if since is None and data.long_stay == "after_3_months":
        since = months_before(first, 3)
    elif since is None and data.long_stay == "after_2_years":
        since = months_before(first, 24)
    nights = (last - first).days
    trip = Trip(
        departure=departure,
        return_at=return_at,
        distance_from_home_km=data.distance_from_home_km,
        distance_from_workplace_km=data.distance_from_workplace_km,
        country_code=code,
        meals_provided={
            m.date: frozenset(
                meal
                for meal, given in ((Meal.BREAKFAST, m.breakfast), (Meal.LUNCH, m.lunch), (Meal.DINNER, m.dinner))
                if given
            )
            for m in data.meals
        },
        lodging={}
        if data.lodging_paid_by_employer
        else {first + timedelta(days=i): Lodging.OWN_ARRANGEMENT for i in range(nights)},
        same_place_since=since,
    )
    policy = await year_policy(session, organisation_id, first.year)
    await ensure_loaded_rates(session)
    years = set(range(first.year, last.year + 1))
    table = await normalbelopp_table(session, organisation_id, years) if code != DOMESTIC else None
    try:
        return compute_per_diem(
            trip,
            policy=PerDiemPolicy(full_day=policy.per_diem_full_day if policy else None),
            normalbelopp=table,
        )
    except DomainError as exc:
        raise invalid([FieldError(exc.field or "departure_at", exc.code, exc.message)], exc.message) from exc


async def _mileage_lines(
    session: AsyncSession, organisation_id: UUID, legs: Sequence[LegIn]
) -> list[tuple[MileageLine, LegIn]]:
    """Each leg at its own year's rate, back in the employee's order."""
    lines = []
    for year in sorted({leg.date.year for leg in legs}):
        of_year = [leg for leg in legs if leg.date.year == year]
        policy = await year_policy(session, organisation_id, year)
        rate = policy.mileage_rate_per_mil if policy else None
        mileage_policy = MileagePolicy({VehicleKind.OWN_CAR: rate} if rate is not None else {})
        try:
            result = compute_mileage(
                [
                    Leg(leg.date, as_decimal(leg.distance_km), VehicleKind(leg.vehicle), leg.purpose or "")
                    for leg in of_year
                ],
                mileage_policy,
            )
        except DomainError as exc:
            raise invalid([FieldError("mileage", exc.code, exc.message)], exc.message) from exc
        lines += list(zip(result.lines, of_year, strict=True))
    order = {id(leg): i for i, leg in enumerate(legs)}
    lines.sort(key=lambda pair: order[id(pair[1])])
    return lines
