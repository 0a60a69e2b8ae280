"""Leave requests (vacation applications), the vacation days left, and payroll's entitlement setting."""

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
from backend.core.i18n import Text
from backend.core.idempotency import idempotent
from backend.core.problems import FieldError, invalid
from backend.core.queries import Year
from backend.leave.schemas import (
    EntitlementIn,
    LeaveRequestIn,
    LeaveRequestView,
    VacationBalanceView,
    WorkingDaysView,
)
from backend.leave.services import LeaveService


def provide_leave(db_session: DbSession, clock: ClockDep) -> LeaveService:
    """The leave service for this request: its wiring in one place, not in every handler."""
    return LeaveService(db_session, clock.today())


LeaveDep: TypeAlias = NamedDependency[SkipValidation[LeaveService]]


def _year(value: int) -> int:
    if not 2000 <= value <= 2100:
        raise invalid([FieldError("year", "out_of_range", Text(sv="Ogiltigt år", en="Invalid year"))])
    return value


class LeaveController(Controller):
    path = "/api/leave"
    tags = ["Leave"]
    dependencies = {"leave": Provide(provide_leave, sync_to_thread=False)}

    @get("/balance")
    async def balance(
        self,
        clock: ClockDep,
        leave: LeaveDep,
        subject: SubjectDep,
        year: Year = None,
    ) -> VacationBalanceView:
        """Vacation days of the year: entitlement, approved, waiting for attest, and remaining."""
        return await leave.balance(subject, _year(year or clock.today().year))

    @put("/entitlements/{employee_id:uuid}/{year:int}", guards=[requires(Role.PAYROLL)])
    async def set_entitlement(
        self,
        employee_id: FromPath[UUID],
        year: FromPath[int],
        data: JSONBody[EntitlementIn],
        principal: PrincipalDep,
        leave: LeaveDep,
    ) -> VacationBalanceView:
        """Set an employee's vacation days for a year (default 25, the law's minimum)."""
        return await leave.set_entitlement(principal, employee_id, year, data)

    @get("/working-days")
    async def working_days(
        self,
        principal: PrincipalDep,
        leave: LeaveDep,
        first_day: FromQuery[date],
        last_day: FromQuery[date],
    ) -> WorkingDaysView:
        """The working days a leave of these dates would take, shown in the form before it is sent."""
        return await leave.working_days(principal, first_day, last_day)

    @get("/requests")
    async def list_requests(
        self,
        language: LanguageDep,
        principal: PrincipalDep,
        leave: LeaveDep,
        subject: SubjectDep,
    ) -> list[LeaveRequestView]:
        """Your leave requests, latest first (managers and payroll may ask for an employee they see)."""
        return await leave.list_requests(principal, subject, language)

    @get("/requests/{request_id:uuid}")
    async def get_request(
        self, language: LanguageDep, request_id: FromPath[UUID], principal: PrincipalDep, leave: LeaveDep
    ) -> LeaveRequestView:
        return await leave.get(principal, request_id, language)

    @put("/requests/{request_id:uuid}", may_create=True)
    async def put_request(
        self,
        request: Request[Any, Any, Any],
        language: LanguageDep,
        request_id: FromPath[UUID],
        data: JSONBody[LeaveRequestIn],
        principal: PrincipalDep,
        leave: LeaveDep,
    ) -> Response[LeaveRequestView]:
        """Create (201) or change (200) a leave request under an id you choose."""
        view, created = await leave.put(principal, request_id, data, language)
        return Response(view, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @delete("/requests/{request_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_request(self, request_id: FromPath[UUID], principal: PrincipalDep, leave: LeaveDep) -> None:
        await leave.delete(principal, request_id)

    @post("/requests/{request_id:uuid}/submit", status_code=HTTP_200_OK)
    async def submit_request(
        self,
        request: Request[Any, Any, Any],
        language: LanguageDep,
        request_id: FromPath[UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        clock: ClockDep,
        leave: LeaveDep,
    ) -> Response[Any]:
        """Send the request for attest; the days must be left in the year(s) it covers."""

        async def action() -> LeaveRequestView:
            return await leave.submit(principal, request_id, clock.now(), language)

        return await idempotent(request, db_session, principal, action, HTTP_200_OK)
