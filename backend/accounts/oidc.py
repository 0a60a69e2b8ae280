"""OpenID Connect, the client side: the adapter between us and an organisation's OpenID Provider.

Authorization code flow with PKCE (S256), as OpenID Connect Core 1.0 and RFC 9700 ask of a web
app: the provider's own discovery document names its endpoints and keys; the ID token's
signature is checked against the provider's published keys (joserfc, a maintained JOSE library,
does the cryptography) and its issuer, audience, expiry and nonce against what this sign-in
sent. Nothing here touches the database: ``backend/accounts/single_sign_on.py`` decides who
the person is.

Token times are checked against the wall clock, not the app's injected clock: the provider
signs with real time, and a demo or test that fixes the app's date must still accept a token
issued a second ago.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OctKey
from joserfc.jwt import JWTClaimsRegistry

SCOPES = "openid email profile"
FLOW_SECONDS = 600
"""How long a sign-in may stay at the provider (the flow cookie's life)."""
METADATA_SECONDS = 600
"""Discovery documents and keys are read again after this; a key not yet seen is fetched at once."""
LEEWAY_SECONDS = 60
"""Clock difference tolerated between the provider and us."""
ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
"""Signatures accepted on ID tokens: public-key only (never ``none``, never a shared secret)."""
TIMEOUT = httpx.Timeout(10.0)


class SignInFailed(Exception):
    """The provider's answer could not be trusted or used; ``reason`` is for the log, never the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Client:
    """How we are registered at the provider."""

    issuer: str
    client_id: str
    client_secret: str | None
    redirect_uri: str


@dataclass(frozen=True)
class Flow:
    """What one sign-in sent to the provider, kept (signed) in a cookie until it comes back."""

    connection: str
    state: str
    nonce: str
    code_verifier: str
    next: str | None = None
    """Where in the app the person was heading (a path of ours, checked at the edge)."""

    @classmethod
    def new(cls, connection: str, next: str | None = None) -> Flow:
        return cls(connection, secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64), next)

    def seal(self, secret: str) -> str:
        """A signed, expiring cookie value (HS256 with the app's secret key)."""
        claims = {
            "sso": self.connection,
            "state": self.state,
            "nonce": self.nonce,
            "verifier": self.code_verifier,
            "next": self.next,
            "exp": int(time.time()) + FLOW_SECONDS,
        }
        return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(secret))

    @classmethod
    def opened(cls, sealed: str | None, secret: str, state: str | None) -> Flow:
        """The flow this browser started, if the cookie is ours, unexpired and names this ``state``."""
        if not sealed or not state:
            raise SignInFailed("no sign-in under way in this browser")
        try:
            token = jwt.decode(sealed, OctKey.import_key(secret), algorithms=["HS256"])
            JWTClaimsRegistry(exp={"essential": True}).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise SignInFailed(f"flow cookie: {exc}") from exc
        claims = token.claims
        if not secrets.compare_digest(str(claims.get("state", "")), state):
            raise SignInFailed("state does not match this browser's sign-in")
        next_path = claims.get("next")
        return cls(
            str(claims["sso"]),
            str(claims["state"]),
            str(claims["nonce"]),
            str(claims["verifier"]),
            next_path if isinstance(next_path, str) else None,
        )


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


def code_challenge(verifier: str) -> str:
    """RFC 7636 S256."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class _Cached:
    value: dict[str, Any]
    read_at: float


class Provider:
    """One OpenID Provider's published metadata and keys, read through HTTP and cached per process."""

    _metadata: dict[str, _Cached] = {}
    _keys: dict[str, _Cached] = {}

    def __init__(self, client: Client, http: httpx.AsyncClient) -> None:
        self.client = client
        self.http = http

    async def _json(self, url: str) -> dict[str, Any]:
        try:
            response = await self.http.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
            response.raise_for_status()
            value = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SignInFailed(f"{url}: {exc}") from exc
        if not isinstance(value, dict):
            raise SignInFailed(f"{url}: not a JSON object")
        return value

    async def metadata(self) -> dict[str, Any]:
        issuer = self.client.issuer
        cached = self._metadata.get(issuer)
        if cached is None or time.monotonic() - cached.read_at > METADATA_SECONDS:
            document = await self._json(issuer.rstrip("/") + "/.well-known/openid-configuration")
            if document.get("issuer") != issuer:
                raise SignInFailed(f"discovery names issuer {document.get('issuer')!r}, expected {issuer!r}")
            for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(document.get(needed), str):
                    raise SignInFailed(f"discovery has no {needed}")
            cached = self._metadata[issuer] = _Cached(document, time.monotonic())
        return cached.value

    async def _key_set(self, *, fresh: bool) -> KeySet:
        uri = str((await self.metadata())["jwks_uri"])
        cached = self._keys.get(uri)
        if fresh or cached is None or time.monotonic() - cached.read_at > METADATA_SECONDS:
            cached = self._keys[uri] = _Cached(await self._json(uri), time.monotonic())
        try:
            return KeySet.import_key_set(cached.value)  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError) as exc:
            raise SignInFailed(f"provider keys: {exc}") from exc

    async def authorization_url(self, flow: Flow, login_hint: str | None) -> str:
        endpoint = str((await self.metadata())["authorization_endpoint"])
        query = {
            "response_type": "code",
            "client_id": self.client.client_id,
            "redirect_uri": self.client.redirect_uri,
            "scope": SCOPES,
            "state": flow.state,
            "nonce": flow.nonce,
            "code_challenge": code_challenge(flow.code_verifier),
            "code_challenge_method": "S256",
        }
        if login_hint:
            query["login_hint"] = login_hint
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"

    async def identity(self, flow: Flow, code: str) -> Identity:
        """Exchange the code (with the PKCE verifier) and return the verified ID token's person."""
        metadata = await self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.client.redirect_uri,
            "code_verifier": flow.code_verifier,
        }
        auth: tuple[str, str] | None = None
        if self.client.client_secret is None:
            form["client_id"] = self.client.client_id
        elif "client_secret_basic" in metadata.get("token_endpoint_auth_methods_supported", ["client_secret_basic"]):
            auth = (self.client.client_id, self.client.client_secret)
        else:
            form |= {"client_id": self.client.client_id, "client_secret": self.client.client_secret}
        try:
            response = await self.http.post(
                str(metadata["token_endpoint"]),
                data=form,
                auth=auth,  # type: ignore[arg-type]
                timeout=TIMEOUT,
                headers={"Accept": "application/json"},
            )
            tokens = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SignInFailed(f"token endpoint: {exc}") from exc
        if response.status_code != 200 or not isinstance(tokens, dict) or not isinstance(tokens.get("id_token"), str):
            raise SignInFailed(f"token endpoint answered {response.status_code}: {str(tokens)[:200]}")
        identity = await self.verified(tokens["id_token"], flow.nonce)
        if identity.email is None and isinstance(tokens.get("access_token"), str):
            identity = await self._with_user_info(identity, metadata, tokens["access_token"])
        return identity

    async def _with_user_info(self, identity: Identity, metadata: dict[str, Any], access_token: str) -> Identity:
        """Providers may keep the e-mail out of the ID token (OpenID Connect Core 5.4): read it from UserInfo.

        UserInfo is read straight from the provider with the access token just issued, and used only
        when it names the same subject as the verified ID token (Core 5.3.2).
        """
        endpoint = metadata.get("userinfo_endpoint")
        if not isinstance(endpoint, str):
            return identity
        try:
            response = await self.http.get(
                endpoint,
                timeout=TIMEOUT,
                headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            )
            response.raise_for_status()
            claims = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SignInFailed(f"userinfo: {exc}") from exc
        if not isinstance(claims, dict) or claims.get("sub") != identity.subject:
            raise SignInFailed("userinfo names another subject than the ID token")
        return _identity(identity.issuer, claims)

    async def verified(self, id_token: str, nonce: str) -> Identity:
        """The ID token's claims once its signature, issuer, audience, times and nonce hold."""
        algorithms = sorted(
            ASYMMETRIC & set((await self.metadata()).get("id_token_signing_alg_values_supported", ["RS256"]))
        )
        if not algorithms:
            raise SignInFailed("the provider signs ID tokens with no algorithm we accept")
        try:
            try:
                token = jwt.decode(id_token, await self._key_set(fresh=False), algorithms=algorithms)
            except JoseError:
                # A key rotated since we cached the set: read it again, once.
                token = jwt.decode(id_token, await self._key_set(fresh=True), algorithms=algorithms)
            JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": self.client.issuer},
                sub={"essential": True},
                aud={"essential": True, "value": self.client.client_id},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise SignInFailed(f"ID token: {exc}") from exc
        claims = token.claims
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client.client_id:
            raise SignInFailed("ID token for several audiences without us as its authorized party")
        return _identity(self.client.issuer, claims)


def _identity(issuer: str, claims: dict[str, Any]) -> Identity:
    email = claims.get("email")
    name = claims.get("name")
    return Identity(
        issuer=issuer,
        subject=str(claims["sub"]),
        email=email.strip().lower() if isinstance(email, str) else None,
        email_verified=claims.get("email_verified") is True,
        name=name if isinstance(name, str) else None,
    )
