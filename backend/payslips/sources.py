"""Everything the payslip engine needs, read for many employees at once.

One query per kind of fact whatever the number of employees, so the preliminary payroll
of a whole organisation costs a handful of round trips, not thousands. The engine
(``backend.domain.payslip``) decides what of it reaches the payslip.

This module is the door the payslip computation, retro pay and the benchmarks use; the reading lives
by use case: ``facts`` (what is gathered per employee, the shared query helpers), ``paid`` (who is
paid in a period, its dates), ``attested`` (approved and pending items), ``weeks`` (reported time,
weeks across a paid month's end), ``leave`` (leave requests, absence paid earlier), ``wellness``
(the employer's cap), ``history`` (payslips already paid) and ``inputs`` (facts as engine inputs).
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from backend.core.clock import STOCKHOLM
from backend.db.models import Employment, Organisation
from backend.domain.calendar import PayPeriod
from backend.domain.payslip import inputs as engine
from backend.payslips.attested import attested_items, draft_claims
from backend.payslips.facts import CHUNK, Facts, Paid, Person, among, chunks, latest_run, settled_through
from backend.payslips.history import HISTORY_MONTHS, history_start, paid_salaries, recent_payslips
from backend.payslips.inputs import engine_inputs
from backend.payslips.leave import approved_leave
from backend.payslips.paid import employed_during, employees, paid_window, payslip_period
from backend.payslips.wellness import wellness_allowance

__all__ = [
    "CHUNK",
    "HISTORY_MONTHS",
    "Facts",
    "Paid",
    "Person",
    "among",
    "draft_claims",
    "employed_during",
    "employees",
    "engine_inputs",
    "gather",
    "history_start",
    "latest_run",
    "paid_salaries",
    "paid_window",
    "payslip_period",
]

_PAY_TYPES = {kind.value: kind for kind in engine.PayType}


async def gather(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, employees: Sequence[Paid]
) -> dict[UUID, Facts]:
    """Facts for those of ``employees`` employed during the period."""
    window = paid_window(period)
    facts = {e.id: Facts(e) for e in employees if employed_during(e, window)}
    ids = list(facts)
    for chunk in chunks(ids):
        # Columns, not entities: building ORM objects was a third of the organisation's payroll time.
        rows = await session.execute(
            sa_select(
                col(Employment.employee_id),
                col(Employment.valid_from),
                col(Employment.pay_type),
                col(Employment.weekly_hours),
                col(Employment.created_at),
                col(Employment.monthly_salary),
                col(Employment.hourly_wage),
                col(Employment.employment_rate),
            ).where(among(session, Employment.employee_id, chunk))
        )
        for employee_id, valid_from, pay_type, hours, created_at, salary, wage, rate in rows.tuples():
            facts[employee_id].terms.append(
                (
                    created_at,
                    engine.EmploymentTerms(
                        valid_from=valid_from,
                        pay_type=_PAY_TYPES[pay_type],
                        weekly_hours=hours,
                        recorded_on=created_at.astimezone(STOCKHOLM).date(),
                        monthly_salary=salary,
                        hourly_wage=wage,
                        employment_rate_percent=rate,
                    ),
                )
            )
    settled = await settled_through(session, organisation)
    await attested_items(session, organisation, facts, settled)
    await recent_payslips(session, organisation, period, facts)
    await approved_leave(session, organisation, period, facts, settled)
    await wellness_allowance(session, organisation, period, facts)
    return facts
