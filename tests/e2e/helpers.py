"""Steps that browser tests share: signing in and out, the user menu, the account's language."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

DEMO_PASSWORD = "demo1234"  # the documented demo password (backend/demo/seed.py)


def login(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login screen and wait until the app shows the signed-in user."""
    if "/login" not in page.url:
        page.goto("/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page.locator(".user-menu__button")).to_be_visible()


def open_user_menu(page: Page) -> None:
    button = page.locator(".user-menu__button")
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    expect(page.locator("#user-menu-panel")).to_be_visible()


def logout(page: Page) -> None:
    open_user_menu(page)
    page.locator("#user-menu-panel").get_by_role("button", name=re.compile("Logga ut|Sign out")).click()


def csrf_token(context: BrowserContext) -> str:
    return next(cookie["value"] for cookie in context.cookies() if cookie["name"] == "selfservice_csrf")


def set_account_locale(context: BrowserContext, email: str, locale: str) -> None:
    """Put an account's language back through the API (tests share one database)."""
    login_response = context.request.post("/api/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    assert login_response.ok, login_response.text()
    response = context.request.patch("/api/me", data={"locale": locale}, headers={"X-CSRF-Token": csrf_token(context)})
    assert response.ok, response.text()
