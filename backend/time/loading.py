"""Reading an employee's week for a use case: who reports, whose week is seen, and what the rules need.

The rows and entries as the rules see them, the schedule from the employment terms, locked days,
the agreement profile, sick spells, leave on the week's days and the projects named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.routing import own_employee, subject
from backend.attest.schemas import item_state
from backend.core.auth import Principal
from backend.core.authorization import may_see_drafts_of
from backend.core.i18n import Language, Text
from backend.core.problems import not_found
from backend.db.models import (
    Employee,
    Employment,
    LeaveRequest,
    Organisation,
    TimeEntry,
    TimeLock,
    TimeRow,
    TimeWeek,
)
from backend.domain.attest import ItemKind
from backend.domain.rates import AgreementProfile, agreement_profile
from backend.domain.time import locks as lock_rules
from backend.domain.time.ob import ClockSpan, parse_clock
from backend.domain.time.rules import ReportedRow
from backend.domain.time.schedule import DaySchedule, Terms, week_schedule
from backend.domain.time.weeks import days_of
from backend.organisation.services import OrganisationService
from backend.time.schemas import LeaveMark, ProjectRef, WeekIn
from backend.time.sick_days import ReportedDays, reported_before, week_spell_starts

"""Earlier sick days read to find where a spell started (the relapse rule looks 5 days back)."""


def reported_rows(rows: Sequence[TimeRow], entries: Sequence[TimeEntry], monday: date) -> list[ReportedRow]:
    """Stored rows and entries as the rules see them."""
    by_row: dict[UUID, dict[int, TimeEntry]] = {}
    for entry in entries:
        by_row.setdefault(entry.row_id, {})[(entry.day - monday).days] = entry
    result = []
    for row in sorted(rows, key=lambda r: r.position):
        cells = by_row.get(row.id, {})
        result.append(
            ReportedRow(
                code=row.code,
                hours=tuple(cells[d].hours if d in cells else None for d in range(7)),
                clock=tuple(
                    ClockSpan(cells[d].start_time, cells[d].end_time)  # type: ignore[arg-type]
                    if d in cells and cells[d].start_time is not None and cells[d].end_time is not None
                    else None
                    for d in range(7)
                ),
                project=str(row.project_id) if row.project_id else None,
            )
        )
    return result


def reported_input(data: WeekIn) -> list[ReportedRow]:
    """The rows sent as the rules see them (clock times missing at the end are none)."""
    rows = []
    for row in data.rows:
        clock = list(row.clock) + [None] * (7 - len(row.clock))
        rows.append(
            ReportedRow(
                code=row.code,
                hours=tuple(row.hours),
                clock=tuple(
                    ClockSpan(parse_clock(c.start), parse_clock(c.end)) if c is not None else None for c in clock
                ),
                project=str(row.project_id) if row.project_id else None,
            )
        )
    return rows


async def employment_terms(session: AsyncSession, employee: Employee, days: Sequence[date]) -> list[Terms | None]:
    """The terms valid on each day; None before the employment starts, after it ends, or without terms."""
    rows = list(
        (
            await session.execute(
                select(Employment)
                .where(col(Employment.employee_id) == employee.id)
                .order_by(col(Employment.valid_from))
            )
        ).scalars()
    )
    result: list[Terms | None] = []
    for day in days:
        if day < employee.start_date or (employee.end_date is not None and day > employee.end_date):
            result.append(None)
            continue
        valid = [r for r in rows if r.valid_from <= day]
        chosen = valid[-1] if valid else None
        result.append(Terms(chosen.weekly_hours, chosen.employment_rate) if chosen else None)
    return result


async def week_schedule_of(session: AsyncSession, employee: Employee, monday: date) -> tuple[DaySchedule, ...]:
    """The week's expected hours from the terms valid on each day."""
    days = days_of(monday)
    return week_schedule(days, await employment_terms(session, employee, days))


def lock_reason(lock: TimeLock, language: Language) -> str | None:
    """Why days are locked, in the reader's language when the server wrote it (a pay run)."""
    return lock.reason_en if language == "en" and lock.reason_en else lock.reason


async def locked_days(
    session: AsyncSession, employee: Employee, first: date, last: date, language: Language
) -> dict[date, str | None]:
    """Days locked by payroll for this employee (or everyone), with the reason."""
    locks = (
        await session.execute(
            select(TimeLock).where(
                col(TimeLock.organisation_id) == employee.organisation_id,
                or_(col(TimeLock.employee_id).is_(None), col(TimeLock.employee_id) == employee.id),
                col(TimeLock.first_day) <= last,
                col(TimeLock.last_day) >= first,
            )
        )
    ).scalars()
    ranges = [lock_rules.LockedRange(lock.first_day, lock.last_day, lock_reason(lock, language)) for lock in locks]
    return lock_rules.locked_days(ranges, first, last)


ONLY_EMPLOYEES = Text(sv="Bara anställda rapporterar tid.", en="Only employees report time.")


async def reporter(session: AsyncSession, principal: Principal) -> Employee:
    """The employee behind the principal: only employees report time."""
    return await own_employee(session, principal, ONLY_EMPLOYEES)


async def visible(session: AsyncSession, today: date, principal: Principal, employee_id: UUID) -> Employee:
    """The employee whose time a stored week is: yourself, or someone you may see (manager, substitute, payroll)."""
    return (await subject(session, principal, employee_id, today)).required(ONLY_EMPLOYEES)


async def week_of(session: AsyncSession, employee_id: UUID, monday: date) -> TimeWeek | None:
    return (
        await session.execute(
            select(TimeWeek).where(col(TimeWeek.employee_id) == employee_id, col(TimeWeek.week_start) == monday)
        )
    ).scalar_one_or_none()


async def refuse_draft(session: AsyncSession, principal: Principal, employee: Employee, monday: date) -> None:
    """Someone else's week is seen only once submitted (authorization.may_see_drafts_of)."""
    if may_see_drafts_of(principal, employee.id):
        return
    week = await week_of(session, employee.id, monday)
    if week is None:
        raise not_found()
    await attest.refuse_unsubmitted(session, principal, ItemKind.TIME_WEEK, week.id, employee.id)


async def profile_of(session: AsyncSession, organisation_id: UUID) -> AgreementProfile:
    """The organisation's agreement profile: which codes it offers, how OB is derived."""
    organisation = await session.get(Organisation, organisation_id)
    return agreement_profile(organisation.agreement_profile if organisation else None)


async def rows_of(session: AsyncSession, week: TimeWeek | None) -> tuple[list[TimeRow], list[TimeEntry]]:
    """The week's rows in their order and their entries; none for a week never saved."""
    if week is None:
        return [], []
    rows = list(
        (
            await session.execute(
                select(TimeRow).where(col(TimeRow.week_id) == week.id).order_by(col(TimeRow.position))
            )
        ).scalars()
    )
    entries = list((await session.execute(select(TimeEntry).where(col(TimeEntry.week_id) == week.id))).scalars())
    return rows, entries


async def project_refs(session: AsyncSession, principal: Principal, ids: set[UUID]) -> dict[UUID, ProjectRef]:
    """The projects the rows name, closed ones too (a row keeps its project)."""
    if not ids:
        return {}
    views = await OrganisationService(session).projects(principal, include_inactive=True)
    return {v.id: ProjectRef(id=v.id, code=v.code, name=v.name, path=v.path) for v in views if v.id in ids}


async def sick_starts(
    session: AsyncSession, employee: Employee, monday: date, current: Sequence[ReportedRow]
) -> dict[date, tuple[bool, Text]]:
    """The week's days that start a sick spell, whether each is a qualifying day, and why.

    Earlier weeks count as stored; this week as it is being reported (``current``).
    """
    before = await reported_before(session, [employee.id], monday, monday)
    week = ReportedDays()
    for row in current:
        for offset, hours in enumerate(row.hours):
            if hours:
                week.add(monday + timedelta(days=offset), row.code)
    starts = week_spell_starts(monday, week, before[employee.id])
    return {
        day: (start.qualifying_day, Text(sv=start.explanation_sv, en=start.explanation_en))
        for day, start in starts.items()
    }


async def leave_marks(session: AsyncSession, employee: Employee, monday: date) -> dict[date, list[LeaveMark]]:
    """Leave requests on the week's days, with their attest state."""
    sunday = monday + timedelta(days=6)
    requests = list(
        (
            await session.execute(
                select(LeaveRequest).where(
                    col(LeaveRequest.employee_id) == employee.id,
                    col(LeaveRequest.first_day) <= sunday,
                    col(LeaveRequest.last_day) >= monday,
                )
            )
        ).scalars()
    )
    items = await attest.states_of(session, ItemKind.LEAVE_REQUEST, {r.id for r in requests})
    marks: dict[date, list[LeaveMark]] = {}
    for request in requests:
        state = item_state(items.get(request.id))
        for day in days_of(monday):
            if request.first_day <= day <= request.last_day:
                marks.setdefault(day, []).append(LeaveMark(request_id=request.id, kind=request.kind, state=state))
    return marks


@dataclass(frozen=True)
class OwnWeek:
    """The principal's own week as stored, with what its rules need."""

    employee: Employee
    week: TimeWeek | None
    """None: never saved."""
    stored: list[ReportedRow]
    profile: AgreementProfile
    schedule: tuple[DaySchedule, ...]


async def own_week(session: AsyncSession, principal: Principal, monday: date) -> OwnWeek:
    """Your own week, to save or submit: refused unless it is a draft or was sent back."""
    employee = await reporter(session, principal)
    week = await week_of(session, employee.id, monday)
    if week is not None:
        await attest.ensure_editable(session, ItemKind.TIME_WEEK, week.id)
    rows, entries = await rows_of(session, week)
    return OwnWeek(
        employee=employee,
        week=week,
        stored=reported_rows(rows, entries, monday),
        profile=await profile_of(session, employee.organisation_id),
        schedule=await week_schedule_of(session, employee, monday),
    )
