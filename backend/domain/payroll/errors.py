"""Payroll rule violations (stable codes; English and Swedish messages)."""

from __future__ import annotations

from decimal import Decimal

from backend.domain.errors import DomainError
from backend.domain.money import Number, as_decimal
from backend.domain.text import Text


class UnknownTaxTable(DomainError):
    code = "tax.unknown_table"

    def __init__(self, table: object, detail: Text | None = None) -> None:
        super().__init__(
            Text(
                sv=f"Okänd skattetabell {table!r}.{' ' + detail.sv if detail else ''}",
                en=f"Unknown tax table {table!r}.{' ' + detail.en if detail else ''}",
            ),
            field="tax_table",
        )


class UnknownTaxColumn(DomainError):
    code = "tax.unknown_column"

    def __init__(self, column: object) -> None:
        super().__init__(
            Text(
                sv=f"Okänd kolumn {column!r} i skattetabellen; kolumnerna är 1-6.",
                en=f"Unknown tax table column {column!r}; columns are 1-6.",
            ),
            field="tax_column",
        )


class TaxTableFormatError(DomainError):
    """The imported table file does not follow Skatteverket's fixed-width format."""

    code = "tax.table_file_invalid"

    def __init__(self, line: int, problem: Text) -> None:
        super().__init__(
            Text(sv=f"Skattetabellfilen, rad {line}: {problem.sv}", en=f"Tax table file, line {line}: {problem.en}"),
            field="file",
        )
        self.line = line


class NegativeAmount(DomainError):
    code = "payroll.negative_amount"

    def __init__(self, field: str) -> None:
        super().__init__(
            Text(sv=f"{field} får inte vara negativt.", en=f"{field} must not be negative."),
            field=field,
        )


def non_negative(value: Number, field: str) -> Decimal:
    """A payroll input as an exact ``Decimal``; amounts, days and hours are never negative."""
    amount = as_decimal(value, field=field)
    if amount < 0:
        raise NegativeAmount(field)
    return amount


class VacationSupplementBelowMinimum(DomainError):
    code = "vacation.supplement_below_minimum"
