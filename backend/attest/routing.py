"""Whose items reach whom: the employee's manager, their substitutes, and payroll as the last resort.

Routing is read from the current organisation chart when an item is shown or decided,
so a change of manager moves pending items with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.auth import Principal
from backend.core.authorization import Role
from backend.core.i18n import Text
from backend.core.problems import forbidden, not_found
from backend.db.models import Delegation, Employee


@dataclass(frozen=True, slots=True)
class Subject:
    """Whose items a request is about, already checked: the caller, or someone the caller may see.

    ``employee`` is None only for a caller without an employee record (an administrator) who named no one;
    each area says in its own words why it needs one (``required``).
    """

    employee: Employee | None

    def required(self, only_employees: Text) -> Employee:
        """The employee, or 403 saying what only employees do here ("Only employees report time.")."""
        if self.employee is None:
            raise forbidden(only_employees)
        return self.employee


async def substituting_for(session: AsyncSession, principal: Principal, today: date) -> set[UUID]:
    """Managers whose items this principal may attest today through an active delegation."""
    if principal.employee_id is None:
        return set()
    rows = await session.execute(
        select(Delegation.manager_employee_id).where(
            col(Delegation.organisation_id) == principal.organisation_id,
            col(Delegation.substitute_employee_id) == principal.employee_id,
            col(Delegation.valid_from) <= today,
            col(Delegation.valid_to) >= today,
            col(Delegation.ended_at).is_(None),
        )
    )
    return set(rows.scalars())


def decider(principal: Principal, employee: Employee, substitutes_for: set[UUID]) -> tuple[bool, UUID | None]:
    """(may decide, on behalf of which manager). Own items are refused by the state machine."""
    manager = employee.manager_id
    if manager is None:
        return principal.has(Role.PAYROLL), None
    if principal.employee_id is not None and manager == principal.employee_id:
        return True, None
    if manager in substitutes_for:
        return True, manager
    return False, None


def may_see(principal: Principal, employee: Employee, substitutes_for: set[UUID]) -> bool:
    """The employee, their manager, an active substitute of the manager, and payroll see the items."""
    if employee.organisation_id != principal.organisation_id:
        return False
    if principal.has(Role.PAYROLL) or employee.id == principal.employee_id:
        return True
    return decider(principal, employee, substitutes_for)[0]


async def may_see_items_of(session: AsyncSession, principal: Principal, employee: Employee, today: date) -> bool:
    if principal.has(Role.PAYROLL) or employee.id == principal.employee_id:
        return employee.organisation_id == principal.organisation_id
    return may_see(principal, employee, await substituting_for(session, principal, today))


async def own_employee(session: AsyncSession, principal: Principal, only_employees: Text) -> Employee:
    """The signed-in person's employee record; an account without one (an administrator) is refused.

    ``only_employees`` says what only employees do here ("Only employees report time.").
    """
    return (await _own(session, principal)).required(only_employees)


async def _own(session: AsyncSession, principal: Principal) -> Subject:
    """The caller's own employee record (none for an administrator); a record elsewhere is refused."""
    if principal.employee_id is None:
        return Subject(None)
    employee = await session.get(Employee, principal.employee_id)
    if employee is None or employee.organisation_id != principal.organisation_id:
        raise forbidden()
    return Subject(employee)


async def visible_employee(session: AsyncSession, principal: Principal, employee_id: UUID, today: date) -> Employee:
    """Someone whose items the principal may see (themselves, their team, as a substitute, payroll); else 404."""
    employee = await session.get(Employee, employee_id)
    if employee is None or not await may_see_items_of(session, principal, employee, today):
        raise not_found()
    return employee


async def subject(session: AsyncSession, principal: Principal, employee_id: UUID | None, today: date) -> Subject:
    """The request's subject: yourself when ``employee_id`` is absent or your own, else someone you may see (404)."""
    if employee_id is not None and employee_id != principal.employee_id:
        return Subject(await visible_employee(session, principal, employee_id, today))
    return await _own(session, principal)
