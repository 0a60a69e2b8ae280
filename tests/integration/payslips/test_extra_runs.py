"""Extra pay runs end to end: the preview payroll confirms is what is paid, on a banking day, and
each payslip of a period keeps its own address."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pypdfium2
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.clock import FixedClock
from backend.domain.calendar import is_working_day
from tests.conftest import ANNA, Org, problem
from tests.integration.notices.helpers import notices
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.jobs import RunJobs, pay_run

SUNDAY_6_DECEMBER = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


async def late_approved_claim(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], amount: str
) -> dict[str, Any]:
    """Anna's claim, approved by Maria after the regular November run."""
    claim = await submitted_claim(client, as_role["employee"], amount=amount, title="Taxi till kund")
    item = await inbox_item_for(client, as_role["manager"], claim["id"])
    approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])
    assert approved.status_code == 200, approved.text
    return claim


async def regular_november_then_a_late_claim(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> dict[str, Any]:
    regular = await pay_run(client, as_role["payroll"], {"period": "2026-11"}, run_jobs)
    assert regular.status_code == 201, regular.text
    await late_approved_claim(client, as_role, "645.00")
    clock.set(SUNDAY_6_DECEMBER)
    return dict(regular.json())


async def test_the_extra_runs_preview_lists_exactly_the_one_employee_and_what_finalising_then_pays(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    await regular_november_then_a_late_claim(client, as_role, clock, run_jobs=run_jobs)

    preview = await client.get(
        "/api/payroll/pay-runs/preview", params={"period": "2026-11", "extra": "true"}, headers=lena
    )
    body = preview.json()
    run = await pay_run(client, lena, {"period": "2026-11", "extra": True, "preview": body["fingerprint"]}, run_jobs)

    assert preview.status_code == 200, preview.text
    assert (body["extra"], body["sequence"], body["employees"]) == (True, 1, 1)
    [row] = body["rows"]
    assert row["employee_name"] == "Anna Andersson"
    assert row["net_pay"] == body["net_pay"] == "645.00"  # a tax-free reimbursement
    assert [line["amount"] for line in row["lines"]] == ["645.00"]
    assert body["locked_items"] == 1
    assert run.status_code == 201, run.text
    paid = run.json()
    assert (paid["employees"], paid["net_pay"], paid["gross_pay"], paid["tax"]) == (
        1,
        body["net_pay"],
        body["gross_pay"],
        body["tax"],
    )
    assert paid["pay_date"] == body["pay_date"]
    assert paid["locked_items"] == 1


async def test_an_extra_run_made_on_a_sunday_is_paid_on_the_next_banking_day_after_the_banks_lead_day(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    await regular_november_then_a_late_claim(client, as_role, clock, run_jobs=run_jobs)

    run = await pay_run(client, as_role["payroll"], {"period": "2026-11", "extra": True}, run_jobs)

    assert run.status_code == 201, run.text
    paid_on = datetime.fromisoformat(run.json()["pay_date"]).date()
    assert paid_on.isoformat() == "2026-12-08"  # Sunday -> file on Monday the 7th -> paid Tuesday
    assert is_working_day(paid_on)


async def test_the_regular_runs_preview_is_the_overview_and_what_finalising_pays(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    overview = (await client.get("/api/payroll/overview", headers=lena)).json()

    preview = (await client.get("/api/payroll/pay-runs/preview", headers=lena)).json()
    run = (await pay_run(client, lena, {"period": "2026-11", "preview": preview["fingerprint"]}, run_jobs)).json()

    assert (preview["period"], preview["extra"], preview["pay_date"]) == ("2026-11", False, "2026-11-25")
    assert preview["employees"] == overview["employees"] == run["employees"] == 25
    assert preview["net_pay"] == overview["net_pay"] == run["net_pay"]
    assert Decimal(preview["net_pay"]) == sum(Decimal(r["net_pay"]) for r in preview["rows"])


async def test_a_run_that_would_pay_otherwise_than_its_preview_pays_nothing(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    await regular_november_then_a_late_claim(client, as_role, clock, run_jobs=run_jobs)
    preview = (
        await client.get("/api/payroll/pay-runs/preview", params={"period": "2026-11", "extra": "true"}, headers=lena)
    ).json()
    await late_approved_claim(client, as_role, "100.00")  # approved between the preview and the confirmation

    refused = await pay_run(
        client, lena, {"period": "2026-11", "extra": True, "preview": preview["fingerprint"]}, run_jobs
    )
    runs = (await client.get("/api/payroll/pay-runs", headers=lena)).json()

    assert refused.status_code == 409
    assert problem(refused)["code"] == "preview_changed"
    assert [r["sequence"] for r in runs] == [0]


async def test_an_extra_run_cannot_be_previewed_before_the_regular_run(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    preview = await client.get(
        "/api/payroll/pay-runs/preview", params={"period": "2026-11", "extra": "true"}, headers=as_role["payroll"]
    )

    assert preview.status_code == 409
    assert problem(preview)["code"] == "no_regular_run"


async def test_both_november_payslips_have_their_own_address_in_the_list_the_api_and_the_pdf(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    regular = await regular_november_then_a_late_claim(client, as_role, clock, run_jobs=run_jobs)
    extra = (await pay_run(client, lena, {"period": "2026-11", "extra": True}, run_jobs)).json()

    listed = (await client.get("/api/payslips", headers=anna)).json()
    november = [s for s in listed if s["period"] == "2026-11"]
    by_run = {
        s["pay_run_id"]: (
            await client.get("/api/payslips/preliminary", params={"pay_run_id": s["pay_run_id"]}, headers=anna)
        ).json()
        for s in november
    }
    pdfs = {
        run_id: await client.get("/api/payslips/pdf", params={"period": "2026-11", "pay_run_id": run_id}, headers=anna)
        for run_id in by_run
    }
    by_period = (await client.get("/api/payslips/preliminary", params={"period": "2026-11"}, headers=anna)).json()
    wrong_period = await client.get(
        "/api/payslips/preliminary", params={"period": "2026-10", "pay_run_id": extra["id"]}, headers=anna
    )

    assert sorted(by_run) == sorted([regular["id"], extra["id"]])
    assert [(s["extra_run"], s["pay_date"]) for s in november] == [(True, "2026-12-08"), (False, "2026-11-25")]
    assert by_run[regular["id"]]["gross_pay"] == "42000.00"
    assert (by_run[extra["id"]]["net_pay"], by_run[extra["id"]]["extra_run"]) == ("645.00", True)
    assert by_period["pay_run_id"] == regular["id"], "the period's own address is its regular payslip"
    assert all(response.status_code == 200 for response in pdfs.values())
    assert pdfs[extra["id"]].headers["content-disposition"].endswith('lonespecifikation-2026-11-extra.pdf"')
    assert pdfs[regular["id"]].content != pdfs[extra["id"]].content
    assert "2026-12-08" in pdf_text(pdfs[extra["id"]].content)
    assert "2026-11-25" in pdf_text(pdfs[regular["id"]].content)
    assert wrong_period.status_code == 404


async def test_the_payslip_notice_names_the_extra_run_that_pays_the_claim_and_opens_its_payslip(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    engine: AsyncEngine,
    demo: Org,
    run_jobs: RunJobs,
) -> None:
    await regular_november_then_a_late_claim(client, as_role, clock, run_jobs=run_jobs)
    [approval] = [n for n in await notices(engine, category="item_decided") if n.account_id == demo.accounts[ANNA]]

    extra = (await pay_run(client, as_role["payroll"], {"period": "2026-11", "extra": True}, run_jobs)).json()
    ready = [n for n in await notices(engine, category="payslip_ready") if n.ids.get("run") == extra["id"]]

    # Approved on 23 November, after the cut-off: announced for December's regular pay ...
    assert approval.body_sv.endswith("Betalas med den ordinarie lönen för december 2026 den 23 december 2026.")
    # ... and then paid sooner, by the extra run, which says so.
    [notice] = ready
    assert notice.account_id == demo.accounts[ANNA]
    assert notice.title_sv == "Extra lönespecifikation för november 2026 finns"
    assert notice.body_sv.startswith("Betalas ut med den extra lönekörningen den 8 december 2026: ")
    assert "645,00 kr" in notice.body_sv
    assert notice.body_en.startswith("Paid with the extra pay run on 8 December 2026: ")
    assert notice.url == f"/payslip?period=2026-11&run={extra['id']}"


async def test_an_extra_run_with_nothing_new_approved_is_refused_and_its_preview_is_empty(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    await pay_run(client, lena, {"period": "2026-11"}, run_jobs)

    preview = await client.get(
        "/api/payroll/pay-runs/preview", params={"period": "2026-11", "extra": "true"}, headers=lena
    )
    run = await pay_run(client, lena, {"period": "2026-11", "extra": True}, run_jobs)

    assert (preview.json()["employees"], preview.json()["rows"]) == (0, [])
    assert run.status_code == 409
    assert problem(run)["code"] == "nothing_to_pay"


async def test_a_claim_paid_by_an_extra_run_shows_the_pay_that_paid_it(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    regular = await pay_run(client, as_role["payroll"], {"period": "2026-11"}, run_jobs)
    assert regular.status_code == 201, regular.text
    claim = await late_approved_claim(client, as_role, "645.00")
    announced = (await client.get(f"/api/expense-claims/{claim['id']}", headers=as_role["employee"])).json()
    clock.set(SUNDAY_6_DECEMBER)

    run = await pay_run(client, as_role["payroll"], {"period": "2026-11", "extra": True}, run_jobs)
    paid = (await client.get(f"/api/expense-claims/{claim['id']}", headers=as_role["employee"])).json()

    assert run.status_code == 201, run.text
    assert announced["attest"]["pay_period"] == "2026-12"  # approved after November's cut-off
    assert paid["attest"]["state"] == "locked"
    assert paid["attest"]["pay_period"] == "2026-11"  # paid sooner, by November's extra run


async def test_the_days_a_run_paid_are_locked_with_a_reason_in_the_readers_language(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    lena = as_role["payroll"]
    regular = await pay_run(client, lena, {"period": "2026-11"}, run_jobs)
    assert regular.status_code == 201, regular.text

    reasons = {
        language: {
            lock["reason"]
            for lock in (await client.get("/api/time/locks", headers={**lena, "accept-language": language})).json()
        }
        for language in ("sv", "en")
    }

    assert reasons == {"sv": {"Lönekörning 2026-11"}, "en": {"Pay run 2026-11"}}
