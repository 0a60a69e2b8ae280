"""Per diem day by day: qualification, half days, nights, meals, long stays, abroad and both years."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.errors import RatesNotAvailable
from backend.domain.travel.errors import DateOutsideTrip, NegativeDistance, ReturnBeforeDeparture, UnknownCountry
from backend.domain.travel.normalbelopp import NormalbeloppTable
from backend.domain.travel.per_diem import (
    DayKind,
    Lodging,
    LongStay,
    Meal,
    PerDiemPolicy,
    Trip,
    compute_per_diem,
)

FAR = Decimal(120)
MONDAY = date(2026, 3, 2)

# Illustrative normalbelopp for tests only (not Skatteverket's figures).
NORMALBELOPP_CSV = """year,country_code,country_name,amount_sek
2026,DE,Tyskland,1000
2026,NO,Norge,853
"""


def trip(
    departure: datetime,
    return_at: datetime,
    **kwargs: object,
) -> Trip:
    return Trip(departure, return_at, FAR, FAR, **kwargs)  # type: ignore[arg-type]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def test_three_day_trip_with_hotel_paid_is_300_300_150() -> None:
    result = compute_per_diem(trip(at(MONDAY, 8), at(MONDAY + timedelta(2), 17)))
    assert [d.tax_free for d in result.days] == [300, 300, 150]
    assert [d.kind for d in result.days] == [DayKind.FULL, DayKind.FULL, DayKind.HALF]
    assert result.tax_free == 750
    assert result.taxable == 0


def test_half_day_when_departing_at_noon() -> None:
    result = compute_per_diem(trip(at(MONDAY, 12), at(MONDAY + timedelta(1), 20)))
    assert [(d.kind, d.rule) for d in result.days] == [
        (DayKind.HALF, "per_diem.half_day_departure"),
        (DayKind.FULL, "per_diem.full_day"),
    ]


def test_full_day_when_departing_just_before_noon() -> None:
    result = compute_per_diem(trip(at(MONDAY, 11, 59), at(MONDAY + timedelta(1), 20)))
    assert result.days[0].kind is DayKind.FULL


def test_half_day_when_returning_at_19() -> None:
    result = compute_per_diem(trip(at(MONDAY, 8), at(MONDAY + timedelta(1), 19)))
    assert result.days[-1].kind is DayKind.HALF


def test_full_day_when_returning_after_19() -> None:
    result = compute_per_diem(trip(at(MONDAY, 8), at(MONDAY + timedelta(1), 19, 1)))
    assert result.days[-1].kind is DayKind.FULL


def test_no_per_diem_without_an_overnight_stay() -> None:
    result = compute_per_diem(trip(at(MONDAY, 6), at(MONDAY, 23)))
    assert not result.qualifies
    assert result.reason == "per_diem.no_overnight_stay"
    assert result.tax_free == 0


@pytest.mark.parametrize(("home_km", "work_km"), [(Decimal(50), Decimal(200)), (Decimal(200), Decimal(50))])
def test_no_per_diem_unless_more_than_50_km_from_both_workplace_and_home(home_km: Decimal, work_km: Decimal) -> None:
    result = compute_per_diem(Trip(at(MONDAY, 8), at(MONDAY + timedelta(2), 17), home_km, work_km))
    assert not result.qualifies
    assert result.reason == "per_diem.too_close"
    assert result.tax_free == 0


def test_a_non_qualifying_trip_paid_anyway_is_all_taxable() -> None:
    result = compute_per_diem(
        Trip(at(MONDAY, 8), at(MONDAY + timedelta(1), 20), Decimal(30), FAR),
        policy=PerDiemPolicy(full_day=Decimal(300)),
    )
    assert result.paid == 600
    assert result.taxable == 600
    assert result.tax_free == 0


def test_free_lunch_reduces_the_day_by_35_percent_of_the_full_day() -> None:
    result = compute_per_diem(
        trip(at(MONDAY, 8), at(MONDAY + timedelta(2), 17), meals_provided={MONDAY + timedelta(1): {Meal.LUNCH}})
    )
    assert result.days[1].meal_reduction == 105
    assert result.tax_free == 645


@pytest.mark.parametrize(
    ("meals", "reduction"),
    [
        ({Meal.BREAKFAST}, 60),
        ({Meal.DINNER}, 105),
        ({Meal.LUNCH, Meal.DINNER}, 210),
        ({Meal.BREAKFAST, Meal.LUNCH, Meal.DINNER}, 270),
        ({Meal.BREAKFAST, Meal.DINNER}, 165),
    ],
)
def test_domestic_meal_reductions_2026(meals: set[Meal], reduction: int) -> None:
    result = compute_per_diem(
        trip(at(MONDAY, 8), at(MONDAY + timedelta(2), 20), meals_provided={MONDAY + timedelta(1): meals})
    )
    assert result.days[1].meal_reduction == reduction
    assert result.days[1].tax_free == 300 - reduction


def test_meal_reduction_is_never_above_the_day_s_amount() -> None:
    last = MONDAY + timedelta(1)
    result = compute_per_diem(
        trip(at(MONDAY, 8), at(last, 17), meals_provided={last: {Meal.BREAKFAST, Meal.LUNCH, Meal.DINNER}})
    )
    assert result.days[1].allowance == 150
    assert result.days[1].meal_reduction == 150
    assert result.days[1].tax_free == 0


def test_night_allowance_for_nights_without_lodging_paid_by_the_employer() -> None:
    result = compute_per_diem(
        trip(
            at(MONDAY, 8),
            at(MONDAY + timedelta(2), 17),
            lodging={MONDAY: Lodging.OWN_ARRANGEMENT, MONDAY + timedelta(1): Lodging.OWN_ARRANGEMENT},
        )
    )
    assert result.night_allowance_tax_free == 300
    assert result.tax_free == 750 + 300


def test_no_night_allowance_when_the_employer_paid_the_hotel() -> None:
    result = compute_per_diem(trip(at(MONDAY, 8), at(MONDAY + timedelta(2), 17)))
    assert result.night_allowance_tax_free == 0
    assert all(d.night is None or d.night.lodging is Lodging.EMPLOYER_PAID for d in result.days)


def test_paying_more_than_the_tax_free_amount_makes_the_rest_taxable() -> None:
    result = compute_per_diem(
        trip(at(MONDAY, 7), at(MONDAY + timedelta(2), 20)), policy=PerDiemPolicy(full_day=Decimal(400))
    )
    assert (result.paid, result.tax_free, result.taxable) == (
        Decimal(1200),
        Decimal(900),
        Decimal(300),
    )
    assert all(d.taxable == 100 for d in result.days)


def test_paying_less_than_the_tax_free_amount_is_all_tax_free() -> None:
    result = compute_per_diem(
        trip(at(MONDAY, 7), at(MONDAY + timedelta(1), 20)), policy=PerDiemPolicy(full_day=Decimal(250))
    )
    assert (result.paid, result.tax_free, result.taxable) == (
        Decimal(500),
        Decimal(500),
        Decimal(0),
    )


def test_after_three_months_at_the_same_place_the_day_is_70_percent() -> None:
    start = date(2026, 1, 10)
    result = compute_per_diem(trip(at(date(2026, 4, 8), 8), at(date(2026, 4, 11), 20), same_place_since=start))
    assert [(d.date.day, d.long_stay, d.allowance) for d in result.days] == [
        (8, LongStay.NONE, Decimal(300)),
        (9, LongStay.NONE, Decimal(300)),
        (10, LongStay.AFTER_3_MONTHS, Decimal(210)),
        (11, LongStay.AFTER_3_MONTHS, Decimal(210)),
    ]


def test_after_two_years_at_the_same_place_the_day_is_50_percent() -> None:
    result = compute_per_diem(
        trip(at(date(2026, 6, 1), 8), at(date(2026, 6, 2), 20), same_place_since=date(2024, 5, 1))
    )
    assert [d.allowance for d in result.days] == [150, 150]
    assert result.days[0].long_stay is LongStay.AFTER_2_YEARS


def test_each_day_uses_its_own_year_s_amount() -> None:
    result = compute_per_diem(trip(at(date(2025, 12, 30), 8), at(date(2026, 1, 2), 20)))
    assert [(d.date, d.allowance) for d in result.days] == [
        (date(2025, 12, 30), Decimal(290)),
        (date(2025, 12, 31), Decimal(290)),
        (date(2026, 1, 1), Decimal(300)),
        (date(2026, 1, 2), Decimal(300)),
    ]
    assert result.tax_free == 1180


def test_2025_half_day_and_night_use_2025_amounts() -> None:
    result = compute_per_diem(
        trip(
            at(date(2025, 12, 30), 13),
            at(date(2025, 12, 31), 18),
            lodging={date(2025, 12, 30): Lodging.OWN_ARRANGEMENT},
        )
    )
    assert [d.allowance for d in result.days] == [145, 145]
    assert result.night_allowance_tax_free == 145


def test_2025_meal_reduction_uses_2025_kronor() -> None:
    day = date(2025, 11, 11)
    result = compute_per_diem(
        trip(at(day - timedelta(1), 8), at(day + timedelta(1), 20), meals_provided={day: {Meal.LUNCH}})
    )
    assert result.days[1].meal_reduction == 102


def test_abroad_full_day_is_the_normalbelopp_and_half_days_and_nights_50_percent() -> None:
    table = NormalbeloppTable.from_csv(NORMALBELOPP_CSV)
    result = compute_per_diem(
        trip(
            at(MONDAY, 8), at(MONDAY + timedelta(2), 17), country_code="DE", lodging={MONDAY: Lodging.OWN_ARRANGEMENT}
        ),
        normalbelopp=table,
    )
    assert [d.allowance for d in result.days] == [1000, 1000, 500]
    assert result.night_allowance_tax_free == 500


@pytest.mark.parametrize(
    ("meals", "reduction"),
    [
        ({Meal.BREAKFAST}, Decimal("127.95")),
        ({Meal.LUNCH}, Decimal("298.55")),
        ({Meal.LUNCH, Meal.DINNER}, Decimal("597.10")),
        ({Meal.BREAKFAST, Meal.LUNCH, Meal.DINNER}, Decimal("725.05")),
    ],
)
def test_abroad_meal_reductions_are_shares_of_the_normalbelopp(meals: set[Meal], reduction: Decimal) -> None:
    table = NormalbeloppTable.from_csv(NORMALBELOPP_CSV)
    result = compute_per_diem(
        trip(at(MONDAY, 8), at(MONDAY + timedelta(2), 20), country_code="NO", meals_provided={MONDAY: meals}),
        normalbelopp=table,
    )
    assert result.days[0].meal_reduction == reduction


def test_a_day_in_another_country_uses_that_country() -> None:
    table = NormalbeloppTable.from_csv(NORMALBELOPP_CSV)
    result = compute_per_diem(
        trip(at(MONDAY, 8), at(MONDAY + timedelta(2), 20), country_code="DE", country_by_date={MONDAY: "SE"}),
        normalbelopp=table,
    )
    assert [d.allowance for d in result.days] == [300, 1000, 1000]


def test_unknown_country_is_a_clear_error() -> None:
    table = NormalbeloppTable.from_csv(NORMALBELOPP_CSV)
    with pytest.raises(UnknownCountry) as caught:
        compute_per_diem(trip(at(MONDAY, 8), at(MONDAY + timedelta(1), 20), country_code="ZZ"), normalbelopp=table)
    assert caught.value.code == "travel.unknown_country"
    assert caught.value.field == "country_code"
    assert "ZZ" in caught.value.message.sv


def test_a_trip_abroad_without_a_normalbelopp_table_is_an_unknown_country() -> None:
    with pytest.raises(UnknownCountry):
        compute_per_diem(trip(at(MONDAY, 8), at(MONDAY + timedelta(1), 20), country_code="DE"))


def test_abroad_in_2025_needs_figures_the_material_does_not_give() -> None:
    table = NormalbeloppTable.from_csv("year,country_code,country_name,amount_sek\n2025,DE,Tyskland,1000\n")
    with pytest.raises(RatesNotAvailable):
        compute_per_diem(trip(at(date(2025, 5, 5), 8), at(date(2025, 5, 6), 20), country_code="DE"), normalbelopp=table)


def test_return_before_departure_is_refused() -> None:
    with pytest.raises(ReturnBeforeDeparture) as caught:
        compute_per_diem(trip(at(MONDAY, 8), at(MONDAY - timedelta(1), 8)))
    assert caught.value.code == "travel.return_before_departure"
    assert caught.value.field == "return_at"
    assert caught.value.message.en.startswith("The return")
    assert caught.value.message.sv.startswith("Hemkomsten")


def test_negative_distance_is_refused() -> None:
    with pytest.raises(NegativeDistance) as caught:
        compute_per_diem(Trip(at(MONDAY, 8), at(MONDAY + timedelta(1), 20), Decimal(-1), FAR))
    assert caught.value.code == "travel.negative_distance"


def test_meals_outside_the_trip_are_refused() -> None:
    with pytest.raises(DateOutsideTrip) as caught:
        compute_per_diem(
            trip(at(MONDAY, 8), at(MONDAY + timedelta(1), 20), meals_provided={MONDAY + timedelta(5): {Meal.LUNCH}})
        )
    assert caught.value.code == "travel.date_outside_trip"


def test_aware_times_are_read_in_stockholm_time() -> None:
    # 10:30 UTC on 2 March is 11:30 in Stockholm: before noon, so a full day.
    result = compute_per_diem(trip(datetime(2026, 3, 2, 10, 30, tzinfo=UTC), datetime(2026, 3, 3, 19, 30, tzinfo=UTC)))
    assert [d.kind for d in result.days] == [DayKind.FULL, DayKind.FULL]


def test_every_day_explains_itself_in_english_and_swedish() -> None:
    result = compute_per_diem(
        trip(at(MONDAY, 8), at(MONDAY + timedelta(2), 17), meals_provided={MONDAY + timedelta(1): {Meal.LUNCH}})
    )
    tuesday = result.days[1]
    assert "free lunch: -105.00 kr" in tuesday.explanation_en
    assert "fri lunch: -105,00 kr" in tuesday.explanation_sv
    assert "half day" in result.days[2].explanation_en
    assert "halvdag" in result.days[2].explanation_sv


# --- properties ----------------------------------------------------------------------------------------------

START = datetime(2026, 3, 2, 6, 0)
MINUTES = st.integers(min_value=1, max_value=60 * 24 * 20)
MEAL_SETS = st.frozensets(st.sampled_from(list(Meal)))
RATES = st.one_of(st.none(), st.decimals(min_value=0, max_value=2000, places=2))


@settings(max_examples=150, deadline=None)
@given(MINUTES, MINUTES, MEAL_SETS, st.booleans())
def test_tax_free_per_diem_never_decreases_when_the_trip_gets_longer(
    a: int, b: int, meals: frozenset[Meal], own_lodging: bool
) -> None:
    short, long = sorted((a, b))
    lodging = {START.date(): Lodging.OWN_ARRANGEMENT} if own_lodging else {}
    results = []
    for minutes in (short, long):
        end = START + timedelta(minutes=minutes)
        nights = lodging if end.date() > START.date() else {}
        results.append(
            compute_per_diem(trip(START, end, meals_provided={START.date(): meals}, lodging=nights)).tax_free
        )
    assert results[0] <= results[1]


@settings(max_examples=150, deadline=None)
@given(MINUTES, st.lists(MEAL_SETS, min_size=21, max_size=21), RATES)
def test_per_diem_is_never_negative_and_reductions_never_exceed_the_day(
    minutes: int, meals: list[frozenset[Meal]], rate: Decimal | None
) -> None:
    end = START + timedelta(minutes=minutes)
    days = (end.date() - START.date()).days + 1
    meal_map = {START.date() + timedelta(i): meals[i] for i in range(days)}
    result = compute_per_diem(trip(START, end, meals_provided=meal_map), policy=PerDiemPolicy(full_day=rate))
    for day in result.days:
        assert 0 <= day.meal_reduction <= day.allowance
        assert day.day_tax_free_max >= 0
        assert day.tax_free >= 0
        assert day.taxable >= 0
        assert day.tax_free + day.taxable == day.paid
    assert result.tax_free + result.taxable == result.paid
