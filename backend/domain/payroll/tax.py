"""Preliminary income tax (A-skatt) from monthly pay, as Skatteverket builds its tables.

The calculation restates SKV 433 (see ``../shared/payroll/tax-rules-2026.md``)
and reproduces every cell of the official 2026 monthly table exactly: the
40,404 amount cells and the 7,392 percentage cells above 80,000 kr.
All money arithmetic is exact (``int``/``Fraction``); rounding happens only at the
steps the rules name. Every figure comes from the year's rates data.

Use ``withholding(year, table, column, pay)``: it looks the pay up in an
official table when one is given (an imported file, or the file shipped in
``data/``, see ``default_table``) and otherwise in the table computed here,
the fallback for a year without a file.
"""

from __future__ import annotations

import functools
import gzip
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib import resources

from backend.domain.errors import RatesNotAvailable
from backend.domain.money import Number
from backend.domain.payroll.errors import UnknownTaxTable
from backend.domain.payroll.tax_table import (
    COLUMNS,
    CellKind,
    TableCell,
    TaxTable,
    TaxTableRow,
    check_column,
    lookup_income,
    parse_table_file,
)
from backend.domain.rates import TaxParameters, rates_for, rates_generation, rates_in_use
from backend.domain.rates.model import Piece
from backend.domain.text import Text

__all__ = [
    "COLUMNS",
    "AnnualTax",
    "CellKind",
    "ColumnProfile",
    "ComputedTaxTable",
    "TableCell",
    "TaxTable",
    "TaxTableRow",
    "annual_tax",
    "column_for",
    "column_profile",
    "computed_table",
    "default_table",
    "monthly_amount",
    "parse_table_file",
    "percentage",
    "shipped_table",
    "withholding",
]


@dataclass(frozen=True)
class ColumnProfile:
    """What a column's income counts as (tax-rules-2026.md, 'Column profile')."""

    column: int
    pension_fee_on_income: bool
    work_income: bool
    enhanced_basic_deduction: bool
    work_credit: str | None  # "younger" | "older" | None
    sickness_credit: bool
    description_en: str
    description_sv: str


_PROFILES = {
    1: ColumnProfile(1, True, True, False, "younger", False, "salary, under the older age", "lön, under äldreåldern"),
    2: ColumnProfile(2, False, False, True, None, False, "pension, older age", "pension, äldreåldern"),
    3: ColumnProfile(3, True, True, True, "older", False, "salary, older age", "lön, äldreåldern"),
    4: ColumnProfile(
        4, False, False, False, None, True, "sickness/activity compensation", "sjuk- eller aktivitetsersättning"
    ),
    5: ColumnProfile(
        5, True, False, False, None, False, "other income, no work tax credit", "övrig inkomst utan jobbskatteavdrag"
    ),
    6: ColumnProfile(6, False, False, False, None, False, "remaining cases", "övriga fall"),
}


def column_profile(column: int) -> ColumnProfile:
    return _PROFILES[check_column(column)]


@dataclass(frozen=True)
class AnnualTax:
    """Every step of the annual calculation, for explanations and tests (whole kronor)."""

    table: int
    column: int
    annual_income: int
    basic_deduction: int
    taxable_income: int
    municipal_tax: int
    burial_fee: int
    state_tax: int
    pension_fee: int
    public_service_fee: int
    pension_fee_credit: int
    work_tax_credit: int
    sickness_compensation_credit: int
    earned_income_reduction: int
    total: int


@dataclass(frozen=True)
class _Linear:
    """A piece scaled by the calculator's ``scale``: value x scale = constant + slope x x."""

    limit: int | None  # inclusive limit of x, times scale
    constant: int
    slope: int


def _scale_for(params: TaxParameters) -> int:
    """Smallest power of ten that makes every parameter an integer, so the arithmetic is integer-only."""
    places = 2  # table numbers are percentages
    values: list[Decimal] = [
        params.burial_fee_average_percent / 100,
        params.state_tax_rate,
        params.pension_fee_rate,
        params.public_service_fee_rate,
        params.sickness_credit_minimum_share,
        params.earned_income_reduction.rate,
    ]
    for pieces in (
        params.basic_deduction_ordinary,
        params.basic_deduction_enhanced,
        params.work_credit_base_younger,
        params.work_credit_older,
        params.sickness_credit_base,
    ):
        for piece in pieces:
            constant, slope = piece.as_linear(params.prisbasbelopp)
            limit = piece.limit(params.prisbasbelopp)
            for frac in (constant, slope) + ((limit,) if limit is not None else ()):
                values.append(Decimal(frac.numerator) / Decimal(frac.denominator))
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        places = max(places, -exponent)
    scale: int = 10**places
    return scale


def _scaled(value: Fraction | Decimal, scale: int) -> int:
    scaled = Fraction(value) * scale
    assert scaled.denominator == 1, "the scale makes every parameter whole"
    return scaled.numerator


def _linear(pieces: tuple[Piece, ...], pbb: int, scale: int) -> tuple[_Linear, ...]:
    result = []
    for piece in pieces:
        constant, slope = piece.as_linear(pbb)
        limit = piece.limit(pbb)
        result.append(
            _Linear(None if limit is None else _scaled(limit, scale), _scaled(constant, scale), _scaled(slope, scale))
        )
    return tuple(result)


def _evaluate(pieces: tuple[_Linear, ...], x: int, scale: int) -> int:
    """The piecewise value at whole-krona ``x``, times ``scale`` (exact)."""
    x_scaled = x * scale
    for piece in pieces:
        if piece.limit is None or x_scaled <= piece.limit:
            return piece.constant + piece.slope * x
    raise AssertionError("the last piece has no limit")  # guaranteed by the loader


class _Calculator:
    """One year's parameters as integers scaled by a power of ten (exact and fast).

    Every rate and breakpoint is a finite decimal, so multiplying all of them by
    ``scale`` gives integers; floor/ceil/truncation of the true values then become
    integer divisions. Results equal the ``Fraction`` computation exactly.
    """

    def __init__(self, params: TaxParameters) -> None:
        pbb = params.prisbasbelopp
        self.params = params
        s = self.scale = _scale_for(params)
        self.burial = _scaled(params.burial_fee_average_percent / 100, s)
        self.ordinary = _linear(params.basic_deduction_ordinary, pbb, s)
        self.enhanced = _linear(params.basic_deduction_enhanced, pbb, s)
        self.work_base_younger = _linear(params.work_credit_base_younger, pbb, s)
        self.work_older = _linear(params.work_credit_older, pbb, s)
        self.sickness_base = _linear(params.sickness_credit_base, pbb, s)
        self.state_rate = _scaled(params.state_tax_rate, s)
        self.state_threshold = _scaled(params.state_tax_threshold, 1)
        self.state_from = _scaled(params.state_tax_from_taxable_income, 1)
        self.pension_rate = _scaled(params.pension_fee_rate, s)
        self.pension_floor = math.ceil(params.pension_fee_floor)  # incomes are whole kronor
        self.pension_cap = _scaled(params.pension_fee_cap, 1)
        self.ps_rate = _scaled(params.public_service_fee_rate, s)
        self.ps_cap = math.floor(params.public_service_fee_cap)
        self.sick_min = _scaled(params.sickness_credit_minimum_share, s)
        eir = params.earned_income_reduction
        self.eir_from = _scaled(eir.from_taxable_income, 1)
        self.eir_rate = _scaled(eir.rate, s)
        self.eir_to = _scaled(eir.up_to_taxable_income, 1)
        self.eir_max = math.floor(eir.maximum)

    def municipal_rate(self, table: int) -> int:
        """(table - average burial fee) %, times scale."""
        if isinstance(table, bool) or not isinstance(table, int):
            raise UnknownTaxTable(table)
        rate = table * self.scale // 100 - self.burial
        layout = self.params.table_layout
        if rate <= 0 or not layout.first_table <= table <= layout.last_table:
            raise UnknownTaxTable(
                table,
                Text(
                    sv=f"Tabell {layout.first_table}-{layout.last_table} finns för {self.params.year}; tabellnumret är "
                    f"skattesatsen i hela procent inkl. genomsnittlig begravningsavgift "
                    f"({self.params.burial_fee_average_percent} %).",
                    en=f"Tables {layout.first_table}-{layout.last_table} exist for {self.params.year}; a table number is the "
                    f"whole-percent tax rate incl. the average burial fee ({self.params.burial_fee_average_percent} %).",
                ),
            )
        return rate

    def annual(self, table: int, column: int, income: int) -> AnnualTax:
        profile = column_profile(column)
        s = self.scale
        r = self.municipal_rate(table)
        pension_base = income if profile.pension_fee_on_income else 0
        work = income if profile.work_income else 0

        # 1. Basic deduction, rounded up to whole hundreds, at most the income.
        deduction = _evaluate(self.ordinary, income, s)
        if profile.enhanced_basic_deduction:
            deduction += _evaluate(self.enhanced, income, s)
        deduction = min(deduction, income * s)
        basic = -(-deduction // (100 * s)) * 100
        taxable = max(income - basic, 0)

        # 2. Taxes and fees (floors of non-negative values are integer divisions).
        municipal = taxable * r // s
        burial = taxable * self.burial // s
        state = self.state_rate * (taxable - self.state_threshold) // s if taxable >= self.state_from else 0
        if pension_base < self.pension_floor:
            pension = 0
        else:
            fee = self.pension_rate * min(pension_base, self.pension_cap)  # times scale
            pension = -(-(2 * fee - 100 * s) // (200 * s)) * 100  # whole hundreds, half down
        public_service = min(taxable * self.ps_rate // s, self.ps_cap)

        pension_credit = min(pension, state + municipal)
        remaining = municipal - max(pension_credit - state, 0)

        # 3. Tax reductions, each capped by what is left of the municipal tax.
        work_credit = 0
        if profile.work_credit == "younger":
            base = _evaluate(self.work_base_younger, work, s)
            work_credit = max(base - basic * s, 0) * r // (s * s)
        elif profile.work_credit == "older":
            work_credit = _evaluate(self.work_older, work, s) // s
        work_credit = min(work_credit, remaining)
        remaining -= work_credit

        sickness_credit = 0
        if profile.sickness_credit:
            base = _evaluate(self.sickness_base, income, s)
            sickness_credit = max(
                max(base - basic * s, 0) * r // (s * s),
                self.sick_min * income * r // (s * s),
            )
        sickness_credit = min(sickness_credit, remaining)
        remaining -= sickness_credit

        if taxable <= self.eir_from:
            earned = 0
        elif taxable <= self.eir_to:
            earned = self.eir_rate * (taxable - self.eir_from) // s
        else:
            earned = self.eir_max
        earned = min(earned, remaining)

        total = (
            state
            + municipal
            + burial
            + pension
            + public_service
            - pension_credit
            - work_credit
            - sickness_credit
            - earned
        )
        return AnnualTax(
            table=table,
            column=column,
            annual_income=income,
            basic_deduction=basic,
            taxable_income=taxable,
            municipal_tax=municipal,
            burial_fee=burial,
            state_tax=state,
            pension_fee=pension,
            public_service_fee=public_service,
            pension_fee_credit=pension_credit,
            work_tax_credit=work_credit,
            sickness_compensation_credit=sickness_credit,
            earned_income_reduction=earned,
            total=total,
        )

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one calculator per year, kept for the process
    def monthly_amount(self, table: int, column: int, band_to: int) -> int:
        income = (12 * band_to) // 100 * 100
        return self.annual(table, column, income).total // 12

    @functools.lru_cache(maxsize=65536)  # noqa: B019
    def percentage(self, table: int, column: int, band_to: int) -> int:
        """The band's monthly amount as a whole percentage of ``band_to``.

        Skatteverket's generator divides in binary floating point: exact halves
        such as 176,167 / 311,800 = 56.5 % fall either way depending on how the
        quotient is represented (here 56), and only IEEE double arithmetic
        reproduces all 7,392 percentage cells of the 2026 file. No money is
        computed in floating point: the result is a whole percentage.
        """
        monthly = self.monthly_amount(table, column, band_to)
        return math.floor(monthly / band_to * 100 + 0.5)


def _calculator(year: int) -> _Calculator:
    return _calculator_at(year, rates_generation())


@functools.cache
def _calculator_at(year: int, generation: int) -> _Calculator:
    """One calculator per year and set of loaded rates (a year imported later replaces the fallback)."""
    return _Calculator(rates_for(year).tax)


def annual_tax(year: int, table: int, column: int, annual_income: int) -> AnnualTax:
    """The annual tax on ``annual_income`` (whole kronor) by the year's rules, step by step."""
    return _calculator(year).annual(table, column, annual_income)


def monthly_amount(year: int, table: int, column: int, band_to: int) -> int:
    """A table amount cell: floor(annual tax on 12 x band_to, rounded down to hundreds, / 12)."""
    return _calculator(year).monthly_amount(table, column, band_to)


def percentage(year: int, table: int, column: int, band_to: int) -> int:
    """A percentage cell: the band's monthly amount (``monthly_amount``) in whole percent of ``band_to``."""
    return _calculator(year).percentage(table, column, band_to)


class ComputedTaxTable:
    """The monthly table computed from the year's rules (the fallback when no file was imported).

    Amount bands follow the year's table layout (1-2,000: 0; 100 kr bands to
    20,000; 200 kr bands to 80,000). Above that each ``percent_band_width``
    band gets the percentage at its upper limit, up to ``percent_bands_up_to``;
    above that the last percentage holds (the official file's open band).
    Skatteverket merges neighbouring bands with equal percentages, so the
    bands are narrower than the file's but every income gets the same cell
    value (tests check every cell of the 2026 file).
    """

    def __init__(self, year: int) -> None:
        self.year = year
        self._calc = _calculator(year)
        self._layout = self._calc.params.table_layout

    def cell(self, table: int, column: int, monthly_income: Number) -> TableCell:
        check_column(column)
        self._calc.municipal_rate(table)
        income = lookup_income(monthly_income)
        layout = self._layout
        if income <= layout.zero_up_to:
            return TableCell(table, column, 1, layout.zero_up_to, CellKind.AMOUNT, 0)
        start = layout.zero_up_to
        for band in layout.bands:
            if income <= band.up_to:
                to = start + math.ceil((income - start) / band.width) * band.width
                value = self._calc.monthly_amount(table, column, to)
                return TableCell(table, column, to - band.width + 1, to, CellKind.AMOUNT, value)
            start = band.up_to
        width = layout.percent_band_width
        top = layout.percent_bands_up_to
        if income > top:
            return TableCell(table, column, top + 1, None, CellKind.PERCENT, self._calc.percentage(table, column, top))
        to = start + math.ceil((income - start) / width) * width
        value = self._calc.percentage(table, column, to)
        return TableCell(table, column, to - width + 1, to, CellKind.PERCENT, value)

    def withholding(self, table: int, column: int, monthly_income: Number) -> Decimal:
        return self.cell(table, column, monthly_income).withholding(monthly_income)


def computed_table(year: int) -> ComputedTaxTable:
    return _computed_table_at(year, rates_generation())


@functools.cache
def _computed_table_at(year: int, generation: int) -> ComputedTaxTable:
    return ComputedTaxTable(year)


_SHIPPED_NAME = "skatteverket-allmanna-tabeller-manad-{year}.txt.gz"


@functools.cache
def shipped_table(year: int) -> TaxTable | None:
    """Skatteverket's official monthly table file for ``year`` shipped in the package (public data), if any.

    Parsed once per process by the same code as ``selfservice tax import``.
    """
    resource = resources.files(__package__).joinpath("data", _SHIPPED_NAME.format(year=year))
    if not resource.is_file():
        return None
    return parse_table_file(gzip.decompress(resource.read_bytes()).decode("utf-8-sig"), year=year)


def default_table(year: int) -> TaxTable | None:
    """The official table payslips paid in ``year`` use when none was imported.

    The year's own shipped file; for a year whose figures are not loaded yet,
    the file of the year the figures fall back to (``rates_in_use``), since
    the computed table would reproduce that year's file anyway. None: the
    computed rules apply (the payslip says so).
    """
    own = shipped_table(year)
    if own is not None:
        return own
    try:
        in_use = rates_in_use(year)
    except RatesNotAvailable:
        return None
    return shipped_table(in_use.rates.year) if in_use.fallback else None


def withholding(
    year: int, table: int, column: int, monthly_income: Number, *, imported: TaxTable | None = None
) -> Decimal:
    """Preliminary tax to withhold from a month's cash pay.

    ``imported`` (an official file for the same year) is authoritative when
    given; otherwise the computed table is used.
    """
    if imported is not None:
        return imported.withholding(table, column, monthly_income)
    return computed_table(year).withholding(table, column, monthly_income)


def column_for(birth_date: date, year: int) -> int:
    """Column for ordinary salary: 3 for people who had turned the older age before 1 January, else 1.

    2026: the older age is 66, so born 1959 or earlier -> column 3.
    """
    older_from = rates_for(year).tax.older_from_age
    turned_by_new_year = (year - 1) - birth_date.year >= older_from
    return 3 if turned_by_new_year else 1
