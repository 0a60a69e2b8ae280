"""The start page on a phone: sign in, what needs doing now (per role), who you are and the month's dates, language, sign out."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import login, logout, open_user_menu, set_account_locale

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"
MARIA = "maria.berg@demo.se"  # Anna's manager
LENA = "lena.lind@demo.se"  # payroll
ADMIN = "admin@demo.se"  # no employee: no pay, no time


def fact(page: Page, term: str) -> str:
    """The value next to a label in a fact list (<dt>term</dt><dd>value</dd>)."""
    return page.locator(".facts > div").filter(has=page.locator("dt", has_text=term)).locator("dd").inner_text()


@pytest.fixture
def anna_back_in_swedish(phone: Page) -> Iterator[None]:
    """Tests share one database: whatever language a test leaves Anna's account in, reset it."""
    yield
    set_account_locale(phone.context, ANNA, "sv")


def test_employee_sees_her_name_manager_and_the_months_dates(phone: Page) -> None:
    login(phone, ANNA)

    expect(phone).to_have_url(re.compile(r"/start$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hej Anna!")
    expect(phone.locator("html")).to_have_attribute("lang", "sv")
    assert fact(phone, "Namn") == "Anna Andersson"
    assert fact(phone, "Organisation") == "Demo AB"
    assert fact(phone, "Roller") == "anställd"
    assert fact(phone, "Chef") == "Maria Berg"
    expect(phone.locator(".facts dd", has_text="den 8:e")).to_be_visible()
    assert fact(phone, "Brytdatum") == "den 8:e"
    assert fact(phone, "Löning") == "den 25:e"
    # Made for a 360 px phone: nothing sticks out sideways.
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.clockless  # no date is read or shown
def test_a_wrong_password_shows_the_servers_explanation(phone: Page) -> None:
    phone.goto("/login")
    phone.get_by_label("E-postadress").fill(ANNA)
    phone.get_by_label("Lösenord").fill("not-the-password")
    phone.get_by_role("button", name="Logga in", exact=True).click()

    alert = phone.get_by_role("alert")
    expect(alert).to_contain_text("Fel e-post eller lösenord")
    expect(phone).to_have_url(re.compile(r"/login"))


@pytest.mark.usefixtures("anna_back_in_swedish")
def test_switching_to_english_changes_the_texts_and_is_remembered(phone: Page, live_server: str) -> None:
    login(phone, ANNA)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hej Anna!")

    open_user_menu(phone)
    with phone.expect_response(lambda r: r.url.endswith("/api/me") and r.request.method == "PATCH") as saved:
        phone.get_by_role("button", name="English").click()
    assert saved.value.ok

    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello Anna!")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    assert fact(phone, "Cut-off day") == "the 8th"
    assert fact(phone, "Pay day") == "the 25th"
    assert fact(phone, "Roles") == "employee"
    assert phone.evaluate("() => localStorage.getItem('selfservice.locale')") == "en"

    # After a reload the app still speaks English, and asks the API for English too.
    with phone.expect_request(lambda r: r.url.endswith("/api/organisation")) as asked:
        phone.reload()
    assert asked.value.headers["accept-language"] == "en"
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello Anna!")

    # The account remembers it: a new phone without any stored choice opens in English.
    assert phone.context.browser is not None
    other = phone.context.browser.new_context(base_url=live_server, locale="sv-SE")
    try:
        page = other.new_page()
        login(page, ANNA)
        expect(page.get_by_role("heading", level=1)).to_have_text("Hello Anna!")
    finally:
        other.close()


def test_a_deep_link_opens_directly(phone: Page, live_server: str) -> None:
    # The server answers any app address with the app itself (no 404 for /start).
    response = phone.request.get("/start")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")

    # Signed out, the deep link asks for a login first and then shows the page.
    phone.goto("/start")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Logga in")
    login(phone, ANNA)
    expect(phone).to_have_url(f"{live_server}/start")

    # Signed in, the deep link loads straight into the page.
    phone.goto("/start")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hej Anna!")
    assert fact(phone, "Chef") == "Maria Berg"

    # An address the app does not have says so, inside the app.
    phone.goto("/no-such-page")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


@pytest.mark.clockless  # no date is read or shown
def test_the_app_is_installable_manifest_and_service_worker(phone: Page, live_server: str) -> None:
    phone.goto("/login")

    registration = phone.evaluate(
        "() => navigator.serviceWorker.ready.then(r => ({ script: r.active.scriptURL, scope: r.scope }))"
    )
    assert registration == {"script": f"{live_server}/sw.js", "scope": f"{live_server}/"}

    href = phone.locator("link[rel=manifest]").get_attribute("href")
    assert href
    response = phone.request.get(href)
    assert response.ok
    manifest = response.json()
    assert manifest["name"].startswith("Självservice")
    assert manifest["short_name"] == "Självservice"
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", manifest["background_color"])
    icons = manifest["icons"]
    assert {icon["sizes"] for icon in icons} >= {"192x192", "512x512"}
    assert any("maskable" in icon.get("purpose", "") for icon in icons)
    for icon in icons:
        image = phone.request.get(icon["src"])
        assert image.ok, icon["src"]
        assert image.headers["content-type"] == "image/png"
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert _png_size(image.body()) == (width, height), icon["src"]


@pytest.mark.clockless  # no date is read or shown
def test_the_service_worker_never_caches_api_answers(phone: Page) -> None:
    phone.goto("/login")
    phone.evaluate("() => navigator.serviceWorker.ready")
    login(phone, ANNA)
    expect(phone.locator(".facts dd", has_text="den 8:e")).to_be_visible()
    phone.reload()  # now under the service worker's control
    expect(phone.locator(".facts dd", has_text="den 8:e")).to_be_visible()

    cached = phone.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
            }
            return urls;
        }"""
    )
    assert any("/assets/" in url for url in cached), cached  # the app shell is cached...
    assert not [url for url in cached if "/api/" in url]  # ...the API never is


@pytest.mark.clockless  # no date is read or shown
def test_signing_out_returns_to_the_login_screen(phone: Page) -> None:
    login(phone, ANNA)
    logout(phone)

    expect(phone).to_have_url(re.compile(r"/login$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert phone.request.get("/api/me").status == 401
    phone.goto("/start")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_login_and_start_pages_have_no_serious_accessibility_problems(phone: Page) -> None:
    phone.goto("/login")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert_accessible(phone)

    login(phone, ANNA)
    expect(phone.locator(".facts dd", has_text="den 8:e")).to_be_visible()
    expect(phone.locator(".now-card[aria-busy=true]")).to_have_count(0)
    assert_accessible(phone)

    open_user_menu(phone)
    assert_accessible(phone)


# --- the "now" cards ------------------------------------------------------------------------


def cards(page: Page) -> Locator:
    return page.locator(".now-cards > .now-card")


def card(page: Page, heading: str | re.Pattern[str]) -> Locator:
    return cards(page).filter(has=page.get_by_role("heading", level=2, name=heading))


def cards_loaded(page: Page) -> None:
    expect(cards(page).first).to_be_visible()
    expect(page.locator(".now-card[aria-busy=true]")).to_have_count(0)


def text_of(locator: Locator) -> str:
    """Visible text with every kind of space (Intl puts no-break spaces in money) as one plain space."""
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def kronor_sv(amount: str) -> str:
    """Money as the Swedish app shows it: "33 309,16 kr"."""
    value = Decimal(amount)
    whole, fraction = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return f"{'−' if value < 0 else ''}{grouped},{fraction} kr"


def api_get(page: Page, path: str) -> Any:
    response = page.request.get(path)
    assert response.ok, response.text()
    return response.json()


def stockholm_today() -> date:
    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


def test_a_manager_sees_what_waits_for_her_attest_first(phone: Page, live_server: str) -> None:
    login(phone, MARIA)
    cards_loaded(phone)
    inbox = api_get(phone, "/api/attest/inbox?sort=oldest")
    assert inbox["total"] > 0, "the demo data has items waiting for Maria"

    # The attest card comes first, before her own time, pay and notifications.
    headings = [text_of(h) for h in cards(phone).locator("h2").all()]
    assert headings[0] == "Att attestera", headings
    assert headings[1] == "Tidrapportering", headings
    assert headings[-1] == "Senaste notiser", headings

    attest = card(phone, "Att attestera")
    count = "1 post väntar på din attest" if inbox["total"] == 1 else f"{inbox['total']} poster väntar på din attest"
    expect(attest).to_contain_text(count)
    oldest = inbox["items"][0]
    waited = "inskickad i dag" if oldest["days_waiting"] == 0 else f"har väntat {oldest['days_waiting']} dag"
    expect(attest).to_contain_text(waited)
    # The cut-off it must meet, as a Swedish date, and which month's pay that is.
    cutoff = date.fromisoformat(inbox["next_cutoff"]["date"])
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli"]
    months += ["augusti", "september", "oktober", "november", "december"]
    pay_month = months[int(inbox["next_cutoff"]["pay_period"][5:]) - 1]
    expect(attest).to_contain_text(
        f"Attestera senast {cutoff.day} {months[cutoff.month - 1]} {cutoff.year} för att nå {pay_month}lönen."
    )

    # The oldest item opens directly; the card's link opens the inbox.
    attest.get_by_role("link", name=re.compile(oldest["employee"]["name"])).click()
    expect(phone).to_have_url(f"{live_server}/attest/items/{oldest['id']}")
    phone.go_back()
    cards_loaded(phone)
    card(phone, "Att attestera").get_by_role("link", name="Öppna attestkorgen").click()
    expect(phone).to_have_url(f"{live_server}/attest")
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_an_employee_sees_unsubmitted_weeks_her_coming_pay_and_notices(phone: Page, live_server: str) -> None:
    login(phone, ANNA)
    cards_loaded(phone)

    # No attest card for an employee who is nobody's substitute.
    headings = [text_of(h) for h in cards(phone).locator("h2").all()]
    assert "Att attestera" not in headings
    assert headings[0] == "Tidrapportering", headings
    assert headings[-1] == "Senaste notiser", headings

    # Weeks: the finished weeks not yet submitted (or sent back), each a link to the week.
    weeks = api_get(phone, "/api/time/weeks")
    today = stockholm_today()
    open_weeks = [
        w
        for w in weeks
        if w["state"] in ("draft", "returned")
        and date.fromisoformat(w["week_start"]) + timedelta(days=7) <= today
        and (Decimal(w["expected_hours"]) > 0 or Decimal(w["total_hours"]) > 0)
    ]
    time_card = card(phone, "Tidrapportering")
    if open_weeks:
        first = min(open_weeks, key=lambda w: w["week_start"])
        number = int(first["week"][-2:])
        expect(time_card).to_contain_text(
            "1 vecka är inte inskickad" if len(open_weeks) == 1 else f"{len(open_weeks)} veckor är inte inskickade"
        )
        link = time_card.get_by_role("link", name=re.compile(rf"^Vecka {number},"))
        expect(link).to_have_attribute("href", f"/time/weeks/{first['week']}")
    else:
        expect(time_card).to_contain_text("Alla avslutade veckor är inskickade.")
    expect(time_card.get_by_role("link", name="Rapportera tid")).to_have_attribute("href", "/time")

    # Pay: the preliminary net pay in Swedish money, and what is not in it yet.
    payslip = api_get(phone, "/api/payslips/preliminary")
    pay = card(phone, re.compile(r"^Preliminär lön för "))
    assert kronor_sv(payslip["net_pay"]) in text_of(pay), (kronor_sv(payslip["net_pay"]), text_of(pay))
    pending = len(payslip["pending"])
    if pending:
        expect(pay).to_contain_text("1 post är inte med ännu" if pending == 1 else f"{pending} poster är inte med ännu")
    else:
        expect(pay).to_contain_text("Inget väntar")

    # Notifications: the unread count and the latest ones, linked to where they point.
    notices = api_get(phone, "/api/notifications?limit=3")
    notice_card = card(phone, "Senaste notiser")
    if notices["items"]:
        expect(notice_card.locator("li")).to_have_count(len(notices["items"]))
        expect(notice_card).to_contain_text(notices["items"][0]["title"])
    expect(notice_card.get_by_role("link", name="Alla notiser")).to_have_attribute("href", "/notifications")

    # Every card leads to its page.
    pay.get_by_role("link", name="Visa lönespecifikationen").click()
    expect(phone).to_have_url(f"{live_server}/payslip")
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_each_card_loads_on_its_own_and_fails_on_its_own(phone: Page) -> None:
    held: list[Route] = []
    # The inbox answers late, the payslip fails: neither holds up the other cards.
    phone.route("**/api/attest/inbox*", lambda route: held.append(route))
    phone.route("**/api/payslips/preliminary*", lambda route: route.fulfill(status=503, body="busy"))
    login(phone, MARIA)

    expect(card(phone, "Tidrapportering").get_by_role("link", name="Rapportera tid")).to_be_visible()
    expect(card(phone, "Senaste notiser")).not_to_have_attribute("aria-busy", "true")
    attest = card(phone, "Att attestera")
    expect(attest).to_have_attribute("aria-busy", "true")
    expect(attest).to_contain_text("Hämtar…")
    pay = card(phone, re.compile(r"^Preliminär lön"))
    expect(pay).to_contain_text("Kunde inte hämtas just nu.")
    # The profile facts below do not wait for the cards either.
    assert fact(phone, "Brytdatum") == "den 8:e"

    # The late answer arrives; the failed card can be tried again.
    phone.unroute("**/api/attest/inbox*")
    assert held
    for route in held:
        route.continue_()
    expect(attest).to_contain_text("väntar på din attest")
    phone.unroute("**/api/payslips/preliminary*")
    pay.get_by_role("button", name="Försök igen").click()
    expect(pay).to_contain_text("Att få utbetalt")
    expect(pay).not_to_contain_text("Kunde inte hämtas")


def test_payroll_sees_the_items_without_a_manager_and_admin_only_notices(phone: Page, live_server: str) -> None:
    login(phone, LENA)
    cards_loaded(phone)
    headings = [text_of(h) for h in cards(phone).locator("h2").all()]
    assert headings[0] == "Att attestera", headings
    logout(phone)

    login(phone, ADMIN)
    cards_loaded(phone)
    # No employee behind the account: no time, no pay, no inbox; notifications still.
    assert [text_of(h) for h in cards(phone).locator("h2").all()] == ["Senaste notiser"]


@pytest.fixture
def maria_back_in_swedish(phone: Page) -> Iterator[None]:
    yield
    set_account_locale(phone.context, MARIA, "sv")


@pytest.mark.usefixtures("maria_back_in_swedish")
def test_the_cards_speak_english_with_english_dates_and_money(phone: Page) -> None:
    phone.goto("/login")
    phone.get_by_role("button", name="English").click()
    login(phone, MARIA)
    cards_loaded(phone)

    headings = [text_of(h) for h in cards(phone).locator("h2").all()]
    assert headings[0] == "To approve", headings
    assert headings[-1] == "Latest notifications", headings
    payslip = api_get(phone, "/api/payslips/preliminary")
    value = Decimal(payslip["net_pay"])
    pay = card(phone, re.compile(r"^Preliminary pay for [A-Z][a-z]+ \d{4}$"))
    assert f"SEK {value:,.2f}" in text_of(pay), text_of(pay)
    inbox = api_get(phone, "/api/attest/inbox")
    cutoff = date.fromisoformat(inbox["next_cutoff"]["date"])
    expect(card(phone, "To approve")).to_contain_text(f"Approve by {cutoff.day} {cutoff:%B} {cutoff.year}")
