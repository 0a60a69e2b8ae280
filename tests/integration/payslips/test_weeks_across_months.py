"""A time week across the end of a paid month: each day is paid once, by the run that settles its month."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.core.clock import FixedClock
from tests.support.jobs import RunJobs, pay_run

# Week 40 of 2026: Monday 28 September to Sunday 4 October.
WEEK = "2026-W40"


def overtime_hours(payslip: dict[str, Any]) -> Decimal:
    return sum(
        (Decimal(line["quantity"]) for line in payslip["lines"] if line["code"] == "simple_overtime"), Decimal(0)
    )


def vacation_days(payslip: dict[str, Any]) -> Decimal:
    return sum(
        (Decimal(line["quantity"]) for line in payslip["lines"] if line["code"] == "vacation_supplement"), Decimal(0)
    )


async def test_a_week_across_the_month_end_pays_each_side_with_its_own_run(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    clock.set(datetime(2026, 10, 5, 8, 0, tzinfo=UTC))  # before October's cut-off (the 8th)
    week = {
        "rows": [
            {"code": "work", "hours": ["8", "8", "8", "8", None, None, None]},
            {"code": "vacation", "hours": [None, None, None, None, "8", None, None]},  # Friday 2 October
            # Wednesday 30 September and Thursday 1 October: one week, two months of overtime.
            {"code": "simple_overtime", "hours": [None, None, "2", "3", None, None, None]},
        ]
    }
    saved = await client.put(f"/api/time/weeks/{WEEK}", json=week, headers=anna)
    assert saved.status_code in (200, 201), saved.text
    submitted = await client.post(f"/api/time/weeks/{WEEK}/submit", headers=anna)
    assert submitted.status_code == 200, submitted.text
    inbox = (await client.get("/api/attest/inbox", headers=maria)).json()
    item = next(i for i in inbox["items"] if i["kind"] == "time_week")  # the demo starts with an empty inbox
    approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    assert approved.status_code == 200, approved.text

    october_run = await pay_run(client, lena, {"period": "2026-10", "extra": False}, run_jobs)
    assert october_run.status_code == 201, october_run.text
    october = (await client.get("/api/payslips/preliminary", params={"period": "2026-10"}, headers=anna)).json()
    week_after_october = (await client.get(f"/api/time/weeks/{WEEK}", headers=anna)).json()
    november = (await client.get("/api/payslips/preliminary", headers=anna)).json()

    assert overtime_hours(october) == Decimal(2)  # September's side, paid in arrears in October
    assert week_after_october["state"] == "locked"  # partly paid: it can no longer change
    assert november["period"] == "2026-11"
    assert overtime_hours(november) == Decimal(3)  # October's side, still due, and only it
    assert vacation_days(october) == Decimal(0)
    assert vacation_days(november) == Decimal(1)  # the vacation day of a week locked in October still counts

    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    november_run = await pay_run(client, lena, {"period": "2026-11", "extra": False}, run_jobs)
    assert november_run.status_code == 201, november_run.text
    december = (await client.get("/api/payslips/preliminary", headers=anna)).json()

    assert november_run.json()["locked_items"] == 1  # the week moved to the run that paid its rest
    assert december["period"] == "2026-12"
    assert overtime_hours(december) == Decimal(0)
    assert vacation_days(december) == Decimal(0)
