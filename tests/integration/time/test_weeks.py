"""Reporting a week through the API: rows, totals against the schedule, rules, locked days, attest."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import ANNA, Org, problem

# The tests run on Monday 2026-11-23 (week 48); week 47 is Monday 16 to Sunday 22 November.
LAST_WEEK = "2026-W47"


async def count(engine: AsyncEngine, table: str) -> int:
    from backend.db.models import metadata

    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(metadata.tables[table]))).scalar_one())


def row(code: str = "work", hours: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "hours": hours if hours is not None else ["8", "8", "8", "8", "8", None, None], **extra}


async def project_id(client: AsyncTestClient[Litestar], headers: dict[str, str], code: str = "P100.1.DEV") -> str:
    projects = (await client.get("/api/projects", params={"q": code}, headers=headers)).json()
    return str(next(p["id"] for p in projects if p["code"] == code))


async def put_week(
    client: AsyncTestClient[Litestar], headers: dict[str, str], week: str, rows: list[dict[str, Any]]
) -> Any:
    return await client.put(f"/api/time/weeks/{week}", json={"rows": rows}, headers=headers)


async def submitted_week_item(
    client: AsyncTestClient[Litestar], employee: dict[str, str], manager: dict[str, str]
) -> dict[str, Any]:
    """The employee reports and submits LAST_WEEK; the manager's attest inbox item for it."""
    await put_week(client, employee, LAST_WEEK, [row()])
    await client.post(f"/api/time/weeks/{LAST_WEEK}/submit", headers=employee)
    inbox = (await client.get("/api/attest/inbox", headers=manager)).json()
    return next(i for i in inbox["items"] if i["kind"] == "time_week")


async def test_report_a_week_on_a_project_and_see_it_against_the_schedule(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    dev = await project_id(client, anna)

    created = await put_week(
        client,
        anna,
        LAST_WEEK,
        [row(project_id=dev, comment="Inloggning", support_code="SUP-12", invoice_text="Utveckling inloggning")],
    )
    again = await put_week(
        client, anna, LAST_WEEK, [row(project_id=dev, hours=["8", "8", "8", "8", "7.5", None, None])]
    )

    assert created.status_code == 201, created.text
    assert again.status_code == 200
    week = again.json()
    assert week["week"] == LAST_WEEK
    assert week["week_start"] == "2026-11-16"
    assert week["state"] == "draft"
    assert week["editable"] is True
    assert week["expected_hours"] == "40.00"
    assert week["total_hours"] == "39.50"
    assert week["difference"] == "-0.50"
    assert [d["total_hours"] for d in week["days"]] == ["8.00", "8.00", "8.00", "8.00", "7.50", "0.00", "0.00"]
    assert [d["scheduled_hours"] for d in week["days"]] == ["8.00"] * 5 + ["0.00"] * 2
    assert week["rows"][0]["project"]["path"] == "P100 / P100.1 / P100.1.DEV"
    assert week["rows"][0]["code_name"] == "Arbetad tid"
    assert [h["action"] for h in week["history"]] == ["created", "updated"]


async def test_submit_a_week_for_attest_and_it_reaches_the_manager(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    await put_week(client, anna, LAST_WEEK, [row()])

    submitted = await client.post(f"/api/time/weeks/{LAST_WEEK}/submit", headers=anna)
    changed_after = await put_week(client, anna, LAST_WEEK, [row(hours=["1"] * 5 + [None, None])])
    inbox = (await client.get("/api/attest/inbox", headers=maria)).json()

    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["state"] == "submitted"
    assert submitted.json()["editable"] is False
    assert changed_after.status_code == 409
    assert problem(changed_after)["code"] == "attest.not_editable"
    item = next(i for i in inbox["items"] if i["kind"] == "time_week")
    assert item["hours"] == "40.00"
    assert item["title"] == f"Tidrapport {LAST_WEEK}"


async def test_the_manager_sees_the_week_of_a_report_once_submitted(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    await put_week(client, as_role["employee"], LAST_WEEK, [row()])
    params = {"employee_id": str(demo.employees[ANNA])}
    draft = await client.get(f"/api/time/weeks/{LAST_WEEK}", params=params, headers=as_role["manager"])
    submitted = await client.post(f"/api/time/weeks/{LAST_WEEK}/submit", headers=as_role["employee"])

    seen = await client.get(f"/api/time/weeks/{LAST_WEEK}", params=params, headers=as_role["manager"])

    assert draft.status_code == 404  # the employee's own until submitted
    assert submitted.status_code == 200, submitted.text
    assert seen.status_code == 200
    assert seen.json()["employee"]["name"] == "Anna Andersson"
    assert seen.json()["total_hours"] == "40.00"


async def test_a_week_opens_by_its_id_as_attest_items_and_payslip_lines_name_it(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    item = await submitted_week_item(client, anna, maria)

    by_id = await client.get(f"/api/time/weeks/{item['subject_id']}", headers=anna)
    unknown = await client.get(f"/api/time/weeks/{uuid.uuid4()}", headers=anna)

    assert by_id.status_code == 200, by_id.text
    assert by_id.json()["week"] == LAST_WEEK
    assert by_id.json()["state"] == "submitted"
    assert unknown.status_code == 404


async def test_opening_time_reporting_lands_on_the_first_week_not_yet_submitted(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    first = (await client.get("/api/time/weeks/first-open", headers=anna)).json()
    await put_week(client, anna, first["week"], [row()])
    await client.post(f"/api/time/weeks/{first['week']}/submit", headers=anna)

    after = (await client.get("/api/time/weeks/first-open", headers=anna)).json()
    listed = (await client.get("/api/time/weeks", headers=anna)).json()

    assert first["week"] == "2026-W40"  # eight weeks back from week 48
    assert after["week"] == "2026-W41"
    assert listed[0]["week"] == "2026-W48"
    assert {w["week"]: w["state"] for w in listed}["2026-W40"] == "submitted"


async def test_25_hours_in_a_day_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    anna = as_role["employee"]

    one_cell = await put_week(client, anna, LAST_WEEK, [row(hours=["25", "8", "8", "8", "8", None, None])])
    two_rows = await put_week(
        client, anna, LAST_WEEK, [row(hours=["16", None, None, None, None, None, None]), row(hours=["9"] + [None] * 6)]
    )

    assert one_cell.status_code == 422
    assert [(e["field"], e["code"]) for e in problem(one_cell)["errors"]] == [
        ("rows.0.hours.0", "time.hours_out_of_range")
    ]
    assert [(e["field"], e["code"]) for e in problem(two_rows)["errors"]] == [("days.0.hours", "time.day_over_24")]
    assert "24" in problem(two_rows)["errors"][0]["message"]
    assert await count(engine, "timeweek") == 0
    assert await count(engine, "timeentry") == 0


async def test_every_problem_in_a_week_is_reported_at_once_in_both_languages(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    rows = [
        row(hours=["7.3", "8", "8", "8", "8", None, None]),
        row(code="bonus"),
        row(code="vacation", hours=[None, None, None, None, None, "8", None]),
    ]

    swedish = await put_week(client, anna, LAST_WEEK, rows)
    english = await client.put(
        f"/api/time/weeks/{LAST_WEEK}", json={"rows": rows}, headers={**anna, "accept-language": "en"}
    )

    codes = {(e["field"], e["code"]) for e in problem(swedish)["errors"]}
    assert codes >= {
        ("rows.0.hours.0", "time.not_quarter_hour"),
        ("rows.1.code", "time.unknown_code"),
        ("rows.2.hours.5", "time.absence_on_day_off"),
    }
    assert "kvart" in next(e["message"] for e in problem(swedish)["errors"] if e["code"] == "time.not_quarter_hour")
    assert "quarter" in next(e["message"] for e in problem(english)["errors"] if e["code"] == "time.not_quarter_hour")


async def test_absence_and_work_above_the_schedule_needs_overtime(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    monday_only = [None] * 6

    refused = await put_week(
        client, anna, LAST_WEEK, [row(hours=["5", *monday_only]), row("sick", ["4", *monday_only])]
    )
    with_overtime = await put_week(
        client,
        anna,
        LAST_WEEK,
        [row(hours=["4", *monday_only]), row("sick", ["4", *monday_only]), row("simple_overtime", ["1", *monday_only])],
    )

    assert refused.status_code == 422
    error = problem(refused)["errors"][0]
    assert (error["field"], error["code"]) == ("rows.1.hours.0", "time.above_schedule")
    assert "övertid" in error["message"]
    assert with_overtime.status_code == 201, with_overtime.text
    assert with_overtime.json()["days"][0]["qualifying_day"] is True


async def test_a_locked_day_cannot_be_changed_until_payroll_unlocks_it(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    await put_week(client, anna, LAST_WEEK, [row()])
    lock_id = str(uuid.uuid4())
    locked = await client.put(
        f"/api/time/locks/{lock_id}",
        json={
            "first_day": "2026-11-17",
            "last_day": "2026-11-17",
            "employee_id": str(demo.employees[ANNA]),
            "reason": "Löneperiod stängd",
        },
        headers=lena,
    )

    tuesday_changed = await put_week(client, anna, LAST_WEEK, [row(hours=["8", "6", "8", "8", "8", None, None])])
    wednesday_changed = await put_week(client, anna, LAST_WEEK, [row(hours=["8", "8", "6", "8", "8", None, None])])
    view = wednesday_changed.json()
    unlocked = await client.delete(f"/api/time/locks/{lock_id}", headers=lena)
    after_unlock = await put_week(client, anna, LAST_WEEK, [row(hours=["8", "6", "8", "8", "8", None, None])])

    assert locked.status_code == 201, locked.text
    assert tuesday_changed.status_code == 422
    assert [(e["field"], e["code"]) for e in problem(tuesday_changed)["errors"]] == [
        ("rows.0.hours.1", "time.day_locked")
    ]
    assert wednesday_changed.status_code == 200
    assert view["days"][1]["locked"] is True
    assert view["days"][1]["lock_reason"] == "Löneperiod stängd"
    assert unlocked.status_code == 204
    assert after_unlock.status_code == 200


async def test_a_lock_for_everyone_covers_every_employee(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    await client.put(
        f"/api/time/locks/{uuid.uuid4()}",
        json={"first_day": "2026-11-16", "last_day": "2026-11-20"},
        headers=as_role["payroll"],
    )

    refused = await put_week(client, as_role["employee"], LAST_WEEK, [row()])
    locks = (await client.get("/api/time/locks", params={"start": "2026-11-01"}, headers=as_role["payroll"])).json()

    assert refused.status_code == 422
    assert {e["code"] for e in problem(refused)["errors"]} == {"time.day_locked"}
    assert len(locks) == 1
    assert locks[0]["employee"] is None


async def test_a_returned_week_can_be_corrected_and_submitted_again(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    item = await submitted_week_item(client, anna, maria)
    await client.post(
        f"/api/attest/items/{item['id']}/return", json={"reason": "Ange projekt på fredag"}, headers=maria
    )

    returned = (await client.get(f"/api/time/weeks/{LAST_WEEK}", headers=anna)).json()
    dev = await project_id(client, anna)
    corrected = await put_week(client, anna, LAST_WEEK, [row(project_id=dev)])
    resubmitted = await client.post(f"/api/time/weeks/{LAST_WEEK}/submit", headers=anna)

    assert returned["state"] == "returned"
    assert returned["editable"] is True
    assert returned["attest"]["return_reason"] == "Ange projekt på fredag"
    assert corrected.status_code == 200
    assert resubmitted.json()["state"] == "submitted"
    assert resubmitted.json()["attest"]["times_returned"] == 1
    assert [h["action"] for h in resubmitted.json()["history"]][-3:] == ["returned", "updated", "resubmitted"]


async def test_a_week_in_the_future_cannot_be_submitted_nor_an_empty_week(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]

    future = await client.post("/api/time/weeks/2026-W50/submit", headers=anna)
    empty = await client.post(f"/api/time/weeks/{LAST_WEEK}/submit", headers=anna)
    bad_week = await client.get("/api/time/weeks/2026-48", headers=anna)

    assert {e["code"] for e in problem(future)["errors"]} >= {"time.week_in_future"}
    assert {e["code"] for e in problem(empty)["errors"]} == {"time.week_empty"}
    assert bad_week.status_code == 422
    assert problem(bad_week)["errors"][0]["code"] == "time.invalid_week"


async def test_christmas_week_has_holidays_eves_and_fewer_expected_hours(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    week = (await client.get("/api/time/weeks/2026-W52", headers=as_role["employee"])).json()

    days = week["days"]
    assert week["expected_hours"] == "24.00"  # Monday-Wednesday; Julafton, juldagen and annandag jul are off
    assert days[2]["eve"].startswith("Dag före Julafton")
    assert days[2]["scheduled_hours"] == "8.00"  # an eve counts as a full day
    assert days[3]["holiday"] == "Julafton"
    assert days[4]["holiday"] == "Juldagen"
    assert [d["working_day"] for d in days] == [True, True, True, False, False, False, False]


async def test_unsocial_hours_are_derived_from_clock_times(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    friday = [None, None, None, None, {"start": "14:00", "end": "22:00"}, None, None]
    saturday_night = [None, None, None, None, None, {"start": "22:00", "end": "02:00"}, None]

    saved = await put_week(
        client, as_role["employee"], LAST_WEEK, [row(hours=["8", "8", "8", "8", "8", None, None], clock=friday)]
    )
    overtime_on_saturday = await put_week(
        client,
        as_role["employee"],
        LAST_WEEK,
        [
            row(hours=["8", "8", "8", "8", "8", None, None]),
            row("simple_overtime", [None] * 5 + ["4", None], clock=saturday_night),
        ],
    )

    week = saved.json()
    assert saved.status_code == 201, saved.text
    assert week["days"][4]["ob"] == [{"item": "ob_weekday_evening", "name": "OB vardag kväll", "hours": "4.00"}]
    assert week["rows"][0]["clock"][4] == {"start": "14:00", "end": "22:00"}
    assert week["ob"] == [{"item": "ob_weekday_evening", "name": "OB vardag kväll", "hours": "4.00"}]
    assert overtime_on_saturday.json()["days"][5]["ob"] == []  # overtime is paid as overtime, not OB


async def test_changing_only_the_clock_times_is_in_the_weeks_history(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    # The OB paid is derived from the clock times: moving a shift is a change the audit trail must show;
    # saving the same week again ("4" sent, "4.00" stored) is no change.
    evening = [None, {"start": "18:00", "end": "22:00"}, None, None, None, None, None]
    later = [None, {"start": "19:00", "end": "23:00"}, None, None, None, None, None]
    hours = ["8", "4", "8", "8", "8", None, None]
    await put_week(client, as_role["employee"], LAST_WEEK, [row(hours=hours, clock=evening)])

    moved = await put_week(client, as_role["employee"], LAST_WEEK, [row(hours=hours, clock=later)])
    unchanged = await put_week(client, as_role["employee"], LAST_WEEK, [row(hours=hours, clock=later)])

    history = unchanged.json()["history"]
    assert moved.status_code == 200, moved.text
    assert [entry["action"] for entry in history] == ["created", "updated"]
    assert history[1]["before"]["rows"][0]["clock"][1] == "18:00-22:00"
    assert history[1]["after"]["rows"][0]["clock"][1] == "19:00-23:00"
    assert moved.json()["days"][1]["ob"] == [{"item": "ob_weekday_evening", "name": "OB vardag kväll", "hours": "4.00"}]


async def test_clock_times_must_fit_the_hours(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    clock = [{"start": "08:00", "end": "12:00"}, {"start": "08:10", "end": "17:00"}, None, None, None, None, None]

    response = await put_week(client, as_role["employee"], LAST_WEEK, [row(clock=clock)])

    assert {(e["field"], e["code"]) for e in problem(response)["errors"]} == {
        ("rows.0.hours.0", "time.hours_exceed_clock"),
        ("rows.0.clock.1", "time.clock_not_quarter_hour"),
    }


async def test_sick_days_mark_the_qualifying_day_of_the_spell(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    week = (
        await put_week(
            client,
            as_role["employee"],
            LAST_WEEK,
            [row(hours=["8", None, None, "8", "8", None, None]), row("sick", [None, "8", "8", None, None, None, None])],
        )
    ).json()

    assert [d["qualifying_day"] for d in week["days"]] == [False, True, False, False, False, False, False]
    assert "karensavdrag" in week["days"][1]["sick_note"]
    assert "karensdag" not in week["days"][1]["sick_note"]  # abolished in 2019
    assert week["by_code"] == [
        {"code": "work", "name": "Arbetad tid", "hours": "24.00"},
        {"code": "sick", "name": "Sjuk", "hours": "16.00"},
    ]


async def test_time_codes_come_from_the_agreement_profile(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    codes = (await client.get("/api/time/codes", headers=as_role["employee"])).json()

    assert codes["agreement_profile"] == "white_collar"
    assert [c["code"] for c in codes["codes"]] == [
        "work",
        "simple_overtime",
        "qualified_overtime",
        "mertid",
        "sick",
        "vacation",
        "vab",
        "parental_leave",
        "unpaid_leave",
    ]
    assert [d["item"] for d in codes["derived"]] == ["ob_weekday_evening", "ob_night", "ob_weekend", "ob_major_holiday"]


async def test_mertid_is_for_part_time_employees(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await put_week(client, as_role["employee"], LAST_WEEK, [row("mertid", ["2"] + [None] * 6)])

    assert [(e["field"], e["code"]) for e in problem(response)["errors"]] == [
        ("rows.0.hours.0", "time.mertid_full_time")
    ]
