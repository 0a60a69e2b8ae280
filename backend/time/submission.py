"""Submitting a week for attest (again, after it was returned and corrected).

The week is checked anew from what is stored, by the domain's submission rules; every problem is
reported at once. Fewer hours than scheduled do not stop it: the approver sees a warning.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend.attest import services as attest
from backend.attest.titles import week_title
from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.problems import invalid
from backend.db.models import TimeWeek
from backend.domain.attest import ItemKind
from backend.domain.time import codes as time_codes
from backend.domain.time.rules import shown_hours, summarise_week
from backend.domain.time.submission import below_schedule, submission_violations
from backend.time import loading
from backend.time.schemas import WeekView
from backend.time.views import view


async def submit_week(
    session: AsyncSession, today: date, principal: Principal, monday: date, now: datetime, language: Language
) -> WeekView:
    """Check the whole week again and send it for attest; every problem is reported at once."""
    own = await loading.own_week(session, principal, monday)
    employee, week = own.employee, own.week
    summary = summarise_week(own.stored, own.schedule, own.profile)
    codes = time_codes.reportable_codes(own.profile)
    errors = submission_violations(own.stored, own.schedule, codes, summary, monday=monday, today=today)
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
        session.add(week)
        await session.flush()
    warning = below_schedule(summary)
    await attest.submit(
        session,
        principal,
        kind=ItemKind.TIME_WEEK,
        subject_id=week.id,
        employee=employee,
        title=week_title(monday),
        now=now,
        hours=shown_hours(summary.total),
        warnings=[attest.item_warning(warning.code, warning.message)] if warning else [],
    )
    await session.commit()
    return await view(session, principal, employee, monday, language)
