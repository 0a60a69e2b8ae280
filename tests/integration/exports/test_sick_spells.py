"""A sick spell over two weeks: the export tells the payroll system what the time week showed.

Anna is sick on Friday 23 October and again on Monday 26 October, the first day of the next week.
The weekend between has nothing reported, so it is one spell with one karensavdrag, on the
Friday: the second week shows no qualifying day, and its export must not send one either (it
used to decide from the week's own days and sent SJK_KAR for the Monday).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.core.clock import FixedClock
from tests.integration.exports.conftest import BEFORE_CUTOFF, close_november
from tests.support.jobs import RunJobs

FRIDAY_SICK = {
    "rows": [
        {"code": "work", "hours": ["8", "8", "8", "8", None, None, None]},
        {"code": "sick", "hours": [None, None, None, None, "8", None, None]},
    ]
}
MONDAY_SICK = {
    "rows": [
        {"code": "sick", "hours": ["8", None, None, None, None, None, None]},
        {"code": "work", "hours": [None, "8", "8", "8", "8", None, None]},
    ]
}


async def _report_and_approve(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], week: str, body: dict[str, Any]
) -> dict[str, Any]:
    saved = await client.put(f"/api/time/weeks/{week}", json=body, headers=as_role["employee"])
    assert saved.status_code in (200, 201), saved.text
    submitted = await client.post(f"/api/time/weeks/{week}/submit", headers=as_role["employee"])
    assert submitted.status_code == 200, submitted.text
    item_id = submitted.json()["attest"]["item_id"]
    approved = await client.post(f"/api/attest/items/{item_id}/approve", headers=as_role["manager"])
    assert approved.status_code == 200, approved.text
    view: dict[str, Any] = saved.json()
    return view


async def test_a_spell_over_the_weekend_has_one_qualifying_day_in_the_week_and_in_the_export(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    now = clock.now()
    clock.set(BEFORE_CUTOFF)  # approved in time for November's pay
    first = await _report_and_approve(client, as_role, "2026-W43", FRIDAY_SICK)
    second = await _report_and_approve(client, as_role, "2026-W44", MONDAY_SICK)
    clock.set(now)

    batch = await close_november(client, as_role, run_jobs)
    rows = (await client.get(f"/api/payroll/export-batches/{batch['id']}/rows", headers=as_role["payroll"])).json()
    sick = {row["day"]: row["code"] for row in rows["rows"] if row["code"].startswith("SJK")}

    assert [d["qualifying_day"] for d in first["days"]][4] is True
    assert not any(d["qualifying_day"] for d in second["days"])
    assert second["days"][0]["sick_note"] is None
    assert sick == {date(2026, 10, 23).isoformat(): "SJK_KAR", date(2026, 10, 26).isoformat(): "SJK"}
