"""Signing in through the organisation's own OpenID Provider, in Chromium, against a real provider (oidc-provider)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PHONE, _selfservice, running_server
from tests.support.openid_provider import RunningProvider, openid_provider
from tests.support.ports import any_port

pytestmark = pytest.mark.clockless

ANNA = "anna.andersson@demo.se"


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory, served_dist: Path) -> Iterator[str]:
    """A server whose Demo AB signs in at a real provider (by verified e-mail, no provisioning)."""
    port = any_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = tmp_path_factory.mktemp("sso-data")
    with (
        openid_provider([f"{url}/api/auth/sso/callback"]) as provider,
        running_server(data_dir, served_dist, port=port, PUBLIC_URL=url) as served,
    ):
        configure(data_dir, provider)
        yield served


def configure(data_dir: Path, provider: RunningProvider) -> None:
    _selfservice(
        {"APP_ENV": "test", "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"},
        "sso", "set", "--organisation", "Demo AB", "--domain", "demo.se", "--issuer", provider.issuer,
        "--client-id", provider.client_id, "--client-secret", provider.client_secret,
    )  # fmt: skip


def at_provider(page: Page, login: str) -> None:
    """What the person does at the provider: its login screen, then its consent screen."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("whatever the provider asks")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]", has_text="Continue").click()


def test_an_employee_signs_in_through_the_organisation_and_lands_where_she_was_heading(
    browser: Browser, sso_server: str
) -> None:
    context = browser.new_context(base_url=sso_server, **PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()

    page.goto("/expenses")
    expect(page).to_have_url(f"{sso_server}/login?next=%2Fexpenses")
    page.locator("#login-email").fill(ANNA)
    page.get_by_role("button", name="Logga in via din organisation").click()

    page.wait_for_url(lambda address: not address.startswith(sso_server))
    expect(page.locator("input[name=login]")).to_have_value(ANNA)  # the address typed went along as a hint
    at_provider(page, ANNA)

    page.wait_for_url(f"{sso_server}/expenses")
    expect(page.locator(".user-menu__button")).to_be_visible()
    expect(page.locator(".user-menu__button")).to_contain_text("Anna")
    context.close()


def test_the_login_page_says_why_single_sign_on_did_not_work(browser: Browser, sso_server: str) -> None:
    context = browser.new_context(base_url=sso_server, **PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()

    # An address whose organisation has no single sign-on: told at the field, in Swedish.
    page.goto("/login")
    page.locator("#login-email").fill("someone@example.org")
    page.get_by_role("button", name="Logga in via din organisation").click()
    expect(page.locator("#login-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("form:has(#login-email)")).to_contain_text("Använd lösenord")

    # Someone the provider knows but who has no account here: back at the login page with the reason.
    page.locator("#login-email").fill("ny.medarbetare@demo.se")
    page.get_by_role("button", name="Logga in via din organisation").click()
    page.wait_for_url(lambda address: not address.startswith(sso_server))
    at_provider(page, "ny.medarbetare@demo.se")
    page.wait_for_url(f"{sso_server}/login?sso_error=sso_no_account")
    expect(page.get_by_role("alert")).to_contain_text("det finns inget konto här för dig")
    expect(page.locator(".user-menu__button")).to_have_count(0)
    context.close()
