"""Who is calling: session tokens (JWT) in an HttpOnly cookie or a Bearer header, and CSRF.

The token carries the account, organisation, employee and roles, so authenticating a
request needs no database round trip. Tokens are short-lived; a logout, a deactivation or
a role change makes older tokens invalid through the revocation store.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, CSRFMiddleware, generate_csrf_hash, generate_csrf_token
from litestar.security.jwt import JWTCookieAuth, Token
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.config import AuthSettings
from backend.core.authorization import Role
from backend.core.clock import Clock

CSRF_COOKIE = "selfservice_csrf"
SIGN_IN_CLAIM = "sid"
# When the token was made, to the microsecond: ``iat`` has whole seconds, so a sign-in in the
# same second as a password reset would count as made before it and be refused.
ISSUED_CLAIM = "issued"
CSRF_HEADER = "x-csrf-token"


class VerifiedToken(Token):
    """A token whose signature check is remembered per process.

    Verifying the same token string on every request of a session costs more than the
    rest of a small request; the outcome of the check cannot change, so it is kept (at
    most ``_CACHE_SIZE`` tokens). Expiry is still checked on every request, and so is
    revocation (by ``Revocations``).
    """

    @classmethod
    def decode(
        cls,
        encoded_token: str,
        secret: str,
        algorithm: str,
        audience: str | Sequence[str] | None = None,
        issuer: str | Sequence[str] | None = None,
        require_claims: Sequence[str] | None = None,
        verify_exp: bool = True,
        verify_nbf: bool = True,
        strict_audience: bool = False,
    ) -> VerifiedToken:
        key = (encoded_token, secret, algorithm)
        token = _VERIFIED.get(key)
        if token is None:
            token = super().decode(
                encoded_token,
                secret,
                algorithm,
                audience,
                issuer,
                require_claims,
                verify_exp,
                verify_nbf,
                strict_audience,
            )
            if len(_VERIFIED) >= _CACHE_SIZE:
                _VERIFIED.pop(next(iter(_VERIFIED)))
            _VERIFIED[key] = token
        elif verify_exp and token.exp.timestamp() <= time.time():
            _VERIFIED.pop(key, None)
            raise NotAuthorizedException("Token has expired")
        return token


_CACHE_SIZE = 20_000
_VERIFIED: dict[tuple[str, str, str], VerifiedToken] = {}


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in account as every guard and service sees it."""

    account_id: UUID
    organisation_id: UUID
    employee_id: UUID | None
    roles: frozenset[Role]
    email: str
    locale: str = "sv"
    session_id: str | None = None
    """The token's id: caches keyed by session see a fresh view after every sign-in."""

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)


def token_extras(principal: Principal, sign_in: str) -> dict[str, Any]:
    """The claims beside the account; ``sid`` names the sign-in every renewal of it shares."""
    return {
        SIGN_IN_CLAIM: sign_in,
        ISSUED_CLAIM: time.time(),
        "org": str(principal.organisation_id),
        "emp": str(principal.employee_id) if principal.employee_id else None,
        "roles": sorted(role.value for role in principal.roles),
        "email": principal.email,
        "locale": principal.locale,
    }


def sign_in_of(token: Token) -> str | None:
    """The sign-in a token belongs to: login starts one, refresh and the start-up check carry it on."""
    value = token.extras.get(SIGN_IN_CLAIM)
    return value if isinstance(value, str) and value else None


def issued_at(token: Token) -> float:
    """When the token was made (seconds since the epoch); tokens from before the claim have ``iat``."""
    issued = token.extras.get(ISSUED_CLAIM)
    return float(issued) if isinstance(issued, int | float) else token.iat.timestamp()


def principal_from_token(token: Token) -> Principal:
    extras = token.extras
    employee = extras.get("emp")
    return Principal(
        account_id=UUID(token.sub),
        organisation_id=UUID(extras["org"]),
        employee_id=UUID(employee) if employee else None,
        roles=frozenset(Role(value) for value in extras.get("roles", [])),
        email=str(extras.get("email", "")),
        locale=str(extras.get("locale", "sv")),
        session_id=str(token.jti) if token.jti else None,
    )


RENEWAL_GRACE = timedelta(seconds=30)
"""How long a token replaced by a renewal still works (requests and tabs already on their way)."""


class Revocations:
    """Refused tokens: one token (replaced by a renewal), a whole sign-in (logout) and every
    token of an account issued before a cut (deactivation, role change).

    Backed by a Litestar store: in memory for one process, Redis when REDIS_URL is set so
    every API process sees the same cuts.
    """

    def __init__(self, store: Store, ttl: timedelta, clock: Clock, grace: timedelta = RENEWAL_GRACE) -> None:
        self.store = store
        self.ttl = ttl
        self.clock = clock
        self.grace = grace
        # In one process a dict does: MemoryStore takes an anyio lock per read, a tenth of a cached request.
        self._local: dict[str, tuple[float, bytes]] | None = {} if isinstance(store, MemoryStore) else None

    async def _set(self, key: str, value: bytes) -> None:
        if self._local is None:
            await self.store.set(key, value, expires_in=self.ttl)
            return
        now = time.monotonic()
        self._local = {k: v for k, v in self._local.items() if v[0] > now}  # writes are rare: prune here
        self._local[key] = (now + self.ttl.total_seconds(), value)

    async def _get(self, key: str) -> bytes | None:
        if self._local is None:
            return await self.store.get(key)
        found = self._local.get(key)
        return found[1] if found is not None and found[0] > time.monotonic() else None

    async def revoke_account(self, account_id: UUID, *, keep: str | None = None) -> None:
        """End every session of the account; ``keep`` (a token id) goes on, e.g. the one that changed the password."""
        await self._set(f"revoked:{account_id}", f"{time.time()}|{keep or ''}".encode())

    async def retire_token(self, token: Token) -> None:
        """A token replaced by a renewal: refused once ``grace`` has passed.

        Tabs and requests already on their way carry the old cookie; refused at once, the
        second of two tabs opened together was signed out (the first renewal had retired the
        cookie both sent). Within the grace the old token works, renewal included. The grace
        reads the injected clock, like every other deadline.
        """
        if token.jti:
            until = self.clock.now() + self.grace
            await self._set(f"revoked-jti:{token.jti}", until.isoformat().encode())

    async def revoke_sign_in(self, token: Token) -> None:
        """Every token of the sign-in ``token`` belongs to, earlier and renewed ones alike, at once."""
        if token.jti:
            await self._set(f"revoked-jti:{token.jti}", b"now")
        if (sign_in := sign_in_of(token)) is not None:
            await self._set(f"revoked-sid:{sign_in}", b"1")

    async def is_revoked(self, token: Token) -> bool:
        retired = await self._get(f"revoked-jti:{token.jti}") if token.jti else None
        if retired is not None and (retired == b"now" or self.clock.now() >= datetime.fromisoformat(retired.decode())):
            return True
        sign_in = sign_in_of(token)
        if sign_in is not None and await self._get(f"revoked-sid:{sign_in}") is not None:
            return True
        cut = await self._get(f"revoked:{token.sub}")
        if cut is None:
            return False
        stamp, _, kept = cut.decode().partition("|")
        return issued_at(token) <= float(stamp) and not (kept and token.jti == kept)


async def _retrieve_principal(token: Token, _connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    try:
        return principal_from_token(token)
    except (KeyError, ValueError):
        return None


def jwt_auth(settings: AuthSettings, revocations: Revocations, exclude: list[str]) -> JWTCookieAuth[Principal, Token]:
    async def revoked(token: Token, _connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
        return await revocations.is_revoked(token)

    return JWTCookieAuth[Principal, Token](
        retrieve_user_handler=_retrieve_principal,
        token_cls=VerifiedToken,
        revoked_token_handler=revoked,
        token_secret=settings.secret_key,
        key=settings.cookie_name,
        default_token_expiration=timedelta(minutes=settings.token_ttl_minutes),
        exclude=exclude,
        samesite="lax",
        description="Session token as an HttpOnly cookie (browsers) or a Bearer header (API clients).",
    )


def is_local(host: str | None) -> bool:
    name = (host or "").rsplit(":", 1)[0] if not (host or "").startswith("[") else (host or "")
    return name in ("localhost", "127.0.0.1", "[::1]") or name.endswith(".localhost")


def cookie_secure(settings: AuthSettings, host: str | None) -> bool:
    if settings.secure_cookies == "always":
        return True
    if settings.secure_cookies == "never":
        return False
    return not is_local(host)


def kept_csrf_token(secret: str, current: str | None) -> str:
    """The CSRF token a renewed session keeps: the browser's own when it is valid, else a new one.

    Rotating it on every renewal raced requests already under way (their header carried the old
    token while the browser sent the new cookie: a 403 the web app had to retry).
    """
    if current and len(current) > CSRF_SECRET_LENGTH:
        signed = generate_csrf_hash(token=current[:CSRF_SECRET_LENGTH], secret=secret)
        if hmac.compare_digest(current[CSRF_SECRET_LENGTH:], signed):
            return current
    return generate_csrf_token(secret)


def session_cookies(settings: AuthSettings, token: str, csrf_token: str, host: str | None) -> list[Cookie]:
    """The session cookie (HttpOnly) and the CSRF cookie the web app echoes in a header."""
    secure = cookie_secure(settings, host)
    max_age = settings.token_ttl_minutes * 60
    return [
        Cookie(
            key=settings.cookie_name,
            value=token,
            httponly=True,
            secure=secure,
            samesite="lax",
            max_age=max_age,
            path="/",
        ),
        Cookie(
            key=CSRF_COOKIE,
            value=csrf_token,
            httponly=False,
            secure=secure,
            samesite="lax",
            path="/",
        ),
    ]


def cleared_cookies(settings: AuthSettings) -> list[Cookie]:
    return [
        Cookie(key=settings.cookie_name, value="", max_age=0, httponly=True, samesite="lax", path="/"),
        Cookie(key=CSRF_COOKIE, value="", max_age=0, samesite="lax", path="/"),
    ]


class CookieOnlyCSRFMiddleware(CSRFMiddleware):
    """CSRF checks only where a browser sends cookies on its own.

    A request carrying a Bearer token, or no session cookie at all, cannot be a forged
    cross-site request riding on the user's session, so it passes through unchanged.
    """

    def __init__(self, app: ASGIApp, config: CSRFConfig, session_cookie: str) -> None:
        super().__init__(app, config)
        self.session_cookie_prefix = f"{session_cookie}=".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            authorization = b""
            cookies = b""
            for name, value in scope["headers"]:
                if name == b"authorization":
                    authorization = value
                elif name == b"cookie":
                    cookies = value
            if authorization[:7].lower() == b"bearer " or self.session_cookie_prefix not in cookies:
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def csrf_middleware(settings: AuthSettings, exclude: list[str]) -> DefineMiddleware:
    config = CSRFConfig(
        secret=settings.secret_key,
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_samesite="lax",
        exclude=exclude,
    )
    return DefineMiddleware(CookieOnlyCSRFMiddleware, config=config, session_cookie=settings.cookie_name)
