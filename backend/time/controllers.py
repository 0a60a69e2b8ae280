"""Time reporting: the week view, saving and submitting a week, time codes, and locked days (payroll)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeAlias
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, SkipValidation
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.core.authorization import Role, requires
from backend.core.deps import ClockDep, DbSession, LanguageDep, PrincipalDep, SubjectDep
from backend.core.idempotency import idempotent
from backend.domain.time.weeks import parse_week
from backend.time.schemas import CodesView, LockIn, LockView, WeekIn, WeekSummary, WeekView
from backend.time.services import LockService, TimeService

PAYROLL = requires(Role.PAYROLL)


def provide_time(db_session: DbSession, clock: ClockDep) -> TimeService:
    """The time service for this request: its wiring in one place, not in every handler."""
    return TimeService(db_session, clock.today())


def provide_locks(db_session: DbSession) -> LockService:
    return LockService(db_session)


TimeDep: TypeAlias = NamedDependency[SkipValidation[TimeService]]
LocksDep: TypeAlias = NamedDependency[SkipValidation[LockService]]


class TimeController(Controller):
    path = "/api/time"
    tags = ["Time"]
    dependencies = {"time": Provide(provide_time, sync_to_thread=False)}

    @get("/codes")
    async def codes(self, language: LanguageDep, principal: PrincipalDep, time: TimeDep) -> CodesView:
        """The time codes of the organisation's agreement profile, and the unsocial hours derived from clock times."""
        return await time.codes(principal, language)

    @get("/weeks")
    async def list_weeks(
        self,
        principal: PrincipalDep,
        time: TimeDep,
        subject: SubjectDep,
        start: FromQuery[date | None] = None,
        end: FromQuery[date | None] = None,
    ) -> list[WeekSummary]:
        """Weeks with their state and hours, newest first (default: the last 8 weeks and this one)."""
        return await time.list_weeks(principal, start, end, subject)

    @get("/weeks/first-open")
    async def first_open(self, language: LanguageDep, principal: PrincipalDep, time: TimeDep) -> WeekView:
        """Where time reporting opens: the first week not yet submitted (or sent back), else this week."""
        return await time.first_open_week(principal, language)

    @get("/weeks/{week:str}")
    async def get_week(
        self,
        language: LanguageDep,
        week: FromPath[str],
        principal: PrincipalDep,
        time: TimeDep,
        subject: SubjectDep,
    ) -> WeekView:
        """The week (``2026-W48``): rows, day totals, schedule, OB, locked days and its attest state.

        The week's id (as attest items and payslip lines name it) is understood too.
        """
        try:
            week_id = UUID(week)
        except ValueError:
            return await time.week_view(principal, parse_week(week), language, subject)
        return await time.week_view_by_id(principal, week_id, language)

    @put("/weeks/{week:str}", may_create=True)
    async def put_week(
        self,
        language: LanguageDep,
        week: FromPath[str],
        data: JSONBody[WeekIn],
        principal: PrincipalDep,
        time: TimeDep,
    ) -> Response[WeekView]:
        """Save the week's rows (201 the first time, then 200). Everything is checked; nothing is stored on an error."""
        view, created = await time.put_week(principal, parse_week(week), data, language)
        return Response(view, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @post("/weeks/{week:str}/submit", status_code=HTTP_200_OK)
    async def submit_week(
        self,
        request: Request[Any, Any, Any],
        language: LanguageDep,
        week: FromPath[str],
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
        time: TimeDep,
    ) -> Response[Any]:
        """Send the week for attest (again, after it was returned and corrected)."""
        monday = parse_week(week)

        async def action() -> WeekView:
            return await time.submit_week(principal, monday, clock.now(), language)

        return await idempotent(request, db_session, principal, action, HTTP_200_OK)


class TimeLockController(Controller):
    path = "/api/time/locks"
    tags = ["Time"]
    guards = [PAYROLL]
    dependencies = {"locks": Provide(provide_locks, sync_to_thread=False)}

    @get("/")
    async def list_locks(
        self,
        principal: PrincipalDep,
        locks: LocksDep,
        language: LanguageDep,
        start: FromQuery[date | None] = None,
        end: FromQuery[date | None] = None,
    ) -> list[LockView]:
        """Locked days ("spärrade dagar") overlapping the range."""
        return await locks.list_locks(principal, start, end, language)

    @put("/{lock_id:uuid}", may_create=True)
    async def put_lock(
        self, lock_id: FromPath[UUID], data: JSONBody[LockIn], principal: PrincipalDep, locks: LocksDep
    ) -> Response[LockView]:
        """Lock a date range for one employee or everyone (201), or change a lock (200)."""
        view, created = await locks.put_lock(principal, lock_id, data)
        return Response(view, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @delete("/{lock_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_lock(self, lock_id: FromPath[UUID], principal: PrincipalDep, locks: LocksDep) -> None:
        """Unlock the days again."""
        await locks.delete_lock(principal, lock_id)
