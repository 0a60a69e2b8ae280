"""The yearly figures are data, loaded strictly; missing figures are reported, never guessed."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from importlib import resources

import pytest

from backend.domain.errors import RatesDataError, RatesNotAvailable
from backend.domain.rates import (
    PayItemKind,
    VehicleKind,
    agreement_profile,
    available_years,
    parse_agreements,
    parse_rates,
    rates_for,
    rates_in_use,
    rates_on,
)
from backend.domain.rates.agreements import UnknownAgreementProfile


def _shipped(name: str) -> str:
    return resources.files("backend.domain.rates").joinpath(name).read_text(encoding="utf-8")


def test_2025_and_2026_are_shipped_as_data_files() -> None:
    assert {2025, 2026} <= set(available_years())


def test_prisbasbelopp_per_year() -> None:
    assert rates_for(2026).prisbasbelopp == 59_200
    assert rates_for(2025).prisbasbelopp == 58_800


def test_rates_on_a_date_use_that_date_s_year() -> None:
    assert rates_on(date(2025, 12, 31)).per_diem.domestic.full_day == 290
    assert rates_on(date(2026, 1, 1)).per_diem.domestic.full_day == 300


def test_rates_are_cached_and_frozen() -> None:
    rates = rates_for(2026)
    assert rates_for(2026) is rates
    with pytest.raises(AttributeError):
        rates.prisbasbelopp = 1  # type: ignore[misc]


def test_2026_tax_parameters() -> None:
    tax = rates_for(2026).tax
    assert tax.state_tax_threshold == 643_000
    assert tax.burial_fee_average_percent == Decimal("1.16")
    assert (tax.pension_fee_rate, tax.pension_fee_floor, tax.pension_fee_cap) == (
        Decimal("0.07"),
        Decimal(25_042),
        Decimal(673_038),
    )
    assert (tax.public_service_fee_rate, tax.public_service_fee_cap) == (
        Decimal("0.01"),
        Decimal(1_184),
    )
    assert len(tax.basic_deduction_ordinary) == 5
    assert len(tax.basic_deduction_enhanced) == 12
    assert tax.older_from_age == 66


def test_2026_domestic_per_diem() -> None:
    per_diem = rates_for(2026).per_diem
    dom = per_diem.domestic
    assert (dom.full_day, dom.half_day, dom.night, dom.after_3_months, dom.after_2_years) == (
        Decimal(300),
        Decimal(150),
        Decimal(150),
        Decimal(210),
        Decimal(150),
    )
    meals = dom.meal_reductions
    assert (meals.breakfast, meals.lunch_or_dinner, meals.lunch_and_dinner, meals.all_three) == (
        Decimal(60),
        Decimal(105),
        Decimal(210),
        Decimal(270),
    )
    assert meals.breakfast_and_lunch_or_dinner == 165
    assert per_diem.half_day_when_departing_at_or_after == time(12)
    assert per_diem.half_day_when_returning_at_or_before == time(19)
    assert per_diem.min_distance_km == 50


def test_2025_domestic_per_diem() -> None:
    dom = rates_for(2025).per_diem.domestic
    assert (dom.full_day, dom.half_day, dom.night, dom.after_3_months, dom.after_2_years) == (
        Decimal(290),
        Decimal(145),
        Decimal(145),
        Decimal(203),
        Decimal(145),
    )
    meals = dom.meal_reductions
    assert (meals.breakfast, meals.lunch_or_dinner, meals.lunch_and_dinner, meals.all_three) == (
        Decimal(58),
        Decimal(102),
        Decimal(203),
        Decimal(261),
    )
    assert meals.breakfast_and_lunch_or_dinner == 160


def test_abroad_meal_reduction_shares_2026() -> None:
    shares = rates_for(2026).per_diem.abroad.meal_reduction_shares
    assert (shares.breakfast, shares.lunch_or_dinner, shares.lunch_and_dinner, shares.all_three) == (
        Decimal("0.15"),
        Decimal("0.35"),
        Decimal("0.70"),
        Decimal("0.85"),
    )


@pytest.mark.parametrize("year", [2025, 2026])
def test_mileage_maximum_per_vehicle_kind(year: int) -> None:
    per_mil = rates_for(year).mileage.per_mil
    assert per_mil[VehicleKind.OWN_CAR] == 25
    assert per_mil[VehicleKind.COMPANY_CAR_FOSSIL] == 12
    assert per_mil[VehicleKind.COMPANY_CAR_ELECTRIC] == Decimal("9.50")


def test_wellness_caps_2026() -> None:
    wellness = rates_for(2026).wellness
    assert (wellness.annual_cap, wellness.treatment_cap_per_occasion) == (
        Decimal(5_000),
        Decimal(1_000),
    )
    assert wellness.whole_amount_taxable_above_cap


def test_employer_contribution_rates_2026() -> None:
    contributions = rates_for(2026).employer_contributions
    assert contributions.standard_rate == Decimal("0.3142")
    youth = contributions.youth_reductions[0]
    assert (youth.born_from, youth.born_to, youth.pay_from, youth.pay_to) == (
        2003,
        2007,
        date(2026, 4, 1),
        date(2027, 9, 30),
    )
    assert (youth.reduced_rate, youth.monthly_cap) == (
        Decimal("0.2081"),
        Decimal(25_000),
    )


def test_sick_pay_and_vacation_rules_2026() -> None:
    sick = rates_for(2026).sick_pay
    assert (sick.sick_pay_rate, sick.employer_period_days, sick.karens_share_of_weekly_sick_pay) == (
        Decimal("0.80"),
        14,
        Decimal("0.20"),
    )
    assert (sick.relapse_within_days, sick.max_karens_per_12_months) == (
        5,
        10,
    )
    assert rates_for(2026).vacation.minimum_supplement_rate == Decimal("0.0043")


@pytest.mark.parametrize("section", ["tax", "wellness", "employer_contributions", "per_diem.abroad"])
def test_2025_figures_not_in_the_material_are_reported_missing(section: str) -> None:
    rates = rates_for(2025)
    assert not rates.has(section)
    *path, last = section.split(".")
    owner: object = rates
    for part in path:
        owner = getattr(owner, part)
    with pytest.raises(RatesNotAvailable) as caught:
        getattr(owner, last)
    assert caught.value.code == "rates.section_not_available"
    assert "2025" in caught.value.message.en
    assert "2025" in caught.value.message.sv


def test_a_year_without_a_data_file_is_reported() -> None:
    with pytest.raises(RatesNotAvailable) as caught:
        rates_for(2019)
    assert caught.value.code == "rates.year_not_available"


def test_a_misspelt_key_is_rejected_when_loading() -> None:
    text = _shipped("se-2026.toml").replace("standard_rate = 0.3142", "standard_rat = 0.3142")
    with pytest.raises(RatesDataError, match="employer_contributions"):
        parse_rates(text, source="test.toml")


def test_kronor_that_disagree_with_the_stated_shares_are_rejected() -> None:
    text = _shipped("se-2026.toml").replace("lunch_or_dinner = 105", "lunch_or_dinner = 106")
    with pytest.raises(RatesDataError, match="lunch_or_dinner"):
        parse_rates(text, source="test.toml")


def test_a_full_day_that_does_not_follow_the_prisbasbelopp_is_rejected() -> None:
    text = _shipped("se-2026.toml").replace("prisbasbelopp = 59200", "prisbasbelopp = 61200")
    with pytest.raises(RatesDataError, match="full_day"):
        parse_rates(text, source="test.toml")


def test_a_section_silently_dropped_must_be_listed_as_missing() -> None:
    text = _shipped("se-2025.toml").replace('  "vacation",\n', "")
    with pytest.raises(RatesDataError, match="missing"):
        parse_rates(text, source="test.toml")


def test_white_collar_profile_is_the_default() -> None:
    profile = agreement_profile()
    assert profile.code == "white_collar"
    divisors = {kind: item.monthly_divisor for kind, item in profile.items.items()}
    assert divisors == {
        PayItemKind.SIMPLE_OVERTIME: 94,
        PayItemKind.QUALIFIED_OVERTIME: 72,
        PayItemKind.MERTID: 142,
        PayItemKind.OB_WEEKDAY_EVENING: 600,
        PayItemKind.OB_NIGHT: 400,
        PayItemKind.OB_WEEKEND: 300,
        PayItemKind.OB_MAJOR_HOLIDAY: 150,
    }
    assert profile.vacation_supplement_rate == Decimal("0.008")


def test_municipal_profile() -> None:
    profile = agreement_profile("municipal")
    assert profile.items[PayItemKind.SIMPLE_OVERTIME].hourly_pay_share == Decimal("1.80")
    assert profile.items[PayItemKind.QUALIFIED_OVERTIME].hourly_pay_share == Decimal("2.40")
    assert profile.overtime_threshold_hours_per_month == 165


def test_unknown_agreement_profile() -> None:
    with pytest.raises(UnknownAgreementProfile) as caught:
        agreement_profile("nope")
    assert caught.value.code == "agreement.unknown_profile"


def test_an_agreement_item_needs_exactly_one_pricing() -> None:
    text = """
default_profile = "x"
[profiles.x]
name_en = "X"
name_sv = "X"
[profiles.x.items.simple_overtime]
monthly_divisor = 94
hourly_pay_share = 1.8
"""
    with pytest.raises(RatesDataError, match="exactly one"):
        parse_agreements(text)


def test_2025_sick_pay_and_vacation_rules_are_the_nearest_years_with_a_warning() -> None:
    """Rules of law, not the year's amounts: pay for December 2025 is computed rather than refused."""
    in_use = rates_in_use(2025)

    assert not in_use.rates.has("sick_pay")  # the file still says what it lacks
    assert in_use.rates.sick_pay == rates_for(2026).sick_pay
    assert in_use.rates.vacation.percentage_rule_rate == Decimal("0.12")
    assert in_use.rates.borrowed == (("sick_pay", 2026), ("vacation", 2026))
    warning = in_use.borrowed_warning
    assert warning is not None
    assert "sick_pay från 2026" in warning.sv
    assert "vacation from 2026" in warning.en
    assert rates_in_use(2026).borrowed_warning is None
