"""Closing a pay period freezes what is approved into an export batch, exactly once, with both files."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import xmlschema
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.exports import files
from backend.storage import open_store
from tests.conftest import SHARED, problem
from tests.integration.exports.conftest import approve_claim
from tests.support.flows import submitted_claim
from tests.support.jobs import RunJobs, close_period
from tests.support.sie_reader import read_sie

PAXML_XSD = SHARED / "payroll" / "paxml-2.0.xsd"


async def test_a_period_cannot_be_closed_before_its_cutoff(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    december = (await client.get("/api/payroll/periods/2026-12", headers=as_role["payroll"])).json()
    refused = await client.post("/api/payroll/periods/2026-12/close", headers=as_role["payroll"])
    assert december["closable"] is False  # the web app offers no close before the cut-off
    assert refused.status_code == 409
    body = problem(refused)
    assert body["code"] == "period.before_cutoff"
    assert "2026-12-08" in body["detail"]


async def test_closing_november_exports_what_was_approved_by_its_cutoff(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    ids = await approve_claim(client, as_role, clock)
    before = (await client.get("/api/payroll/periods/2026-11", headers=as_role["payroll"])).json()
    assert before["state"] == "open"
    assert before["closable"] is True
    assert before["ready"] == 1

    asked, period = await close_period(client, as_role["payroll"], "2026-11", run_jobs)
    assert asked.status_code == 202, asked.text
    assert asked.json()["closable"] is False
    assert datetime.fromisoformat(asked.json()["close_requested_at"]) == clock.now()
    [batch] = period["batches"]
    assert period["state"] == "closed"
    assert period["closable"] is False
    assert period["closed_by"] == "Lena Lind"
    assert batch["created_by"] == "Lena Lind"
    assert (batch["sequence"], batch["items"], batch["reversals"]) == (1, 1, 0)
    assert batch["transactions"] >= 1
    assert batch["total_amount"] == "134.50"

    rows = (await client.get(f"/api/payroll/export-batches/{batch['id']}/rows", headers=as_role["payroll"])).json()
    assert rows["total"] == batch["transactions"]
    assert {r["item_id"] for r in rows["rows"]} == {ids["item"]}
    assert rows["rows"][0]["employee"] == "Anna Andersson"

    files: dict[str, bytes] = {}
    for kind, extension in (("paxml", "xml"), ("sie", "se")):
        first = await client.get(f"/api/payroll/export-batches/{batch['id']}/{kind}", headers=as_role["payroll"])
        assert first.status_code == 200
        assert first.headers["cache-control"] == "no-store"
        assert f'filename="{kind}-2026-11-1.{extension}"' in first.headers["content-disposition"]
        assert hashlib.sha256(first.content).hexdigest() == batch[f"{kind}_sha256"]
        again = await client.get(f"/api/payroll/export-batches/{batch['id']}/{kind}", headers=as_role["admin"])
        assert again.content == first.content
        files[kind] = first.content

    xmlschema.XMLSchema(str(PAXML_XSD)).validate(io.BytesIO(files["paxml"]))  # the real schema (shared material)
    sie = read_sie(files["sie"])
    assert sie.checksum_ok
    assert len(sie.vouchers) == batch["vouchers"] == 1
    assert sum((row.amount for row in sie.vouchers[0].rows), Decimal(0)) == 0
    assert any(row.amount == Decimal("-134.50") for row in sie.vouchers[0].rows)  # owed to Anna


async def test_closing_again_needs_a_reopen_with_a_reason_and_never_exports_twice(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    await approve_claim(client, as_role, clock)
    asked = await client.post("/api/payroll/periods/2026-11/close", headers=as_role["payroll"])
    while_closing = await client.post("/api/payroll/periods/2026-11/close", headers=as_role["admin"])
    assert (asked.status_code, while_closing.status_code) == (202, 409)
    assert problem(while_closing)["code"] == "period.closing"
    await run_jobs("find_closes")
    await run_jobs("find_closes")  # a job that runs again finds the period closed: nothing more
    [first] = (await client.get("/api/payroll/periods/2026-11", headers=as_role["payroll"])).json()["batches"]
    twice = await client.post("/api/payroll/periods/2026-11/close", headers=as_role["payroll"])
    assert twice.status_code == 409
    assert problem(twice)["code"] == "period.closed"
    no_reason = await client.post(
        "/api/payroll/periods/2026-11/reopen", json={"reason": "  "}, headers=as_role["payroll"]
    )
    assert no_reason.status_code == 422
    assert problem(no_reason)["errors"][0]["field"] == "reason"
    reopened = await client.post(
        "/api/payroll/periods/2026-11/reopen", json={"reason": "Sent kvitto"}, headers=as_role["payroll"]
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["state"] == "open"
    await approve_claim(client, as_role, clock)  # approved late but still for November
    second = (await close_period(client, as_role["admin"], "2026-11", run_jobs))[1]["batches"][-1]
    assert (second["sequence"], second["items"]) == (2, 1)
    listed = (await client.get("/api/payroll/export-batches?period=2026-11", headers=as_role["payroll"])).json()
    assert [b["sequence"] for b in listed] == [2, 1]
    assert listed[1] == first  # a batch made never changes
    audit = (await client.get("/api/audit?entity_type=pay_period", headers=as_role["admin"])).json()
    assert sorted(e["action"] for e in audit) == sorted(  # asked for, made, reopened: each audited
        ["close_requested", "closed", "reopened", "close_requested", "closed"]
    )


async def test_an_export_with_an_employee_without_personnummer_is_refused_and_nothing_is_marked(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    demo: object,
    run_jobs: RunJobs,
) -> None:
    ids = await approve_claim(client, as_role, clock)
    anna = (await client.get("/api/me", headers=as_role["employee"])).json()
    employee_id = anna.get("employee_id") or anna["employee"]["id"]
    cleared = await client.patch(
        f"/api/employees/{employee_id}", json={"clear_personal_identity_number": True}, headers=as_role["payroll"]
    )
    assert cleared.status_code == 200, cleared.text
    asked, after = await close_period(client, as_role["payroll"], "2026-11", run_jobs)
    assert asked.status_code == 202
    body = after["close_problem"]
    assert (body["status"], body["code"]) == (422, "validation_failed")
    assert any(
        e["field"].startswith(f"items.{ids['item']}") and "Anna Andersson" in e["message"] for e in body["errors"]
    )
    assert (after["state"], after["closable"], after["ready"], after["batches"]) == ("open", True, 1, [])
    english = await client.get("/api/payroll/periods/2026-11", headers=as_role["payroll"] | {"accept-language": "en"})
    assert english.json()["close_problem"]["detail"].startswith("The export was refused")


async def test_the_close_stores_each_file_once_and_downloads_serve_those_bytes_or_render_them_again(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    run_jobs: RunJobs,
) -> None:
    await approve_claim(client, as_role, clock)
    await approve_claim(client, as_role, clock, amount="99.00")
    [batch] = (await close_period(client, as_role["payroll"], "2026-11", run_jobs))[1]["batches"]
    store = open_store(settings.storage_url, settings.data_dir)
    for kind in ("paxml", "sie"):
        name = batch[f"{kind}_sha256"]
        stored = await store.get(name)  # stored by the close, under the sha256 of its bytes
        assert hashlib.sha256(stored).hexdigest() == name
        url = f"/api/payroll/export-batches/{batch['id']}/{kind}"
        assert (await client.get(url, headers=as_role["payroll"])).content == stored

        (settings.data_dir / "receipts" / name[:2] / name[2:4] / name).unlink()  # storage lost
        monkeypatch.setattr(files, "ROW_PAGE", 1)  # and read back one position at a time
        monkeypatch.setattr(files, "VOUCHER_PAGE", 1)
        assert not await store.exists(name)
        again = await client.get(url, headers=as_role["payroll"])
        assert again.status_code == 200
        assert again.content == stored  # rendered from the frozen rows: the same bytes


async def test_the_year_shows_per_month_what_waits_and_what_a_close_would_export(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock
) -> None:
    await approve_claim(client, as_role, clock)  # approved 5 November: reaches November
    await submitted_claim(client, as_role["employee"])  # submitted 23 November, still waiting

    year = {p["period"]: p for p in (await client.get("/api/payroll/periods", headers=as_role["payroll"])).json()}

    assert [year[p]["ready"] for p in ("2026-10", "2026-11", "2026-12")] == [0, 1, 1]
    assert year["2026-10"]["waiting"] == {"submitted": 0, "returned": 0}
    assert year["2026-11"]["waiting"]["submitted"] >= 1
    assert year["2026-12"]["waiting"] == year["2026-11"]["waiting"]  # still waiting by December's end too


async def test_early_in_january_the_periods_open_on_last_year_until_its_december_is_closed(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], clock: FixedClock, run_jobs: RunJobs
) -> None:
    payroll = as_role["payroll"]
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    before = (await client.get("/api/payroll/periods", headers=payroll)).json()
    assert (await close_period(client, payroll, "2026-12", run_jobs))[1]["state"] == "closed"
    after = (await client.get("/api/payroll/periods", headers=payroll)).json()

    assert before[-1]["period"] == "2026-12"
    assert before[-1]["closable"] is True
    assert after[0]["period"] == "2027-01"
