"""What every reader of a payslip's sources shares: the facts gathered per employee, and how they are queried.

One query per kind of fact whatever the number of employees (``chunks`` of ids, ``among`` on PostgreSQL as one
array parameter), so the preliminary payroll of a whole organisation costs a handful of round trips.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from backend.db.models import AttestItem, Organisation, PayRun, Payslip
from backend.domain.calendar import PayPeriod, worked_month
from backend.domain.payslip import inputs as engine

CHUNK = 5000


def chunks(ids: Sequence[UUID]) -> Iterable[Sequence[UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class Paid(Protocol):
    """What a payslip reads of the employee: an ``Employee`` row, or a ``Person`` (its columns alone)."""

    @property
    def id(self) -> UUID: ...
    @property
    def employee_number(self) -> str: ...
    @property
    def full_name(self) -> str: ...
    @property
    def birth_date(self) -> date: ...
    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date | None: ...
    @property
    def tax_table(self) -> int | None: ...
    @property
    def tax_column(self) -> int | None: ...


class Person(NamedTuple):
    """The columns of an employee a payslip reads: a payroll of thousands builds no ORM objects for them."""

    id: UUID
    employee_number: str
    full_name: str
    birth_date: date
    start_date: date
    end_date: date | None
    tax_table: int | None
    tax_column: int | None


def among(session: AsyncSession, column: Any, ids: Sequence[Any]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as one array parameter (``= ANY``) instead of one parameter per id:
    rendering and sending thousands of parameters per query was a tenth of a payroll worker's time."""
    target: ColumnElement[Any] = column  # a model attribute: a column expression
    if session.get_bind().dialect.name == "postgresql":
        return target == any_(bindparam(None, list(ids), type_=ARRAY(target.type)))
    return target.in_(ids)


@dataclass
class Facts:
    """Raw facts about one employee, gathered before they become engine inputs."""

    employee: Paid
    terms: list[tuple[datetime, engine.EmploymentTerms]] = field(default_factory=list)
    """The employment's terms with when each was recorded (a later one for the same day corrects)."""
    expenses: list[engine.ApprovedExpense] = field(default_factory=list)
    travel: list[engine.ApprovedTravelClaim] = field(default_factory=list)
    time: list[engine.TimeRow] = field(default_factory=list)
    pending: list[engine.PendingItem] = field(default_factory=list)
    payslips: list[Payslip] = field(default_factory=list)
    included_items: dict[str, UUID] = field(default_factory=dict)
    """Subject id (as on payslip lines) -> attest item id, to lock what a pay run pays."""
    leave_items: dict[UUID, AttestItem] = field(default_factory=dict)
    leave: list[engine.ApprovedLeave] = field(default_factory=list)
    absence_paid_earlier: set[tuple[date, engine.TimeCode]] = field(default_factory=set)
    wellness_allowance: Decimal | None = None


async def latest_run(session: AsyncSession, organisation_id: UUID) -> PayRun | None:
    return (
        await session.execute(
            select(PayRun)
            .where(col(PayRun.organisation_id) == organisation_id, col(PayRun.sequence) == 0)
            .order_by(col(PayRun.period).desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def settled_through(session: AsyncSession, organisation: Organisation) -> date | None:
    """The last day of the time the last regular run settled (None before the first run).

    Items across that day (a week over a month's end, a leave over several months) are locked but
    still have later days to pay.
    """
    latest = await latest_run(session, organisation.id)
    if latest is None:
        return None
    period = PayPeriod.parse(latest.period)
    return worked_month(period, in_arrears=organisation.variable_pay_in_arrears).last_day()
