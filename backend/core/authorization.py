"""Who may do what: roles, route guards and row-level rules, all in this one module.

Handlers declare a guard (``guards=[requires(Role.PAYROLL)]``); services ask the policy
functions below which rows a principal may see. Who sees and decides submitted items
(manager, substitute, payroll) lives beside delegations in ``backend/attest/routing.py``.
Nothing else decides access.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import ColumnElement, false, or_

from backend.core.i18n import Text
from backend.core.problems import FieldError, Problem

if TYPE_CHECKING:
    from backend.core.auth import Principal


class Role(StrEnum):
    EMPLOYEE = "employee"
    MANAGER = "manager"
    PAYROLL = "payroll"
    ADMIN = "admin"


PAYROLL_TEAM = Text(sv="Lön", en="Payroll")
"""How people see the payroll team where no one person is named (a case given by it, items without a manager)."""

Guard = Any


def requires(*roles: Role) -> Guard:
    """A route guard: the caller must hold at least one of ``roles``."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        principal = connection.scope.get("user")
        if principal is None:
            raise NotAuthorizedException()
        if not principal.has(*roles):
            raise PermissionDeniedException("role")

    guard.__name__ = "requires_" + "_or_".join(role.value for role in roles)
    return guard


def sees_whole_organisation(principal: Principal) -> bool:
    return principal.has(Role.PAYROLL, Role.ADMIN)


def employee_scope(
    principal: Principal, employee_id: Any, manager_id: Any, organisation_id: Any
) -> ColumnElement[bool]:
    """The rows about employees the principal may see, as a SQL condition.

    Employees see themselves; managers also their direct reports; payroll and admin
    the whole organisation. Always limited to the principal's own organisation.
    """
    same_org = organisation_id == principal.organisation_id
    if sees_whole_organisation(principal):
        return same_org  # type: ignore[no-any-return]
    if principal.employee_id is None:
        return false()
    mine = employee_id == principal.employee_id
    if principal.has(Role.MANAGER):
        return same_org & or_(mine, manager_id == principal.employee_id)  # type: ignore[no-any-return]
    return same_org & mine  # type: ignore[no-any-return]


def can_view_pay(principal: Principal, employee_id: UUID) -> bool:
    """Pay is private: the employee and payroll see it; a manager does not."""
    return principal.employee_id == employee_id or principal.has(Role.PAYROLL)


def can_view_identity(principal: Principal, employee_id: UUID) -> bool:
    """The personnummer: the person themselves, payroll and admin (who register it); not a manager."""
    return principal.employee_id == employee_id or principal.has(Role.PAYROLL, Role.ADMIN)


def can_manage_people(principal: Principal) -> bool:
    """Creating employees and changing employment terms is for payroll and admin."""
    return principal.has(Role.PAYROLL, Role.ADMIN)


def may_see_drafts_of(principal: Principal, employee_id: UUID) -> bool:
    """Drafts are the employee's own: a manager (or substitute) sees a report only once it is submitted.

    Payroll sees the whole organisation's. Anyone else is answered as if the draft did not
    exist (404), so not even its existence shows.
    """
    return principal.employee_id == employee_id or principal.has(Role.PAYROLL)


class _HasState(Protocol):
    @property
    def state(self) -> str: ...


Shown = TypeVar("Shown", bound=_HasState)


def visible_items(principal: Principal, employee_id: UUID, items: list[Shown]) -> list[Shown]:
    """A list of an employee's items as ``principal`` may see it: others' drafts left out (``may_see_drafts_of``)."""
    return items if may_see_drafts_of(principal, employee_id) else [item for item in items if item.state != "draft"]


SALARY_BY_SOMEONE_ELSE = Text(
    sv="Din egen lön ändras av en annan person med lönerollen.",
    en="Your own salary is changed by another person with the payroll role.",
)
ROLES_BY_SOMEONE_ELSE = Text(
    sv="Dina egna roller ändras av en annan administratör.",
    en="Your own roles are changed by another administrator.",
)


def refuse_own_change(principal: Principal, *, own: bool, field: str, who: Text) -> None:
    """One's own salary or roles need a second person: nobody raises their own pay or grants themselves access.

    403 naming who can make the change instead (``who``).
    """
    if own:
        raise Problem(
            403,
            "second_person_required",
            Text(sv="En annan person måste göra ändringen", en="Someone else must make this change"),
            who,
            [FieldError(field, "own_record", who)],
        )
