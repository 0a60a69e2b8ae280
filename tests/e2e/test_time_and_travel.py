"""An employee on her phone reports a week of time, files a trip with per diem, and applies for vacation.

The figures asserted are what the backend computes (asked through the API with the same
session), and the per diem is checked against the rules in ../shared/payroll/rates-2026.md too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import api_get, login, start_two_day_trip, stockholm_today, swedish_money, swedish_number

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"
# The phone these screens are designed on (a common 6.1" phone), not the smallest one.
PHONE_390 = {**PHONE, "viewport": {"width": 390, "height": 844}}
# rates-2026.md: a full day of domestic per diem in 2026, and what a free lunch takes off it.
FULL_DAY_2026 = Decimal("300")
LUNCH_SHARE = Decimal("0.35")
# rates-2026.md: after 3 months in the same place the per diem is 70 % (210 kr a full day in 2026).
AFTER_3_MONTHS_SHARE = Decimal("0.70")


@pytest.fixture
def anna(browser: Browser, live_server: str, web_app_loads: None) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, **PHONE_390)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, ANNA)
    yield page
    context.close()


def open_section(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True).click()


def test_anna_reports_a_week_on_her_phone_and_submits_it(anna: Page) -> None:
    first_open = api_get(anna, "/api/time/weeks/first-open")
    week_number = int(first_open["week"][-2:])
    scheduled = [Decimal(day["scheduled_hours"]) for day in first_open["days"]]
    assert sum(scheduled) > 0, "the first open week should have scheduled hours"

    # "Tid" opens on the first week not yet submitted.
    open_section(anna, "Tid")
    expect(anna.get_by_role("heading", level=1)).to_have_text(f"Tid vecka {week_number}")
    expect(anna.get_by_role("navigation", name="Veckor")).to_be_visible()
    assert_accessible(anna)

    # A row: project picked by searching any level of the tree, then hours in quarter hours.
    anna.get_by_role("button", name="Lägg till rad").click()
    row = anna.locator("#time-row-0")
    row.get_by_label("Sök projekt").fill("utveckling programmering")
    row.get_by_role("button", name="Kundportal / Utveckling / Programmering").click()
    expect(row.get_by_text(re.compile("Programmering"))).not_to_have_count(0)
    expect(row.get_by_label("Tidkod")).to_have_value("work")
    hours_input = row.locator("#time-row-0-day-0")
    assert hours_input.get_attribute("inputmode") == "decimal"  # digits on a phone; a text field for "7,5"
    for day, hours in enumerate(scheduled):
        if hours:
            row.locator(f"#time-row-0-day-{day}").fill(str(hours.normalize()))
    expected = Decimal(first_open["expected_hours"])
    total = swedish_number(sum(scheduled, Decimal(0)))
    expect(anna.locator(".week-total")).to_have_text(f"Rapporterat {total} av {swedish_number(expected)} tim")

    # The "more" disclosure holds comment, support code and invoice text.
    row.get_by_text("Mer: kommentar, supportkod, fakturatext").click()
    row.get_by_label("Supportkod").fill("SUP-1")
    assert_accessible(anna)

    with anna.expect_response(lambda r: r.request.method == "PUT" and "/api/time/weeks/" in r.url) as saved:
        anna.get_by_role("button", name="Spara", exact=True).click()
    assert saved.value.status in (200, 201), saved.value.text()
    expect(anna.get_by_role("status").filter(has_text="Veckan är sparad.")).to_be_visible()

    with anna.expect_request(re.compile(r"/api/time/weeks/\d{4}-W\d{2}/submit$")) as submitted:
        anna.get_by_role("button", name="Skicka in för attest").click()
    assert re.fullmatch(r"[0-9a-f-]{36}", submitted.value.headers["idempotency-key"])
    expect(anna.get_by_role("status").filter(has_text="Veckan är inskickad för attest.")).to_be_visible()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")
    expect(anna.get_by_text("Väntar på attest av din chef.")).to_be_visible()
    # Submitted weeks are read only: no inputs, no submit button.
    expect(anna.get_by_role("button", name="Skicka in för attest")).to_have_count(0)
    expect(anna.locator("#time-row-0-day-0")).to_have_count(0)
    assert_accessible(anna)

    stored = api_get(anna, f"/api/time/weeks/{first_open['week']}")
    assert stored["state"] == "submitted"
    assert stored["rows"][0]["project"]["code"] == "P100.1.DEV"
    assert stored["rows"][0]["support_code"] == "SUP-1"
    assert Decimal(stored["total_hours"]) == sum(scheduled)


def test_a_new_travel_claim_lists_each_country_once(anna: Page) -> None:
    """Without a departure date the normalbelopp of every loaded year arrive; the list has each country once."""
    open_section(anna, "Resor")
    anna.get_by_role("link", name="Ny reseräkning").click()
    options = anna.locator("#travel-country_code option")
    expect(options.nth(2)).to_be_attached()  # Sweden, and the countries from the table
    names = options.all_inner_texts()
    assert len(names) > 2
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_anna_files_a_two_day_trip_with_a_free_lunch_and_sees_the_per_diem(anna: Page) -> None:
    monday = stockholm_today() - timedelta(days=stockholm_today().weekday(), weeks=3)
    open_section(anna, "Resor")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Resor")
    assert_accessible(anna)

    start_two_day_trip(anna, "Kundmöte", "Göteborg", monday, km=470)
    # Meals per day of the trip: lunch was provided on day 2.
    day_two = anna.get_by_role("group", name=re.compile(r"^Dag 2, "))
    day_two.get_by_label("Lunch").check()
    assert_accessible(anna)

    with anna.expect_response(lambda r: r.request.method == "PUT" and "/api/travel-claims/" in r.url) as saved:
        anna.get_by_role("button", name="Spara och räkna").click()
    assert saved.value.status == 201, saved.value.text()
    expect(anna).to_have_url(re.compile(r"/travel/claims/[0-9a-f-]{36}$"))
    claim_id = anna.url.rsplit("/", 1)[1]

    claim = api_get(anna, f"/api/travel-claims/{claim_id}")
    per_diem = Decimal(claim["totals"]["per_diem"])
    # The rules (rates-2026.md): two full days, less 35 % of a full day for the free lunch.
    assert per_diem == 2 * FULL_DAY_2026 - LUNCH_SHARE * FULL_DAY_2026
    result = anna.get_by_role("region", name="Ersättning")
    expect(result.locator(".travel-per-diem")).to_have_text(swedish_money(per_diem))
    expect(result.locator(".travel-tax-free")).to_have_text(swedish_money(claim["totals"]["tax_free"]))
    expect(result.locator(".travel-taxable")).to_have_text(swedish_money(claim["totals"]["taxable"]))
    # Each day with the rule applied and its figures.
    days = result.locator(".travel-day")
    expect(days).to_have_count(len(claim["per_diem"]["days"]))
    for index, day in enumerate(claim["per_diem"]["days"]):
        expect(days.nth(index)).to_contain_text(day["explanation"])
        expect(days.nth(index)).to_contain_text(swedish_money(day["paid"]))
    expect(days.nth(1)).to_contain_text(f"−{swedish_money(claim['per_diem']['days'][1]['meal_reduction'])}")
    assert_accessible(anna)

    anna.get_by_role("button", name="Skicka in för attest").click()
    expect(anna.get_by_role("status").filter(has_text="Reseräkningen är inskickad för attest.")).to_be_visible()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")
    assert_accessible(anna)

    anna.get_by_role("link", name="Alla resor").click()
    listed = anna.locator(".item").filter(has=anna.locator(f'a[href="/travel/claims/{claim_id}"]'))
    expect(listed).to_contain_text("Inskickad")
    expect(listed).to_contain_text(swedish_money(claim["totals"]["total"]))


def test_anna_enters_clock_times_for_an_evening_shift_and_sees_the_unsocial_hours(anna: Page) -> None:
    # Next week: a week of its own, clear of the weeks the other tests report and submit.
    today = stockholm_today()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    year, number, _ = monday.isocalendar()
    week = f"{year}-W{number:02d}"
    before = api_get(anna, f"/api/time/weeks/{week}")
    assert before["editable"]
    assert before["rows"] == []
    # An ordinary weekday (no holiday, no eve): weekday-evening OB applies 18-24 (rates-2026.md).
    day = next(
        d
        for d, info in enumerate(before["days"])
        if d < 5 and info["working_day"] and not info["holiday"] and not info["eve"]
    )

    anna.goto(f"/time/weeks/{week}")
    expect(anna.get_by_role("heading", level=1)).to_have_text(f"Tid vecka {number}")
    anna.get_by_role("button", name="Lägg till rad").click()
    row = anna.locator("#time-row-0")
    row.get_by_text("Klockslag för obekväm arbetstid (OB)").click()
    start = row.locator(f"#time-row-0-clock-{day}-start")
    end = row.locator(f"#time-row-0-clock-{day}-end")
    hours = row.locator(f"#time-row-0-day-{day}")
    note = row.locator(f"#time-row-0-clock-{day}-note")
    assert start.get_attribute("type") == "time"
    assert start.get_attribute("step") == "900"

    # A shift 16:00-22:00 fills the day's six hours; fewer hours leave a break.
    start.fill("16:00")
    end.fill("22:00")
    expect(hours).to_have_value("6")
    expect(note).to_have_text("Pass 6 tim")
    hours.fill("5.5")
    expect(note).to_have_text("Pass 6 tim, rast 0,5 tim")
    assert_accessible(anna)

    # The server refuses a time off the quarter hour; its message is at the clock times.
    start.fill("16:10")
    with anna.expect_response(lambda r: r.request.method == "PUT" and f"/api/time/weeks/{week}" in r.url) as refused:
        anna.get_by_role("button", name="Spara", exact=True).click()
    assert refused.value.status == 422, refused.value.text()
    error = row.locator(f"#time-row-0-clock-{day}-error")
    expect(error).to_have_text("Ange klockslag på hel kvart (t.ex. 07:45).")
    expect(start).to_have_attribute("aria-invalid", "true")
    assert f"time-row-0-clock-{day}-error" in (start.get_attribute("aria-describedby") or "").split()
    expect(anna.locator("#time-problems")).to_contain_text("Ange klockslag på hel kvart")

    start.fill("16:00")
    expect(hours).to_have_value("5.5")
    with anna.expect_response(lambda r: r.request.method == "PUT" and f"/api/time/weeks/{week}" in r.url) as saved:
        anna.get_by_role("button", name="Spara", exact=True).click()
    assert saved.value.status in (200, 201), saved.value.text()
    expect(anna.get_by_role("status").filter(has_text="Veckan är sparad.")).to_be_visible()

    # The API derives 4 hours of weekday-evening OB (18:00-22:00); the week shows them.
    stored = api_get(anna, f"/api/time/weeks/{week}")
    assert stored["rows"][0]["clock"][day] == {"start": "16:00", "end": "22:00"}
    assert stored["rows"][0]["hours"][day] == "5.50"
    assert stored["days"][day]["ob"] == [{"item": "ob_weekday_evening", "name": "OB vardag kväll", "hours": "4.00"}]
    assert stored["ob"] == stored["days"][day]["ob"]
    expect(anna.locator(".week-ob")).to_have_text("Obekväm arbetstid: OB vardag kväll 4 tim")
    expect(anna.locator(f"#time-day-{day}")).to_contain_text("OB vardag kväll 4 tim")
    assert_accessible(anna)

    # After a reload the clock times, hours and OB are still there.
    anna.reload()
    row = anna.locator("#time-row-0")
    expect(row.locator(f"#time-row-0-clock-{day}-start")).to_be_visible()
    expect(row.locator(f"#time-row-0-clock-{day}-start")).to_have_value("16:00")
    expect(row.locator(f"#time-row-0-clock-{day}-end")).to_have_value("22:00")
    expect(row.locator(f"#time-row-0-day-{day}")).to_have_value("5.5")
    expect(row.locator(f"#time-row-0-clock-{day}-note")).to_have_text("Pass 6 tim, rast 0,5 tim")
    expect(anna.locator(".week-ob")).to_have_text("Obekväm arbetstid: OB vardag kväll 4 tim")


def test_anna_files_a_long_stay_with_the_date_it_began_and_sees_the_reduced_per_diem(anna: Page) -> None:
    monday = stockholm_today() - timedelta(days=stockholm_today().weekday(), weeks=2)
    tuesday = monday + timedelta(days=1)
    since = monday - timedelta(days=125)  # a little over 4 months before the departure
    open_section(anna, "Resor")
    start_two_day_trip(anna, "Konsultuppdrag", "Sundsvall", monday, km=390)

    # Not a long stay: no date asked for. A long stay: the date it began is required.
    since_input = anna.get_by_label("På samma ort sedan")
    expect(since_input).to_have_count(0)
    anna.get_by_label("Lång tjänsteresa").select_option("after_3_months")
    expect(since_input).to_be_visible()
    expect(since_input).to_have_attribute("type", "date")
    expect(since_input).to_have_attribute("required", "")
    anna.get_by_role("button", name="Spara och räkna").click()
    expect(anna.locator("#travel-same_place_since-error")).to_have_text("Ange datumet då vistelsen på orten började.")
    expect(since_input).to_be_focused()
    expect(since_input).to_have_attribute("aria-invalid", "true")
    assert "travel-same_place_since-error" in (since_input.get_attribute("aria-describedby") or "").split()
    expect(anna).to_have_url(re.compile(r"/travel/claims/new$"))

    # A stay that begins after the departure: the server's message is at the date, not at the select.
    since_input.fill(tuesday.isoformat())
    with anna.expect_response(lambda r: r.request.method == "PUT" and "/api/travel-claims/" in r.url) as refused:
        anna.get_by_role("button", name="Spara och räkna").click()
    assert refused.value.status == 422, refused.value.text()
    expect(anna.locator("#travel-same_place_since-error")).to_have_text("Vistelsen kan inte börja efter avresan.")
    assert "travel-same_place_since-error" in (since_input.get_attribute("aria-describedby") or "").split()
    expect(anna.locator("#travel-long_stay-error")).to_have_count(0)

    since_input.fill(since.isoformat())
    expect(anna.locator("#travel-same_place_since-effect")).to_contain_text("Traktamentet blir 70 % från")
    assert_accessible(anna)
    with anna.expect_response(lambda r: r.request.method == "PUT" and "/api/travel-claims/" in r.url) as saved:
        anna.get_by_role("button", name="Spara och räkna").click()
    assert saved.value.status == 201, saved.value.text()
    sent = saved.value.request.post_data_json
    assert sent is not None
    assert sent["same_place_since"] == since.isoformat()
    expect(anna).to_have_url(re.compile(r"/travel/claims/[0-9a-f-]{36}$"))
    claim_id = anna.url.rsplit("/", 1)[1]

    claim = api_get(anna, f"/api/travel-claims/{claim_id}")
    assert claim["same_place_since"] == since.isoformat()
    # The rules (rates-2026.md): two full days at 70 % after 3 months in the same place, 2 x 210 kr.
    per_diem = Decimal(claim["totals"]["per_diem"])
    assert per_diem == 2 * FULL_DAY_2026 * AFTER_3_MONTHS_SHARE == Decimal("420")
    assert [d["long_stay"] for d in claim["per_diem"]["days"]] == ["after_3_months", "after_3_months"]
    result = anna.get_by_role("region", name="Ersättning")
    expect(result.locator(".travel-per-diem")).to_have_text(swedish_money(per_diem))
    days = result.locator(".travel-day")
    expect(days).to_have_count(2)
    for index, day in enumerate(claim["per_diem"]["days"]):
        assert Decimal(day["paid"]) == FULL_DAY_2026 * AFTER_3_MONTHS_SHARE
        expect(days.nth(index)).to_contain_text(day["explanation"])
        expect(days.nth(index)).to_contain_text("efter 3 månader på samma ort (70 %)")
        expect(days.nth(index)).to_contain_text(swedish_money(day["paid"]))

    # The date is kept with the claim.
    anna.reload()
    expect(anna.get_by_label("På samma ort sedan")).to_have_value(since.isoformat())
    expect(anna.get_by_label("Lång tjänsteresa")).to_have_value("after_3_months")
    assert_accessible(anna)


def test_anna_applies_for_vacation_and_sees_the_days_she_has_left(anna: Page) -> None:
    # Monday to Wednesday, four weeks ahead.
    monday = stockholm_today() - timedelta(days=stockholm_today().weekday()) + timedelta(weeks=4)
    wednesday = monday + timedelta(days=2)
    open_section(anna, "Ledighet")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Ledighet")
    before = api_get(anna, f"/api/leave/balance?year={monday.year}")
    assert_accessible(anna)

    anna.get_by_role("link", name="Ansök om ledighet").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Ny ansökan om ledighet")
    expect(anna.get_by_label("Typ av ledighet")).to_have_value("vacation")
    anna.get_by_label("Första dagen").fill(monday.isoformat())
    anna.get_by_label("Sista dagen").fill(wednesday.isoformat())
    expect(anna.locator(".leave-remaining")).to_have_text(f"{swedish_number(before['remaining'])} dagar")
    # Before sending, the form says how many working days the dates take (holidays left out).
    counted = api_get(anna, f"/api/leave/working-days?first_day={monday.isoformat()}&last_day={wednesday.isoformat()}")
    days = swedish_number(counted["days"])
    expect(anna.locator(".leave-working-days")).to_have_text(f"Arbetsdagar: {days} {'dag' if days == '1' else 'dagar'}")
    assert_accessible(anna)

    with anna.expect_response(lambda r: r.url.endswith("/submit")) as submitted:
        anna.get_by_role("button", name="Skicka in för attest").click()
    assert submitted.value.status == 200, submitted.value.text()
    request = submitted.value.json()
    assert request["days"] == counted["days"]
    expect(anna.get_by_role("status").filter(has_text="Ansökan är inskickad för attest.")).to_be_visible()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")
    after = api_get(anna, f"/api/leave/balance?year={monday.year}")
    assert Decimal(after["pending"]) == Decimal(before["pending"]) + Decimal(request["days"])
    assert Decimal(after["remaining"]) == Decimal(before["remaining"]) - Decimal(request["days"])
    expect(anna.locator(".leave-remaining")).to_have_text(f"{swedish_number(after['remaining'])} dagar")
    history = anna.get_by_role("region", name="Händelser")
    expect(history).to_contain_text("Skickade in för attest")
    expect(history).not_to_contain_text("räkningen")  # a leave request is not a claim
    assert_accessible(anna)

    anna.get_by_role("link", name="All ledighet").click()
    listed = anna.locator(".item").filter(has=anna.locator(f'a[href="/leave/{request["id"]}"]'))
    expect(listed).to_contain_text("Inskickad")
    expect(listed).to_contain_text(f"{swedish_number(request['days'])} dagar")


def test_the_payslip_links_a_week_waiting_for_attest_to_that_week(anna: Page) -> None:
    payslip = api_get(anna, "/api/payslips/preliminary")
    week_item = next(line for line in payslip["pending"] if line["kind"] == "time_week")
    week = api_get(anna, f"/api/time/weeks/{week_item['item_id']}")

    open_section(anna, "Lön")
    link = anna.locator(f'a[href="/time/weeks/{week_item["item_id"]}"]')
    link.click()

    expect(anna.get_by_role("heading", level=1)).to_have_text(f"Tid vecka {int(week['week'][-2:])}")
    expect(anna.locator(".page-title .badge")).to_have_text(
        {"submitted": "Inskickad", "approved": "Attesterad", "returned": "Tillbakaskickad", "draft": "Utkast"}[
            week["state"]
        ]
    )
    assert_accessible(anna)
