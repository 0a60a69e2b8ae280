"""A year whose figures are not loaded yet: the latest earlier year's are used, with a warning (one rule)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from backend.domain.errors import RatesDataError, RatesNotAvailable
from backend.domain.payroll.tax import computed_table, default_table, shipped_table, withholding
from backend.domain.rates import (
    VehicleKind,
    available_years,
    rates_for,
    rates_generation,
    rates_in_use,
    rates_on,
    use_loaded_years,
)
from backend.domain.text import Text


@pytest.fixture(autouse=True)
def only_shipped_years() -> Iterator[None]:
    use_loaded_years({})
    yield
    use_loaded_years({})


def se_2027(own_car: str = "25.00") -> tuple[str, str]:
    text = (
        resources.files("backend.domain.rates")
        .joinpath("se-2026.toml")
        .read_text(encoding="utf-8")
        .replace("year = 2026", "year = 2027", 1)
        .replace("own_car = 25.00", f"own_car = {own_car}", 1)
    )
    return hashlib.sha256(text.encode()).hexdigest(), text


def test_2027_without_figures_uses_2026_and_says_so_in_swedish_and_english() -> None:
    in_use = rates_in_use(2027)

    assert in_use.fallback is True
    assert in_use.rates.year == 2026
    assert in_use.warning == Text(
        sv="Beräknad med 2026 års belopp; 2027 års belopp är inte inlästa.",
        en="Computed with the 2026 figures; the 2027 figures are not loaded yet.",
    )
    assert in_use.payroll_warning is not None
    assert "selfservice rates import se-2027.toml" in in_use.payroll_warning.sv


def test_a_loaded_year_has_no_warning() -> None:
    assert rates_in_use(2026).fallback is False
    assert rates_in_use(2026).warning is None
    assert rates_in_use(2026).payroll_warning is None


def test_every_caller_of_the_rates_gets_the_fallback_year() -> None:
    assert rates_for(2028).year == 2026
    assert rates_on(date(2027, 1, 25)).per_diem.domestic.full_day == 300
    assert rates_on(date(2027, 1, 25)).employer_contributions.standard_rate == Decimal("0.3142")


def test_a_year_before_every_loaded_year_has_nothing_to_fall_back_on() -> None:
    with pytest.raises(RatesNotAvailable) as caught:
        rates_in_use(2024)
    assert caught.value.code == "rates.year_not_available"


def test_tax_in_a_year_without_figures_uses_the_fallback_year_s_official_table() -> None:
    assert shipped_table(2027) is None
    assert default_table(2027) is shipped_table(2026)
    assert withholding(2027, 32, 1, 42_000) == withholding(2026, 32, 1, 42_000) == 8_791


def test_a_loaded_year_wins_and_replaces_the_fallback_everywhere() -> None:
    before = rates_generation()
    fallback_calculator = computed_table(2027)

    changed = use_loaded_years({2027: se_2027(own_car="26.50")})

    assert changed is True
    assert rates_generation() > before
    assert 2027 in available_years()
    assert rates_in_use(2027).fallback is False
    assert rates_for(2027).mileage.per_mil[VehicleKind.OWN_CAR] == Decimal("26.50")
    assert computed_table(2027) is not fallback_calculator
    assert default_table(2027) is None  # no official 2027 file: the computed rules apply
    assert use_loaded_years({2027: se_2027(own_car="26.50")}) is False  # the same file again changes nothing


def test_a_broken_loaded_year_is_refused_and_nothing_changes() -> None:
    sha, text = se_2027()
    broken = text.replace("annual_cap = 5000", 'annual_cap = "5000"')

    with pytest.raises(RatesDataError) as caught:
        use_loaded_years({2027: (sha, broken)})

    assert caught.value.field == "wellness.annual_cap"
    assert 2027 not in available_years()


def test_a_loaded_file_must_be_for_the_year_it_is_loaded_as() -> None:
    sha, text = se_2027()
    with pytest.raises(RatesDataError) as caught:
        use_loaded_years({2028: (sha, text)})
    assert caught.value.field == "year"
