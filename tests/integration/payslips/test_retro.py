"""Retro through the API: a raise dated into paid months is announced to payroll and paid once."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.core.clock import FixedClock
from backend.domain.payslip.retro import RETRO_CODES
from tests.conftest import ANNA, NOW, Org, login
from tests.integration.payslips.test_payslips import finalise, preliminary
from tests.support.jobs import RunJobs


def _retro(slip: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (line["work_period"], line["text"], line["amount"]) for line in slip["lines"] if line["code"] in RETRO_CODES
    ]


async def _raise(
    client: AsyncTestClient[Litestar], payroll: dict[str, str], demo: Org, salary: str, **extra: Any
) -> Any:
    return await client.post(
        f"/api/employees/{demo.employees[ANNA]}/employments",
        json={"valid_from": "2026-09-01", "monthly_salary": salary, **extra},
        headers=payroll,
    )


async def _pay_september_and_october(client: AsyncTestClient[Litestar], clock: FixedClock, run_jobs: RunJobs) -> None:
    """Payroll finalises September's and October's pay runs in their months, as in real life."""
    for period, day in (("2026-09", datetime(2026, 9, 22, 9, tzinfo=NOW.tzinfo)), ("2026-10", NOW.replace(month=10))):
        clock.set(day)
        response = await finalise(client, await login(client, "lena.lind@demo.se"), period, run_jobs=run_jobs)
        assert response.status_code == 201, response.text
    clock.set(NOW)


async def test_a_raise_from_1_september_pays_september_and_october_on_novembers_payslip_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    demo: Org,
    clock: FixedClock,
    run_jobs: RunJobs,
) -> None:
    lena, anna = as_role["payroll"], as_role["employee"]
    await _pay_september_and_october(client, clock, run_jobs=run_jobs)
    before = await preliminary(client, anna)

    answer = await _raise(client, lena, demo, "44000")
    november = await preliminary(client, anna)
    assert (await finalise(client, lena, "2026-11", run_jobs=run_jobs)).status_code == 201
    december = await preliminary(client, anna)

    assert answer.status_code == 201, answer.text
    notice = answer.json()[-1]["retro"]
    assert notice["period"] == "2026-11"
    assert notice["total"] == "4000.00"
    assert "redan utbetalda månader (september 2026, oktober 2026)" in notice["message"]
    assert [line["amount"] for line in notice["lines"]] == ["2000.00", "2000.00"]
    assert before["gross_pay"] == "42000.00"
    assert _retro(before) == []
    assert _retro(november) == [
        ("2026-09", "Retro september: ny månadslön 44 000 kr från 1 sep", "2000.00"),
        ("2026-10", "Retro oktober: ny månadslön 44 000 kr från 1 sep", "2000.00"),
    ]
    assert november["gross_pay"] == "48000.00"
    assert Decimal(november["tax"]) > Decimal(before["tax"])  # taxed as November's pay
    assert _retro(december) == []
    assert december["gross_pay"] == "44000.00"


async def test_a_raise_corrected_after_its_retro_was_paid_takes_back_the_difference(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    demo: Org,
    clock: FixedClock,
    run_jobs: RunJobs,
) -> None:
    lena, anna = as_role["payroll"], as_role["employee"]
    await _pay_september_and_october(client, clock, run_jobs=run_jobs)
    assert (await _raise(client, lena, demo, "44000")).status_code == 201
    assert (await finalise(client, lena, "2026-11", run_jobs=run_jobs)).status_code == 201

    refused = await _raise(client, lena, demo, "43500")
    corrected = await _raise(client, lena, demo, "43500", correction=True)
    december = await preliminary(client, anna)
    audit = (await client.get("/api/audit", params={"entity_type": "employment"}, headers=lena)).json()

    assert refused.status_code == 422
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()[-1]["retro"]["total"] == "-1500.00"
    assert [(period, amount) for period, _, amount in _retro(december)] == [
        ("2026-09", "-500.00"),
        ("2026-10", "-500.00"),
        ("2026-11", "-500.00"),
    ]
    assert december["gross_pay"] == "42000.00"
    corrections = [event for event in audit if event["action"] == "corrected"]
    announced = [event for event in audit if event["action"] == "back_dated"]
    assert Decimal(corrections[0]["before"]["monthly_salary"]) == Decimal(44000)
    assert Decimal(corrections[0]["after"]["monthly_salary"]) == Decimal(43500)
    assert sorted(event["after"]["retro_total"] for event in announced) == ["-1500.00", "4000.00"]


async def test_terms_from_a_coming_month_carry_no_retro(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    answer = await client.post(
        f"/api/employees/{demo.employees[ANNA]}/employments",
        json={"valid_from": "2026-12-01", "monthly_salary": "44000"},
        headers=as_role["payroll"],
    )

    assert answer.status_code == 201, answer.text
    assert all(row["retro"] is None for row in answer.json())


async def test_a_raise_recorded_in_january_pays_november_and_december_of_the_previous_year(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    demo: Org,
    clock: FixedClock,
    run_jobs: RunJobs,
) -> None:
    assert (await finalise(client, as_role["payroll"], "2026-11", run_jobs=run_jobs)).status_code == 201
    clock.set(datetime(2026, 12, 14, 9, tzinfo=NOW.tzinfo))
    december = await finalise(client, await login(client, "lena.lind@demo.se"), "2026-12", run_jobs=run_jobs)
    assert december.status_code == 201, december.text
    clock.set(datetime(2027, 1, 12, 9, tzinfo=NOW.tzinfo))
    lena, anna = await login(client, "lena.lind@demo.se"), await login(client, ANNA)

    answer = await client.post(
        f"/api/employees/{demo.employees[ANNA]}/employments",
        json={"valid_from": "2026-11-01", "monthly_salary": "44000"},
        headers=lena,
    )

    assert answer.status_code == 201, answer.text
    notice = answer.json()[-1]["retro"]
    assert notice["period"] == "2027-01"
    assert [(line["work_period"], line["text"], line["amount"]) for line in notice["lines"]] == [
        ("2026-11", "Retro november 2026: ny månadslön 44 000 kr från 1 nov 2026", "2000.00"),
        ("2026-12", "Retro december 2026: ny månadslön 44 000 kr från 1 nov 2026", "2000.00"),
    ]
    january = await client.get("/api/payslips/preliminary", headers=anna)
    assert january.status_code == 200, january.text
    assert _retro(january.json()) == [
        ("2026-11", "Retro november 2026: ny månadslön 44 000 kr från 1 nov 2026", "2000.00"),
        ("2026-12", "Retro december 2026: ny månadslön 44 000 kr från 1 nov 2026", "2000.00"),
    ]
    assert january.json()["year_to_date"]["year"] == 2027
    assert january.json()["year_to_date"]["gross_pay"] == january.json()["gross_pay"] == "48000.00"
