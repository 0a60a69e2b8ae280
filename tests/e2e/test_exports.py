"""The payroll office in the browser: Lena closes the last month whose cut-off has passed and downloads
both files, which a real XML Schema validator and an independent SIE reader accept."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import xmlschema
from playwright.sync_api import Browser, Page, expect

from backend.domain.calendar import PayPeriod, cutoff_date
from tests.e2e.helpers import login
from tests.support.sie_reader import read_sie

pytestmark = pytest.mark.e2e

LENA = "lena.lind@demo.se"
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}
PAXML_XSD = Path(__file__).resolve().parents[2].parent / "shared" / "payroll" / "paxml-2.0.xsd"


@pytest.fixture
def lena(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, accept_downloads=True, **DESKTOP)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def closable_period(lena: Page) -> PayPeriod:
    """The latest month whose cut-off has passed on the server's date (the demo follows the real date)."""
    cutoff_day = int(lena.request.get("/api/organisation").json()["cutoff_day"])
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    period = PayPeriod.of(today)
    return period if today > cutoff_date(period, cutoff_day) else period.previous()


def test_lena_closes_the_month_and_downloads_both_files(lena: Page) -> None:
    login(lena, LENA)
    period = closable_period(lena)
    lena.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Export", exact=True).click()
    expect(lena.get_by_role("heading", level=1)).to_have_text("Perioder och export")
    if str(period.year) not in lena.url:
        lena.goto(f"/payroll/periods?year={period.year}")
    card = lena.locator(f'section[aria-labelledby="period-{period}"]')
    expect(card.locator(".badge")).to_have_text("Öppen")

    card.get_by_role("button", name=re.compile("^Stäng ")).click()
    dialog = lena.get_by_role("dialog")
    expect(dialog).to_contain_text("fryses i en export")
    dialog.get_by_role("button", name="Ja, stäng och exportera").click()
    # The close is a job: the page says so, then shows the outcome when the job is done.
    expect(card.locator(".badge")).to_have_text(re.compile("^(Stängs…|Stängd)$"))
    expect(lena.locator("p.alert--success")).to_contain_text(
        re.compile(r"är stängd: \d+ poster exporterade"), timeout=30_000
    )
    expect(card.locator(".badge")).to_have_text("Stängd")
    batch = card.locator(".item").filter(has_text="Export 1")
    expect(batch).to_have_count(1)

    files: dict[str, bytes] = {}
    for kind, name in (("paxml", "Ladda ner PAXml (lön)"), ("sie", "Ladda ner SIE (bokföring)")):
        with lena.expect_download() as download:
            batch.get_by_role("link", name=name).click()
        saved = download.value.path()
        assert download.value.suggested_filename.startswith(f"{kind}-{period}-1.")
        files[kind] = Path(saved).read_bytes()

    xmlschema.XMLSchema(str(PAXML_XSD)).validate(io.BytesIO(files["paxml"]))
    assert b"<tidtrans" in files["paxml"] or b"<lonetrans" in files["paxml"]
    sie = read_sie(files["sie"])
    assert sie.checksum_ok
    assert sie.vouchers, "the demo's approved claims are booked"
    for voucher in sie.vouchers:
        assert sum((row.amount for row in voucher.rows), Decimal(0)) == 0, voucher

    # An export row looks wrong: payroll reports it from the row itself.
    batch.locator("summary", has_text="Visa raderna").click()
    first_row = batch.locator("tbody tr").first
    expect(first_row).to_be_visible()
    first_row.get_by_role("button", name=re.compile("^Felanmäl: ")).click()
    form = lena.get_by_role("form", name=re.compile("^Felanmälan: "))
    form.get_by_label("Vad är fel?").fill("Fel löneart för den här raden")
    form.get_by_role("button", name="Skicka felanmälan").click()
    expect(batch.get_by_role("status").filter(has_text="Felanmälan är skickad till lön.")).to_be_visible()

    # Closed once: the button now reopens, and a second export is made only after a reopen.
    expect(card.get_by_role("button", name=re.compile("^Öppna .* igen"))).to_be_visible()
