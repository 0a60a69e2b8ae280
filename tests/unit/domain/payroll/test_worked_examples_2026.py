"""Every worked example in rates-2026.md ("Worked examples to test against" and inline), one test each."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from backend.domain.payroll.absence import hourly_pay_for_deductions, karensavdrag
from backend.domain.payroll.contributions import employer_contributions
from backend.domain.payroll.vacation import vacation_supplement
from backend.domain.travel.mileage import MileageLeg, MileagePolicy, VehicleKind, compute_mileage
from backend.domain.travel.per_diem import Lodging, Meal, PerDiemPolicy, Trip, compute_per_diem

MONDAY, TUESDAY, WEDNESDAY = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
FAR = Decimal(120)


def _trip(**kwargs: object) -> Trip:
    return Trip(datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 4, 17, 0), FAR, FAR, **kwargs)  # type: ignore[arg-type]


def test_leave_monday_0800_return_wednesday_1700_hotel_paid_is_750_tax_free() -> None:
    result = compute_per_diem(_trip())
    assert [d.tax_free for d in result.days] == [300, 300, 150]
    assert result.tax_free == Decimal(750)


def test_same_trip_with_a_free_lunch_on_tuesday_is_645() -> None:
    result = compute_per_diem(_trip(meals_provided={TUESDAY: frozenset({Meal.LUNCH})}))
    assert result.tax_free == Decimal(645)


def test_two_nights_in_own_lodging_give_300_night_allowance() -> None:
    result = compute_per_diem(_trip(lodging={MONDAY: Lodging.OWN_ARRANGEMENT, TUESDAY: Lodging.OWN_ARRANGEMENT}))
    assert result.night_allowance_tax_free == Decimal(300)


def test_employer_paying_400_a_day_for_3_full_days_makes_300_taxable() -> None:
    trip = Trip(datetime(2026, 3, 2, 7, 0), datetime(2026, 3, 4, 20, 0), FAR, FAR)
    result = compute_per_diem(trip, policy=PerDiemPolicy(full_day=Decimal(400)))
    assert (result.paid, result.tax_free, result.taxable) == (Decimal(1200), Decimal(900), Decimal(300))


def test_own_car_312_km_is_780_tax_free() -> None:
    result = compute_mileage([MileageLeg(WEDNESDAY, Decimal(312), VehicleKind.OWN_CAR)])
    assert result.tax_free == Decimal(780)


def test_own_car_312_km_at_30_per_mil_pays_936_of_which_156_taxable() -> None:
    policy = MileagePolicy({VehicleKind.OWN_CAR: Decimal(30)})
    result = compute_mileage([MileageLeg(WEDNESDAY, Decimal(312), VehicleKind.OWN_CAR)], policy)
    assert (result.paid, result.taxable) == (Decimal(936), Decimal(156))


def test_company_car_40_mil_electric_380_petrol_480() -> None:
    electric = compute_mileage([MileageLeg(WEDNESDAY, Decimal(400), VehicleKind.COMPANY_CAR_ELECTRIC)])
    petrol = compute_mileage([MileageLeg(WEDNESDAY, Decimal(400), VehicleKind.COMPANY_CAR_FOSSIL)])
    assert (electric.tax_free, petrol.tax_free) == (Decimal(380), Decimal(480))


def test_employer_contributions_40000_at_31_42_percent_is_12568() -> None:
    result = employer_contributions(Decimal(40_000), birth_date=date(1980, 1, 1), pay_date=date(2026, 5, 25))
    assert result.total == Decimal("12568.00")


def test_born_2004_may_2026_pay_30000_contributions_6773_50() -> None:
    result = employer_contributions(Decimal(30_000), birth_date=date(2004, 1, 1), pay_date=date(2026, 5, 25))
    assert result.total == Decimal("6773.50")


def test_semestertillagg_35000_for_5_days_is_752_50_at_0_43_and_1400_at_0_8_percent() -> None:
    on = date(2026, 7, 1)
    assert vacation_supplement(Decimal(35_000), 5, on=on).amount == Decimal("752.50")
    assert vacation_supplement(Decimal(35_000), 5, on=on, rate=Decimal("0.008")).amount == Decimal("1400.00")


def test_karensavdrag_for_30000_a_month_is_1107_69() -> None:
    assert karensavdrag(Decimal(30_000), on=date(2026, 3, 1)) == Decimal("1107.69")


def test_hourly_pay_for_deductions_at_40_hours_is_monthly_over_173_33() -> None:
    monthly = Decimal(30_000)
    assert hourly_pay_for_deductions(monthly, 40, on=date(2026, 3, 1)) == (monthly / Decimal("173.333333")).quantize(
        Decimal("0.01")
    )


def test_meal_reductions_in_kronor_2026_and_2025() -> None:
    lunch_2026 = compute_per_diem(_trip(meals_provided={TUESDAY: frozenset({Meal.LUNCH})})).days[1].meal_reduction
    lunch_on_4_march = {date(2025, 3, 4): frozenset({Meal.LUNCH})}
    trip_2025 = Trip(datetime(2025, 3, 3, 8), datetime(2025, 3, 5, 20), FAR, FAR, meals_provided=lunch_on_4_march)
    lunch_2025 = compute_per_diem(trip_2025).days[1].meal_reduction
    assert (lunch_2026, lunch_2025) == (Decimal(105), Decimal(102))
