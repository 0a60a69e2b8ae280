"""What every expense use case shares: who may file and see what, and an expense as the domain's rules see it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.routing import own_employee, visible_employee
from backend.core import audit, clock
from backend.core.auth import Principal
from backend.core.authorization import may_see_drafts_of
from backend.core.i18n import Text
from backend.core.problems import not_found
from backend.db.models import Employee, Expense, Receipt
from backend.domain import expenses as rules
from backend.domain.attest import ItemKind
from backend.storage import ContentStore


class ExpenseContext:
    """The session, store and day of one request, and the checks each use case makes before it acts.

    The use cases (receipts, one expense, claims, warnings) derive from it, so the facade
    ``ExpenseService`` composed of them is built as it always was.
    """

    def __init__(self, session: AsyncSession, storage: ContentStore | None = None, today: date | None = None) -> None:
        self.session = session
        self.storage = storage
        self.today = today or clock.current().today()

    async def _me(self, principal: Principal) -> Employee:
        return await own_employee(
            self.session,
            principal,
            Text(sv="Bara anställda kan lägga in utlägg.", en="Only employees can file expenses."),
        )

    async def _owner_visible(self, principal: Principal, employee_id: UUID, organisation_id: UUID) -> Employee:
        if organisation_id != principal.organisation_id:
            raise not_found()
        return await visible_employee(self.session, principal, employee_id, self.today)

    async def _refuse_draft(self, principal: Principal, expense: Expense) -> None:
        """An expense is seen by others once the claim (expense or travel) it belongs to is submitted."""
        if may_see_drafts_of(principal, expense.employee_id):
            return
        if expense.claim_id is not None:
            kind, subject = ItemKind.EXPENSE_CLAIM, expense.claim_id
        elif expense.travel_claim_id is not None:
            kind, subject = ItemKind.TRAVEL_CLAIM, expense.travel_claim_id
        else:
            raise not_found()
        await attest.refuse_unsubmitted(self.session, principal, kind, subject, expense.employee_id)

    async def _ensure_editable(self, expense: Expense) -> None:
        """An expense in a claim (expense or travel) changes only while that claim may."""
        if expense.claim_id is not None:
            await attest.ensure_editable(self.session, ItemKind.EXPENSE_CLAIM, expense.claim_id)
        if expense.travel_claim_id is not None:
            await attest.ensure_editable(self.session, ItemKind.TRAVEL_CLAIM, expense.travel_claim_id)

    def _audit(
        self,
        principal: Principal,
        employee: Employee,
        entity_type: str,
        entity_id: UUID,
        action: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """Every change an employee makes to an expense or a claim is logged, as the employee."""
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type=entity_type,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
        )

    async def _receipts_by_id(self, receipt_ids: set[UUID]) -> dict[UUID, Receipt]:
        """The receipts of several expenses in one query (none when there are no ids)."""
        if not receipt_ids:
            return {}
        rows = await self.session.execute(select(Receipt).where(col(Receipt.id).in_(receipt_ids)))
        return {r.id: r for r in rows.scalars()}

    def _facts(self, expense: Expense) -> rules.ExpenseFacts:
        """The stored expense as the domain's rules read it (also used by a travel claim's submission)."""
        return rules.ExpenseFacts(
            expense_date=expense.expense_date,
            merchant=expense.merchant,
            amount=expense.amount,
            currency=expense.currency,
            exchange_rate=Decimal(expense.exchange_rate) if expense.exchange_rate else None,
            category=expense.category,
            payment=expense.payment,
            vat=tuple(rules.VatRow(Decimal(r["rate"]), Decimal(r["amount"])) for r in expense.vat),
            org_number=expense.org_number,
            has_receipt=expense.receipt_id is not None,
            comment=expense.comment,
            purpose=expense.purpose,
            participants=tuple(rules.Participant(p["name"], p["company"]) for p in expense.participants),
        )
