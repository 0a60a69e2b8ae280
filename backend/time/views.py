"""Reading time: one week as the employee and the approver see it, where reporting opens, the list of
weeks, and the organisation's time codes.

Someone else's week is seen once submitted, unless the policy shows them drafts; in the list, a week
not yet submitted shows that it is open, not its hours.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.history import history
from backend.attest.routing import Subject
from backend.attest.schemas import PersonRef, item_state
from backend.core.auth import Principal
from backend.core.authorization import may_see_drafts_of
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, invalid, not_found
from backend.db.models import AttestItem, Employee, TimeEntry, TimeWeek
from backend.domain.attest import ItemKind, editable
from backend.domain.rates import PayItemKind
from backend.domain.time import codes as time_codes
from backend.domain.time.ob import clock_text
from backend.domain.time.rules import shown_hours, summarise_week
from backend.domain.time.schedule import week_schedule
from backend.domain.time.weeks import first_open_week as first_open_monday
from backend.domain.time.weeks import monday_of, week_label
from backend.time import loading
from backend.time.schemas import (
    ClockView,
    CodeHours,
    CodesView,
    CodeView,
    DayView,
    DerivedView,
    ObHours,
    RowView,
    WeekSummary,
    WeekView,
)

FIRST_OPEN_LOOKBACK_WEEKS = 8
"""Opening time reporting looks this far back for a week not yet submitted."""
MAX_LIST_WEEKS = 60


def _clock(value: time | None) -> str:
    return clock_text(value) if value is not None else ""


def _ob_list(ob: dict[PayItemKind, Decimal], language: Language) -> list[ObHours]:
    return [
        ObHours(item=k.value, name=time_codes.OB_NAMES[k](language), hours=shown_hours(v)) for k, v in ob.items() if v
    ]


async def view(
    session: AsyncSession, principal: Principal, employee: Employee, monday: date, language: Language
) -> WeekView:
    """The week with its rows, day totals, schedule, OB, locked days, sick spells, leave and attest."""
    week = await loading.week_of(session, employee.id, monday)
    rows, entries = await loading.rows_of(session, week)
    reported = loading.reported_rows(rows, entries, monday)
    profile = await loading.profile_of(session, employee.organisation_id)
    schedule = await loading.week_schedule_of(session, employee, monday)
    summary = summarise_week(reported, schedule, profile)
    locks = await loading.locked_days(session, employee, monday, monday + timedelta(days=6), language)
    sick = await loading.sick_starts(session, employee, monday, reported)
    leave = await loading.leave_marks(session, employee, monday)
    item = await attest.item_for(session, ItemKind.TIME_WEEK, week.id) if week else None
    projects = await loading.project_refs(session, principal, {r.project_id for r in rows if r.project_id})
    by_row: dict[UUID, dict[int, TimeEntry]] = {}
    for entry in entries:
        by_row.setdefault(entry.row_id, {})[(entry.day - monday).days] = entry

    row_views = []
    for row in rows:
        cells = by_row.get(row.id, {})
        code = time_codes.parse_code(row.code)
        info = time_codes.CODES.get(code) if code else None
        row_views.append(
            RowView(
                id=row.id,
                code=row.code,
                code_name=Text(sv=info.name_sv, en=info.name_en)(language) if info else row.code,
                kind=info.kind.value if info else "work",
                project=projects.get(row.project_id) if row.project_id else None,
                hours=[cells[d].hours if d in cells else None for d in range(7)],
                clock=[
                    ClockView(start=_clock(cells[d].start_time), end=_clock(cells[d].end_time))
                    if d in cells and cells[d].start_time is not None
                    else None
                    for d in range(7)
                ],
                total=shown_hours(sum((e.hours for e in cells.values()), Decimal(0))),
                comment=row.comment,
                support_code=row.support_code,
                invoice_text=row.invoice_text,
            )
        )
    days = []
    for d, (day, planned) in enumerate(zip(summary.days, schedule, strict=True)):
        qualifying, note = sick.get(day.day, (False, None))
        days.append(
            DayView(
                date=day.day,
                weekday=d,
                working_day=planned.working_day,
                holiday=planned.holiday,
                eve=planned.eve,
                scheduled_hours=shown_hours(planned.hours),
                total_hours=shown_hours(day.total),
                ordinary_hours=shown_hours(day.ordinary),
                extra_hours=shown_hours(day.extra),
                absence_hours=shown_hours(day.absence),
                ob=_ob_list(day.ob, language),
                locked=day.day in locks,
                lock_reason=locks.get(day.day),
                qualifying_day=qualifying,
                sick_note=note(language) if note else None,
                leave=leave.get(day.day, []),
            )
        )
    return WeekView(
        week=week_label(monday),
        week_start=monday,
        week_end=monday + timedelta(days=6),
        employee=PersonRef(id=employee.id, name=employee.full_name),
        state=item_state(item),
        editable=editable(attest.state(item)),
        expected_hours=shown_hours(summary.expected),
        total_hours=shown_hours(summary.total),
        difference=shown_hours(summary.difference),
        by_code=[
            CodeHours(
                code=c.value,
                name=Text(sv=time_codes.CODES[c].name_sv, en=time_codes.CODES[c].name_en)(language),
                hours=shown_hours(h),
            )
            for c, h in summary.by_code.items()
        ],
        ob=_ob_list(summary.ob, language),
        days=days,
        rows=row_views,
        comment=week.comment if week else None,
        attest=attest.attest_view(item),
        history=await history(session, employee.organisation_id, ItemKind.TIME_WEEK.value, week.id) if week else [],
    )


async def week_view(
    session: AsyncSession,
    today: date,
    principal: Principal,
    monday: date,
    language: Language,
    subject: Subject,
) -> WeekView:
    """Your week, or the week of someone you may see (a draft only where the policy shows drafts)."""
    employee = subject.required(loading.ONLY_EMPLOYEES)
    await loading.refuse_draft(session, principal, employee, monday)
    return await view(session, principal, employee, monday, language)


async def week_view_by_id(
    session: AsyncSession, today: date, principal: Principal, week_id: UUID, language: Language
) -> WeekView:
    """The week an attest item points at (for the manager's detail view)."""
    week = await session.get(TimeWeek, week_id)
    if week is None or week.organisation_id != principal.organisation_id:
        raise not_found()
    employee = await loading.visible(session, today, principal, week.employee_id)
    await attest.refuse_unsubmitted(session, principal, ItemKind.TIME_WEEK, week.id, employee.id)
    return await view(session, principal, employee, week.week_start, language)


async def _states_by_monday(
    session: AsyncSession, employee: Employee, first: date, last: date
) -> dict[date, AttestItem | None]:
    """The attest record of each week saved from ``first`` to ``last``, by its Monday."""
    weeks = list(
        (
            await session.execute(
                select(TimeWeek).where(
                    col(TimeWeek.employee_id) == employee.id,
                    col(TimeWeek.week_start) >= first,
                    col(TimeWeek.week_start) <= last,
                )
            )
        ).scalars()
    )
    items = await attest.states_of(session, ItemKind.TIME_WEEK, {w.id for w in weeks})
    return {w.week_start: items.get(w.id) for w in weeks}


async def first_open_week(session: AsyncSession, today: date, principal: Principal, language: Language) -> WeekView:
    """The first week not yet submitted (or sent back) within the lookback; else the current week."""
    employee = await loading.reporter(session, principal)
    current = monday_of(today)
    first = max(monday_of(employee.start_date), current - timedelta(weeks=FIRST_OPEN_LOOKBACK_WEEKS))
    items = await _states_by_monday(session, employee, first, current)
    states = {monday: attest.state(item) for monday, item in items.items()}
    return await view(session, principal, employee, first_open_monday(first, current, states), language)


async def list_weeks(
    session: AsyncSession,
    today: date,
    principal: Principal,
    first: date | None,
    last: date | None,
    subject: Subject,
) -> list[WeekSummary]:
    """Weeks with their state and hours, newest first."""
    employee = subject.required(loading.ONLY_EMPLOYEES)
    last_monday = monday_of(last or today)
    first_monday = monday_of(first) if first else last_monday - timedelta(weeks=FIRST_OPEN_LOOKBACK_WEEKS)
    if first_monday > last_monday or (last_monday - first_monday).days // 7 >= MAX_LIST_WEEKS:
        raise invalid(
            [
                FieldError(
                    "from",
                    "invalid_range",
                    Text(
                        sv=f"Välj högst {MAX_LIST_WEEKS} veckor, från före till.",
                        en=f"Choose at most {MAX_LIST_WEEKS} weeks, from before to.",
                    ),
                )
            ]
        )
    states = await _states_by_monday(session, employee, first_monday, last_monday)
    drafts_hidden = not may_see_drafts_of(principal, employee.id)
    totals: dict[date, Decimal] = {}
    rows = await session.execute(
        select(col(TimeEntry.day), col(TimeEntry.hours)).where(
            col(TimeEntry.employee_id) == employee.id,
            col(TimeEntry.day) >= first_monday,
            col(TimeEntry.day) <= last_monday + timedelta(days=6),
        )
    )
    for day, hours in rows.tuples():
        totals[monday_of(day)] = totals.get(monday_of(day), Decimal(0)) + hours
    days = [first_monday + timedelta(days=i) for i in range((last_monday - first_monday).days + 7)]
    schedule = week_schedule(days, await loading.employment_terms(session, employee, days))
    expected: dict[date, Decimal] = {}
    for day in schedule:
        expected[monday_of(day.day)] = expected.get(monday_of(day.day), Decimal(0)) + day.hours
    result = []
    monday = last_monday
    while monday >= first_monday:
        if drafts_hidden and states.get(monday) is None:
            totals.pop(monday, None)  # a week not yet submitted: that it is open shows, its hours do not
        result.append(
            WeekSummary(
                week=week_label(monday),
                week_start=monday,
                state=item_state(states.get(monday)),
                total_hours=shown_hours(totals.get(monday, Decimal(0))),
                expected_hours=shown_hours(expected.get(monday, Decimal(0))),
            )
        )
        monday -= timedelta(weeks=1)
    return result


async def codes(session: AsyncSession, principal: Principal, language: Language) -> CodesView:
    """The codes the organisation's agreement offers, and the OB items derived from clock times."""
    profile = await loading.profile_of(session, principal.organisation_id)
    return CodesView(
        agreement_profile=profile.code,
        agreement_name=Text(sv=profile.name_sv, en=profile.name_en)(language),
        codes=[
            CodeView(
                code=c.value,
                kind=time_codes.CODES[c].kind.value,
                name=Text(sv=time_codes.CODES[c].name_sv, en=time_codes.CODES[c].name_en)(language),
            )
            for c in time_codes.reportable_codes(profile)
        ],
        derived=[
            DerivedView(item=item.value, name=time_codes.OB_NAMES[item](language), hours=profile.items[item].hours)
            for item in time_codes.derived_ob_items(profile)
        ],
    )
