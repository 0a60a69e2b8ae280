"""One receipt straight to attest: a claim of one is made for the employee and submitted in one transaction.

The claim and the submission are the ordinary ones (``ExpenseService.place_in_claim`` and
``send_for_attest``), so every rule of a claim of several holds here too.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import func
from sqlmodel import col, select

from backend.attest import services as attest
from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.problems import conflict, not_found
from backend.db.models import Expense, ExpenseClaim
from backend.domain.attest import ItemKind, editable
from backend.expenses.schemas import ClaimView
from backend.expenses.services import ExpenseService


async def submit_expense(
    service: ExpenseService, principal: Principal, expense_id: UUID, now: datetime, today: date, language: Language
) -> ClaimView:
    """Submit one expense for attest; a retry after it was sent answers with the same claim.

    The claim of one takes the expense's id, so two taps racing each other make one claim
    (the second insert fails) rather than two attest items for the same receipt.
    """
    employee = await service._me(principal)
    session = service.session
    expense = await session.get(Expense, expense_id)
    if expense is None or expense.employee_id != employee.id:
        raise not_found()
    if expense.travel_claim_id is not None:
        raise conflict(
            "in_travel_claim",
            Text(
                sv="Utlägget ingår i en reseräkning och skickas in med den.",
                en="The expense is part of a travel claim and is submitted with it.",
            ),
        )
    claim: ExpenseClaim | None = None
    if expense.claim_id is not None:
        claim = await session.get(ExpenseClaim, expense.claim_id)
        assert claim is not None
        members = (await session.execute(select(func.count()).where(col(Expense.claim_id) == claim.id))).scalar_one()
        if members > 1:
            raise conflict(
                "in_claim_of_several",
                Text(
                    sv="Utlägget ingår i en räkning med flera utlägg: skicka in räkningen.",
                    en="The expense is in a claim with other expenses: submit the claim.",
                ),
            )
        item = await attest.item_for(session, ItemKind.EXPENSE_CLAIM, claim.id)
        if not editable(attest.state(item)):
            return await service.claim_view(principal, claim.id, language)
    if claim is None:
        taken = await session.get(ExpenseClaim, expense.id) is not None  # a claim of one emptied by hand earlier
        claim_id = uuid4() if taken else expense.id
        claim, _ = await service.place_in_claim(principal, employee, claim_id, None, [expense.id], language)
    await service.send_for_attest(principal, employee, claim, now, today)
    await session.commit()
    return await service.claim_view(principal, claim.id, language)
