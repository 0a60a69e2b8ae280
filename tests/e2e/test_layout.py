"""Every screen, for every role, on a small phone, a common phone and a laptop: nothing sideways,
nothing on top of anything you can press, no text cut off in a control, and axe without serious findings.

Per page and size the browser measures (the script below):
- horizontal overflow: the page wider than the window (it would scroll sideways), naming the widest element;
- overlapping controls: two links, buttons or fields whose boxes intersect (one would cover the other),
  except content scrolling beneath a bar pinned to the screen;
- cut text: a button or a select whose text is wider than itself, or a term, value, cell, label or hint
  whose text runs out of its box into the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.axe import axe_violations, describe
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import api_get, login

pytestmark = pytest.mark.clockless

SIZES = {"360x640": (360, 640), "390x844": (390, 844), "1366x900": (1366, 900)}
PEOPLE = {
    "employee": "anna.andersson@demo.se",
    "manager": "maria.berg@demo.se",
    "payroll": "lena.lind@demo.se",
    "admin": "admin@demo.se",
}
EVERYONE = ["/start", "/notifications", "/notifications/settings", "/settings/password", "/cases", "/outbox"]
EMPLOYEE = [
    "/expenses",
    "/expenses/new",
    "/time",
    "/travel",
    "/travel/claims/new",
    "/leave",
    "/leave/new",
    "/payslip",
    "{expense_claim}",
    "{travel_claim}",
    "{leave_request}",
]
ATTEST = ["/attest", "{attest_item}", "/attest/archive", "/attest/insight", "/attest/delegations"]
ROUTES = {
    "employee": EVERYONE + EMPLOYEE,
    "manager": EVERYONE + EMPLOYEE + ATTEST,
    "payroll": [*EVERYONE, "/payroll", "/payroll/periods", "/payroll/export-settings", "/case-inbox", *ATTEST],
    "admin": [*EVERYONE, "/payroll/periods", "/payroll/export-settings"],
}

MEASURE = """
() => {
  const width = document.documentElement.clientWidth;
  const visible = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0
      && !el.closest('[hidden], dialog:not([open]), details:not([open]) > :not(summary), .visually-hidden');
  };
  const name = (el) => {
    const label = (el.getAttribute('aria-label') || el.textContent || el.id || el.name || '').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} "${label}"`;
  };
  const overflow = [];
  if (document.documentElement.scrollWidth > width + 1) {
    for (const el of document.querySelectorAll('body *')) {
      if (!visible(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.right > width + 1) overflow.push(`${name(el)} reaches ${Math.round(box.right)} px of ${width}`);
    }
  }
  // A bar pinned to the screen (the form's actions) lies over content that scrolls beneath it by design;
  // pinned controls are compared with each other, content controls with each other.
  const pinned = (el) => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const position = getComputedStyle(node).position;
      if (position === 'fixed' || position === 'sticky') return true;
    }
    return false;
  };
  const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')]
    .filter(visible);
  const overlaps = [];
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      const a = controls[i], b = controls[j];
      if (a.contains(b) || b.contains(a) || pinned(a) !== pinned(b)) continue;
      const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 2 && h > 2) overlaps.push(`${name(a)} and ${name(b)} overlap by ${Math.round(w)}×${Math.round(h)} px`);
    }
  }
  const cut = [];
  for (const el of document.querySelectorAll('button, select, .button, label')) {
    if (!visible(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
      cut.push(`${name(el)}: text ${el.scrollWidth} px in ${el.clientWidth} px`);
    }
  }
  // Text that runs out of its box into its neighbour's ("Organisationsnummer" into its value).
  for (const el of document.querySelectorAll('dt, dd, th, td, label, .field__hint')) {
    if (!visible(el) || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible') {
      cut.push(`${name(el)}: runs ${el.scrollWidth - el.clientWidth} px out of its box`);
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, width, overflow: overflow.slice(0, 8), overlaps, cut };
}
"""


def _ids(page: Page) -> dict[str, str]:
    """Pages of one thing each: the signed-in person's first claim, trip and leave request, and an inbox item."""
    found: dict[str, str] = {}
    claims = api_get(page, "/api/expense-claims")
    if claims:
        found["{expense_claim}"] = f"/expenses/claims/{claims[0]['id']}"
    trips = api_get(page, "/api/travel-claims")
    if trips:
        found["{travel_claim}"] = f"/travel/claims/{trips[0]['id']}"
    leave = api_get(page, "/api/leave/requests")
    if leave:
        found["{leave_request}"] = f"/leave/{leave[0]['id']}"
    return found


@pytest.fixture(params=list(PEOPLE), scope="module")
def signed_in(
    request: pytest.FixtureRequest, browser: Browser, live_server: str, web_app_loads: None
) -> Iterator[tuple[Page, str]]:
    context = browser.new_context(base_url=live_server, **PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, PEOPLE[str(request.param)])
    yield page, str(request.param)
    context.close()


def _paths(page: Page, role: str) -> list[str]:
    ids = _ids(page) if role in ("employee", "manager") else {}
    if any("{attest_item}" in p for p in ROUTES[role]):
        inbox = api_get(page, "/api/attest/inbox")["items"]
        if inbox:
            ids["{attest_item}"] = f"/attest/items/{inbox[0]['id']}"
    return [ids.get(path, path) for path in ROUTES[role] if not path.startswith("{") or path in ids]


def _settle(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.locator("main h1").first.wait_for(state="visible")
    page.wait_for_function("() => !document.querySelector('.loading, [aria-busy=true]')", timeout=15_000)


def test_every_screen_fits_every_size_for_every_role(signed_in: tuple[Page, str]) -> None:
    page, role = signed_in
    problems: list[str] = []
    for path in _paths(page, role):
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            _settle(page, path)
            found: dict[str, Any] = page.evaluate(MEASURE)
            where = f"{role} {path} at {size}"
            if found["overflow"] or found["scrollWidth"] > found["width"] + 1:
                problems.append(f"{where}: {found['scrollWidth']} px wide in {found['width']}: {found['overflow']}")
            problems += [f"{where}: {overlap}" for overlap in found["overlaps"]]
            problems += [f"{where}: cut {cut}" for cut in found["cut"]]
            if size == "390x844":
                violations = axe_violations(page)
                if violations:
                    problems.append(f"{where}: axe\n{describe(violations)}")
    assert not problems, "\n".join(problems)
