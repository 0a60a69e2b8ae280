"""A real OpenID Provider (npm ``oidc-provider``, run with Node) and a user agent that signs in at it.

The provider is panva's certified implementation, started per test module from
``tests/support/oidc_provider`` (``make deps-test`` installs it). Its development login screen
takes any login name; ``accounts`` gives chosen names their claims (see ``provider.mjs``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from tests.support.ports import any_port

PROVIDER_DIR = Path(__file__).with_name("oidc_provider")
CLIENT_ID = "selfservice"
CLIENT_SECRET = "a-client-secret-for-tests-only"


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    client_id: str
    client_secret: str


@contextmanager
def openid_provider(
    redirect_uris: list[str], accounts: dict[str, dict[str, Any]] | None = None
) -> Iterator[RunningProvider]:
    """Run the provider with one confidential client registered for ``redirect_uris``."""
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        msg = "oidc-provider is not installed: run `make deps-test`"
        raise RuntimeError(msg)
    port = any_port()
    issuer = f"http://127.0.0.1:{port}"
    clients = [
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": redirect_uris,
            "response_types": ["code"],
            "grant_types": ["authorization_code"],
        }
    ]
    env = os.environ | {
        "OIDC_PORT": str(port),
        "OIDC_CLIENTS": json.dumps(clients),
        "OIDC_ACCOUNTS": json.dumps(accounts or {}),
    }
    process = subprocess.Popen(
        ["node", "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                msg = f"oidc-provider did not start: {output}"
                raise RuntimeError(msg)
            time.sleep(0.1)
        yield RunningProvider(issuer, CLIENT_ID, CLIENT_SECRET)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def sign_in_at_provider(authorization_url: str, login: str, redirect_uri: str) -> str:
    """Do what a person does at the provider (log in, consent); the URL it sends the browser back to."""
    with httpx.Client(timeout=10) as browser:
        url = authorization_url
        for _ in range(12):
            response = browser.get(url)
            if response.is_redirect:
                url = urljoin(url, response.headers["location"])
                if url.startswith(redirect_uri):
                    return url
                continue
            form = _FORM.search(response.text)
            if form is None:
                msg = f"no form at {url}: {response.status_code} {response.text[:300]}"
                raise AssertionError(msg)
            fields = {name: unescape(value) for name, value in _HIDDEN.findall(form.group(2))}
            if 'name="login"' in form.group(2):
                fields |= {"login": login, "password": "any"}
            posted = browser.post(urljoin(url, unescape(form.group(1))), data=fields)
            if not posted.is_redirect:
                msg = f"the provider kept the browser at {url}: {posted.status_code} {posted.text[:300]}"
                raise AssertionError(msg)
            url = urljoin(url, posted.headers["location"])
            if url.startswith(redirect_uri):
                return url
    msg = "the provider never sent the browser back"
    raise AssertionError(msg)
