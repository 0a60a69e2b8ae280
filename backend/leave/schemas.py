"""Leave requests (vacation applications) and vacation days as the API shows them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.attest.schemas import AttestView, HistoryEntry, ItemState, PersonRef
from backend.core.schemas import Days, Input, Output

LeaveKind = Literal["vacation", "parental_leave", "unpaid_leave"]


class LeaveRequestIn(Input):
    first_day: date
    last_day: date
    kind: LeaveKind = "vacation"
    comment: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class VacationBalanceView(Output):
    employee: PersonRef
    year: int
    entitlement: Decimal
    """Vacation days this year (25 by law unless payroll set another number)."""
    approved: Decimal
    """Days in approved requests."""
    pending: Decimal
    """Days in requests waiting for attest."""
    remaining: Decimal


class WorkingDaysView(Output):
    """The working days a leave from ``first_day`` to ``last_day`` takes (weekends and public holidays do not count)."""

    first_day: date
    last_day: date
    days: Decimal


class LeaveRequestView(Output):
    id: UUID
    employee: PersonRef
    kind: LeaveKind
    kind_name: str
    first_day: date
    last_day: date
    days: Decimal
    """Working days in the range (weekends and holidays are free anyway)."""
    comment: str | None
    state: ItemState
    editable: bool
    balance: VacationBalanceView | None
    """For vacation: the year of the first day."""
    attest: AttestView | None
    history: list[HistoryEntry]


class EntitlementIn(Input):
    days: Days
