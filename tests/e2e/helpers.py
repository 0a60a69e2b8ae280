"""Steps that browser tests share: signing in and out, the user menu, the account's language, claims to attest."""

from __future__ import annotations

import json
import re
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, expect

from tests.e2e.conftest import PHONE

DEMO_PASSWORD = "demo1234"  # the documented demo password (backend/demo/seed.py)


def login(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login screen and wait until the app shows the signed-in user."""
    if "/login" not in page.url:
        page.goto("/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("form:has(#login-password) button[type=submit]").click()
    expect(page.locator(".user-menu__button")).to_be_visible()


def open_user_menu(page: Page) -> None:
    button = page.locator(".user-menu__button")
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    expect(page.locator("#user-menu-panel")).to_be_visible()


def logout(page: Page) -> None:
    open_user_menu(page)
    page.locator("#user-menu-panel").get_by_role("button", name=re.compile("Logga ut|Sign out")).click()
    # Done when the app shows the login screen: navigating sooner aborts the sign-out request.
    expect(page.locator("#login-email")).to_be_visible()


def csrf_token(context: BrowserContext) -> str:
    return next(cookie["value"] for cookie in context.cookies() if cookie["name"] == "selfservice_csrf")


def set_account_locale(context: BrowserContext, email: str, locale: str) -> None:
    """Put an account's language back through the API (tests share one database)."""
    login_response = context.request.post("/api/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    assert login_response.ok, login_response.text()
    response = context.request.patch("/api/me", data={"locale": locale}, headers={"X-CSRF-Token": csrf_token(context)})
    assert response.ok, response.text()


# --- shared by several browser tests ----------------------------------------------------------

MONTHS_SV = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


def stockholm_today() -> date:
    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


def api_get(page: Page, path: str) -> Any:
    """A GET through the page's own session (its cookies), asserted to succeed."""
    response = page.request.get(path)
    assert response.ok, response.text()
    return response.json()


def api_session(browser: Browser, live_server: str, email: str) -> BrowserContext:
    """Someone else, through the API only (another device)."""
    context = browser.new_context(base_url=live_server)
    assert context.request.post("/api/auth/login", data={"email": email, "password": DEMO_PASSWORD}).ok
    return context


def new_phone(browser: Browser, live_server: str) -> Page:
    """A second phone (its own browser context), for someone besides the `phone` fixture's user."""
    context = browser.new_context(base_url=live_server, **PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    return context.new_page()


def submit_parking_claim(context: BrowserContext, merchant: str, amount: str) -> str:
    """A claim "Parkering <merchant>" with one complete expense, submitted through the API by the context's user."""
    headers = {"X-CSRF-Token": csrf_token(context)}
    expense_id, claim_id = str(uuid4()), str(uuid4())
    expense = {
        "expense_date": stockholm_today().isoformat(),
        "merchant": merchant,
        "amount": amount,
        "category": "parking",
        "comment": "Betalat i parkeringsautomat utan kvitto.",
    }
    assert context.request.put(f"/api/expenses/{expense_id}", data=expense, headers=headers).ok
    claim = {"title": f"Parkering {merchant}", "expense_ids": [expense_id]}
    assert context.request.put(f"/api/expense-claims/{claim_id}", data=claim, headers=headers).ok
    answer = context.request.post(f"/api/expense-claims/{claim_id}/submit", headers=headers)
    assert answer.ok, answer.text()
    return claim_id


def inbox_item(context: BrowserContext, claim_id: str) -> dict[str, object]:
    """The manager's inbox item for an expense claim."""
    inbox = context.request.get("/api/attest/inbox?kind=expense_claim&limit=1000").json()
    return next(item for item in inbox["items"] if item["subject_id"] == claim_id)


def open_inbox(page: Page) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Attestera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attestera")


def under_service_worker(page: Page) -> None:
    """Wait until the service worker controls the page (it has the app shell for offline starts)."""
    page.evaluate(
        """() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller ? true :
            new Promise(resolve => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true })))"""
    )


def kronor(text: str) -> Decimal:
    """ "33 600,70 kr" (Swedish, with non-breaking spaces and a real minus sign) as a Decimal."""
    cleaned = re.sub(r"[^\d,\-\u2212]", "", text).replace("\u2212", "-").replace(",", ".")
    return Decimal(cleaned)


def swedish_number(value: Decimal | str, decimals: int | None = None) -> str:
    """As the app shows numbers in Swedish: "1 234,50" (no-break space between thousands)."""
    number = Decimal(value)
    text = f"{number:,.{decimals}f}" if decimals is not None else f"{number.normalize():,f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def swedish_money(value: Decimal | str) -> str:
    return f"{swedish_number(value, 2)}\u00a0kr"


def period_name(period: str) -> str:
    """ "2026-12" as the app names it: "december 2026"."""
    year, month = period.split("-")
    return f"{MONTHS_SV[int(month) - 1]} {year}"


def open_payslip_for(page: Page, period: str) -> None:
    """ "Lön" in the menu; the pay an item approved today reaches may be the one after the coming one."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Lön").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lön")
    heading = page.locator("#payslip-period")
    expect(heading).to_contain_text("Lönespecifikation")
    if period_name(period) not in heading.inner_text():
        page.get_by_role("link", name=f"Visa preliminär lön för {period_name(period)}").click()
    expect(heading).to_have_text(f"Lönespecifikation {period_name(period)}")


# --- push through the DevTools protocol -----------------------------------------------------------

SHOWN_NOTIFICATIONS = """async () => {
    const registration = await navigator.serviceWorker.ready;
    const shown = await registration.getNotifications();
    return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data,
                               actions: (n.actions || []).map((a) => a.title) }));
}"""


def registration_id(cdp: CDPSession, scope: str) -> str:
    """The service worker registration's id, from the DevTools ServiceWorker domain."""
    found: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.extend(r["registrationId"] for r in event["registrations"] if r["scopeURL"] == scope),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:
        cdp.send("Runtime.evaluate", {"expression": "1"})  # lets the events arrive
        time.sleep(0.1)
    if not found:
        pytest.fail("no service worker registration reported by DevTools")
    return found[-1]


def deliver_push(page: Page, origin: str, payload: dict[str, Any]) -> None:
    """Hand a push message to the page's service worker, as the browser's push service would."""
    cdp = page.context.new_cdp_session(page)
    registration = registration_id(cdp, f"{origin}/")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registration, "data": json.dumps(payload, ensure_ascii=False)},
    )


def shown_notifications(page: Page, count: int) -> list[dict[str, Any]]:
    """The notifications the service worker shows, once there are at least `count`.

    Waits up to 30 s: a digest comes from the worker's next round, which a loaded machine delays
    (10 s was once too little under faketime in CI). A wait, not a timing claim.
    """
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        notifications: list[dict[str, Any]] = page.evaluate(SHOWN_NOTIFICATIONS)
        if len(notifications) >= count:
            return notifications
        time.sleep(0.1)
    pytest.fail("the service worker did not show the notification")


def start_two_day_trip(page: Page, purpose: str, destination: str, first_day: date, km: int) -> None:
    """A new travel claim filled in: away from 07:00 on ``first_day`` to 19:30 the next day, ``km`` from home and work."""
    page.get_by_role("link", name="Ny reseräkning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny reseräkning")
    page.locator("#travel-purpose").fill(purpose)
    page.locator("#travel-destination").fill(destination)
    page.locator("#travel-departure_at").fill(f"{first_day.isoformat()}T07:00")
    page.locator("#travel-return_at").fill(f"{(first_day + timedelta(days=1)).isoformat()}T19:30")
    page.locator("#travel-distance_from_home_km").fill(str(km))
    page.locator("#travel-distance_from_workplace_km").fill(str(km))
