"""The manager's inbox, decisions, delegations, the archive and lead-time insight."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

import msgspec

from backend.core.schemas import Count, Input, Output

if TYPE_CHECKING:
    from backend.db.models import AttestItem

Kind = Literal["expense_claim", "travel_claim", "time_week", "leave_request"]
ItemState = Literal["draft", "submitted", "approved", "returned", "locked"]
"""Where an employee's claim, week or request stands: a draft until sent, then its attest item's state."""


def item_state(item: AttestItem | None) -> ItemState:
    """The state as the API names it: no attest record yet is a draft."""
    return "draft" if item is None else item.state  # type: ignore[return-value]


Reason = Annotated[str, msgspec.Meta(max_length=1000)]


class PersonRef(Output):
    id: UUID
    name: str


class ItemWarning(Output):
    code: str
    message: str


class CutOff(Output):
    date: dt.date
    """Attest by this day ..."""
    pay_period: str
    """... and the item reaches this month's pay (YYYY-MM)."""
    pay_date: dt.date


class InboxItem(Output):
    id: UUID
    kind: Kind
    subject_id: UUID
    version: int
    employee: PersonRef
    title: str
    amount: Decimal | None
    hours: Decimal | None
    submitted_at: datetime
    days_waiting: int
    cutoff: CutOff
    """If approved today: the pay it reaches, and the cut-off that decides it."""
    warnings: list[ItemWarning]
    on_behalf_of: PersonRef | None
    """Set when you see the item as a substitute for this manager."""
    times_returned: int


class Inbox(Output):
    items: list[InboxItem]
    total: int
    next_cutoff: CutOff


class Decision(Input):
    item_id: UUID
    action: Literal["approve", "return"]
    reason: Reason | None = None
    version: Count | None = None
    """The version you saw; if the item changed since, you get a conflict instead of acting on news you did not see."""


class DecisionIn(Input):
    reason: Reason | None = None
    version: Count | None = None


class BulkDecisions(Input):
    decisions: Annotated[list[Decision], msgspec.Meta(min_length=1, max_length=500)]


class DecisionOutcome(Output):
    item_id: UUID
    ok: bool
    status: int
    code: str
    message: str
    state: str | None = None
    pay_period: str | None = None


class BulkOutcome(Output):
    approved: int
    returned: int
    failed: int
    outcomes: list[DecisionOutcome]


class HistoryEntry(Output):
    occurred_at: datetime
    action: str
    actor: str | None
    on_behalf_of: str | None
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ItemView(Output):
    id: UUID
    kind: Kind
    subject_id: UUID
    version: int
    state: str
    employee: PersonRef
    title: str
    amount: Decimal | None
    hours: Decimal | None
    first_submitted_at: datetime
    submitted_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    on_behalf_of: PersonRef | None
    return_reason: str | None
    pay_period: str | None
    times_returned: int
    warnings: list[ItemWarning]
    can_decide: bool
    days_waiting: int
    cutoff: CutOff
    """If approved today: the pay it reaches, and the cut-off that decides it."""
    detail: Any
    """The item itself as its area shows it: lines, receipt images, computed explanations."""
    history: list[HistoryEntry]


class DelegationIn(Input):
    substitute_employee_id: UUID
    valid_from: date
    valid_to: date
    manager_employee_id: UUID | None = None
    """Payroll may set up a delegation for any manager; managers for themselves (the default)."""


class Candidate(Output):
    id: UUID
    name: str


class DelegationView(Output):
    id: UUID
    manager: PersonRef
    substitute: PersonRef
    valid_from: date
    valid_to: date
    active: bool
    ended_at: datetime | None


class ArchiveItem(Output):
    id: UUID
    kind: Kind
    subject_id: UUID
    employee: PersonRef
    title: str
    amount: Decimal | None
    hours: Decimal | None
    state: str
    submitted_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    on_behalf_of: PersonRef | None
    return_reason: str | None
    pay_period: str | None


class LeadTimeView(Output):
    decided: int
    median_days: Decimal | None
    p90_days: Decimal | None
    returned_share: Decimal | None
    waiting_over_limit: int


class ManagerLeadTime(LeadTimeView):
    manager: PersonRef
    team: str | None


class Insight(Output):
    from_date: date
    to_date: date
    waiting_limit_days: int
    overall: LeadTimeView
    by_manager: list[ManagerLeadTime]
    by_team: dict[str, LeadTimeView]


class AttestView(Output):
    item_id: UUID
    """The attest item (what an error report about the item names)."""
    state: str
    submitted_at: datetime
    decided_at: datetime | None
    return_reason: str | None
    pay_period: str | None
    times_returned: int
