"""Every page of the app, for the roles that see it, has no serious or critical axe-core findings.

The pages are the ones in `pwa/src/routes.ts` (plus the login and "not found" screens); a route
added there without a case here fails `test_every_route_of_the_app_is_checked`. Each page is
checked on a phone (touch: targets must be large enough), once its data has loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import DEMO_PASSWORD, csrf_token

# axe-core judges structure (names, roles, contrast, target sizes), not dates: the faketime run skips it.
pytestmark = [pytest.mark.e2e, pytest.mark.clockless]

ROUTES_TS = Path(__file__).resolve().parents[2] / "pwa" / "src" / "routes.ts"

ANNA = "anna.andersson@demo.se"  # employee
MARIA = "maria.berg@demo.se"  # manager (and employee)
LENA = "lena.lind@demo.se"  # payroll (and employee)
ADMIN = "admin@demo.se"  # administrator, no employee

# (route in routes.ts, who looks at it, the address with {placeholders} filled from the demo data)
PAGES: list[tuple[str, str, str]] = [
    ("/start", ANNA, "/start"),
    ("/start", MARIA, "/start"),
    ("/start", LENA, "/start"),
    ("/start", ADMIN, "/start"),
    ("/expenses", ANNA, "/expenses"),
    ("/expenses/new", ANNA, "/expenses/new"),
    ("/expenses/:id", ANNA, "/expenses/{expense}"),
    ("/expenses/claims/:id", ANNA, "/expenses/claims/{claim}"),
    ("/time", ANNA, "/time"),
    ("/time/weeks/:id", ANNA, "/time/weeks/{approved_week}"),
    ("/travel", ANNA, "/travel"),
    ("/travel/claims/:id", ANNA, "/travel/claims/{travel_claim}"),
    ("/leave", ANNA, "/leave"),
    ("/leave/:id", ANNA, "/leave/{leave_request}"),
    ("/notifications", ANNA, "/notifications"),
    ("/notifications/settings", ANNA, "/notifications/settings"),
    ("/settings/password", ANNA, "/settings/password"),
    ("/attest", MARIA, "/attest"),
    ("/attest", LENA, "/attest"),
    ("/attest/items/:id", MARIA, "/attest/items/{attest_expense_claim}"),
    ("/attest/items/:id", MARIA, "/attest/items/{attest_travel_claim}"),
    ("/attest/items/:id", MARIA, "/attest/items/{attest_time_week}"),
    ("/attest/items/:id", MARIA, "/attest/items/{attest_leave_request}"),
    ("/attest/archive", MARIA, "/attest/archive"),
    ("/attest/insight", MARIA, "/attest/insight"),
    ("/attest/delegations", MARIA, "/attest/delegations"),
    ("/payslip", ANNA, "/payslip"),
    ("/payslip", LENA, "/payslip?employee={anna_employee}"),
    ("/payroll", LENA, "/payroll"),
    ("/payroll/periods", LENA, "/payroll/periods"),
    ("/payroll/export-settings", LENA, "/payroll/export-settings"),
    ("/cases", ANNA, "/cases"),
    ("/cases/:id", ANNA, "/cases/{case}"),
    ("/case-inbox", LENA, "/case-inbox"),
    ("/outbox", ANNA, "/outbox"),
    ("(not found)", ANNA, "/no-such-page"),
]


def _case_id(case: tuple[str, str, str]) -> str:
    _, who, address = case
    return f"{address.split('?')[0]}-{who.split('.')[0].split('@')[0]}"


def _login(context: BrowserContext, email: str) -> None:
    answer = context.request.post("/api/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    assert answer.ok, answer.text()


def _today() -> str:
    return datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()


@pytest.fixture(scope="module")
def demo_ids(browser: Browser, live_server: str) -> Iterator[dict[str, str]]:
    """Ids of things each page shows: an expense, a claim (submitted, so Maria can open it), a week ..."""
    anna = browser.new_context(base_url=live_server)
    maria = browser.new_context(base_url=live_server)
    try:
        _login(anna, ANNA)
        headers = {"X-CSRF-Token": csrf_token(anna)}
        expense, claimed, claim = str(uuid4()), str(uuid4()), str(uuid4())
        for expense_id, merchant in ((expense, "Axe Café"), (claimed, "Axe Parkering")):
            body = {
                "expense_date": _today(),
                "merchant": merchant,
                "amount": "125.50",
                "category": "parking",
                "comment": "Utan kvitto.",
            }
            assert anna.request.put(f"/api/expenses/{expense_id}", data=body, headers=headers).ok
        assert anna.request.put(
            f"/api/expense-claims/{claim}", data={"title": "Axe parkering", "expense_ids": [claimed]}, headers=headers
        ).ok
        answer = anna.request.post(f"/api/expense-claims/{claim}/submit", headers=headers)
        assert answer.ok, answer.text()
        # A vacation request for Maria to open (the demo has none waiting): a Thursday and Friday
        # ten weeks ahead, clear of the weeks other tests apply for.
        today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
        thursday = today - timedelta(days=today.weekday()) + timedelta(weeks=10, days=3)
        vacation = str(uuid4())
        days = {"first_day": thursday.isoformat(), "last_day": (thursday + timedelta(days=1)).isoformat()}
        assert anna.request.put(f"/api/leave/requests/{vacation}", data=days, headers=headers).ok
        answer = anna.request.post(f"/api/leave/requests/{vacation}/submit", headers=headers)
        assert answer.ok, answer.text()
        report = {"subject_kind": "other", "text": "Min semestersaldo verkar fel."}
        answer = anna.request.post("/api/cases", data=report, headers=headers)
        assert answer.ok, answer.text()
        case_id = answer.json()["id"]
        me: dict[str, Any] = anna.request.get("/api/me").json()
        weeks: list[dict[str, Any]] = anna.request.get("/api/time/weeks").json()
        travel: list[dict[str, Any]] = anna.request.get("/api/travel-claims").json()
        leave: list[dict[str, Any]] = anna.request.get("/api/leave/requests").json()

        _login(maria, MARIA)
        inbox: dict[str, Any] = maria.request.get("/api/attest/inbox?limit=1000").json()
        by_kind = {item["kind"]: item["id"] for item in reversed(inbox["items"])}
        assert {"expense_claim", "travel_claim", "time_week", "leave_request"} <= by_kind.keys(), by_kind
        yield {
            "expense": expense,
            "claim": claim,
            "approved_week": next(w["week"] for w in weeks if w["state"] == "approved"),
            "travel_claim": travel[0]["id"],
            "leave_request": leave[0]["id"],
            "attest_expense_claim": by_kind["expense_claim"],
            "attest_travel_claim": by_kind["travel_claim"],
            "attest_time_week": by_kind["time_week"],
            "attest_leave_request": by_kind["leave_request"],
            "anna_employee": me["employee_id"],
            "case": case_id,
        }
    finally:
        anna.close()
        maria.close()


# Touch targets (the app's own rule, stricter than axe's 24 px): every control at least 44 x 44 px.
# A link inside a sentence is exempt (WCAG 2.5.8 "inline"); a checkbox or file input counts its label.
SMALL_TARGETS_JS = """
() => {
  const MIN = 44;
  const out = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=checkbox], [role=tab], [tabindex]:not([tabindex="-1"])';
  const inline = (el) => {
    const parent = el.parentElement;
    if (!parent || el.tagName !== 'A') return false;
    const display = getComputedStyle(el).display;
    if (display !== 'inline') return false;
    return Array.from(parent.childNodes).some((n) => n !== el && n.nodeType === 3 && n.textContent.trim().length > 0);
  };
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('[hidden], [inert]')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.bottom < 0 || box.right < 0) continue; // off-screen (skip link)
    if (box.width <= 1 && box.height <= 1) continue;
    let target = el;
    if (el.matches('input[type=checkbox], input[type=radio], input[type=file]') || box.width < 2 || style.opacity === '0') {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`));
      if (label) { target = label; box = label.getBoundingClientRect(); }
    }
    if (inline(el)) continue;
    if (box.width < MIN - 0.5 || box.height < MIN - 0.5) {
      out.push(`${Math.round(box.width)}x${Math.round(box.height)} <${target.tagName.toLowerCase()}${target.id ? '#' + target.id : ''}${target.className && typeof target.className === 'string' ? '.' + target.className.trim().split(/\\s+/).join('.') : ''}> ${(target.textContent || target.getAttribute('aria-label') || '').trim().slice(0, 40)}`);
    }
  }
  return out;
}
"""


def assert_touch_targets(page: Page) -> None:
    small = page.evaluate(SMALL_TARGETS_JS)
    assert not small, "Touch targets smaller than 44 x 44 px:\n" + "\n".join(small)


def _settled(page: Page) -> None:
    """The page's heading is there and nothing is loading any more."""
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main [aria-busy=true]")).to_have_count(0)
    expect(page.locator("main .loading")).to_have_count(0)
    page.wait_for_load_state("networkidle")


def test_every_route_of_the_app_is_checked() -> None:
    routes = set(re.findall(r"path:\s*'([^']+)'", ROUTES_TS.read_text()))
    assert routes, "no routes found in routes.ts"
    missing = routes - {route for route, _, _ in PAGES}
    assert not missing, f"Add these pages to PAGES in {Path(__file__).name}: {sorted(missing)}"


@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("/login", "Logga in"),
        ("/password/forgot", "Glömt lösenordet"),
        ("/password/reset#token=x", "Välj nytt lösenord"),
    ],
)
def test_the_signed_out_pages(
    browser: Browser, live_server: str, web_app_loads: None, address: str, heading: str
) -> None:
    context = browser.new_context(base_url=live_server, **PHONE)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(address)
        _settled(page)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
        assert_touch_targets(page)
    finally:
        context.close()


@pytest.mark.parametrize("case", PAGES, ids=[_case_id(case) for case in PAGES])
def test_the_page_has_no_serious_accessibility_problems(
    browser: Browser,
    live_server: str,
    web_app_loads: None,
    demo_ids: dict[str, str],
    case: tuple[str, str, str],
) -> None:
    _, who, address = case
    context = browser.new_context(base_url=live_server, **PHONE)  # type: ignore[arg-type]
    _login(context, who)  # a sign-in of its own: a renewal retires the cookie it replaced
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(address.format(**demo_ids))
        _settled(page)
        expect(page.locator(".user-menu__button")).to_be_visible()
        assert_accessible(page)
        assert_touch_targets(page)
    finally:
        context.close()


def test_the_open_user_menu(browser: Browser, live_server: str, web_app_loads: None) -> None:
    context = browser.new_context(base_url=live_server, **PHONE)  # type: ignore[arg-type]
    _login(context, MARIA)
    try:
        page = context.new_page()
        page.goto("/start")
        _settled(page)
        page.locator(".user-menu__button").click()
        expect(page.locator("#user-menu-panel")).to_be_visible()
        assert_accessible(page)
        assert_touch_targets(page)
    finally:
        context.close()
