"""Helpers behind ``selfservice tax``: one INCOME<TAB>WITHHELD line per income."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.domain.errors import InvalidValue
from backend.domain.payroll.cli_support import (
    import_table_bytes,
    import_table_file,
    parse_income,
    withholding_lines,
)
from backend.domain.payroll.errors import TaxTableFormatError
from backend.domain.payroll.tax import TaxTable
from tests.unit.domain.conftest import OFFICIAL_TABLE_2026


def test_one_tab_separated_line_per_income() -> None:
    assert withholding_lines(2026, 32, 1, ["30000", "42 000", 80001]) == [
        "30000\t5703",
        "42000\t8791",
        "80001\t25600",
    ]


def test_imported_table_is_used_when_given(official_table: TaxTable) -> None:
    assert withholding_lines(2026, 33, 1, ["55000"], imported=official_table) == ["55000\t13352"]


def test_swedish_decimal_comma_is_accepted() -> None:
    assert parse_income("30 000,50") == parse_income("30000.50")


def test_an_income_that_is_not_an_amount_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        withholding_lines(2026, 32, 1, ["trettio tusen"])
    assert caught.value.code == "tax.bad_income"


def test_import_the_official_file_from_disk() -> None:
    if not OFFICIAL_TABLE_2026.is_file():
        pytest.skip(f"shared test data {OFFICIAL_TABLE_2026} is absent")
    table = import_table_file(OFFICIAL_TABLE_2026, year=2026)
    assert table.year == 2026
    assert table.withholding(34, 1, 18_000) == 2_990


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        import_table_bytes(b"\xff\xfe30B")
    assert caught.value.code == "tax.table_file_invalid"


def test_import_reports_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text("30B32      1   2000    0    0    0    0    0    0\nnonsense\n", encoding="utf-8")
    with pytest.raises(TaxTableFormatError) as caught:
        import_table_file(path)
    assert caught.value.line == 2
