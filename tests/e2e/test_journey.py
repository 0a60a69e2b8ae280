"""The whole mission in one go, once on a phone and once on a desktop, each person in a browser of their own.

Anna photographs a receipt and submits it in a claim; offline she files a second one, which is
sent once when she is back online; she reports her week and files a trip. Maria hears about it
(the in-app count, and a push: the server's digest, received by a stand-in push service and handed
to her browser's service worker), selects Anna's items in her inbox and approves them at once.
Anna sees them approved and her preliminary net pay grown by what was reimbursed; Lena (payroll)
sees Anna in the organisation's overview.

The journey runs against a server of its own (a fresh demo database): it approves everything
Anna has waiting, which the other browser tests rely on finding.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE, running_server
from tests.e2e.helpers import (
    api_get,
    csrf_token,
    deliver_push,
    kronor,
    login,
    open_payslip_for,
    shown_notifications,
    start_two_day_trip,
    stockholm_today,
    swedish_money,
    under_service_worker,
)
from tests.support.fake_push_service import FakePushService, FakeSubscription

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"
MARIA = "maria.berg@demo.se"  # Anna's manager
LENA = "lena.lind@demo.se"  # payroll
RECEIPTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "receipts" / "synthetic-sv"
EXPENSE_URL = re.compile(r"/expenses/([0-9a-f-]{36})$")
CLAIM_URL = re.compile(r"/expenses/claims/([0-9a-f-]{36})$")
TRIP_URL = re.compile(r"/travel/claims/([0-9a-f-]{36})$")
READ_TIMEOUT_MS = 90_000  # reading a receipt takes a second or two; a busy machine may need more
SEND_TIMEOUT_MS = 30_000
PUSH_TIMEOUT_S = 30
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
DEVICES: dict[str, dict[str, Any]] = {
    "phone": {**PHONE, "viewport": {"width": 390, "height": 844}, "user_agent": ANDROID_CHROME},
    "desktop": {
        "viewport": {"width": 1280, "height": 800},
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
    },
}


# Different receipts and trip dates per run: the same photo twice is (rightly) flagged as a duplicate.
class Journey(NamedTuple):
    receipts: tuple[str, str]
    trip_weeks_back: int


JOURNEY = {
    "phone": Journey(receipts=("sv-dev-000", "sv-dev-002"), trip_weeks_back=6),
    "desktop": Journey(receipts=("sv-dev-004", "sv-dev-005"), trip_weeks_back=8),
}


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory: pytest.TempPathFactory, served_dist: Path) -> Iterator[str]:
    """A server of its own; digests are pushed at once instead of at most hourly."""
    with running_server(tmp_path_factory.mktemp("journey-data"), served_dist, DIGEST_MINUTES="0") as url:
        yield url


@pytest.fixture(scope="module")
def push_service() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service


@pytest.fixture(params=list(DEVICES))
def device(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def receipts(device: str) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for name in JOURNEY[device].receipts:
        image, label = RECEIPTS / f"{name}.jpg", RECEIPTS / f"{name}.json"
        if not (image.is_file() and label.is_file()):
            pytest.skip(
                f"The shared receipts are not here ({RECEIPTS}): they live outside the repository, in ../shared"
            )
        found.append((image, json.loads(label.read_text(encoding="utf-8"))))
    return found


def open_app(browser: Browser, server: str, device: dict[str, Any], email: str, *, notifications: bool = False) -> Page:
    """A person's own browser (cookies, storage, service worker), signed in under the service worker."""
    context = browser.new_context(base_url=server, **device)
    context.set_default_timeout(10_000)
    if notifications:
        context.grant_permissions(["notifications"], origin=server)
    page = context.new_page()
    page.goto("/login")
    under_service_worker(page)  # screens seen once open offline too
    login(page, email)
    return page


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True).click()


def headers(page: Page) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_token(page.context)}


def swedish_amount(value: Any) -> str:
    return f"{Decimal(str(value)):.2f}".replace(".", ",")


# --- Anna's steps ----------------------------------------------------------------------------------


def photograph_receipt(anna: Page, image: Path, label: dict[str, Any]) -> str:
    """Photo in, filled-in form out (corrected where the reading was off), saved; the expense's id."""
    nav(anna, "Utlägg")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Utlägg")
    with anna.expect_response(lambda r: r.url.endswith("/api/receipts") and r.request.method == "POST") as uploaded:
        anna.get_by_label("Nytt kvitto").set_input_files(image)
    assert uploaded.value.status == 201, uploaded.value.text()
    expect(anna).to_have_url(EXPENSE_URL)
    expense_id = EXPENSE_URL.search(anna.url).group(1)  # type: ignore[union-attr]
    amount = anna.get_by_label("Belopp", exact=True)
    expect(amount).not_to_have_value("", timeout=READ_TIMEOUT_MS)  # filled in from the receipt
    expect(anna.get_by_role("img", name="Bild av kvittot")).to_be_visible()
    if amount.input_value() != swedish_amount(label["total"]):
        amount.fill(swedish_amount(label["total"]))
    if not anna.get_by_label("Butik eller säljare").input_value():
        anna.get_by_label("Butik eller säljare").fill(str(label["merchant"]))
    # The synthetic receipts carry fixed dates: the expense is today's.
    anna.get_by_label("Datum", exact=True).fill(stockholm_today().isoformat())
    anna.get_by_role("button", name="Spara").click()
    expect(anna).to_have_url(re.compile(r"/expenses$"))
    expect(anna.get_by_role("status").filter(has_text="Utlägget är sparat.")).to_be_visible()
    return expense_id


def receipt_filed_offline(anna: Page, image: Path, label: dict[str, Any]) -> str:
    """Offline: photo and form wait on the phone; online again, both are sent. The expense's id."""
    nav(anna, "Utlägg")
    expect(anna.get_by_role("heading", level=1)).to_have_text("Utlägg")
    sent: list[str] = []
    anna.context.on(
        "response",
        lambda r: sent.append(f"{r.request.method} {r.url}") if r.request.method in ("POST", "PUT") else None,
    )
    anna.context.set_offline(True)
    # Either offline state: nothing from the cache on screen yet, or a list the app re-read from its cache.
    expect(anna.locator(".offline-bar")).to_contain_text(
        re.compile(r"^Ingen anslutning( just nu\.| – visar uppgifter från)")
    )
    anna.get_by_label("Nytt kvitto").set_input_files(image)
    expect(anna).to_have_url(EXPENSE_URL)
    expense_id = EXPENSE_URL.search(anna.url).group(1)  # type: ignore[union-attr]
    expect(anna.get_by_text("Ingen kontakt just nu. Kvittot finns kvar i telefonen")).to_be_visible()
    anna.get_by_label("Belopp", exact=True).fill(swedish_amount(label["total"]))
    anna.get_by_label("Butik eller säljare").fill(str(label["merchant"]))
    anna.get_by_label("Datum", exact=True).fill(stockholm_today().isoformat())
    anna.get_by_label("Kategori").select_option(label="Övrigt")
    anna.get_by_role("button", name="Spara").click()
    expect(anna).to_have_url(re.compile(r"/expenses$"))
    expect(anna.get_by_role("status").filter(has_text="Sparat i telefonen.")).to_be_visible()
    expect(anna.locator(".offline-bar")).to_contain_text("2 väntar på att skickas")
    assert not [s for s in sent if "/api/receipts" in s or expense_id in s], sent

    anna.context.set_offline(False)
    expect(anna.locator(".offline-bar")).not_to_contain_text("väntar", timeout=SEND_TIMEOUT_MS)
    expect(anna.locator(".item").filter(has=anna.locator(f'a[href="/expenses/{expense_id}"]'))).to_be_visible()
    # Exactly once: one photo, one form, one expense with that id and its receipt.
    assert [s for s in sent if s.endswith("/api/receipts")] == [f"POST {anna.url.split('/expenses')[0]}/api/receipts"]
    assert [s.split(" ")[0] for s in sent if s.endswith(f"/api/expenses/{expense_id}")] == ["PUT"]
    mine = api_get(anna, "/api/expenses")
    assert [e["id"] for e in mine].count(expense_id) == 1
    expense = next(e for e in mine if e["id"] == expense_id)
    assert Decimal(expense["amount"]) == Decimal(str(label["total"]))
    assert expense["receipt"] is not None
    assert sum(1 for e in mine if e["receipt"] and e["receipt"]["id"] == expense["receipt"]["id"]) == 1
    return expense_id


def claim_and_submit(anna: Page, expense_id: str) -> str:
    """The draft gathered into a claim of its own and sent for attest; the claim's id."""
    draft = anna.locator(".item").filter(has=anna.locator(f'a[href="/expenses/{expense_id}"]'))
    draft.get_by_role("checkbox").check()
    anna.get_by_role("button", name="Skapa räkning av 1 valda").click()
    expect(anna).to_have_url(CLAIM_URL)
    claim_id = CLAIM_URL.search(anna.url).group(1)  # type: ignore[union-attr]
    anna.get_by_role("button", name="Skicka in för attest").click()
    expect(anna.get_by_role("status").filter(has_text="Räkningen är inskickad för attest.")).to_be_visible()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")
    return claim_id


def report_week(anna: Page) -> dict[str, Any]:
    """The first week not yet submitted: the scheduled hours on one project, submitted."""
    first_open = api_get(anna, "/api/time/weeks/first-open")
    scheduled = [Decimal(day["scheduled_hours"]) for day in first_open["days"]]
    nav(anna, "Tid")
    expect(anna.get_by_role("heading", level=1)).to_have_text(f"Tid vecka {int(first_open['week'][-2:])}")
    anna.get_by_role("button", name="Lägg till rad").click()
    row = anna.locator("#time-row-0")
    row.get_by_label("Sök projekt").fill("utveckling programmering")
    row.get_by_role("button", name="Kundportal / Utveckling / Programmering").click()
    for day, hours in enumerate(scheduled):
        if hours:
            row.locator(f"#time-row-0-day-{day}").fill(str(hours.normalize()))
    anna.get_by_role("button", name="Spara", exact=True).click()
    expect(anna.get_by_role("status").filter(has_text="Veckan är sparad.")).to_be_visible()
    anna.get_by_role("button", name="Skicka in för attest").click()
    expect(anna.get_by_role("status").filter(has_text="Veckan är inskickad för attest.")).to_be_visible()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")
    week = api_get(anna, f"/api/time/weeks/{first_open['week']}")
    assert week["state"] == "submitted"
    assert Decimal(week["total_hours"]) == sum(scheduled)
    return dict(week)


def file_trip(anna: Page, weeks_back: int) -> dict[str, Any]:
    """A two-day trip to Göteborg with lunch provided on day 2; per diem computed, submitted."""
    today = stockholm_today()
    monday = today - timedelta(days=today.weekday(), weeks=weeks_back)
    nav(anna, "Resor")
    start_two_day_trip(anna, f"Kundmöte vecka {monday.isocalendar().week}", "Göteborg", monday, km=470)
    anna.get_by_role("group", name=re.compile(r"^Dag 2, ")).get_by_label("Lunch").check()
    anna.get_by_role("button", name="Spara och räkna").click()
    expect(anna).to_have_url(TRIP_URL)
    trip_id = TRIP_URL.search(anna.url).group(1)  # type: ignore[union-attr]
    trip = api_get(anna, f"/api/travel-claims/{trip_id}")
    result = anna.get_by_role("region", name="Ersättning")
    expect(result.locator(".travel-per-diem")).to_have_text(swedish_money(trip["totals"]["per_diem"]))
    expect(result.locator(".travel-day")).to_have_count(len(trip["per_diem"]["days"]))
    anna.get_by_role("button", name="Skicka in för attest").click()
    expect(anna.get_by_role("status").filter(has_text="Reseräkningen är inskickad för attest.")).to_be_visible()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")
    return dict(trip)


# --- Maria's notification --------------------------------------------------------------------------


def subscribe_to_push(maria: Page, push_service: FakePushService) -> FakeSubscription:
    """Maria's device subscribed (the stand-in push service plays the browser's), no quiet hours, nothing unread."""
    subscription = push_service.new_subscription()
    answer = maria.request.post("/api/push/subscriptions", data=subscription.to_json(), headers=headers(maria))
    assert answer.ok, answer.text()
    preferences = api_get(maria, "/api/notifications/preferences")
    choices = [
        {key: choice[key] for key in ("category", "push", "email", "during_quiet_hours")}
        for choice in preferences["categories"]
    ]
    answer = maria.request.put(
        "/api/notifications/preferences",
        data={"categories": choices, "quiet_hours": {"enabled": False}},
        headers=headers(maria),
    )
    assert answer.ok, answer.text()
    assert maria.request.post("/api/notifications/read-all", headers=headers(maria)).ok
    return subscription


def digest_pushed(push_service: FakePushService, subscription: FakeSubscription) -> dict[str, Any]:
    """The latest "new items to attest" digest the server pushed to Maria's device (decrypted)."""
    deadline = time.monotonic() + PUSH_TIMEOUT_S
    while time.monotonic() < deadline:
        digests = [p.json() for p in push_service.delivered(subscription.id) if p.json().get("tag") == "attest-digest"]
        if digests:
            return dict(digests[-1])
        time.sleep(0.2)
    pytest.fail(f"no digest pushed within {PUSH_TIMEOUT_S} s: {push_service.rejections}")


def tax_free_reimbursement(anna: Page, item: dict[str, Any]) -> Decimal:
    """What an approved item pays back tax free, as its own area computes it (Anna asking)."""
    if item["kind"] == "expense_claim":
        return Decimal(api_get(anna, f"/api/expense-claims/{item['subject_id']}")["total_sek"])
    if item["kind"] == "travel_claim":
        return Decimal(api_get(anna, f"/api/travel-claims/{item['subject_id']}")["totals"]["tax_free"])
    return Decimal(0)  # time and leave: pay, taxed, not reimbursements


# --- the journey -----------------------------------------------------------------------------------


def test_the_whole_mission(
    browser: Browser,
    journey_server: str,
    push_service: FakePushService,
    device: str,
    receipts: list[tuple[Path, dict[str, Any]]],
) -> None:
    (first_image, first_label), (second_image, second_label) = receipts
    anna = open_app(browser, journey_server, DEVICES[device], ANNA)
    maria = open_app(browser, journey_server, DEVICES[device], MARIA, notifications=True)
    lena = open_app(browser, journey_server, DEVICES[device], LENA)
    try:
        # The main menu: all six of Anna's entries in full view, none scrolled away sideways.
        menu = anna.get_by_role("navigation", name="Huvudmeny")
        expect(menu.get_by_role("link")).to_have_text(["Start", "Utlägg", "Tid", "Resor", "Ledighet", "Lön"])
        for link in menu.get_by_role("link").all():
            expect(link).to_be_in_viewport(ratio=1)
        assert menu.locator("ul").evaluate("ul => ul.scrollWidth <= ul.clientWidth")

        subscription = subscribe_to_push(maria, push_service)
        assert anna.request.post("/api/notifications/read-all", headers=headers(anna)).ok
        maria.reload()
        bell = maria.locator(".notice-bell")
        expect(bell).to_have_attribute("aria-label", "Notiser")

        # Anna: a receipt photographed, claimed and submitted.
        first_expense = photograph_receipt(anna, first_image, first_label)
        first_claim = claim_and_submit(anna, first_expense)
        # Offline, a second one; sent once when she is back online, then claimed and submitted.
        second_expense = receipt_filed_offline(anna, second_image, second_label)
        second_claim = claim_and_submit(anna, second_expense)
        # Her week and a trip.
        week = report_week(anna)
        trip = file_trip(anna, JOURNEY[device].trip_weeks_back)

        # Maria: the server's digest reaches her device; her app shows it and the bell counts the items.
        digest = digest_pushed(push_service, subscription)
        assert re.fullmatch(r"\d+ nya? (poster|post) att attestera", digest["title"]), digest
        assert digest["url"] == "/attest"
        deliver_push(maria, journey_server, digest)
        shown = [n for n in shown_notifications(maria, 1) if n["tag"] == "attest-digest"]
        assert shown
        assert shown[-1]["title"] == digest["title"]
        assert shown[-1]["actions"] == ["Öppna inkorgen"]
        expect(bell).to_have_attribute("aria-label", "Notiser, 4 olästa")  # the push made the app look
        bell.click()
        expect(maria.get_by_role("heading", name="Notiser")).to_be_visible()
        expect(maria.locator(".notice--unread")).to_have_count(4)
        expect(maria.locator(".notice--unread").first).to_contain_text("Anna Andersson")

        # Her inbox: every item of Anna's selected, approved at once.
        nav(maria, "Attestera")
        expect(maria.get_by_role("heading", level=1)).to_have_text("Attestera")
        inbox = api_get(maria, "/api/attest/inbox?limit=1000")
        annas = [item for item in inbox["items"] if item["employee"]["name"] == "Anna Andersson"]
        mine = [
            item
            for item in annas
            if item["subject_id"] in (first_claim, second_claim, trip["id"])
            or (item["kind"] == "time_week" and item["title"] == f"Tidrapport {week['week']}")
        ]
        assert len(mine) == 4, annas
        period = {item["cutoff"]["pay_period"] for item in mine}
        assert len(period) == 1, period
        (reaches,) = period

        # Anna's preliminary pay for that period, before, in the app and from the API.
        before = api_get(anna, f"/api/payslips/preliminary?period={reaches}")
        open_payslip_for(anna, reaches)
        net_pay = anna.locator(".payslip-hero .net-pay")
        expect(net_pay).to_have_text(swedish_money(before["net_pay"]))
        assert {line["item_id"] for line in before["pending"]} >= {item["subject_id"] for item in mine}

        rows = maria.locator(".attest-item").filter(has_text="Anna Andersson")
        expect(rows).to_have_count(len(annas))
        for item in annas:
            maria.locator(".attest-item").filter(
                has=maria.locator(f'a[href="/attest/items/{item["id"]}"]')
            ).get_by_role("checkbox").check()
        bar = maria.locator(".attest-bar")
        bar.get_by_role("button", name=f"Attestera {len(annas)} valda").click()
        summary = maria.locator("#attest-summary")
        expect(summary.get_by_role("heading")).to_have_text(f"{len(annas)} poster attesterade")
        expect(maria.locator(".attest-item").filter(has_text="Anna Andersson")).to_have_count(0)

        # Anna: approved, each of them, and told so.
        for item in annas:
            assert api_get(maria, f"/api/attest/items/{item['id']}")["state"] == "approved"
        anna.goto(f"/expenses/claims/{first_claim}")
        expect(anna.locator(".page-title .badge")).to_have_text("Attesterad")
        anna.goto(f"/travel/claims/{trip['id']}")
        expect(anna.locator(".page-title .badge")).to_have_text("Attesterad")
        anna.goto(f"/time/weeks/{week['week']}")
        expect(anna.locator(".page-title .badge")).to_have_text("Attesterad")
        # Told in the app: one unread notice per approved item.
        anna.reload()
        expect(anna.locator(".notice-bell")).to_have_attribute("aria-label", f"Notiser, {len(annas)} olästa")
        notices = api_get(anna, f"/api/notifications?limit={len(annas)}")["items"]
        assert {n["title"] for n in notices} >= {f"Attesterad: {item['title']}" for item in mine}

        # Her preliminary net pay grew by what was reimbursed (tax free), nothing else changing hands.
        after = api_get(anna, f"/api/payslips/preliminary?period={reaches}")
        assert Decimal(trip["totals"]["taxable"]) == 0
        reimbursed = sum((tax_free_reimbursement(anna, item) for item in annas), Decimal(0))
        assert reimbursed >= sum(tax_free_reimbursement(anna, item) for item in mine) > 0
        assert Decimal(after["tax_free"]) - Decimal(before["tax_free"]) == reimbursed
        taxed_change = (Decimal(after["taxable_pay"]) - Decimal(before["taxable_pay"])) - (
            Decimal(after["tax"]) - Decimal(before["tax"])
        )
        assert Decimal(after["net_pay"]) - Decimal(before["net_pay"]) == reimbursed + taxed_change
        open_payslip_for(anna, reaches)
        expect(net_pay).to_have_text(swedish_money(after["net_pay"]))
        assert kronor(net_pay.inner_text()) - Decimal(before["net_pay"]) == reimbursed + taxed_change
        # Nothing approved still waits, except days of a week across the month's end that a later pay settles.
        still_listed = [line for line in after["pending"] if line["item_id"] in {item["subject_id"] for item in annas}]
        assert {(line["status"], line["approved"]) for line in still_listed} <= {("later_period", True)}

        # Lena: the organisation's overview, Anna's row with the same net pay.
        nav(lena, "Löneöversikt")
        expect(lena.get_by_role("heading", level=1)).to_have_text("Löneöversikt")
        if api_get(lena, "/api/payroll/overview")["period"] != reaches:
            lena.goto(f"/payroll?period={reaches}")  # the pay an item approved today reaches may be a later one
        overview = api_get(lena, f"/api/payroll/overview?period={reaches}")
        anna_row = next(row for row in overview["rows"] if row["employee_name"] == "Anna Andersson")
        assert anna_row["net_pay"] == after["net_pay"]
        row = lena.get_by_role("row").filter(has=lena.get_by_role("link", name="Anna Andersson"))
        expect(row).to_contain_text(swedish_money(anna_row["net_pay"]))
    finally:
        for page in (anna, maria, lena):
            page.context.close()
