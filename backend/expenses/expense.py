"""One expense: create or replace it under the client's id, delete it, read one or a list.

Every save runs the domain's field rules (``backend.domain.expenses.field_problems``) and checks
that the project, cost centre and receipts it names are the employee's own.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlmodel import col, select

from backend.attest.routing import Subject
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import visible_items
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, invalid, not_found
from backend.db.models import Employee, Expense, ExpenseClaim, Project, Receipt
from backend.domain import expenses as rules
from backend.expenses import claim_titles, sellers
from backend.expenses.schemas import ExpenseIn, ExpenseView
from backend.expenses.views import ExpenseViews
from backend.organisation.cost_centres import unknown_cost_centre
from ocr.fields.orgnr import normalise as normalise_org_number

EXPENSE_FIELDS = [
    "receipt_id",
    "expense_date",
    "merchant",
    "org_number",
    "amount",
    "currency",
    "exchange_rate",
    "amount_sek",
    "vat",
    "category",
    "payment",
    "project_id",
    "cost_centre_id",
    "comment",
    "purpose",
    "participants",
    "attachment_receipt_ids",
]
"""What the employee fills in: what the audit log records and a replacing PUT overwrites."""


class ExpenseUseCases(ExpenseViews):
    """The employee's own expenses, one at a time; others read them once their claim is submitted."""

    async def _expense(self, principal: Principal, expense_id: UUID) -> Expense:
        expense = await self.session.get(Expense, expense_id)
        if expense is None:
            raise not_found()
        await self._owner_visible(principal, expense.employee_id, expense.organisation_id)
        await self._refuse_draft(principal, expense)
        return expense

    async def _references(self, principal: Principal, employee: Employee, data: ExpenseIn) -> list[FieldError]:
        """The project, cost centre and receipts named exist and are this organisation's and employee's."""
        errors: list[FieldError] = []
        if data.project_id is not None:
            project = await self.session.get(Project, data.project_id)
            if project is None or project.organisation_id != principal.organisation_id or not project.active:
                errors.append(
                    FieldError("project_id", "unknown_project", Text(sv="Okänt projekt", en="Unknown project"))
                )
        if (
            centre := await unknown_cost_centre(self.session, principal.organisation_id, data.cost_centre_id)
        ) is not None:
            errors.append(centre)
        receipt_ids = ([data.receipt_id] if data.receipt_id else []) + list(data.attachment_receipt_ids)
        if receipt_ids:
            owned = set(
                (
                    await self.session.execute(
                        select(Receipt.id).where(
                            col(Receipt.id).in_(receipt_ids), col(Receipt.employee_id) == employee.id
                        )
                    )
                ).scalars()
            )
            for index, receipt_id in enumerate(receipt_ids):
                if receipt_id not in owned:
                    name = (
                        "receipt_id"
                        if data.receipt_id and index == 0
                        else f"attachment_receipt_ids.{index - bool(data.receipt_id)}"
                    )
                    errors.append(FieldError(name, "unknown_receipt", Text(sv="Okänt kvitto", en="Unknown receipt")))
        return errors

    @staticmethod
    def _candidate(employee: Employee, expense_id: UUID, data: ExpenseIn) -> Expense:
        """The expense as sent, normalised (trimmed text, upper-case currency, org.nr as NNNNNN-NNNN, kronor)."""
        rate = data.exchange_rate
        return Expense(
            id=expense_id,
            organisation_id=employee.organisation_id,
            employee_id=employee.id,
            receipt_id=data.receipt_id,
            expense_date=data.expense_date,
            merchant=(data.merchant or "").strip() or None,
            org_number=(normalise_org_number(data.org_number) or data.org_number) if data.org_number else None,
            amount=data.amount,
            currency=data.currency.upper(),
            exchange_rate=str(rate) if rate is not None and data.currency.upper() != "SEK" else None,
            amount_sek=rules.amount_in_sek(data.amount, data.currency, rate) if data.amount is not None else None,
            vat=[{"rate": str(r.rate.normalize()), "amount": str(r.amount)} for r in data.vat],
            category=data.category,
            payment=data.payment,
            project_id=data.project_id,
            cost_centre_id=data.cost_centre_id,
            comment=data.comment,
            purpose=data.purpose,
            participants=[{"name": p.name.strip(), "company": p.company.strip()} for p in data.participants],
            attachment_receipt_ids=[str(r) for r in data.attachment_receipt_ids],
        )

    async def put_expense(
        self, principal: Principal, expense_id: UUID, data: ExpenseIn, today: date, language: Language
    ) -> tuple[ExpenseView, bool]:
        """Create or replace a draft expense under the client's id; returns (view, created)."""
        employee = await self._me(principal)
        expense = await self.session.get(Expense, expense_id)
        created = expense is None
        if expense is not None:
            if expense.employee_id != employee.id:
                raise not_found()
            await self._ensure_editable(expense)
        candidate = self._candidate(employee, expense_id, data)
        errors = rules.field_problems(self._facts(candidate), today) + await self._references(principal, employee, data)
        if errors:
            raise invalid(errors)
        if expense is None:
            expense = candidate
            expense.exchange_rate_source = "manual" if expense.exchange_rate else None
            self.session.add(expense)
            self._audit(
                principal, employee, "expense", expense.id, "created", after=audit.snapshot(expense, EXPENSE_FIELDS)
            )
        else:
            await self._replace(principal, employee, expense, candidate, today, language)
        await self.session.commit()
        return (await self.views([expense], language))[0], created

    async def _replace(
        self,
        principal: Principal,
        employee: Employee,
        expense: Expense,
        candidate: Expense,
        today: date,
        language: Language,
    ) -> None:
        """Overwrite what the employee fills in; an automatic claim title follows, and the seller is learnt."""
        before = audit.snapshot(expense, EXPENSE_FIELDS)
        remembered_before = list(expense.remembered)
        claim = await self.session.get(ExpenseClaim, expense.claim_id) if expense.claim_id else None
        retitle = claim is not None and await claim_titles.is_automatic(self.session, employee, claim, today)
        for name in EXPENSE_FIELDS:
            setattr(expense, name, getattr(candidate, name))
        if claim is not None and retitle:
            await claim_titles.retitle(self.session, employee, claim, today, language)
        # The employee has now confirmed every field: the reader's doubts no longer apply.
        expense.confidence = {}
        expense.remembered = []
        if expense.exchange_rate is None:
            expense.exchange_rate_source = None
        elif before.get("exchange_rate") != expense.exchange_rate:
            expense.exchange_rate_source = "manual"
        old, new = audit.changed(before, audit.snapshot(expense, EXPENSE_FIELDS))
        if new:
            self._audit(principal, employee, "expense", expense.id, "updated", before=old, after=new)
        await sellers.learn(self.session, principal, expense, before, remembered_before)

    async def delete_expense(self, principal: Principal, expense_id: UUID) -> None:
        employee = await self._me(principal)
        expense = await self.session.get(Expense, expense_id)
        if expense is None or expense.employee_id != employee.id:
            raise not_found()
        await self._ensure_editable(expense)
        self._audit(
            principal, employee, "expense", expense.id, "deleted", before=audit.snapshot(expense, EXPENSE_FIELDS)
        )
        await self.session.delete(expense)
        await self.session.commit()

    async def get_expense(self, principal: Principal, expense_id: UUID, language: Language) -> ExpenseView:
        expense = await self._expense(principal, expense_id)
        return (await self.views([expense], language))[0]

    async def list_expenses(
        self, principal: Principal, language: Language, subject: Subject, unclaimed: bool = False
    ) -> list[ExpenseView]:
        """An employee's expenses, newest first (undated ones on top, at most 500); drafts only to who may see them.

        An account without an employee record (an administrator) has none.
        """
        if subject.employee is None:
            return []
        owner = subject.employee.id
        statement = select(Expense).where(
            col(Expense.organisation_id) == principal.organisation_id, col(Expense.employee_id) == owner
        )
        if unclaimed:
            statement = statement.where(col(Expense.claim_id).is_(None))
        rows = list(
            (
                await self.session.execute(
                    statement.order_by(
                        col(Expense.expense_date).desc().nulls_first(), col(Expense.created_at).desc()
                    ).limit(500)
                )
            ).scalars()
        )
        views = await self.views(rows, language)
        return visible_items(principal, owner, views)
