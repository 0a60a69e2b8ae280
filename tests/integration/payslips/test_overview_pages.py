"""Payroll's overview a page at a time: computed in the API process or in the payroll workers, it is every
employee's own preliminary payslip, and its totals are theirs summed."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import DatabaseSettings, Settings
from backend.core.database import session_maker
from backend.db.models import Organisation
from backend.domain.calendar import PayPeriod
from backend.payslips.pool import PayrollPool, price
from tests.conftest import Org
from tests.support.flows import inbox_item_for, submitted_claim

pytestmark = pytest.mark.clockless


@pytest.fixture(params=["in the API process", "in payroll workers"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The same overview both ways: a small organisation inline (the default), and forced into one worker."""
    if request.param == "in payroll workers":
        return replace(settings, payroll_inline_below=0, payroll_processes=1)
    return settings


async def _pages(client: AsyncTestClient[Litestar], headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """Every page of the overview, 7 rows at a time, through the snapshot id of the first answer."""
    first = await client.get("/api/payroll/overview", params={"limit": 7, **params}, headers=headers)
    assert first.status_code == 200, first.text
    pages = [first.json()]
    while pages[-1]["offset"] + 7 < pages[-1]["employees"]:
        response = await client.get(
            "/api/payroll/overview",
            params={"limit": 7, "offset": pages[-1]["offset"] + 7, "snapshot": pages[0]["snapshot"], **params},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        pages.append(response.json())
    return pages


async def test_every_row_of_every_page_is_the_employees_own_preliminary_payslip_and_the_totals_add_up(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    approved = await submitted_claim(client, as_role["employee"], amount="450.00")
    item = await inbox_item_for(client, as_role["manager"], approved["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])
    await submitted_claim(client, as_role["employee"], amount="120.50")  # waiting for attest
    lena = as_role["payroll"]

    pages = await _pages(client, lena)
    rows = [row for page in pages for row in page["rows"]]

    assert {page["snapshot"] for page in pages} == {pages[0]["snapshot"]}
    assert len(rows) == pages[0]["employees"] == len({row["employee_id"] for row in rows}) > 7
    # The rows are computed without explanations (the overview's figures-only payslips); each must be the
    # employee's full payslip to the öre, with the same pending items and warnings, in both languages.
    # (Varied payslips, every kind of line, are compared the same way by every payslip specification:
    # tests/unit/domain/payslip/builders.py.)
    english = [row for page in await _pages(client, {**lena, "accept-language": "en"}) for row in page["rows"]]
    for language, shown in (("sv", rows), ("en", english)):
        for row in shown:
            own = await client.get(
                "/api/payslips/preliminary",
                params={"employee_id": row["employee_id"]},
                headers={**lena, "accept-language": language},
            )
            assert own.status_code == 200, own.text
            slip = own.json()
            waiting = [p for p in slip["pending"] if not p["approved"]]
            assert (row["gross_pay"], row["tax"], row["net_pay"], row["employer_contributions"]) == (
                slip["gross_pay"],
                slip["tax"],
                slip["net_pay"],
                slip["employer_contributions"]["total"],
            )
            assert row["pending_items"] == len(waiting)
            assert Decimal(row["pending_amount"]) == sum(Decimal(p["amount"] or 0) for p in waiting)
            assert row["warnings"] == [w for w in slip["warnings"] if w["code"] != "rates_year_not_loaded"]
    overview = pages[0]
    for total, field in (("gross_pay", "gross_pay"), ("tax", "tax"), ("net_pay", "net_pay")):
        assert Decimal(overview[total]) == sum(Decimal(row[field]) for row in rows)
    assert Decimal(overview["employer_contributions"]) == sum(Decimal(r["employer_contributions"]) for r in rows)
    assert overview["pending_items"] == sum(row["pending_items"] for row in rows) >= 1
    assert overview["with_warnings"] == sum(1 for row in rows if row["warnings"])


async def test_pages_come_in_the_order_asked_for_with_ties_by_name(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    lena = as_role["payroll"]

    by_net = [row for page in await _pages(client, lena, sort="net") for row in page["rows"]]
    by_name = [row for page in await _pages(client, lena, sort="name", direction="descending") for row in page["rows"]]

    nets = [Decimal(row["net_pay"]) for row in by_net]
    assert nets == sorted(nets, reverse=True)
    for before, after in pairwise(by_net):
        if before["net_pay"] == after["net_pay"]:
            assert before["employee_name"].casefold() <= after["employee_name"].casefold()
    names = [row["employee_name"].casefold() for row in by_name]
    assert names == sorted(names, reverse=True)


async def test_a_new_request_computes_anew_while_its_pages_keep_the_figures_they_started_with(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    lena = as_role["payroll"]
    first = (await client.get("/api/payroll/overview", params={"limit": 5}, headers=lena)).json()
    claim = await submitted_claim(client, as_role["employee"], amount="99.00")
    assert claim["id"]

    same = await client.get(
        "/api/payroll/overview", params={"limit": 5, "offset": 5, "snapshot": first["snapshot"]}, headers=lena
    )
    fresh = (await client.get("/api/payroll/overview", params={"limit": 5}, headers=lena)).json()

    assert same.json()["snapshot"] == first["snapshot"]
    assert same.json()["pending_items"] == first["pending_items"]
    assert fresh["snapshot"] != first["snapshot"]
    assert fresh["pending_items"] == first["pending_items"] + 1


async def test_a_page_outside_the_rows_and_a_bad_order_are_answered_clearly(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    lena = as_role["payroll"]

    beyond = await client.get("/api/payroll/overview", params={"offset": 10_000}, headers=lena)
    bad_sort = await client.get("/api/payroll/overview", params={"sort": "salary"}, headers=lena)
    bad_limit = await client.get("/api/payroll/overview", params={"limit": 0}, headers=lena)

    assert beyond.status_code == 200
    assert beyond.json()["rows"] == []
    assert beyond.json()["employees"] > 0
    assert bad_sort.status_code == 422
    assert "sort" in bad_sort.text
    assert bad_limit.status_code == 422
    assert "limit" in bad_limit.text


async def test_the_payroll_workers_compute_in_another_process_what_the_api_process_computes(
    engine: AsyncEngine, database: DatabaseSettings, demo: Org
) -> None:
    pool = PayrollPool(database, 1, inline_below=0)
    try:
        async with session_maker(engine)() as session:
            organisation = await session.get(Organisation, demo.id)
            assert organisation is not None
            period, today = PayPeriod(2026, 11), date(2026, 11, 23)
            inline = [d async for d in price(session, None, organisation, period, None, today, whole_payslips=False)]
            workers = [d async for d in price(session, pool, organisation, period, None, today, whole_payslips=False)]
            run = [d async for d in price(session, pool, organisation, period, None, today, whole_payslips=True)]
    finally:
        pool.close()

    assert [d.pid for d in inline] == [os.getpid()]
    assert workers
    assert all(d.pid != os.getpid() for d in workers + run)
    assert sorted(e for d in workers for e in d.entries) == sorted(e for d in inline for e in d.entries)
    assert {k: p.slip.net_pay for d in run for k, p in d.priced.items()} == {
        e.employee_id: Decimal(e.net).scaleb(-2) for d in inline for e in d.entries
    }
