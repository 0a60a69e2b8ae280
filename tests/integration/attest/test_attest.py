"""The manager's inbox: routing, approving and returning, bulk, delegation, archive, insight, races."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from backend.db.models import AttestItem, AuditEvent
from tests.conftest import ANNA, MARIA, Org, login, problem
from tests.support.flows import inbox_item_for, submitted_claim

JOHAN = "johan.svensson@demo.se"
KARIN = "karin.ek@demo.se"


async def test_annas_claim_reaches_marias_inbox_with_what_she_needs_to_decide(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    claim = await submitted_claim(client, as_role["employee"], amount="245.00")

    inbox = (await client.get("/api/attest/inbox", headers=as_role["manager"])).json()

    item = next(i for i in inbox["items"] if i["subject_id"] == claim["id"])
    assert item["kind"] == "expense_claim"
    assert item["employee"]["name"] == "Anna Andersson"
    assert item["amount"] == "245.00"
    assert item["days_waiting"] == 0
    # Today is 23 November; the cut-off is the 8th: attested now, it reaches December's pay.
    assert item["cutoff"] == {"date": "2026-12-08", "pay_period": "2026-12", "pay_date": "2026-12-23"}
    assert item["on_behalf_of"] is None


async def test_approving_tells_which_pay_it_reaches_and_the_employee_sees_it(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    claim = await submitted_claim(client, as_role["employee"])
    item = await inbox_item_for(client, as_role["manager"], claim["id"])

    response = await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])
    seen_by_anna = (await client.get(f"/api/expense-claims/{claim['id']}", headers=as_role["employee"])).json()

    assert response.json()["state"] == "approved"
    assert response.json()["pay_period"] == "2026-12"
    assert seen_by_anna["state"] == "approved"
    assert seen_by_anna["attest"]["pay_period"] == "2026-12"
    assert [h["action"] for h in seen_by_anna["history"]][-2:] == ["submitted", "approved"]
    assert seen_by_anna["history"][-1]["actor"] == "Maria Berg"
    assert item["id"] not in [
        i["id"] for i in (await client.get("/api/attest/inbox", headers=as_role["manager"])).json()["items"]
    ]


async def test_returning_needs_a_reason_and_the_corrected_claim_comes_back(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    claim = await submitted_claim(client, anna)
    item = await inbox_item_for(client, maria, claim["id"])

    no_reason = await client.post(f"/api/attest/items/{item['id']}/return", json={"reason": " "}, headers=maria)
    returned = await client.post(
        f"/api/attest/items/{item['id']}/return", json={"reason": "Fel projekt"}, headers=maria
    )
    view = (await client.get(f"/api/expense-claims/{claim['id']}", headers=anna)).json()
    expense = view["expenses"][0]
    corrected = await client.put(
        f"/api/expenses/{expense['id']}",
        json={
            "receipt_id": expense["receipt"]["id"],
            "expense_date": expense["expense_date"],
            "merchant": expense["merchant"],
            "amount": expense["amount"],
            "category": "taxi",
        },
        headers=anna,
    )
    resubmitted = await client.post(f"/api/expense-claims/{claim['id']}/submit", headers=anna)

    assert no_reason.status_code == 422
    assert problem(no_reason)["code"] == "attest.reason_required"
    assert returned.json()["state"] == "returned"
    assert view["state"] == "returned"
    assert view["attest"]["return_reason"] == "Fel projekt"
    assert corrected.status_code == 200
    assert resubmitted.json()["state"] == "submitted"
    assert [h["action"] for h in resubmitted.json()["history"]][-3:] == ["submitted", "returned", "resubmitted"]
    again = await inbox_item_for(client, maria, claim["id"])
    assert again["times_returned"] == 1


async def test_payroll_can_return_an_approved_item_not_yet_paid_and_a_manager_cannot(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    claim = await submitted_claim(client, anna)
    item = await inbox_item_for(client, maria, claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)

    by_manager = await client.post(f"/api/attest/items/{item['id']}/return", json={"reason": "Fel"}, headers=maria)
    without_reason = await client.post(f"/api/attest/items/{item['id']}/return", json={"reason": ""}, headers=lena)
    by_payroll = await client.post(
        f"/api/attest/items/{item['id']}/return", json={"reason": "Kvittot gäller en annan månad"}, headers=lena
    )
    view = (await client.get(f"/api/expense-claims/{claim['id']}", headers=anna)).json()

    assert by_manager.status_code == 409
    assert problem(by_manager)["code"] == "attest.not_pending"
    assert without_reason.status_code == 422
    assert by_payroll.status_code == 200, by_payroll.text
    assert by_payroll.json()["state"] == "returned"
    assert view["state"] == "returned"
    assert view["attest"]["return_reason"] == "Kvittot gäller en annan månad"
    assert view["attest"]["pay_period"] is None
    assert [h["action"] for h in view["history"]][-3:] == ["submitted", "approved", "returned"]


async def test_a_decision_twice_is_a_conflict_and_changes_nothing(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    claim = await submitted_claim(client, as_role["employee"])
    item = await inbox_item_for(client, as_role["manager"], claim["id"])
    await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])
    events = await _count(engine, AuditEvent)

    again = await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])

    assert again.status_code == 409
    assert problem(again)["code"] == "attest.not_pending"
    assert await _count(engine, AuditEvent) == events


async def test_an_item_in_a_finalised_pay_run_is_locked(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    claim = await submitted_claim(client, as_role["employee"])
    item = await inbox_item_for(client, as_role["manager"], claim["id"])
    async with engine.begin() as connection:
        await connection.execute(update(AttestItem).values(state="locked"))

    response = await client.post(
        f"/api/attest/items/{item['id']}/return", json={"reason": "x"}, headers=as_role["manager"]
    )
    edit = await client.post(f"/api/expense-claims/{claim['id']}/submit", headers=as_role["employee"])

    assert response.status_code == 409
    assert problem(response)["code"] == "attest.locked"
    assert edit.status_code == 409


async def test_a_stale_version_is_refused(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    claim = await submitted_claim(client, as_role["employee"])
    item = await inbox_item_for(client, as_role["manager"], claim["id"])

    response = await client.post(
        f"/api/attest/items/{item['id']}/approve", json={"version": item["version"] - 1}, headers=as_role["manager"]
    )

    assert response.status_code == 409
    assert problem(response)["code"] == "attest.changed"


async def test_a_managers_own_claim_goes_to_their_manager_and_they_cannot_attest_it(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    maria = as_role["manager"]
    claim = await submitted_claim(client, maria)
    karin = await login(client, KARIN)

    in_marias = [i["subject_id"] for i in (await client.get("/api/attest/inbox", headers=maria)).json()["items"]]
    item = await inbox_item_for(client, karin, claim["id"])
    own = await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)

    assert claim["id"] not in in_marias
    assert item["employee"]["name"] == "Maria Berg"
    assert own.status_code == 403
    assert problem(own)["code"] == "attest.own_item"


async def test_another_teams_manager_can_neither_see_nor_attest(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    claim = await submitted_claim(client, as_role["employee"])
    item = await inbox_item_for(client, as_role["manager"], claim["id"])
    johan = await login(client, JOHAN)

    seen = await client.get(f"/api/attest/items/{item['id']}", headers=johan)
    acted = await client.post(f"/api/attest/items/{item['id']}/approve", headers=johan)
    inbox = (await client.get("/api/attest/inbox", headers=johan)).json()

    assert seen.status_code == 404
    assert acted.status_code == 404
    assert item["id"] not in [i["id"] for i in inbox["items"]]


async def test_a_substitute_attests_on_behalf_of_the_manager_until_the_delegation_ends(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    maria = as_role["manager"]
    first = await submitted_claim(client, as_role["employee"], title="Första")
    second = await submitted_claim(client, as_role["employee"], title="Andra")
    delegation = await client.post(
        "/api/delegations",
        json={
            "substitute_employee_id": str(demo.employees[JOHAN]),
            "valid_from": "2026-11-20",
            "valid_to": "2026-12-05",
        },
        headers=maria,
    )
    johan = await login(client, JOHAN)

    item = await inbox_item_for(client, johan, first["id"])
    approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=johan)
    claim = (await client.get(f"/api/expense-claims/{first['id']}", headers=as_role["employee"])).json()
    await client.delete(f"/api/delegations/{delegation.json()['id']}", headers=maria)
    second_item = await inbox_item_for(client, maria, second["id"])
    after_end = await client.post(f"/api/attest/items/{second_item['id']}/approve", headers=johan)

    assert delegation.status_code == 201
    assert item["on_behalf_of"]["name"] == "Maria Berg"
    assert approved.status_code == 200
    assert claim["history"][-1]["actor"] == "Johan Svensson"
    assert claim["history"][-1]["on_behalf_of"] == "Maria Berg"
    assert after_end.status_code == 404


async def test_only_the_manager_or_payroll_can_delegate(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    body = {"substitute_employee_id": str(demo.employees[JOHAN]), "valid_from": "2026-11-20", "valid_to": "2026-12-05"}

    by_employee = await client.post("/api/delegations", json=body, headers=as_role["employee"])
    by_payroll = await client.post(
        "/api/delegations", json={**body, "manager_employee_id": str(demo.employees[MARIA])}, headers=as_role["payroll"]
    )
    someone_elses = await client.post(
        "/api/delegations", json={**body, "manager_employee_id": str(demo.employees[KARIN])}, headers=as_role["manager"]
    )
    backwards = await client.post(
        "/api/delegations", json={**body, "valid_from": "2026-12-06"}, headers=as_role["manager"]
    )

    assert by_employee.status_code == 403
    assert by_payroll.status_code == 201
    assert someone_elses.status_code == 403
    assert backwards.status_code == 422


async def test_bulk_approval_reports_each_item_and_survives_items_changed_meanwhile(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    maria = as_role["manager"]
    claims = [await submitted_claim(client, as_role["employee"], amount=f"{100 + n}.00") for n in range(4)]
    items = [await inbox_item_for(client, maria, c["id"]) for c in claims]
    # The first one is returned before the bulk action (e.g. from another device).
    await client.post(f"/api/attest/items/{items[0]['id']}/return", json={"reason": "Dubblett"}, headers=maria)

    response = await client.post(
        "/api/attest/decisions",
        json={"decisions": [{"item_id": i["id"], "action": "approve", "version": i["version"]} for i in items]},
        headers=maria,
    )

    body = response.json()
    assert response.status_code == 200
    assert body["approved"] == 3
    assert body["failed"] == 1
    assert [o["ok"] for o in body["outcomes"]] == [False, True, True, True]
    assert body["outcomes"][0]["status"] == 409


async def test_a_bulk_action_mixing_approvals_and_returns_gives_each_item_its_own_decision(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    maria, anna = as_role["manager"], as_role["employee"]
    claims = [await submitted_claim(client, anna, amount=f"{200 + n}.00") for n in range(3)]
    items = [await inbox_item_for(client, maria, c["id"]) for c in claims]
    events = await _count(engine, AuditEvent)

    response = await client.post(
        "/api/attest/decisions",
        json={
            "decisions": [
                {"item_id": items[0]["id"], "action": "return", "reason": "Kvitto saknas"},
                {"item_id": items[1]["id"], "action": "approve"},
                {"item_id": items[2]["id"], "action": "return", "reason": "Fel projekt"},
            ]
        },
        headers=maria,
    )

    body = response.json()
    assert (body["approved"], body["returned"], body["failed"]) == (1, 2, 0)
    assert [o["state"] for o in body["outcomes"]] == ["returned", "approved", "returned"]
    reasons = {}
    for item in (items[0], items[2]):
        seen = (await client.get(f"/api/attest/items/{item['id']}", headers=maria)).json()
        reasons[item["id"]] = (seen["return_reason"], seen["times_returned"], seen["version"])
    assert reasons == {
        items[0]["id"]: ("Kvitto saknas", 1, items[0]["version"] + 1),
        items[2]["id"]: ("Fel projekt", 1, items[2]["version"] + 1),
    }
    assert await _count(engine, AuditEvent) == events + 3


async def test_the_same_item_twice_in_one_bulk_action_is_decided_once(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    maria = as_role["manager"]
    claim = await submitted_claim(client, as_role["employee"])
    item = await inbox_item_for(client, maria, claim["id"])
    events = await _count(engine, AuditEvent)
    decision = {"item_id": item["id"], "action": "approve", "version": item["version"]}

    response = await client.post("/api/attest/decisions", json={"decisions": [decision, decision]}, headers=maria)

    body = response.json()
    assert [(o["ok"], o["status"]) for o in body["outcomes"]] == [(True, 200), (False, 409)]
    assert await _count(engine, AuditEvent) == events + 1
    seen = (await client.get(f"/api/attest/items/{item['id']}", headers=maria)).json()
    assert (seen["state"], seen["version"]) == ("approved", item["version"] + 1)


async def test_the_inbox_pages_and_always_tells_the_total_waiting(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    maria = as_role["manager"]
    for n in range(3):
        await submitted_claim(client, as_role["employee"], amount=f"{300 + n}.00")
    everything = (await client.get("/api/attest/inbox?limit=500", headers=maria)).json()
    total = everything["total"]
    assert total == len(everything["items"]) >= 3

    pages = [
        (await client.get(f"/api/attest/inbox?limit=2&offset={offset}", headers=maria)).json()
        for offset in (0, total - 1, total + 5)
    ]

    assert [len(p["items"]) for p in pages] == [2, 1, 0]
    assert [p["total"] for p in pages] == [total, total, total]
    assert pages[1]["items"][0]["id"] == everything["items"][-1]["id"]


async def test_payroll_attests_items_of_people_without_a_manager(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    karin = await login(client, KARIN)
    claim = await submitted_claim(client, karin)

    item = await inbox_item_for(client, as_role["payroll"], claim["id"])

    assert item["employee"]["name"] == "Karin Ek"


async def test_the_item_detail_shows_the_lines_receipts_and_history(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    claim = await submitted_claim(client, as_role["employee"])
    item = await inbox_item_for(client, as_role["manager"], claim["id"])

    detail = (await client.get(f"/api/attest/items/{item['id']}", headers=as_role["manager"])).json()
    image = await client.get(detail["detail"]["expenses"][0]["receipt"]["image_url"], headers=as_role["manager"])

    assert detail["can_decide"] is True
    assert detail["detail"]["total_sek"] == "245.00"
    assert image.status_code == 200
    assert [h["action"] for h in detail["history"]] == ["created", "submitted"]


async def test_the_archive_finds_decided_items_by_employee_period_and_kind(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    maria = as_role["manager"]
    approved = await submitted_claim(client, as_role["employee"])
    returned = await submitted_claim(client, as_role["employee"])
    await client.post(
        f"/api/attest/items/{(await inbox_item_for(client, maria, approved['id']))['id']}/approve", headers=maria
    )
    await client.post(
        f"/api/attest/items/{(await inbox_item_for(client, maria, returned['id']))['id']}/return",
        json={"reason": "Nej"},
        headers=maria,
    )

    everything = (await client.get("/api/attest/archive", headers=maria)).json()
    december = (await client.get("/api/attest/archive", params={"period": "2026-12"}, headers=maria)).json()
    only_returned = (await client.get("/api/attest/archive", params={"decision": "returned"}, headers=maria)).json()
    by_anna = (
        await client.get(
            "/api/attest/archive",
            params={"employee_id": str(demo.employees[ANNA]), "kind": "expense_claim"},
            headers=maria,
        )
    ).json()
    johan = await login(client, JOHAN)
    johans = (await client.get("/api/attest/archive", headers=johan)).json()

    assert {a["subject_id"] for a in everything} >= {approved["id"], returned["id"]}
    assert [a["subject_id"] for a in december] == [approved["id"]]
    assert [a["return_reason"] for a in only_returned] == ["Nej"]
    assert len(by_anna) == 2
    assert all(a["decided_by"] == "Maria Berg" for a in by_anna)
    assert johans == []


async def test_insight_shows_lead_times_and_returned_share(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    maria = as_role["manager"]
    claims = [await submitted_claim(client, as_role["employee"]) for _ in range(3)]
    items = [await inbox_item_for(client, maria, c["id"]) for c in claims]
    await client.post(f"/api/attest/items/{items[0]['id']}/approve", headers=maria)
    await client.post(f"/api/attest/items/{items[1]['id']}/return", json={"reason": "Saknar kvitto"}, headers=maria)
    # Pretend the third has waited ten days.
    waiting_id = uuid.UUID(items[2]["id"])
    async with engine.begin() as connection:
        old = (
            await connection.execute(select(col(AttestItem.submitted_at)).where(col(AttestItem.id) == waiting_id))
        ).scalar_one()
        await connection.execute(
            update(AttestItem).where(col(AttestItem.id) == waiting_id).values(submitted_at=old - timedelta(days=10))
        )

    figures = (await client.get("/api/attest/insight", headers=as_role["payroll"])).json()
    marias = next(m for m in figures["by_manager"] if m["manager"]["name"] == "Maria Berg")
    employee_view = await client.get("/api/attest/insight", headers=as_role["employee"])

    assert marias["decided"] == 2
    assert marias["returned_share"] == "0.500"
    assert marias["waiting_over_limit"] == 1
    assert marias["median_days"] == "0.0"
    assert figures["overall"]["decided"] == 2
    assert employee_view.status_code == 403


async def _count(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
async def test_two_people_deciding_at_once_give_one_success_and_one_conflict(
    settings: Settings, clock: FixedClock, demo: Org, engine: AsyncEngine
) -> None:
    """Real concurrency on PostgreSQL: Maria and her substitute press approve on the same items together."""
    app = create_app(settings, clock)
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost") as client,  # type: ignore[arg-type]
    ):
        anna = await login(client, ANNA)  # type: ignore[arg-type]
        maria = await login(client, MARIA)  # type: ignore[arg-type]
        await client.post(
            "/api/delegations",
            json={
                "substitute_employee_id": str(demo.employees[JOHAN]),
                "valid_from": "2026-11-01",
                "valid_to": "2026-12-31",
            },
            headers=maria,
        )
        johan = await login(client, JOHAN)  # type: ignore[arg-type]
        # Five items, ten requests: within the connection pool (5 + 10 overflow), so all ten read at once.
        claims = [await submitted_claim(client, anna) for _ in range(5)]
        items = [await inbox_item_for(client, maria, c["id"]) for c in claims]
        ids = [uuid.UUID(item["id"]) for item in items]

        # Hold the rows so both requests read version v and then meet at the UPDATE: a true race.
        async with engine.connect() as blocker:
            transaction = await blocker.begin()
            await blocker.execute(select(col(AttestItem.id)).where(col(AttestItem.id).in_(ids)).with_for_update())
            racing = asyncio.gather(
                *[
                    client.post(f"/api/attest/items/{item['id']}/{action}", json=body, headers=who)
                    for item in items
                    for who, action, body in ((maria, "approve", None), (johan, "return", {"reason": "Fel"}))
                ]
            )
            await asyncio.sleep(1.0)
            await transaction.commit()
            results = await racing

    statuses = [r.status_code for r in results]
    for index in range(len(items)):
        assert sorted(statuses[2 * index : 2 * index + 2]) == [200, 409], statuses
    # The losers lost the race at the version check, not by reading an already decided item.
    assert {r.json()["code"] for r in results if r.status_code == 409} == {"attest.changed"}
    decisions = await _decision_events(engine)
    assert decisions == len(items)


async def _decision_events(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(
            (
                await connection.execute(
                    select(func.count()).select_from(AuditEvent).where(AuditEvent.action.in_(["approved", "returned"]))  # type: ignore[attr-defined]
                )
            ).scalar_one()
        )


async def test_a_substitute_who_is_not_a_manager_gets_an_inbox_and_candidates_span_the_organisation(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    gustav_email = "gustav.oberg@demo.se"
    before = await login(client, gustav_email)
    assert (await client.get("/api/me", headers=before)).json()["attests"] is False

    candidates = (await client.get("/api/delegations/candidates", headers=as_role["manager"])).json()
    await client.post(
        "/api/delegations",
        json={
            "substitute_employee_id": str(demo.employees[gustav_email]),
            "valid_from": "2026-11-23",
            "valid_to": "2026-11-30",
        },
        headers=as_role["manager"],
    )
    after = await login(client, gustav_email)

    assert {"Alva Sjöberg", "Karin Ek", "Gustav Öberg"} <= {c["name"] for c in candidates}
    assert (await client.get("/api/me", headers=after)).json()["attests"] is True


async def test_an_item_returned_then_corrected_and_approved_still_counts_as_returned(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    """The archive's "Tillbakaskickad" and the lead times' returned share count the return that happened."""
    anna, maria = as_role["employee"], as_role["manager"]
    claim = await submitted_claim(client, anna)
    item = await inbox_item_for(client, maria, claim["id"])
    returned = await client.post(f"/api/attest/items/{item['id']}/return", json={"reason": "Kvitto"}, headers=maria)
    assert returned.status_code == 200, returned.text
    again = await client.post(f"/api/expense-claims/{claim['id']}/submit", headers=anna)
    assert again.status_code == 200, again.text
    approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    assert approved.status_code == 200, approved.text

    only_returned = (await client.get("/api/attest/archive", params={"decision": "returned"}, headers=maria)).json()
    only_approved = (await client.get("/api/attest/archive", params={"decision": "approved"}, headers=maria)).json()
    insight = (await client.get("/api/attest/insight", headers=maria)).json()

    assert [a["subject_id"] for a in only_returned] == [claim["id"]]
    assert [a["subject_id"] for a in only_approved] == [claim["id"]]
    assert (insight["overall"]["decided"], insight["overall"]["returned_share"]) == (1, "1.000")
