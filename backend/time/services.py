"""Time reporting: the week view, saving a week, submitting it for attest, and locked days.

The rules are pure (``backend.domain.time``); the use cases load what they need (employment
terms, locked days, the agreement profile, earlier sick days), check everything before changing
anything, and commit once.

This module is the door the controllers and the attest detail loader use; the work lives by use
case: ``views`` (a week, where reporting opens, the list of weeks, the codes), ``saving`` (put a
week), ``submission`` (send it for attest), ``locks`` (payroll's locked days), over ``loading``
(whose week, and what the rules need).
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.attest.routing import Subject
from backend.core.auth import Principal
from backend.core.i18n import Language
from backend.time import saving, submission, views
from backend.time.locks import LockService
from backend.time.schemas import CodesView, WeekIn, WeekSummary, WeekView

__all__ = ["LockService", "TimeService"]


class TimeService:
    """One employee's or reader's time weeks at the organisation's ``today``."""

    def __init__(self, session: AsyncSession, today: date) -> None:
        self.session = session
        self.today = today

    async def week_view(self, principal: Principal, monday: date, language: Language, subject: Subject) -> WeekView:
        return await views.week_view(self.session, self.today, principal, monday, language, subject)

    async def week_view_by_id(self, principal: Principal, week_id: UUID, language: Language) -> WeekView:
        """The week an attest item points at (for the manager's detail view)."""
        return await views.week_view_by_id(self.session, self.today, principal, week_id, language)

    async def first_open_week(self, principal: Principal, language: Language) -> WeekView:
        """The first week not yet submitted (or sent back) within the lookback; else the current week."""
        return await views.first_open_week(self.session, self.today, principal, language)

    async def list_weeks(
        self, principal: Principal, first: date | None, last: date | None, subject: Subject
    ) -> list[WeekSummary]:
        return await views.list_weeks(self.session, self.today, principal, first, last, subject)

    async def codes(self, principal: Principal, language: Language) -> CodesView:
        return await views.codes(self.session, principal, language)

    async def put_week(
        self, principal: Principal, monday: date, data: WeekIn, language: Language
    ) -> tuple[WeekView, bool]:
        """Replace the week's rows; every rule is checked first and nothing is stored on a violation."""
        return await saving.put_week(self.session, principal, monday, data, language)

    async def submit_week(self, principal: Principal, monday: date, now: datetime, language: Language) -> WeekView:
        """Check the whole week again and send it for attest; every problem is reported at once."""
        return await submission.submit_week(self.session, self.today, principal, monday, now, language)
