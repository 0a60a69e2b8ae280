"""What keeps the app current and the session honest: updates on request, renewal while in use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

ANNA = "anna.andersson@demo.se"


@pytest.mark.clockless  # a new build of the app, not a date
def test_a_new_version_is_offered_and_taken_on_reload(phone: Page, served_dist: Path) -> None:
    phone.goto("/login")
    phone.evaluate(
        """() => navigator.serviceWorker.controller ? true : new Promise(resolve =>
            navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true }))"""
    )
    expect(phone.get_by_text("En ny version av appen finns.")).to_have_count(0)

    worker = served_dist / "sw.js"
    original = worker.read_bytes()
    try:
        worker.write_bytes(original + b"\n// a new deployment\n")
        phone.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.update())")

        expect(phone.get_by_role("status").filter(has_text="En ny version av appen finns.")).to_be_visible()
        with phone.expect_event("load"):
            phone.get_by_role("button", name="Ladda om").click()
        expect(phone.get_by_text("En ny version av appen finns.")).to_have_count(0)
        assert phone.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.waiting === null)")
    finally:
        worker.write_bytes(original)


def test_an_active_session_is_renewed_and_an_idle_one_ends(phone: Page) -> None:
    phone.clock.install()
    login(phone, ANNA)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hej Anna!")

    # 26 of the session's 30 minutes later the user taps: the app renews the session first.
    phone.clock.fast_forward("26:00")
    with phone.expect_response(re.compile(r"/api/auth/refresh$")) as renewed:
        phone.get_by_role("heading", level=1).click()
    assert renewed.value.ok

    # Left alone past the renewed session's end, the app goes back to the login screen and says why.
    phone.clock.fast_forward("31:00")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(phone.get_by_role("status").filter(has_text="varit inaktiv")).to_be_visible()
