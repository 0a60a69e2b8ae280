"""Filing expenses: receipt upload, the expense draft, claims and submission for attest.

The facade the controllers, attest, travel and one-tap submission use. Each use case lives in its
own module (``receipts``, ``expense``, ``claims``, ``warnings``, with ``views`` and ``access``
shared); ``ExpenseService`` is all of them at once, so callers keep one object per request.
"""

from __future__ import annotations

from backend.expenses.claims import ClaimUseCases
from backend.expenses.expense import EXPENSE_FIELDS, ExpenseUseCases
from backend.expenses.receipts import ReceiptUseCases

__all__ = ["EXPENSE_FIELDS", "ExpenseService"]


class ExpenseService(ReceiptUseCases, ExpenseUseCases, ClaimUseCases):
    """Receipts, expenses, claims, warnings and the wellness status over one session, store and day."""
