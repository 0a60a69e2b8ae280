"""The payslip as the API shows it: net pay first, lines with their explanations, what is pending."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

from backend.core.schemas import Input, Output


class LineView(Output):
    code: str
    group: str
    text: str
    quantity: Decimal | None
    unit: str | None
    rate: Decimal | None
    amount: Decimal
    taxable: bool
    cash: bool
    work_period: str | None
    source_ids: list[str]
    explanation: str


class PendingView(Output):
    item_id: str
    kind: str
    status: str
    approved: bool
    can_reach_this_payslip: bool
    text: str
    amount: Decimal | None
    hours: Decimal | None
    submitted_on: date | None
    explanation: str


class WarningView(Output):
    code: str
    message: str


class TaxView(Output):
    year: int
    table: int | None
    column: int
    column_derived_from_age: bool
    taxable_pay: Decimal
    tax: Decimal
    explanation: str


class ContributionPartView(Output):
    base: Decimal
    rate: Decimal
    amount: Decimal
    explanation: str


class ContributionsView(Output):
    total: Decimal
    parts: list[ContributionPartView]


class YearToDateView(Output):
    year: int
    gross_pay: Decimal
    taxable_pay: Decimal
    tax: Decimal
    net_pay: Decimal
    employer_contributions: Decimal
    tax_free: Decimal


class PayslipView(Output):
    employee_id: UUID
    employee_name: str
    period: str
    pay_date: date
    cut_off: date
    preliminary: bool
    extra_run: bool
    pay_run_id: UUID | None
    computed_on: date
    net_pay: Decimal
    gross_pay: Decimal
    taxable_benefits: Decimal
    taxable_pay: Decimal
    tax_free: Decimal
    tax: Decimal
    lines: list[LineView]
    tax_basis: TaxView
    employer_contributions: ContributionsView
    employer_cost: Decimal
    year_to_date: YearToDateView
    pending: list[PendingView]
    warnings: list[WarningView]


class PayslipSummary(Output):
    """One row of a list: a past payslip, or the coming preliminary one."""

    period: str
    pay_date: date
    preliminary: bool
    extra_run: bool
    pay_run_id: UUID | None
    gross_pay: Decimal
    net_pay: Decimal


class OverviewRow(Output):
    employee_id: UUID
    employee_name: str
    employee_number: str
    gross_pay: Decimal
    tax: Decimal
    net_pay: Decimal
    employer_contributions: Decimal
    pending_items: int
    pending_amount: Decimal
    warnings: list[WarningView]


class Overview(Output):
    period: str
    pay_date: date
    cut_off: date
    employees: int
    gross_pay: Decimal
    tax: Decimal
    net_pay: Decimal
    employer_contributions: Decimal
    pending_items: int
    with_warnings: int
    rows: list[OverviewRow]
    warnings: list[WarningView] = msgspec.field(default_factory=list)
    """For payroll, once for the whole period: e.g. the pay date's year has no figures loaded yet (what to load)."""


class PayRunIn(Input):
    period: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}$")]
    extra: bool = False
    """An extra run in a month already paid: claims and corrections approved since."""


class PayRunView(Output):
    id: UUID
    period: str
    sequence: int
    pay_date: date
    finalised_at: datetime
    employees: int
    gross_pay: Decimal
    net_pay: Decimal
    tax: Decimal
    employer_contributions: Decimal
    locked_items: int
