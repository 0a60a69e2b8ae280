"""Preliminary payslips for many employees: read their facts, run the engine (one home for every caller).

``compute`` is what the single payslip, the overview and the pay runs all call, in the API process
for one employee or a small organisation and in a payroll worker process (``backend.payslips.pool``)
for chunks of a large one. Its results are plain values, so they travel between processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.batch import collector_paused
from backend.core.rates_store import ensure_loaded_rates
from backend.db.models import Organisation
from backend.domain.calendar import PayPeriod
from backend.domain.payslip import PayslipInputs, compute_payslip
from backend.domain.payslip.model import Payslip
from backend.payslips import sources
from backend.payslips.tables import official_table

SAID_ONCE_ABOVE = frozenset({"rates_year_not_loaded"})
"""Warnings the overview says once for the whole period (``Overview.warnings``) instead of on every row."""


@dataclass(frozen=True)
class Priced:
    """One employee's computed payslip and what a pay run stores and locks beside it."""

    slip: Payslip
    name: str
    number: str
    inputs: PayslipInputs
    included_items: dict[str, UUID]
    """Subject id (as on payslip lines) -> attest item id, to lock what a pay run pays."""


# Swedish alphabetical order after z: å, ä, ö (code point order would put ä before å).
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def name_key(name: str) -> str:
    return name.casefold().translate(_SWEDISH)


def name_order(name: str, employee_id: UUID) -> str:
    """Where a row goes by name: Swedish name order, then the id (so no two rows tie), as one string.

    One string compares in C: the 100,000 rows of an overview sort by it without holding the event loop
    (tuples of a name and a ``UUID`` compared the ids in Python). ``\x00`` sorts before every letter, so a
    name before a longer one with the same beginning stays first; the id is fixed-width hex.
    """
    return f"{name_key(name)}\x00{employee_id.hex}"


class Entry(NamedTuple):
    """One overview row in compact form (money in öre): 100,000 of them are kept for paging and sorting."""

    employee_id: UUID
    name: str
    number: str
    gross: int
    tax: int
    net: int
    contributions: int
    pending_items: int
    pending: int
    warnings: tuple[tuple[str, str, str], ...]
    """(code, Swedish, English): the language is picked when a page is shown."""
    order: str
    """``name_order``: made where the row is made (in a payroll worker), not on the event loop."""


async def compute(
    session: AsyncSession,
    organisation: Organisation,
    period: PayPeriod,
    employees: Sequence[sources.Paid],
    today: date,
    *,
    extra_run: bool = False,
    explain: bool = True,
) -> dict[UUID, Priced]:
    """Every payslip of ``employees`` for the period (those without terms in force get none).

    ``explain`` False: the payslips without their explanation texts (``compute_payslip``), for the overview.
    """
    with collector_paused(len(employees)):
        facts = await sources.gather(session, organisation, period, employees)
        drafts = await sources.draft_claims(session, list(facts))
        for employee_id, items in drafts.items():
            facts[employee_id].pending.extend(items)
        engine_period = sources.payslip_period(organisation, period, extra_run_on=today if extra_run else None)
        await ensure_loaded_rates(session)
        table = await official_table(session, engine_period.pay_date.year)
        out: dict[UUID, Priced] = {}
        for employee_id, fact in facts.items():
            if not fact.terms:
                continue
            inputs = sources.engine_inputs(fact, organisation, engine_period, today, extra_run=extra_run)
            slip = compute_payslip(inputs, official_table=table, explain=explain)
            out[employee_id] = Priced(
                slip, fact.employee.full_name, fact.employee.employee_number, inputs, fact.included_items
            )
    return out


def ore(amount: Decimal) -> int:
    """An amount in whole öre; payslip figures are rounded to öre, so this is exact (checked)."""
    scaled = amount.scaleb(2)
    whole = int(scaled)
    if whole != scaled:
        msg = f"{amount} is not in whole öre"
        raise ValueError(msg)
    return whole


def kronor(ore_amount: int) -> Decimal:
    return Decimal(ore_amount).scaleb(-2)


def entry(employee_id: UUID, priced: Priced) -> Entry:
    """The overview's row of one payslip: figures, what still waits for attest, and its own warnings."""
    slip = priced.slip
    waiting = [p for p in slip.pending if not p.approved]
    return Entry(
        employee_id,
        priced.name,
        priced.number,
        ore(slip.gross_pay),
        ore(slip.tax),
        ore(slip.net_pay),
        ore(slip.employer_contributions.total),
        len(waiting),
        ore(sum((p.amount or Decimal(0) for p in waiting), Decimal("0.00"))),
        tuple((w.code, w.message.sv, w.message.en) for w in slip.warnings if w.code not in SAID_ONCE_ABOVE),
        name_order(priced.name, employee_id),
    )
