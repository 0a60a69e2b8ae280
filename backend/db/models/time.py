"""Time reporting: weeks with rows of hours per day, locked days, leave requests and vacation days.

A week's approval state lives in ``AttestItem`` (kind ``time_week``), a leave request's too
(kind ``leave_request``); these tables hold only what was reported.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from uuid import UUID

from sqlmodel import Field, Index, UniqueConstraint

from backend.db.models.base import Record
from backend.db.types import Decimal2


class TimeWeek(Record, table=True):
    """One employee's ISO week (Monday ``week_start`` to Sunday, Stockholm dates)."""

    __table_args__ = (
        UniqueConstraint("employee_id", "week_start"),
        Index("ix_timeweek_org_week", "organisation_id", "week_start"),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    week_start: date
    comment: str | None = Field(default=None, max_length=1000)


class TimeRow(Record, table=True):
    """A row of the week: one time code on one node of the project tree (any level)."""

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    week_id: UUID = Field(foreign_key="timeweek.id", ondelete="CASCADE", index=True)
    position: int
    code: str = Field(max_length=30)
    project_id: UUID | None = Field(default=None, foreign_key="project.id", ondelete="SET NULL")
    comment: str | None = Field(default=None, max_length=500)
    support_code: str | None = Field(default=None, max_length=40)
    invoice_text: str | None = Field(default=None, max_length=500)


class TimeEntry(Record, table=True):
    """Hours of one row on one day, with optional clock times (OB is derived from them)."""

    __table_args__ = (
        UniqueConstraint("row_id", "day"),
        Index("ix_timeentry_employee_day", "employee_id", "day", "code"),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    week_id: UUID = Field(foreign_key="timeweek.id", ondelete="CASCADE", index=True)
    row_id: UUID = Field(foreign_key="timerow.id", ondelete="CASCADE")
    day: date
    code: str = Field(max_length=30, description="The row's code, repeated so day queries need no join")
    hours: Decimal = Field(sa_type=Decimal2)
    start_time: time | None = None
    end_time: time | None = None


class TimeLock(Record, table=True):
    """Days locked by payroll ("spärrad dag"), for one employee or (``employee_id`` None) everyone."""

    __table_args__ = (Index("ix_timelock_org_days", "organisation_id", "first_day", "last_day"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    employee_id: UUID | None = Field(default=None, foreign_key="employee.id", ondelete="CASCADE")
    first_day: date
    last_day: date
    reason: str | None = Field(default=None, max_length=200)
    reason_en: str | None = Field(default=None, max_length=200)
    """The reason in English when the server wrote it (a pay run's lock); one typed by payroll has one language."""
    created_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")


class LeaveRequest(Record, table=True):
    """An application for leave (vacation) from ``first_day`` to ``last_day``, attested like other items."""

    __table_args__ = (Index("ix_leaverequest_employee_days", "employee_id", "first_day", "last_day"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    kind: str = Field(default="vacation", max_length=20, description="vacation | parental_leave | unpaid_leave")
    first_day: date
    last_day: date
    days: Decimal = Field(sa_type=Decimal2, description="Working days requested")
    comment: str | None = Field(default=None, max_length=500)


class VacationEntitlement(Record, table=True):
    """Vacation days an employee has in a year when it differs from the default (set by payroll)."""

    __table_args__ = (UniqueConstraint("employee_id", "year"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    year: int
    days: Decimal = Field(sa_type=Decimal2)
