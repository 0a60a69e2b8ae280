"""A manager attests on her phone: one inbox, an item's detail, approve or return, in bulk; archive, insight, substitutes.

Anna's claims are made and submitted through the API (the expense screens have their own
tests); everything the manager does goes through the app at phone size.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import (
    MONTHS_SV,
    api_get,
    api_session,
    csrf_token,
    inbox_item,
    login,
    new_phone,
    open_inbox,
    stockholm_today,
    submit_parking_claim,
    swedish_money,
    swedish_number,
)

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"
MARIA = "maria.berg@demo.se"  # Anna's manager
GUSTAV = "gustav.oberg@demo.se"  # in Maria's team
ITEM_URL = re.compile(r"/attest/items/[0-9a-f-]{36}$")
RECEIPT = Path(__file__).resolve().parents[2] / ".." / "shared" / "receipts" / "synthetic-sv" / "sv-dev-001.jpg"
READ_TIMEOUT_S = 90


@pytest.fixture
def anna(phone: Page) -> Page:
    login(phone, ANNA)
    return phone


@pytest.fixture
def maria(browser: Browser, live_server: str, web_app_loads: None) -> Iterator[Page]:
    page = new_phone(browser, live_server)
    login(page, MARIA)
    yield page
    page.context.close()


def row(page: Page, title: str) -> Locator:
    found = page.locator(".attest-item").filter(has_text=title)
    expect(found).to_have_count(1)
    return found


def test_maria_approves_annas_claim_on_her_phone_and_anna_sees_it_approved(anna: Page, maria: Page) -> None:
    claim_id = submit_parking_claim(anna.context, "Q-Park Odenplan", "87.50")

    open_inbox(maria)
    # The deadline that matters, in words: attest by the cut-off to reach that month's pay.
    expect(maria.get_by_role("note", name="Brytdatum")).to_contain_text(
        re.compile(r"Attestera senast \d{1,2} \w+ för att nå \w+lönen\.")
    )
    claim = row(maria, "Parkering Q-Park Odenplan")
    expect(claim).to_contain_text("Anna Andersson")
    expect(claim).to_contain_text("Utlägg")
    expect(claim).to_contain_text("87,50\u00a0kr")
    expect(claim.get_by_role("checkbox")).to_have_accessible_name(
        "Välj Anna Andersson, Utlägg, Parkering Q-Park Odenplan, 87,50\u00a0kr"
    )
    assert_accessible(maria)

    claim.get_by_role("link").click()
    expect(maria).to_have_url(ITEM_URL)
    expect(maria.get_by_role("heading", level=1)).to_have_text("Parkering Q-Park Odenplan")
    expense = maria.get_by_role("listitem").filter(has=maria.get_by_role("heading", name="Q-Park Odenplan"))
    expect(expense).to_contain_text("Betalat i parkeringsautomat utan kvitto.")
    history = maria.get_by_role("region", name="Händelser")
    expect(history).to_contain_text("Anna Andersson: Skickade in för attest")
    assert_accessible(maria)

    maria.get_by_role("button", name="Attestera", exact=True).click()
    approved = re.compile(
        r"Attesterad: Parkering Q-Park Odenplan \(Anna Andersson\)\. Kommer med på lönen för \w+ \d{4}\."
    )
    expect(maria.get_by_role("status").filter(has_text=approved)).to_be_visible()

    anna.goto(f"/expenses/claims/{claim_id}")
    expect(anna.locator(".page-title .badge")).to_have_text("Attesterad")
    expect(anna.get_by_role("region", name="Händelser")).to_contain_text("Maria Berg: Attesterade")


def test_maria_approves_several_at_once_and_sees_what_happened_to_each(
    anna: Page, maria: Page, browser: Browser, live_server: str
) -> None:
    titles = ["Parkering Bulk Ett", "Parkering Bulk Två", "Parkering Bulk Tre"]
    claim_ids = [submit_parking_claim(anna.context, title.removeprefix("Parkering "), "50.00") for title in titles]

    open_inbox(maria)
    maria.get_by_label("Typ").select_option(label="Utlägg")
    expect(maria).to_have_url(re.compile(r"/attest\?kind=expense_claim$"))
    for title in titles:
        row(maria, title).get_by_role("checkbox").check()
    bar = maria.locator(".attest-bar")
    expect(bar).to_contain_text("3 poster valda, summa 150,00\u00a0kr")

    # Meanwhile the third is approved elsewhere (Maria's other device): the bulk must say so, not fail.
    elsewhere = api_session(browser, live_server, MARIA)
    try:
        item = inbox_item(elsewhere, claim_ids[2])
        answer = elsewhere.request.post(
            f"/api/attest/items/{item['id']}/approve",
            data={"version": item["version"]},
            headers={"X-CSRF-Token": csrf_token(elsewhere)},
        )
        assert answer.ok, answer.text()
    finally:
        elsewhere.close()

    with maria.expect_request(re.compile(r"/api/attest/decisions$")) as sent:
        bar.get_by_role("button", name="Attestera 3 valda").click()
    assert re.fullmatch(r"[0-9a-f-]{36}", sent.value.headers["idempotency-key"])

    summary = maria.locator("#attest-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("2 attesterade, 1 kunde inte attesteras")
    expect(summary.locator(".outcome--ok")).to_have_count(2)
    expect(summary.locator(".outcome--ok").first).to_contain_text("attesterad, kommer med på lönen för")
    failed = summary.locator(".outcome--failed")
    expect(failed).to_contain_text("Anna Andersson, Parkering Bulk Tre: någon annan hann före.")
    for title in titles:
        expect(maria.locator(".attest-item").filter(has_text=title)).to_have_count(0)
    assert_accessible(maria)


def test_the_receipt_is_shown_on_request_and_can_be_zoomed(anna: Page, maria: Page) -> None:
    if not RECEIPT.is_file():
        pytest.skip(f"The shared receipts are not here ({RECEIPT}): they live outside the repository, in ../shared")
    headers = {"X-CSRF-Token": csrf_token(anna.context)}
    expense_id, claim_id = str(uuid4()), str(uuid4())
    upload = anna.request.post(
        "/api/receipts",
        multipart={
            "file": {"name": RECEIPT.name, "mimeType": "image/jpeg", "buffer": RECEIPT.read_bytes()},
            "expense_id": expense_id,
        },
        headers=headers,
    )
    assert upload.status == 201, upload.text()
    receipt_id = upload.json()["id"]
    # Let interpretation finish first: it fills only empty fields, but should not race the ones set below.
    deadline = time.monotonic() + READ_TIMEOUT_S
    while anna.request.get(f"/api/receipts/{receipt_id}").json()["state"] in ("queued", "interpreting"):
        assert time.monotonic() < deadline, "the receipt was not read in time"
        anna.wait_for_timeout(500)
    expense = {
        "receipt_id": receipt_id,
        "expense_date": stockholm_today().isoformat(),
        "merchant": "Kvittokaféet",
        "amount": "89.83",
        "category": "meal",
        "comment": "Lunch med kvitto.",
    }
    assert anna.request.put(f"/api/expenses/{expense_id}", data=expense, headers=headers).ok
    claim = {"title": "Lunch Kvittokaféet", "expense_ids": [expense_id]}
    assert anna.request.put(f"/api/expense-claims/{claim_id}", data=claim, headers=headers).ok
    assert anna.request.post(f"/api/expense-claims/{claim_id}/submit", headers=headers).ok

    open_inbox(maria)
    row(maria, "Lunch Kvittokaféet").get_by_role("link").click()
    image = maria.get_by_role("img", name="Bild av kvittot")
    expect(image).to_have_count(0)  # fetched only when asked for: the inbox stays fast on a phone
    maria.get_by_text("Visa kvittot").click()
    expect(image).to_be_visible()
    assert maria.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    maria.get_by_role("button", name="Zooma in").click()
    expect(maria.locator(".receipt-viewer__zoom")).to_have_text("150 %")
    assert_accessible(maria)


def test_select_all_selects_every_item_shown(maria: Page) -> None:
    open_inbox(maria)
    items = maria.locator(".attest-item")
    expect(items.first).to_be_visible()
    count = items.count()
    maria.get_by_label(f"Välj alla ({count})").check()
    expect(maria.locator(".attest-item input[type=checkbox]:checked")).to_have_count(count)
    expect(maria.locator(".attest-bar").get_by_role("button")).to_have_text(f"Attestera {count} valda")
    maria.get_by_label(f"Välj alla ({count})").uncheck()
    expect(maria.locator(".attest-item input[type=checkbox]:checked")).to_have_count(0)


def test_a_swipe_to_the_left_opens_the_item_like_a_tap(anna: Page, maria: Page) -> None:
    submit_parking_claim(anna.context, "Svep Garage", "30.00")
    open_inbox(maria)
    target = row(maria, "Parkering Svep Garage")
    box = target.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    start, end = box["x"] + box["width"] - 20, box["x"] + box["width"] - 140
    touch = {"pointerType": "touch", "pointerId": 7, "isPrimary": True, "clientY": y}
    target.dispatch_event("pointerdown", {**touch, "clientX": start})
    target.dispatch_event("pointermove", {**touch, "clientX": (start + end) / 2})
    target.dispatch_event("pointermove", {**touch, "clientX": end})
    target.dispatch_event("pointerup", {**touch, "clientX": end})
    expect(maria).to_have_url(ITEM_URL)
    expect(maria.get_by_role("heading", level=1)).to_have_text("Parkering Svep Garage")


def test_returning_needs_a_reason_and_the_form_says_why(anna: Page, maria: Page) -> None:
    claim_id = submit_parking_claim(anna.context, "Retur Parkering", "64.00")
    open_inbox(maria)
    row(maria, "Parkering Retur Parkering").get_by_role("link").click()
    expect(maria).to_have_url(ITEM_URL)

    maria.get_by_role("button", name="Skicka tillbaka").click()
    reason = maria.get_by_label("Anledning")
    expect(reason).to_be_focused()
    expect(reason).to_have_accessible_description(re.compile("Anledningen krävs: Anna ser den"))
    maria.get_by_role("button", name="Skicka tillbaka").click()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_be_focused()
    expect(maria.locator("#attest-reason-error")).to_have_text("Skriv varför du skickar tillbaka posten.")
    assert_accessible(maria)

    reason.fill("Kvitto saknas: ladda upp en bild på parkeringsbiljetten.")
    maria.get_by_role("button", name="Skicka tillbaka").click()
    expect(
        maria.get_by_role("status").filter(has_text="Skickad tillbaka: Parkering Retur Parkering (Anna Andersson).")
    ).to_be_visible()

    anna.goto(f"/expenses/claims/{claim_id}")
    expect(anna.locator(".page-title .badge")).to_have_text("Tillbakaskickad")
    expect(anna.get_by_role("region", name="Räkningen skickades tillbaka")).to_contain_text(
        "Kvitto saknas: ladda upp en bild på parkeringsbiljetten."
    )


def test_the_archive_finds_decided_items_by_employee_and_decision(
    anna: Page, maria: Page, browser: Browser, live_server: str
) -> None:
    claim_id = submit_parking_claim(anna.context, "Arkiv Parkering", "40.00")
    manager = api_session(browser, live_server, MARIA)
    try:
        item = inbox_item(manager, claim_id)
        assert manager.request.post(
            f"/api/attest/items/{item['id']}/approve", headers={"X-CSRF-Token": csrf_token(manager)}
        ).ok
    finally:
        manager.close()

    open_inbox(maria)
    maria.get_by_role("navigation", name="Attest").get_by_role("link", name="Arkiv").click()
    expect(maria.get_by_role("heading", level=1)).to_have_text("Arkiv")
    maria.get_by_label("Anställd").select_option(label="Anna Andersson")
    maria.get_by_label("Beslut", exact=True).select_option(label="Attesterad")
    maria.get_by_label("Typ").select_option(label="Utlägg")
    expect(maria).to_have_url(re.compile(r"kind=expense_claim"))
    found = maria.locator(".item").filter(has_text="Parkering Arkiv Parkering")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("Maria Berg")
    expect(found).to_contain_text("Attesterad")
    assert_accessible(maria)

    found.get_by_role("link").click()
    expect(maria.get_by_role("heading", level=1)).to_have_text("Parkering Arkiv Parkering")
    expect(maria.get_by_role("button", name="Attestera", exact=True)).to_have_count(0)
    expect(maria.get_by_role("region", name="Händelser")).to_contain_text("Maria Berg: Attesterade")


def test_insight_shows_lead_times_per_manager_as_a_chart_with_its_values(maria: Page) -> None:
    open_inbox(maria)
    maria.get_by_role("navigation", name="Attest").get_by_role("link", name="Ledtider").click()
    expect(maria.get_by_role("heading", level=1)).to_have_text("Ledtider")
    overall = maria.get_by_role("region", name=re.compile("^Totalt"))
    expect(overall).to_contain_text("Median")
    expect(overall).to_contain_text("90:e percentilen")
    managers = maria.get_by_role("region", name="Per chef")
    expect(
        managers.get_by_role("img", name=re.compile(r"^Maria Berg.*median .*dagar, 90:e percentilen .*dagar$"))
    ).to_be_visible()
    expect(managers.get_by_role("table")).to_contain_text("Maria Berg")
    assert_accessible(maria)

    maria.get_by_label("Väntat längre än (dagar)").fill("3")
    maria.get_by_role("button", name="Visa").click()
    expect(maria).to_have_url(re.compile(r"limit=3"))
    expect(overall).to_contain_text("Väntar mer än 3 dagar")


def test_maria_names_a_substitute_who_then_sees_her_teams_items_and_ends_it(
    anna: Page, maria: Page, browser: Browser, live_server: str
) -> None:
    submit_parking_claim(anna.context, "Ersättare Garage", "25.00")
    open_inbox(maria)
    maria.get_by_role("navigation", name="Attest").get_by_role("link", name="Ersättare").click()
    expect(maria.get_by_role("heading", level=1)).to_have_text("Ersättare")
    assert_accessible(maria)

    # Without a person, the form says what is missing next to the field.
    maria.get_by_role("button", name="Lägg till ersättare").click()
    substitute = maria.get_by_label("Ersättare", exact=True)
    expect(substitute).to_be_focused()
    expect(maria.locator("#delegation-substitute_employee_id-error")).to_have_text("Välj vem som ska vara ersättare.")

    substitute.select_option(label="Gustav Öberg")
    maria.get_by_role("button", name="Lägg till ersättare").click()
    expect(maria.get_by_role("status").filter(has_text="Gustav Öberg är ersättare")).to_be_visible()
    current = maria.get_by_role("region", name="Aktuella och kommande")
    expect(current).to_contain_text("Gustav Öberg är din ersättare")
    expect(current).to_contain_text("Aktiv nu")

    gustav = new_phone(browser, live_server)
    try:
        login(gustav, GUSTAV)
        # Acting for Maria, he has her inbox: the menu offers it (he is no manager himself).
        gustav.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Attestera").click()
        expect(row(gustav, "Parkering Ersättare Garage")).to_contain_text("för Maria Berg")
        assert_accessible(gustav)
    finally:
        gustav.context.close()

    current.get_by_role("button", name=re.compile(r"^Avsluta\W+Gustav Öberg$")).click()
    expect(maria.get_by_role("status").filter(has_text="Gustav Öberg är inte längre ersättare.")).to_be_visible()
    expect(current).to_contain_text("Inga aktuella ersättare.")


# --- what each kind of item shows ------------------------------------------------------------------


def _put_and_submit(page: Page, path: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"X-CSRF-Token": csrf_token(page.context)}
    saved = page.request.put(path, data=body, headers=headers)
    assert saved.ok, saved.text()
    submitted = page.request.post(f"{path}/submit", headers=headers)
    assert submitted.ok, submitted.text()
    return dict(submitted.json())


def submit_trip(anna: Page) -> dict[str, Any]:
    """A two-day trip a week ago: a meal-reduced second day, one mileage leg and a hotel expense, submitted."""
    departure = stockholm_today() - timedelta(days=8)
    home = departure + timedelta(days=1)
    expense_id = str(uuid4())
    expense = {
        "expense_date": departure.isoformat(),
        "merchant": "Hotell Detaljvyn",
        "amount": "1180.00",
        "category": "hotel",
        "comment": "Kvittot skickas från hotellet.",
    }
    headers = {"X-CSRF-Token": csrf_token(anna.context)}
    assert anna.request.put(f"/api/expenses/{expense_id}", data=expense, headers=headers).ok
    trip = {
        "departure_at": f"{departure.isoformat()}T06:30:00",
        "return_at": f"{home.isoformat()}T20:00:00",
        "purpose": "Kundmöte detaljvy",
        "destination": "Gävle",
        "distance_from_home_km": "180",
        "distance_from_workplace_km": "175",
        "lodging_paid_by_employer": True,
        "meals": [{"date": home.isoformat(), "breakfast": True, "lunch": True}],
        "mileage": [
            {"date": departure.isoformat(), "from_place": "Stockholm", "to_place": "Gävle", "distance_km": "176"}
        ],
        "expense_ids": [expense_id],
    }
    return _put_and_submit(anna, f"/api/travel-claims/{uuid4()}", trip)


def submit_vacation(anna: Page) -> dict[str, Any]:
    """Tuesday to Thursday six weeks ahead (other tests apply for other weeks)."""
    tuesday = stockholm_today() - timedelta(days=stockholm_today().weekday()) + timedelta(weeks=6, days=1)
    body = {
        "first_day": tuesday.isoformat(),
        "last_day": (tuesday + timedelta(days=2)).isoformat(),
        "kind": "vacation",
        "comment": "Skidresa med familjen.",
    }
    return _put_and_submit(anna, f"/api/leave/requests/{uuid4()}", body)


def annas_waiting_week(anna: Page, maria: Page) -> str:
    """Anna's week waiting for Maria (the demo has one); else her first open week, reported and submitted now."""

    def waiting() -> list[dict[str, Any]]:
        inbox = api_get(maria, "/api/attest/inbox?kind=time_week&limit=1000")
        return [item for item in inbox["items"] if item["employee"]["name"] == "Anna Andersson"]

    if not waiting():
        week = api_get(anna, "/api/time/weeks/first-open")
        hours = [day["scheduled_hours"] if Decimal(day["scheduled_hours"]) else None for day in week["days"]]
        body = {"rows": [{"code": "work", "hours": hours, "comment": "Workshop med kund."}]}
        _put_and_submit(anna, f"/api/time/weeks/{week['week']}", body)
    return str(waiting()[0]["subject_id"])


def open_item(maria: Page, subject_id: str) -> dict[str, Any]:
    """Open Anna's item (a week, a trip, a request) from the inbox; returns it as the API gives it, with its detail."""
    inbox = api_get(maria, "/api/attest/inbox?limit=1000")
    title = next(item["title"] for item in inbox["items"] if item["subject_id"] == subject_id)
    open_inbox(maria)
    found = maria.locator(".attest-item").filter(has_text=title).filter(has_text="Anna Andersson")
    expect(found).to_have_count(1)
    found.get_by_role("link").click()
    expect(maria).to_have_url(ITEM_URL)
    expect(maria.get_by_role("heading", level=1)).to_have_text(title)
    return dict(api_get(maria, f"/api/attest/items/{maria.url.rsplit('/', 1)[1]}"))


def hours_text(value: str | None) -> str:
    """Hours in a table cell as the app shows them ("7,5"), or nothing for an empty day."""
    return swedish_number(value) if value and Decimal(value) else ""


def long_date(day: str) -> str:
    """ "2027-01-12" as "12 januari 2027"."""
    parsed = date.fromisoformat(day)
    return f"{parsed.day} {MONTHS_SV[parsed.month - 1]} {parsed.year}"


def test_maria_sees_the_content_of_a_week_a_trip_and_a_leave_request(anna: Page, maria: Page) -> None:
    trip = submit_trip(anna)
    vacation = submit_vacation(anna)
    week_id = annas_waiting_week(anna, maria)

    # The week: its figures against the schedule, and every row's hours day by day.
    week = open_item(maria, week_id)["detail"]
    summary = maria.get_by_role("region", name=re.compile(rf"^Vecka {int(week['week'][-2:])}, "))
    expect(summary.locator(".week-reported")).to_have_text(f"{swedish_number(week['total_hours'])} tim")
    expect(summary.locator(".week-expected")).to_have_text(f"{swedish_number(week['expected_hours'])} tim")
    table = maria.get_by_role("table", name=re.compile("^Veckans rader, timmar per dag"))
    expect(table.get_by_role("columnheader")).to_have_count(9)
    expect(table.get_by_role("columnheader").nth(1)).to_have_text(re.compile(r"^mån \d+måndag \d+ \w+$"))
    body_rows = table.locator("tbody tr")
    expect(body_rows).to_have_count(len(week["rows"]))
    for index, expected in enumerate(week["rows"]):
        shown = body_rows.nth(index)
        name = expected["project"]["name"] if expected["project"] else expected["code_name"]
        expect(shown.get_by_role("rowheader")).to_contain_text(name)
        expect(shown.get_by_role("rowheader")).to_contain_text(f"Tidkod: {expected['code_name']}")
        cells = [hours_text(value) for value in expected["hours"]] + [swedish_number(expected["total"])]
        expect(shown.get_by_role("cell")).to_have_text(cells)
    totals = table.locator("tfoot tr")
    expect(totals.get_by_role("rowheader")).to_have_text("Summa per dag")
    expect(totals.get_by_role("cell").last).to_have_text(swedish_number(week["total_hours"]))
    assert sum(Decimal(row["total"]) for row in week["rows"]) == Decimal(week["total_hours"])
    assert_accessible(maria)

    # The trip: its facts, the totals split into tax-free and taxable, and per diem day by day.
    shown_trip = open_item(maria, trip["id"])["detail"]
    assert shown_trip["totals"] == trip["totals"]
    facts = maria.get_by_role("region", name="Resan")
    expect(facts).to_contain_text("Kundmöte detaljvy")
    expect(facts).to_contain_text("Hotell Detaljvyn")
    expect(facts).to_contain_text(swedish_money(trip["expenses"][0]["amount_sek"]))
    result = maria.get_by_role("region", name="Ersättning")
    expect(result.locator(".travel-per-diem")).to_have_text(swedish_money(trip["totals"]["per_diem"]))
    expect(result.locator(".claim-total")).to_have_text(swedish_money(trip["totals"]["total"]))
    expect(result.locator(".travel-tax-free")).to_have_text(swedish_money(trip["totals"]["tax_free"]))
    expect(result.locator(".travel-taxable")).to_have_text(swedish_money(trip["totals"]["taxable"]))
    days = result.get_by_role("region", name="Traktamente dag för dag").locator(".travel-day")
    expect(days).to_have_count(len(trip["per_diem"]["days"]))
    for index, day in enumerate(trip["per_diem"]["days"]):
        expect(days.nth(index).locator(".travel-day__explanation")).to_have_text(day["explanation"])
        expect(days.nth(index).locator(".travel-day__head")).to_contain_text(swedish_money(day["paid"]))
    expect(days.nth(1)).to_contain_text(f"−{swedish_money(trip['per_diem']['days'][1]['meal_reduction'])}")
    legs = result.get_by_role("region", name="Milersättning sträcka för sträcka").locator(".travel-day")
    leg = trip["mileage"]["legs"][0]
    expect(legs).to_have_count(1)
    expect(legs.first).to_contain_text("Stockholm – Gävle")
    expect(legs.first.locator(".travel-day__explanation")).to_have_text(leg["explanation"])
    expect(legs.first).to_contain_text(f"Skattefritt{swedish_money(leg['tax_free'])}")
    expect(legs.first).to_contain_text(f"Skattepliktigt{swedish_money(leg['taxable'])}")
    assert_accessible(maria)

    # The leave request: the kind, the dates, the working days and the vacation days left.
    first, last = vacation["first_day"], vacation["last_day"]
    count = "1 dag" if Decimal(vacation["days"]) == 1 else f"{swedish_number(vacation['days'])} dagar"
    shown_leave = open_item(maria, vacation["id"])["detail"]
    request = maria.get_by_role("region", name="Ansökan")
    expect(request).to_contain_text("Semester")
    expect(request).to_contain_text(f"Första dagen{long_date(first)}")
    expect(request).to_contain_text(f"Sista dagen{long_date(last)}")
    expect(request).to_contain_text(f"Arbetsdagar{count}")
    expect(request).to_contain_text("Skidresa med familjen.")
    balance = shown_leave["balance"]
    days_left = maria.get_by_role("region", name=f"Semesterdagar {balance['year']}")
    expect(days_left.locator(".leave-remaining")).to_have_text(f"{swedish_number(balance['remaining'])} dagar")
    assert_accessible(maria)
