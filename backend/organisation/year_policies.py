"""An organisation's own figures for a year (set by payroll), read where they apply."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import OrganisationYearPolicy


async def wellness_allowance(session: AsyncSession, organisation_id: UUID, year: int) -> Decimal | None:
    """The employer's own wellness allowance for ``year``, or None when it has set none (the tax-free cap applies)."""
    return (
        await session.execute(
            select(col(OrganisationYearPolicy.wellness_allowance)).where(
                col(OrganisationYearPolicy.organisation_id) == organisation_id,
                col(OrganisationYearPolicy.year) == year,
            )
        )
    ).scalar_one_or_none()
