"""The approved items of an export as plain facts (``ItemFacts``), read from the database in chunks.

One query per kind of fact and chunk of items, whatever their number; the same readings the
payslip uses (``backend.payslips.weeks``: time rows with their unsocial hours, travel days and
legs as the travel rules stored them, ``backend.payslips.attested``), so the export pays what the payslip shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.clock import STOCKHOLM
from backend.db.models import (
    AttestItem,
    CostCentre,
    Employee,
    Employment,
    Expense,
    LeaveRequest,
    Organisation,
    Project,
    TimeEntry,
    TimeRow,
    TravelClaim,
)
from backend.db.models.people import full_name
from backend.domain.attest import ItemKind
from backend.domain.exports.model import Dimensions, ExpenseFact, ItemFacts, Person, TimeFact, TravelFact
from backend.domain.payslip.inputs import TimeCode
from backend.domain.rates import agreement_profile
from backend.domain.time.vacation import working_days
from backend.domain.time.weeks import monday_of
from backend.payslips.attested import travel_days, travel_legs
from backend.payslips.weeks import time_rows
from backend.time.sick_days import ReportedDays, reported_before, week_spell_starts

CHUNK = 2000
FULL_WEEK_DAYS = Decimal(5)


def chunks(ids: Sequence[UUID], size: int = CHUNK) -> Iterable[Sequence[UUID]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class ItemRow(NamedTuple):
    """The columns of an attest item the export reads (a page of these, not ORM objects)."""

    id: UUID
    employee_id: UUID
    kind: str
    subject_id: UUID
    title: str
    version: int
    times_returned: int
    decided_at: datetime | None
    submitted_at: datetime


ITEM_COLUMNS = tuple(col(getattr(AttestItem, name)) for name in ItemRow._fields)


class Codes:
    """Cost centre and project codes by id, read once per export."""

    def __init__(self, centres: dict[UUID, str], projects: dict[UUID, str]) -> None:
        self.centres = centres
        self.projects = projects

    def dimensions(self, cost_centre_id: UUID | None, project_id: UUID | None) -> Dimensions:
        return Dimensions(
            cost_centre=self.centres.get(cost_centre_id) if cost_centre_id else None,
            project=self.projects.get(project_id) if project_id else None,
        )


async def codes(session: AsyncSession, organisation_id: UUID) -> Codes:
    centres = await session.execute(
        select(col(CostCentre.id), col(CostCentre.code)).where(col(CostCentre.organisation_id) == organisation_id)
    )
    projects = await session.execute(
        select(col(Project.id), col(Project.code)).where(col(Project.organisation_id) == organisation_id)
    )
    return Codes(dict(centres.tuples().all()), dict(projects.tuples().all()))


async def item_facts(
    session: AsyncSession, organisation: Organisation, items: Sequence[ItemRow], dims: Codes
) -> list[ItemFacts]:
    """Facts for ``items`` (one chunk: the caller splits), in the order given."""
    people = await session.execute(
        sa_select(
            col(Employee.id),
            col(Employee.employee_number),
            col(Employee.personal_identity_number),
            col(Employee.first_name),
            col(Employee.last_name),
        ).where(col(Employee.id).in_({i.employee_id for i in items}))
    )
    persons = {
        employee_id: Person(number, pin, full_name(first, last)) for employee_id, number, pin, first, last in people
    }
    by_kind: dict[str, list[ItemRow]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    expenses = await _expenses(session, [i.subject_id for i in by_kind[ItemKind.EXPENSE_CLAIM]], dims, "claim")
    trips = await _travel(session, [i.subject_id for i in by_kind[ItemKind.TRAVEL_CLAIM]], dims)
    receipts = await _expenses(session, list(trips), dims, "trip")
    time = await _time(session, organisation, by_kind[ItemKind.TIME_WEEK], dims)
    leave = await _leave(session, by_kind[ItemKind.LEAVE_REQUEST])
    found = []
    for item in items:
        person = persons[item.employee_id]
        approved_on = (item.decided_at or item.submitted_at).astimezone(STOCKHOLM).date()
        subject = item.subject_id
        found.append(
            ItemFacts(
                item_id=str(item.id),
                kind=item.kind,
                person=person,
                approved_on=approved_on,
                title=item.title,
                time=tuple(time.get(subject, ()) or leave.get(subject, ())),
                expenses=tuple(expenses.get(subject, ()) or receipts.get(subject, ())),
                travel=trips.get(subject),
            )
        )
    return found


def _vat(rows: list[dict[str, str]]) -> tuple[tuple[Decimal, Decimal], ...]:
    return tuple((Decimal(str(r["rate"])), Decimal(str(r["amount"]))) for r in rows)


async def _expenses(
    session: AsyncSession, subjects: Sequence[UUID], dims: Codes, of: str
) -> dict[UUID, list[ExpenseFact]]:
    """Expenses of expense claims (``of="claim"``) or the receipts of travel claims (``of="trip"``)."""
    found: dict[UUID, list[ExpenseFact]] = defaultdict(list)
    column = col(Expense.claim_id) if of == "claim" else col(Expense.travel_claim_id)
    # Columns, not ORM objects: an Expense carries four JSON columns the export never reads.
    wanted = (
        column,
        col(Expense.id),
        col(Expense.expense_date),
        col(Expense.created_at),
        col(Expense.amount_sek),
        col(Expense.vat),
        col(Expense.category),
        col(Expense.payment),
        col(Expense.merchant),
        col(Expense.purpose),
        col(Expense.cost_centre_id),
        col(Expense.project_id),
    )
    for chunk in chunks(subjects):
        rows = await session.execute(
            sa_select(*wanted)
            .where(column.in_(chunk))
            .order_by(col(Expense.expense_date), col(Expense.created_at), col(Expense.id))  # the same order every time
        )
        for owner, expense_id, day, created, amount, vat, category, payment, merchant, purpose, cc, pr in rows.tuples():
            assert owner is not None
            found[owner].append(
                ExpenseFact(
                    expense_id=str(expense_id),
                    day=day or created.astimezone(STOCKHOLM).date(),
                    amount_sek=amount or Decimal(0),
                    vat=_vat(vat),
                    category=category,
                    payment=payment,
                    text=merchant or purpose or "",
                    dimensions=dims.dimensions(cc, pr),
                )
            )
    return found


async def _travel(session: AsyncSession, subjects: Sequence[UUID], dims: Codes) -> dict[UUID, TravelFact]:
    found: dict[UUID, TravelFact] = {}
    for chunk in chunks(subjects):
        for trip in (await session.execute(select(TravelClaim).where(col(TravelClaim.id).in_(chunk)))).scalars():
            found[trip.id] = TravelFact(
                claim_id=str(trip.id),
                first_day=trip.departure_at.astimezone(STOCKHOLM).date(),
                last_day=trip.return_at.astimezone(STOCKHOLM).date(),
                country_code=trip.country_code,
                per_diem_tax_free=trip.per_diem_tax_free,
                per_diem_taxable=trip.per_diem_taxable,
                mileage_tax_free=trip.mileage_tax_free,
                mileage_taxable=trip.mileage_taxable,
                days=travel_days(trip.computation),
                legs=travel_legs(trip.computation),
                text=trip.destination or trip.purpose or "",
            )
    return found


async def _time(
    session: AsyncSession, organisation: Organisation, weeks: Sequence[ItemRow], dims: Codes
) -> dict[UUID, list[TimeFact]]:
    """Each reported day, plus the unsocial hours its clock times give (as the payslip reads them)."""
    profile = agreement_profile(organisation.agreement_profile)
    approved = {w.subject_id: (w.decided_at or w.submitted_at).date() for w in weeks}
    found: dict[UUID, list[TimeFact]] = defaultdict(list)
    employees: dict[UUID, UUID] = {}
    for chunk in chunks(list(approved)):
        rows = await session.execute(
            sa_select(TimeEntry, col(TimeRow.project_id))
            .join(TimeRow, col(TimeRow.id) == col(TimeEntry.row_id))
            .where(col(TimeEntry.week_id).in_(chunk))
            .order_by(col(TimeEntry.day), col(TimeRow.position))
        )
        for entry, project_id in rows.tuples():
            dimensions = dims.dimensions(None, project_id)
            employees[entry.week_id] = entry.employee_id
            for row in time_rows(entry, approved[entry.week_id], profile):
                found[entry.week_id].append(TimeFact(row.day, row.code, row.hours, dimensions))
    await _decide_qualifying_days(session, found, employees)
    return found


async def _decide_qualifying_days(
    session: AsyncSession, weeks: dict[UUID, list[TimeFact]], employees: dict[UUID, UUID]
) -> None:
    """Mark each sick day a spell's first with a karensavdrag, or not, as the time week showed it.

    A week's spell may go on from the week before, so the days reported before it count too
    (``week_spell_starts``, the time week's own reading); only weeks with sick days need them.
    """
    sick_weeks = {week_id: facts for week_id, facts in weeks.items() if any(f.code is TimeCode.SICK for f in facts)}
    mondays = {week_id: monday_of(min(f.day for f in facts)) for week_id, facts in sick_weeks.items()}
    for chunk in chunks(list(sick_weeks)):
        before = await reported_before(
            session,
            {employees[w] for w in chunk},
            min(mondays[w] for w in chunk),
            max(mondays[w] for w in chunk),
        )
        for week_id in chunk:
            facts, this_week = sick_weeks[week_id], ReportedDays()
            for fact in facts:
                if fact.hours:
                    this_week.add(fact.day, fact.code.value)
            starts = week_spell_starts(mondays[week_id], this_week, before[employees[week_id]])
            weeks[week_id] = [
                replace(f, qualifying_day=f.day in starts and starts[f.day].qualifying_day)
                if f.code is TimeCode.SICK
                else f
                for f in facts
            ]


async def _leave(session: AsyncSession, requests: Sequence[ItemRow]) -> dict[UUID, list[TimeFact]]:
    """A leave request as its working days, each a day's hours by the employee's terms."""
    found: dict[UUID, list[TimeFact]] = defaultdict(list)
    subjects = [r.subject_id for r in requests]
    for chunk in chunks(subjects):
        leaves = list((await session.execute(select(LeaveRequest).where(col(LeaveRequest.id).in_(chunk)))).scalars())
        terms = await session.execute(
            select(col(Employment.employee_id), col(Employment.valid_from), col(Employment.weekly_hours))
            .where(col(Employment.employee_id).in_({leave.employee_id for leave in leaves}))
            .order_by(col(Employment.valid_from))
        )
        weekly: dict[UUID, list[tuple[date, Decimal]]] = defaultdict(list)
        for employee_id, valid_from, hours in terms.tuples():
            weekly[employee_id].append((valid_from, hours))
        for leave in leaves:
            for day in working_days(leave.first_day, leave.last_day):
                applying = [h for since, h in weekly[leave.employee_id] if since <= day]
                hours = (applying[-1] if applying else Decimal(40)) / FULL_WEEK_DAYS
                found[leave.id].append(TimeFact(day, TimeCode(leave.kind), hours.quantize(Decimal("0.01"))))
    return found
