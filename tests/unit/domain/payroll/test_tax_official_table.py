"""The calculation reproduces Skatteverket's official 2026 monthly table (../shared/payroll)."""

from __future__ import annotations

from decimal import Decimal

from backend.domain.payroll.tax import CellKind, TaxTable, computed_table, monthly_amount, shipped_table

AMOUNT_CELLS_2026 = 40_404  # 6,734 amount rows x 6 columns (tables 29-42)
PERCENT_CELLS_2026 = 7_392  # 1,232 percentage rows x 6 columns


def test_every_amount_cell_of_the_official_2026_table_is_reproduced_exactly(official_table: TaxTable) -> None:
    checked = 0
    mismatches = []
    for row in official_table.rows:
        if row.kind is not CellKind.AMOUNT:
            continue
        assert row.income_to is not None
        for column in range(1, 7):
            computed = monthly_amount(2026, row.table, column, row.income_to)
            checked += 1
            if computed != row.values[column - 1]:
                mismatches.append((row.line, row.table, column, row.income_to, computed, row.values[column - 1]))
    assert mismatches == []
    assert checked == AMOUNT_CELLS_2026


def test_every_percentage_cell_of_the_official_2026_table_is_reproduced_at_both_band_edges(
    official_table: TaxTable,
) -> None:
    computed = computed_table(2026)
    checked = 0
    mismatches = []
    for row in official_table.rows:
        if row.kind is not CellKind.PERCENT:
            continue
        # The open top band: its start and far above it (the computed percentage must stop rising).
        edges = (row.income_from, row.income_to if row.income_to is not None else 10 * row.income_from)
        for column in range(1, 7):
            checked += 1
            for income in edges:
                cell = computed.cell(row.table, column, income)
                if (cell.kind, cell.value) != (CellKind.PERCENT, row.values[column - 1]):
                    mismatches.append((row.line, column, income, cell.value, row.values[column - 1]))
    assert mismatches == []
    assert checked == PERCENT_CELLS_2026


def test_table_42_column_1_at_311800_withholds_56_percent_without_the_file() -> None:
    """An exact half (176,167 kr of 311,800 = 56.5 %) that Skatteverket's table rounds to 56 %, not 57 %."""
    assert computed_table(2026).withholding(42, 1, 311_800) == Decimal(174_608)
    assert computed_table(2026).withholding(42, 1, 311_801) == Decimal(177_726)  # 57 %, floored


def test_the_shipped_2026_file_is_the_official_file(official_table: TaxTable) -> None:
    shipped = shipped_table(2026)
    assert shipped is not None
    assert [(r.table, r.kind, r.income_from, r.income_to, r.values) for r in shipped.rows] == [
        (r.table, r.kind, r.income_from, r.income_to, r.values) for r in official_table.rows
    ]
    assert shipped_table(2026) is shipped  # parsed once per process
    assert shipped_table(2025) is None


def test_imported_table_returns_the_official_percentage_for_every_percentage_band(official_table: TaxTable) -> None:
    wrong = []
    for row in official_table.rows:
        if row.kind is not CellKind.PERCENT:
            continue
        edges = [row.income_from] + ([row.income_to] if row.income_to is not None else [row.income_from + 10**6])
        for income in edges:
            for column in range(1, 7):
                cell = official_table.cell(row.table, column, income)
                if (cell.kind, cell.value) != (CellKind.PERCENT, row.values[column - 1]):
                    wrong.append((row.line, income, column))
    assert wrong == []


def test_imported_table_returns_the_official_amount_at_both_edges_of_every_band(official_table: TaxTable) -> None:
    wrong = []
    for row in official_table.rows:
        if row.kind is not CellKind.AMOUNT:
            continue
        assert row.income_to is not None
        for income in (row.income_from, row.income_to):
            for column in range(1, 7):
                cell = official_table.cell(row.table, column, income)
                if (cell.kind, cell.value) != (CellKind.AMOUNT, row.values[column - 1]):
                    wrong.append((row.line, income, column))
    assert wrong == []


def test_official_file_has_tables_29_to_42(official_table: TaxTable) -> None:
    assert official_table.tables == tuple(range(29, 43))


def test_official_amounts_never_decrease_with_income_within_the_amount_bands(official_table: TaxTable) -> None:
    for table in official_table.tables:
        for column in range(1, 7):
            previous = -1
            for row in official_table.rows:
                if row.table == table and row.kind is CellKind.AMOUNT:
                    assert row.values[column - 1] >= previous, (row.line, column)
                    previous = row.values[column - 1]


def test_official_percentages_never_decrease_with_income(official_table: TaxTable) -> None:
    for table in official_table.tables:
        for column in range(1, 7):
            previous = -1
            for row in official_table.rows:
                if row.table == table and row.kind is CellKind.PERCENT:
                    assert row.values[column - 1] >= previous, (row.line, column)
                    previous = row.values[column - 1]


def test_official_table_withholds_less_just_above_80000_than_at_80000(official_table: TaxTable) -> None:
    """Whole percentages make the official table drop at the switch from amounts to percent.

    Table 32, column 1: 25,944 kr at 80,000 but 32 % x 80,001 = 25,600 kr. This is Skatteverket's table, not a
    defect to smooth over; monotonicity holds within the amount bands and within the percentage bands.
    """
    assert official_table.withholding(32, 1, 80_000) == 25_944
    assert official_table.withholding(32, 1, 80_001) == 25_600
