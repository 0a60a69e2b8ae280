"""Working without a network: screens seen before open offline, and what is done offline is sent once.

The phone goes offline with Playwright's network emulation (`context.set_offline`), which also
sets `navigator.onLine` and fires the `offline`/`online` events the app listens to. What reached
the server is checked through the API afterwards: exactly one expense, one decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    api_session,
    csrf_token,
    inbox_item,
    login,
    logout,
    new_phone,
    open_inbox,
    stockholm_today,
    submit_parking_claim,
    under_service_worker,
)

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"
MARIA = "maria.berg@demo.se"  # Anna's manager
REPO_ROOT = Path(__file__).resolve().parents[2]
RECEIPT = REPO_ROOT / ".." / "shared" / "receipts" / "synthetic-sv" / "sv-dev-002.jpg"
EXPENSE_URL = re.compile(r"/expenses/([0-9a-f-]{36})$")
SEND_TIMEOUT_MS = 30_000


@pytest.fixture
def anna(phone: Page) -> Page:
    phone.goto("/login")
    under_service_worker(phone)
    login(phone, ANNA)
    return phone


@pytest.fixture
def maria(browser: Browser, live_server: str, web_app_loads: None) -> Iterator[Page]:
    page = new_phone(browser, live_server)
    page.goto("/login")
    under_service_worker(page)
    login(page, MARIA)
    yield page
    page.context.close()


def test_a_receipt_and_expense_filed_offline_wait_on_the_phone_and_are_sent_once(anna: Page) -> None:
    if not RECEIPT.is_file():
        pytest.skip(f"The shared receipts are not here ({RECEIPT}): they live outside the repository, in ../shared")
    merchant = f"Offline-kafé {uuid4().hex[:6]}"
    anna.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Utlägg").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Utlägg")

    # What the server answered (tries without a network get no answer).
    answered: list[str] = []
    anna.context.on(
        "response",
        lambda r: answered.append(f"{r.request.method} {r.url}") if r.request.method in ("POST", "PUT") else None,
    )

    anna.context.set_offline(True)
    expect(anna.locator(".offline-bar")).to_contain_text("Ingen anslutning just nu.")
    anna.get_by_label("Nytt kvitto").set_input_files(RECEIPT)
    expect(anna).to_have_url(EXPENSE_URL)
    expense_id = EXPENSE_URL.search(anna.url).group(1)  # type: ignore[union-attr]
    # The photo waits on the phone; the form can be filled in meanwhile.
    expect(anna.get_by_text("Ingen kontakt just nu. Kvittot finns kvar i telefonen")).to_be_visible()
    anna.get_by_label("Belopp", exact=True).fill("123,45")
    anna.get_by_label("Butik eller säljare").fill(merchant)
    anna.get_by_label("Datum", exact=True).fill(stockholm_today().isoformat())
    anna.get_by_role("button", name="Spara").click()

    expect(anna).to_have_url(re.compile(r"/expenses$"))
    expect(anna.get_by_role("status").filter(has_text="Sparat i telefonen.")).to_be_visible()
    # Waiting to send, visibly: the header's badge and the lists on the page.
    expect(anna.locator(".offline-bar")).to_contain_text("2 väntar på att skickas")
    waiting = anna.locator(".outbox-item").filter(has_text=merchant)
    expect(waiting).to_contain_text("Väntar på att skickas")
    expect(waiting).to_contain_text("123,45\u00a0kr")
    expect(anna.get_by_role("region", name="Kvitton som skickas")).to_contain_text("Ingen kontakt just nu.")
    assert not [answer for answer in answered if "/api/receipts" in answer or expense_id in answer]

    anna.context.set_offline(False)
    expect(anna.locator(".offline-bar")).not_to_contain_text("väntar", timeout=SEND_TIMEOUT_MS)
    expect(anna.locator(".outbox-item")).to_have_count(0)
    draft = anna.locator(".item").filter(has=anna.locator(f'a[href="/expenses/{expense_id}"]'))
    expect(draft).to_contain_text(merchant)

    # Each went once: the photo, then the form with the photo's receipt id.
    assert [answer.split(" ")[0] for answer in answered if answer.endswith("/api/receipts")] == ["POST"]
    assert [answer.split(" ")[0] for answer in answered if answer.endswith(f"/api/expenses/{expense_id}")] == ["PUT"]
    mine = anna.request.get("/api/expenses").json()
    assert [e["id"] for e in mine].count(expense_id) == 1
    assert [e["merchant"] for e in mine].count(merchant) == 1
    expense = next(e for e in mine if e["id"] == expense_id)
    assert expense["amount"] == "123.45"
    assert expense["receipt"] is not None  # the photo and the form became one expense
    receipt_id = expense["receipt"]["id"]
    assert sum(1 for e in mine if e["receipt"] and e["receipt"]["id"] == receipt_id) == 1
    assert anna.request.delete(f"/api/expenses/{expense_id}", headers={"X-CSRF-Token": csrf_token(anna.context)}).ok


def test_the_start_page_and_payslip_open_offline_after_being_seen_online(anna: Page) -> None:
    expect(anna.locator(".facts dd", has_text="den 8:e")).to_be_visible()
    anna.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Lön").click()
    net_pay = anna.locator(".payslip-hero .net-pay")
    expect(net_pay).to_have_text(re.compile(r"kr$"))
    seen = net_pay.inner_text()

    anna.context.set_offline(True)
    # A cold start without a network: the shell from the service worker, the data from the phone.
    anna.reload()
    expect(anna.locator(".payslip-hero .net-pay")).to_have_text(seen)
    notice = anna.locator(".offline-bar")
    expect(notice).to_contain_text(re.compile(r"Ingen anslutning – visar uppgifter från .*\d{2}:\d{2}"))
    expect(anna.locator(".user-menu__button")).to_contain_text("Anna Andersson")

    anna.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Start").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Hej Anna!")
    expect(anna.locator(".facts dd", has_text="den 8:e")).to_be_visible()
    expect(notice).to_contain_text("Ingen anslutning – visar uppgifter från")

    anna.context.set_offline(False)
    anna.reload()
    expect(anna.locator(".facts dd", has_text="den 8:e")).to_be_visible()
    expect(notice).not_to_contain_text("Ingen anslutning")


def test_signing_out_forgets_the_data_kept_for_offline(anna: Page) -> None:
    expect(anna.locator(".facts dd", has_text="den 8:e")).to_be_visible()
    logout(anna)
    expect(anna.get_by_role("heading", level=1)).to_have_text("Logga in")
    kept = anna.evaluate(
        """() => new Promise(resolve => {
            const open = indexedDB.open('selfservice-offline');
            open.onsuccess = () => {
                const request = open.result.transaction('cache').objectStore('cache').count();
                request.onsuccess = () => resolve(request.result);
            };
        })"""
    )
    assert kept == 0
    assert anna.evaluate("() => localStorage.getItem('selfservice.offline.user')") is None


def approve_offline(maria: Page, browser: Browser, live_server: str, merchant: str, amount: str) -> dict[str, object]:
    """Anna submits a claim; Maria, without a connection, approves it in her inbox: the decision waits on her phone."""
    anna = api_session(browser, live_server, ANNA)
    try:
        claim_id = submit_parking_claim(anna, merchant, amount)
    finally:
        anna.close()
    open_inbox(maria)
    item = inbox_item(maria.context, claim_id)
    row = maria.locator(".attest-item").filter(has_text=str(item["title"]))
    expect(row).to_have_count(1)

    maria.context.set_offline(True)
    row.get_by_role("checkbox").check()
    maria.get_by_role("button", name="Attestera 1 valda").click()
    expect(maria.get_by_role("status").filter(has_text="Beslutet är sparat i telefonen")).to_be_visible()
    return item


def test_a_decision_made_offline_is_sent_once_when_online(maria: Page, browser: Browser, live_server: str) -> None:
    item = approve_offline(maria, browser, live_server, f"Offline {uuid4().hex[:6]}", "64.00")
    title = str(item["title"])
    row = maria.locator(".attest-item").filter(has_text=title)
    expect(row).to_have_count(0)
    waiting = maria.get_by_role("region", name="Beslut väntar på att skickas")
    expect(waiting).to_contain_text(title)
    expect(waiting).to_contain_text("Väntar på att skickas")
    expect(maria.locator(".offline-bar")).to_contain_text("1 väntar på att skickas")
    # Closed and opened again, still offline: the decision is still on the phone.
    maria.reload()
    expect(waiting).to_contain_text(title)

    decisions: list[int] = []
    maria.context.on(
        "response",
        lambda r: decisions.append(r.status) if r.url.endswith("/api/attest/decisions") else None,
    )
    maria.context.set_offline(False)
    expect(waiting).to_have_count(0, timeout=SEND_TIMEOUT_MS)
    expect(maria.locator(".offline-bar")).not_to_contain_text("väntar")

    decided = maria.request.get(f"/api/attest/items/{item['id']}").json()
    assert decided["state"] == "approved"
    assert [entry["action"] for entry in decided["history"]].count("approved") == 1
    assert decisions
    assert all(status == 200 for status in decisions), decisions


def test_a_queued_decision_on_an_item_someone_else_decided_is_shown_as_a_conflict(
    maria: Page, browser: Browser, live_server: str
) -> None:
    item = approve_offline(maria, browser, live_server, f"Krock {uuid4().hex[:6]}", "42.00")
    title = str(item["title"])

    # Meanwhile the item is sent back from another device (Maria's computer).
    other = api_session(browser, live_server, MARIA)
    try:
        answer = other.request.post(
            f"/api/attest/items/{item['id']}/return",
            data={"reason": "Fel kostnadsställe.", "version": item["version"]},
            headers={"X-CSRF-Token": csrf_token(other)},
        )
        assert answer.ok, answer.text()
    finally:
        other.close()

    maria.context.set_offline(False)
    badge = maria.locator(".offline-bar")
    expect(badge).to_contain_text("1 behöver åtgärd", timeout=SEND_TIMEOUT_MS)
    conflict = maria.locator(".outbox-item--conflict").filter(has_text=title)
    expect(conflict).to_contain_text("Servern tog inte emot det")
    expect(conflict.get_by_role("alert")).not_to_be_empty()  # the server's own message
    expect(conflict.get_by_role("button", name="Försök igen")).to_be_visible()

    # Never dropped silently: it stays until Maria discards it.
    maria.reload()
    expect(maria.locator(".outbox-item--conflict").filter(has_text=title)).to_have_count(1)
    maria.once("dialog", lambda dialog: dialog.accept())
    maria.locator(".outbox-item--conflict").filter(has_text=title).get_by_role("button", name="Släng").click()
    expect(maria.locator(".outbox-item--conflict")).to_have_count(0)
    expect(badge).not_to_contain_text("behöver åtgärd")
    state = maria.request.get(f"/api/attest/items/{item['id']}").json()["state"]
    assert state == "returned"


def test_the_manifest_has_shortcuts_with_icons(phone: Page) -> None:
    phone.goto("/login")
    manifest = phone.request.get(phone.locator("link[rel=manifest]").get_attribute("href") or "").json()
    shortcuts = {shortcut["url"]: shortcut for shortcut in manifest["shortcuts"]}
    assert shortcuts["/expenses/new"]["name"] == "Nytt kvitto"
    assert shortcuts["/attest"]["name"] == "Attestera"
    for shortcut in shortcuts.values():
        for icon in shortcut["icons"]:
            image = phone.request.get(icon["src"])
            assert image.ok, icon["src"]
            assert image.headers["content-type"] == "image/png", icon["src"]


IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def test_on_an_iphone_the_start_page_explains_add_to_home_screen_until_dismissed(
    browser: Browser, live_server: str, web_app_loads: None
) -> None:
    context = browser.new_context(base_url=live_server, user_agent=IPHONE_SAFARI, **PHONE)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        login(page, ANNA)
        hint = page.get_by_role("region", name="Lägg till appen på hemskärmen")
        expect(hint).to_contain_text("Tryck på Dela-knappen i Safari och välj ”Lägg till på hemskärmen”.")
        expect(hint).to_contain_text("notiser")
        hint.get_by_role("button", name="Inte nu").click()
        expect(hint).to_have_count(0)
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hej Anna!")
        expect(page.get_by_role("region", name="Lägg till appen på hemskärmen")).to_have_count(0)
    finally:
        context.close()
