"""What each kind of item looks like in detail: one loader per kind, in this one list.

The attest area knows nothing about expenses or weeks; it asks the owning area to show
the item (lines, receipt images, computed explanations) for the manager's detail view.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth import Principal
from backend.core.i18n import Language
from backend.domain.attest import ItemKind

DetailLoader = Callable[[AsyncSession, Principal, UUID, Language, date], Awaitable[Any]]


async def _expense_claim(
    session: AsyncSession, principal: Principal, subject_id: UUID, language: Language, today: date
) -> Any:
    from backend.expenses.services import ExpenseService

    return await ExpenseService(session, today=today).claim_view(principal, subject_id, language)


async def _time_week(
    session: AsyncSession, principal: Principal, subject_id: UUID, language: Language, today: date
) -> Any:
    from backend.time.services import TimeService

    return await TimeService(session, today).week_view_by_id(principal, subject_id, language)


async def _travel_claim(
    session: AsyncSession, principal: Principal, subject_id: UUID, language: Language, today: date
) -> Any:
    from backend.travel.services import TravelService

    return await TravelService(session, today).claim_view(principal, subject_id, language)


async def _leave_request(
    session: AsyncSession, principal: Principal, subject_id: UUID, language: Language, today: date
) -> Any:
    from backend.leave.services import LeaveService

    return await LeaveService(session, today).get(principal, subject_id, language)


def loaders() -> dict[ItemKind, DetailLoader]:
    return {
        ItemKind.EXPENSE_CLAIM: _expense_claim,
        ItemKind.TIME_WEEK: _time_week,
        ItemKind.TRAVEL_CLAIM: _travel_claim,
        ItemKind.LEAVE_REQUEST: _leave_request,
    }


async def detail(
    kind: ItemKind, session: AsyncSession, principal: Principal, subject_id: UUID, language: Language, today: date
) -> Any:
    loader = loaders().get(kind)
    return None if loader is None else await loader(session, principal, subject_id, language, today)
