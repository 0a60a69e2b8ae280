"""Approved leave requests as the engine's leave, paid month by month, and the absence days paid earlier."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import AttestItem, Organisation, PayRun
from backend.db.models.time import LeaveRequest, TimeEntry
from backend.domain.attest import AttestState, ItemKind
from backend.domain.calendar import PayPeriod, cutoff_date, worked_month
from backend.domain.payslip import inputs as engine
from backend.domain.payslip.leave import LEAVE_CODES, paid_through
from backend.domain.time.vacation import working_days
from backend.payslips.facts import Facts, among, chunks


async def approved_leave(
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
    for chunk in chunks(wanted):
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
    for chunk in chunks(list(facts)):
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
    # (``weeks.straddling_weeks``) still has days to pay.
    settled = {
        run_id: worked_month(PayPeriod.parse(period), in_arrears=organisation.variable_pay_in_arrears).last_day()
        for run_id, period in (
            await session.execute(
                select(col(PayRun.id), col(PayRun.period)).where(col(PayRun.organisation_id) == organisation.id)
            )
        ).tuples()
    }
    for chunk in chunks(ids):
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
