"""The preliminary payslip on a phone, and payroll's overview of the period.

The payslip follows attest: when Maria approves Anna's expense claim, the pay it reaches
(the period the inbox names for it) gains a tax-free line and Anna's net pay grows by
exactly the claim's amount. Nothing here finalises a pay run: the tests share one database.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.domain.payslip.text import MONTHS_SV
from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import (
    api_session,
    inbox_item,
    kronor,
    login,
    new_phone,
    open_payslip_for,
    submit_parking_claim,
)
from tests.e2e.test_attest import ANNA, MARIA

pytestmark = pytest.mark.e2e

LENA = "lena.lind@demo.se"  # payroll


@pytest.fixture
def anna(phone: Page) -> Page:
    login(phone, ANNA)
    return phone


def test_annas_preliminary_net_pay_grows_by_her_claim_when_maria_approves_it(
    anna: Page, browser: Browser, live_server: str
) -> None:
    claim_id = submit_parking_claim(anna.context, "Slussen P-hus", "120.00")
    manager = api_session(browser, live_server, MARIA)
    try:
        item = inbox_item(manager, claim_id)
        reaches = str(item["cutoff"]["pay_period"])  # type: ignore[index]
    finally:
        manager.close()

    open_payslip_for(anna, reaches)
    hero = anna.locator(".payslip-hero")
    expect(hero.locator(".badge--preliminary")).to_have_text("Preliminär")
    expect(hero).to_contain_text("Preliminär: beräknad")
    net_before = kronor(hero.locator(".net-pay").inner_text())
    pending = anna.get_by_role("region", name="Väntar eller kommer senare")
    waiting = pending.get_by_role("listitem").filter(has_text="Parkering Slussen P-hus")
    expect(waiting).to_contain_text("Väntar på attest")
    expect(waiting.get_by_role("link")).to_have_attribute("href", f"/expenses/claims/{claim_id}")
    expect(
        anna.get_by_role("group", name=re.compile("^Skattefria ersättningar")).filter(has_text="Slussen P-hus")
    ).to_have_count(0)
    assert_accessible(anna)

    maria = new_phone(browser, live_server)
    try:
        login(maria, MARIA)
        maria.goto(f"/attest/items/{item['id']}")
        maria.get_by_role("button", name="Attestera", exact=True).click()
        expect(maria.get_by_role("status").filter(has_text="Attesterad: Parkering Slussen P-hus")).to_be_visible()
    finally:
        maria.context.close()

    anna.reload()
    tax_free = anna.get_by_role("group", name=re.compile("^Skattefria ersättningar"))
    line = tax_free.locator(".line").filter(has_text="Utlägg: Slussen P-hus")
    expect(line).to_contain_text("120,00\u00a0kr")
    expect(pending.get_by_role("listitem").filter(has_text="Parkering Slussen P-hus")).to_have_count(0)
    assert kronor(hero.locator(".net-pay").inner_text()) == net_before + Decimal("120.00")

    # Tapping a line shows how it was computed.
    explanation = line.locator(".line__explanation")
    expect(explanation).to_be_hidden()
    line.locator("summary").click()
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("Skattefri")
    assert_accessible(anna)


def test_the_payslip_puts_net_pay_first_groups_lines_and_lists_earlier_payslips(anna: Page) -> None:
    anna.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Lön").click()
    hero = anna.locator(".payslip-hero")
    expect(hero.locator(".net-pay")).to_have_text(re.compile(r"^[\d\s\u00a0\u202f]+,\d{2}\u00a0kr$"))
    lines = anna.get_by_role("region", name="Rader")
    expect(lines.get_by_role("group", name=re.compile("^Lön"))).to_contain_text("Månadslön")
    expect(lines.get_by_role("group", name=re.compile(r"^Skatt\s"))).to_contain_text("Preliminär skatt")
    pdf = hero.get_by_role("link", name=re.compile("^Preliminär lönespecifikation som PDF"))
    response = anna.request.get(pdf.get_attribute("href") or "")
    assert response.ok
    assert response.headers["content-type"].startswith("application/pdf")
    history = anna.get_by_role("region", name="Lönespecifikationer")
    expect(history.get_by_role("link").first).to_have_attribute("aria-current", "page")
    assert_accessible(anna)


def test_payroll_sees_everyones_preliminary_pay_sorts_it_and_confirms_before_finalising(
    browser: Browser, live_server: str, web_app_loads: None
) -> None:
    lena = new_phone(browser, live_server)
    try:
        login(lena, LENA)
        lena.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Löneöversikt").click()
        expect(lena.get_by_role("heading", level=1)).to_have_text("Löneöversikt")
        totals = lena.get_by_role("region", name=re.compile("^Lönen för"))
        expect(totals).to_contain_text("Netto")
        table = lena.get_by_role("table")
        expect(table.get_by_role("row")).to_have_count(10)  # the header and the demo's nine employees
        assert_accessible(lena)

        net = table.get_by_role("columnheader", name=re.compile("^Netto"))
        net.get_by_role("button").click()
        expect(net).to_have_attribute("aria-sort", "descending")
        nets = [kronor(cell) for cell in table.locator("tbody tr td:nth-child(4)").all_inner_texts()]
        assert nets == sorted(nets, reverse=True)
        net.get_by_role("button").click()
        expect(net).to_have_attribute("aria-sort", "ascending")

        # Finalising asks first, says exactly what the run pays (its preview), and can be cancelled.
        runs_before = lena.request.get("/api/payroll/pay-runs").json()
        lena.get_by_role("button", name=re.compile(r"^Slutför lönekörningen för \w+ \d{4}…$")).click()
        dialog = lena.get_by_role("dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Det går inte att ångra.")
        preview = lena.request.get("/api/payroll/pay-runs/preview").json()
        paid_on = date.fromisoformat(preview["pay_date"])
        body = dialog.locator("#payroll-confirm-body")
        expect(body).to_contain_text(f"{preview['employees']} anställda, ")
        expect(body).to_contain_text(f"att betala ut {paid_on.day} {MONTHS_SV[paid_on.month - 1]} {paid_on.year}")
        said = re.search(r"anställda, ([\d\s\u00a0\u202f]+,\d{2}\u00a0kr) netto", body.inner_text())
        assert said is not None
        assert kronor(said.group(1)) == Decimal(preview["net_pay"])
        body.get_by_text("Vem får vad").click()
        expect(body.get_by_role("listitem")).to_have_count(preview["employees"])
        assert_accessible(lena)
        dialog.get_by_role("button", name="Avbryt").click()
        expect(dialog).to_be_hidden()
        assert lena.request.get("/api/payroll/pay-runs").json() == runs_before

        # An employee's row opens their payslip.
        table.get_by_role("link", name="Anna Andersson").click()
        expect(lena.locator("#payslip-period")).to_contain_text("Anna Andersson")
        assert_accessible(lena)
    finally:
        lena.context.close()


UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def test_the_payslip_reads_like_a_lonespecifikation_with_employer_table_year_to_date_and_vacation(anna: Page) -> None:
    anna.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Lön").click()
    facts = anna.get_by_role("region", name="Uppgifter")
    expect(facts).to_contain_text("Demo AB")
    expect(facts).to_contain_text("556677-8899")
    expect(facts).to_contain_text("Anna Andersson")
    expect(facts.locator("dt", has_text="Anst.nr")).to_have_count(1)
    expect(facts.locator("dt", has_text="Skattetabell")).to_have_count(1)
    expect(facts.locator("dt", has_text="Kolumn")).to_have_count(1)
    summary = anna.get_by_role("region", name="Rader").locator(".payslip-summary")
    expect(summary).to_contain_text("Skattepliktig bruttolön")
    expect(summary).to_contain_text(re.compile(r"Preliminär skatt \(tabell \d+, kolumn \d\)"))
    year_to_date = anna.get_by_role("region", name=re.compile(r"^Hittills i år \d{4}$"))
    expect(year_to_date).to_contain_text("Utbetalt netto")
    vacation = anna.get_by_role("region", name=re.compile(r"^Semester \d{4}$"))
    expect(vacation).to_contain_text("Betalda dagar")
    expect(vacation).to_contain_text("Sparade")
    expect(vacation).to_contain_text("förs ej")
    assert not UUID_TEXT.search(anna.locator("main").inner_text())
    assert_accessible(anna)
