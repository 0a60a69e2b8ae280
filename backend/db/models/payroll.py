"""Pay runs, the immutable payslips they produced, and imported official tax tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlmodel import Field, Index, UniqueConstraint

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC, JsonB, Money


class PayRun(Record, table=True):
    """A finalised pay run: the regular one for a month, or an extra run (``sequence`` > 0)."""

    __table_args__ = (UniqueConstraint("organisation_id", "period", "sequence"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    period: str = Field(max_length=7, description="YYYY-MM")
    sequence: int = Field(default=0, description="0 = the regular run, 1.. = extra runs")
    pay_date: date
    finalised_at: datetime = Field(sa_type=DateTimeUTC)
    finalised_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    employees: int = 0
    gross_pay: Decimal = Field(default=Decimal(0), sa_type=Money)
    net_pay: Decimal = Field(default=Decimal(0), sa_type=Money)
    tax: Decimal = Field(default=Decimal(0), sa_type=Money)
    employer_contributions: Decimal = Field(default=Decimal(0), sa_type=Money)


class PayRunRequest(Record, table=True):
    """Payroll asked for a pay run; a job finalises it (``backend.payslips.finalising``) and records the outcome.

    One request waits per organisation at a time (a partial unique index): runs are made in turn.
    """

    __table_args__ = (
        Index(
            "ix_payrunrequest_one_waiting",
            "organisation_id",
            unique=True,
            sqlite_where=text("state = 'waiting'"),
            postgresql_where=text("state = 'waiting'"),
        ),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    period: str = Field(max_length=7, description="YYYY-MM")
    extra: bool = False
    fingerprint: str | None = Field(default=None, max_length=64, description="The preview payroll confirmed")
    requested_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    requested_at: datetime = Field(sa_type=DateTimeUTC)
    state: str = Field(default="waiting", max_length=8, description="waiting | done | refused")
    finished_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    pay_run_id: UUID | None = Field(default=None, foreign_key="payrun.id", ondelete="SET NULL")
    locked_items: int = 0
    problem: dict[str, Any] | None = Field(
        default=None, sa_type=JsonB, description="Why the run was refused, in both languages (problems.stored)"
    )


class Payslip(Record, table=True):
    """A finalised payslip, stored as it was shown: it never changes afterwards.

    The columns beside the snapshot are what later payslips need: the salary paid per
    month (for retroactive pay), the sick spells (for the karens limit), wellness paid
    and the year-to-date totals.
    """

    __table_args__ = (
        UniqueConstraint("pay_run_id", "employee_id"),
        Index("ix_payslip_employee_period", "organisation_id", "employee_id", "period"),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    pay_run_id: UUID = Field(foreign_key="payrun.id", ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    period: str = Field(max_length=7)
    pay_date: date
    gross_pay: Decimal = Field(sa_type=Money)
    taxable_pay: Decimal = Field(sa_type=Money)
    tax: Decimal = Field(sa_type=Money)
    tax_free: Decimal = Field(sa_type=Money)
    net_pay: Decimal = Field(sa_type=Money)
    employer_contributions: Decimal = Field(sa_type=Money)
    wellness_paid: Decimal = Field(default=Decimal(0), sa_type=Money)
    salary_paid: list[dict[str, str]] = Field(default_factory=list, sa_type=JsonB)
    sick_spells: list[dict[str, Any]] = Field(default_factory=list, sa_type=JsonB)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JsonB)


class TaxTableFile(Record, table=True):
    """Skatteverket's official monthly table file for a year; when present it is used instead of the computed table."""

    year: int = Field(unique=True)
    sha256: str = Field(max_length=64)
    content: str
    imported_by: str | None = Field(default=None, max_length=200)


class RatesFile(Record, table=True):
    """A year's figures loaded as data (``selfservice rates import``, the se-<year>.toml format).

    Stored here so every process sees them; it wins over the file shipped in the package for that year.
    """

    year: int = Field(unique=True)
    sha256: str = Field(max_length=64)
    content: str
    imported_by: str | None = Field(default=None, max_length=200)
