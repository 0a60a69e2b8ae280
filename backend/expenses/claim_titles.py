"""The automatic title of an expense claim: the domain rule fed with the claim's expenses and the trip they fall in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.clock import STOCKHOLM
from backend.db.models import Employee, Expense, ExpenseClaim, TravelClaim
from backend.domain.claim_titles import TitledExpense, claim_title
from backend.domain.text import Text


def written_on(claim: ExpenseClaim | None, today: date) -> date:
    """The day a claim's title is written as of: the day the claim was made (today for a new one).

    Titles leave out the year when it is the current one, so a title recomputed with a later
    ``today`` ("Espresso House 4 dec 2026" in January) would no longer match the one stored, and an
    automatic title would be taken for one the employee wrote.
    """
    return claim.created_at.astimezone(STOCKHOLM).date() if claim is not None else today


async def trip_of(session: AsyncSession, employee: Employee, days: Sequence[date]) -> str | None:
    """The destination of the employee's trip that spans every one of ``days`` (None when none or several do)."""
    if not days:
        return None
    first = datetime.combine(min(days), time(0), STOCKHOLM)
    last = datetime.combine(max(days) + timedelta(days=1), time(0), STOCKHOLM)
    rows = (
        await session.execute(
            select(col(TravelClaim.destination), col(TravelClaim.departure_at), col(TravelClaim.return_at)).where(
                col(TravelClaim.employee_id) == employee.id,
                col(TravelClaim.departure_at) < last,
                col(TravelClaim.return_at) >= first,
            )
        )
    ).tuples()
    covering = {
        destination.strip()
        for destination, departure, back in rows
        if destination
        and destination.strip()
        and departure.astimezone(STOCKHOLM).date() <= min(days)
        and back.astimezone(STOCKHOLM).date() >= max(days)
    }
    return covering.pop() if len(covering) == 1 else None


async def title_for(session: AsyncSession, employee: Employee, expenses: Sequence[Expense], today: date) -> Text:
    days = [e.expense_date for e in expenses if e.expense_date is not None]
    trip = await trip_of(session, employee, days) if len(expenses) > 1 else None
    return claim_title([TitledExpense(e.merchant, e.expense_date) for e in expenses], today, trip)


async def members_of(session: AsyncSession, claim: ExpenseClaim) -> list[Expense]:
    return list(
        (
            await session.execute(
                select(Expense)
                .where(col(Expense.claim_id) == claim.id)
                .order_by(col(Expense.expense_date), col(Expense.created_at), col(Expense.id))
            )
        ).scalars()
    )


async def is_automatic(session: AsyncSession, employee: Employee, claim: ExpenseClaim, today: date) -> bool:
    """Whether the claim still has the title its expenses give it (the employee has not written one)."""
    automatic = await title_for(session, employee, await members_of(session, claim), written_on(claim, today))
    return automatic.says(claim.title)


async def retitle(session: AsyncSession, employee: Employee, claim: ExpenseClaim, today: date, language: str) -> None:
    """An expense of an automatically titled claim changed its merchant or date: the title follows."""
    members = await members_of(session, claim)
    claim.title = (await title_for(session, employee, members, written_on(claim, today)))(language)
