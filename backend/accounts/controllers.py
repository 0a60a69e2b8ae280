"""Sign in and out, the signed-in user, and account administration."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeAlias
from uuid import UUID, uuid4

import httpx
import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter, SkipValidation
from litestar.response import Redirect
from litestar.security.jwt import JWTCookieAuth, Token
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_201_CREATED,
    HTTP_202_ACCEPTED,
    HTTP_204_NO_CONTENT,
    HTTP_303_SEE_OTHER,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from backend.accounts.credentials import RESET_REQUESTED, change_password, reset_password, send_reset_link
from backend.accounts.oidc import FLOW_SECONDS
from backend.accounts.schemas import (
    AccountCreate,
    AccountUpdate,
    AccountView,
    LoginRequest,
    LoginResponse,
    PasswordChange,
    PasswordResetByLink,
    ResetRequest,
    ResetRequested,
    SessionState,
    SingleSignOnStart,
    SingleSignOnStarted,
    UserView,
)
from backend.accounts.services import AccountService
from backend.accounts.single_sign_on import SingleSignOnService
from backend.config import Settings
from backend.core.auth import (
    CSRF_COOKIE,
    Principal,
    VerifiedToken,
    cleared_cookies,
    cookie_secure,
    kept_csrf_token,
    principal_from_token,
    session_cookies,
    sign_in_of,
    token_extras,
)
from backend.core.authorization import Role, requires
from backend.core.deps import (
    ClockDep,
    DbSession,
    JwtAuthDep,
    KnownDevicesDep,
    LanguageDep,
    LoginThrottleDep,
    PrincipalDep,
    ProfilesDep,
    RevocationsDep,
    SessionsDep,
    SettingsDep,
)
from backend.core.problems import PROBLEM_JSON, Problem, ProblemDetails
from backend.core.schemas import Input
from backend.core.throttle import DEVICE_COOKIE, DEVICE_COOKIE_DAYS, Attempt, KnownDevices


def provide_accounts(db_session: DbSession, settings: SettingsDep) -> AccountService:
    """The account service for this request: its wiring in one place, not in every handler."""
    return AccountService(db_session, settings)


async def provide_single_sign_on(db_session: DbSession, settings: SettingsDep) -> AsyncIterator[SingleSignOnService]:
    """Single sign-on with an HTTP client to the provider, closed when the request is done."""
    async with httpx.AsyncClient() as http:
        yield SingleSignOnService(db_session, settings, http)


AccountsDep: TypeAlias = NamedDependency[SkipValidation[AccountService]]
SingleSignOnDep: TypeAlias = NamedDependency[SkipValidation[SingleSignOnService]]
ACCOUNTS = {"accounts": Provide(provide_accounts, sync_to_thread=False)}


@dataclass(frozen=True)
class _Issued:
    """A new session token, when it expires, and the cookies that carry it to a browser."""

    token: str
    expires_at: datetime
    cookies: list[Cookie]


def _issue(
    jwt_auth: JWTCookieAuth[Principal, Token],
    settings: Settings,
    principal: Principal,
    request: Request[Any, Any, Any],
    *,
    renewing: Token | None,
) -> _Issued:
    """The one way a session starts or is renewed: login, refresh and the start-up check.

    A sign-in gets a new CSRF token and sign-in id; a renewal keeps both (requests in flight
    carry the CSRF token; logout ends the sign-in whichever of its tokens it is given).
    """
    renewal = renewing is not None
    sign_in = (sign_in_of(renewing) if renewing is not None else None) or uuid4().hex
    ttl = timedelta(minutes=settings.auth.token_ttl_minutes)
    token = jwt_auth.create_token(
        identifier=str(principal.account_id),
        token_expiration=ttl,
        token_unique_jwt_id=uuid4().hex,
        token_extras=token_extras(principal, sign_in),
    )
    current = request.cookies.get(CSRF_COOKIE) if renewal else None
    csrf_token = kept_csrf_token(settings.auth.secret_key, current)
    cookies = session_cookies(settings.auth, token, csrf_token, request.headers.get("host"))
    return _Issued(token, datetime.now(UTC) + ttl, cookies)


def client_address(request: Request[Any, Any, Any]) -> str:
    """The address throttling counts by (the peer; a proxy in front must pass the client's on)."""
    return request.client.host if request.client else "unknown"


def _attempt(request: Request[Any, Any, Any], devices: KnownDevices, email: str) -> Attempt:
    return Attempt(email, client_address(request), devices.device(email, request.cookies.get(DEVICE_COOKIE)))


def _device_cookie(settings: Settings, request: Request[Any, Any, Any], devices: KnownDevices, email: str) -> Cookie:
    """Marks this browser as one the account signed in from (see core/throttle.py); kept at logout."""
    return Cookie(
        key=DEVICE_COOKIE,
        value=devices.issue(email, request.cookies.get(DEVICE_COOKIE)),
        httponly=True,
        secure=cookie_secure(settings.auth, request.headers.get("host")),
        samesite="strict",
        max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
        path="/api/auth",
    )


class AuthController(Controller):
    path = "/api/auth"
    tags = ["Sign in"]
    dependencies = ACCOUNTS

    @post("/login", exclude_from_auth=True, exclude_from_csrf=True, status_code=HTTP_200_OK, security=[])
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginRequest],
        accounts: AccountsDep,
        settings: SettingsDep,
        jwt_auth: JwtAuthDep,
        login_throttle: LoginThrottleDep,
        known_devices: KnownDevicesDep,
    ) -> Response[LoginResponse]:
        """Sign in with e-mail and password. Sets the session cookie and returns the same token for API clients.

        Too many attempts from one address, or failures for one account from one place, give 429
        with Retry-After; the right password from the user's own browser is not held up by others.
        """
        await login_throttle.check_address(client_address(request))
        attempt = _attempt(request, known_devices, data.email)
        await login_throttle.check(attempt)
        try:
            principal = await accounts.authenticate(data.email, data.password)
        except Problem:
            await login_throttle.failed(attempt)
            raise
        await login_throttle.succeeded(attempt)
        issued = _issue(jwt_auth, settings, principal, request, renewing=None)
        user = await accounts.user_view(principal)
        return Response(
            LoginResponse(token=issued.token, expires_at=issued.expires_at, user=user),
            cookies=[*issued.cookies, _device_cookie(settings, request, known_devices, principal.email)],
        )

    @post(
        "/password-reset/request",
        exclude_from_auth=True,
        exclude_from_csrf=True,
        status_code=HTTP_202_ACCEPTED,
        security=[],
    )
    async def request_password_reset(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ResetRequest],
        settings: SettingsDep,
        clock: ClockDep,
        sessions: SessionsDep,
        login_throttle: LoginThrottleDep,
        language: LanguageDep,
    ) -> Response[ResetRequested]:
        """E-mail a link to choose a new password. The same answer whether or not the address has an account."""
        await login_throttle.check_address(client_address(request))
        return Response(
            ResetRequested(message=RESET_REQUESTED(language)),
            status_code=HTTP_202_ACCEPTED,
            background=BackgroundTask(send_reset_link, sessions, settings, clock, data.email),
        )

    @post(
        "/password-reset", exclude_from_auth=True, exclude_from_csrf=True, status_code=HTTP_204_NO_CONTENT, security=[]
    )
    async def reset_password(
        self,
        data: JSONBody[PasswordResetByLink],
        db_session: DbSession,
        settings: SettingsDep,
        clock: ClockDep,
        revocations: RevocationsDep,
    ) -> None:
        """Set a new password with the token from the e-mailed link (once, before it expires); every session ends."""
        account_id = await reset_password(db_session, settings, clock, data.token, data.new_password)
        await revocations.revoke_account(account_id)

    @post("/refresh", status_code=HTTP_200_OK)
    async def refresh(
        self,
        request: Request[Principal, Token, Any],
        accounts: AccountsDep,
        settings: SettingsDep,
        jwt_auth: JwtAuthDep,
        revocations: RevocationsDep,
    ) -> Response[LoginResponse]:
        """A new token for a signed-in user, with roles re-read from the database; the one sent stops working."""
        principal = await accounts.refreshed_principal(request.user)
        issued = _issue(jwt_auth, settings, principal, request, renewing=request.auth)
        await revocations.retire_token(request.auth)
        return Response(
            LoginResponse(token=issued.token, expires_at=issued.expires_at, user=await accounts.user_view(principal)),
            cookies=issued.cookies,
        )

    @post("/session", exclude_from_auth=True, exclude_from_csrf=True, status_code=HTTP_200_OK, security=[])
    async def session(
        self,
        request: Request[Any, Any, Any],
        accounts: AccountsDep,
        settings: SettingsDep,
        jwt_auth: JwtAuthDep,
        revocations: RevocationsDep,
    ) -> Response[SessionState]:
        """Whether this browser is signed in, in one request at app start; if so, renewed as by refresh.

        Signed out is an answer here (200, `signed_in: false`), not a 401: the web app asks before
        it knows. No CSRF token is needed (a browser that lost its CSRF cookie gets a new one here);
        a cross-site form cannot use it, as the session cookie is SameSite=Lax and the answer unreadable.
        """
        encoded = request.headers.get("authorization", "").partition(" ")[-1] or request.cookies.get(
            settings.auth.cookie_name, ""
        )
        signed_out = Response(SessionState(signed_in=False))
        if not encoded:
            return signed_out
        try:
            token = VerifiedToken.decode(encoded, settings.auth.secret_key, jwt_auth.algorithm)
            if await revocations.is_revoked(token):
                return signed_out
            principal = await accounts.refreshed_principal(principal_from_token(token))
            user = await accounts.user_view(principal)
        except (NotAuthorizedException, KeyError, ValueError):
            return signed_out
        except Problem as problem:
            if problem.status == 401:
                return signed_out
            raise
        issued = _issue(jwt_auth, settings, principal, request, renewing=token)
        await revocations.retire_token(token)
        return Response(
            SessionState(signed_in=True, token=issued.token, expires_at=issued.expires_at, user=user),
            cookies=issued.cookies,
        )

    @post("/logout", exclude_from_auth=True, status_code=HTTP_204_NO_CONTENT)
    async def logout(
        self,
        request: Request[Any, Any, Any],
        settings: SettingsDep,
        jwt_auth: JwtAuthDep,
        revocations: RevocationsDep,
    ) -> Response[None]:
        """End this sign-in: every token of it (renewed ones too) stops working and the cookies are cleared.

        A browser must send the CSRF header (as for every change), so a forged cross-site form
        cannot sign the user out.
        """
        encoded = request.headers.get("authorization", "").partition(" ")[-1] or request.cookies.get(
            settings.auth.cookie_name, ""
        )
        if encoded:
            try:
                token = Token.decode(encoded, settings.auth.secret_key, jwt_auth.algorithm)
                await revocations.revoke_sign_in(token)
            except NotAuthorizedException:
                pass  # an expired or foreign token: nothing to revoke
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=cleared_cookies(settings.auth))


SSO_FLOW_COOKIE = "sso_flow"
SSO_PATH = "/api/auth/sso"


def _flow_cookie(settings: Settings, request: Request[Any, Any, Any], value: str | None) -> Cookie:
    """The sealed sign-in flow, sent back only to the callback. Lax: the provider's redirect is a top-level GET."""
    return Cookie(
        key=SSO_FLOW_COOKIE,
        value=value or "",
        httponly=True,
        secure=cookie_secure(settings.auth, request.headers.get("host")),
        samesite="lax",
        max_age=FLOW_SECONDS if value else 0,
        path=SSO_PATH,
    )


class SingleSignOnController(Controller):
    """Signing in at the organisation's own OpenID Provider (authorization code with PKCE)."""

    path = SSO_PATH
    tags = ["Sign in"]
    dependencies = {"single_sign_on": Provide(provide_single_sign_on)}

    @post(
        "/start",
        exclude_from_auth=True,
        exclude_from_csrf=True,
        status_code=HTTP_200_OK,
        security=[],
        responses={
            HTTP_503_SERVICE_UNAVAILABLE: ResponseSpec(
                data_container=ProblemDetails,
                description="The organisation's provider does not answer; see Retry-After",
                media_type=PROBLEM_JSON,
                generate_examples=False,
            )
        },
    )
    async def start(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SingleSignOnStart],
        single_sign_on: SingleSignOnDep,
        settings: SettingsDep,
        login_throttle: LoginThrottleDep,
    ) -> Response[SingleSignOnStarted]:
        """Where to sign in for this address's organisation; 422 naming `email` when it has no single sign-on."""
        await login_throttle.check_address(client_address(request))
        started = await single_sign_on.start(data.email, data.next)
        return Response(
            SingleSignOnStarted(authorization_url=started.authorization_url),
            cookies=[_flow_cookie(settings, request, started.sealed_flow)],
        )

    @get("/callback", exclude_from_auth=True, exclude_from_csrf=True, security=[], status_code=HTTP_303_SEE_OTHER)
    async def callback(
        self,
        request: Request[Any, Any, Any],
        single_sign_on: SingleSignOnDep,
        settings: SettingsDep,
        jwt_auth: JwtAuthDep,
        code: Annotated[str | None, QueryParameter(max_length=2048)] = None,
        oauth_state: Annotated[str | None, QueryParameter(name="state", max_length=2048)] = None,
    ) -> Redirect:
        """The provider sends the browser back here: signed in and on to the app, or to the login page with the reason.

        The reason is a problem code (`sso_failed`, `sso_no_account`) the login page shows in the
        reader's language; what went wrong in detail is in the server log, not in the address bar.
        """
        done = _flow_cookie(settings, request, None)
        try:
            principal, heading_to = await single_sign_on.finish(request.cookies.get(SSO_FLOW_COOKIE), oauth_state, code)
        except Problem as problem:
            return Redirect(f"/login?sso_error={problem.code}", cookies=[done], status_code=HTTP_303_SEE_OTHER)
        issued = _issue(jwt_auth, settings, principal, request, renewing=None)
        return Redirect(heading_to, cookies=[*issued.cookies, done], status_code=HTTP_303_SEE_OTHER)


class MePatch(Input):
    locale: Annotated[str, msgspec.Meta(pattern="^(sv|en)$")]


class MeController(Controller):
    path = "/api/me"
    tags = ["Sign in"]
    dependencies = ACCOUNTS

    @get("/")
    async def me(self, request: Request[Principal, Any, Any], profiles: ProfilesDep) -> UserView:
        """The signed-in user with roles, organisation and manager (kept per process: see accounts/profiles.py)."""
        return await profiles.view(request.user)

    @patch("/")
    async def update_me(
        self,
        data: JSONBody[MePatch],
        principal: PrincipalDep,
        accounts: AccountsDep,
        profiles: ProfilesDep,
    ) -> UserView:
        """Choose the language (sv or en) the app and its messages use."""
        await accounts.set_locale(principal, data.locale)
        profiles.forget(principal)
        return await accounts.user_view(principal)

    @post("/password", status_code=HTTP_204_NO_CONTENT)
    async def change_password(
        self,
        request: Request[Principal, Any, Any],
        data: JSONBody[PasswordChange],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
        revocations: RevocationsDep,
        login_throttle: LoginThrottleDep,
        known_devices: KnownDevicesDep,
    ) -> None:
        """Change one's own password (the current one is asked for); every other session ends, this one goes on."""
        attempt = _attempt(request, known_devices, principal.email)
        await login_throttle.check(attempt)
        try:
            await change_password(db_session, settings, principal, data.current_password, data.new_password)
        except Problem as problem:
            if any(error.code == "wrong_password" for error in problem.errors):
                await login_throttle.failed(attempt)
            raise
        await revocations.revoke_account(principal.account_id, keep=principal.session_id)


class AccountsController(Controller):
    path = "/api/users"
    tags = ["Administration"]
    guards = [requires(Role.ADMIN)]
    dependencies = ACCOUNTS

    @get("/")
    async def list_accounts(self, principal: PrincipalDep, accounts: AccountsDep) -> list[AccountView]:
        return await accounts.list_accounts(principal)

    @post("/", status_code=HTTP_201_CREATED)
    async def create_account(
        self,
        data: JSONBody[AccountCreate],
        principal: PrincipalDep,
        accounts: AccountsDep,
    ) -> AccountView:
        return await accounts.create_account(principal, data)

    @patch("/{account_id:uuid}")
    async def update_account(
        self,
        account_id: FromPath[UUID],
        data: JSONBody[AccountUpdate],
        principal: PrincipalDep,
        accounts: AccountsDep,
        revocations: RevocationsDep,
        profiles: ProfilesDep,
    ) -> AccountView:
        view, must_revoke = await accounts.update_account(principal, account_id, data)
        profiles.forget_everyone()
        if must_revoke:
            await revocations.revoke_account(account_id)
        return view
