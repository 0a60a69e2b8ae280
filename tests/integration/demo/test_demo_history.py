"""The demo's history (time weeks, vacation, travel claims) is consistent with the rules the API applies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import AttestItem, Employee, Organisation, TimeEntry, TimeRow, TimeWeek
from backend.demo.seed import seed_demo
from backend.domain.rates import agreement_profile
from backend.domain.time.codes import reportable_codes
from backend.domain.time.rules import week_violations
from backend.domain.time.schedule import week_schedule
from backend.domain.time.weeks import days_of
from backend.time.loading import employment_terms, reported_rows
from tests.conftest import ANNA, LENA, MARIA, cheap_demo_hash, login


@pytest.fixture
async def history_client(
    engine: AsyncEngine, settings: Settings, clock: FixedClock
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    await seed_demo(session_maker(engine), clock.today(), employees=25, password_hash=cheap_demo_hash(), history=True)
    async with AsyncTestClient(app=create_app(settings, clock), base_url="http://localhost") as client:
        yield client


async def test_the_demo_opens_on_last_week_with_older_weeks_submitted_and_approved(
    history_client: AsyncTestClient[Litestar],
) -> None:
    anna = await login(history_client, ANNA)

    first_open = (await history_client.get("/api/time/weeks/first-open", headers=anna)).json()
    weeks = {w["week"]: w["state"] for w in (await history_client.get("/api/time/weeks", headers=anna)).json()}
    balance = (await history_client.get("/api/leave/balance", headers=anna)).json()
    inbox = (await history_client.get("/api/attest/inbox", headers=await login(history_client, MARIA))).json()

    assert first_open["week"] == "2026-W47"
    assert weeks["2026-W46"] == "submitted"
    assert weeks["2026-W45"] == "approved"
    september = (await history_client.get("/api/time/weeks/2026-W38", headers=anna)).json()
    assert september["state"] == "locked"  # September's week, settled by October's run (time is paid in arrears)
    # Across September and October: October's run paid its September days and locked it; the
    # rest is paid by the run that settles October (tests/integration/payslips/test_weeks_across_months.py).
    assert weeks["2026-W40"] == "locked"
    assert balance["approved"] == "5.00"
    assert balance["remaining"] == "20.00"
    assert {i["kind"] for i in inbox["items"]} >= {"time_week", "travel_claim"}


async def test_the_demo_travel_claims_are_the_worked_examples(history_client: AsyncTestClient[Litestar]) -> None:
    anna = await login(history_client, ANNA)

    claims = (await history_client.get("/api/travel-claims", headers=anna)).json()
    paid = next(c for c in claims if c["state"] == "locked")  # approved, then paid by October's run
    detail = (await history_client.get(f"/api/travel-claims/{paid['id']}", headers=anna)).json()
    abroad = next(c for c in claims if c["country_code"] == "DE")
    table = (await history_client.get("/api/travel/normalbelopp", headers=anna)).json()

    assert detail["per_diem"]["tax_free"] == "645.00"
    assert detail["mileage"]["tax_free"] == "780.00"
    assert abroad["state"] == "draft"
    assert all("EXEMPEL" in row["country_name"] for row in table)


async def test_every_seeded_week_keeps_the_week_rules(
    history_client: AsyncTestClient[Litestar], engine: AsyncEngine
) -> None:
    async with session_maker(engine)() as session:
        organisation = (await session.execute(select(Organisation))).scalars().one()
        codes = reportable_codes(agreement_profile(organisation.agreement_profile))
        weeks = list((await session.execute(select(TimeWeek))).scalars())
        rows = list((await session.execute(select(TimeRow))).scalars())
        entries = list((await session.execute(select(TimeEntry))).scalars())
        employees = {e.id: e for e in (await session.execute(select(Employee))).scalars()}
        items = {
            i.subject_id: i
            for i in (await session.execute(select(AttestItem).where(col(AttestItem.kind) == "time_week"))).scalars()
        }
        problems = []
        for week in weeks:
            days = days_of(week.week_start)
            schedule = week_schedule(days, await employment_terms(session, employees[week.employee_id], days))
            reported = reported_rows(
                [r for r in rows if r.week_id == week.id], [e for e in entries if e.week_id == week.id], week.week_start
            )
            problems += [(week.week_start, v.code) for v in week_violations(reported, schedule, codes)]
            assert items[week.id].hours == sum((e.hours for e in entries if e.week_id == week.id), start=0)
    assert len(weeks) > 200
    assert problems == []
    assert max(w.week_start for w in weeks) == date(2026, 11, 9)  # week 46; week 47 is left to report


async def test_the_demo_has_paid_this_years_past_months_and_previews_the_current_one(
    history_client: AsyncTestClient[Litestar],
) -> None:
    anna = await login(history_client, ANNA)

    listed = (await history_client.get("/api/payslips", headers=anna)).json()
    preliminary = (await history_client.get("/api/payslips/preliminary", headers=anna)).json()

    assert [(p["period"], p["preliminary"]) for p in listed] == [("2026-11", True)] + [
        (f"2026-{m:02d}", False) for m in range(10, 0, -1)
    ]
    assert preliminary["period"] == "2026-11"
    assert preliminary["year_to_date"]["gross_pay"] != "0.00"


async def test_the_demos_paid_months_are_what_the_engine_computes_for_them(
    history_client: AsyncTestClient[Litestar],
) -> None:
    """Real history: salaries from the terms in force each month, hourly staff paid their reported hours."""
    lena = await login(history_client, LENA)
    anna = await login(history_client, ANNA)

    runs = (await history_client.get("/api/payroll/pay-runs", headers=lena)).json()
    paid = [p for p in (await history_client.get("/api/payslips", headers=anna)).json() if not p["preliminary"]]
    october = (await history_client.get("/api/payslips/preliminary", params={"period": "2026-10"}, headers=anna)).json()
    overview = (await history_client.get("/api/payroll/overview", params={"period": "2026-10"}, headers=lena)).json()
    hourly = [r for r in overview["rows"] if r["employee_name"] == "Elias Wikström"]

    assert len(runs) == 10
    assert all(Decimal(run["gross_pay"]) > 1_000_000 for run in runs)  # 25 people, none paid 0 kr
    assert {p["period"]: p["gross_pay"] for p in paid if p["period"] in ("2026-03", "2026-04")} == {
        "2026-03": "39600.00",  # 42 000 kr from 1 April, the yearly revision; 39 600 before it
        "2026-04": "42000.00",
    }
    assert Decimal(october["year_to_date"]["gross_pay"]) == sum(Decimal(p["gross_pay"]) for p in paid)
    assert not any("0 kr →" in w["message"] for w in october["warnings"])
    assert [Decimal(r["gross_pay"]) > 0 for r in hourly] == [True]  # hourly: paid last month's reported hours
    assert overview["finalised"] is True


async def test_the_demo_starts_with_the_old_payslip_notices_read(history_client: AsyncTestClient[Litestar]) -> None:
    anna = await login(history_client, ANNA)

    notices = (await history_client.get("/api/notifications", headers=anna)).json()
    unread = (await history_client.get("/api/notifications/unread-count", headers=anna)).json()

    assert any(n["url"].startswith("/payslip") for n in notices["items"])
    assert unread["unread"] == 0
