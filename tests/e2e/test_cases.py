"""Error reports (felanmälan) in the browser: Anna reports an error on a payslip line on her phone, Lena (payroll)
finds it in her case inbox on a desktop and answers it, and Anna sees the answer on her case page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import login, open_user_menu
from tests.e2e.test_attest import ANNA

pytestmark = pytest.mark.e2e

LENA = "lena.lind@demo.se"
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture
def lena(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, **DESKTOP)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_anna_reports_an_error_on_a_payslip_line_and_sees_payrolls_answer(phone: Page, lena: Page) -> None:
    what = f"Övertiden från vecka 46 saknas ({uuid.uuid4().hex[:6]})"
    answer = "Tack! Den kommer med på decemberlönen."

    login(phone, ANNA)
    phone.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Lön").click()
    expect(phone.locator("#payslip-period")).to_contain_text("Lönespecifikation")
    first_line = phone.locator(".line").first
    line_text = first_line.locator(".line__text").first.inner_text().splitlines()[0]
    first_line.get_by_role("button", name=re.compile("^Felanmäl: ")).click()
    form = phone.get_by_role("form", name=re.compile("^Felanmälan: "))
    form.get_by_label("Vad är fel?").fill(what)
    form.get_by_role("button", name="Skicka felanmälan").click()
    sent = phone.get_by_role("status").filter(has_text="Felanmälan är skickad till lön.")
    expect(sent).to_be_visible()
    sent.get_by_role("link", name="Öppna ärendet").click()
    expect(phone).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}$"))
    case_url = phone.url
    case_path = case_url[case_url.index("/cases/") :]
    expect(phone.get_by_role("heading", level=1)).to_contain_text(line_text)
    expect(phone.locator(".badge--case-new")).to_have_text("Ny")
    expect(phone.locator(".case-timeline")).to_contain_text(what)
    assert_accessible(phone)

    login(lena, LENA)
    lena.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ärenden", exact=True).click()
    expect(lena.get_by_role("heading", level=1)).to_have_text("Ärenden")
    row = lena.locator(f'a[href="{case_path}"]')
    expect(row).to_contain_text("Anna Andersson")
    expect(row).to_contain_text("Lönens gemensamma kö")
    assert_accessible(lena)
    row.click()
    expect(lena.locator(".case-timeline")).to_contain_text(what)
    lena.get_by_role("button", name="Ta ärendet").click()
    expect(lena.locator(".facts")).to_contain_text("Lena Lind")
    lena.get_by_label("Meddelande").fill(answer)
    lena.get_by_role("button", name="Skicka", exact=True).click()
    expect(lena.locator(".badge--case-answered")).to_have_text("Besvarad")

    phone.reload()
    expect(phone.locator(".badge--case-answered")).to_have_text("Besvarad")
    timeline = phone.locator(".case-timeline")
    expect(timeline.locator(".case-message").last).to_contain_text(answer)
    expect(timeline).to_contain_text("Lena Lind (Lön)")
    open_user_menu(phone)
    phone.locator("#user-menu-panel").get_by_role("link", name="Mina ärenden").click()
    mine = phone.locator(f'a[href="{case_path}"]')
    expect(mine).to_contain_text("Besvarad")
