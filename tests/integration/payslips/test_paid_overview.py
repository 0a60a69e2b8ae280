"""Payroll's overview of a paid period shows what was paid, not a new computation."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.core.database import session_maker
from backend.db.models import Payslip
from tests.conftest import ANNA, Org, problem
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.jobs import RunJobs, pay_run


async def test_the_overview_of_a_paid_period_is_its_runs_as_stored(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    run = await pay_run(client, lena, {"period": "2026-11", "extra": False}, run_jobs)
    assert run.status_code == 201, run.text
    # Approved after the run: changes the coming pay, never the paid month's figures.
    claim = await submitted_claim(client, as_role["employee"], amount="450.00")
    item = await inbox_item_for(client, as_role["manager"], claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])

    paid = await client.get("/api/payroll/overview", params={"period": "2026-11"}, headers=lena)
    coming = (await client.get("/api/payroll/overview", headers=lena)).json()

    assert paid.status_code == 200, paid.text
    body = paid.json()
    assert body["finalised"] is True
    assert (body["employees"], body["gross_pay"], body["net_pay"], body["tax"]) == (
        run.json()["employees"],
        run.json()["gross_pay"],
        run.json()["net_pay"],
        run.json()["tax"],
    )
    assert body["pending_items"] == 0
    assert coming["period"] == "2026-12"
    assert coming["finalised"] is False


async def test_a_period_before_the_first_run_has_no_overview(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.get("/api/payroll/overview", params={"period": "2026-10"}, headers=as_role["payroll"])

    assert response.status_code == 404
    assert problem(response)["code"]


async def test_the_overview_of_a_paid_period_shows_the_warnings_its_payslips_were_stored_with(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    run_jobs: RunJobs,
    engine: AsyncEngine,
    demo: Org,
) -> None:
    lena = as_role["payroll"]
    assert (await pay_run(client, lena, {"period": "2026-11"}, run_jobs)).status_code == 201
    stored = {"code": "checked", "message": {"sv": "Kontrollera skattetabellen", "en": "Check the tax table"}}
    async with session_maker(engine)() as session:
        slip = (
            await session.execute(select(Payslip).where(col(Payslip.employee_id) == demo.employees[ANNA]))
        ).scalar_one()
        slip.snapshot = {**slip.snapshot, "warnings": [*slip.snapshot["warnings"], stored]}
        await session.commit()

    swedish = (await client.get("/api/payroll/overview", params={"period": "2026-11"}, headers=lena)).json()
    english = (
        await client.get(
            "/api/payroll/overview", params={"period": "2026-11"}, headers=lena | {"accept-language": "en"}
        )
    ).json()

    assert swedish["finalised"] is True
    assert swedish["with_warnings"] >= 1
    [anna] = [r for r in swedish["rows"] if r["employee_id"] == str(demo.employees[ANNA])]
    [anna_en] = [r for r in english["rows"] if r["employee_id"] == str(demo.employees[ANNA])]
    assert {"code": "checked", "message": "Kontrollera skattetabellen"} in anna["warnings"]
    assert {"code": "checked", "message": "Check the tax table"} in anna_en["warnings"]
