"""Time reporting: the week view, saving a week, submitting it for attest, and locked days.

The rules are pure (``backend.domain.time``); this module loads what they need (employment
terms, locked days, the agreement profile, earlier sick days), checks everything before
changing anything, and commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.history import history
from backend.attest.routing import own_employee, visible_employee
from backend.attest.schemas import ItemState, PersonRef
from backend.attest.titles import week_title
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import may_see_drafts_of
from backend.core.i18n import DEFAULT_LANGUAGE, Language, Text
from backend.core.problems import FieldError, invalid, not_found
from backend.db.models import (
    AttestItem,
    Employee,
    Employment,
    LeaveRequest,
    Organisation,
    Project,
    TimeEntry,
    TimeLock,
    TimeRow,
    TimeWeek,
)
from backend.domain.attest import AttestState, ItemKind, editable
from backend.domain.rates import AgreementProfile, PayItemKind, agreement_profile
from backend.domain.time import codes as time_codes
from backend.domain.time.ob import ClockSpan
from backend.domain.time.rules import (
    ReportedRow,
    locked_day_violations,
    summarise_week,
    week_violations,
)
from backend.domain.time.schedule import DaySchedule, Terms, week_schedule
from backend.domain.time.sick import spell_starts
from backend.domain.time.weeks import days_of, monday_of, week_label
from backend.organisation.services import OrganisationService
from backend.time.schemas import (
    ClockView,
    CodeHours,
    CodesView,
    CodeView,
    DayView,
    DerivedView,
    LeaveMark,
    LockIn,
    LockView,
    ObHours,
    ProjectRef,
    RowView,
    WeekIn,
    WeekSummary,
    WeekView,
)

FIRST_OPEN_LOOKBACK_WEEKS = 8
"""Opening time reporting looks this far back for a week not yet submitted."""
SICK_LOOKBACK_DAYS = 35
"""Earlier sick days read to find where a spell started (the relapse rule looks 5 days back)."""
MAX_LOCK_DAYS = 400
MAX_LIST_WEEKS = 60


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _state(item: AttestItem | None) -> ItemState:
    return "draft" if item is None else item.state  # type: ignore[return-value]


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


def _reported_input(data: WeekIn) -> list[ReportedRow]:
    rows = []
    for row in data.rows:
        clock = list(row.clock) + [None] * (7 - len(row.clock))
        rows.append(
            ReportedRow(
                code=row.code,
                hours=tuple(row.hours),
                clock=tuple(ClockSpan(_clock(c.start), _clock(c.end)) if c is not None else None for c in clock),
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


def lock_reason(lock: TimeLock, language: Language) -> str | None:
    """Why days are locked, in the reader's language when the server wrote it (a pay run)."""
    return lock.reason_en if language == "en" and lock.reason_en else lock.reason


class TimeService:
    def __init__(self, session: AsyncSession, today: date) -> None:
        self.session = session
        self.today = today

    # --- who and what ---------------------------------------------------------------------------

    async def _me(self, principal: Principal) -> Employee:
        return await own_employee(
            self.session, principal, Text(sv="Bara anställda rapporterar tid.", en="Only employees report time.")
        )

    async def _visible(self, principal: Principal, employee_id: UUID | None) -> Employee:
        """The employee whose time is shown: yourself, or someone you may see (manager, substitute, payroll)."""
        if employee_id is None or employee_id == principal.employee_id:
            return await self._me(principal)
        return await visible_employee(self.session, principal, employee_id, self.today)

    async def _refuse_draft(self, principal: Principal, employee: Employee, monday: date) -> None:
        """Someone else's week is seen only once submitted (authorization.may_see_drafts_of)."""
        if may_see_drafts_of(principal, employee.id):
            return
        week = await self._week(employee.id, monday)
        if week is None:
            raise not_found()
        await attest.refuse_unsubmitted(self.session, principal, ItemKind.TIME_WEEK, week.id, employee.id)

    async def _profile(self, organisation_id: UUID) -> AgreementProfile:
        organisation = await self.session.get(Organisation, organisation_id)
        return agreement_profile(organisation.agreement_profile if organisation else None)

    async def _week(self, employee_id: UUID, monday: date) -> TimeWeek | None:
        return (
            await self.session.execute(
                select(TimeWeek).where(col(TimeWeek.employee_id) == employee_id, col(TimeWeek.week_start) == monday)
            )
        ).scalar_one_or_none()

    async def _rows(self, week: TimeWeek | None) -> tuple[list[TimeRow], list[TimeEntry]]:
        if week is None:
            return [], []
        rows = list(
            (
                await self.session.execute(
                    select(TimeRow).where(col(TimeRow.week_id) == week.id).order_by(col(TimeRow.position))
                )
            ).scalars()
        )
        entries = list(
            (await self.session.execute(select(TimeEntry).where(col(TimeEntry.week_id) == week.id))).scalars()
        )
        return rows, entries

    async def locked_days(
        self, employee: Employee, first: date, last: date, language: Language
    ) -> dict[date, str | None]:
        """Days locked by payroll for this employee (or everyone), with the reason."""
        locks = (
            await self.session.execute(
                select(TimeLock).where(
                    col(TimeLock.organisation_id) == employee.organisation_id,
                    or_(col(TimeLock.employee_id).is_(None), col(TimeLock.employee_id) == employee.id),
                    col(TimeLock.first_day) <= last,
                    col(TimeLock.last_day) >= first,
                )
            )
        ).scalars()
        found: dict[date, str | None] = {}
        for lock in locks:
            day = max(lock.first_day, first)
            while day <= min(lock.last_day, last):
                found[day] = found.get(day) or lock_reason(lock, language)
                day += timedelta(days=1)
        return found

    async def _schedule(self, employee: Employee, monday: date) -> tuple[DaySchedule, ...]:
        days = days_of(monday)
        return week_schedule(days, await employment_terms(self.session, employee, days))

    # --- the week view ----------------------------------------------------------------------------

    async def _project_refs(self, principal: Principal, ids: set[UUID]) -> dict[UUID, ProjectRef]:
        if not ids:
            return {}
        views = await OrganisationService(self.session).projects(principal, include_inactive=True)
        return {v.id: ProjectRef(id=v.id, code=v.code, name=v.name, path=v.path) for v in views if v.id in ids}

    async def _sick_starts(
        self, employee: Employee, monday: date, current: Sequence[ReportedRow]
    ) -> dict[date, tuple[bool, Text]]:
        earlier = (
            await self.session.execute(
                select(col(TimeEntry.day)).where(
                    col(TimeEntry.employee_id) == employee.id,
                    col(TimeEntry.code) == time_codes.TimeCode.SICK.value,
                    col(TimeEntry.day) >= monday - timedelta(days=SICK_LOOKBACK_DAYS),
                    col(TimeEntry.day) < monday,
                    col(TimeEntry.hours) > 0,
                )
            )
        ).scalars()
        days = set(earlier)
        for row in current:
            if row.code == time_codes.TimeCode.SICK.value:
                days |= {monday + timedelta(days=d) for d, h in enumerate(row.hours) if h}
        starts = spell_starts(days)
        return {
            day: (start.qualifying_day, Text(sv=start.explanation_sv, en=start.explanation_en))
            for day, start in starts.items()
            if monday <= day <= monday + timedelta(days=6)
        }

    async def _leave_marks(self, employee: Employee, monday: date) -> dict[date, list[LeaveMark]]:
        sunday = monday + timedelta(days=6)
        requests = list(
            (
                await self.session.execute(
                    select(LeaveRequest).where(
                        col(LeaveRequest.employee_id) == employee.id,
                        col(LeaveRequest.first_day) <= sunday,
                        col(LeaveRequest.last_day) >= monday,
                    )
                )
            ).scalars()
        )
        items = await attest.states_of(self.session, ItemKind.LEAVE_REQUEST, {r.id for r in requests})
        marks: dict[date, list[LeaveMark]] = {}
        for request in requests:
            state = _state(items.get(request.id))
            for day in days_of(monday):
                if request.first_day <= day <= request.last_day:
                    marks.setdefault(day, []).append(LeaveMark(request_id=request.id, kind=request.kind, state=state))
        return marks

    async def _view(self, principal: Principal, employee: Employee, monday: date, language: Language) -> WeekView:
        week = await self._week(employee.id, monday)
        rows, entries = await self._rows(week)
        reported = reported_rows(rows, entries, monday)
        profile = await self._profile(employee.organisation_id)
        schedule = await self._schedule(employee, monday)
        summary = summarise_week(reported, schedule, profile)
        locks = await self.locked_days(employee, monday, monday + timedelta(days=6), language)
        sick = await self._sick_starts(employee, monday, reported)
        leave = await self._leave_marks(employee, monday)
        item = await attest.item_for(self.session, ItemKind.TIME_WEEK, week.id) if week else None
        projects = await self._project_refs(principal, {r.project_id for r in rows if r.project_id})
        by_row: dict[UUID, dict[int, TimeEntry]] = {}
        for entry in entries:
            by_row.setdefault(entry.row_id, {})[(entry.day - monday).days] = entry

        def ob_list(ob: dict[PayItemKind, Decimal]) -> list[ObHours]:
            return [
                ObHours(item=k.value, name=time_codes.OB_NAMES[k](language), hours=_q(v)) for k, v in ob.items() if v
            ]

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
                        ClockView(start=_hhmm(cells[d].start_time), end=_hhmm(cells[d].end_time))
                        if d in cells and cells[d].start_time is not None
                        else None
                        for d in range(7)
                    ],
                    total=_q(sum((e.hours for e in cells.values()), Decimal(0))),
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
                    scheduled_hours=_q(planned.hours),
                    total_hours=_q(day.total),
                    ordinary_hours=_q(day.ordinary),
                    extra_hours=_q(day.extra),
                    absence_hours=_q(day.absence),
                    ob=ob_list(day.ob),
                    locked=day.day in locks,
                    lock_reason=locks.get(day.day),
                    qualifying_day=qualifying,
                    sick_note=note(language) if note else None,
                    leave=leave.get(day.day, []),
                )
            )
        state = _state(item)
        return WeekView(
            week=week_label(monday),
            week_start=monday,
            week_end=monday + timedelta(days=6),
            employee=PersonRef(id=employee.id, name=employee.full_name),
            state=state,
            editable=editable(AttestState(item.state) if item else None),
            expected_hours=_q(summary.expected),
            total_hours=_q(summary.total),
            difference=_q(summary.difference),
            by_code=[
                CodeHours(
                    code=c.value,
                    name=Text(sv=time_codes.CODES[c].name_sv, en=time_codes.CODES[c].name_en)(language),
                    hours=_q(h),
                )
                for c, h in summary.by_code.items()
            ],
            ob=ob_list(summary.ob),
            days=days,
            rows=row_views,
            comment=week.comment if week else None,
            attest=attest.attest_view(item),
            history=await history(self.session, employee.organisation_id, ItemKind.TIME_WEEK.value, week.id)
            if week
            else [],
        )

    async def week_view(
        self, principal: Principal, monday: date, language: Language, employee_id: UUID | None = None
    ) -> WeekView:
        employee = await self._visible(principal, employee_id)
        await self._refuse_draft(principal, employee, monday)
        return await self._view(principal, employee, monday, language)

    async def week_view_by_id(self, principal: Principal, week_id: UUID, language: Language) -> WeekView:
        """The week an attest item points at (for the manager's detail view)."""
        week = await self.session.get(TimeWeek, week_id)
        if week is None or week.organisation_id != principal.organisation_id:
            raise not_found()
        employee = await self._visible(principal, week.employee_id)
        await attest.refuse_unsubmitted(self.session, principal, ItemKind.TIME_WEEK, week.id, employee.id)
        return await self._view(principal, employee, week.week_start, language)

    # --- saving a week ------------------------------------------------------------------------------

    async def _reference_errors(self, principal: Principal, data: WeekIn) -> list[FieldError]:
        ids = {row.project_id for row in data.rows if row.project_id}
        if not ids:
            return []
        found = {
            p.id: p
            for p in (await self.session.execute(select(Project).where(col(Project.id).in_(ids)))).scalars()
            if p.organisation_id == principal.organisation_id
        }
        active = {v.id for v in await OrganisationService(self.session).projects(principal)}
        errors = []
        for i, row in enumerate(data.rows):
            if row.project_id is None:
                continue
            if row.project_id not in found:
                errors.append(
                    FieldError(
                        f"rows.{i}.project_id", "unknown_project", Text(sv="Okänt projekt", en="Unknown project")
                    )
                )
            elif row.project_id not in active:
                errors.append(
                    FieldError(
                        f"rows.{i}.project_id",
                        "inactive_project",
                        Text(
                            sv="Projektet är avslutat och tar inte emot tid",
                            en="The project is closed for time reporting",
                        ),
                    )
                )
        return errors

    @staticmethod
    def _snapshot(rows: Sequence[ReportedRow]) -> list[dict[str, object]]:
        """The rows as the audit trail keeps them, comparable whether read or sent ("8" and "8.00" alike).

        Clock times are included: the OB paid is derived from them.
        """
        return [
            {
                "code": r.code,
                "project": r.project,
                "hours": [str(_q(h)) if h else None for h in r.hours],
                "clock": [f"{_hhmm(c.start)}-{_hhmm(c.end)}" if c else None for c in r.clock],
            }
            for r in rows
        ]

    async def put_week(
        self, principal: Principal, monday: date, data: WeekIn, language: Language
    ) -> tuple[WeekView, bool]:
        """Replace the week's rows; every rule is checked first and nothing is stored on a violation."""
        employee = await self._me(principal)
        week = await self._week(employee.id, monday)
        if week is not None:
            await attest.ensure_editable(self.session, ItemKind.TIME_WEEK, week.id)
        rows, entries = await self._rows(week)
        stored = reported_rows(rows, entries, monday)
        incoming = _reported_input(data)
        profile = await self._profile(employee.organisation_id)
        schedule = await self._schedule(employee, monday)
        locks = await self.locked_days(employee, monday, monday + timedelta(days=6), language)
        violations = week_violations(incoming, schedule, time_codes.reportable_codes(profile))
        violations += locked_day_violations(incoming, stored, {(day - monday).days: day for day in locks})
        errors = violations + await self._reference_errors(principal, data)
        errors += [
            FieldError(
                f"rows.{i}.clock",
                "invalid",
                Text(sv="Ange sju dagar (måndag-söndag)", en="Give seven days (Monday-Sunday)"),
            )
            for i, row in enumerate(data.rows)
            if row.clock and len(row.clock) != 7
        ]
        if errors:
            raise invalid(
                errors,
                Text(
                    sv="Veckan kan inte sparas. Rätta allt nedan och försök igen.",
                    en="The week cannot be saved. Correct everything below and try again.",
                ),
            )
        created = week is None
        if week is None:
            week = TimeWeek(organisation_id=employee.organisation_id, employee_id=employee.id, week_start=monday)
            self.session.add(week)
            await self.session.flush()
        else:
            await self.session.execute(delete(TimeEntry).where(col(TimeEntry.week_id) == week.id))
            await self.session.execute(delete(TimeRow).where(col(TimeRow.week_id) == week.id))
        week.comment = data.comment
        new_rows = [
            TimeRow(
                id=uuid4(),
                organisation_id=employee.organisation_id,
                week_id=week.id,
                position=position,
                code=row_in.code,
                project_id=row_in.project_id,
                comment=row_in.comment,
                support_code=row_in.support_code,
                invoice_text=row_in.invoice_text,
            )
            for position, row_in in enumerate(data.rows)
        ]
        self.session.add_all(new_rows)
        await self.session.flush()  # rows before their entries: the tables have no ORM relationship to order them
        for row, reported in zip(new_rows, incoming, strict=True):
            for d, hours in enumerate(reported.hours):
                if not hours:
                    continue
                span = reported.clock[d]
                self.session.add(
                    TimeEntry(
                        organisation_id=employee.organisation_id,
                        employee_id=employee.id,
                        week_id=week.id,
                        row_id=row.id,
                        day=monday + timedelta(days=d),
                        code=row.code,
                        hours=hours,
                        start_time=span.start if span else None,
                        end_time=span.end if span else None,
                    )
                )
        before, after = self._snapshot(stored), self._snapshot(incoming)
        if created or before != after:
            audit.record(
                self.session,
                organisation_id=employee.organisation_id,
                actor=principal,
                entity_type=ItemKind.TIME_WEEK.value,
                entity_id=week.id,
                action="created" if created else "updated",
                before=None if created else {"rows": before},
                after={"week": week_label(monday), "rows": after},
            )
        await self.session.commit()
        return await self._view(principal, employee, monday, language), created

    # --- submitting ---------------------------------------------------------------------------------

    async def submit_week(self, principal: Principal, monday: date, now: datetime, language: Language) -> WeekView:
        """Check the whole week again and send it for attest; every problem is reported at once."""
        employee = await self._me(principal)
        week = await self._week(employee.id, monday)
        if week is not None:
            await attest.ensure_editable(self.session, ItemKind.TIME_WEEK, week.id)
        rows, entries = await self._rows(week)
        reported = reported_rows(rows, entries, monday)
        profile = await self._profile(employee.organisation_id)
        schedule = await self._schedule(employee, monday)
        summary = summarise_week(reported, schedule, profile)
        errors = week_violations(reported, schedule, time_codes.reportable_codes(profile))
        if monday > self.today:
            errors.append(
                FieldError(
                    "week",
                    "time.week_in_future",
                    Text(
                        sv="En vecka kan skickas in när den har börjat.",
                        en="A week can be submitted once it has begun.",
                    ),
                )
            )
        if not any(d.employed for d in schedule):
            errors.append(
                FieldError(
                    "week",
                    "time.not_employed",
                    Text(sv="Du är inte anställd den veckan.", en="You are not employed that week."),
                )
            )
        elif summary.total == 0 and summary.expected > 0:
            errors.append(
                FieldError(
                    "rows",
                    "time.week_empty",
                    Text(
                        sv="Rapportera veckans tid eller frånvaro innan du skickar in.",
                        en="Report the week's hours or absence before submitting.",
                    ),
                )
            )
        if errors:
            raise invalid(
                errors,
                Text(
                    sv="Veckan kan inte skickas in ännu. Rätta allt nedan på en gång.",
                    en="The week cannot be submitted yet. Correct everything below at once.",
                ),
            )
        if week is None:
            week = TimeWeek(organisation_id=employee.organisation_id, employee_id=employee.id, week_start=monday)
            self.session.add(week)
            await self.session.flush()
        warnings = []
        within = sum((d.ordinary + d.absence for d in summary.days), Decimal(0))
        if within < summary.expected:
            warnings.append(
                attest.item_warning(
                    "time.below_schedule",
                    Text(
                        sv=f"Veckan har {_q(within)} h arbete och frånvaro av {_q(summary.expected)} h schemalagd tid.",
                        en=f"The week has {_q(within)} h of work and absence of {_q(summary.expected)} h scheduled.",
                    ),
                )
            )
        await attest.submit(
            self.session,
            principal,
            kind=ItemKind.TIME_WEEK,
            subject_id=week.id,
            employee=employee,
            title=week_title(monday),
            now=now,
            hours=_q(summary.total),
            warnings=warnings,
        )
        await self.session.commit()
        return await self._view(principal, employee, monday, language)

    # --- which week to open, and the list of weeks -----------------------------------------------

    async def _states_by_monday(self, employee: Employee, first: date, last: date) -> dict[date, AttestItem | None]:
        weeks = list(
            (
                await self.session.execute(
                    select(TimeWeek).where(
                        col(TimeWeek.employee_id) == employee.id,
                        col(TimeWeek.week_start) >= first,
                        col(TimeWeek.week_start) <= last,
                    )
                )
            ).scalars()
        )
        items = await attest.states_of(self.session, ItemKind.TIME_WEEK, {w.id for w in weeks})
        return {w.week_start: items.get(w.id) for w in weeks}

    async def first_open_week(self, principal: Principal, language: Language) -> WeekView:
        """The first week not yet submitted (or sent back) within the lookback; else the current week."""
        employee = await self._me(principal)
        current = monday_of(self.today)
        first = max(monday_of(employee.start_date), current - timedelta(weeks=FIRST_OPEN_LOOKBACK_WEEKS))
        states = await self._states_by_monday(employee, first, current)
        monday = min(first, current)
        while monday < current:
            item = states.get(monday)
            if item is None or item.state == AttestState.RETURNED.value:
                break
            monday += timedelta(weeks=1)
        return await self._view(principal, employee, monday, language)

    async def list_weeks(
        self, principal: Principal, first: date | None, last: date | None, employee_id: UUID | None
    ) -> list[WeekSummary]:
        employee = await self._visible(principal, employee_id)
        last_monday = monday_of(last or self.today)
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
        states = await self._states_by_monday(employee, first_monday, last_monday)
        drafts_hidden = not may_see_drafts_of(principal, employee.id)
        totals: dict[date, Decimal] = {}
        rows = await self.session.execute(
            select(col(TimeEntry.day), col(TimeEntry.hours)).where(
                col(TimeEntry.employee_id) == employee.id,
                col(TimeEntry.day) >= first_monday,
                col(TimeEntry.day) <= last_monday + timedelta(days=6),
            )
        )
        for day, hours in rows.tuples():
            totals[monday_of(day)] = totals.get(monday_of(day), Decimal(0)) + hours
        days = [first_monday + timedelta(days=i) for i in range((last_monday - first_monday).days + 7)]
        schedule = week_schedule(days, await employment_terms(self.session, employee, days))
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
                    state=_state(states.get(monday)),
                    total_hours=_q(totals.get(monday, Decimal(0))),
                    expected_hours=_q(expected.get(monday, Decimal(0))),
                )
            )
            monday -= timedelta(weeks=1)
        return result

    # --- codes --------------------------------------------------------------------------------------

    async def codes(self, principal: Principal, language: Language) -> CodesView:
        profile = await self._profile(principal.organisation_id)
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


class LockService:
    """Locked days ("spärrad dag"), set and lifted by payroll."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _names(self, ids: set[UUID]) -> dict[UUID, str]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Employee).where(col(Employee.id).in_(ids)))
        return {e.id: e.full_name for e in rows.scalars()}

    def _view(self, lock: TimeLock, names: dict[UUID, str], language: Language) -> LockView:
        return LockView(
            id=lock.id,
            first_day=lock.first_day,
            last_day=lock.last_day,
            employee=PersonRef(id=lock.employee_id, name=names.get(lock.employee_id, "")) if lock.employee_id else None,
            reason=lock_reason(lock, language),
            created_at=lock.created_at,
        )

    async def list_locks(
        self, principal: Principal, first: date | None, last: date | None, language: Language
    ) -> list[LockView]:
        statement = select(TimeLock).where(col(TimeLock.organisation_id) == principal.organisation_id)
        if first is not None:
            statement = statement.where(col(TimeLock.last_day) >= first)
        if last is not None:
            statement = statement.where(col(TimeLock.first_day) <= last)
        locks = list((await self.session.execute(statement.order_by(col(TimeLock.first_day)).limit(1000))).scalars())
        names = await self._names({lock.employee_id for lock in locks if lock.employee_id})
        return [self._view(lock, names, language) for lock in locks]

    async def put_lock(self, principal: Principal, lock_id: UUID, data: LockIn) -> tuple[LockView, bool]:
        """Lock days under an id the client chooses (a replay creates it once)."""
        existing = await self.session.get(TimeLock, lock_id)
        if existing is not None and existing.organisation_id != principal.organisation_id:
            raise not_found()
        errors = []
        if data.last_day < data.first_day:
            errors.append(
                FieldError(
                    "last_day",
                    "time.range_reversed",
                    Text(
                        sv="Sista dagen måste vara samma som eller efter första dagen.",
                        en="The last day must not be before the first.",
                    ),
                )
            )
        elif (data.last_day - data.first_day).days >= MAX_LOCK_DAYS:
            errors.append(
                FieldError(
                    "last_day",
                    "time.range_too_long",
                    Text(
                        sv=f"Spärra högst {MAX_LOCK_DAYS} dagar åt gången.",
                        en=f"Lock at most {MAX_LOCK_DAYS} days at a time.",
                    ),
                )
            )
        if data.employee_id is not None:
            employee = await self.session.get(Employee, data.employee_id)
            if employee is None or employee.organisation_id != principal.organisation_id:
                errors.append(
                    FieldError("employee_id", "unknown_employee", Text(sv="Okänd anställd", en="Unknown employee"))
                )
        if errors:
            raise invalid(errors)
        values = {
            "first_day": data.first_day,
            "last_day": data.last_day,
            "employee_id": data.employee_id,
            "reason": (data.reason or "").strip() or None,
        }
        if existing is None:
            lock = TimeLock(
                id=lock_id,
                organisation_id=principal.organisation_id,
                created_by_account_id=principal.account_id,
                **values,  # type: ignore[arg-type]
            )
            self.session.add(lock)
            before = None
        else:
            lock = existing
            before = audit.snapshot(lock, list(values))
            for name, value in values.items():
                setattr(lock, name, value)
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="time_lock",
            entity_id=lock.id,
            action="locked" if existing is None else "updated",
            before=before,
            after=values,
            reason=values["reason"],  # type: ignore[arg-type]
        )
        await self.session.commit()
        # a lock made here has the one reason its author typed: the language does not choose
        names = await self._names({lock.employee_id} if lock.employee_id else set())
        return self._view(lock, names, DEFAULT_LANGUAGE), existing is None

    async def delete_lock(self, principal: Principal, lock_id: UUID) -> None:
        lock = await self.session.get(TimeLock, lock_id)
        if lock is None or lock.organisation_id != principal.organisation_id:
            raise not_found()
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="time_lock",
            entity_id=lock.id,
            action="unlocked",
            before=audit.snapshot(lock, ["first_day", "last_day", "employee_id", "reason"]),
        )
        await self.session.delete(lock)
        await self.session.commit()
