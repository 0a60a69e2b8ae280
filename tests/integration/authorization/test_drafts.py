"""Drafts are the employee's own: her manager sees a report in lists only once it is submitted.

The by-id reads (404 for a draft, as for anything unknown) are in the matrix (test_matrix.py).
"""

from __future__ import annotations

import uuid

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ANNA, Org
from tests.integration.authorization.test_matrix import annas_claim
from tests.integration.authorization.time_travel_cases import LEAVE, ROWS, TRIP, WEEK

pytestmark = pytest.mark.clockless


async def test_her_managers_list_of_expenses_leaves_drafts_out_until_submitted(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    ids = await annas_claim(client, as_role["employee"])
    url = f"/api/expenses?employee_id={demo.employees[ANNA]}"

    def listed(response: object) -> list[str]:
        return [expense["id"] for expense in response.json()]  # type: ignore[attr-defined]

    before = {role: listed(await client.get(url, headers=as_role[role])) for role in ("employee", "manager", "payroll")}
    submitted = await client.post(f"/api/expense-claims/{ids['anna_claim']}/submit", headers=as_role["employee"])
    after = listed(await client.get(url, headers=as_role["manager"]))

    assert before == {"employee": [ids["anna_expense"]], "manager": [], "payroll": [ids["anna_expense"]]}
    assert submitted.status_code == 200
    assert after == [ids["anna_expense"]]


LATER_LEAVE = {"first_day": "2027-01-11", "last_day": "2027-01-15"}
LATER_TRIP = TRIP | {"departure_at": "2026-12-07T08:00:00", "return_at": "2026-12-08T17:00:00"}


@pytest.mark.parametrize(
    ("url", "bodies"), [("/api/travel-claims", (TRIP, LATER_TRIP)), ("/api/leave/requests", (LEAVE, LATER_LEAVE))]
)
async def test_her_managers_list_leaves_out_drafts_of_trips_and_leave(
    url: str,
    bodies: tuple[dict[str, str], dict[str, str]],
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    demo: Org,
) -> None:
    draft, sent = str(uuid.uuid4()), str(uuid.uuid4())
    for id_, body in zip((draft, sent), bodies, strict=True):
        created = await client.put(f"{url}/{id_}", json=body, headers=as_role["employee"])
        assert created.status_code == 201, created.text
    submitted = await client.post(f"{url}/{sent}/submit", headers=as_role["employee"])
    assert submitted.status_code == 200, submitted.text

    query = f"{url}?employee_id={demo.employees[ANNA]}"
    seen = {
        role: sorted(item["id"] for item in (await client.get(query, headers=as_role[role])).json())
        for role in ("employee", "manager", "payroll")
    }

    assert seen == {"employee": sorted([draft, sent]), "manager": [sent], "payroll": sorted([draft, sent])}


async def test_her_manager_sees_that_a_week_is_open_but_not_its_hours(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    filled = await client.put(f"/api/time/weeks/{WEEK}", json=ROWS, headers=as_role["employee"])
    assert filled.status_code == 201, filled.text
    query = f"/api/time/weeks?employee_id={demo.employees[ANNA]}"  # the last weeks: W47 among them

    async def week(role: str) -> tuple[str, str]:
        found = next(w for w in (await client.get(query, headers=as_role[role])).json() if w["week"] == WEEK)
        return found["state"], found["total_hours"]

    before = {role: await week(role) for role in ("employee", "manager", "payroll")}
    await client.post(f"/api/time/weeks/{WEEK}/submit", headers=as_role["employee"])
    after = await week("manager")

    assert before["employee"] == ("draft", "40.00")
    assert before["payroll"] == ("draft", "40.00")
    assert before["manager"] == ("draft", "0.00")
    assert after == ("submitted", "40.00")
