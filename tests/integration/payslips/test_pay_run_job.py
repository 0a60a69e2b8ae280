"""A pay run is a job: the request only asks; the job pays once, or records why it did not."""

from __future__ import annotations

from dataclasses import replace

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, func, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import AccountRole, PayRun, PayRunRequest, Payslip
from backend.payslips import finalising
from backend.payslips.services import PayslipService
from tests.conftest import LENA, Org, problem
from tests.support.factories import OtherOrg
from tests.support.jobs import RunJobs

NOVEMBER = {"period": "2026-11"}


async def _paid(engine: AsyncEngine) -> tuple[int, int]:
    async with engine.connect() as connection:
        runs = (await connection.execute(select(func.count()).select_from(PayRun))).scalar_one()
        slips = (await connection.execute(select(func.count()).select_from(Payslip))).scalar_one()
    return int(runs), int(slips)


async def _request(client: AsyncTestClient[Litestar], headers: dict[str, str], request_id: str) -> dict[str, object]:
    found = await client.get(f"/api/payroll/pay-runs/requests/{request_id}", headers=headers)
    assert found.status_code == 200, found.text
    body: dict[str, object] = found.json()
    return body


async def test_the_request_only_asks_and_the_job_pays_once(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine, run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    asked = await client.post("/api/payroll/pay-runs", json=NOVEMBER, headers=lena)
    assert asked.status_code == 202, asked.text
    assert (asked.json()["state"], asked.json()["pay_run"]) == ("waiting", None)
    assert await _paid(engine) == (0, 0)  # nothing paid in the request
    another = await client.post("/api/payroll/pay-runs", json={"period": "2026-11", "extra": True}, headers=lena)
    assert (another.status_code, problem(another)["code"]) == (409, "pay_run.waiting")  # one at a time

    await run_jobs("find_pay_runs")
    await run_jobs("find_pay_runs")  # a job that runs again finds the request done: nothing more

    done = await _request(client, lena, asked.json()["id"])
    run = done["pay_run"]
    assert isinstance(run, dict)
    assert (done["state"], run["period"], run["sequence"], done["problem"]) == ("done", "2026-11", 0, None)
    assert await _paid(engine) == (1, run["employees"])
    assert [r["id"] for r in (await client.get("/api/payroll/pay-runs", headers=lena)).json()] == [run["id"]]


async def test_a_refused_run_says_why_in_the_readers_language(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine, run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    preview = (await client.get("/api/payroll/pay-runs/preview", params=NOVEMBER, headers=lena)).json()
    asked = await client.post(
        "/api/payroll/pay-runs", json=NOVEMBER | {"preview": "0" * 16 + preview["fingerprint"][16:]}, headers=lena
    )
    await run_jobs("find_pay_runs")

    refused = await _request(client, lena | {"accept-language": "en"}, asked.json()["id"])
    found = refused["problem"]
    assert isinstance(found, dict)
    assert (refused["state"], found["status"], found["code"]) == ("refused", 409, "preview_changed")
    assert str(found["detail"]).startswith("The pay run has changed since the preview")
    assert await _paid(engine) == (0, 0)
    again = await client.post("/api/payroll/pay-runs", json=NOVEMBER, headers=lena)
    assert again.status_code == 202  # a refused request no longer waits: asking again is allowed


async def test_a_request_left_without_a_job_is_found_and_paid_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    run_jobs: RunJobs,
) -> None:
    """The API process died after recording the request and before deferring its job."""
    asked = await client.post("/api/payroll/pay-runs", json=NOVEMBER, headers=as_role["payroll"])
    if not settings.database.is_sqlite:  # on SQLite the job went to the app's own in-memory queue
        async with engine.begin() as connection:
            await connection.execute(text("DELETE FROM procrastinate_jobs WHERE task_name = 'finalise_pay_run'"))

    await run_jobs("find_pay_runs")

    assert (await _request(client, as_role["payroll"], asked.json()["id"]))["state"] == "done"
    assert (await _paid(engine))[0] == 1


async def test_a_run_that_keeps_failing_is_refused_with_a_retryable_problem_and_nothing_paid(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    run_jobs: RunJobs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(finalising, "RETRY", replace(finalising.RETRY, max_attempts=1))  # this try is the last

    async def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("the database went away mid-run")

    monkeypatch.setattr(PayslipService, "finalise", broken)
    asked = await client.post("/api/payroll/pay-runs", json=NOVEMBER, headers=as_role["payroll"])
    await run_jobs("find_pay_runs")

    refused = await _request(client, as_role["payroll"], asked.json()["id"])
    found = refused["problem"]
    assert isinstance(found, dict)
    assert (refused["state"], found["status"], found["code"]) == ("refused", 503, "pay_run.failed")
    assert "Försök igen" in str(found["detail"])
    assert await _paid(engine) == (0, 0)


async def test_a_run_asked_for_by_someone_who_lost_the_payroll_role_is_not_paid(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    demo: Org,
    run_jobs: RunJobs,
) -> None:
    asked = await client.post("/api/payroll/pay-runs", json=NOVEMBER, headers=as_role["payroll"])
    async with engine.begin() as connection:
        await connection.execute(delete(AccountRole).where(col(AccountRole.account_id) == demo.accounts[LENA]))

    await run_jobs("find_pay_runs")

    async with engine.connect() as connection:
        state = (await connection.execute(text("SELECT state FROM payrunrequest"))).scalar_one()
    assert state == "refused"
    assert await _paid(engine) == (0, 0)
    assert asked.status_code == 202


async def test_another_organisations_request_is_not_found(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    other_org: OtherOrg,
    clock: FixedClock,
) -> None:
    async with session_maker(engine)() as session:
        theirs = PayRunRequest(organisation_id=other_org.id, period="2026-11", requested_at=clock.now())
        session.add(theirs)
        await session.commit()
        their_id = theirs.id

    found = await client.get(f"/api/payroll/pay-runs/requests/{their_id}", headers=as_role["payroll"])

    assert found.status_code == 404


async def test_the_preview_lists_a_bounded_number_of_people_and_totals_everyone(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    lena = as_role["payroll"]
    everyone = (await client.get("/api/payroll/pay-runs/preview", params=NOVEMBER, headers=lena)).json()
    two = (await client.get("/api/payroll/pay-runs/preview", params=NOVEMBER | {"limit": "2"}, headers=lena)).json()
    too_many = await client.get("/api/payroll/pay-runs/preview", params=NOVEMBER | {"limit": "1001"}, headers=lena)

    assert everyone["employees"] == len(everyone["rows"]) > 2
    assert [r["employee_name"] for r in two["rows"]] == [r["employee_name"] for r in everyone["rows"][:2]]
    assert {k: v for k, v in two.items() if k != "rows"} == {k: v for k, v in everyone.items() if k != "rows"}
    assert (too_many.status_code, problem(too_many)["errors"][0]["field"]) == (422, "limit")
