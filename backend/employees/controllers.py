"""Employees: the people list (scoped by role), details, and employment terms."""

from __future__ import annotations

from typing import Annotated, TypeAlias
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, Parameter, SkipValidation
from litestar.status_codes import HTTP_201_CREATED

from backend.core.authorization import Role, requires
from backend.core.deps import ClockDep, DbSession, LanguageDep, PrincipalDep
from backend.core.queries import Offset, SearchText
from backend.employees.schemas import (
    EmployeeCreate,
    EmployeeSummary,
    EmployeeUpdate,
    EmployeeView,
    EmploymentInput,
    EmploymentView,
)
from backend.employees.services import EmployeeService

PAYROLL_OR_ADMIN = requires(Role.PAYROLL, Role.ADMIN)


def provide_employees(db_session: DbSession) -> EmployeeService:
    """The employee service for this request: its wiring in one place, not in every handler."""
    return EmployeeService(db_session)


EmployeesDep: TypeAlias = NamedDependency[SkipValidation[EmployeeService]]


class EmployeeController(Controller):
    path = "/api/employees"
    tags = ["Employees"]
    dependencies = {"employees": Provide(provide_employees, sync_to_thread=False)}

    @get("/")
    async def list_employees(
        self,
        principal: PrincipalDep,
        employees: EmployeesDep,
        q: SearchText = None,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
        offset: Offset = 0,
    ) -> list[EmployeeSummary]:
        """Employees the caller may see: themselves; a manager's reports; everyone for payroll and admin."""
        return await employees.list_visible(principal, q, limit, offset)

    @get("/{employee_id:uuid}")
    async def get_employee(
        self, employee_id: FromPath[UUID], principal: PrincipalDep, employees: EmployeesDep, clock: ClockDep
    ) -> EmployeeView:
        return await employees.get(principal, employee_id, clock.today())

    @post("/", guards=[PAYROLL_OR_ADMIN], status_code=HTTP_201_CREATED)
    async def create_employee(
        self, data: JSONBody[EmployeeCreate], principal: PrincipalDep, employees: EmployeesDep, clock: ClockDep
    ) -> EmployeeView:
        return await employees.create(principal, data, clock.today())

    @patch("/{employee_id:uuid}", guards=[PAYROLL_OR_ADMIN])
    async def update_employee(
        self,
        employee_id: FromPath[UUID],
        data: JSONBody[EmployeeUpdate],
        principal: PrincipalDep,
        employees: EmployeesDep,
        clock: ClockDep,
    ) -> EmployeeView:
        return await employees.update(principal, employee_id, data, clock.today())

    @get("/{employee_id:uuid}/employments")
    async def list_employments(
        self, employee_id: FromPath[UUID], principal: PrincipalDep, employees: EmployeesDep
    ) -> list[EmploymentView]:
        """Salary history: for the employee themselves and payroll, not for managers."""
        return await employees.employments(principal, employee_id)

    @post("/{employee_id:uuid}/employments", guards=[requires(Role.PAYROLL)], status_code=HTTP_201_CREATED)
    async def add_employment(
        self,
        employee_id: FromPath[UUID],
        data: JSONBody[EmploymentInput],
        principal: PrincipalDep,
        employees: EmployeesDep,
        clock: ClockDep,
        language: LanguageDep,
    ) -> list[EmploymentView]:
        """New terms from a date (a raise, a change of hours); earlier terms stay as history.

        Terms dated into months already paid carry ``retro`` on the added row: the retro the
        next payslip will pay, in the caller's language.
        """
        return await employees.add_employment(principal, employee_id, data, clock.today(), language)
