"""An employee files expenses on her phone: photo in, filled-in form out, gathered into a claim, submitted.

Receipt interpretation runs for real (Tesseract in the server's background worker), on the
synthetic Swedish receipts in ../shared/receipts (read by that path, never copied here).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import api_session, csrf_token, inbox_item, login, stockholm_today, submit_parking_claim

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"
MARIA = "maria.berg@demo.se"  # Anna's manager
REPO_ROOT = Path(__file__).resolve().parents[2]
RECEIPTS = REPO_ROOT / ".." / "shared" / "receipts" / "synthetic-sv"
EXPENSE_URL = re.compile(r"/expenses/([0-9a-f-]{36})$")
# Reading a receipt takes a second or two; a busy machine may need more.
READ_TIMEOUT_MS = 90_000


def swedish_decimal(value: str) -> str:
    return value.replace(".", ",")


@pytest.fixture
def receipt() -> tuple[Path, dict[str, object]]:
    """A synthetic Swedish receipt and what it says (its label)."""
    image = RECEIPTS / "sv-dev-000.jpg"
    label = image.with_suffix(".json")
    if not (image.is_file() and label.is_file()):
        pytest.skip(f"The shared receipts are not here ({RECEIPTS}): they live outside the repository, in ../shared")
    return image, json.loads(label.read_text(encoding="utf-8"))


@pytest.fixture
def anna(phone: Page) -> Page:
    login(phone, ANNA)
    return phone


def open_expenses(page: Page) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Utlägg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utlägg")


def select_draft(page: Page, text: str) -> None:
    row = page.locator(".item").filter(has_text=text)
    expect(row).to_have_count(1)
    row.get_by_role("checkbox").check()


def test_a_photo_becomes_a_filled_in_expense_that_is_claimed_and_submitted(
    anna: Page, receipt: tuple[Path, dict[str, object]]
) -> None:
    image, label = receipt
    total = swedish_decimal(str(label["total"]))
    open_expenses(anna)
    assert_accessible(anna)

    # Tap 1 "Nytt kvitto" opens the camera; tap 2 takes the photo (here: the file).
    capture = anna.get_by_label("Nytt kvitto")
    assert capture.get_attribute("capture") == "environment"
    with anna.expect_response(lambda r: r.url.endswith("/api/receipts") and r.request.method == "POST") as uploaded:
        capture.set_input_files(image)
    assert uploaded.value.status == 201
    expect(anna).to_have_url(EXPENSE_URL)
    expense_id = EXPENSE_URL.search(anna.url).group(1)  # type: ignore[union-attr]
    # The app chose the expense's id and sent it with the photo.
    assert uploaded.value.json()["expense_id"] == expense_id

    # The form fills in from what was read on the receipt.
    expect(anna.get_by_label("Belopp", exact=True)).to_have_value(total, timeout=READ_TIMEOUT_MS)
    expect(anna.get_by_label("Butik eller säljare")).to_have_value(str(label["merchant"]))
    expect(anna.get_by_role("img", name="Bild av kvittot")).to_be_visible()
    assert_accessible(anna)

    # "Visa på kvittot" zooms the receipt in on where the amount was read, and says so.
    anna.get_by_role("button", name=re.compile(r"Visa på kvittot\W+Belopp")).click()
    expect(anna.locator(".receipt-box").first).to_be_visible()
    expect(anna.get_by_text("Markerat på kvittot: Belopp")).to_be_visible()

    # The synthetic receipts carry fixed dates; expenses older than a year cannot be claimed.
    date_field = anna.get_by_label("Datum", exact=True)
    if date.fromisoformat(date_field.input_value()) < stockholm_today() - timedelta(days=300):
        date_field.fill(stockholm_today().isoformat())

    # Tap 3: confirm.
    anna.get_by_role("button", name="Spara").click()
    expect(anna).to_have_url(re.compile(r"/expenses$"))
    expect(anna.get_by_role("status").filter(has_text="Utlägget är sparat.")).to_be_visible()
    draft = anna.locator(".item").filter(has=anna.locator(f'a[href="/expenses/{expense_id}"]'))
    expect(draft).to_contain_text(f"{total}\u00a0kr")

    # Gather it into a claim and submit it for attest.
    draft.get_by_role("checkbox").check()
    anna.get_by_role("button", name="Skapa räkning av 1 valda").click()
    expect(anna).to_have_url(re.compile(r"/expenses/claims/[0-9a-f-]{36}$"))
    claim_path = anna.url.removeprefix(anna.url.split("/expenses")[0])
    # Named after the receipt, not the month: claims can be told apart.
    expect(anna.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^{re.escape(str(label['merchant']))} \d+ \w+")
    )
    expect(anna.locator(".claim-total")).to_have_text(f"{total}\u00a0kr")
    assert_accessible(anna)

    with anna.expect_request(re.compile(r"/submit$")) as submitted:
        anna.get_by_role("button", name="Skicka in för attest").click()
    assert re.fullmatch(r"[0-9a-f-]{36}", submitted.value.headers["idempotency-key"])
    expect(anna.get_by_role("status").filter(has_text="Räkningen är inskickad för attest.")).to_be_visible()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")
    history = anna.get_by_role("region", name="Händelser")
    expect(history).to_contain_text("Anna Andersson: Skickade in för attest")
    expect(anna.get_by_role("button", name="Skicka in för attest")).to_have_count(0)
    assert_accessible(anna)

    # Back in the list, the claim is there with its state and total.
    anna.get_by_role("link", name="Alla utlägg").click()
    claim = anna.locator(".item").filter(has=anna.locator(f'a[href="{claim_path}"]'))
    expect(claim).to_contain_text("Inskickad")
    expect(claim).to_contain_text(f"{total}\u00a0kr")


def test_a_missing_field_is_shown_next_to_that_field_of_that_expense(anna: Page) -> None:
    today = stockholm_today().isoformat()
    open_expenses(anna)
    anna.get_by_role("link", name="Välj fil eller fyll i utan kvitto").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Nytt kvitto")
    assert_accessible(anna)

    # A taxi without a receipt (explained in the comment), and the merchant left out.
    anna.get_by_role("link", name="Utlägg utan kvitto").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Nytt utlägg")
    anna.get_by_label("Belopp", exact=True).fill("123,45")
    anna.get_by_label("Datum", exact=True).fill(today)
    anna.get_by_label("Kategori").select_option(label="Taxi")
    anna.get_by_label("Kommentar").fill("Kvittot blev kvar i taxin från Arlanda.")
    # The project picker searches names and codes at every level of the tree.
    anna.get_by_label("Sök projekt").fill("förvaltning prog")
    option = anna.locator("#project-results").get_by_role("button")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("Kundportal / Förvaltning / Programmering")
    option.click()
    expect(anna.get_by_text("Valt projekt:")).to_contain_text("P100 / P100.2 / P100.2.DEV")
    assert_accessible(anna)
    anna.get_by_role("button", name="Spara").click()
    # Saved; what submitting would refuse is shown at once, beside the field.
    expect(anna.get_by_role("status").filter(has_text="Utlägget är sparat. Rätta det som är markerat")).to_be_visible()
    expect(anna.locator("#expense-merchant-error")).to_have_text("Ange var du handlade.")
    anna.get_by_role("link", name="Alla utlägg").click()
    expect(anna).to_have_url(re.compile(r"/expenses$"))

    select_draft(anna, "123,45")
    anna.get_by_role("button", name="Skapa räkning av 1 valda").click()
    expect(anna).to_have_url(re.compile(r"/expenses/claims/[0-9a-f-]{36}$"))
    anna.get_by_role("button", name="Skicka in för attest").click()

    # Every problem at once, in a summary and next to the field of the expense it is about.
    summary = anna.locator("#claim-problems")
    expect(summary).to_contain_text("Räkningen kan inte skickas in: 1 sak att rätta")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text("Utlägg utan butik: Butik eller säljare")
    card = anna.locator(".claim-expense").filter(has_text="123,45")
    merchant_row = card.locator("[data-field=merchant]")
    expect(merchant_row.locator("dt")).to_have_text("Butik eller säljare")
    expect(merchant_row.locator(".field__error")).to_have_text(re.compile("Ange var du handlade"))
    expect(card.locator("[data-field=amount] .field__error")).to_have_count(0)
    expect(anna.locator(".page-title .badge")).to_have_text("Utkast")
    assert_accessible(anna)

    # "Rätta utlägget" opens the form with the problem next to the merchant field.
    card.get_by_role("link", name=re.compile("Rätta utlägget")).click()
    merchant = anna.get_by_label("Butik eller säljare")
    expect(merchant).to_have_attribute("aria-invalid", "true")
    expect(merchant).to_have_attribute("aria-describedby", re.compile("expense-merchant-error"))
    expect(anna.locator("#expense-merchant-error")).to_have_text(re.compile("Ange var du handlade"))
    assert_accessible(anna)

    merchant.fill("Taxi Stockholm")
    expect(anna.locator("#expense-merchant-error")).to_have_count(0)
    anna.get_by_role("button", name="Spara").click()
    # Saved, the app goes back to the claim, where it can now be submitted.
    expect(anna).to_have_url(re.compile(r"/expenses/claims/[0-9a-f-]{36}$"))
    expect(anna.locator("#claim-problems")).to_have_count(0)
    anna.get_by_role("button", name="Skicka in för attest").click()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")


def test_an_upload_whose_answer_is_lost_is_sent_again_and_makes_one_expense(
    anna: Page, receipt: tuple[Path, dict[str, object]]
) -> None:
    image, _ = receipt
    sent: list[str] = []

    def lose_first_answer(route: Route) -> None:
        body = route.request.post_data_buffer or b""
        match = re.search(rb'name="expense_id"\r\n\r\n([0-9a-f-]{36})', body)
        sent.append(match.group(1).decode() if match else "")
        if len(sent) == 1:
            route.fetch()  # the server receives it and answers...
            route.abort("connectionreset")  # ...but the phone never hears back
        else:
            route.continue_()

    anna.context.route("**/api/receipts", lose_first_answer)  # the context also sees the service worker's requests
    open_expenses(anna)
    anna.get_by_label("Nytt kvitto").set_input_files(image)
    expect(anna).to_have_url(EXPENSE_URL)
    expense_id = EXPENSE_URL.search(anna.url).group(1)  # type: ignore[union-attr]

    expect(anna.get_by_text("Ingen kontakt just nu.")).to_be_visible()
    anna.get_by_role("button", name="Försök igen").click()
    expect(anna.get_by_label("Belopp", exact=True)).to_be_visible()

    # The retry may come from the service worker (Background Sync), whose requests routing does not see.
    assert set(sent) == {expense_id}
    mine = anna.request.get("/api/expenses").json()
    assert [e["id"] for e in mine].count(expense_id) == 1
    receipt_id = next(e["receipt"]["id"] for e in mine if e["id"] == expense_id)
    assert sum(1 for e in mine if e["receipt"] and e["receipt"]["id"] == receipt_id) == 1
    # Tidy up: tests share one database.
    assert anna.request.delete(f"/api/expenses/{expense_id}", headers={"X-CSRF-Token": csrf_token(anna.context)}).ok


def return_as_manager(phone: Page, live_server: str, claim_id: str, reason: str) -> None:
    assert phone.context.browser is not None
    manager = api_session(phone.context.browser, live_server, MARIA)
    try:
        item = inbox_item(manager, claim_id)
        answer = manager.request.post(
            f"/api/attest/items/{item['id']}/return",
            data={"reason": reason, "version": item["version"]},
            headers={"X-CSRF-Token": csrf_token(manager)},
        )
        assert answer.ok, answer.text()
    finally:
        manager.close()


def test_a_returned_claim_shows_why_and_can_be_corrected_and_submitted_again(anna: Page, live_server: str) -> None:
    claim_id = submit_parking_claim(anna.context, "Aimo Park Centralen", "145.00")
    return_as_manager(anna, live_server, claim_id, "Fel belopp: kvittot säger 154 kr.")

    anna.goto(f"/expenses/claims/{claim_id}")
    expect(anna.locator(".page-title .badge")).to_have_text("Tillbakaskickad")
    returned = anna.get_by_role("region", name="Räkningen skickades tillbaka")
    expect(returned).to_contain_text("Anledning: Fel belopp: kvittot säger 154 kr.")
    history = anna.get_by_role("region", name="Händelser")
    expect(history).to_contain_text("Maria Berg: Skickade tillbaka")
    expect(history).to_contain_text("Anledning: Fel belopp: kvittot säger 154 kr.")
    assert_accessible(anna)

    anna.get_by_role("link", name=re.compile("^Ändra")).click()
    amount = anna.get_by_label("Belopp", exact=True)
    expect(amount).to_have_value("145,00")
    amount.fill("154,00")
    anna.get_by_role("button", name="Spara").click()

    expect(anna).to_have_url(re.compile(f"/expenses/claims/{claim_id}$"))
    expect(anna.locator(".claim-total")).to_have_text("154,00\u00a0kr")
    anna.get_by_role("button", name="Skicka in igen").click()
    expect(anna.locator(".page-title .badge")).to_have_text("Inskickad")
    expect(history).to_contain_text("Anna Andersson: Skickade in igen")


def test_a_foreign_receipt_asks_for_the_rate_by_hand_without_errors_in_the_console(anna: Page) -> None:
    """The test server has no rate provider: the form says to enter the rate, and nothing fails on the way."""
    failures: list[str] = []
    anna.on("console", lambda message: failures.append(message.text) if message.type == "error" else None)
    anna.on(
        "response",
        lambda response: failures.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    expense_id = str(uuid4())
    created = anna.request.put(
        f"/api/expenses/{expense_id}",
        data={"merchant": "SIA Rimi Latvia", "amount": "31.44", "currency": "EUR", "category": "meal"},
        headers={"X-CSRF-Token": csrf_token(anna.context)},
    )
    assert created.status == 201, created.text()

    with anna.expect_response(re.compile(r"/api/exchange-rates/EUR")) as asked:
        anna.goto(f"/expenses/{expense_id}")
    rate = anna.get_by_label("Växelkurs (kronor för 1 EUR)")
    expect(rate).to_be_visible()
    expect(rate).to_have_value("")
    expect(anna.locator("#expense-exchange_rate-hint")).to_contain_text("Kursen hämtas inte automatiskt")
    assert asked.value.status == 200
    rate.fill("11,2345")
    expect(anna.locator("#expense-exchange_rate-hint")).to_contain_text("353,21")  # 31,44 x 11,2345 in kronor
    anna.get_by_label("Valuta").select_option("USD")
    expect(anna.get_by_label("Växelkurs (kronor för 1 USD)")).to_be_visible()

    assert failures == []


def test_a_corrected_seller_is_filled_in_as_corrected_on_the_next_receipt(anna: Page) -> None:
    """Learning from corrections, as the employee sees it: the next receipt says where its values came from."""
    image = RECEIPTS / "sv-dev-013.jpg"  # a receipt no other browser test files, so the correction stays here
    if not image.is_file():
        pytest.skip(f"The shared receipts are not here ({RECEIPTS}): they live outside the repository, in ../shared")
    open_expenses(anna)
    anna.get_by_label("Nytt kvitto").set_input_files(image)
    expect(anna).to_have_url(EXPENSE_URL)
    expect(anna.get_by_label("Belopp", exact=True)).not_to_have_value("", timeout=READ_TIMEOUT_MS)
    expect(anna.locator("#expense-merchant-hint")).to_have_count(0)
    anna.get_by_label("Butik eller säljare").fill("Mälartåg Regional AB")
    anna.get_by_label("Kategori").select_option(label="Taxi")  # not what the reader guesses for a train
    date_field = anna.get_by_label("Datum", exact=True)
    if date.fromisoformat(date_field.input_value()) < stockholm_today() - timedelta(days=300):
        date_field.fill(stockholm_today().isoformat())
    anna.get_by_role("button", name="Spara").click()
    expect(anna).to_have_url(re.compile(r"/expenses$"))

    anna.get_by_label("Nytt kvitto").set_input_files(image)
    expect(anna).to_have_url(EXPENSE_URL)

    expect(anna.get_by_label("Butik eller säljare")).to_have_value("Mälartåg Regional AB", timeout=READ_TIMEOUT_MS)
    expect(anna.get_by_label("Kategori")).to_have_value("taxi")
    remembered = "Ifyllt från din organisations tidigare rättelse"
    expect(anna.locator("#expense-merchant-hint")).to_have_text(remembered)
    expect(anna.locator("#expense-category-hint")).to_have_text(remembered)
    assert_accessible(anna)
