"""Preliminary tax: spot values, column choice, the computed fallback, file parsing and bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.errors import RatesNotAvailable
from backend.domain.payroll.errors import TaxTableFormatError, UnknownTaxColumn, UnknownTaxTable
from backend.domain.payroll.tax import (
    CellKind,
    TaxTable,
    annual_tax,
    column_for,
    computed_table,
    parse_table_file,
    withholding,
)

# tax-rules-2026.md, "Spot values (column 1)".
SPOT_VALUES = [
    (30, 1, 30_000, 5_352),
    (32, 1, 30_000, 5_703),
    (33, 1, 35_000, 7_134),
    (34, 1, 25_000, 4_760),
    (32, 1, 42_000, 8_791),
    (33, 1, 55_000, 13_352),
    (34, 1, 18_000, 2_990),
    (32, 3, 30_000, 2_469),
]


@pytest.mark.parametrize(("table", "column", "income", "expected"), SPOT_VALUES)
def test_spot_values_from_the_tax_rules_are_computed(table: int, column: int, income: int, expected: int) -> None:
    assert withholding(2026, table, column, income) == expected


@pytest.mark.parametrize(("table", "column", "income", "expected"), SPOT_VALUES)
def test_spot_values_from_the_tax_rules_are_in_the_official_file(
    official_table: TaxTable, table: int, column: int, income: int, expected: int
) -> None:
    assert withholding(2026, table, column, income, imported=official_table) == expected


def test_table_32_at_80001_is_32_percent_computed_and_official(official_table: TaxTable) -> None:
    computed = computed_table(2026).cell(32, 1, 80_001)
    official = official_table.cell(32, 1, 80_001)
    assert (computed.kind, computed.value) == (CellKind.PERCENT, 32)
    assert (official.kind, official.value) == (CellKind.PERCENT, 32)


def test_percentage_withholding_is_the_percentage_of_cash_pay_rounded_down_to_whole_kronor() -> None:
    # 32 % of 80,001.50 = 25,600.48 -> 25,600
    assert withholding(2026, 32, 1, Decimal("80001.50")) == Decimal(25_600)


def test_ore_in_the_pay_do_not_move_it_into_the_next_band() -> None:
    assert withholding(2026, 32, 1, Decimal("30000.99")) == withholding(2026, 32, 1, 30_000)


def test_no_tax_on_pay_up_to_2000_or_on_zero_or_negative_pay() -> None:
    for pay in (Decimal(-500), 0, 1, 2_000):
        assert withholding(2026, 32, 1, pay) == 0


def test_annual_tax_shows_every_step() -> None:
    steps = annual_tax(2026, 32, 1, 360_000)
    assert steps.total == 5_703 * 12 + (steps.total % 12)
    assert steps.total == (
        steps.state_tax
        + steps.municipal_tax
        + steps.burial_fee
        + steps.pension_fee
        + steps.public_service_fee
        - steps.pension_fee_credit
        - steps.work_tax_credit
        - steps.sickness_compensation_credit
        - steps.earned_income_reduction
    )
    assert steps.pension_fee == 25_200  # 7 % of 360,000
    assert steps.public_service_fee == 1_184  # capped


def test_state_tax_applies_from_taxable_income_643200() -> None:
    high = annual_tax(2026, 32, 1, 1_000_000)
    assert high.state_tax == (high.taxable_income - 643_000) // 5


def test_only_the_tables_published_for_the_year_exist() -> None:
    assert withholding(2026, 42, 1, 30_000) > withholding(2026, 29, 1, 30_000)
    with pytest.raises(UnknownTaxTable, match="29-42"):
        withholding(2026, 43, 1, 30_000)


def test_column_1_for_people_born_1960_or_later_in_2026() -> None:
    assert column_for(date(1960, 1, 1), 2026) == 1
    assert column_for(date(1990, 6, 15), 2026) == 1


def test_column_3_for_people_born_1959_or_earlier_in_2026() -> None:
    assert column_for(date(1959, 12, 31), 2026) == 3
    assert column_for(date(1940, 1, 1), 2026) == 3


def test_column_choice_needs_the_year_s_tax_figures() -> None:
    with pytest.raises(RatesNotAvailable) as caught:
        column_for(date(1958, 1, 1), 2025)
    assert caught.value.code == "rates.section_not_available"


@pytest.mark.parametrize("table", [0, 1, 101, -5])
def test_unknown_table_raises_a_clear_error(table: int) -> None:
    with pytest.raises(UnknownTaxTable) as caught:
        withholding(2026, table, 1, 30_000)
    assert caught.value.code == "tax.unknown_table"
    assert caught.value.message.sv.startswith("Okänd skattetabell")
    assert caught.value.field == "tax_table"


@pytest.mark.parametrize("column", [0, 7, True])
def test_unknown_column_raises_a_clear_error(column: int) -> None:
    with pytest.raises(UnknownTaxColumn) as caught:
        withholding(2026, 32, column, 30_000)
    assert caught.value.code == "tax.unknown_column"
    assert "1-6" in caught.value.message.en
    assert "1-6" in caught.value.message.sv


def test_table_missing_from_the_imported_file_is_an_unknown_table(official_table: TaxTable) -> None:
    with pytest.raises(UnknownTaxTable):
        official_table.withholding(43, 1, 30_000)


def test_float_pay_is_refused() -> None:
    with pytest.raises(Exception, match="exact number") as caught:
        withholding(2026, 32, 1, 30000.0)  # type: ignore[arg-type]
    assert getattr(caught.value, "code", None) == "value.not_exact"


# --- the fixed-width file ------------------------------------------------------------------------------------


def _record(kind: str, table: int, start: int, end: int | None, values: list[int]) -> str:
    return f"30{kind}{table:2d}{start:7d}{(str(end) if end else ''):>7}" + "".join(f"{v:5d}" for v in values)


def _small_file() -> str:
    return "\n".join(
        [
            _record("B", 32, 1, 2000, [0] * 6),
            _record("B", 32, 2001, 80000, [150, 0, 150, 0, 150, 2]),
            _record("%", 32, 80001, None, [32, 32, 28, 29, 38, 38]),
        ]
    )


def test_fields_that_run_together_are_read_by_position() -> None:
    # Line 1957 of the official 2026 file: columns 4-6 run into each other.
    line = "30B32  34801  35000 6922 6773 3669 69221058610586"
    table = parse_table_file(
        "\n".join([_record("B", 32, 1, 34800, [0] * 6), line, _record("%", 32, 35001, None, [50] * 6)])
    )
    assert [table.cell(32, column, 35_000).value for column in range(1, 7)] == [6922, 6773, 3669, 6922, 10586, 10586]


def test_a_file_with_bom_and_windows_line_ends_is_read() -> None:
    table = parse_table_file("\ufeff" + _small_file().replace("\n", "\r\n") + "\r\n")
    assert table.withholding(32, 1, 2_050) == 150
    assert table.withholding(32, 1, 100_000) == 32_000


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31B32      1   2000    0    0    0    0    0    0", "monthly table"),
        ("30X32      1   2000    0    0    0    0    0    0", "neither B"),
        ("30B3x      1   2000    0    0    0    0    0    0", "table number"),
        ("30B32      1   2000    0    0    0    0    0", "column 6 is blank"),
        ("30B32      1   2000    0    0    0    0    0    0   1", "characters"),
        ("30%32      1          0    0    0  101    0    0", "over 100"),
    ],
)
def test_malformed_records_name_the_line_and_problem(text: str, problem: str) -> None:
    with pytest.raises(TaxTableFormatError) as caught:
        parse_table_file(text)
    assert caught.value.line == 1
    assert problem in caught.value.message.en
    assert caught.value.message.sv.startswith("Skattetabellfilen, rad 1")
    assert caught.value.code == "tax.table_file_invalid"


def test_bands_with_a_gap_are_rejected() -> None:
    text = "\n".join(
        [
            _record("B", 32, 1, 2000, [0] * 6),
            _record("B", 32, 2101, 80000, [1] * 6),
            _record("%", 32, 80001, None, [32] * 6),
        ]
    )
    with pytest.raises(TaxTableFormatError) as caught:
        parse_table_file(text)
    assert caught.value.line == 2


def test_an_empty_file_is_rejected() -> None:
    with pytest.raises(TaxTableFormatError):
        parse_table_file("\ufeff\n\n")


# --- properties ----------------------------------------------------------------------------------------------

TABLES = st.integers(min_value=29, max_value=42)
COLUMNS = st.integers(min_value=1, max_value=6)
AMOUNT_PAY = st.integers(min_value=0, max_value=80_000)
PERCENT_PAY = st.integers(min_value=80_001, max_value=3_000_000)


@settings(max_examples=300, deadline=None)
@given(TABLES, COLUMNS, st.integers(min_value=-1000, max_value=3_000_000))
def test_tax_is_never_negative(table: int, column: int, pay: int) -> None:
    assert withholding(2026, table, column, pay) >= 0


@settings(max_examples=300, deadline=None)
@given(TABLES, COLUMNS, AMOUNT_PAY, AMOUNT_PAY)
def test_tax_never_decreases_with_pay_within_the_amount_bands(table: int, column: int, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert withholding(2026, table, column, low) <= withholding(2026, table, column, high)


@settings(max_examples=300, deadline=None)
@given(TABLES, COLUMNS, PERCENT_PAY, PERCENT_PAY)
def test_tax_never_decreases_with_pay_above_80000(table: int, column: int, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert withholding(2026, table, column, low) <= withholding(2026, table, column, high)


@settings(max_examples=300, deadline=None)
@given(TABLES, COLUMNS, st.integers(min_value=0, max_value=5_000_000), st.integers(min_value=0, max_value=5_000_000))
def test_annual_tax_never_decreases_with_income(table: int, column: int, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert 0 <= annual_tax(2026, table, column, low).total <= annual_tax(2026, table, column, high).total
