"""The payslips already paid that a new payslip reads: the last months' figures and what each work month was paid."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col, select

from backend.db.models import Organisation, Payslip
from backend.domain.calendar import PayPeriod
from backend.domain.payslip import inputs as engine
from backend.payslips.facts import Facts, among, chunks

HISTORY_MONTHS = 13


async def recent_payslips(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, facts: dict[UUID, Facts]
) -> None:
    """The last months' payslips, without their snapshots: the engine needs only the figures beside them."""
    since = history_start(period)
    for chunk in chunks(list(facts)):
        rows = (
            await session.execute(
                select(Payslip)
                .options(defer(Payslip.snapshot))  # type: ignore[arg-type]
                .where(
                    col(Payslip.organisation_id) == organisation.id,
                    among(session, Payslip.employee_id, chunk),
                    col(Payslip.period) >= str(since),
                )
                .order_by(col(Payslip.pay_date), col(Payslip.created_at))
            )
        ).scalars()
        for payslip in rows:
            facts[payslip.employee_id].payslips.append(payslip)


@functools.lru_cache(maxsize=64)
def history_start(period: PayPeriod) -> PayPeriod:
    """The first period whose payslips a payslip for ``period`` reads (``HISTORY_MONTHS`` back)."""
    for _ in range(HISTORY_MONTHS):
        period = period.previous()
    return period


def _money(value: Any) -> Decimal:
    return Decimal(str(value))


def paid_salaries(payslips: Sequence[Payslip], since: PayPeriod | None = None) -> tuple[engine.PaidSalary, ...]:
    """What finalised payslips paid per work month, summed over all of them (retro lines included).

    ``since``: the first month the history read covers. An older month's own payslip is not in it, so
    a later retro row alone is not what the month was paid (it would pay the month again, or be
    negative and refuse the payslip): such months are left out.
    """
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    hours: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))  # line by line
    wages: dict[str, Decimal] = {}
    paid_on: dict[str, date] = {}
    window = str(since) if since is not None else ""
    for payslip in payslips:
        for row in payslip.salary_paid:
            label = row["month"]
            if label < window:
                continue
            sums = months[label]
            for key, value in row.items():
                if key in ("salary", "hours", "hourly_amount", "items_amount"):
                    sums[key] += _money(value)
                elif key.startswith("item:") or key == "hour_lines":
                    hours[label][key] += [_money(part) for part in value.split(";") if part]
            if "hour_lines" not in row and row.get("hours"):  # stored before lines were kept
                hours[label]["hour_lines"].append(_money(row["hours"]))
            if "hourly_amount" not in row and row.get("hourly_wage"):  # stored before hourly_amount was
                sums["hourly_amount"] += _money(row.get("hours", 0)) * _money(row["hourly_wage"])
            if row.get("hourly_wage"):
                wages[label] = _money(row["hourly_wage"])
            day = date.fromisoformat(row["paid_on"]) if row.get("paid_on") else payslip.created_at.date()
            paid_on[label] = max(day, paid_on.get(label, day))
    return tuple(
        engine.PaidSalary(
            int(label[:4]),
            int(label[5:]),
            salary=sums["salary"],
            hours=sums["hours"],
            hourly_wage=wages.get(label),
            hourly_amount=sums["hourly_amount"] if label in wages else None,
            hour_lines=tuple(hours[label]["hour_lines"]),
            pay_items=tuple(
                engine.PaidHours(engine.TimeCode(key[5:]), line)
                for key, lines in sorted(hours[label].items())
                if key.startswith("item:")
                for line in lines
                if line
            ),
            pay_items_amount=sums["items_amount"],
            paid_on=paid_on[label],
        )
        for label, sums in sorted(months.items())
    )
