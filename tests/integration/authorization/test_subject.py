"""Whose items a read is about is settled first, by one dependency (``subject``), for every area.

"Yours, or someone you may see" (``?employee_id=``) is the same check for time, leave, expenses and
travel; someone you may not see is not found whatever else the request says, so a wrong week or year
cannot tell a stranger anything. Which roles see whom is the matrix's (test_matrix.py).
"""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ANNA, Org, problem

pytestmark = pytest.mark.clockless

OTHER_TEAM = "alva.sjoberg@demo.se"  # not Maria's report

# Each read with something else wrong in it too (a week that is not one, a year out of range, a bad flag).
READS = [
    "/api/time/weeks?start=2026-13-01",
    "/api/time/weeks/not-a-week",
    "/api/leave/balance?year=1999",
    "/api/leave/requests",
    "/api/expenses?unclaimed=maybe",
    "/api/travel-claims",
]


def _with_employee(url: str, employee_id: object) -> str:
    return f"{url}{'&' if '?' in url else '?'}employee_id={employee_id}"


@pytest.mark.parametrize("url", READS)
async def test_someone_you_may_not_see_is_not_found_whatever_else_the_request_says(
    url: str, client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    for role in ("employee", "manager"):
        response = await client.get(_with_employee(url, demo.employees[OTHER_TEAM]), headers=as_role[role])

        assert response.status_code == 404, (role, response.text)
        assert problem(response)["code"] == "not_found"


@pytest.mark.parametrize("url", READS)
async def test_the_other_mistake_is_answered_once_the_subject_may_be_seen(
    url: str, client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    """Payroll sees everyone: the read goes on to its own checks (or answers, where nothing else is wrong)."""
    response = await client.get(_with_employee(url, demo.employees[OTHER_TEAM]), headers=as_role["payroll"])

    expected = 200 if url in ("/api/leave/requests", "/api/travel-claims") else 422
    assert response.status_code == expected, response.text


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/api/time/weeks", "Only employees report time."),
        ("/api/leave/balance", "Only employees apply for leave."),
        ("/api/leave/requests", "Only employees apply for leave."),
        ("/api/travel-claims", "Only employees file travel claims."),
    ],
)
async def test_an_account_without_an_employee_is_told_in_the_areas_words(
    url: str, words: str, client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.get(url, headers=as_role["admin"] | {"accept-language": "en"})

    assert response.status_code == 403
    assert problem(response)["detail"] == words


async def test_an_account_without_an_employee_has_no_expenses(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.get("/api/expenses", headers=as_role["admin"])

    assert response.status_code == 200
    assert response.json() == []


async def test_naming_yourself_is_the_same_as_naming_no_one(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    for url in ("/api/leave/balance", "/api/time/weeks", "/api/expenses"):
        plain = await client.get(url, headers=as_role["employee"])
        named = await client.get(_with_employee(url, demo.employees[ANNA]), headers=as_role["employee"])

        assert plain.status_code == named.status_code == 200
        assert plain.json() == named.json()


async def test_whose_pay_is_checked_first_too(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    """Pay has its own rule (the employee and payroll, not the manager), settled as early (``payee``)."""
    url = f"/api/payslips/preliminary?period=not-a-month&employee_id={demo.employees[ANNA]}"

    refused = await client.get(url, headers=as_role["manager"])
    checked = await client.get(url, headers=as_role["payroll"])

    assert refused.status_code == 403, refused.text
    assert checked.status_code == 422, checked.text
