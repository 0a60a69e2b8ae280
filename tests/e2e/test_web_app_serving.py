"""How the server hands out the built web app: the right types, and caching that lets updates through."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import APIRequestContext, Page, Playwright, expect

from tests.e2e.helpers import login

# How the server serves the app's files (types, caching, CSP) does not depend on the date: the faketime run skips it.
pytestmark = [pytest.mark.e2e, pytest.mark.clockless]


@pytest.fixture
def http(playwright: Playwright, live_server: str) -> APIRequestContext:
    return playwright.request.new_context(base_url=live_server)


def test_index_and_deep_links_are_html_revalidated_on_every_load(http: APIRequestContext) -> None:
    for path in ("/", "/start", "/login", "/some/future/page"):
        response = http.get(path)
        assert response.status == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert response.headers["cache-control"] == "no-cache", path


def test_service_worker_and_manifest_have_types_browsers_accept(http: APIRequestContext) -> None:
    # Browsers refuse a service worker that is not served as JavaScript.
    worker = http.get("/sw.js")
    assert worker.status == 200
    assert re.match(r"(text|application)/javascript", worker.headers["content-type"]), worker.headers
    assert worker.headers["cache-control"] == "no-cache"
    manifest = http.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith(("application/manifest+json", "application/json"))
    assert manifest.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_scripts_and_styles_cached_for_good(http: APIRequestContext) -> None:
    html = http.get("/").text()
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', html)
    assert any(a.endswith(".js") for a in assets), html
    assert any(a.endswith(".css") for a in assets), html
    for asset in assets:
        response = http.get(asset)
        assert response.status == 200, asset
        # Module scripts and stylesheets with any other type are refused by the browser.
        expected = r"(text|application)/javascript" if asset.endswith(".js") else r"text/css"
        assert re.match(expected, response.headers["content-type"]), (asset, response.headers["content-type"])
        assert "immutable" in response.headers["cache-control"], asset


def test_api_paths_are_never_answered_with_the_app(http: APIRequestContext) -> None:
    response = http.get("/api/no-such-thing")
    assert response.status == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_app_runs_under_its_content_security_policy(phone: Page) -> None:
    """Every page the browser opens keeps to the CSP and the browser takes every policy header as written:
    it reports nothing it refused and no feature it does not know."""
    refused: list[str] = []
    phone.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    phone.on("pageerror", lambda error: refused.append(str(error)))

    document = phone.goto("/login")
    login(phone, "maria.berg@demo.se")  # a manager: her own pages and her team's
    for path in ("/start", "/expenses", "/expenses/new", "/time", "/travel", "/leave", "/attest", "/payslip"):
        phone.goto(path)
        expect(phone.locator("main h1").first).to_be_visible()

    assert document is not None
    assert "script-src 'self'" in document.headers["content-security-policy"]
    assert refused == []
