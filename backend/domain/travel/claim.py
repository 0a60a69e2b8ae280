"""What a travel claim must be before anything is computed: every problem at once, by field.

The API checks a claim with ``claim_problems`` and answers them all in one 422; the per diem
computation checks its own input with the same rules (``trip_order_problem``,
``negative_distance``, ``date_outside_trip``) and raises the first. Submission for attest adds
``description_problems``, ``nothing_to_claim`` and the warning ``hotel_with_night_allowance``.
Plain values in: times are Stockholm wall-clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from backend.domain.errors import FieldError
from backend.domain.text import Text

MAX_TRIP_DAYS = 366
"""A claim covers at most this many days: a longer stay is split into claims."""
KM_PRECISION = Decimal("0.01")


@dataclass(frozen=True)
class Leg:
    date: date
    distance_km: Decimal


@dataclass(frozen=True)
class ClaimFacts:
    departure: datetime
    return_at: datetime
    distance_from_home_km: Decimal
    distance_from_workplace_km: Decimal
    country_code: str
    meal_days: tuple[date, ...]
    legs: tuple[Leg, ...]
    same_place_since: date | None


def trip_order_problem(departure: datetime, return_at: datetime) -> FieldError | None:
    """The return must come after the departure."""
    if return_at > departure:
        return None
    return FieldError(
        "return_at",
        "travel.return_before_departure",
        Text(
            sv=f"Hemkomsten ({return_at:%Y-%m-%d %H:%M}) måste vara efter avresan ({departure:%Y-%m-%d %H:%M}).",
            en=f"The return ({return_at:%Y-%m-%d %H:%M}) must be after the departure ({departure:%Y-%m-%d %H:%M}).",
        ),
    )


def date_outside_trip(field: str, day: date, first: date, last: date) -> FieldError | None:
    """A day of the claim (a meal, a leg, a country) must be a day of the trip."""
    if first <= day <= last:
        return None
    return FieldError(
        field,
        "travel.date_outside_trip",
        Text(
            sv=f"{day} ligger utanför resan ({first} till {last}).",
            en=f"{day} is outside the trip ({first} to {last}).",
        ),
    )


def negative_distance(field: str, km: Decimal) -> FieldError | None:
    """A distance (from home or the workplace, or of a leg driven) cannot be negative."""
    if km >= 0:
        return None
    return FieldError(
        field,
        "travel.negative_distance",
        Text(sv=f"Avståndet {km} km får inte vara negativt.", en=f"The distance {km} km must not be negative."),
    )


def claim_problems(facts: ClaimFacts) -> list[FieldError]:
    """Every problem of the claim's trip, meals, legs and stay, each at its field."""
    found: list[FieldError] = []
    order = trip_order_problem(facts.departure, facts.return_at)
    first, last = facts.departure.date(), facts.return_at.date()
    if order is not None:
        found.append(order)
    elif (last - first).days >= MAX_TRIP_DAYS:
        found.append(
            FieldError(
                "return_at",
                "travel.trip_too_long",
                Text(
                    sv=f"Dela upp resan: en reseräkning omfattar högst {MAX_TRIP_DAYS} dagar.",
                    en=f"Split the trip: a travel claim covers at most {MAX_TRIP_DAYS} days.",
                ),
            )
        )
    for name in ("distance_from_home_km", "distance_from_workplace_km"):
        if (distance := negative_distance(name, getattr(facts, name))) is not None:
            found.append(distance)
    if not facts.country_code.isascii() or not facts.country_code.isalpha():
        found.append(
            FieldError(
                "country_code",
                "travel.unknown_country",
                Text(sv="Ange landskoden med bokstäver, t.ex. DE.", en="Give the country code in letters, e.g. DE."),
            )
        )
    seen: set[date] = set()
    for i, day in enumerate(facts.meal_days):
        if (outside := date_outside_trip(f"meals.{i}.date", day, first, last)) is not None:
            found.append(outside)
        if day in seen:
            found.append(
                FieldError(
                    f"meals.{i}.date",
                    "travel.duplicate_day",
                    Text(sv="Dagen finns redan bland måltiderna.", en="The day is already among the meals."),
                )
            )
        seen.add(day)
    for i, leg in enumerate(facts.legs):
        if (negative := negative_distance(f"mileage.{i}.distance_km", leg.distance_km)) is not None:
            found.append(negative)
        elif leg.distance_km != leg.distance_km.quantize(KM_PRECISION):
            found.append(
                FieldError(
                    f"mileage.{i}.distance_km",
                    "travel.distance_precision",
                    Text(
                        sv="Ange sträckan med högst två decimaler.", en="Give the distance with at most two decimals."
                    ),
                )
            )
        if (outside := date_outside_trip(f"mileage.{i}.date", leg.date, first, last)) is not None:
            found.append(outside)
    if facts.same_place_since is not None and facts.same_place_since > first:
        found.append(
            FieldError(
                "same_place_since",
                "travel.same_place_after_departure",
                Text(sv="Vistelsen kan inte börja efter avresan.", en="The stay cannot begin after the departure."),
            )
        )
    return found


def description_problems(purpose: str | None, destination: str | None) -> list[FieldError]:
    """A draft may be saved without them, but attest needs the purpose and the destination."""
    found: list[FieldError] = []
    if not purpose:
        found.append(
            FieldError(
                "purpose",
                "travel.purpose_required",
                Text(sv="Ange resans syfte.", en="Give the purpose of the trip."),
            )
        )
    if not destination:
        found.append(
            FieldError(
                "destination", "travel.destination_required", Text(sv="Ange resmålet.", en="Give the destination.")
            )
        )
    return found


def nothing_to_claim(
    per_diem_paid: Decimal, mileage_paid: Decimal, expense_count: int, per_diem_explanation: Text
) -> FieldError | None:
    """A claim with no per diem, no mileage and no expense would send nothing to attest."""
    if per_diem_paid != 0 or mileage_paid != 0 or expense_count:
        return None
    return FieldError(
        "per_diem",
        "travel.nothing_to_claim",
        Text(
            sv=f"Inget att ersätta: {per_diem_explanation.sv} Lägg till milersättning eller utlägg.",
            en=f"Nothing to pay: {per_diem_explanation.en} Add mileage or expenses.",
        ),
    )


HOTEL_AND_NIGHT_ALLOWANCE = "travel.hotel_and_night_allowance"
"""The code of the warning ``hotel_with_night_allowance`` gives."""


def hotel_with_night_allowance(lodging_paid_by_employer: bool, expense_categories: Iterable[str | None]) -> Text | None:
    """A warning, not a refusal: a hotel receipt next to a night allowance may mean lodging is paid twice."""
    if lodging_paid_by_employer or "hotel" not in expense_categories:
        return None
    return Text(
        sv="Hotellkvitto bifogat men logi anges som inte betald av arbetsgivaren (nattraktamente).",
        en="A hotel receipt is attached but lodging is marked as not paid by the employer (night allowance).",
    )
