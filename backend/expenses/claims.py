"""Expense claims: which expenses a claim holds and its title, deleting it, its views, and sending it for attest.

A claim is checked all at once before it is sent (every problem of every expense, by the domain's
``submission_problems``), so the approver never returns it for something the app could have said.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.history import history
from backend.attest.schemas import item_state
from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, conflict, invalid, not_found
from backend.db.models import Employee, Expense, ExpenseClaim
from backend.domain import expenses as rules
from backend.domain.attest import AttestState, ItemKind, deletable, editable
from backend.expenses import claim_titles
from backend.expenses.schemas import ClaimIn, ClaimSummary, ClaimView
from backend.expenses.views import ExpenseViews


def claim_total(expenses: Sequence[Expense]) -> Decimal:
    """What the claim pays in kronor: a foreign expense without a rate yet counts as nothing."""
    return sum((e.amount_sek or Decimal(0) for e in expenses), Decimal("0.00"))


class ClaimUseCases(ExpenseViews):
    """The employee's expense claims; others read a claim once it is submitted."""

    async def _claim(self, principal: Principal, claim_id: UUID) -> ExpenseClaim:
        claim = await self.session.get(ExpenseClaim, claim_id)
        if claim is None:
            raise not_found()
        await self._owner_visible(principal, claim.employee_id, claim.organisation_id)
        await attest.refuse_unsubmitted(self.session, principal, ItemKind.EXPENSE_CLAIM, claim.id, claim.employee_id)
        return claim

    async def _own_claim(self, employee: Employee, claim_id: UUID) -> ExpenseClaim:
        claim = await self.session.get(ExpenseClaim, claim_id)
        if claim is None or claim.employee_id != employee.id:
            raise not_found()
        return claim

    async def put_claim(
        self, principal: Principal, claim_id: UUID, data: ClaimIn, language: Language
    ) -> tuple[ClaimView, bool]:
        employee = await self._me(principal)
        claim, created = await self.place_in_claim(
            principal, employee, claim_id, data.title, data.expense_ids, language
        )
        await self.session.commit()
        return await self.claim_view(principal, claim.id, language), created

    async def place_in_claim(
        self,
        principal: Principal,
        employee: Employee,
        claim_id: UUID,
        title: str | None,
        expense_ids: Sequence[UUID],
        language: Language,
    ) -> tuple[ExpenseClaim, bool]:
        """Create or change a claim and which expenses it holds, without committing (the caller does).

        No title, or the automatic title left as it was, gives the claim the automatic title of its
        new members (``backend.domain.claim_titles``)."""
        claim = await self.session.get(ExpenseClaim, claim_id)
        created = claim is None
        if claim is not None:
            if claim.employee_id != employee.id:
                raise not_found()
            await attest.ensure_editable(self.session, ItemKind.EXPENSE_CLAIM, claim.id)
        expenses = (
            list((await self.session.execute(select(Expense).where(col(Expense.id).in_(expense_ids)))).scalars())
            if expense_ids
            else []
        )
        found = {e.id: e for e in expenses}
        errors = self._membership_problems(employee, claim_id, expense_ids, found)
        if errors:
            raise invalid(errors)
        current = (
            list((await self.session.execute(select(Expense).where(col(Expense.claim_id) == claim.id))).scalars())
            if claim is not None
            else []
        )
        written = (title or "").strip()
        as_of = claim_titles.written_on(claim, self.today)
        automatic = not written or (
            claim is not None
            and written == claim.title
            and (await claim_titles.title_for(self.session, employee, current, as_of)).says(written)
        )
        if automatic:
            members_in_order = [found[i] for i in dict.fromkeys(expense_ids)]
            written = (await claim_titles.title_for(self.session, employee, members_in_order, as_of))(language)
        if claim is None:
            claim = ExpenseClaim(
                id=claim_id, organisation_id=employee.organisation_id, employee_id=employee.id, title=written
            )
            self.session.add(claim)
            await self.session.flush()
            action = "created"
        else:
            claim.title = written
            action = "updated"
        members = set(expense_ids)
        for expense in current:
            if expense.id not in members:
                expense.claim_id = None
        for expense in expenses:
            expense.claim_id = claim.id
        self._audit(
            principal,
            employee,
            ItemKind.EXPENSE_CLAIM.value,
            claim.id,
            action,
            after={"title": written, "expense_ids": sorted(str(i) for i in members)},
        )
        return claim, created

    @staticmethod
    def _membership_problems(
        employee: Employee, claim_id: UUID, expense_ids: Sequence[UUID], found: dict[UUID, Expense]
    ) -> list[FieldError]:
        """Each expense named must be the employee's and in no other claim (expense or travel)."""
        errors = []
        for index, expense_id in enumerate(expense_ids):
            expense = found.get(expense_id)
            if expense is None or expense.employee_id != employee.id:
                errors.append(
                    FieldError(f"expense_ids.{index}", "unknown_expense", Text(sv="Okänt utlägg", en="Unknown expense"))
                )
            elif expense.claim_id not in (None, claim_id):
                errors.append(
                    FieldError(
                        f"expense_ids.{index}",
                        "in_other_claim",
                        Text(
                            sv="Utlägget ingår redan i en annan räkning", en="The expense is already in another claim"
                        ),
                    )
                )
            elif expense.travel_claim_id is not None:
                errors.append(
                    FieldError(
                        f"expense_ids.{index}",
                        "in_travel_claim",
                        Text(
                            sv="Utlägget ingår i en reseräkning; ta bort det därifrån först",
                            en="The expense is in a travel claim; remove it from there first",
                        ),
                    )
                )
        return errors

    async def delete_claim(self, principal: Principal, claim_id: UUID) -> None:
        """Only a claim never sent can go; its expenses stay, out of any claim."""
        employee = await self._me(principal)
        claim = await self._own_claim(employee, claim_id)
        item = await attest.item_for(self.session, ItemKind.EXPENSE_CLAIM, claim.id)
        if not deletable(attest.state(item)):
            raise conflict(
                "claim_already_submitted",
                Text(sv="En inskickad räkning kan inte tas bort.", en="A submitted claim cannot be deleted."),
            )
        for expense in (await self.session.execute(select(Expense).where(col(Expense.claim_id) == claim.id))).scalars():
            expense.claim_id = None
        self._audit(
            principal, employee, ItemKind.EXPENSE_CLAIM.value, claim.id, "deleted", before={"title": claim.title}
        )
        await self.session.delete(claim)
        await self.session.commit()

    async def list_claims(self, principal: Principal) -> list[ClaimSummary]:
        """The employee's claims, newest first, with their state, count and total (one query for the totals)."""
        employee = await self._me(principal)
        claims = list(
            (
                await self.session.execute(
                    select(ExpenseClaim)
                    .where(col(ExpenseClaim.employee_id) == employee.id)
                    .order_by(col(ExpenseClaim.created_at).desc())
                )
            ).scalars()
        )
        items = await self._claim_states({c.id for c in claims})
        totals: dict[UUID, tuple[int, Decimal]] = {}
        if claims:
            rows = await self.session.execute(
                select(col(Expense.claim_id), func.count(), func.sum(col(Expense.amount_sek)))
                .where(col(Expense.claim_id).in_([c.id for c in claims]))
                .group_by(col(Expense.claim_id))
            )
            totals = {
                claim_id: (count, Decimal(total or 0).quantize(rules.CENT)) for claim_id, count, total in rows.tuples()
            }
        return [
            ClaimSummary(
                id=c.id,
                title=c.title,
                state=self._state(c.id, items),
                total_sek=totals.get(c.id, (0, Decimal("0.00")))[1],
                expense_count=totals.get(c.id, (0, Decimal(0)))[0],
                submitted_at=items[c.id].submitted_at if c.id in items else None,
                updated_at=c.updated_at,
            )
            for c in claims
        ]

    async def claim_view(self, principal: Principal, claim_id: UUID, language: Language) -> ClaimView:
        claim = await self._claim(principal, claim_id)
        expenses = await claim_titles.members_of(self.session, claim)
        item = await attest.item_for(self.session, ItemKind.EXPENSE_CLAIM, claim.id)
        state = item_state(item)
        return ClaimView(
            id=claim.id,
            title=claim.title,
            state=state,
            editable=editable(AttestState(item.state) if item else None),
            total_sek=claim_total(expenses),
            expenses=await self.views(expenses, language),
            attest=attest.attest_view(item),
            history=await history(self.session, claim.organisation_id, ItemKind.EXPENSE_CLAIM.value, claim.id),
        )

    async def _submission_warnings(self, expenses: Sequence[Expense]) -> list[dict[str, str]]:
        """What the approver should look at (duplicates, wellness cap), in both languages, kept on the item."""
        receipts = await self._receipts_by_id({e.receipt_id for e in expenses if e.receipt_id})
        warnings = await self.found_warnings(expenses, receipts)
        found: dict[tuple[str, str], dict[str, str]] = {}
        for expense in expenses:
            for warning in warnings[expense.id]:
                label = expense.merchant or str(expense.expense_date or "")
                found[(warning.code, warning.message.sv)] = attest.item_warning(
                    warning.code,
                    Text(sv=f"{label}: {warning.message.sv}", en=f"{label}: {warning.message.en}"),
                    expense_id=str(expense.id),
                )
        return list(found.values())

    async def submit_claim(
        self, principal: Principal, claim_id: UUID, now: datetime, today: date, language: Language
    ) -> ClaimView:
        """Validate everything up front and report every problem at once; then send for attest."""
        employee = await self._me(principal)
        claim = await self._own_claim(employee, claim_id)
        await self.send_for_attest(principal, employee, claim, now, today)
        await self.session.commit()
        return await self.claim_view(principal, claim.id, language)

    async def send_for_attest(
        self, principal: Principal, employee: Employee, claim: ExpenseClaim, now: datetime, today: date
    ) -> None:
        """Check every expense of the claim (every problem at once) and submit it; the caller commits."""
        await attest.ensure_editable(self.session, ItemKind.EXPENSE_CLAIM, claim.id)
        expenses = await claim_titles.members_of(self.session, claim)
        errors: list[FieldError] = []
        if not expenses:
            errors.append(
                FieldError(
                    "expense_ids", "empty_claim", Text(sv="Lägg till minst ett utlägg", en="Add at least one expense")
                )
            )
        for index, expense in enumerate(expenses):
            errors += [v.within(f"expenses.{index}.") for v in rules.submission_problems(self._facts(expense), today)]
        if errors:
            raise invalid(
                errors,
                Text(
                    sv="Räkningen kan inte skickas in ännu. Rätta allt nedan på en gång.",
                    en="The claim cannot be submitted yet. Correct everything below at once.",
                ),
            )
        await attest.submit(
            self.session,
            principal,
            kind=ItemKind.EXPENSE_CLAIM,
            subject_id=claim.id,
            employee=employee,
            title=claim.title,
            now=now,
            amount=claim_total(expenses),
            warnings=await self._submission_warnings(expenses),
        )
