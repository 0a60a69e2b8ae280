"""Leave requests through the API: vacation days left, submission for attest, payroll's entitlement."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ANNA, Org, problem


async def apply(client: AsyncTestClient[Litestar], headers: dict[str, str], first: str, last: str, **extra: Any) -> Any:
    request_id = str(uuid.uuid4())
    response = await client.put(
        f"/api/leave/requests/{request_id}", json={"first_day": first, "last_day": last, **extra}, headers=headers
    )
    return response


async def test_a_vacation_application_shows_the_days_left_and_goes_to_attest(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    before = (await client.get("/api/leave/balance", headers=anna)).json()

    created = await apply(client, anna, "2026-12-14", "2026-12-18", comment="Ledigt före jul")
    submitted = await client.post(f"/api/leave/requests/{created.json()['id']}/submit", headers=anna)
    item = next(
        i
        for i in (await client.get("/api/attest/inbox", headers=maria)).json()["items"]
        if i["kind"] == "leave_request"
    )
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    after = (await client.get("/api/leave/balance", headers=anna)).json()

    assert before["entitlement"] == "25.00"
    assert before["remaining"] == "25.00"
    assert created.status_code == 201, created.text
    assert created.json()["days"] == "5.00"
    assert created.json()["state"] == "draft"
    assert submitted.json()["state"] == "submitted"
    assert submitted.json()["balance"]["pending"] == "5.00"
    assert submitted.json()["balance"]["remaining"] == "20.00"
    assert item["title"] == "Semester 2026-12-14–2026-12-18 (5 dagar)"
    assert after["approved"] == "5.00"
    assert after["pending"] == "0.00"


async def test_holidays_in_the_range_are_not_vacation_days(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await apply(client, as_role["employee"], "2026-12-21", "2026-12-31")

    # 21, 22, 23, 28, 29, 30: Julafton, juldagen, annandag jul and nyårsafton are off anyway.
    assert response.json()["days"] == "6.00"


async def test_more_days_than_are_left_cannot_be_submitted(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    anna = as_role["employee"]
    set_days = await client.put(
        f"/api/leave/entitlements/{demo.employees[ANNA]}/2026", json={"days": "3"}, headers=as_role["payroll"]
    )
    created = await apply(client, anna, "2026-12-14", "2026-12-18")

    refused = await client.post(f"/api/leave/requests/{created.json()['id']}/submit", headers=anna)

    assert set_days.json()["entitlement"] == "3.00"
    assert refused.status_code == 422
    error = problem(refused)["errors"][0]
    assert error["code"] == "leave.not_enough_vacation"
    assert "5" in error["message"]
    assert "3" in error["message"]


async def test_overlapping_and_reversed_ranges_are_refused(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    await apply(client, anna, "2026-12-14", "2026-12-18")

    overlapping = await apply(client, anna, "2026-12-17", "2026-12-22")
    reversed_range = await apply(client, anna, "2026-12-18", "2026-12-14")
    weekend_only = await apply(client, anna, "2026-12-19", "2026-12-20")

    assert problem(overlapping)["errors"][0]["code"] == "leave.overlaps"
    assert problem(reversed_range)["errors"][0]["code"] == "leave.range_reversed"
    assert problem(weekend_only)["errors"][0]["code"] == "leave.no_working_days"


async def test_approved_leave_shows_in_the_week(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    created = await apply(client, as_role["employee"], "2026-12-14", "2026-12-15")
    await client.post(f"/api/leave/requests/{created.json()['id']}/submit", headers=as_role["employee"])

    week = (await client.get("/api/time/weeks/2026-W51", headers=as_role["employee"])).json()

    assert week["days"][0]["leave"] == [{"request_id": created.json()["id"], "kind": "vacation", "state": "submitted"}]
    assert week["days"][2]["leave"] == []


async def test_a_draft_request_can_be_deleted_but_not_a_submitted_one(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    draft = (await apply(client, anna, "2026-12-14", "2026-12-14")).json()
    sent = (await apply(client, anna, "2026-12-15", "2026-12-15")).json()
    await client.post(f"/api/leave/requests/{sent['id']}/submit", headers=anna)

    deleted = await client.delete(f"/api/leave/requests/{draft['id']}", headers=anna)
    kept = await client.delete(f"/api/leave/requests/{sent['id']}", headers=anna)
    listed = (await client.get("/api/leave/requests", headers=anna)).json()

    assert deleted.status_code == 204
    assert kept.status_code == 409
    assert [r["id"] for r in listed] == [sent["id"]]


async def test_a_leave_of_ten_days_and_of_one_day_is_titled_as_people_write_it(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    for first, last in (("2026-12-07", "2026-12-18"), ("2027-01-11", "2027-01-11")):
        created = await apply(client, anna, first, last)
        submitted = await client.post(f"/api/leave/requests/{created.json()['id']}/submit", headers=anna)
        assert submitted.status_code == 200, submitted.text

    titles = sorted(
        i["title"]
        for i in (await client.get("/api/attest/inbox", headers=maria)).json()["items"]
        if i["kind"] == "leave_request"
    )

    assert titles == ["Semester 2026-12-07–2026-12-18 (10 dagar)", "Semester 2027-01-11–2027-01-11 (1 dag)"]


async def test_the_form_can_count_the_working_days_before_anything_is_saved(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]

    async def count(first: str, last: str) -> Any:
        return await client.get("/api/leave/working-days", params={"first_day": first, "last_day": last}, headers=anna)

    christmas = await count("2026-12-21", "2027-01-01")  # juldagen, annandag jul and nyårsdagen are holidays
    a_week = await count("2026-12-14", "2026-12-20")
    reversed_range = await count("2026-12-18", "2026-12-14")
    created = await apply(client, anna, "2026-12-21", "2027-01-01")

    assert a_week.json() == {"first_day": "2026-12-14", "last_day": "2026-12-20", "days": "5.00"}
    assert christmas.json()["days"] == created.json()["days"]  # the same rule as the request itself
    assert reversed_range.status_code == 422
    assert problem(reversed_range)["errors"][0]["field"] == "last_day"
    requests = (await client.get("/api/leave/requests", headers=anna)).json()
    assert len(requests) == 1  # counting saved nothing
