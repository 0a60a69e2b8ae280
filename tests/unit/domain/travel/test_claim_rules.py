"""A travel claim's own rules, with plain values: every problem at once, each at its field."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from backend.domain.travel.claim import ClaimFacts, Leg, claim_problems, date_outside_trip, trip_order_problem

pytestmark = pytest.mark.clockless


def facts(**changes: object) -> ClaimFacts:
    trip = {
        "departure": datetime(2026, 11, 16, 7, 0),
        "return_at": datetime(2026, 11, 18, 19, 0),
        "distance_from_home_km": Decimal(120),
        "distance_from_workplace_km": Decimal(110),
        "country_code": "SE",
        "meal_days": (),
        "legs": (),
        "same_place_since": None,
    }
    return ClaimFacts(**{**trip, **changes})  # type: ignore[arg-type]


def test_a_right_claim_has_no_problems() -> None:
    assert (
        claim_problems(facts(meal_days=(date(2026, 11, 17),), legs=(Leg(date(2026, 11, 16), Decimal("12.5")),))) == []
    )


def test_every_problem_is_named_at_its_field() -> None:
    problems = claim_problems(
        facts(
            distance_from_home_km=Decimal(-1),
            country_code="D3",
            meal_days=(date(2026, 11, 17), date(2026, 11, 17), date(2026, 11, 20)),
            legs=(Leg(date(2026, 11, 15), Decimal("1.234")), Leg(date(2026, 11, 16), Decimal(-3))),
            same_place_since=date(2026, 11, 17),
        )
    )

    assert [(p.field, p.code) for p in problems] == [
        ("distance_from_home_km", "travel.negative_distance"),
        ("country_code", "travel.unknown_country"),
        ("meals.1.date", "travel.duplicate_day"),
        ("meals.2.date", "travel.date_outside_trip"),
        ("mileage.0.distance_km", "travel.distance_precision"),
        ("mileage.0.date", "travel.date_outside_trip"),
        ("mileage.1.distance_km", "travel.negative_distance"),
        ("same_place_since", "travel.same_place_after_departure"),
    ]


def test_a_return_before_departure_and_a_trip_over_a_year() -> None:
    backwards = claim_problems(facts(return_at=datetime(2026, 11, 16, 6, 0)))
    too_long = claim_problems(facts(return_at=datetime(2027, 11, 17, 7, 0)))

    assert [(p.field, p.code) for p in backwards] == [("return_at", "travel.return_before_departure")]
    assert backwards[0] == trip_order_problem(datetime(2026, 11, 16, 7, 0), datetime(2026, 11, 16, 6, 0))
    assert [p.code for p in too_long] == ["travel.trip_too_long"]


def test_a_day_outside_the_trip_is_said_in_both_languages() -> None:
    outside = date_outside_trip("meals.0.date", date(2026, 11, 20), date(2026, 11, 16), date(2026, 11, 18))

    assert outside is not None
    assert outside.message("sv") == "2026-11-20 ligger utanför resan (2026-11-16 till 2026-11-18)."
    assert outside.message("en") == "2026-11-20 is outside the trip (2026-11-16 to 2026-11-18)."
