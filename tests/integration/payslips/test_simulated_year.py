"""A payroll year simulated through the API: 14 monthly cycles, November 2026 to December 2027.

Fifty employees live a year of random but valid events (back-dated salary changes, sickness
and vacation in time weeks, vacation requests, trips, expenses, extra runs); their managers
attest before the cut-off and payroll finalises every month. After every run the record of
what was paid must hold: every approved item paid exactly once, YTD the sum of the year's
payslips, salary paid per month (retro included) what the terms now say, the preliminary
overview what the run pays, and no request answering 5xx or 422 for a year without figures.

The events come from a generator seeded by Hypothesis (one example; ``--hypothesis-seed`` or
``SIMULATED_YEAR_SEED`` replays a year). A failure lists each broken invariant with the cycle
it first broke in.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.demo.seed import DEMO_PASSWORD, seed_demo
from backend.domain.calendar import PayPeriod
from tests.conftest import LENA, Org, _load, cheap_demo_hash
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.jobs import RunJobs, pay_run
from tests.support.simulation import (
    Api,
    Findings,
    Stop,
    Year,
    at_utc,
    check_coming_retro,
    check_overview_matches_run,
    check_paid_once,
    check_retro,
    check_run,
    check_year_to_date,
    ledger,
    payroll_emails,
    people,
)

FIRST = PayPeriod(2026, 11)
LAST = PayPeriod(2027, 12)
EMPLOYEES = 50


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Fifty people sign in within the same minute: the per-address login limit would refuse them."""
    return replace(settings, auth=replace(settings.auth, login_attempts_per_minute=100_000))


@pytest.fixture
async def demo(engine: AsyncEngine, clock: FixedClock) -> Org:
    """Demo AB with fifty employees (seven teams) and no history: the year starts with nothing paid."""
    org_id = await seed_demo(
        session_maker(engine), clock.today(), employees=EMPLOYEES, password_hash=cheap_demo_hash(), history=False
    )
    return await _load(engine, org_id)


def drawn_seed() -> int:
    """The year's seed: Hypothesis draws it (its second example: the first is always zero)."""
    if os.environ.get("SIMULATED_YEAR_SEED"):
        return int(os.environ["SIMULATED_YEAR_SEED"])
    drawn: list[int] = []

    @hypothesis_settings(max_examples=2, database=None, phases=[Phase.generate], deadline=None)
    @given(st.integers(min_value=0, max_value=2**32 - 1))
    def draw(seed: int) -> None:
        drawn.append(seed)

    draw()
    return drawn[-1]


async def run_cycle(year: Year, findings: Findings, period: PayPeriod) -> None:
    """One month: events and attest before the cut-off, the overview and the run, maybe an extra run."""
    api, clock, rng = year.api, year.clock, year.rng
    if period != FIRST:  # November 2026 starts where the tests' clock stands (after its cut-off)
        clock.set(at_utc(period.first_day() + timedelta(days=rng.randint(1, 6)), 9))
    await year.events(period)
    await year.attest(share=0.85)

    run_day = rng.randint(15, 22) if period != FIRST else 24  # the clock only moves forward
    clock.set(at_utc(date(period.year, period.month, run_day), 12))
    organisation = year.organisation_id
    overview = await api.call(year.payroll, "GET", "/api/payroll/overview", params={"period": str(period)})
    before = await ledger(year.engine, organisation)
    run = await api.pay_run(year.payroll, {"period": str(period)})
    if run.status_code != 201:
        raise Stop(f"{run.status_code}: {run.text[:300]}")
    after = await ledger(year.engine, organisation)
    check_run(findings, before, after, UUID(run.json()["id"]))
    if overview.status_code == 200:
        check_overview_matches_run(findings, overview.json(), run.json())

    if rng.random() < 0.35:
        clock.set(clock.now() + timedelta(days=1))
        late = rng.choice([p for p in year.staff.values() if p.manager_email and p.email != year.payroll])
        await year.expense(late, clock.today() - timedelta(days=2))
        await year.attest(share=1.0)
        before = await ledger(year.engine, organisation)
        extra = await api.pay_run(year.payroll, {"period": str(period), "extra": True})
        if extra.status_code == 201:
            check_run(findings, before, await ledger(year.engine, organisation), UUID(extra.json()["id"]))
    await year.read_pages(sample=3)

    book = await ledger(year.engine, organisation)
    names = {p.id: f"{p.number} {p.email}" for p in year.staff.values()}
    check_paid_once(findings, book)
    check_year_to_date(findings, book, names)
    check_retro(findings, book, FIRST, period, names)
    await check_coming_retro(year, findings, book, names)


async def test_a_year_of_monthly_pay_runs_keeps_every_invariant(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, clock: FixedClock, demo: Org, run_jobs: RunJobs
) -> None:
    seed = drawn_seed()
    findings = Findings(seed)
    api = Api(client, findings, DEMO_PASSWORD, run_jobs)
    staff = await people(engine, demo.id)
    assert len(staff) >= EMPLOYEES
    assert LENA in await payroll_emails(engine, demo.id)
    year = Year(api, clock, engine, demo.id, random.Random(seed), staff, LENA)

    period = FIRST
    try:
        while period <= LAST:
            findings.cycle = str(period)
            await run_cycle(year, findings, period)
            period = period.next()
    except Stop as refused:
        findings.add(
            "every month can be paid", f"the regular run for {period} answered {refused}; the year stops there"
        )

    paid = await ledger(engine, demo.id)
    if findings.items:
        pytest.fail(findings.report(), pytrace=False)
    assert len([r for r in paid.runs.values() if r.sequence == 0]) == 14
    assert sum((p.gross_pay for p in paid.payslips), Decimal(0)) > 0


async def test_a_claim_approved_by_the_cut_off_is_paid_that_month_and_one_approved_after_it_the_next(
    client: AsyncTestClient[Litestar], clock: FixedClock, as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    """Two months of the cycle for one employee: cut-off on the 8th, pay runs before the 25th."""
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]

    async def approved_claim(on: date, amount: str, dated: str) -> str:
        clock.set(at_utc(on, 9))
        claim = await submitted_claim(client, anna, amount=amount, expense_date=dated)
        item = await inbox_item_for(client, maria, claim["id"])
        approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
        assert approved.status_code == 200, approved.text
        return str(claim["id"])

    before_cut_off = await approved_claim(date(2026, 11, 5), "245.00", "2026-10-20")
    after_cut_off = await approved_claim(date(2026, 11, 12), "120.00", "2026-11-10")
    clock.set(at_utc(date(2026, 11, 20), 12))
    november = await pay_run(client, lena, {"period": "2026-11"}, run_jobs)
    clock.set(at_utc(date(2026, 12, 18), 12))
    december = await pay_run(client, lena, {"period": "2026-12"}, run_jobs)

    def expenses(slip: dict[str, Any]) -> list[tuple[str, list[str]]]:
        return [(line["amount"], line["source_ids"]) for line in slip["lines"] if line["code"] == "expense"]

    paid = {
        period: (await client.get("/api/payslips/preliminary", params={"period": period}, headers=anna)).json()
        for period in ("2026-11", "2026-12")
    }
    states = [
        (await client.get(f"/api/expense-claims/{claim}", headers=anna)).json()["state"]
        for claim in (before_cut_off, after_cut_off)
    ]
    assert november.status_code == december.status_code == 201, (november.text, december.text)
    assert [amount for amount, _ in expenses(paid["2026-11"])] == ["245.00"]
    assert before_cut_off in expenses(paid["2026-11"])[0][1]
    assert [amount for amount, _ in expenses(paid["2026-12"])] == ["120.00"]
    assert after_cut_off in expenses(paid["2026-12"])[0][1]
    assert states == ["locked", "locked"]
