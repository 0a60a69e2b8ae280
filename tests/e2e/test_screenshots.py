"""Phone-size pictures of the main screens for the README: `SCREENSHOTS=1 pytest tests/e2e/test_screenshots.py`.

Skipped otherwise (CI stays fast). Runs on a server of its own with the demo organisation, files
what the screens need through the app (the journey's steps), and writes docs/screenshots/*.png
at 390x844, device scale 1 (small files).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import REPO_ROOT, running_server
from tests.e2e.helpers import api_get, open_payslip_for
from tests.e2e.test_journey import (
    ANNA,
    DEVICES,
    LENA,
    MARIA,
    RECEIPTS,
    claim_and_submit,
    file_trip,
    nav,
    open_app,
    photograph_receipt,
    report_week,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="pictures for the docs: set SCREENSHOTS=1"),
]

OUT = REPO_ROOT / "docs" / "screenshots"
PHONE_1X = {**DEVICES["phone"], "device_scale_factor": 1}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, served_dist: Path) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("screenshots-data"), served_dist) as url:
        yield url


def shoot(page: Page, name: str) -> None:
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    if page.locator(".now-cards").count():  # the start page's cards fill in one by one
        expect(page.locator(".now-card").first).to_be_visible()
        expect(page.locator(".now-card").filter(has_text=re.compile(r"Hämtar"))).to_have_count(0)
    page.evaluate("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()")
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUT / f"{name}.png", animations="disabled", caret="hide")


def test_screenshots_of_the_main_screens(browser: Browser, server: str) -> None:
    receipts = [(RECEIPTS / f"{name}.jpg", RECEIPTS / f"{name}.json") for name in ("sv-dev-000", "sv-dev-001")]
    if not all(image.is_file() and label.is_file() for image, label in receipts):
        pytest.skip(f"The shared receipts are not here ({RECEIPTS}): they live outside the repository, in ../shared")
    pages: list[Page] = []
    try:
        anna = open_app(browser, server, PHONE_1X, ANNA)
        pages.append(anna)
        expect(anna.locator(".now-card[aria-busy=true]")).to_have_count(0)
        shoot(anna, "01-start-employee")

        # Receipts photographed and read; the first one's form, filled in, with the receipt.
        first, second = (photograph_receipt(anna, image, json.loads(label.read_text())) for image, label in receipts)
        anna.goto(f"/expenses/{first}")
        expect(anna.get_by_role("img", name="Bild av kvittot")).to_be_visible()
        shoot(anna, "02-expense-from-receipt")
        nav(anna, "Utlägg")
        claim_and_submit(anna, second)

        week = report_week(anna)
        anna.goto(f"/time/weeks/{week['week']}")
        expect(anna.get_by_role("heading", level=1)).to_contain_text("Tid vecka")
        shoot(anna, "03-time-week")

        trip = file_trip(anna, 6)
        anna.goto(f"/travel/claims/{trip['id']}")
        anna.get_by_role("region", name="Ersättning").scroll_into_view_if_needed()
        shoot(anna, "04-travel-per-diem")

        maria = open_app(browser, server, PHONE_1X, MARIA)
        pages.append(maria)
        expect(maria.locator(".now-card[aria-busy=true]")).to_have_count(0)
        shoot(maria, "05-start-manager")
        nav(maria, "Attestera")
        items = maria.locator(".attest-item").filter(has_text="Anna Andersson")
        expect(items.first).to_be_visible()
        for index in range(items.count()):
            items.nth(index).get_by_role("checkbox").check()
        shoot(maria, "06-attest-inbox-selection")
        inbox: Any = api_get(maria, "/api/attest/inbox?kind=travel_claim")
        trip_item = next(item for item in inbox["items"] if item["subject_id"] == trip["id"])
        maria.goto(f"/attest/items/{trip_item['id']}")
        expect(maria.get_by_role("heading", level=1)).to_be_visible()
        shoot(maria, "07-attest-item")
        maria.goto("/attest")
        selected = maria.locator(".attest-item").filter(has_text="Anna Andersson")
        expect(selected.first).to_be_visible()
        for index in range(selected.count()):
            selected.nth(index).get_by_role("checkbox").check()
        maria.locator(".attest-bar").get_by_role("button", name=re.compile(r"^Attestera \d+ valda$")).click()
        expect(maria.locator("#attest-summary")).to_be_visible()

        anna.goto("/notifications")
        expect(anna.get_by_role("heading", name="Notiser")).to_be_visible()
        shoot(anna, "08-notifications")
        open_payslip_for(anna, str(trip_item["cutoff"]["pay_period"]))
        shoot(anna, "09-payslip")

        lena = open_app(browser, server, PHONE_1X, LENA)
        pages.append(lena)
        nav(lena, "Löneöversikt")
        expect(lena.get_by_role("table")).to_be_visible()
        shoot(lena, "10-payroll-overview")
    finally:
        for page in pages:
            page.context.close()
