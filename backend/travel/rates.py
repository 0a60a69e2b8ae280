"""The organisation's own figures for travel: its year policy and its normalbelopp table.

The computation reads them here; payroll or an administrator loads the normalbelopp table from
Skatteverket's figures (``NormalbeloppService``), since abroad the tax-free day is the country's amount.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core import audit
from backend.core.auth import Principal
from backend.core.i18n import Text
from backend.core.problems import FieldError, invalid
from backend.db.models import NormalbeloppRate, OrganisationYearPolicy
from backend.domain.travel.normalbelopp import Normalbelopp, NormalbeloppTable, parse_normalbelopp_csv
from backend.travel.schemas import NormalbeloppLoaded, NormalbeloppView


async def year_policy(session: AsyncSession, organisation_id: UUID, year: int) -> OrganisationYearPolicy | None:
    """What the organisation pays in ``year`` (none: the tax-free maximum)."""
    return (
        await session.execute(
            select(OrganisationYearPolicy).where(
                col(OrganisationYearPolicy.organisation_id) == organisation_id,
                col(OrganisationYearPolicy.year) == year,
            )
        )
    ).scalar_one_or_none()


async def normalbelopp_table(session: AsyncSession, organisation_id: UUID, years: set[int]) -> NormalbeloppTable:
    """The loaded normalbelopp of ``years``, as the domain's table (it says which country or year is missing)."""
    rows = (
        await session.execute(
            select(NormalbeloppRate).where(
                col(NormalbeloppRate.organisation_id) == organisation_id, col(NormalbeloppRate.year).in_(years)
            )
        )
    ).scalars()
    return NormalbeloppTable(
        {(r.year, r.country_code): Normalbelopp(r.year, r.country_code, r.country_name, r.amount) for r in rows}
    )


class NormalbeloppService:
    """The organisation's normalbelopp table: loaded by payroll or an administrator from Skatteverket's figures."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, principal: Principal, year: int | None) -> list[NormalbeloppView]:
        statement = select(NormalbeloppRate).where(col(NormalbeloppRate.organisation_id) == principal.organisation_id)
        if year is not None:
            statement = statement.where(col(NormalbeloppRate.year) == year)
        rows = (
            await self.session.execute(
                statement.order_by(col(NormalbeloppRate.year), col(NormalbeloppRate.country_code))
            )
        ).scalars()
        return [
            NormalbeloppView(year=r.year, country_code=r.country_code, country_name=r.country_name, amount=r.amount)
            for r in rows
        ]

    async def load(self, principal: Principal, content: bytes) -> NormalbeloppLoaded:
        """Replace each year in the CSV with the file's rows (other years stay as they are)."""
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid(
                [
                    FieldError(
                        "file",
                        "travel.normalbelopp_not_utf8",
                        Text(sv="Filen måste vara UTF-8.", en="The file must be UTF-8."),
                    )
                ]
            ) from None
        table = parse_normalbelopp_csv(text)
        entries = table.entries
        years = sorted({e.year for e in entries})
        if years:
            await self.session.execute(
                delete(NormalbeloppRate).where(
                    col(NormalbeloppRate.organisation_id) == principal.organisation_id,
                    col(NormalbeloppRate.year).in_(years),
                )
            )
        for entry in entries:
            self.session.add(
                NormalbeloppRate(
                    organisation_id=principal.organisation_id,
                    year=entry.year,
                    country_code=entry.country_code,
                    country_name=entry.country_name,
                    amount=entry.amount,
                )
            )
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="normalbelopp",
            entity_id=principal.organisation_id,
            action="loaded",
            after={"years": years, "countries": len(entries)},
        )
        await self.session.commit()
        return NormalbeloppLoaded(years=years, loaded=len(entries))
