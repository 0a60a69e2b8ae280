"""Error reports (felanmälan) through the API: report, answer, reply, route, return an item; refusals and isolation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import AttestItem, CaseMessage, ErrorCase
from tests.conftest import ANNA, LENA, MARIA, Org, login, problem
from tests.integration.cases.helpers import approved_item, payslip_line, report_on_item, report_on_payslip
from tests.integration.notices.helpers import notices
from tests.support.factories import OtherOrg
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.images import receipt_image

Client = AsyncTestClient[Litestar]
Roles = dict[str, dict[str, str]]


async def rows(engine: AsyncEngine) -> tuple[int, int]:
    async with session_maker(engine)() as session:
        cases = (await session.execute(select(func.count()).select_from(ErrorCase))).scalar_one()
        messages = (await session.execute(select(func.count()).select_from(CaseMessage))).scalar_one()
    return int(cases), int(messages)


async def test_anna_reports_an_error_on_a_payslip_line_and_payroll_is_told(
    client: Client, as_role: Roles, demo: Org, engine: AsyncEngine
) -> None:
    anna, lena, maria = as_role["employee"], as_role["payroll"], as_role["manager"]
    period, line = await payslip_line(client, anna)

    case = await report_on_payslip(client, anna, "Övertiden saknas")
    mine = (await client.get("/api/cases", headers=anna)).json()
    inbox = (await client.get("/api/cases", params={"view": "all"}, headers=lena)).json()
    marias = (await client.get("/api/cases", headers=maria)).json()
    [told] = await notices(engine, account_id=demo.accounts[LENA], category="case_update")

    assert case["status"] == "new"
    assert case["due_date"] == "2026-11-26"  # Monday + three working days
    assert case["owner"] is None
    assert case["reporter"]["id"] == str(demo.accounts[ANNA])
    assert case["subject"]["kind"] == "payslip_line"
    assert case["subject"]["payslip_period"] == period
    assert case["subject"]["line_key"] == line["code"]
    assert line["text"] in case["subject"]["label"]
    assert [(t["kind"], t["text"]) for t in case["timeline"]] == [
        ("created", "Felanmälan skapad"),
        ("report", "Övertiden saknas"),
    ]
    assert case["can_reply"]
    assert not case["can_manage"]
    assert [c["id"] for c in mine["items"]] == [case["id"]]
    assert [c["id"] for c in inbox["items"]] == [case["id"]]
    assert marias["items"] == []
    assert told.url == f"/cases/{case['id']}"
    assert told.body_sv == "Övertiden saknas"
    assert "Anna" in told.title_sv
    assert await notices(engine, account_id=demo.accounts[ANNA], category="case_update") == []


async def test_payroll_answers_anna_is_told_and_her_reply_goes_back_to_payroll(
    client: Client, as_role: Roles, demo: Org, engine: AsyncEngine
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    case = await report_on_payslip(client, anna)

    answered = await client.post(
        f"/api/cases/{case['id']}/messages", json={"text": "Rättas i nästa lön."}, headers=lena
    )
    seen = (await client.get(f"/api/cases/{case['id']}", headers=anna)).json()
    replied = await client.post(
        f"/api/cases/{case['id']}/messages", json={"text": "Tack, men det gäller två dagar."}, headers=anna
    )
    to_anna = await notices(engine, account_id=demo.accounts[ANNA], category="case_update")
    to_lena = await notices(engine, account_id=demo.accounts[LENA], category="case_update")

    assert answered.status_code == 201, answered.text
    assert answered.json()["status"] == "answered"
    assert seen["status"] == "answered"
    assert seen["timeline"][-2:] == [
        {**seen["timeline"][-2], "kind": "answer", "text": "Rättas i nästa lön.", "from_payroll": True},
        {**seen["timeline"][-1], "kind": "status", "text": "Status: ny → besvarad"},
    ]
    assert replied.status_code == 201, replied.text
    assert replied.json()["status"] == "in_progress"
    assert [t["kind"] for t in replied.json()["timeline"]] == [
        "created",
        "report",
        "answer",
        "status",
        "message",
        "status",
    ]
    assert [n.title_sv.split(":")[0] for n in to_anna] == ["Lön har svarat"]
    assert to_anna[0].body_sv.endswith("Rättas i nästa lön.")
    assert sorted(n.body_sv for n in to_lena) == ["Fel antal timmar på raden", "Tack, men det gäller två dagar."]


async def test_status_flow_close_and_reopen_and_nobody_writes_in_a_closed_case(
    client: Client, as_role: Roles, demo: Org, engine: AsyncEngine
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    case = await report_on_payslip(client, anna)
    url = f"/api/cases/{case['id']}"

    started = await client.post(f"{url}/status", json={"status": "in_progress"}, headers=lena)
    by_anna = await client.post(f"{url}/status", json={"status": "closed"}, headers=anna)
    closed = await client.post(f"{url}/status", json={"status": "closed"}, headers=lena)
    reply_when_closed = await client.post(f"{url}/messages", json={"text": "Hallå?"}, headers=anna)
    answer_when_closed = await client.post(f"{url}/status", json={"status": "answered"}, headers=lena)
    reopened = await client.post(f"{url}/status", json={"status": "in_progress"}, headers=lena)
    to_anna = await notices(engine, account_id=demo.accounts[ANNA], category="case_update")

    assert started.json()["status"] == "in_progress"
    assert by_anna.status_code == 403
    assert closed.json()["status"] == "closed"
    assert reply_when_closed.status_code == 409
    assert problem(reply_when_closed)["code"] == "case.closed"
    assert problem(reply_when_closed)["errors"][0]["field"] == "status"
    assert answer_when_closed.status_code == 409
    assert problem(answer_when_closed)["code"] == "case.transition_not_allowed"
    assert reopened.json()["status"] == "in_progress"
    assert sorted(n.ids["status"] for n in to_anna) == ["closed", "in_progress", "in_progress"]
    assert any(n.title_en.startswith("Your case is closed") for n in to_anna)


async def test_payroll_takes_a_case_gives_it_back_and_filters_by_owner(
    client: Client, as_role: Roles, demo: Org
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    first = await report_on_payslip(client, anna, "Ett")
    second = await report_on_payslip(client, anna, "Två")
    me = str(demo.accounts[LENA])

    taken = await client.post(f"/api/cases/{first['id']}/owner", json={"owner_account_id": me}, headers=lena)
    to_anna = await client.post(
        f"/api/cases/{second['id']}/owner", json={"owner_account_id": str(demo.accounts[ANNA])}, headers=lena
    )
    owners = (await client.get("/api/cases/owners", headers=lena)).json()
    mine = (await client.get("/api/cases", params={"view": "all", "owner": "me"}, headers=lena)).json()
    queue = (await client.get("/api/cases", params={"view": "all", "owner": "none"}, headers=lena)).json()
    back = await client.post(f"/api/cases/{first['id']}/owner", json={"owner_account_id": None}, headers=lena)
    bad_owner = await client.get("/api/cases", params={"view": "all", "owner": "someone"}, headers=lena)

    assert taken.status_code == 200, taken.text
    assert taken.json()["owner"] == {"id": me, "name": "Lena Lind"}
    assert taken.json()["timeline"][-1]["text"] == "Handläggs av Lena Lind"
    assert to_anna.status_code == 422
    assert problem(to_anna)["errors"][0]["field"] == "owner_account_id"
    assert [o["id"] for o in owners] == [me]
    assert [c["id"] for c in mine["items"]] == [first["id"]]
    assert [c["id"] for c in queue["items"]] == [second["id"]]
    assert back.json()["owner"] is None
    assert back.json()["timeline"][-1]["text"] == "Tillbaka i lönens gemensamma kö"
    assert bad_owner.status_code == 422
    assert problem(bad_owner)["errors"][0]["field"] == "owner"


async def test_the_due_date_can_be_moved_and_overdue_cases_are_found(
    client: Client, as_role: Roles, clock: FixedClock
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    late = await report_on_payslip(client, anna, "Sen")
    moved = await report_on_payslip(client, anna, "Flyttad")

    changed = await client.post(f"/api/cases/{moved['id']}/due-date", json={"due_date": "2026-12-04"}, headers=lena)
    in_past = await client.post(f"/api/cases/{moved['id']}/due-date", json={"due_date": "2026-11-01"}, headers=lena)
    by_anna = await client.post(f"/api/cases/{moved['id']}/due-date", json={"due_date": "2026-12-10"}, headers=anna)
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # Friday: past the first case's Thursday
    overdue = (await client.get("/api/cases", params={"view": "all", "overdue": "true"}, headers=lena)).json()
    on_time = (await client.get("/api/cases", params={"view": "all", "overdue": "false"}, headers=lena)).json()

    assert changed.json()["due_date"] == "2026-12-04"
    assert changed.json()["timeline"][-1]["kind"] == "due_date"
    assert in_past.status_code == 422
    assert problem(in_past)["errors"][0]["field"] == "due_date"
    assert by_anna.status_code == 403
    assert [c["id"] for c in overdue["items"]] == [late["id"]]
    assert overdue["items"][0]["overdue"] is True
    assert [c["id"] for c in on_time["items"]] == [moved["id"]]


async def test_payroll_sends_the_item_back_through_the_case(
    client: Client, as_role: Roles, demo: Org, engine: AsyncEngine
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    item = await approved_item(client, anna, maria)
    # From her claim's page Anna knows the claim, not the attest item: the claim's id finds the item.
    reported = await client.post(
        "/api/cases",
        json={"subject_kind": "item", "item_subject_id": item["claim_id"], "text": "Fel månad på kvittot"},
        headers=anna,
    )
    case = reported.json()

    returned = await client.post(
        f"/api/cases/{case['id']}/return-item", json={"reason": "Kvittot gäller oktober"}, headers=lena
    )
    claim = (await client.get(f"/api/expense-claims/{item['claim_id']}", headers=anna)).json()
    to_anna = await notices(engine, account_id=demo.accounts[ANNA])
    again = await client.post(f"/api/cases/{case['id']}/return-item", json={"reason": "Igen"}, headers=lena)
    after_refusal = (await client.get(f"/api/cases/{case['id']}", headers=lena)).json()

    assert reported.status_code == 201, reported.text
    assert case["subject"]["item_id"] == item["id"]
    assert case["subject"]["item_state"] == "approved"
    assert case["can_return_item"] is False  # Anna sees her case; payroll returns
    assert returned.status_code == 200, returned.text
    view = returned.json()
    assert view["status"] == "answered"
    assert view["subject"]["item_state"] == "returned"
    assert [t["kind"] for t in view["timeline"]][-3:] == ["return", "return", "status"]
    assert view["timeline"][-2]["text"] == "Posten skickades tillbaka: Kvittot gäller oktober"
    assert claim["state"] == "returned"
    assert claim["attest"]["return_reason"] == "Kvittot gäller oktober"
    assert {n.category for n in to_anna} >= {"case_update", "item_decided"}
    assert any(n.title_sv.startswith("Posten skickades tillbaka") for n in to_anna)
    assert again.status_code == 403  # returned now: it is Maria's to attest again, not payroll's
    assert problem(again)["errors"][0]["field"] == "item_id"
    assert len(after_refusal["timeline"]) == len(view["timeline"])


async def test_a_return_the_attest_rules_refuse_writes_nothing_to_the_case(
    client: Client, as_role: Roles, engine: AsyncEngine
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    claim = await submitted_claim(client, anna)
    item = await inbox_item_for(client, maria, claim["id"])  # waiting for Maria: not payroll's to return
    case = await report_on_item(client, anna, item["id"])
    payslip_case = await report_on_payslip(client, anna)
    before = await rows(engine)

    refused = await client.post(f"/api/cases/{case['id']}/return-item", json={"reason": "Fel"}, headers=lena)
    not_item = await client.post(f"/api/cases/{payslip_case['id']}/return-item", json={"reason": "Fel"}, headers=lena)
    no_reason = await client.post(f"/api/cases/{case['id']}/return-item", json={"reason": " "}, headers=lena)
    view = (await client.get(f"/api/cases/{case['id']}", headers=lena)).json()

    assert refused.status_code == 403
    assert problem(refused)["errors"][0]["field"] == "item_id"
    assert not_item.status_code == 409
    assert problem(not_item)["code"] == "case.not_an_item"
    assert no_reason.status_code == 422
    assert problem(no_reason)["errors"][0]["field"] == "reason"
    assert await rows(engine) == before
    assert view["status"] == "new"
    assert view["subject"]["item_state"] == "submitted"


async def test_a_manager_reports_on_a_team_item_and_each_reporter_sees_only_their_own(
    client: Client, as_role: Roles
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    item = await approved_item(client, anna, maria)
    marias = await report_on_item(client, maria, item["id"], "Jag attesterade fel belopp")
    annas = await report_on_payslip(client, anna)

    assert (await client.get(f"/api/cases/{marias['id']}", headers=anna)).status_code == 404
    assert (await client.get(f"/api/cases/{annas['id']}", headers=maria)).status_code == 404
    assert (
        await client.post(f"/api/cases/{annas['id']}/messages", json={"text": "x"}, headers=maria)
    ).status_code == 404
    assert (await client.get(f"/api/cases/{marias['id']}", headers=lena)).status_code == 200
    assert [c["id"] for c in (await client.get("/api/cases", headers=maria)).json()["items"]] == [marias["id"]]
    assert (await client.get("/api/cases", params={"view": "all"}, headers=maria)).status_code == 403


async def test_bad_reports_are_refused_naming_the_field_and_nothing_is_written(
    client: Client, as_role: Roles, engine: AsyncEngine, other_org: OtherOrg, demo: Org
) -> None:
    anna, maria, admin = as_role["employee"], as_role["manager"], as_role["admin"]
    period, line = await payslip_line(client, anna)
    on_line = {"subject_kind": "payslip_line", "payslip_period": period, "line_key": line["code"]}
    marias_claim = await submitted_claim(client, maria)  # Maria's item: not Anna's, and Anna does not attest it
    async with session_maker(engine)() as session:
        marias_item = (
            await session.execute(
                select(col(AttestItem.id)).where(col(AttestItem.subject_id) == uuid.UUID(marias_claim["id"]))
            )
        ).scalar_one()
    attempts = {
        "empty": (anna, {**on_line, "text": "  "}, 422, "text"),
        "too long": (anna, {**on_line, "text": "x" * 4001}, 422, "text"),
        "control characters": (anna, {**on_line, "text": "Fel\x07"}, 422, "text"),
        "no period": (anna, {"subject_kind": "payslip_line", "line_key": "x", "text": "Fel"}, 422, "payslip_period"),
        "bad period": (anna, {**on_line, "payslip_period": "2026-13", "text": "Fel"}, 422, "payslip_period"),
        "unknown kind": (anna, {"subject_kind": "whatever", "text": "Fel"}, 422, "subject_kind"),
        "bad uuid": (anna, {"subject_kind": "item", "item_id": "nope", "text": "Fel"}, 422, "item_id"),
        "someone else's item": (anna, {"subject_kind": "item", "item_id": str(marias_item), "text": "Fel"}, 404, None),
        "unknown item": (anna, {"subject_kind": "item", "item_id": str(uuid.uuid4()), "text": "Fel"}, 404, None),
        "other org's item": (
            anna,
            {"subject_kind": "item", "item_id": str(other_org.attest_item_id), "text": "Fel"},
            404,
            None,
        ),
        "someone else's payslip": (anna, {**on_line, "pay_run_id": str(uuid.uuid4()), "text": "Fel"}, 404, None),
        "export row by an employee": (
            anna,
            {"subject_kind": "export_row", "export_batch_id": str(uuid.uuid4()), "export_row": 2, "text": "Fel"},
            403,
            None,
        ),
        "admin": (admin, {"subject_kind": "other", "text": "Fel"}, 403, None),
        "misspelt field": (anna, {"subject_kind": "other", "text": "Fel", "txt": "x"}, 422, "txt"),
    }

    outcomes = {}
    for name, (who, body, _, _) in attempts.items():
        response = await client.post("/api/cases", json=body, headers=who)
        found = problem(response)
        fields = [e["field"] for e in found.get("errors", [])]
        outcomes[name] = (response.status_code, fields[0] if fields and response.status_code == 422 else None)
    not_json = await client.post("/api/cases", content=b"{", headers={**anna, "content-type": "application/json"})
    english = await client.post("/api/cases", json={**on_line, "text": ""}, headers={**anna, "accept-language": "en"})

    assert outcomes == {name: (status, field) for name, (_, _, status, field) in attempts.items()}
    assert not_json.status_code == 422
    assert problem(english)["errors"][0]["message"] == "Write what is wrong."
    assert await rows(engine) == (0, 0)
    assert await notices(engine, category="case_update") == []


async def test_an_attachment_is_kept_served_to_whoever_sees_the_case_and_bad_files_are_refused(
    client: Client, as_role: Roles, engine: AsyncEngine
) -> None:
    anna, maria, lena = as_role["employee"], as_role["manager"], as_role["payroll"]
    image = receipt_image(seed_text="felanmalan")
    created = await client.post(
        "/api/cases",
        data={"subject_kind": "other", "text": "Se bilden"},
        files={"file": ("skarm.jpg", image, "image/jpeg")},
        headers=anna,
    )
    case = created.json()
    by_anna = await client.get(f"/api/cases/{case['id']}/attachment", headers=anna)
    by_lena = await client.get(f"/api/cases/{case['id']}/attachment", headers=lena)
    by_maria = await client.get(f"/api/cases/{case['id']}/attachment", headers=maria)
    before = await rows(engine)
    text_file = await client.post(
        "/api/cases",
        data={"subject_kind": "other", "text": "Se filen"},
        files={"file": ("a.txt", b"just text, not an image", "text/plain")},
        headers=anna,
    )
    too_large = await client.post(
        "/api/cases",
        data={"subject_kind": "other", "text": "Stor"},
        files={"file": ("big.jpg", image + b"\0" * (15 * 1024 * 1024), "image/jpeg")},
        headers=anna,
    )
    bad_field = await client.post(
        "/api/cases", data={"subject_kind": "other", "text": "x", "export_row": "two"}, headers=anna
    )

    assert created.status_code == 201, created.text
    assert case["attachment"]["content_type"] == "image/jpeg"
    assert case["attachment"]["filename"] == "skarm.jpg"
    assert by_anna.status_code == 200
    assert by_anna.headers["content-type"].startswith("image/jpeg")
    assert by_anna.headers["x-content-type-options"] == "nosniff"
    assert by_anna.content[:3] == b"\xff\xd8\xff"
    assert by_lena.status_code == 200
    assert by_maria.status_code == 404
    assert text_file.status_code == 415
    assert problem(text_file)["errors"][0]["field"] == "file"
    assert too_large.status_code == 413
    assert problem(too_large)["errors"][0]["field"] == "file"
    assert bad_field.status_code == 422
    assert problem(bad_field)["errors"][0]["field"] == "export_row"
    assert await rows(engine) == before


async def test_other_organisations_never_see_the_cases(client: Client, as_role: Roles, other_org: OtherOrg) -> None:
    case = await report_on_payslip(client, as_role["employee"])
    olle = await login(client, "olle@annat.se")

    assert (await client.get(f"/api/cases/{case['id']}", headers=olle)).status_code == 404
    assert (await client.post(f"/api/cases/{case['id']}/messages", json={"text": "x"}, headers=olle)).status_code == 404
    assert (await client.get("/api/cases", headers=olle)).json()["items"] == []


async def test_lists_are_paginated_and_bounded(client: Client, as_role: Roles) -> None:
    anna = as_role["employee"]
    for n in range(3):
        await report_on_payslip(client, anna, f"Fel {n}")

    first = (await client.get("/api/cases", params={"limit": 2}, headers=anna)).json()
    second = (await client.get("/api/cases", params={"limit": 2, "offset": 2}, headers=anna)).json()
    too_many = await client.get("/api/cases", params={"limit": 1000}, headers=anna)

    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert {c["id"] for c in first["items"]}.isdisjoint({c["id"] for c in second["items"]})
    assert too_many.status_code == 422
    assert problem(too_many)["errors"][0]["field"] == "limit"


async def test_a_reporter_in_payroll_replies_as_a_reporter(client: Client, as_role: Roles, demo: Org) -> None:
    lena = as_role["payroll"]
    case = await report_on_payslip(client, lena, "Min egen lönespec")
    replied = await client.post(f"/api/cases/{case['id']}/messages", json={"text": "Tillägg"}, headers=lena)

    assert replied.json()["status"] == "new"
    assert replied.json()["timeline"][-1]["kind"] == "message"
    assert replied.json()["can_manage"] is True
    assert MARIA not in replied.text


async def submitted_week(client: Client, anna: dict[str, str]) -> dict[str, Any]:
    """Anna's week 2026-W46, sent for attest."""
    rows = {"rows": [{"code": "work", "hours": ["8", "8", "8", "8", "8", None, None]}]}
    assert (await client.put("/api/time/weeks/2026-W46", json=rows, headers=anna)).status_code in (200, 201)
    assert (await client.post("/api/time/weeks/2026-W46/submit", headers=anna)).status_code == 200
    return dict((await client.get("/api/time/weeks/2026-W46", headers=anna)).json())


async def test_anna_reports_on_her_own_time_week_by_the_item_its_page_names(client: Client, as_role: Roles) -> None:
    anna = as_role["employee"]
    week = await submitted_week(client, anna)
    johan = await login(client, "johan.svensson@demo.se")

    case = await report_on_item(client, anna, week["attest"]["item_id"], "Måndagen saknar en timme")
    someone_elses = await client.post(
        "/api/cases",
        json={"subject_kind": "item", "item_id": week["attest"]["item_id"], "text": "Inte min vecka"},
        headers=johan,
    )

    assert week["state"] == "submitted"
    assert case["subject"]["item_id"] == week["attest"]["item_id"]
    assert someone_elses.status_code == 404


async def test_a_case_about_a_week_is_titled_in_the_readers_language(client: Client, as_role: Roles) -> None:
    anna = as_role["employee"]
    week = await submitted_week(client, anna)
    case = await report_on_item(client, anna, week["attest"]["item_id"], "Måndagen saknar en timme")

    def titles(language: str) -> set[str]:
        return {c["title"] for c in listed[language] if c["id"] == case["id"]}

    listed = {
        language: (await client.get("/api/cases", headers={**anna, "accept-language": language})).json()["items"]
        for language in ("sv", "en")
    }
    assert titles("sv") == {"Tidrapport 2026-W46"}
    assert titles("en") == {"Time report 2026-W46"}


async def test_someone_given_a_case_is_told_and_taking_one_yourself_tells_nobody(
    client: Client, as_role: Roles, demo: Org, engine: AsyncEngine
) -> None:
    anna, lena, admin = as_role["employee"], as_role["payroll"], as_role["admin"]
    pia = await client.post(
        "/api/users",
        json={
            "email": "pia.lon@demo.se",
            "display_name": "Pia Lön",
            "password": "a-long-password",
            "roles": ["payroll"],
        },
        headers=admin,
    )
    assert pia.status_code == 201, pia.text
    first = await report_on_payslip(client, anna, "Ett")
    second = await report_on_payslip(client, anna, "Två")

    given = await client.post(
        f"/api/cases/{first['id']}/owner", json={"owner_account_id": pia.json()["id"]}, headers=lena
    )
    await client.post(
        f"/api/cases/{second['id']}/owner", json={"owner_account_id": str(demo.accounts[LENA])}, headers=lena
    )

    assert given.status_code == 200, given.text
    told = await notices(engine, account_id=uuid.UUID(pia.json()["id"]), category="case_update")
    yours = [n for n in told if "är ditt" in n.title_sv]
    assert [n.title_sv for n in yours] == [f"Ett ärende är ditt: {given.json()['title']}"]
    assert "Lena Lind gav dig ärendet" in yours[0].body_sv
    lenas = await notices(engine, account_id=demo.accounts[LENA], category="case_update")
    assert not [n for n in lenas if "är ditt" in n.title_sv]
