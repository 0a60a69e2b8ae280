"""What of a year's wellness expenses counts against its caps, and in which order: one rule for filing and payslip.

The expense API warns with it when an expense is filed (what the employer will pay, whether the year goes
over the tax-free cap) and the payslip pays with it, so the warning says what the payslip will do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from backend.domain.expenses import WellnessPayment, wellness_payment


@dataclass(frozen=True)
class WellnessExpense:
    """One wellness expense as the yearly caps see it."""

    expense_id: str
    amount: Decimal
    treatment: bool
    """A treatment without exercise (massage): at most the per-occasion cap is paid."""
    company_card: bool
    approved_on: date | None = None
    """None: not approved yet (waiting for attest, or being filed)."""


def wellness_payments(
    expenses: Iterable[WellnessExpense],
    *,
    paid_before: Decimal,
    employer_cap: Decimal | None,
    treatment_cap: Decimal,
) -> list[tuple[WellnessExpense, WellnessPayment]]:
    """Each expense with what of it counts (``WellnessPayment.paid``), in the order the payslip pays them.

    The order is approval: by the day approved, then the expense id; those not approved yet come after,
    in the order given (the caller gives those waiting for attest before the one being filed). The
    payslip pays what is approved and cannot take back what an earlier payslip paid, so an expense
    dated earlier but approved later gets what is left of the employer's cap, not the one before it.

    Paid privately, the employer pays at most ``wellness_payment`` allows (per treatment, then what is
    left of ``employer_cap`` after ``paid_before`` and the expenses before it). Paid with the company
    card, the employer has already paid all of it: nothing limits it, and all of it counts (the employee
    had that benefit), so a 1 400 kr massage on the card uses 1 400 kr of the caps, not 1 000.
    """
    given = list(expenses)
    approved = sorted((e for e in given if e.approved_on is not None), key=lambda e: (e.approved_on, e.expense_id))
    waiting = [e for e in given if e.approved_on is None]
    used = paid_before
    found = []
    for expense in [*approved, *waiting]:
        if expense.company_card:
            payment = WellnessPayment(expense.amount, expense.amount, None, employer_cap, treatment_cap)
        else:
            payment = wellness_payment(
                expense.amount,
                treatment=expense.treatment,
                paid_before=used,
                employer_cap=employer_cap,
                treatment_cap=treatment_cap,
            )
        used += payment.paid
        found.append((expense, payment))
    return found
