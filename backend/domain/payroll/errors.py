"""Payroll rule violations (stable codes; English and Swedish messages)."""

from __future__ import annotations

from backend.domain.errors import DomainError


class UnknownTaxTable(DomainError):
    code = "tax.unknown_table"

    def __init__(self, table: object, detail_en: str = "", detail_sv: str = "") -> None:
        super().__init__(
            f"Unknown tax table {table!r}.{' ' + detail_en if detail_en else ''}",
            f"Okänd skattetabell {table!r}.{' ' + detail_sv if detail_sv else ''}",
            field="tax_table",
        )


class UnknownTaxColumn(DomainError):
    code = "tax.unknown_column"

    def __init__(self, column: object) -> None:
        super().__init__(
            f"Unknown tax table column {column!r}; columns are 1-6.",
            f"Okänd kolumn {column!r} i skattetabellen; kolumnerna är 1-6.",
            field="tax_column",
        )


class TaxTableFormatError(DomainError):
    """The imported table file does not follow Skatteverket's fixed-width format."""

    code = "tax.table_file_invalid"

    def __init__(self, line: int, problem_en: str, problem_sv: str) -> None:
        super().__init__(
            f"Tax table file, line {line}: {problem_en}",
            f"Skattetabellfilen, rad {line}: {problem_sv}",
            field="file",
        )
        self.line = line


class NegativeAmount(DomainError):
    code = "payroll.negative_amount"

    def __init__(self, field: str) -> None:
        super().__init__(
            f"{field} must not be negative.",
            f"{field} får inte vara negativt.",
            field=field,
        )


class VacationSupplementBelowMinimum(DomainError):
    code = "vacation.supplement_below_minimum"
