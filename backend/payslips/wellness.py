"""The employer's wellness allowance cap a payslip limits wellness expenses by."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Organisation
from backend.domain.calendar import PayPeriod
from backend.domain.errors import DomainError
from backend.domain.expenses import employer_wellness_cap
from backend.domain.rates import rates_for
from backend.organisation import year_policies
from backend.payslips.facts import Facts


async def wellness_allowance(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, facts: dict[UUID, Facts]
) -> None:
    """What the employer pays for wellness in the year of the pay date (its own cap, else the tax-free one)."""
    cap = await year_policies.wellness_allowance(session, organisation.id, period.year)
    try:
        limit: Decimal | None = employer_wellness_cap(cap, rates_for(period.year).wellness.annual_cap)
    except DomainError:  # a year without figures: the engine warns about the year; no own cap here
        limit = cap
    for fact in facts.values():
        fact.wellness_allowance = limit
