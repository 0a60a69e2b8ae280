"""The payslip as the API shows it: net pay first, lines with their explanations, what is pending."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.core.problems import ProblemDetails
from backend.core.schemas import Input, Output


class DetailView(Output):
    """A sub-line showing how a line adds up (days, meal reductions, kilometres); not in any total."""

    text: str
    quantity: Decimal | None
    unit: str | None
    rate: Decimal | None
    amount: Decimal


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
    details: list[DetailView] = msgspec.field(default_factory=list)


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


class EmployerView(Output):
    name: str
    org_number: str | None


class VacationView(Output):
    """Vacation days in the pay period's year (semestersaldo); see ``PayslipVacation``."""

    year: int
    paid_days: Decimal
    """The year's paid vacation days (entitlement)."""
    taken: Decimal
    """Approved days up to the end of the pay period."""
    planned: Decimal
    """Approved days after the period and days waiting for attest."""
    remaining: Decimal
    unpaid_days: Decimal
    saved_days: Decimal | None
    """None: saved days are not recorded by the product."""
    explanation: str


class PayslipView(Output):
    employer: EmployerView | None
    """None on payslips stored before the employer was recorded on them."""
    employee_id: UUID
    employee_name: str
    employee_number: str | None
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
    vacation: VacationView | None
    """None on payslips stored before the balance was recorded on them."""
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
    """One page of the rows (``offset``, ``limit``), in the order asked for (``sort``, ``direction``)."""
    finalised: bool = False
    """A paid period: the figures are the stored payslips of its runs, not a new computation."""
    warnings: list[WarningView] = msgspec.field(default_factory=list)
    """For payroll, once for the whole period: e.g. the pay date's year has no figures loaded yet (what to load)."""
    offset: int = 0
    limit: int = 0
    sort: str = "warnings"
    direction: str = "descending"
    snapshot: str | None = None
    """Names these computed figures: asking for another page or order with it reads them again instead of
    computing anew (while this process keeps them); a different one in the answer means they were computed anew."""


class PayRunIn(Input):
    period: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}$")]
    extra: bool = False
    """An extra run in a month already paid: claims and corrections approved since."""
    preview: str | None = None
    """The ``fingerprint`` of the preview payroll confirmed: the run is refused (409) if it would now pay otherwise."""


class PreviewLine(Output):
    text: str
    amount: Decimal


class PayRunPreviewRow(Output):
    """One employee the run will pay, and what."""

    employee_id: UUID
    employee_name: str
    employee_number: str
    gross_pay: Decimal
    tax: Decimal
    net_pay: Decimal
    lines: list[PreviewLine]


class PayRunPreview(Output):
    """Exactly what finalising would pay now, computed by the same code as the finalising itself."""

    period: str
    extra: bool
    sequence: int
    pay_date: date
    cut_off: date
    employees: int
    gross_pay: Decimal
    tax: Decimal
    net_pay: Decimal
    employer_contributions: Decimal
    locked_items: int
    rows: list[PayRunPreviewRow]
    """The first ``limit`` employees by name (totals and ``fingerprint`` cover everyone; the overview lists all)."""
    fingerprint: str


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


class PayRunRequestView(Output):
    """A pay run payroll asked for: ``waiting`` while its job pays it, then ``done`` (``pay_run``) or ``refused``."""

    id: UUID
    period: str
    extra: bool
    state: Literal["waiting", "done", "refused"]
    requested_at: datetime
    finished_at: datetime | None
    pay_run: PayRunView | None
    problem: ProblemDetails | None
    """Why it was refused: ``preview_changed`` (review again), ``already_paid``, ``nothing_to_pay``, ..."""
