"""Expenses as the app shows them: with the state of their claim, their receipt, warnings and what to fix."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from backend.attest import services as attest
from backend.attest.schemas import ItemState, item_state
from backend.core.i18n import Language
from backend.db.models import AttestItem, Expense
from backend.domain import expenses as rules
from backend.domain.attest import AttestState, ItemKind, editable
from backend.expenses.receipts import receipt_view
from backend.expenses.schemas import ExpenseView, FieldNote, ParticipantView, VatRowView
from backend.expenses.warnings import WarningChecks


def may_change(state: ItemState) -> bool:
    """The attest rule (``backend.domain.attest.editable``) read from a view's state, where no item is a draft."""
    return editable(None if state == "draft" else AttestState(state))


class ExpenseViews(WarningChecks):
    """Views of any number of expenses, shared by the expense and the claim use cases."""

    async def _claim_states(self, claim_ids: set[UUID]) -> dict[UUID, AttestItem]:
        return await attest.states_of(self.session, ItemKind.EXPENSE_CLAIM, claim_ids)

    @staticmethod
    def _state(expense_claim: UUID | None, items: dict[UUID, AttestItem]) -> ItemState:
        return item_state(items.get(expense_claim) if expense_claim else None)

    async def views(self, expenses: Sequence[Expense], language: Language) -> list[ExpenseView]:
        """Views with state, receipt and warnings, in a fixed number of queries whatever the count."""
        if not expenses:
            return []
        items = await self._claim_states({e.claim_id for e in expenses if e.claim_id})
        trips = await attest.states_of(
            self.session, ItemKind.TRAVEL_CLAIM, {e.travel_claim_id for e in expenses if e.travel_claim_id}
        )
        receipts = await self._receipts_by_id({e.receipt_id for e in expenses if e.receipt_id})
        warnings = await self.warnings(expenses, receipts, language)
        views = []
        for e in expenses:
            state = (
                self._state(e.claim_id, items) if e.travel_claim_id is None else self._state(e.travel_claim_id, trips)
            )
            changeable = may_change(state)
            receipt = receipts.get(e.receipt_id) if e.receipt_id else None
            views.append(
                ExpenseView(
                    id=e.id,
                    state=state,
                    editable=changeable,
                    claim_id=e.claim_id,
                    travel_claim_id=e.travel_claim_id,
                    receipt=receipt_view(receipt, e.id) if receipt else None,
                    expense_date=e.expense_date,
                    merchant=e.merchant,
                    org_number=e.org_number,
                    amount=e.amount,
                    currency=e.currency,
                    exchange_rate=Decimal(e.exchange_rate) if e.exchange_rate else None,
                    exchange_rate_source=e.exchange_rate_source,
                    amount_sek=e.amount_sek,
                    vat=[VatRowView(rate=Decimal(r["rate"]), amount=Decimal(r["amount"])) for r in e.vat],
                    category=e.category,
                    payment=e.payment,
                    project_id=e.project_id,
                    cost_centre_id=e.cost_centre_id,
                    comment=e.comment,
                    purpose=e.purpose,
                    participants=[ParticipantView(name=p["name"], company=p["company"]) for p in e.participants],
                    attachment_receipt_ids=[UUID(r) for r in e.attachment_receipt_ids],
                    filled_from_receipt=e.filled_from_receipt,
                    confidence=e.confidence,
                    remembered=list(e.remembered),
                    warnings=warnings.get(e.id, []),
                    to_fix=self.to_fix(e, language) if changeable else [],
                    created_at=e.created_at,
                    updated_at=e.updated_at,
                )
            )
        return views

    def to_fix(self, expense: Expense, language: Language) -> list[FieldNote]:
        """The submission's rules run at every save and read, so each problem shows beside its field at once."""
        return [
            FieldNote(field=v.field, code=v.code, message=v.message(language))
            for v in rules.submission_problems(self._facts(expense), self.today)
        ]
