"""Forgot the password: ask for a link on the login page, open it from the e-mail, choose a new one, sign in."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import PHONE, running_server
from tests.e2e.helpers import login
from tests.support.mail import Inbox, smtp_server

pytestmark = pytest.mark.clockless

ANNA = "anna.andersson@demo.se"
NEW = "ett nytt långt lösenord"


@pytest.fixture(scope="module")
def mailing_server(tmp_path_factory: pytest.TempPathFactory, served_dist: Path) -> Iterator[tuple[str, Inbox]]:
    with (
        smtp_server() as (port, inbox),
        running_server(
            tmp_path_factory.mktemp("reset-data"),
            served_dist,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(port),
            SMTP_SECURITY="none",
        ) as url,
    ):
        yield url, inbox


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    browser: Browser, mailing_server: tuple[str, Inbox]
) -> None:
    url, inbox = mailing_server
    context = browser.new_context(base_url=url, **PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto("/login")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.locator("#forgot-email").fill(ANNA)
    page.get_by_role("button", name="Skicka länk").click()
    expect(page.locator(".alert--success")).to_contain_text("Om adressen hör till ett konto")

    deadline = time.monotonic() + 10
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    [(_, message)] = inbox.messages
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"(/password/reset#token=[\w-]+)", body.get_content())
    assert found is not None

    page.goto(found.group(1))
    page.locator("#reset-password").fill(NEW)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.locator(".alert--success")).to_contain_text("Lösenordet är bytt")
    assert "token" not in page.url

    page.get_by_role("link", name="Tillbaka till inloggningen").click()
    login(page, ANNA, NEW)
    context.close()
