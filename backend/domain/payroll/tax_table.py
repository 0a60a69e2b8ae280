"""Skatteverket's monthly tax table file: parsing and lookup.

The official file is fixed width (49 characters a record, UTF-8 with BOM):

======  =====================================================
chars   field
======  =====================================================
0-1     period in days (``30`` = the monthly table)
2       ``B`` = amounts in kronor, ``%`` = percent of cash pay
3-4     table number
5-11    monthly income from (kr)
12-18   monthly income to (kr; blank = no upper limit)
19-48   six 5-character fields: columns 1-6
======  =====================================================

Fields can run into each other (``69221058610586``), so the parser reads by
position and never splits on spaces. An imported file is authoritative: it wins
over the computed table for the same year.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from backend.domain.money import Number, as_decimal, floor_krona, to_fraction
from backend.domain.payroll.errors import TaxTableFormatError, UnknownTaxColumn, UnknownTaxTable
from backend.domain.text import Text

COLUMNS = (1, 2, 3, 4, 5, 6)
_CELLS_KEPT = 100_000
"""Cells a table keeps found (a few MB); beyond that it starts over."""
RECORD_WIDTH = 49
_BOM = "\ufeff"


class CellKind(StrEnum):
    AMOUNT = "amount"  # kronor to withhold
    PERCENT = "percent"  # percent of the month's cash pay


@dataclass(frozen=True)
class TableCell:
    """One cell of a monthly table, with its band, for explanations."""

    table: int
    column: int
    income_from: int
    income_to: int | None
    kind: CellKind
    value: int

    def withholding(self, monthly_income: Number) -> Decimal:
        """Tax to withhold from ``monthly_income`` (cash pay) by this cell.

        Amount cells give the amount. Percentage cells give the percentage of
        the cash pay, rounded down to whole kronor (assumption: the table's
        amounts are whole kronor, so the percentage result is made whole the
        same way, in the employee's favour). Zero or negative pay: 0.
        """
        income = as_decimal(monthly_income, field="monthly_income")
        if income <= 0:
            return Decimal(0)
        if self.kind is CellKind.AMOUNT:
            return Decimal(self.value)
        return floor_krona(to_fraction(income) * self.value / 100)


def check_column(column: int) -> int:
    if isinstance(column, bool) or not isinstance(column, int) or column not in COLUMNS:
        raise UnknownTaxColumn(column)
    return column


def lookup_income(monthly_income: Number) -> int:
    """Whole kronor used to find the band: the bands are in whole kronor, so öre are dropped."""
    if isinstance(monthly_income, int) and not isinstance(monthly_income, bool):
        return max(monthly_income, 1)
    if type(monthly_income) is Decimal and monthly_income.is_finite():
        return max(math.floor(monthly_income), 1)  # a Decimal's floor is exact
    return max(math.floor(to_fraction(as_decimal(monthly_income, field="monthly_income"))), 1)


@dataclass(frozen=True)
class TaxTableRow:
    line: int
    table: int
    kind: CellKind
    income_from: int
    income_to: int | None
    values: tuple[int, int, int, int, int, int]

    def cell(self, column: int) -> TableCell:
        return TableCell(self.table, column, self.income_from, self.income_to, self.kind, self.values[column - 1])


@dataclass(frozen=True)
class _TableIndex:
    uppers: tuple[int, ...]  # inclusive upper limit per row; the open last row uses its lower limit
    rows: tuple[TaxTableRow, ...]


class TaxTable:
    """An imported official monthly table file (all table numbers in it)."""

    def __init__(self, rows: tuple[TaxTableRow, ...], *, year: int | None = None) -> None:
        self.year = year
        self.rows = rows
        grouped: dict[int, list[TaxTableRow]] = {}
        for row in rows:
            grouped.setdefault(row.table, []).append(row)
        index: dict[int, _TableIndex] = {}
        for table, table_rows in grouped.items():
            table_rows.sort(key=lambda r: r.income_from)
            _check_bands(table_rows)
            uppers = tuple(r.income_to if r.income_to is not None else r.income_from for r in table_rows)
            index[table] = _TableIndex(uppers, tuple(table_rows))
        self._index: Mapping[int, _TableIndex] = MappingProxyType(index)
        self._cells: dict[tuple[int, int, int], TableCell] = {}
        """Cells found, by (table, column, whole kronor): a payroll of thousands looks up the same bands."""

    @property
    def tables(self) -> tuple[int, ...]:
        return tuple(sorted(self._index))

    def cell(self, table: int, column: int, monthly_income: Number) -> TableCell:
        """The band cell for ``monthly_income`` (incomes below 1 kr use the first band)."""
        income = lookup_income(monthly_income)
        key = (table, column, income)
        found = self._cells.get(key) if type(table) is int and type(column) is int else None
        if found is None:
            found = self._find(table, column, income)
            if len(self._cells) >= _CELLS_KEPT:
                self._cells.clear()
            self._cells[key] = found
        return found

    def _find(self, table: int, column: int, income: int) -> TableCell:
        check_column(column)
        entry = self._index.get(table) if isinstance(table, int) and not isinstance(table, bool) else None
        if entry is None:
            raise UnknownTaxTable(
                table,
                Text(
                    sv=f"Den inlästa filen har tabell {self.tables[0]}-{self.tables[-1]}." if self.tables else "",
                    en=f"The imported file has tables {self.tables[0]}-{self.tables[-1]}." if self.tables else "",
                ),
            )
        position = bisect.bisect_left(entry.uppers, income)
        row = entry.rows[min(position, len(entry.rows) - 1)]
        return row.cell(column)

    def withholding(self, table: int, column: int, monthly_income: Number) -> Decimal:
        """Tax to withhold: the band amount, or the band percentage of the cash pay (see ``TableCell``)."""
        return self.cell(table, column, monthly_income).withholding(monthly_income)


def _check_bands(rows: list[TaxTableRow]) -> None:
    """Bands must start at 1 kr, follow each other without gaps and end open."""
    expected_from = 1
    for i, row in enumerate(rows):
        if row.income_from != expected_from:
            raise TaxTableFormatError(
                row.line,
                Text(
                    sv=f"tabell {row.table}: intervallet börjar på {row.income_from}, väntat {expected_from}",
                    en=f"table {row.table}: band starts at {row.income_from}, expected {expected_from}",
                ),
            )
        last = i == len(rows) - 1
        if row.income_to is None:
            if not last:
                raise TaxTableFormatError(
                    row.line,
                    Text(
                        sv=f"tabell {row.table}: bara det sista intervallet får sakna övre gräns",
                        en=f"table {row.table}: only the last band may be open-ended",
                    ),
                )
            break
        if last:
            raise TaxTableFormatError(
                row.line,
                Text(
                    sv=f"tabell {row.table}: det sista intervallet ska sakna övre gräns",
                    en=f"table {row.table}: the last band must have no upper limit",
                ),
            )
        expected_from = row.income_to + 1


def _field(line_no: int, text: str, name_en: str, name_sv: str, *, blank_ok: bool = False) -> int | None:
    stripped = text.strip()
    if not stripped:
        if blank_ok:
            return None
        raise TaxTableFormatError(line_no, Text(sv=f"{name_sv} saknas", en=f"{name_en} is blank"))
    if not stripped.isascii() or not stripped.isdigit():
        raise TaxTableFormatError(
            line_no,
            Text(sv=f"{name_sv} {stripped!r} är inte ett heltal", en=f"{name_en} {stripped!r} is not a whole number"),
        )
    return int(stripped)


def parse_table_file(text: str, *, year: int | None = None) -> TaxTable:
    """Parse the official monthly table text (BOM optional; blank lines ignored)."""
    rows: list[TaxTableRow] = []
    if text.startswith(_BOM):
        text = text[1:]
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line:
            continue
        if len(line) < RECORD_WIDTH:
            line = line.ljust(RECORD_WIDTH)
        if len(line) > RECORD_WIDTH:
            raise TaxTableFormatError(
                line_no,
                Text(
                    sv=f"posten har {len(line)} tecken, väntat {RECORD_WIDTH}",
                    en=f"record is {len(line)} characters, expected {RECORD_WIDTH}",
                ),
            )
        period, kind_char = line[0:2], line[2]
        if period != "30":
            raise TaxTableFormatError(
                line_no,
                Text(
                    sv=f"perioden {period!r} är inte månadstabellen (30)",
                    en=f"period {period!r} is not the monthly table (30)",
                ),
            )
        if kind_char not in ("B", "%"):
            raise TaxTableFormatError(
                line_no,
                Text(
                    sv=f"typen {kind_char!r} är varken B (belopp) eller % (procent)",
                    en=f"kind {kind_char!r} is neither B (amounts) nor % (percent)",
                ),
            )
        kind = CellKind.AMOUNT if kind_char == "B" else CellKind.PERCENT
        table = _field(line_no, line[3:5], "table number", "tabellnummer")
        income_from = _field(line_no, line[5:12], "income from", "inkomst från")
        income_to = _field(line_no, line[12:19], "income to", "inkomst till", blank_ok=True)
        assert table is not None
        assert income_from is not None
        values: list[int] = []
        for i in range(6):
            value = _field(line_no, line[19 + 5 * i : 24 + 5 * i], f"column {i + 1}", f"kolumn {i + 1}")
            assert value is not None
            if kind is CellKind.PERCENT and value > 100:
                raise TaxTableFormatError(
                    line_no,
                    Text(sv=f"kolumn {i + 1}: {value} % är över 100 %", en=f"column {i + 1}: {value} % is over 100 %"),
                )
            values.append(value)
        if income_to is not None and income_to < income_from:
            raise TaxTableFormatError(
                line_no,
                Text(
                    sv=f"inkomst till {income_to} är lägre än inkomst från {income_from}",
                    en=f"income to {income_to} is below income from {income_from}",
                ),
            )
        rows.append(
            TaxTableRow(
                line=line_no,
                table=table,
                kind=kind,
                income_from=income_from,
                income_to=income_to,
                values=(values[0], values[1], values[2], values[3], values[4], values[5]),
            )
        )
    if not rows:
        raise TaxTableFormatError(0, Text(sv="filen innehåller inga poster", en="the file has no records"))
    return TaxTable(tuple(rows), year=year)
