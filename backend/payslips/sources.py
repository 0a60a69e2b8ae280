"""Everything the payslip engine needs, read for many employees at once.

One query per kind of fact whatever the number of employees, so the preliminary payroll
of a whole organisation costs a handful of round trips, not thousands. The engine
(``backend.domain.payslip``) decides what of it reaches the payslip.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from sqlalchemy import any_, bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from backend.core.clock import STOCKHOLM
from backend.db.models import (
    AttestItem,
    Employee,
    Employment,
    Expense,
    ExpenseClaim,
    Organisation,
    OrganisationYearPolicy,
    PayRun,
    Payslip,
)
from backend.db.models.people import full_name
from backend.db.models.time import LeaveRequest, TimeEntry, TimeWeek
from backend.db.models.travel import TravelClaim
from backend.domain.attest import AttestState, ItemKind
from backend.domain.calendar import PayPeriod, cutoff_date, extra_run_pay_date, pay_date, worked_month
from backend.domain.errors import DomainError
from backend.domain.expenses import TREATMENT_CATEGORY, WELLNESS_CATEGORIES, employer_wellness_cap
from backend.domain.payslip import inputs as engine
from backend.domain.payslip.leave import LEAVE_CODES, paid_through
from backend.domain.rates import agreement_profile, rates_for
from backend.domain.rates.agreements import AgreementProfile
from backend.domain.time.ob import ClockSpan, unsocial_hours
from backend.domain.time.vacation import working_days

HISTORY_MONTHS = 13
CHUNK = 5000


def _chunks(ids: Sequence[UUID]) -> Iterable[Sequence[UUID]]:
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


def payslip_period(
    organisation: Organisation, period: PayPeriod, *, extra_run_on: date | None = None
) -> engine.PayslipPeriod:
    if extra_run_on is not None:  # takes what is approved up to the day it is made; paid on a banking day
        return engine.PayslipPeriod(period.year, period.month, extra_run_pay_date(extra_run_on), extra_run_on)
    return engine.PayslipPeriod(
        period.year,
        period.month,
        pay_date(period, organisation.pay_day),
        cutoff_date(period, organisation.cutoff_day),
    )


def paid_window(period: PayPeriod) -> tuple[date, date]:
    """Who gets a payslip for the period: started by its last day, and not left before the second
    date (pay for the last weeks of work comes a month or two after the employment ends)."""
    return period.last_day(), period.first_day() - timedelta(days=62)


def employed_during(employee: Paid, window: tuple[date, date]) -> bool:
    """Paid in the period whose ``paid_window`` is ``window`` (found once for a whole payroll)."""
    started_by, left_after = window
    return employee.start_date <= started_by and (employee.end_date is None or employee.end_date >= left_after)


async def employees(
    session: AsyncSession, organisation: Organisation, employee_ids: Sequence[UUID] | None, period: PayPeriod
) -> list[Person]:
    """The organisation's employees paid in the period (``employee_ids`` None: all of them), their columns alone.

    Filtered in the database, so those who left years ago are never read; ``gather`` applies
    the same window to employees loaded some other way.
    """
    started_by, left_after = paid_window(period)
    statement = sa_select(
        col(Employee.id),
        col(Employee.employee_number),
        col(Employee.first_name),
        col(Employee.last_name),
        col(Employee.birth_date),
        col(Employee.start_date),
        col(Employee.end_date),
        col(Employee.tax_table),
        col(Employee.tax_column),
    ).where(
        col(Employee.organisation_id) == organisation.id,
        col(Employee.start_date) <= started_by,
        col(Employee.end_date).is_(None) | (col(Employee.end_date) >= left_after),
    )
    if employee_ids is not None:
        statement = statement.where(among(session, Employee.id, employee_ids))
    return [
        Person(id_, number, full_name(first, last), born, start, end, table, column)
        for id_, number, first, last, born, start, end, table, column in (await session.execute(statement)).tuples()
    ]


def _travel_days(computation: dict[str, Any]) -> tuple[engine.TravelDay, ...]:
    """The per diem days as the travel rules stored them, for the payslip's sub-lines."""
    return tuple(
        engine.TravelDay(
            kind=str(d["kind"]),
            allowance=Decimal(str(d["allowance"])),
            meal_reduction=Decimal(str(d["meal_reduction"])),
            night_tax_free=Decimal(str(d["night"]["tax_free"])) if d.get("night") else Decimal(0),
        )
        for d in computation.get("per_diem", {}).get("days", [])
        if computation.get("per_diem", {}).get("qualifies")
    )


def _travel_legs(computation: dict[str, Any]) -> tuple[engine.TravelLeg, ...]:
    return tuple(
        engine.TravelLeg(
            distance_km=Decimal(str(leg["distance_km"])),
            mil=Decimal(str(leg["mil"])),
            rate_per_mil=Decimal(str(leg["rate_per_mil"])),
            tax_free_max_per_mil=Decimal(str(leg["tax_free_max_per_mil"])),
        )
        for leg in computation.get("mileage", {}).get("legs", [])
    )


_PAY_TYPES = {kind.value: kind for kind in engine.PayType}


async def gather(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, employees: Sequence[Paid]
) -> dict[UUID, Facts]:
    """Facts for those of ``employees`` employed during the period."""
    window = paid_window(period)
    facts = {e.id: Facts(e) for e in employees if employed_during(e, window)}
    ids = list(facts)
    for chunk in _chunks(ids):
        # Columns, not entities: building ORM objects was a third of the organisation's payroll time.
        rows = await session.execute(
            sa_select(
                col(Employment.employee_id),
                col(Employment.valid_from),
                col(Employment.pay_type),
                col(Employment.weekly_hours),
                col(Employment.created_at),
                col(Employment.monthly_salary),
                col(Employment.hourly_wage),
                col(Employment.employment_rate),
            ).where(among(session, Employment.employee_id, chunk))
        )
        for employee_id, valid_from, pay_type, hours, created_at, salary, wage, rate in rows.tuples():
            facts[employee_id].terms.append(
                (
                    created_at,
                    engine.EmploymentTerms(
                        valid_from=valid_from,
                        pay_type=_PAY_TYPES[pay_type],
                        weekly_hours=hours,
                        recorded_on=created_at.astimezone(STOCKHOLM).date(),
                        monthly_salary=salary,
                        hourly_wage=wage,
                        employment_rate_percent=rate,
                    ),
                )
            )
    settled = await _settled_through(session, organisation)
    await _attested(session, organisation, facts, settled)
    await _history(session, organisation, period, facts)
    await _leave(session, organisation, period, facts, settled)
    await _wellness_allowance(session, organisation, period, facts)
    return facts


async def _settled_through(session: AsyncSession, organisation: Organisation) -> date | None:
    """The last day of the time the last regular run settled (None before the first run).

    Items across that day (a week over a month's end, a leave over several months) are locked but
    still have later days to pay.
    """
    latest = await latest_run(session, organisation.id)
    if latest is None:
        return None
    period = PayPeriod.parse(latest.period)
    return worked_month(period, in_arrears=organisation.variable_pay_in_arrears).last_day()


async def _attested(
    session: AsyncSession, organisation: Organisation, facts: dict[UUID, Facts], settled: date | None
) -> None:
    """Approved items not yet paid (not locked into a pay run), and pending ones."""
    items: list[AttestItem] = []
    for chunk in _chunks(list(facts)):
        items += (
            (
                await session.execute(
                    select(AttestItem).where(
                        col(AttestItem.organisation_id) == organisation.id,
                        among(session, AttestItem.employee_id, chunk),
                        col(AttestItem.state).in_(
                            [AttestState.APPROVED.value, AttestState.SUBMITTED.value, AttestState.RETURNED.value]
                        ),
                    )
                )
            )
            .scalars()
            .all()
        )
    approved = {i.subject_id: i for i in items if i.state == AttestState.APPROVED}
    for item in items:
        if item.state != AttestState.APPROVED:
            facts[item.employee_id].pending.append(
                engine.PendingItem(
                    item_id=str(item.subject_id),
                    kind=engine.ItemKind(item.kind),
                    state=engine.PendingState(item.state),
                    title=item.title,
                    title_en=item.title_en,
                    submitted_on=item.submitted_at.date(),
                    amount=item.amount,
                    hours=item.hours,
                )
            )
        elif item.kind == ItemKind.LEAVE_REQUEST:
            facts[item.employee_id].leave_items[item.subject_id] = item  # paid month by month: _leave
        else:
            facts[item.employee_id].included_items[str(item.subject_id)] = item.id

    by_kind: dict[str, list[AttestItem]] = defaultdict(list)
    for item in approved.values():
        by_kind[item.kind].append(item)
    decided = {subject: (item.decided_at or item.submitted_at).date() for subject, item in approved.items()}

    claims = [i.subject_id for i in by_kind[ItemKind.EXPENSE_CLAIM]]
    for chunk in _chunks(claims):
        for expense in (
            await session.execute(select(Expense).where(among(session, Expense.claim_id, chunk)))
        ).scalars():
            assert expense.claim_id is not None
            facts[expense.employee_id].expenses.append(
                engine.ApprovedExpense(
                    expense_id=str(expense.id),
                    claim_id=str(expense.claim_id),
                    amount=expense.amount_sek or Decimal(0),
                    approved_on=decided[expense.claim_id],
                    description=expense.merchant or "",
                    payment=engine.ExpensePayment(expense.payment),
                    kind=engine.ExpenseKind.WELLNESS
                    if expense.category in WELLNESS_CATEGORIES
                    else engine.ExpenseKind.ORDINARY,
                    treatment=expense.category == TREATMENT_CATEGORY,
                )
            )

    trips = [i.subject_id for i in by_kind[ItemKind.TRAVEL_CLAIM]]
    for chunk in _chunks(trips):
        rows = (await session.execute(select(TravelClaim).where(among(session, TravelClaim.id, chunk)))).scalars().all()
        receipts: dict[UUID, Decimal] = defaultdict(Decimal)
        for expense in (
            await session.execute(select(Expense).where(among(session, Expense.travel_claim_id, [t.id for t in rows])))
        ).scalars():
            if expense.payment == "private" and expense.travel_claim_id is not None:
                receipts[expense.travel_claim_id] += expense.amount_sek or Decimal(0)
        for trip in rows:
            facts[trip.employee_id].travel.append(
                engine.ApprovedTravelClaim(
                    claim_id=str(trip.id),
                    approved_on=decided[trip.id],
                    description=trip.destination or trip.purpose or "",
                    per_diem_tax_free=trip.per_diem_tax_free,
                    per_diem_taxable=trip.per_diem_taxable,
                    mileage_tax_free=trip.mileage_tax_free,
                    mileage_taxable=trip.mileage_taxable,
                    expenses=receipts[trip.id],
                    days=_travel_days(trip.computation),
                    legs=_travel_legs(trip.computation),
                )
            )

    weeks = [i.subject_id for i in by_kind[ItemKind.TIME_WEEK]]
    profile = agreement_profile(organisation.agreement_profile)
    for chunk in _chunks(weeks):
        for entry in (
            await session.execute(select(TimeEntry).where(among(session, TimeEntry.week_id, chunk)))
        ).scalars():
            facts[entry.employee_id].time.extend(_time_rows(entry, decided[entry.week_id], profile))
    await _straddling_weeks(session, organisation, facts, profile, settled)


async def _leave(
    session: AsyncSession,
    organisation: Organisation,
    period: PayPeriod,
    facts: dict[UUID, Facts],
    settled: date | None,
) -> None:
    """Approved leave requests as the engine's leave, and the absence days earlier payslips paid.

    A request spanning months is paid month by month: the days up to the last month an earlier
    regular run paid are settled (``paid_through``). Like a week across a month's end, it is locked
    by the first run that pays any of it (it can no longer change) and moves to each run that pays
    more of it, until its last day is paid. Absence days of locked weeks and requests are given
    too, so a day that a week and a request both report is paid once even when they were paid
    months apart.
    """
    worked = worked_month(period, in_arrears=organisation.variable_pay_in_arrears)
    await _leave_still_due(session, organisation, facts, settled)
    wanted = [subject for f in facts.values() for subject in f.leave_items]
    requests: list[LeaveRequest] = []
    for chunk in _chunks(wanted):
        requests += (
            await session.execute(select(LeaveRequest).where(among(session, LeaveRequest.id, chunk)))
        ).scalars()
    for request in requests:
        fact = facts[request.employee_id]
        item = fact.leave_items[request.id]
        runs: dict[str, tuple[date, date]] = {}
        for payslip in fact.payslips:  # the first payslip of a period is the regular run's
            paid = PayPeriod.parse(payslip.period)
            variable = worked_month(paid, in_arrears=organisation.variable_pay_in_arrears)
            runs.setdefault(payslip.period, (cutoff_date(paid, organisation.cutoff_day), variable.last_day()))
        approved_on = (item.decided_at or item.submitted_at).date()
        fact.leave.append(
            engine.ApprovedLeave(
                leave_id=str(request.id),
                code=engine.TimeCode(request.kind),
                first_day=request.first_day,
                last_day=request.last_day,
                approved_on=approved_on,
                paid_through=paid_through(approved_on, list(runs.values())),
            )
        )
        if request.first_day <= worked.last_day():
            fact.included_items[str(request.id)] = item.id
    await _absence_paid_earlier(session, organisation, facts)


async def _leave_still_due(
    session: AsyncSession, organisation: Organisation, facts: dict[UUID, Facts], settled: date | None
) -> None:
    """Locked leave requests whose last days come after the month the last regular run settled."""
    if settled is None:
        return
    for chunk in _chunks(list(facts)):
        found = await session.execute(
            select(AttestItem)
            .join(LeaveRequest, col(LeaveRequest.id) == col(AttestItem.subject_id))
            .where(
                col(AttestItem.organisation_id) == organisation.id,
                among(session, AttestItem.employee_id, chunk),
                col(AttestItem.kind) == ItemKind.LEAVE_REQUEST.value,
                col(AttestItem.state) == AttestState.LOCKED.value,
                col(LeaveRequest.last_day) > settled,
            )
        )
        for item in found.scalars():
            facts[item.employee_id].leave_items[item.subject_id] = item


async def _absence_paid_earlier(session: AsyncSession, organisation: Organisation, facts: dict[UUID, Facts]) -> None:
    """Absence days of locked (paid) weeks and leave requests in the span this payslip could pay again."""
    days = [r.day for f in facts.values() for r in f.time if r.code in LEAVE_CODES]
    days += [d for f in facts.values() for leave in f.leave for d in (leave.first_day, leave.last_day)]
    if not days:
        return
    first, last = min(days), max(days)
    codes = [c.value for c in LEAVE_CODES]
    ids = [e for e, f in facts.items() if f.leave or any(r.code in LEAVE_CODES for r in f.time)]
    # A locked week's days are paid up to the month its run settled; a week across that month's end
    # (``_straddling_weeks``) still has days to pay.
    settled = {
        run_id: worked_month(PayPeriod.parse(period), in_arrears=organisation.variable_pay_in_arrears).last_day()
        for run_id, period in (
            await session.execute(
                select(col(PayRun.id), col(PayRun.period)).where(col(PayRun.organisation_id) == organisation.id)
            )
        ).tuples()
    }
    for chunk in _chunks(ids):
        entries = await session.execute(
            select(col(TimeEntry.employee_id), col(TimeEntry.day), col(TimeEntry.code), col(AttestItem.pay_run_id))
            .join(AttestItem, col(AttestItem.subject_id) == col(TimeEntry.week_id))
            .where(
                among(session, TimeEntry.employee_id, chunk),
                col(TimeEntry.code).in_(codes),
                col(TimeEntry.day) >= first,
                col(TimeEntry.day) <= last,
                col(AttestItem.state) == AttestState.LOCKED.value,
                col(AttestItem.kind) == ItemKind.TIME_WEEK.value,
            )
        )
        for employee_id, day, code, run_id in entries.tuples():
            if run_id is None or day <= settled.get(run_id, day):
                facts[employee_id].absence_paid_earlier.add((day, engine.TimeCode(code)))
        requests = await session.execute(
            select(LeaveRequest, col(AttestItem.pay_run_id))
            .join(AttestItem, col(AttestItem.subject_id) == col(LeaveRequest.id))
            .where(
                among(session, LeaveRequest.employee_id, chunk),
                col(LeaveRequest.first_day) <= last,
                col(LeaveRequest.last_day) >= first,
                col(AttestItem.state) == AttestState.LOCKED.value,
                col(AttestItem.kind) == ItemKind.LEAVE_REQUEST.value,
            )
        )
        for request, run_id in requests.tuples():
            code = engine.TimeCode(request.kind)
            # Paid up to the month its run settled; a request still running has later days to pay.
            until = min(request.last_day, last, settled.get(run_id, last) if run_id is not None else last)
            facts[request.employee_id].absence_paid_earlier |= {
                (day, code) for day in working_days(max(request.first_day, first), until)
            }


async def _wellness_allowance(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, facts: dict[UUID, Facts]
) -> None:
    """What the employer pays for wellness in the year of the pay date (its own cap, else the tax-free one)."""
    cap = (
        await session.execute(
            select(col(OrganisationYearPolicy.wellness_allowance)).where(
                col(OrganisationYearPolicy.organisation_id) == organisation.id,
                col(OrganisationYearPolicy.year) == period.year,
            )
        )
    ).scalar_one_or_none()
    try:
        limit: Decimal | None = employer_wellness_cap(cap, rates_for(period.year).wellness.annual_cap)
    except DomainError:  # a year without figures: the engine warns about the year; no own cap here
        limit = cap
    for fact in facts.values():
        fact.wellness_allowance = limit


def _time_rows(entry: TimeEntry, approved_on: date, profile: AgreementProfile) -> list[engine.TimeRow]:
    """A reported day as the engine reads it, with the unsocial hours its clock times give."""
    rows = [engine.TimeRow(entry.day, engine.TimeCode(entry.code), entry.hours, str(entry.week_id), approved_on)]
    if entry.start_time and entry.end_time and entry.code in ("work", "mertid"):
        span = ClockSpan(entry.start_time, entry.end_time)
        for ob_item, hours in unsocial_hours(entry.day, span, entry.hours, profile).items():
            if hours > 0:
                rows.append(
                    engine.TimeRow(entry.day, engine.TimeCode(ob_item.value), hours, str(entry.week_id), approved_on)
                )
    return rows


async def _straddling_weeks(
    session: AsyncSession,
    organisation: Organisation,
    facts: dict[UUID, Facts],
    profile: AgreementProfile,
    paid_through: date | None,
) -> None:
    """Weeks across the end of the last paid month: that run paid (and locked) their first days; the rest is due.

    Only days after the month the last regular run settled are added, so no day is paid twice; the
    next run moves the week to itself (``PayslipService._lock``).
    """
    if paid_through is None:
        return
    for chunk in _chunks(list(facts)):
        weeks = (
            await session.execute(
                sa_select(  # sqlmodel's select types four columns at most
                    col(AttestItem.id),
                    col(AttestItem.subject_id),
                    col(AttestItem.employee_id),
                    col(AttestItem.decided_at),
                    col(AttestItem.submitted_at),
                )
                .join(TimeWeek, col(TimeWeek.id) == col(AttestItem.subject_id))
                .where(
                    col(AttestItem.organisation_id) == organisation.id,
                    among(session, AttestItem.employee_id, chunk),
                    col(AttestItem.kind) == ItemKind.TIME_WEEK.value,
                    col(AttestItem.state) == AttestState.LOCKED.value,
                    col(TimeWeek.week_start) > paid_through - timedelta(days=6),
                )
            )
        ).all()
        if not weeks:
            continue
        decided = {subject: (decided_at or submitted_at).date() for _, subject, _, decided_at, submitted_at in weeks}
        entries = await session.execute(
            select(TimeEntry).where(among(session, TimeEntry.week_id, list(decided)), col(TimeEntry.day) > paid_through)
        )
        for entry in entries.scalars():
            facts[entry.employee_id].time.extend(_time_rows(entry, decided[entry.week_id], profile))
        for item_id, subject, employee_id, _, _ in weeks:
            facts[employee_id].included_items[str(subject)] = item_id


async def _history(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, facts: dict[UUID, Facts]
) -> None:
    """The last months' payslips, without their snapshots: the engine needs only the figures beside them."""
    since = history_start(period)
    for chunk in _chunks(list(facts)):
        rows = (
            await session.execute(
                select(Payslip)
                .options(defer(Payslip.snapshot))  # type: ignore[arg-type]
                .where(
                    col(Payslip.organisation_id) == organisation.id,
                    among(session, Payslip.employee_id, chunk),
                    col(Payslip.period) >= str(since),
                )
                .order_by(col(Payslip.pay_date), col(Payslip.created_at))
            )
        ).scalars()
        for payslip in rows:
            facts[payslip.employee_id].payslips.append(payslip)


@functools.lru_cache(maxsize=64)
def history_start(period: PayPeriod) -> PayPeriod:
    """The first period whose payslips a payslip for ``period`` reads (``HISTORY_MONTHS`` back)."""
    for _ in range(HISTORY_MONTHS):
        period = period.previous()
    return period


def _terms(rows: list[tuple[datetime, engine.EmploymentTerms]]) -> tuple[engine.EmploymentTerms, ...]:
    """In force order: by the day they apply from, then by when they were recorded."""
    return tuple(terms for _, terms in sorted(rows, key=lambda r: (r[1].valid_from, r[0])))


def _money(value: Any) -> Decimal:
    return Decimal(str(value))


def paid_salaries(payslips: Sequence[Payslip], since: PayPeriod | None = None) -> tuple[engine.PaidSalary, ...]:
    """What finalised payslips paid per work month, summed over all of them (retro lines included).

    ``since``: the first month the history read covers. An older month's own payslip is not in it, so
    a later retro row alone is not what the month was paid (it would pay the month again, or be
    negative and refuse the payslip): such months are left out.
    """
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    hours: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))  # line by line
    wages: dict[str, Decimal] = {}
    paid_on: dict[str, date] = {}
    window = str(since) if since is not None else ""
    for payslip in payslips:
        for row in payslip.salary_paid:
            label = row["month"]
            if label < window:
                continue
            sums = months[label]
            for key, value in row.items():
                if key in ("salary", "hours", "hourly_amount", "items_amount"):
                    sums[key] += _money(value)
                elif key.startswith("item:") or key == "hour_lines":
                    hours[label][key] += [_money(part) for part in value.split(";") if part]
            if "hour_lines" not in row and row.get("hours"):  # stored before lines were kept
                hours[label]["hour_lines"].append(_money(row["hours"]))
            if "hourly_amount" not in row and row.get("hourly_wage"):  # stored before hourly_amount was
                sums["hourly_amount"] += _money(row.get("hours", 0)) * _money(row["hourly_wage"])
            if row.get("hourly_wage"):
                wages[label] = _money(row["hourly_wage"])
            day = date.fromisoformat(row["paid_on"]) if row.get("paid_on") else payslip.created_at.date()
            paid_on[label] = max(day, paid_on.get(label, day))
    return tuple(
        engine.PaidSalary(
            int(label[:4]),
            int(label[5:]),
            salary=sums["salary"],
            hours=sums["hours"],
            hourly_wage=wages.get(label),
            hourly_amount=sums["hourly_amount"] if label in wages else None,
            hour_lines=tuple(hours[label]["hour_lines"]),
            pay_items=tuple(
                engine.PaidHours(engine.TimeCode(key[5:]), line)
                for key, lines in sorted(hours[label].items())
                if key.startswith("item:")
                for line in lines
                if line
            ),
            pay_items_amount=sums["items_amount"],
            paid_on=paid_on[label],
        )
        for label, sums in sorted(months.items())
    )


def engine_inputs(
    facts: Facts,
    organisation: Organisation,
    period: engine.PayslipPeriod,
    as_of: date,
    *,
    extra_run: bool = False,
) -> engine.PayslipInputs:
    e = facts.employee
    year = period.pay_date.year
    this_year = [p for p in facts.payslips if p.pay_date.year == year]
    same_month = [p for p in facts.payslips if p.period == period.label]
    ytd = (
        engine.YearToDate(
            year=year,
            gross_pay=sum((p.gross_pay for p in this_year), Decimal(0)),
            taxable_pay=sum((p.taxable_pay for p in this_year), Decimal(0)),
            tax=sum((p.tax for p in this_year), Decimal(0)),
            net_pay=sum((p.net_pay for p in this_year), Decimal(0)),
            employer_contributions=sum((p.employer_contributions for p in this_year), Decimal(0)),
            tax_free=sum((p.tax_free for p in this_year), Decimal(0)),
        )
        if this_year
        else _nothing_yet(year)
    )
    paid = (
        paid_salaries(facts.payslips, since=history_start(PayPeriod(period.year, period.month)))
        if facts.payslips
        else ()
    )
    spells = [
        engine.EarlierSickSpell(
            date.fromisoformat(s["first_day"]),
            date.fromisoformat(s["last_day"]),
            bool(s["karens"]),
            int(s["first_day_number"]),
        )
        for p in facts.payslips
        for s in p.sick_spells
    ]
    return engine.PayslipInputs(
        employee=engine.Employee(
            employee_id=str(e.id),
            birth_date=e.birth_date,
            employment_start=e.start_date,
            employment_end=e.end_date,
            terms=_terms(facts.terms),
            tax_table=e.tax_table,
            tax_column=e.tax_column,
        ),
        period=period,
        as_of=as_of,
        settings=_settings(
            organisation.agreement_profile,
            organisation.variable_pay_in_arrears,
            None if facts.wellness_allowance is None else str(facts.wellness_allowance),
        ),
        time=tuple(facts.time),
        leave=tuple(facts.leave),
        absence_paid_earlier=frozenset(facts.absence_paid_earlier),
        expenses=tuple(facts.expenses),
        travel_claims=tuple(facts.travel),
        paid_salaries=paid,
        earlier_sick_spells=tuple(spells),
        wellness_paid_earlier_this_year=_total(this_year, "wellness_paid"),
        year_to_date=ytd,
        previous_gross_pay=facts.payslips[-1].gross_pay if facts.payslips else None,
        earlier_pay_this_month=_total(same_month, "gross_pay"),
        earlier_taxable_this_month=_total(same_month, "taxable_pay") if extra_run else _NOTHING,
        earlier_tax_this_month=_total(same_month, "tax") if extra_run else _NOTHING,
        pending=tuple(facts.pending),
        extra_run=extra_run,
    )


_NOTHING = Decimal(0)


def _total(payslips: list[Payslip], figure: str) -> Decimal:
    """One figure summed over ``payslips`` (most employees of a payroll have none in the window: no generator)."""
    return sum((getattr(p, figure) for p in payslips), Decimal(0)) if payslips else _NOTHING


@functools.lru_cache(maxsize=64)
def _nothing_yet(year: int) -> engine.YearToDate:
    """A year without finalised payslips (the engine's values are frozen, so one serves every employee)."""
    return engine.YearToDate(year=year)


@functools.lru_cache(maxsize=64)
def _settings(profile: str | None, in_arrears: bool, wellness_allowance: str | None) -> engine.OrganisationSettings:
    """The organisation's settings, made once for all its employees (frozen; the cap as text keeps its digits)."""
    return engine.OrganisationSettings(
        agreement_profile=profile,
        variable_pay_in_arrears=in_arrears,
        wellness_allowance=None if wellness_allowance is None else Decimal(wellness_allowance),
    )


async def draft_claims(session: AsyncSession, employee_ids: Sequence[UUID]) -> dict[UUID, list[engine.PendingItem]]:
    """Expense claims not submitted yet: the employee sees them as pending too."""
    found: dict[UUID, list[engine.PendingItem]] = defaultdict(list)
    for chunk in _chunks(list(employee_ids)):
        claims = (
            await session.execute(
                select(ExpenseClaim)
                .outerjoin(
                    AttestItem,
                    (col(AttestItem.subject_id) == col(ExpenseClaim.id))
                    & (col(AttestItem.kind) == ItemKind.EXPENSE_CLAIM.value),
                )
                .where(among(session, ExpenseClaim.employee_id, chunk), col(AttestItem.id).is_(None))
            )
        ).scalars()
        for claim in claims:
            found[claim.employee_id].append(
                engine.PendingItem(str(claim.id), engine.ItemKind.EXPENSE_CLAIM, engine.PendingState.DRAFT, claim.title)
            )
    return found


async def latest_run(session: AsyncSession, organisation_id: UUID) -> PayRun | None:
    return (
        await session.execute(
            select(PayRun)
            .where(col(PayRun.organisation_id) == organisation_id, col(PayRun.sequence) == 0)
            .order_by(col(PayRun.period).desc())
            .limit(1)
        )
    ).scalar_one_or_none()
