"""An employee on her phone: sign in, see who she is and the month's dates, switch language, sign out."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import login, logout, open_user_menu, set_account_locale

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"


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


def test_a_wrong_password_shows_the_servers_explanation(phone: Page) -> None:
    phone.goto("/login")
    phone.get_by_label("E-postadress").fill(ANNA)
    phone.get_by_label("Lösenord").fill("not-the-password")
    phone.get_by_role("button", name="Logga in").click()

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
    assert_accessible(phone)

    open_user_menu(phone)
    assert_accessible(phone)
