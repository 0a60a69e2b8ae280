"""Pure helpers behind ``selfservice tax`` (the lead wires the command; this only formats).

``withholding_lines`` prints one ``INCOME<TAB>WITHHELD`` line per income, from
an imported official table when given, else from the computed table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from backend.domain.errors import InvalidValue
from backend.domain.money import Number
from backend.domain.payroll.tax import TaxTable, parse_table_file, withholding
from backend.domain.text import Text

_INCOME = re.compile(r"^-?\d+([.,]\d{1,2})?$")


def parse_income(text: str) -> Decimal:
    """A monthly income as typed: ``30000``, ``30 000``, ``30000.50`` or ``30000,50``."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
    if not _INCOME.match(cleaned):
        raise InvalidValue(
            Text(
                sv=f"{text!r} är inte ett belopp i kronor (t.ex. 30000 eller 30000,50).",
                en=f"{text!r} is not an amount in kronor (e.g. 30000 or 30000.50).",
            ),
            field="income",
            code="tax.bad_income",
        )
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern guarantees a number
        raise InvalidValue(
            Text(sv="Felaktigt belopp.", en="Bad amount."), field="income", code="tax.bad_income"
        ) from None


def _format(value: Decimal) -> str:
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


def withholding_lines(
    year: int,
    table: int,
    column: int,
    incomes: Iterable[Number | str],
    *,
    imported: TaxTable | None = None,
) -> list[str]:
    """One ``INCOME<TAB>WITHHELD`` line per income (strings are parsed with ``parse_income``)."""
    lines: list[str] = []
    for raw in incomes:
        income = parse_income(raw) if isinstance(raw, str) else Decimal(raw) if isinstance(raw, int) else raw
        if not isinstance(income, Decimal):
            income = parse_income(str(income))
        withheld = withholding(year, table, column, income, imported=imported)
        lines.append(f"{_format(income)}\t{_format(withheld)}")
    return lines


def import_table_text(text: str, *, year: int | None = None) -> TaxTable:
    """Parse the official monthly table text (see ``tax_table``); errors name the line."""
    return parse_table_file(text, year=year)


def import_table_bytes(data: bytes, *, year: int | None = None) -> TaxTable:
    """Decode (UTF-8, BOM optional) and parse an uploaded table file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidValue(
            Text(
                sv=f"Skattetabellfilen är inte UTF-8 (byte {exc.start}).",
                en=f"The tax table file is not UTF-8 (byte {exc.start}).",
            ),
            field="file",
            code="tax.table_file_invalid",
        ) from None
    return import_table_text(text, year=year)


def import_table_file(path: str | Path, *, year: int | None = None) -> TaxTable:
    """Read and parse a table file from disk (the only I/O here; everything else is pure)."""
    return import_table_bytes(Path(path).read_bytes(), year=year)
