"""The administrator's normalbelopp CSV: documented columns, clear errors per line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.domain.travel.errors import NormalbeloppFormatError, UnknownCountry
from backend.domain.travel.normalbelopp import NormalbeloppTable, parse_normalbelopp_csv

HEADER = "year,country_code,country_name,amount_sek\n"


def test_reads_amounts_per_year_and_country() -> None:
    rows = '2026,DE,Tyskland,1004\n2026,XX,"Övriga länder, områden",500.50\n'
    table = parse_normalbelopp_csv("\ufeff" + HEADER + rows)
    assert table.amount(2026, "DE") == Decimal(1004)
    assert table.amount(2026, "xx") == Decimal("500.50")
    assert len(table) == 2


def test_blank_lines_are_ignored() -> None:
    table = NormalbeloppTable.from_csv("\n" + HEADER + "\n2026,DE,Tyskland,1004\n\n")
    assert len(table) == 1


def test_an_amount_for_another_year_is_not_used() -> None:
    table = parse_normalbelopp_csv(HEADER + "2025,DE,Tyskland,1000\n")
    with pytest.raises(UnknownCountry):
        table.amount(2026, "DE")


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ("year,country,name,amount\n", 1, "header"),
        (HEADER + "2026,DE,Tyskland\n", 2, "4 columns"),
        (HEADER + "26,DE,Tyskland,1004\n", 2, "four-digit year"),
        (HEADER + "2026,de,Tyskland,1004\n", 2, "country code"),
        (HEADER + "2026,DE,,1004\n", 2, "country name"),
        (HEADER + "2026,DE,Tyskland,1 004\n", 2, "positive number"),
        (HEADER + "2026,DE,Tyskland,-5\n", 2, "positive number"),
        (HEADER + "2026,DE,Tyskland,0\n", 2, "above 0"),
        (HEADER + "2026,DE,Tyskland,1004\n2026,DE,Tyskland,1005\n", 3, "more than once"),
        ("", 1, "empty"),
    ],
)
def test_errors_name_the_line_and_the_problem(body: str, line: int, problem: str) -> None:
    with pytest.raises(NormalbeloppFormatError) as caught:
        parse_normalbelopp_csv(body)
    assert caught.value.line == line
    assert problem in caught.value.message.en
    assert caught.value.message.sv.startswith(f"Normalbeloppsfilen, rad {line}")
    assert caught.value.code == "travel.normalbelopp_file_invalid"
