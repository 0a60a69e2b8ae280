"""One's own salary and roles need a second person: payroll cannot raise their own pay, an admin
cannot change their own roles; both are told who can."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ADMIN, ANNA, LENA, Org, problem

pytestmark = pytest.mark.clockless

RAISE = {"valid_from": "2026-12-01", "monthly_salary": "99000"}


async def test_payroll_cannot_change_their_own_salary(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    own = await client.post(
        f"/api/employees/{demo.employees[LENA]}/employments", json=RAISE, headers=as_role["payroll"]
    )
    someone_elses = await client.post(
        f"/api/employees/{demo.employees[ANNA]}/employments", json=RAISE, headers=as_role["payroll"]
    )
    terms = await client.get(f"/api/employees/{demo.employees[LENA]}/employments", headers=as_role["payroll"])

    assert own.status_code == 403
    body = problem(own)
    assert body["code"] == "second_person_required"
    assert "lönerollen" in body["detail"]  # who can: another person with the payroll role
    assert body["errors"][0]["code"] == "own_record"
    assert someone_elses.status_code == 201
    assert all(row["monthly_salary"] != "99000.00" for row in terms.json())


async def test_an_admin_cannot_change_their_own_roles_but_may_edit_the_rest(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    admin = as_role["admin"]
    own = f"/api/users/{demo.accounts[ADMIN]}"

    granted = await client.patch(own, json={"roles": ["admin", "payroll"]}, headers=admin)
    renamed = await client.patch(own, json={"display_name": "Admin A.", "roles": ["admin"]}, headers=admin)
    anothers = await client.patch(
        f"/api/users/{demo.accounts[ANNA]}", json={"roles": ["employee", "manager"]}, headers=admin
    )

    assert granted.status_code == 403
    body = problem(granted)
    assert body["code"] == "second_person_required"
    assert "administratör" in body["detail"]  # who can: another administrator
    assert renamed.status_code == 200
    assert renamed.json()["roles"] == ["admin"]
    assert anothers.status_code == 200
    assert anothers.json()["roles"] == ["employee", "manager"]
