"""Periods, export batches, their rows and the export configuration as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from backend.core.problems import ProblemDetails
from backend.core.schemas import Input, Output

Period = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]


class BatchView(Output):
    id: UUID
    period: str
    sequence: int
    """1 for the period's first batch; a reopened period closed again makes the next."""
    created_at: datetime
    created_by: str | None
    items: int
    transactions: int
    vouchers: int
    reversals: int
    """Items whose earlier export this batch reverses (corrected after export)."""
    total_amount: Decimal
    paxml_sha256: str
    sie_sha256: str


class WaitingCounts(Output):
    submitted: int
    returned: int


class WaitingItem(Output):
    id: UUID
    title: str
    employee: str
    state: str


class PeriodView(Output):
    period: str
    cutoff: date
    pay_date: date
    state: Literal["open", "closing", "closed"]
    """``closing``: payroll asked for the close and its job is making the batch (ask again for the outcome)."""
    closable: bool
    """Open and past its cut-off (``backend.domain.calendar.may_close``): closing it now is allowed."""
    close_requested_at: datetime | None
    close_problem: ProblemDetails | None
    """Why the last close was refused (the export's problem, each employee's error listed), while open again."""
    closed_at: datetime | None
    closed_by: str | None
    waiting: WaitingCounts
    """Items submitted up to the period's end that are still waiting for attest, or returned."""
    ready: int
    """Approved items of the period (or earlier) not exported yet: what a close would freeze."""
    batches: list[BatchView]
    waiting_items: list[WaitingItem] | None = None
    """Only for one period (``GET /api/payroll/periods/{period}``), at most 200."""


class ReopenIn(Input):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class ExportRowView(Output):
    """One transaction of a batch: what an error report can point at."""

    position: int
    item_id: UUID
    item_title: str | None
    employee_id: UUID
    employee: str
    employee_number: str
    section: str
    code: str
    pay_type: str
    day: date
    text: str
    hours: Decimal | None
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal | None
    reversal: bool


class ExportRows(Output):
    total: int
    offset: int
    limit: int
    rows: list[ExportRowView]


class ConfigurationView(Output):
    """The code mapping or chart as JSON: the TOML file's tables and keys."""

    kind: str
    default: bool
    """True while nothing is stored: the defaults apply."""
    changed_at: datetime | None
    changed_by: str | None
    document: dict[str, Any]


class ConfigurationIn(Input):
    document: dict[str, Any]
