"""Hours typed as "7,5" or "7.5" mean seven and a half hours whatever language the browser speaks.

Chromium with an English locale drops the comma in a `type="number"` field ("7,5" became 75); the
app's number fields are text fields read by one parser (pwa/src/numbers.ts).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import api_get, login, stockholm_today

ANNA = "anna.andersson@demo.se"


def _phone(browser: Browser, live_server: str, locale: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, **(PHONE | {"locale": locale}))  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(
    params=[("en-US", 20, "7,5"), ("sv-SE", 21, "7,5"), ("en-US", 22, "7.5")], ids=lambda p: f"{p[0]}-{p[2]}"
)
def typed(
    request: pytest.FixtureRequest, browser: Browser, live_server: str, web_app_loads: None
) -> Iterator[tuple[Page, str, str]]:
    """A phone in that language, a week that many weeks ahead (untouched by other tests), and the hours typed."""
    locale, weeks_ahead, hours = request.param
    monday = stockholm_today() - timedelta(days=stockholm_today().weekday()) + timedelta(weeks=weeks_ahead)
    iso = monday.isocalendar()
    for page in _phone(browser, live_server, locale):
        login(page, ANNA)
        yield page, f"{iso.year}-W{iso.week:02d}", hours


def test_hours_with_a_decimal_comma_or_point_are_read_the_same_in_any_browser_language(
    typed: tuple[Page, str, str],
) -> None:
    page, week, hours = typed
    page.goto(f"/time/weeks/{week}")
    page.get_by_role("button", name="Lägg till rad").click()
    row = page.locator("#time-row-0")
    row.get_by_label("Sök projekt").fill("utveckling programmering")
    row.get_by_role("button", name="Kundportal / Utveckling / Programmering").click()
    row.locator("#time-row-0-day-0").fill(hours)
    expect(row.locator("#time-row-0-day-0")).to_have_value(hours)  # kept as typed, comma and all

    with page.expect_response(lambda r: r.request.method == "PUT" and "/api/time/weeks/" in r.url) as saved:
        page.get_by_role("button", name="Spara", exact=True).click()
    assert saved.value.status in (200, 201), saved.value.text()

    stored = api_get(page, f"/api/time/weeks/{week}")
    assert Decimal(stored["rows"][0]["hours"][0]) == Decimal("7.5")
    assert Decimal(stored["total_hours"]) == Decimal("7.5")
