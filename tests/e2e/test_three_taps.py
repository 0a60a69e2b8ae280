"""From the start page to the manager's inbox in three actions, and a receipt nothing could be read from.

Receipt interpretation runs for real in the server's worker, on a synthetic Swedish receipt photo in
../shared/receipts (read by that path, never copied here; once its printed date is too old to claim, on
a receipt drawn here with a recent date) and on a blank white page made here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import api_session, inbox_item, login, stockholm_today
from tests.support.receipt_images import RECEIPT_LINES, render_receipt

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"
MARIA = "maria.berg@demo.se"  # Anna's manager
REPO_ROOT = Path(__file__).resolve().parents[2]
RECEIPT = REPO_ROOT / ".." / "shared" / "receipts" / "synthetic-sv" / "sv-dev-054.jpg"
EXPENSE_URL = re.compile(r"/expenses/([0-9a-f-]{36})$")
CLAIM_URL = re.compile(r"/expenses/claims/([0-9a-f-]{36})$")
READ_TIMEOUT_MS = 90_000
MONTHS = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")


@pytest.fixture
def iphone(browser: Browser, live_server: str, web_app_loads: None) -> Iterator[Page]:
    """A 390 x 844 phone (iPhone 12-15 size), Anna signed in on the start page."""
    context = browser.new_context(base_url=live_server, **{**PHONE, "viewport": {"width": 390, "height": 844}})  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, ANNA)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hej Anna!")
    yield page
    context.close()


def receipt_for_today(folder: Path) -> tuple[Path, dict[str, str]]:
    """The synthetic photo while its printed date can still be claimed; on a later day (the clock moves,
    CI runs a year ahead) a receipt drawn here with the same shape and a date two days back."""
    if RECEIPT.is_file():
        label: dict[str, str] = json.loads(RECEIPT.with_suffix(".json").read_text(encoding="utf-8"))
        if date.fromisoformat(label["date"]) >= stockholm_today() - timedelta(days=300):
            return RECEIPT, label
    bought = stockholm_today() - timedelta(days=2)
    lines = [bought.isoformat() + " 16:20" if line.startswith("2026-10-21") else line for line in RECEIPT_LINES]
    path = folder / "kvitto.png"
    render_receipt(lines).save(path, format="PNG")
    return path, {"merchant": lines[0], "date": bought.isoformat(), "total": "80.00"}


def test_three_taps_take_a_receipt_from_the_start_page_to_the_managers_inbox(
    iphone: Page, browser: Browser, live_server: str, tmp_path: Path
) -> None:
    photo, label = receipt_for_today(tmp_path)
    printed = date.fromisoformat(str(label["date"]))
    actions: list[str] = []
    assert_accessible(iphone)

    # 1. "Fotografera kvitto" on the start page: the camera opens and the photo is taken.
    camera = iphone.get_by_label("Fotografera kvitto")
    assert camera.get_attribute("capture") == "environment"
    with iphone.expect_response(lambda r: r.url.endswith("/api/receipts") and r.request.method == "POST") as sent:
        camera.set_input_files(photo)
    actions.append("photograph")
    assert sent.value.status == 201
    expect(iphone).to_have_url(EXPENSE_URL)

    # While the receipt is read the form says so; then it is filled in.
    amount = iphone.get_by_label("Belopp", exact=True)
    expect(amount).to_have_value(str(label["total"]).replace(".", ","), timeout=READ_TIMEOUT_MS)
    expect(iphone.get_by_label("Butik eller säljare")).to_have_value(str(label["merchant"]))
    expect(iphone.get_by_label("Datum", exact=True)).to_have_value(label["date"])
    expect(iphone.locator(".read-status")).to_have_text("Kvittot är läst. Kontrollera uppgifterna och spara.")

    # 2. Check: everything needed is there, nothing is marked to fix.
    expect(iphone.locator('.expense-form [aria-invalid="true"]')).to_have_count(0)
    actions.append("check")
    assert_accessible(iphone)

    # 3. "Skicka för attest": a claim of one is made and submitted.
    with iphone.expect_request(re.compile(r"/api/expenses/[0-9a-f-]{36}/submit$")) as submitted:
        iphone.get_by_role("button", name="Skicka för attest").click()
    actions.append("submit")
    assert re.fullmatch(r"[0-9a-f-]{36}", submitted.value.headers["idempotency-key"])
    expect(iphone).to_have_url(CLAIM_URL)
    expect(iphone.get_by_role("status").filter(has_text="Utlägget är skickat för attest.")).to_be_visible()
    expect(iphone.locator(".page-title .badge")).to_have_text("Inskickad")
    title = f"{label['merchant']} {printed.day} {MONTHS[printed.month - 1]}"
    if printed.year != stockholm_today().year:
        title += f" {printed.year}"
    expect(iphone.get_by_role("heading", level=1)).to_have_text(title)

    assert actions == ["photograph", "check", "submit"]
    claim_id = CLAIM_URL.search(iphone.url).group(1)  # type: ignore[union-attr]
    maria = api_session(browser, live_server, MARIA)
    try:
        item = inbox_item(maria, claim_id)
        assert item["title"] == title
    finally:
        maria.close()


def blank_page(folder: Path) -> Path:
    """A clean white "scan": nothing on it to read."""
    path = folder / "tom.jpg"
    Image.new("RGB", (1240, 1754), "white").save(path, format="JPEG", quality=90)
    return path


def test_a_receipt_nothing_was_read_from_says_so_and_marks_the_fields_to_fill_in(iphone: Page, tmp_path: Path) -> None:
    iphone.get_by_label("Fotografera kvitto").set_input_files(blank_page(tmp_path))
    expect(iphone).to_have_url(EXPENSE_URL)

    status = iphone.locator(".read-status")
    expect(status).to_have_text("Kvittot kunde inte läsas – fyll i fälten", timeout=READ_TIMEOUT_MS)
    expect(iphone.get_by_text("Kvittot är läst")).to_have_count(0)
    for field in ("amount", "expense_date", "merchant"):
        expect(iphone.locator(f"#expense-{field}-uncertain")).to_have_text(re.compile("Kunde inte läsas – fyll i"))
    # The currency is a guess even though it is kronor.
    expect(iphone.get_by_label("Valuta")).to_have_value("SEK")
    expect(iphone.locator("#expense-currency-uncertain")).to_have_text(re.compile("Osäker läsning"))
    assert_accessible(iphone)

    # Saved as it is, the form stays and shows beside each field what submitting would refuse.
    iphone.get_by_role("button", name="Spara").click()
    expect(
        iphone.get_by_role("status").filter(has_text="Utlägget är sparat. Rätta det som är markerat")
    ).to_be_visible()
    expect(iphone).to_have_url(EXPENSE_URL)
    expect(iphone.locator("#expense-expense_date-error")).to_have_text("Ange datum.")
    expect(iphone.locator("#expense-amount-error")).to_have_text("Ange belopp.")
    expect(iphone.get_by_label("Datum", exact=True)).to_have_attribute("aria-invalid", "true")

    # A date more than a year back is refused at the field before anything is submitted.
    iphone.get_by_label("Belopp", exact=True).fill("31,44")
    iphone.get_by_label("Butik eller säljare").fill("Kafé Blank")
    iphone.get_by_label("Datum", exact=True).fill((stockholm_today() - timedelta(days=400)).isoformat())
    iphone.get_by_role("button", name="Skicka för attest").click()
    expect(iphone.locator("#expense-expense_date-error")).to_have_text("Utlägg äldre än ett år kan inte begäras.")
    expect(iphone).to_have_url(EXPENSE_URL)
    assert_accessible(iphone)
