"""Security headers on every response in every mode; HSTS only over https; no-store on personal data;
Retry-After on every 429; uploaded files served so they cannot run in the app's origin."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from tests.conftest import ANNA, Org, login, problem
from tests.support.images import multi_page_pdf, receipt_image

pytestmark = pytest.mark.clockless

ASSET = "assets/index-abc123.js"


def _web_app(folder: Path) -> Path:
    """A built web app in miniature: index.html and one hashed asset."""
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text('<!doctype html><script type="module" src="/assets/index-abc123.js"></script>')
    (folder / ASSET).write_text("console.log('app')")
    return folder


@dataclasses.dataclass
class Mode:
    client: AsyncTestClient[Litestar]
    anna: dict[str, str]
    """Anna's Bearer header (demo sign-ins work only in demo: the token comes from the test app's sign-in)."""


@pytest.fixture(params=["demo", "development", "production"])
async def any_mode(
    request: pytest.FixtureRequest,
    settings: Settings,
    clock: FixedClock,
    client: AsyncTestClient[Litestar],
    tmp_path: Path,
) -> AsyncIterator[Mode]:
    """The app as each mode runs it, with a built web app to serve."""
    anna = await login(client, ANNA)
    configured = dataclasses.replace(settings, environment=request.param, pwa_dist=_web_app(tmp_path / "dist"))
    async with AsyncTestClient(app=create_app(configured, clock), base_url="http://localhost") as mode_client:
        yield Mode(mode_client, anna)


def assert_security_headers(response: httpx.Response) -> None:
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in ("strict-origin-when-cross-origin", "no-referrer")
    permissions = response.headers["permissions-policy"]
    assert "camera=(self)" in permissions
    assert "geolocation=()" in permissions
    assert "microphone=()" in permissions


async def test_every_kind_of_response_carries_the_security_headers_in_every_mode(any_mode: Mode) -> None:
    anna, client = any_mode.anna, any_mode.client
    responses = {
        "api": await client.get("/api/me", headers=anna),
        "unauthorised": await client.get("/api/me"),
        "not found": await client.get("/api/no-such-thing", headers=anna),
        "bad input": await client.patch("/api/me", json={"locale": "fi"}, headers=anna),
        "web app": await client.get("/"),
        "deep link": await client.get("/expenses/new"),
        "asset": await client.get(f"/{ASSET}"),
        "health": await client.get("/health/live"),
    }

    assert {name: r.status_code for name, r in responses.items()} == {
        "api": 200,
        "unauthorised": 401,
        "not found": 404,
        "bad input": 422,
        "web app": 200,
        "deep link": 200,
        "asset": 200,
        "health": 200,
    }
    for response in responses.values():
        assert_security_headers(response)


async def test_personal_data_is_never_cached_but_hashed_assets_are(any_mode: Mode) -> None:
    anna, client = any_mode.anna, any_mode.client

    pay = await client.get("/api/payslips/preliminary", headers=anna)
    refused = await client.get("/api/payslips/preliminary")
    asset = await client.get(f"/{ASSET}")
    index = await client.get("/")

    assert pay.status_code == 200
    assert pay.headers["cache-control"] == "no-store"
    assert refused.headers["cache-control"] == "no-store"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert index.headers["cache-control"] == "no-cache"


async def test_no_hsts_over_plain_http(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/health/live")

    assert "strict-transport-security" not in response.headers


async def test_hsts_over_https(app: Litestar) -> None:
    async with AsyncTestClient(app=app, base_url="https://selfservice.example.com") as client:
        response = await client.get("/health/live")

    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


async def test_a_proxys_https_header_counts_only_when_the_proxy_is_trusted(
    settings: Settings, clock: FixedClock, demo: Org
) -> None:
    forwarded = {"x-forwarded-proto": "https"}
    async with AsyncTestClient(app=create_app(settings, clock), base_url="http://localhost") as untrusted:
        claimed = await untrusted.get("/health/live", headers=forwarded)
    trusting = create_app(dataclasses.replace(settings, trusted_proxy=True), clock)
    async with AsyncTestClient(app=trusting, base_url="http://localhost") as behind_proxy:
        said_by_proxy = await behind_proxy.get("/health/live", headers=forwarded)
        plain = await behind_proxy.get("/health/live", headers={"x-forwarded-proto": "http"})

    assert "strict-transport-security" not in claimed.headers
    assert said_by_proxy.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in plain.headers


async def test_the_per_address_limit_says_when_to_try_again(settings: Settings, clock: FixedClock, demo: Org) -> None:
    limited = dataclasses.replace(settings, auth=dataclasses.replace(settings.auth, login_attempts_per_minute=2))
    async with AsyncTestClient(app=create_app(limited, clock), base_url="http://localhost") as client:
        answers = [
            await client.post("/api/auth/login", json={"email": f"nobody{n}@demo.se", "password": "x" * 8})
            for n in range(3)
        ]

    assert [a.status_code for a in answers] == [401, 401, 429]
    assert (
        problem(answers[2])["code"] == "login_throttled"
    )  # the sign-in throttle answers it (backend/core/throttle.py)
    assert int(answers[2].headers["retry-after"]) >= 1


async def test_the_locked_sign_in_says_when_to_try_again(client: AsyncTestClient[Litestar]) -> None:
    for _ in range(5):
        await client.post("/api/auth/login", json={"email": ANNA, "password": "wrong-password"})

    locked = await client.post("/api/auth/login", json={"email": ANNA, "password": "demo1234"})

    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) >= 1


async def test_a_receipt_image_is_shown_inline_but_sandboxed(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    uploaded = await client.post(
        "/api/receipts", files={"file": ("r.jpg", receipt_image(), "image/jpeg")}, headers=as_role["employee"]
    )
    assert uploaded.status_code == 201, uploaded.text

    image = await client.get(f"/api/receipts/{uploaded.json()['id']}/image", headers=as_role["employee"])

    assert image.status_code == 200
    assert image.headers["content-type"] == "image/jpeg"
    assert image.headers["content-disposition"].startswith("inline;")
    assert image.headers["x-content-type-options"] == "nosniff"
    assert image.headers["content-security-policy"].startswith("sandbox")
    assert image.headers["cache-control"] == "no-store"


async def test_a_receipt_pdf_is_a_sandboxed_download_never_a_page_of_the_app(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    uploaded = await client.post(
        "/api/receipts",
        files={"file": ("kvitto.pdf", multi_page_pdf(pages=1), "application/pdf")},
        headers=as_role["employee"],
    )
    assert uploaded.status_code == 201, uploaded.text

    pdf = await client.get(f"/api/receipts/{uploaded.json()['id']}/image", headers=as_role["employee"])

    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    assert pdf.headers["content-disposition"].endswith('.pdf"')
    assert pdf.headers["x-content-type-options"] == "nosniff"
    assert pdf.headers["content-security-policy"].startswith("sandbox")


async def test_a_payslip_pdf_opens_in_the_browsers_viewer_but_never_in_a_frame(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    pdf = await client.get("/api/payslips/pdf", headers=as_role["employee"])

    assert pdf.status_code == 200
    assert pdf.headers["content-type"].startswith("application/pdf")
    assert "frame-ancestors 'none'" in pdf.headers["content-security-policy"]
    assert "object-src 'none'" not in pdf.headers["content-security-policy"]  # the viewer is a plugin
    assert pdf.headers["cache-control"] == "no-store"
    assert pdf.headers["x-content-type-options"] == "nosniff"
