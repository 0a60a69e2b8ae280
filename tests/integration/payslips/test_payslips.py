"""The preliminary payslip on demand, pay runs, locking, retroactive pay, payroll's overview, PDF."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pypdfium2
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.domain.payroll.tax import column_for, withholding
from tests.conftest import ANNA, Org, problem
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.jobs import RunJobs, pay_run


async def preliminary(client: AsyncTestClient[Litestar], headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = await client.get("/api/payslips/preliminary", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def finalise(
    client: AsyncTestClient[Litestar], payroll: dict[str, str], period: str, extra: bool = False, *, run_jobs: RunJobs
) -> Any:
    return await pay_run(client, payroll, {"period": period, "extra": extra}, run_jobs)


async def annas_table(client: AsyncTestClient[Litestar], headers: dict[str, str], demo: Org) -> int:
    employee = (await client.get(f"/api/employees/{demo.employees[ANNA]}", headers=headers)).json()
    return int(employee["tax_table"])


async def test_annas_preliminary_payslip_is_her_salary_less_tax_from_the_table(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    slip = await preliminary(client, as_role["employee"])
    table = await annas_table(client, as_role["employee"], demo)

    expected_tax = withholding(2026, table, column_for(date(1990, 6, 15), 2026), Decimal(42000))
    assert slip["preliminary"] is True
    assert slip["period"] == "2026-11"
    assert slip["gross_pay"] == "42000.00"
    assert Decimal(slip["tax"]) == expected_tax
    assert Decimal(slip["net_pay"]) == Decimal(42000) - expected_tax
    salary = next(line for line in slip["lines"] if line["code"] == "salary")
    assert "42" in salary["explanation"]
    assert slip["tax_basis"]["table"] == table


async def test_an_approved_claim_changes_the_coming_net_pay(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    assert (await finalise(client, lena, "2026-11", run_jobs=run_jobs)).status_code == 201
    claim = await submitted_claim(client, anna, amount="245.00")

    before = await preliminary(client, anna)
    item = await inbox_item_for(client, maria, claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    after = await preliminary(client, anna)

    assert before["period"] == after["period"] == "2026-12"
    pending = next(p for p in before["pending"] if p["item_id"] == claim["id"])
    assert pending["status"] == "awaiting_attest"
    assert Decimal(after["net_pay"]) - Decimal(before["net_pay"]) == Decimal("245.00")
    expense_line = next(line for line in after["lines"] if line["code"] == "expense")
    assert expense_line["taxable"] is False
    assert claim["id"] in expense_line["source_ids"]
    assert all(p["item_id"] != claim["id"] for p in after["pending"])


async def test_a_pay_run_stores_payslips_and_locks_what_it_paid(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    claim = await submitted_claim(client, anna, amount="100.00")
    item = await inbox_item_for(client, maria, claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    november_preliminary = await preliminary(client, anna)

    run = await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    again = await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    stored = await preliminary(client, anna, period="2026-11")
    history = (await client.get("/api/payslips", headers=anna)).json()
    claim_after = (await client.get(f"/api/expense-claims/{claim['id']}", headers=anna)).json()
    returned = await client.post(f"/api/attest/items/{item['id']}/return", json={"reason": "x"}, headers=maria)

    assert run.status_code == 201, run.text
    assert run.json()["employees"] == 25
    assert again.status_code == 409
    assert stored["preliminary"] is False
    assert stored["net_pay"] == november_preliminary["net_pay"]
    assert [(h["period"], h["preliminary"]) for h in history] == [("2026-12", True), ("2026-11", False)]
    # Approved on 23 November, after the 8th: it reaches December's pay, so November did not lock it.
    assert claim_after["state"] == "approved"
    assert returned.status_code == 409


async def test_an_extra_run_pays_what_was_approved_after_the_regular_run(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    claim = await submitted_claim(client, anna, amount="300.00")
    item = await inbox_item_for(client, maria, claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)

    extra = await finalise(client, lena, "2026-11", extra=True, run_jobs=run_jobs)
    claim_after = (await client.get(f"/api/expense-claims/{claim['id']}", headers=anna)).json()
    december = await preliminary(client, anna)

    assert extra.status_code == 201, extra.text
    assert extra.json()["sequence"] == 1
    assert extra.json()["employees"] == 1
    assert extra.json()["net_pay"] == "300.00"
    assert claim_after["state"] == "locked"
    assert all(line["code"] != "expense" for line in december["lines"])


async def test_only_the_next_period_can_be_finalised(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    too_late = await finalise(client, as_role["payroll"], "2027-01", run_jobs=run_jobs)
    extra_first = await finalise(client, as_role["payroll"], "2026-11", extra=True, run_jobs=run_jobs)

    assert too_late.status_code == 422
    assert problem(too_late)["code"] == "not_the_next_period"
    assert extra_first.status_code == 409


async def test_a_raise_dated_in_a_paid_month_adds_retroactive_lines(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org, run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    raise_ = await client.post(
        f"/api/employees/{demo.employees[ANNA]}/employments",
        json={"valid_from": "2026-11-01", "monthly_salary": "43000"},
        headers=lena,
    )

    december = await preliminary(client, as_role["employee"])

    assert raise_.status_code == 201, raise_.text
    retro = [line for line in december["lines"] if line["code"] == "salary_retro"]
    assert [line["work_period"] for line in retro] == ["2026-11"]
    assert sum(Decimal(line["amount"]) for line in retro) == Decimal("1000.00")
    assert december["gross_pay"] == "44000.00"


async def test_pay_is_private_to_the_employee_and_payroll(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    anna_id = str(demo.employees[ANNA])

    manager = await client.get("/api/payslips/preliminary", params={"employee_id": anna_id}, headers=as_role["manager"])
    payroll = await client.get("/api/payslips/preliminary", params={"employee_id": anna_id}, headers=as_role["payroll"])
    admin = await client.get("/api/payslips/preliminary", headers=as_role["admin"])

    assert manager.status_code == 403
    assert payroll.status_code == 200
    assert admin.status_code == 403


async def test_payrolls_overview_shows_everyone_and_what_is_pending(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    await submitted_claim(client, as_role["employee"], amount="80.00")

    overview = (await client.get("/api/payroll/overview", headers=as_role["payroll"])).json()

    assert overview["period"] == "2026-11"
    assert overview["employees"] == 25
    anna = next(r for r in overview["rows"] if r["employee_name"] == "Anna Andersson")
    assert anna["pending_items"] == 1
    assert anna["pending_amount"] == "80.00"
    assert Decimal(overview["gross_pay"]) == sum(Decimal(r["gross_pay"]) for r in overview["rows"])


async def test_the_overview_keeps_a_recent_leaver_and_leaves_out_one_gone_over_two_months(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    """Final pay comes a month or two after the last day; earlier leavers get no payslip for November."""
    payroll = as_role["payroll"]
    staff = (await client.get("/api/employees", headers=payroll)).json()
    recent, gone = [e for e in staff if e["email"] not in {ANNA, "maria.berg@demo.se", "lena.lind@demo.se"}][:2]
    for person, last_day in ((recent, "2026-10-15"), (gone, "2026-08-30")):
        response = await client.patch(f"/api/employees/{person['id']}", json={"end_date": last_day}, headers=payroll)
        assert response.status_code == 200, response.text

    overview = (await client.get("/api/payroll/overview", headers=payroll)).json()

    names = {row["employee_name"] for row in overview["rows"]}
    assert recent["name"] in names
    assert gone["name"] not in names
    assert overview["employees"] == 24


async def test_the_payslip_pdf_is_marked_preliminary(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.get("/api/payslips/pdf", headers=as_role["employee"])

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(io.BytesIO(response.content))
    text = document[0].get_textpage().get_text_range()
    assert "PRELIMINÄR" in text
    assert "Anna Andersson" in text


async def test_bad_periods_are_clear_errors(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    malformed = await client.get("/api/payslips/preliminary", params={"period": "2026-13"}, headers=as_role["employee"])
    unpaid_past = await client.get(
        "/api/payslips/preliminary", params={"period": "2025-01"}, headers=as_role["employee"]
    )

    assert malformed.status_code == 422
    assert unpaid_past.status_code == 404


async def test_an_extra_runs_payslip_can_be_fetched_by_its_run(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    regular = (await finalise(client, lena, "2026-11", run_jobs=run_jobs)).json()
    claim = await submitted_claim(client, anna, amount="50.00")
    item = await inbox_item_for(client, maria, claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    extra = (await finalise(client, lena, "2026-11", extra=True, run_jobs=run_jobs)).json()

    from_extra = await preliminary(client, anna, period="2026-11", pay_run_id=extra["id"])
    from_regular = await preliminary(client, anna, period="2026-11", pay_run_id=regular["id"])
    runs = (await client.get("/api/payroll/pay-runs", headers=lena)).json()

    assert from_extra["net_pay"] == "50.00"
    assert from_regular["gross_pay"] == "42000.00"
    assert [r["locked_items"] for r in runs] == [1, 0]


async def test_a_pay_run_closes_the_month_it_paid_for_time_reporting(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna = as_role["employee"]
    await finalise(
        client, as_role["payroll"], "2026-11", run_jobs=run_jobs
    )  # pays October's time (one month in arrears)
    october = {"rows": [{"code": "work", "hours": ["8", "8", "8", "8", "8", None, None]}]}

    in_october = await client.put("/api/time/weeks/2026-W43", json=october, headers=anna)
    in_november = await client.put("/api/time/weeks/2026-W46", json=october, headers=anna)

    assert in_october.status_code == 422
    assert {e["code"] for e in problem(in_october)["errors"]} == {"time.day_locked"}
    assert in_november.status_code in (200, 201), in_november.text
