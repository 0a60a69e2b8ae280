"""Demo pay runs: the last year's months before this one, finalised as payroll would have done.

So a new user sees previous payslips, year-to-date totals and a payroll overview with
history. Each run goes through the same `PayslipService.finalise` the API uses, dated on
its month's pay day, so approved history items are locked into the run that paid them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from backend.core.auth import Principal
from backend.core.authorization import Role
from backend.db.models import Account, Notice, Organisation
from backend.domain.calendar import PayPeriod, pay_date
from backend.domain.rates import rates_for
from backend.payslips.services import PayslipService

HISTORY_MONTHS = 11
"""Months paid before the current one: a year of payslips with it (YTD and comparisons across a new year)."""


def demo_pay_periods(today: date) -> list[PayPeriod]:
    """The months the demo has paid: up to ``HISTORY_MONTHS`` back, from the first whose year has tax figures.

    Data decides, not a literal year: 2025's file has no tax figures, so a demo seeded in 2026 starts in January.
    """
    current = PayPeriod.of(today)
    period = current
    for _ in range(HISTORY_MONTHS):
        period = period.previous()
    periods: list[PayPeriod] = []
    while period < current:
        if rates_for(period.year).has("tax") or periods:
            periods.append(period)
        period = period.next()
    return periods


async def finalise_past_months(
    sessions: async_sessionmaker[AsyncSession], organisation_id: UUID, payroll_email: str, today: date
) -> list[str]:
    """Finalise the months of ``demo_pay_periods``; returns the periods paid."""
    async with sessions() as session:
        organisation = await session.get(Organisation, organisation_id)
        account = (
            await session.execute(
                select(Account).where(
                    col(Account.organisation_id) == organisation_id, col(Account.email) == payroll_email
                )
            )
        ).scalar_one()
        assert organisation is not None
        pay_day = organisation.pay_day
    payroll = Principal(account.id, organisation_id, account.employee_id, frozenset({Role.PAYROLL}), account.email)
    paid: list[str] = []
    for period in demo_pay_periods(today):
        day = pay_date(period, pay_day)
        async with sessions() as session:
            service = PayslipService(session, payroll, day, "sv")
            await service.finalise(period, extra=False, now=datetime.combine(day, time(9), tzinfo=UTC))
        paid.append(str(period))
    async with sessions() as session:
        # Those "payslip ready" notices were news months ago: the demo starts with them read.
        await session.execute(
            update(Notice)
            .where(col(Notice.organisation_id) == organisation_id, col(Notice.read_at).is_(None))
            .values(read_at=datetime.combine(today, time(0), tzinfo=UTC))
        )
        await session.commit()
    return paid
