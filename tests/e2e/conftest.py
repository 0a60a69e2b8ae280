"""Browser tests against the real server: `selfservice run` serving the built web app.

The server runs as in production (Granian, the built `pwa/dist`), with `APP_ENV=test`, a fresh
SQLite database with the demo organisation, and a free port. The browser is Debian's Chromium,
headless, driven by Playwright. Build the app first: `cd pwa && npm ci && npm run build`.

The fixtures live as long as this package's tests (scope "package"), not the whole run:
Playwright's sync API keeps an event loop running on the main thread, which would break
every async test that pytest runs after these.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.support.live_api import start_server, stop_server, wait_ready
from tests.support.ports import any_port

REPO_ROOT = Path(__file__).resolve().parents[2]
# E2E_PWA_DIST: test another build than pwa/dist (e.g. `vite build --outDir /tmp/...`).
PWA_DIST = Path(os.environ.get("E2E_PWA_DIST") or REPO_ROOT / "pwa" / "dist")
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A phone at the small end of what employees carry (the layout is designed from 360 px up).
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "sv-SE",
    "timezone_id": "Europe/Stockholm",
}
STARTUP_SECONDS = 60


def _cli() -> list[str]:
    """`selfservice` from the same environment as this Python."""
    script = Path(sys.executable).with_name("selfservice")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "backend.cli"]


# Settings the test server must not inherit from a developer's shell.
_UNSET = ("DATABASE_URL", "DATABASE_SCHEMA", "REDIS_URL", "SECRET_KEY", "WEB_CONCURRENCY", "EXCHANGE_RATE_URL")


def _settings(data_dir: Path, port: int, dist: Path) -> dict[str, str]:
    return {
        "APP_ENV": "test",
        "DATA_DIR": str(data_dir),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PWA_DIST": str(dist),
        "LOG_LEVEL": "WARNING",
        # Every test signs in from 127.0.0.1: the per-address sign-in limit is for attackers, not this.
        "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
    }


def _selfservice(settings: dict[str, str], *args: str) -> None:
    """Run a `selfservice` command in this process (the same code as the CLI, without a slow interpreter start)."""
    from click.testing import CliRunner

    from backend.cli import main

    env: dict[str, str | None] = {**dict.fromkeys(_UNSET), **settings}
    # A thread of its own: the commands use asyncio.run(), which refuses to run inside
    # the event loop that Playwright's sync API keeps on the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(CliRunner().invoke, main, list(args), env=env, catch_exceptions=False).result()
    if result.exit_code != 0:
        pytest.fail(f"`selfservice {' '.join(args)}` failed ({result.exit_code}):\n{result.output}")


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    try:
        wait_ready(url, process, log, STARTUP_SECONDS)
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="package")
def served_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built app that the server serves, so a test can deploy a "new version" into it."""
    if not (PWA_DIST / "index.html").is_file():
        pytest.fail(f"The web app is not built ({PWA_DIST} has no index.html): run `cd pwa && npm ci && npm run build`")
    copy = tmp_path_factory.mktemp("e2e-web") / "dist"
    shutil.copytree(PWA_DIST, copy)
    return copy


@contextmanager
def running_server(data_dir: Path, dist: Path, port: int | None = None, **extra: str) -> Iterator[str]:
    """`selfservice run` on a fresh SQLite database in `data_dir` with the demo organisation; yields its URL.

    `extra`: more settings for this server (e.g. ``DIGEST_MINUTES="0"``); `port` when the test must
    know the address before the server starts (a provider's registered redirect, for one).
    """
    port = port or any_port()
    settings = _settings(data_dir, port, dist) | extra
    _selfservice(settings, "db", "upgrade")
    _selfservice(settings, "demo", "seed", "--employees", "9")
    env = {key: value for key, value in os.environ.items() if key not in _UNSET} | settings
    log = data_dir / "server.log"
    process = start_server([*_cli(), "run", "--port", str(port)], env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, log)
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory, served_dist: Path) -> Iterator[str]:
    """The base URL of a running server with the demo organisation and the built web app."""
    with running_server(tmp_path_factory.mktemp("e2e-data"), served_dist) as url:
        yield url


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright's own browser downloads are not available here)."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(f"No Chromium at {CHROMIUM}: `apt-get install chromium` (or set E2E_CHROMIUM)")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture(scope="package")
def web_app_loads(live_server: str) -> None:
    """Fail fast, and say why, when browsers would refuse the app's scripts (see test_web_app_serving.py)."""
    with urllib.request.urlopen(f"{live_server}/sw.js", timeout=5) as response:
        content_type = response.headers.get("content-type", "")
    if "javascript" not in content_type:
        pytest.fail(
            f"The server sends /sw.js and the app's scripts as {content_type!r}; browsers refuse to run them "
            "(strict MIME checks for module scripts and service workers). Fix the types in backend/web/pwa.py."
        )


@pytest.fixture
def phone(browser: Browser, live_server: str, web_app_loads: None) -> Iterator[Page]:
    """A fresh phone (its own cookies, storage and service worker) with one page open."""
    context = browser.new_context(base_url=live_server, **PHONE)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
