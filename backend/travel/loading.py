"""Loading a travel claim for a use case: who claims, a claim they own or may see, its expenses.

Owning and seeing differ: only the employee changes or submits their claim (anyone else gets a 404,
as if it did not exist), while a manager or payroll may read it.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.routing import own_employee, visible_employee
from backend.core.auth import Principal
from backend.core.i18n import Text
from backend.core.problems import not_found
from backend.db.models import Employee, Expense, TravelClaim
from backend.domain.attest import ItemKind

ONLY_EMPLOYEES = Text(sv="Bara anställda lämnar reseräkningar.", en="Only employees file travel claims.")


async def claimant(session: AsyncSession, principal: Principal) -> Employee:
    """The employee behind the principal: only employees file travel claims."""
    return await own_employee(session, principal, ONLY_EMPLOYEES)


async def owned_claim(session: AsyncSession, principal: Principal, claim_id: UUID) -> tuple[TravelClaim, Employee]:
    """The principal's own claim, to change: someone else's is not found."""
    employee = await claimant(session, principal)
    claim = await session.get(TravelClaim, claim_id)
    if claim is None or claim.employee_id != employee.id:
        raise not_found()
    return claim, employee


async def visible_claim(
    session: AsyncSession, principal: Principal, claim_id: UUID, today: date
) -> tuple[TravelClaim, Employee]:
    """A claim the principal may read: of an employee they see, a draft only where the policy shows drafts."""
    claim = await session.get(TravelClaim, claim_id)
    if claim is None or claim.organisation_id != principal.organisation_id:
        raise not_found()
    employee = await visible_employee(session, principal, claim.employee_id, today)
    await attest.refuse_unsubmitted(session, principal, ItemKind.TRAVEL_CLAIM, claim.id, employee.id)
    return claim, employee


async def claim_expenses(session: AsyncSession, claim_id: UUID) -> list[Expense]:
    """The expenses attached to the claim, in the order they were spent."""
    return list(
        (
            await session.execute(
                select(Expense)
                .where(col(Expense.travel_claim_id) == claim_id)
                .order_by(col(Expense.expense_date), col(Expense.created_at))
            )
        ).scalars()
    )
