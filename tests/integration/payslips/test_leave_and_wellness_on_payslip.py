"""Approved leave requests and the wellness limits through the API, as employee, manager and payroll see them.

The tests run on Monday 2026-11-23: November's run is finalised first, so the preliminary payslip
is December's, which pays November's variable items (one month in arrears) approved by 8 December.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.core.clock import FixedClock
from tests.conftest import login
from tests.support.flows import inbox_item_for
from tests.support.images import receipt_image
from tests.support.jobs import RunJobs, pay_run

VACATION = {"first_day": "2026-11-16", "last_day": "2026-11-20"}  # week 47, Monday to Friday


async def preliminary(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get("/api/payslips/preliminary", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def finalise(client: AsyncTestClient[Litestar], payroll: dict[str, str], period: str, run_jobs: RunJobs) -> None:
    response = await pay_run(client, payroll, {"period": period, "extra": False}, run_jobs)
    assert response.status_code == 201, response.text


async def approved_leave(
    client: AsyncTestClient[Litestar], employee: dict[str, str], manager: dict[str, str], **fields: str
) -> str:
    """The employee applies and submits; the manager approves from the inbox. The request's id."""
    request_id = str(uuid.uuid4())
    created = await client.put(f"/api/leave/requests/{request_id}", json={**VACATION, **fields}, headers=employee)
    assert created.status_code == 201, created.text
    submitted = await client.post(f"/api/leave/requests/{request_id}/submit", headers=employee)
    assert submitted.status_code == 200, submitted.text
    item = await inbox_item_for(client, manager, request_id)
    approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=manager)
    assert approved.status_code == 200, approved.text
    return request_id


def lines(slip: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [line for line in slip["lines"] if line["code"] == code]


async def test_vacation_approved_by_request_alone_pays_the_supplement_and_the_employee_is_told(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    request_id = await approved_leave(client, anna, maria)

    slip = await preliminary(client, anna)
    notices = (await client.get("/api/notifications", headers=anna)).json()

    assert slip["period"] == "2026-12"
    (supplement,) = lines(slip, "vacation_supplement")
    assert Decimal(supplement["quantity"]) == 5
    # Anna: 42 000 kr a month; the demo's white-collar profile gives 0.8 % a day: 42 000 x 0.8 % x 5.
    assert supplement["amount"] == "1680.00"
    assert "sammalöneregeln" in supplement["explanation"]
    assert request_id in supplement["source_ids"]
    told = next(
        n
        for n in (notices["items"] if isinstance(notices, dict) else notices)
        if n["title"].startswith("Attesterad: Semester 2026-11-16")
    )
    assert "lönespecifikationen som tar med den månadens frånvaro" in told["body"]


async def test_a_vacation_week_reported_as_well_counts_each_day_once_and_the_run_locks_the_request(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    request_id = await approved_leave(client, anna, maria)
    week = await client.put(
        "/api/time/weeks/2026-W47",
        json={"rows": [{"code": "vacation", "hours": ["8", "8", "8", "8", "8", None, None]}]},
        headers=anna,
    )
    assert week.status_code in (200, 201), week.text
    assert (await client.post("/api/time/weeks/2026-W47/submit", headers=anna)).status_code == 200
    week_item = next(
        i for i in (await client.get("/api/attest/inbox", headers=maria)).json()["items"] if i["kind"] == "time_week"
    )
    await client.post(f"/api/attest/items/{week_item['id']}/approve", headers=maria)

    december = await preliminary(client, anna)
    await finalise(client, lena, "2026-12", run_jobs=run_jobs)
    request = (await client.get(f"/api/leave/requests/{request_id}", headers=anna)).json()

    (supplement,) = lines(december, "vacation_supplement")
    assert Decimal(supplement["quantity"]) == 5  # not 10: the week and the request report the same days
    assert supplement["amount"] == "1680.00"
    assert request["state"] == "locked"  # paid: no later payslip gathers it again


async def test_unpaid_leave_approved_by_request_is_deducted(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    await finalise(client, lena, "2026-11", run_jobs=run_jobs)
    await approved_leave(client, anna, maria, kind="unpaid_leave", first_day="2026-11-19", last_day="2026-11-20")

    slip = await preliminary(client, anna)

    (deduction,) = lines(slip, "unpaid_leave_deduction")
    assert Decimal(deduction["quantity"]) == 16  # two days of 8 h (40 h a week)
    assert deduction["amount"] == "-3876.92"  # 42 000 x 12 / (52 x 40) x 16


async def wellness_expense(
    client: AsyncTestClient[Litestar],
    headers: dict[str, str],
    amount: str,
    category: str = "wellness",
    *,
    expense_date: str = "2026-11-20",
    payment: str = "private",
) -> Any:
    uploaded = await client.post(
        "/api/receipts",
        files={"file": ("kvitto.jpg", receipt_image(seed_text=uuid.uuid4().hex), "image/jpeg")},
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    return await client.put(
        f"/api/expenses/{uploaded.json()['expense_id']}",
        json={
            "receipt_id": uploaded.json()["id"],
            "expense_date": expense_date,
            "merchant": f"Friskis {uuid.uuid4().hex[:6]}",
            "amount": amount,
            "category": category,
            "payment": payment,
            "vat": [],
        },
        headers=headers,
    )


async def test_wellness_above_the_employers_cap_is_filed_with_a_warning_and_the_payslip_pays_the_cap(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    filed = await wellness_expense(client, anna, "3700.00")  # the demo employer pays 3 000 kr a year
    assert filed.status_code == 200, filed.text
    expense = filed.json()
    claim_id = str(uuid.uuid4())
    await client.put(
        f"/api/expense-claims/{claim_id}", json={"title": "Gym", "expense_ids": [expense["id"]]}, headers=anna
    )
    submitted = await client.post(f"/api/expense-claims/{claim_id}/submit", headers=anna)
    item = await inbox_item_for(client, maria, claim_id)
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)

    slip = await client.get("/api/payslips/preliminary", params={"period": "2026-12"}, headers=anna)

    warning = next(w for w in expense["warnings"] if w["code"] == "wellness_employer_cap")
    assert "3 000 kr av 3 700 kr; årets tak 3 000 kr" in warning["message"]
    assert submitted.status_code == 200, submitted.text  # a warning, not a refusal
    (line,) = lines(slip.json(), "wellness_tax_free")
    assert line["amount"] == "3000.00"
    assert "3 000 kr av 3 700 kr; årets tak 3 000 kr" in line["explanation"]


async def test_a_massage_above_1000_kr_is_filed_with_the_per_treatment_warning(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    filed = await wellness_expense(
        client, {**as_role["employee"], "accept-language": "en"}, "1400.00", category="wellness_treatment"
    )

    assert filed.status_code == 200, filed.text
    warning = next(w for w in filed.json()["warnings"] if w["code"] == "wellness_treatment_cap")
    assert "1,000 kr of 1,400 kr" in warning["message"]
    assert "per occasion" in warning["message"]


async def approved_wellness(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    amount: str,
    category: str = "wellness",
    **fields: str,
) -> str:
    """Anna files a wellness expense in a claim of its own, Maria approves it today. The expense's id."""
    anna, maria = as_role["employee"], as_role["manager"]
    filed = await wellness_expense(client, anna, amount, category, **fields)
    assert filed.status_code == 200, filed.text
    claim_id = str(uuid.uuid4())
    await client.put(
        f"/api/expense-claims/{claim_id}",
        json={"title": "Friskvård", "expense_ids": [filed.json()["id"]]},
        headers=anna,
    )
    assert (await client.post(f"/api/expense-claims/{claim_id}/submit", headers=anna)).status_code == 200
    item = await inbox_item_for(client, maria, claim_id)
    assert (await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)).status_code == 200
    return str(filed.json()["id"])


async def employer_cap_warnings(
    client: AsyncTestClient[Litestar], headers: dict[str, str], *expense_ids: str
) -> dict[str, list[str]]:
    """The employer-cap warning each expense is shown with now (the view reads the year afresh)."""
    found = {}
    for expense_id in expense_ids:
        expense = await client.get(f"/api/expenses/{expense_id}", headers=headers)
        assert expense.status_code == 200, expense.text
        found[expense_id] = [w["message"] for w in expense.json()["warnings"] if w["code"] == "wellness_employer_cap"]
    return found


async def test_the_expense_approved_first_gets_the_employers_cap_first_on_the_payslip_and_when_filed(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock
) -> None:
    # Dated 20 November but approved first; the gym of 10 November is approved the next day. The
    # demo employer pays 3 000 kr a year: the payslip pays in approval order, so the later approval
    # gets what is left. Filing once said the opposite (it counted in date order).
    first = await approved_wellness(client, as_role, "2000.00", expense_date="2026-11-20")
    clock.set(clock.now() + timedelta(days=1))
    second = await approved_wellness(client, as_role, "2000.00", expense_date="2026-11-10")

    slip = await client.get("/api/payslips/preliminary", params={"period": "2026-12"}, headers=as_role["employee"])
    warnings = await employer_cap_warnings(client, as_role["employee"], first, second)

    paid = {line["amount"]: line["explanation"] for line in lines(slip.json(), "wellness_tax_free")}
    assert sorted(paid) == ["1000.00", "2000.00"]
    assert "1 000 kr av 2 000 kr; årets tak 3 000 kr" in paid["1000.00"]
    assert warnings[first] == []
    (warning,) = warnings[second]
    assert "1 000 kr av 2 000 kr; årets tak 3 000 kr" in warning


async def test_a_company_card_massage_uses_its_whole_amount_of_the_employers_cap_on_the_payslip_and_when_filed(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock
) -> None:
    # The employer paid all of a 1 400 kr massage with its card: nothing limits it and it counts in full,
    # so 1 600 kr of the 3 000 kr are left for the gym. Filing once counted 1 000 kr of it (the
    # per-occasion cap of a privately paid massage) and told the employee the employer would pay 1 000 kr.
    massage = await approved_wellness(client, as_role, "1400.00", "wellness_treatment", payment="company_card")
    clock.set(clock.now() + timedelta(days=1))
    gym = await approved_wellness(client, as_role, "2000.00")

    slip = await client.get("/api/payslips/preliminary", params={"period": "2026-12"}, headers=as_role["employee"])
    warnings = await employer_cap_warnings(client, as_role["employee"], massage, gym)
    massage_view = await client.get(f"/api/expenses/{massage}", headers=as_role["employee"])

    (line,) = lines(slip.json(), "wellness_tax_free")
    assert line["amount"] == "1600.00"
    assert "1 600 kr av 2 000 kr; årets tak 3 000 kr" in line["explanation"]
    (warning,) = warnings[gym]
    assert "1 600 kr av 2 000 kr; årets tak 3 000 kr" in warning
    assert "wellness_treatment_cap" not in [w["code"] for w in massage_view.json()["warnings"]]


async def test_a_company_card_gym_paid_on_an_earlier_payslip_still_counts_against_the_years_cap(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    # A card expense within the cap makes no payslip line. November's run settles it all the same (its
    # claim is locked, as a paid one is) and remembers what it used of the cap; before, the claim stayed
    # approved and every later payslip counted it again, into the next year too.
    now = clock.now()
    clock.set(datetime(2026, 11, 5, 9, 0, tzinfo=UTC))  # approved by November's cut-off (the 8th)
    card = await approved_wellness(client, as_role, "1400.00", payment="company_card", expense_date="2026-11-04")
    clock.set(now)
    await finalise(client, as_role["payroll"], "2026-11", run_jobs=run_jobs)
    await approved_wellness(client, as_role, "2000.00")

    slip = await preliminary(client, as_role["employee"])
    settled = (await client.get(f"/api/expenses/{card}", headers=as_role["employee"])).json()

    assert settled["state"] == "locked"
    assert slip["period"] == "2026-12"
    (line,) = lines(slip, "wellness_tax_free")
    assert line["amount"] == "1600.00"
    assert "1 600 kr av 2 000 kr; årets tak 3 000 kr" in line["explanation"]


async def test_an_hourly_employees_preliminary_payslip_pays_12_percent_vacation_pay_on_the_hours(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    elias = await login(client, "elias.wikstrom@demo.se")  # 185 kr an hour in the demo
    johan = await login(client, "johan.svensson@demo.se")  # his manager
    week = {"code": "work", "hours": ["5", "5", "5", "5", None, None, None]}  # 20 h in week 47
    saved = await client.put("/api/time/weeks/2026-W47", json={"rows": [week]}, headers=elias)
    assert saved.status_code in (200, 201), saved.text
    assert (await client.post("/api/time/weeks/2026-W47/submit", headers=elias)).status_code == 200
    item = next(
        i for i in (await client.get("/api/attest/inbox", headers=johan)).json()["items"] if i["kind"] == "time_week"
    )
    assert (await client.post(f"/api/attest/items/{item['id']}/approve", headers=johan)).status_code == 200

    response = await client.get("/api/payslips/preliminary", params={"period": "2026-12"}, headers=elias)

    assert response.status_code == 200, response.text
    slip = response.json()
    november = [line for line in lines(slip, "hourly_pay") if line["work_period"] == "2026-11"]
    assert sum((Decimal(line["amount"]) for line in november), Decimal(0)) >= Decimal("3700.00")  # 20 h x 185
    vacation_pay = next(line for line in lines(slip, "vacation_pay") if "november" in line["text"])
    basis = sum(
        (
            Decimal(line["amount"])
            for line in slip["lines"]
            if line["code"] == "hourly_pay" and line["work_period"] == "2026-11"
        ),
        Decimal(0),
    )
    assert Decimal(vacation_pay["amount"]) == (basis * Decimal("0.12")).quantize(Decimal("0.01"))
    assert "12 %" in vacation_pay["text"]
