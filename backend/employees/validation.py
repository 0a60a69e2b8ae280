"""Checks on employee input that msgspec's types cannot express, each with a clear message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.core.i18n import Text
from backend.core.problems import FieldError
from backend.domain.rates import available_years, rates_for
from backend.employees.schemas import EmploymentInput

TAX_COLUMNS = range(1, 7)


def _amount(field: str, value: Decimal | None, low: Decimal, high: Decimal, what: Text) -> list[FieldError]:
    if value is None:
        return []
    if not (low < value <= high) or value != value.quantize(Decimal("0.01")):
        return [
            FieldError(
                field,
                "out_of_range",
                Text(
                    sv=f"{what.sv} ska vara över {low} och högst {high}, med högst två decimaler",
                    en=f"{what.en} must be above {low} and at most {high}, with at most two decimals",
                ),
            )
        ]
    return []


def employment_errors(data: EmploymentInput, prefix: str = "") -> list[FieldError]:
    errors: list[FieldError] = []
    if data.pay_type == "monthly" and data.monthly_salary is None:
        errors.append(
            FieldError(f"{prefix}monthly_salary", "required", Text(sv="Ange månadslön", en="Enter the monthly salary"))
        )
    if data.pay_type == "hourly" and data.hourly_wage is None:
        errors.append(
            FieldError(f"{prefix}hourly_wage", "required", Text(sv="Ange timlön", en="Enter the hourly wage"))
        )
    errors += _amount(
        f"{prefix}monthly_salary",
        data.monthly_salary,
        Decimal(0),
        Decimal(10_000_000),
        Text(sv="Månadslönen", en="The monthly salary"),
    )
    errors += _amount(
        f"{prefix}hourly_wage",
        data.hourly_wage,
        Decimal(0),
        Decimal(100_000),
        Text(sv="Timlönen", en="The hourly wage"),
    )
    errors += _amount(
        f"{prefix}weekly_hours",
        data.weekly_hours,
        Decimal(0),
        Decimal(60),
        Text(sv="Veckoarbetstiden", en="Weekly hours"),
    )
    errors += _amount(
        f"{prefix}employment_rate",
        data.employment_rate,
        Decimal(0),
        Decimal(100),
        Text(sv="Sysselsättningsgraden", en="The employment rate"),
    )
    return errors


def tax_errors(table: int | None, column: int | None, year: int) -> list[FieldError]:
    """Table numbers are those Skatteverket publishes for the year (data, not a literal range)."""
    errors = []
    known = [y for y in available_years() if y <= year] or list(available_years())
    layout = rates_for(max(known)).tax.table_layout
    if table is not None and not layout.first_table <= table <= layout.last_table:
        span = f"{layout.first_table}-{layout.last_table}"
        errors.append(
            FieldError(
                "tax_table", "unknown_table", Text(sv=f"Skattetabell ska vara {span}", en=f"Tax table must be {span}")
            )
        )
    if column is not None and column not in TAX_COLUMNS:
        errors.append(
            FieldError("tax_column", "unknown_column", Text(sv="Kolumn ska vara 1-6", en="Column must be 1-6"))
        )
    return errors


def date_errors(birth_date: date | None, start: date | None, end: date | None, today: date) -> list[FieldError]:
    errors = []
    if birth_date is not None and not (date(today.year - 100, 1, 1) <= birth_date <= date(today.year - 13, 12, 31)):
        errors.append(
            FieldError("birth_date", "implausible", Text(sv="Orimligt födelsedatum", en="Implausible birth date"))
        )
    if start is not None and end is not None and end < start:
        errors.append(
            FieldError(
                "end_date", "before_start", Text(sv="Slutdatum före startdatum", en="End date before start date")
            )
        )
    return errors
