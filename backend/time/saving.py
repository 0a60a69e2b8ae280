"""Saving a week: its rows replace what was there, after every rule is checked.

Nothing is stored on a violation. Locked days keep what they had; projects must exist in the
organisation and be open for time. The audit trail records the rows when they change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from uuid import uuid4

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core import audit
from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, invalid
from backend.db.models import Employee, Project, TimeEntry, TimeRow, TimeWeek
from backend.domain.attest import ItemKind
from backend.domain.time import codes as time_codes
from backend.domain.time.ob import clock_text
from backend.domain.time.rules import ReportedRow, locked_day_violations, shown_hours, week_violations
from backend.domain.time.weeks import week_label
from backend.organisation.services import OrganisationService
from backend.time import loading
from backend.time.schemas import WeekIn, WeekView
from backend.time.views import view


async def _reference_errors(session: AsyncSession, principal: Principal, data: WeekIn) -> list[FieldError]:
    """Rows naming a project that is not the organisation's, or one closed for time."""
    ids = {row.project_id for row in data.rows if row.project_id}
    if not ids:
        return []
    found = {
        p.id: p
        for p in (await session.execute(select(Project).where(col(Project.id).in_(ids)))).scalars()
        if p.organisation_id == principal.organisation_id
    }
    active = {v.id for v in await OrganisationService(session).projects(principal)}
    errors = []
    for i, row in enumerate(data.rows):
        if row.project_id is None:
            continue
        if row.project_id not in found:
            errors.append(
                FieldError(f"rows.{i}.project_id", "unknown_project", Text(sv="Okänt projekt", en="Unknown project"))
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


def _clock_length_errors(data: WeekIn) -> list[FieldError]:
    """Clock times, when given, are given for the whole week."""
    return [
        FieldError(
            f"rows.{i}.clock",
            "invalid",
            Text(sv="Ange sju dagar (måndag-söndag)", en="Give seven days (Monday-Sunday)"),
        )
        for i, row in enumerate(data.rows)
        if row.clock and len(row.clock) != 7
    ]


def snapshot(rows: Sequence[ReportedRow]) -> list[dict[str, object]]:
    """The rows as the audit trail keeps them, comparable whether read or sent ("8" and "8.00" alike).

    Clock times are included: the OB paid is derived from them.
    """
    return [
        {
            "code": r.code,
            "project": r.project,
            "hours": [str(shown_hours(h)) if h else None for h in r.hours],
            "clock": [f"{clock_text(c.start)}-{clock_text(c.end)}" if c else None for c in r.clock],
        }
        for r in rows
    ]


async def _write_rows(
    session: AsyncSession,
    employee: Employee,
    week: TimeWeek,
    data: WeekIn,
    incoming: Sequence[ReportedRow],
    monday: date,
) -> None:
    """The rows and entries sent, stored under the (emptied or new) week."""
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
    session.add_all(new_rows)
    await session.flush()  # rows before their entries: the tables have no ORM relationship to order them
    for row, reported in zip(new_rows, incoming, strict=True):
        for d, hours in enumerate(reported.hours):
            if not hours:
                continue
            span = reported.clock[d]
            session.add(
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


async def put_week(
    session: AsyncSession, principal: Principal, monday: date, data: WeekIn, language: Language
) -> tuple[WeekView, bool]:
    """Replace the week's rows; every rule is checked first and nothing is stored on a violation."""
    own = await loading.own_week(session, principal, monday)
    employee, week, stored = own.employee, own.week, own.stored
    incoming = loading.reported_input(data)
    locks = await loading.locked_days(session, employee, monday, monday + timedelta(days=6), language)
    errors = week_violations(incoming, own.schedule, time_codes.reportable_codes(own.profile))
    errors += locked_day_violations(incoming, stored, {(day - monday).days: day for day in locks})
    errors += await _reference_errors(session, principal, data)
    errors += _clock_length_errors(data)
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
        session.add(week)
        await session.flush()
    else:
        await session.execute(delete(TimeEntry).where(col(TimeEntry.week_id) == week.id))
        await session.execute(delete(TimeRow).where(col(TimeRow.week_id) == week.id))
    week.comment = data.comment
    await _write_rows(session, employee, week, data, incoming, monday)
    before, after = snapshot(stored), snapshot(incoming)
    if created or before != after:
        audit.record(
            session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type=ItemKind.TIME_WEEK.value,
            entity_id=week.id,
            action="created" if created else "updated",
            before=None if created else {"rows": before},
            after={"week": week_label(monday), "rows": after},
        )
    await session.commit()
    return await view(session, principal, employee, monday, language), created
