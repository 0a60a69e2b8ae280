"""Employees, employment history, the organisation, projects and accounts through the API."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.db.models import AuditEvent, Employee
from tests.conftest import ANNA, LENA, MARIA, Org, problem


async def count(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def test_an_employee_sees_only_themselves(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.get("/api/employees", headers=as_role["employee"])

    assert [e["email"] for e in response.json()] == [ANNA]


async def test_a_manager_sees_their_direct_reports_and_themselves(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    response = await client.get("/api/employees", headers=as_role["manager"])
    emails = {e["email"] for e in response.json()}

    assert ANNA in emails
    assert MARIA in emails
    assert "alva.sjoberg@demo.se" not in emails  # Johan's team
    assert all(e["manager_id"] == str(demo.employees[MARIA]) or e["email"] == MARIA for e in response.json())


async def test_payroll_sees_everyone(client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]) -> None:
    response = await client.get("/api/employees", headers=as_role["payroll"])

    assert len(response.json()) == 25


async def test_search_employees_by_name(client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]) -> None:
    response = await client.get("/api/employees", params={"q": "ander"}, headers=as_role["payroll"])

    assert ANNA in [e["email"] for e in response.json()]


async def test_pay_is_visible_to_the_employee_and_payroll_but_not_the_manager(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    path = f"/api/employees/{demo.employees[ANNA]}"

    own = (await client.get(path, headers=as_role["employee"])).json()
    managers_view = (await client.get(path, headers=as_role["manager"])).json()
    payroll = (await client.get(path, headers=as_role["payroll"])).json()

    assert own["employment"]["monthly_salary"] == "42000.00"
    assert managers_view["employment"] is None
    assert payroll["employment"]["monthly_salary"] == "42000.00"
    assert own["manager_name"] == "Maria Berg"


async def test_payroll_creates_an_employee_with_terms_and_the_change_is_audited(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    response = await client.post(
        "/api/employees",
        json={
            "employee_number": "2001",
            "first_name": "Nils",
            "last_name": "Ny",
            "email": "Nils.Ny@demo.se",
            "birth_date": "1995-05-05",
            "start_date": "2026-12-01",
            "manager_id": str(demo.employees[MARIA]),
            "tax_table": 33,
            "employment": {"pay_type": "monthly", "monthly_salary": "38500.50", "weekly_hours": "40"},
        },
        headers=as_role["payroll"],
    )

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["email"] == "nils.ny@demo.se"
    assert created["manager_name"] == "Maria Berg"
    history = await client.get(f"/api/employees/{created['id']}/employments", headers=as_role["payroll"])
    assert history.json()[0]["monthly_salary"] == "38500.50"
    assert history.json()[0]["valid_from"] == "2026-12-01"
    trail = await client.get("/api/audit", params={"entity_id": created["id"]}, headers=as_role["payroll"])
    assert [e["action"] for e in trail.json()] == ["created"]
    assert trail.json()[0]["after"]["email"] == "nils.ny@demo.se"


async def test_invalid_employee_reports_every_problem_at_once_and_stores_nothing(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    before = await count(engine, Employee)
    response = await client.post(
        "/api/employees",
        json={
            "employee_number": "2002",
            "first_name": "Fel",
            "last_name": "Data",
            "email": "fel@demo.se",
            "birth_date": "2024-01-01",
            "start_date": "2026-01-01",
            "end_date": "2025-01-01",
            "tax_table": 12,
            "employment": {"pay_type": "monthly", "monthly_salary": "-5", "employment_rate": "150"},
        },
        headers=as_role["payroll"],
    )

    body = problem(response)
    assert response.status_code == 422
    fields = {e["field"] for e in body["errors"]}
    assert fields == {
        "birth_date",
        "end_date",
        "tax_table",
        "employment.monthly_salary",
        "employment.employment_rate",
    }
    assert await count(engine, Employee) == before


async def test_a_manager_cannot_be_placed_under_their_own_report(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    response = await client.patch(
        f"/api/employees/{demo.employees[MARIA]}",
        json={"manager_id": str(demo.employees[ANNA])},
        headers=as_role["payroll"],
    )

    assert response.status_code == 422
    assert problem(response)["errors"][0]["code"] == "manager_cycle"


async def test_an_unknown_cost_centre_is_refused_alike_for_an_employee_and_a_project(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    unknown = str(uuid.uuid4())

    employee = await client.patch(
        f"/api/employees/{demo.employees[ANNA]}", json={"cost_centre_id": unknown}, headers=as_role["payroll"]
    )
    project = await client.post(
        "/api/projects",
        json={"code": "CC", "name": "Cost centre", "cost_centre_id": unknown},
        headers=as_role["payroll"],
    )

    for response in (employee, project):
        assert response.status_code == 422
        assert [(e["field"], e["code"], e["message"]) for e in problem(response)["errors"]] == [
            ("cost_centre_id", "unknown_cost_centre", "Okänt kostnadsställe")
        ]


async def test_a_raise_is_added_as_new_effective_dated_terms(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    path = f"/api/employees/{demo.employees[ANNA]}/employments"
    before = (await client.get(path, headers=as_role["payroll"])).json()

    response = await client.post(
        path, json={"valid_from": "2027-01-01", "monthly_salary": "44500"}, headers=as_role["payroll"]
    )
    duplicate = await client.post(
        path, json={"valid_from": "2027-01-01", "monthly_salary": "45000"}, headers=as_role["payroll"]
    )

    assert response.status_code == 201
    assert len(response.json()) == len(before) + 1
    assert response.json()[-1]["monthly_salary"] == "44500.00"
    assert duplicate.status_code == 422


async def test_organisation_settings_are_validated(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    bad = await client.patch("/api/organisation", json={"cutoff_day": 31}, headers=as_role["payroll"])
    unknown_profile = await client.patch(
        "/api/organisation", json={"agreement_profile": "nope"}, headers=as_role["payroll"]
    )
    good = await client.patch("/api/organisation", json={"cutoff_day": 10, "pay_day": 27}, headers=as_role["payroll"])

    assert bad.status_code == 422
    assert problem(bad)["errors"][0]["field"] == "cutoff_day"
    assert unknown_profile.status_code == 422
    assert good.json()["cutoff_day"] == 10
    assert good.json()["pay_day"] == 27


async def test_year_policy_amounts_are_exact_and_in_range(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    bad = await client.put(
        "/api/organisation/policies/2026", json={"mileage_rate_per_mil": "-1"}, headers=as_role["payroll"]
    )
    too_precise = await client.put(
        "/api/organisation/policies/2026", json={"mileage_rate_per_mil": "25.001"}, headers=as_role["payroll"]
    )
    good = await client.put(
        "/api/organisation/policies/2026", json={"mileage_rate_per_mil": "30.50"}, headers=as_role["payroll"]
    )

    assert bad.status_code == 422
    assert too_precise.status_code == 422
    policy = next(p for p in good.json()["policies"] if p["year"] == 2026)
    assert policy["mileage_rate_per_mil"] == "30.50"


async def test_project_tree_is_searchable_at_every_level(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    everything = (await client.get("/api/projects", headers=as_role["employee"])).json()
    tests = (await client.get("/api/projects", params={"q": "test"}, headers=as_role["employee"])).json()

    assert {p["level"] for p in everything} == {1, 2, 3}
    assert [p["path"] for p in tests] == ["P100 / P100.1 / P100.1.TEST", "P100 / P100.2 / P100.2.TEST"]


async def test_an_activity_cannot_have_children_and_inactive_projects_are_hidden(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    projects = (await client.get("/api/projects", headers=as_role["payroll"])).json()
    activity = next(p for p in projects if p["level"] == 3)
    portal = next(p for p in projects if p["code"] == "P100")

    too_deep = await client.post(
        "/api/projects",
        json={"code": "DEEP", "name": "Too deep", "parent_id": activity["id"]},
        headers=as_role["payroll"],
    )
    await client.patch(f"/api/projects/{portal['id']}", json={"active": False}, headers=as_role["payroll"])
    visible = (await client.get("/api/projects", headers=as_role["employee"])).json()

    assert too_deep.status_code == 422
    assert not any(p["path"].startswith("P100") for p in visible)


async def test_admin_changes_roles_and_old_tokens_stop_working(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    response = await client.patch(
        f"/api/users/{demo.accounts[LENA]}", json={"roles": ["employee"]}, headers=as_role["admin"]
    )

    assert response.status_code == 200
    assert response.json()["roles"] == ["employee"]
    assert (await client.get("/api/audit", headers=as_role["payroll"])).status_code == 401


async def test_admin_cannot_lock_themselves_out(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    response = await client.patch(
        f"/api/users/{demo.accounts['admin@demo.se']}", json={"active": False}, headers=as_role["admin"]
    )

    assert response.status_code == 422


async def test_a_deactivated_account_cannot_sign_in(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    await client.patch(f"/api/users/{demo.accounts[ANNA]}", json={"active": False}, headers=as_role["admin"])

    response = await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})

    assert response.status_code == 401


async def test_every_change_leaves_an_audit_event_with_before_and_after(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine, demo: Org
) -> None:
    await client.patch(f"/api/employees/{demo.employees[ANNA]}", json={"tax_table": 34}, headers=as_role["payroll"])

    trail = (
        await client.get("/api/audit", params={"entity_id": str(demo.employees[ANNA])}, headers=as_role["payroll"])
    ).json()

    assert trail[0]["action"] == "updated"
    assert trail[0]["after"] == {"tax_table": 34}
    assert trail[0]["before"] == {"tax_table": trail[0]["before"]["tax_table"]}
    assert trail[0]["request_id"]
    assert await count(engine, AuditEvent) > 0
