"""Warnings on an expense (possible duplicates, the wellness cap) and the year's wellness status.

Warnings never block: the employee sees them beside the expense and the approver sees them on the
claim. The rules are the domain's (``backend.domain.expenses``); here they are fed from the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlmodel import col, select

from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.rates_store import ensure_loaded_rates
from backend.db.models import AttestItem, Expense, Receipt
from backend.domain import expenses as rules
from backend.domain.attest import AttestState, ItemKind
from backend.domain.rates import WellnessRates, rates_for
from backend.domain.wellness import WellnessExpense, wellness_payments
from backend.expenses.access import ExpenseContext
from backend.expenses.schemas import Warning, WellnessView
from backend.organisation import year_policies


@dataclass(frozen=True)
class Found:
    """A warning in both languages: the view picks the reader's, the attest item keeps both."""

    code: str
    message: Text
    related_expense_id: UUID | None = None


class WarningChecks(ExpenseContext):
    """Duplicates among an employee's expenses and what the wellness cap leaves, for views and submission."""

    async def warnings(
        self, expenses: Sequence[Expense], receipts: dict[UUID, Receipt], language: Language
    ) -> dict[UUID, list[Warning]]:
        """Possible duplicates among each employee's other expenses, and the wellness cap, in ``language``."""
        found = await self.found_warnings(expenses, receipts)
        return {
            expense_id: [
                Warning(code=w.code, message=w.message(language), related_expense_id=w.related_expense_id) for w in ws
            ]
            for expense_id, ws in found.items()
        }

    async def found_warnings(
        self, expenses: Sequence[Expense], receipts: dict[UUID, Receipt]
    ) -> dict[UUID, list[Found]]:
        """The warnings of each expense in both languages, read from the database once."""
        result: dict[UUID, list[Found]] = {e.id: [] for e in expenses}
        by_employee: dict[UUID, list[Expense]] = {}
        for e in expenses:
            by_employee.setdefault(e.employee_id, []).append(e)
        years: dict[tuple[UUID, int], _WellnessYear] = {}  # one read per employee and year, not per expense
        for employee_id, own in by_employee.items():
            filed = await self._filed(employee_id)
            for e in own:
                result[e.id] += self._duplicates(e, receipts, filed)
                if e.category in rules.WELLNESS_CATEGORIES and e.amount_sek is not None and e.expense_date is not None:
                    key = (employee_id, e.expense_date.year)
                    if key not in years:
                        years[key] = await self._wellness_year(employee_id, e.organisation_id, key[1])
                    result[e.id] += _wellness_warnings(*years[key].status(including=e))
        return result

    async def _filed(self, employee_id: UUID) -> dict[UUID, rules.Filed]:
        """The employee's expenses (the latest 2000) as duplicate detection compares them."""
        others = (
            await self.session.execute(
                select(Expense, Receipt.perceptual_hash)
                .outerjoin(Receipt, col(Receipt.id) == col(Expense.receipt_id))
                .where(col(Expense.employee_id) == employee_id)
                .order_by(col(Expense.created_at))
                .limit(2000)
            )
        ).tuples()
        return {
            other.id: rules.Filed(other.merchant, other.expense_date, other.amount_sek, other.org_number, phash)
            for other, phash in others
        }

    @staticmethod
    def _duplicates(expense: Expense, receipts: dict[UUID, Receipt], filed: dict[UUID, rules.Filed]) -> list[Found]:
        receipt = receipts.get(expense.receipt_id) if expense.receipt_id else None
        mine = rules.Filed(
            expense.merchant,
            expense.expense_date,
            expense.amount_sek,
            expense.org_number,
            receipt.perceptual_hash if receipt else None,
        )
        found = []
        for other_id, other in filed.items():
            if other_id == expense.id:
                continue
            reason = rules.duplicate_reason(mine, other)
            if reason:
                found.append(Found(reason, rules.DUPLICATE_TEXT[reason], other_id))
        return found

    async def _wellness_year(self, employee_id: UUID, organisation_id: UUID, year: int) -> _WellnessYear:
        """The year's wellness expenses (by expense date) as the caps count them, with the year's figures."""
        rows = (
            await self.session.execute(
                select(Expense, col(AttestItem.state), col(AttestItem.decided_at), col(AttestItem.submitted_at))
                .outerjoin(
                    AttestItem,
                    (col(AttestItem.subject_id) == col(Expense.claim_id))
                    & (col(AttestItem.kind) == ItemKind.EXPENSE_CLAIM.value),
                )
                .where(
                    col(Expense.employee_id) == employee_id,
                    col(Expense.category).in_(rules.WELLNESS_CATEGORIES),
                    col(Expense.expense_date) >= date(year, 1, 1),
                    col(Expense.expense_date) <= date(year, 12, 31),
                )
                .order_by(col(Expense.created_at), col(Expense.id))
            )
        ).tuples()
        counted: list[WellnessExpense] = []
        waiting: list[tuple[datetime, WellnessExpense]] = []
        drafts: dict[str, WellnessExpense] = {}
        for e, state, decided_at, submitted_at in rows:
            if state in (AttestState.APPROVED, AttestState.LOCKED):
                counted.append(_counted(e, (decided_at or submitted_at).date()))  # the day the payslip reads
            elif state == AttestState.SUBMITTED:
                waiting.append((submitted_at, _counted(e)))
            else:
                drafts[str(e.id)] = _counted(e)
        waiting.sort(key=lambda pair: pair[0])
        await ensure_loaded_rates(self.session)
        rates = rates_for(year).wellness
        policy = await year_policies.wellness_allowance(self.session, organisation_id, year)
        return _WellnessYear(year, counted, [w for _, w in waiting], drafts, rates, policy)

    async def _wellness(
        self, employee_id: UUID, organisation_id: UUID, year: int, including: Expense | None = None
    ) -> tuple[rules.WellnessStatus, rules.WellnessPayment | None]:
        return (await self._wellness_year(employee_id, organisation_id, year)).status(including)

    async def wellness_check(self, expense: Expense) -> tuple[rules.WellnessStatus, rules.WellnessPayment]:
        """The year's status with ``expense`` included, and what of it the employer will pay."""
        assert expense.expense_date is not None
        status, payment = await self._wellness(
            expense.employee_id, expense.organisation_id, expense.expense_date.year, including=expense
        )
        assert payment is not None
        return status, payment

    async def wellness_view(self, principal: Principal, year: int) -> WellnessView:
        """What is left of the year's tax-free wellness allowance, before the employee files more."""
        employee = await self._me(principal)
        status, _ = await self._wellness(employee.id, employee.organisation_id, year)
        return WellnessView(
            year=year,
            cap=status.cap,
            used=status.used,
            remaining=status.remaining,
            employer_allowance=status.employer_cap,
        )


@dataclass(frozen=True)
class _WellnessYear:
    """One employee's wellness expenses of a year, read once: approved (or paid), waiting for attest
    (in the order sent) and not sent (by id), with the year's caps."""

    year: int
    counted: list[WellnessExpense]
    waiting: list[WellnessExpense]
    drafts: dict[str, WellnessExpense]
    rates: WellnessRates
    policy: Decimal | None

    def status(self, including: Expense | None = None) -> tuple[rules.WellnessStatus, rules.WellnessPayment | None]:
        """What the year uses, counted by ``wellness_payments`` in the order the payslip pays them (those
        waiting for attest, then ``including`` if it is not sent), and what of ``including`` the employer pays."""
        mine: WellnessExpense | None = None
        if including is not None:
            key = str(including.id)
            listed = {c.expense_id for c in self.counted} | {w.expense_id for w in self.waiting}
            if key in self.drafts:
                mine = self.drafts[key]
            elif key not in listed and including.amount_sek:
                mine = _counted(including)  # not stored yet
        paid = wellness_payments(
            [*self.counted, *self.waiting, *([mine] if mine else [])],
            paid_before=Decimal(0),
            employer_cap=rules.employer_wellness_cap(self.policy, self.rates.annual_cap),
            treatment_cap=self.rates.treatment_cap_per_occasion,
        )
        used = sum((payment.paid for _, payment in paid), Decimal(0))
        found = next((p for w, p in paid if including is not None and w.expense_id == str(including.id)), None)
        status = rules.WellnessStatus(year=self.year, cap=self.rates.annual_cap, used=used, employer_cap=self.policy)
        return status, found


def _wellness_warnings(status: rules.WellnessStatus, payment: rules.WellnessPayment | None) -> list[Found]:
    """What the employer will not pay of an expense, and whether the year goes over the tax-free cap."""
    assert payment is not None
    return [
        Found(problem.code, problem.message)
        for problem in (rules.wellness_limit_warning(payment, status.year), rules.wellness_warning(status))
        if problem
    ]


def _counted(expense: Expense, approved_on: date | None = None) -> WellnessExpense:
    """An expense as the yearly wellness caps count it (``approved_on`` None: not approved yet)."""
    return WellnessExpense(
        str(expense.id),
        expense.amount_sek or Decimal(0),
        expense.category == rules.TREATMENT_CATEGORY,
        expense.payment == "company_card",
        approved_on,
    )
