"""Frozen value types for the yearly figures.

One ``YearRates`` per year. Sections the source material does not state for a
year are ``None`` internally; reading them raises ``RatesNotAvailable`` with the
year and section, so a missing figure is never replaced by a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from backend.domain.errors import RatesNotAvailable
from backend.domain.text import Text

_T = TypeVar("_T")


class VehicleKind(StrEnum):
    """Vehicle kinds with their own tax-free mileage maximum."""

    OWN_CAR = "own_car"
    COMPANY_CAR_FOSSIL = "company_car_fossil"  # petrol, diesel, plug-in hybrid
    COMPANY_CAR_ELECTRIC = "company_car_electric"


@dataclass(frozen=True)
class Piece:
    """One line of a piecewise-linear breakpoint table.

    Valid for x up to ``up_to_pbb`` x PBB or ``up_to`` kronor (inclusive; both
    ``None`` on the last line). value = pbb x PBB + rate x (x - from_pbb x PBB).
    """

    up_to_pbb: Decimal | None
    up_to: Decimal | None
    pbb: Decimal
    rate: Decimal
    from_pbb: Decimal

    def limit(self, prisbasbelopp: int) -> Fraction | None:
        if self.up_to_pbb is not None:
            return Fraction(self.up_to_pbb) * prisbasbelopp
        if self.up_to is not None:
            return Fraction(self.up_to)
        return None

    def as_linear(self, prisbasbelopp: int) -> tuple[Fraction, Fraction]:
        """(constant, slope) so that value = constant + slope x x."""
        pbb = Fraction(prisbasbelopp)
        constant = Fraction(self.pbb) * pbb - Fraction(self.rate) * Fraction(self.from_pbb) * pbb
        return constant, Fraction(self.rate)


@dataclass(frozen=True)
class EarnedIncomeReduction:
    from_taxable_income: Decimal
    rate: Decimal
    up_to_taxable_income: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class TableBand:
    up_to: int
    width: int


@dataclass(frozen=True)
class TableLayout:
    """Band structure of the monthly table (used for computed tables) and the table numbers published."""

    first_table: int
    last_table: int
    zero_up_to: int
    bands: tuple[TableBand, ...]
    percent_band_width: int
    # Skatteverket computes the percentage bands up to this monthly income; above it the last band is open.
    percent_bands_up_to: int

    @property
    def amount_bands_up_to(self) -> int:
        return self.bands[-1].up_to if self.bands else self.zero_up_to


@dataclass(frozen=True)
class TaxParameters:
    year: int
    prisbasbelopp: int
    older_from_age: int
    burial_fee_average_percent: Decimal
    state_tax_threshold: Decimal
    state_tax_rate: Decimal
    state_tax_from_taxable_income: Decimal
    pension_fee_rate: Decimal
    pension_fee_floor: Decimal
    pension_fee_cap: Decimal
    public_service_fee_rate: Decimal
    public_service_fee_cap: Decimal
    sickness_credit_minimum_share: Decimal
    earned_income_reduction: EarnedIncomeReduction
    table_layout: TableLayout
    basic_deduction_ordinary: tuple[Piece, ...]
    basic_deduction_enhanced: tuple[Piece, ...]
    work_credit_base_younger: tuple[Piece, ...]
    work_credit_older: tuple[Piece, ...]
    sickness_credit_base: tuple[Piece, ...]


@dataclass(frozen=True)
class MealReductions:
    """Reduction per day for the meals provided (kronor or shares, see the owner)."""

    breakfast: Decimal
    lunch_or_dinner: Decimal
    lunch_and_dinner: Decimal
    all_three: Decimal
    breakfast_and_lunch_or_dinner: Decimal


@dataclass(frozen=True)
class DomesticPerDiem:
    full_day: Decimal
    half_day: Decimal
    night: Decimal
    after_3_months: Decimal
    after_2_years: Decimal
    meal_reductions: MealReductions  # kronor
    meal_reduction_shares: MealReductions | None  # shares of the full day, when stated


@dataclass(frozen=True)
class AbroadPerDiem:
    half_day_share: Decimal
    night_share: Decimal
    meal_reduction_shares: MealReductions  # shares of the country's normalbelopp


@dataclass(frozen=True)
class PerDiemRates:
    year: int
    min_distance_km: Decimal
    half_day_when_departing_at_or_after: time
    half_day_when_returning_at_or_before: time
    after_3_months_share: Decimal
    after_2_years_share: Decimal
    domestic: DomesticPerDiem
    _abroad: AbroadPerDiem | None

    @property
    def abroad(self) -> AbroadPerDiem:
        if self._abroad is None:
            raise _missing(self.year, "per_diem.abroad")
        return self._abroad


@dataclass(frozen=True)
class MileageRates:
    per_mil: Mapping[VehicleKind, Decimal]


@dataclass(frozen=True)
class WellnessRates:
    annual_cap: Decimal
    treatment_cap_per_occasion: Decimal
    whole_amount_taxable_above_cap: bool


@dataclass(frozen=True)
class BirthYearBand:
    born_from: int | None
    born_to: int | None
    rate: Decimal
    label: str

    def covers(self, birth_year: int) -> bool:
        return (self.born_from is None or birth_year >= self.born_from) and (
            self.born_to is None or birth_year <= self.born_to
        )


@dataclass(frozen=True)
class YouthReduction:
    born_from: int
    born_to: int
    pay_from: date
    pay_to: date
    reduced_rate: Decimal
    monthly_cap: Decimal

    def covers(self, birth_year: int, pay_date: date) -> bool:
        return self.born_from <= birth_year <= self.born_to and self.pay_from <= pay_date <= self.pay_to


@dataclass(frozen=True)
class EmployerContributionRates:
    standard_rate: Decimal
    birth_year_bands: tuple[BirthYearBand, ...]
    youth_reductions: tuple[YouthReduction, ...]


@dataclass(frozen=True)
class SickPayRates:
    sick_pay_rate: Decimal
    employer_period_days: int
    karens_share_of_weekly_sick_pay: Decimal
    weeks_per_year: int
    relapse_within_days: int
    max_karens_per_12_months: int


@dataclass(frozen=True)
class VacationRates:
    minimum_supplement_rate: Decimal
    percentage_rule_rate: Decimal


@dataclass(frozen=True)
class YearRates:
    """All figures for one calendar year; missing sections raise on access."""

    year: int
    sources: tuple[str, ...]
    prisbasbelopp: int
    per_diem: PerDiemRates
    mileage: MileageRates
    missing: tuple[str, ...]
    missing_note: str
    _tax: TaxParameters | None
    _wellness: WellnessRates | None
    _employer_contributions: EmployerContributionRates | None
    _sick_pay: SickPayRates | None
    _vacation: VacationRates | None
    borrowed: tuple[tuple[str, int], ...] = ()
    """Sections this year's data lacks, taken from the nearest year that has them: (section, that year)."""

    @property
    def tax(self) -> TaxParameters:
        return _present(self, self._tax, "tax")

    @property
    def wellness(self) -> WellnessRates:
        return _present(self, self._wellness, "wellness")

    @property
    def employer_contributions(self) -> EmployerContributionRates:
        return _present(self, self._employer_contributions, "employer_contributions")

    @property
    def sick_pay(self) -> SickPayRates:
        return _present(self, self._sick_pay, "sick_pay")

    @property
    def vacation(self) -> VacationRates:
        return _present(self, self._vacation, "vacation")

    def has(self, section: str) -> bool:
        """True when ``section`` (e.g. ``"tax"``, ``"per_diem.abroad"``) has figures for the year."""
        return section not in self.missing


def _present(rates: YearRates, value: _T | None, section: str) -> _T:
    if value is None:
        raise _missing(rates.year, section, rates.missing_note)
    return value


def _missing(year: int, section: str, note: str = "") -> RatesNotAvailable:
    extra_en = f" {note}" if note else ""
    return RatesNotAvailable(
        Text(
            sv=f"Det finns inga uppgifter för {section} år {year} i satsdata (se-{year}.toml).",
            en=f"No {section} figures for {year} in the rates data (se-{year}.toml).{extra_en}",
        ),
        field=section,
        code="rates.section_not_available",
    )
