"""Notifications in Chromium: a push delivered through the DevTools protocol is shown by the service
worker; the bell counts unread notices; the settings page works and is accessible."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import csrf_token, login, registration_id, shown_notifications

ANNA = "anna.andersson@demo.se"
MARIA = "maria.berg@demo.se"


@pytest.fixture
def anna(phone: Page, live_server: str) -> Page:
    phone.context.grant_permissions(["notifications"], origin=live_server)
    phone.goto("/login")
    phone.evaluate("() => navigator.serviceWorker.ready")
    login(phone, ANNA)
    return phone


def test_the_service_worker_shows_a_pushed_message_with_an_action_to_the_inbox(anna: Page, live_server: str) -> None:
    cdp = anna.context.new_cdp_session(anna)
    registration = registration_id(cdp, f"{live_server}/")
    payload = {
        "title": "2 nya poster att attestera",
        "body": "Öppna inkorgen och attestera.",
        "url": "/attest",
        "tag": "attest-digest",
        "ids": {"count": "2", "lang": "sv"},
    }

    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server, "registrationId": registration, "data": json.dumps(payload, ensure_ascii=False)},
    )

    [shown] = shown_notifications(anna, 1)
    assert shown["title"] == "2 nya poster att attestera"
    assert shown["body"] == "Öppna inkorgen och attestera."
    assert shown["tag"] == "attest-digest"
    assert shown["data"]["url"] == "/attest"
    assert shown["actions"] == ["Öppna inkorgen"]


def test_an_english_push_for_a_decision_gets_english_buttons(anna: Page, live_server: str) -> None:
    cdp = anna.context.new_cdp_session(anna)
    registration = registration_id(cdp, f"{live_server}/")
    payload = {"title": "Approved: Taxi", "url": "/expenses", "tag": "item_decided", "ids": {"lang": "en"}}

    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server, "registrationId": registration, "data": json.dumps(payload)},
    )

    shown = [n for n in shown_notifications(anna, 1) if n["tag"] == "item_decided"]
    assert shown[0]["title"] == "Approved: Taxi"
    assert shown[0]["actions"] == ["Open"]


def test_the_bell_counts_unread_notices_and_the_list_marks_them_read(anna: Page) -> None:
    csrf = {"X-CSRF-Token": csrf_token(anna.context)}
    anna.context.request.post("/api/notifications/read-all", headers=csrf)  # other tests notify Anna too
    sent = anna.context.request.post("/api/notifications/test", headers=csrf)
    assert sent.status == 202, sent.text()
    anna.goto("/start")

    bell = anna.locator(".notice-bell")
    expect(bell).to_have_attribute("aria-label", "Notiser, 1 olästa")
    bell.click()
    expect(anna.get_by_role("heading", name="Notiser")).to_be_visible()
    expect(anna.locator(".notice--unread")).to_have_count(1)
    anna.get_by_role("button", name="Markera alla som lästa").click()

    expect(anna.locator(".notice--unread")).to_have_count(0)
    expect(bell).to_have_attribute("aria-label", "Notiser")
    assert_accessible(anna)


def test_the_settings_page_saves_choices_and_quiet_hours(phone: Page) -> None:
    login(phone, MARIA)
    phone.goto("/notifications/settings")
    reminders = phone.get_by_role("group", name="Påminnelser före brytdatum")
    expect(reminders).to_be_visible()

    reminders.get_by_label("Push").uncheck()
    phone.get_by_label("Från").fill("21:30")
    phone.get_by_role("button", name="Spara").click()
    expect(phone.locator(".notices__status")).to_have_text("Sparat.")
    assert_accessible(phone)
    phone.reload()

    expect(phone.get_by_role("group", name="Påminnelser före brytdatum").get_by_label("Push")).not_to_be_checked()
    expect(phone.get_by_label("Från")).to_have_value("21:30")
