"""Employees and their employment terms as the API shows them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.core.schemas import Count, Email, Input, Money, Output, Percent, WeekHours

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
PersonalIdentityNumber = Annotated[
    str,
    msgspec.Meta(min_length=1, max_length=20, description="Personnummer, 12 digits YYYYMMDDNNNC (a dash is allowed)"),
]
EmployeeNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$")]
PayType = Literal["monthly", "hourly"]


class EmploymentInput(Input):
    valid_from: date | None = None
    """Defaults to the start date for a new employee."""
    pay_type: PayType = "monthly"
    monthly_salary: Money | None = None
    hourly_wage: Money | None = None
    weekly_hours: WeekHours = Decimal(40)
    employment_rate: Percent = Decimal(100)
    """Percent of full time."""
    correction: bool = False
    """Replace the terms already recorded from ``valid_from`` (a change entered wrongly) instead of
    refusing the date; retro nets against what was paid under the earlier version."""


class RetroLineView(Output):
    work_period: str
    """The paid month the retro is for (YYYY-MM)."""
    text: str
    amount: Decimal


class RetroNotice(Output):
    """New terms dated into months already paid: the retro the next open payslip will carry."""

    message: str
    period: str
    """The pay period (YYYY-MM) whose payslip carries the retro."""
    total: Decimal
    lines: list[RetroLineView]


class EmploymentView(Output):
    id: UUID
    valid_from: date
    pay_type: PayType
    monthly_salary: Decimal | None
    hourly_wage: Decimal | None
    weekly_hours: Decimal
    employment_rate: Decimal
    retro: RetroNotice | None = None
    """Only on the terms just added, when they reach back into paid months."""


class EmployeeSummary(Output):
    id: UUID
    employee_number: str
    name: str
    email: str
    manager_id: UUID | None
    cost_centre_id: UUID | None
    start_date: date
    end_date: date | None


class EmployeeView(Output):
    id: UUID
    employee_number: str
    first_name: str
    last_name: str
    name: str
    email: str
    birth_date: date
    personal_identity_number: str | None
    """Personnummer: shown to the employee themselves, payroll and admin; None to others and when not registered."""
    manager_id: UUID | None
    manager_name: str | None
    cost_centre_id: UUID | None
    start_date: date
    end_date: date | None
    tax_table: int | None
    tax_column: int | None
    employment: EmploymentView | None = None
    """Current terms; only shown to the employee and to payroll (pay is private)."""


class EmployeeCreate(Input):
    employee_number: EmployeeNumber
    first_name: Name
    last_name: Name
    email: Email
    birth_date: date
    start_date: date
    employment: EmploymentInput
    personal_identity_number: PersonalIdentityNumber | None = None
    manager_id: UUID | None = None
    cost_centre_id: UUID | None = None
    tax_table: Count | None = None
    tax_column: Count | None = None
    end_date: date | None = None


class EmployeeUpdate(Input):
    first_name: Name | None = None
    last_name: Name | None = None
    email: Email | None = None
    manager_id: UUID | None = None
    clear_manager: bool = False
    personal_identity_number: PersonalIdentityNumber | None = None
    """Checked against the birth date (Luhn and date); unique in the organisation."""
    clear_personal_identity_number: bool = False
    cost_centre_id: UUID | None = None
    tax_table: Count | None = None
    tax_column: Count | None = None
    end_date: date | None = None
