"""The ID token checks, each against a token that breaks exactly one rule (signed with real keys).

The provider's discovery document and keys are served over real HTTP; the happy path against a
real provider is in tests/integration/accounts/test_single_sign_on.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

from backend.accounts.oidc import Client, Flow, Provider, SignInFailed
from tests.support.http_server import serve

pytestmark = pytest.mark.clockless

NONCE = "the-nonce-this-sign-in-sent"
CLIENT_ID = "selfservice"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    base: list[str] = []

    def handler(path: str) -> tuple[int, Any]:
        if path == "/.well-known/openid-configuration":
            return 200, {
                "issuer": base[0],
                "authorization_endpoint": base[0] + "/auth",
                "token_endpoint": base[0] + "/token",
                "jwks_uri": base[0] + "/jwks",
                "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
            }
        if path == "/jwks":
            return 200, KeySet([KEY]).as_dict(private=False)
        return 404, {}

    with serve(handler) as (url, _):
        base.append(url)
        yield url


def claims(issuer: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": issuer,
        "sub": "person-1",
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        "email": "Anna.Andersson@demo.se",
        "email_verified": True,
    } | changes


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def signed(payload: dict[str, Any], key: RSAKey = KEY) -> str:
    return jwt.encode({"alg": "RS256", "kid": "k1"}, payload, key)


async def check(issuer: str, token: str) -> Any:
    async with httpx.AsyncClient() as http:
        provider = Provider(Client(issuer, CLIENT_ID, "secret", "https://lon.example.se/cb"), http)
        return await provider.verified(token, NONCE)


async def test_a_token_that_keeps_every_rule_names_the_person(issuer: str) -> None:
    identity = await check(issuer, signed(claims(issuer)))
    assert (identity.subject, identity.email, identity.email_verified) == ("person-1", "anna.andersson@demo.se", True)


@pytest.mark.parametrize(
    ("rule", "changes"),
    [
        ("another sign-in's nonce", {"nonce": "replayed"}),
        ("no nonce", {"nonce": None}),
        ("another audience", {"aud": "someone-else"}),
        ("several audiences, we are not the authorized party", {"aud": [CLIENT_ID, "other"], "azp": "other"}),
        ("another issuer", {"iss": "https://evil.example"}),
        ("expired", {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}),
        ("issued in the future", {"iat": int(time.time()) + 3600}),
        ("no subject", {"sub": None}),
    ],
)
async def test_a_token_breaking_one_rule_is_refused(issuer: str, rule: str, changes: dict[str, Any]) -> None:
    payload = {key: value for key, value in claims(issuer, **changes).items() if value is not None}
    with pytest.raises(SignInFailed):
        await check(issuer, signed(payload))


async def test_a_token_signed_with_another_key_is_refused(issuer: str) -> None:
    with pytest.raises(SignInFailed):
        await check(issuer, signed(claims(issuer), OTHER_KEY))


async def test_unsigned_and_shared_secret_tokens_are_refused_even_if_the_provider_lists_them(issuer: str) -> None:
    """``none`` and HS256 with the public key as secret (algorithm confusion) never pass."""
    header, body, _ = signed(claims(issuer)).split(".")
    unsigned_header = jwt.encode({"alg": "HS256"}, claims(issuer), OctKey.import_key("x" * 32)).split(".")[0]
    with pytest.raises(SignInFailed):
        await check(issuer, f"{header}.{body}.")
    # joserfc will not even make an HMAC key of a public key, so the attacker's token is made by hand.
    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'kid': 'k1'}))}.{b64(json.dumps(claims(issuer)))}"
    mac = hmac.new(KEY.as_pem(private=False), signing_input.encode(), hashlib.sha256).digest()
    confused = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    with pytest.raises(SignInFailed):
        await check(issuer, confused)
    with pytest.raises(SignInFailed):
        await check(issuer, f"{unsigned_header}.{body}.")


async def test_a_key_of_another_kind_under_the_same_id_is_refused(issuer: str) -> None:
    ec = ECKey.generate_key("P-256", parameters={"kid": "k1"})
    token = jwt.encode({"alg": "ES256", "kid": "k1"}, claims(issuer), ec)
    with pytest.raises(SignInFailed):
        await check(issuer, token)


def test_the_flow_cookie_opens_only_with_our_secret_its_state_and_in_time() -> None:
    secret = "s" * 40
    flow = Flow.new("connection-1")
    sealed = flow.seal(secret)
    assert Flow.opened(sealed, secret, flow.state) == flow
    for bad_secret, state in ((secret, "other-state"), ("t" * 40, flow.state), (secret, None)):
        with pytest.raises(SignInFailed):
            Flow.opened(sealed, bad_secret, state)
    with pytest.raises(SignInFailed):
        Flow.opened(None, secret, flow.state)
