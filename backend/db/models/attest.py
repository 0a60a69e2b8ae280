"""One approval record per submitted thing, whatever its kind.

Expense claims, travel claims, time weeks and leave requests each keep their details in
their own tables; their approval state lives here only, so the manager's inbox, the
archive and the lead-time insight read one table, and one state machine governs them all.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlmodel import Field, Index, UniqueConstraint

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC, Decimal2, JsonB, Money


class AttestItem(Record, table=True):
    __table_args__ = (
        UniqueConstraint("kind", "subject_id"),
        Index("ix_attestitem_inbox", "organisation_id", "state", "approver_employee_id"),
        Index("ix_attestitem_employee", "organisation_id", "employee_id", "state"),
        Index("ix_attestitem_decided", "organisation_id", "decided_at"),  # the archive, newest decision first
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    kind: str = Field(max_length=20, description="expense_claim | travel_claim | time_week | leave_request")
    subject_id: UUID = Field(description="The claim, week or request this approval is for")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    approver_employee_id: UUID | None = Field(
        default=None, foreign_key="employee.id", ondelete="SET NULL", description="Whose inbox; None = payroll's"
    )
    state: str = Field(max_length=12, description="submitted | approved | returned | locked")
    version: int = Field(default=1, description="Bumped on every transition; guards concurrent decisions")
    title: str = Field(max_length=200, description="In Swedish; the name an employee gave it, as written")
    title_en: str | None = Field(default=None, max_length=200, description="In English; None: the same as title")
    amount: Decimal | None = Field(default=None, sa_type=Money)
    hours: Decimal | None = Field(default=None, sa_type=Decimal2)
    first_submitted_at: datetime = Field(sa_type=DateTimeUTC)
    submitted_at: datetime = Field(sa_type=DateTimeUTC, index=True)
    decided_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    decided_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    on_behalf_of_employee_id: UUID | None = Field(default=None, foreign_key="employee.id", ondelete="SET NULL")
    return_reason: str | None = Field(default=None, max_length=1000)
    pay_period: str | None = Field(default=None, max_length=7, description="YYYY-MM of the pay it reaches")
    pay_run_id: UUID | None = Field(default=None, index=True)
    times_returned: int = Field(default=0)
    warnings: list[dict[str, str]] = Field(
        default_factory=list, sa_type=JsonB, description="Found at submission: duplicates, policy problems"
    )


class Delegation(Record, table=True):
    """A substitute attests for a manager during a period, acting as themselves ("on behalf of")."""

    __table_args__ = (Index("ix_delegation_substitute", "organisation_id", "substitute_employee_id", "valid_to"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    manager_employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE", index=True)
    substitute_employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    valid_from: date
    valid_to: date
    created_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    ended_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
