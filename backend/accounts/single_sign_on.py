"""Single sign-on: which organisation's provider an address signs in at, and whose account a provider's person is.

The protocol lives in ``oidc.py``; this module orchestrates: find the organisation's provider by
the address typed on the login page, start the flow, and at the callback match the verified
identity to an account (a linked identity first, then the verified e-mail where the employer
matches by e-mail, then, only where the employer turned it on, a new account), and sign in
through the same door as a password does (``AccountService.signed_in``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.accounts.oidc import Client, Flow, Identity, Provider, SignInFailed
from backend.accounts.services import AccountService
from backend.config import Settings
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import Role
from backend.core.i18n import Text
from backend.core.passwords import NO_PASSWORD
from backend.core.problems import FieldError, Problem, invalid
from backend.db.models import Account, AccountRole, Employee, SingleSignOn, SingleSignOnIdentity

log = structlog.get_logger(__name__)

MatchBy = Literal["email", "subject"]
CALLBACK_PATH = "/api/auth/sso/callback"

NO_SINGLE_SIGN_ON = FieldError(
    "email",
    "no_single_sign_on",
    Text(
        sv="Din organisation loggar inte in via en gemensam inloggning. Använd lösenord.",
        en="Your organisation does not sign in through single sign-on. Use your password.",
    ),
)
PROVIDER_UNAVAILABLE = Problem(
    503,
    "sso_unavailable",
    Text(sv="Inloggningstjänsten svarar inte", en="The sign-in service does not answer"),
    Text(
        sv="Organisationens inloggningstjänst gick inte att nå. Försök igen om en stund.",
        en="Your organisation's sign-in service could not be reached. Try again in a while.",
    ),
    headers={"Retry-After": "30"},
)
NO_ACCOUNT = Problem(
    403,
    "sso_no_account",
    Text(sv="Inget konto", en="No account"),
    Text(
        sv="Du loggade in hos din organisation, men det finns inget konto här för dig. Kontakta lönekontoret.",
        en="You signed in at your organisation, but there is no account here for you. Contact payroll.",
    ),
)
FAILED = Problem(
    401,
    "sso_failed",
    Text(sv="Inloggningen misslyckades", en="Sign-in failed"),
    Text(
        sv="Inloggningen via din organisation gick inte igenom. Försök igen.",
        en="Signing in through your organisation failed. Try again.",
    ),
)


@dataclass(frozen=True)
class Started:
    """Where to send the browser, and the sealed flow its cookie keeps."""

    authorization_url: str
    sealed_flow: str


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


class SingleSignOnService:
    def __init__(self, session: AsyncSession, settings: Settings, http: httpx.AsyncClient) -> None:
        self.session = session
        self.settings = settings
        self.http = http

    def _provider(self, connection: SingleSignOn) -> Provider:
        client = Client(
            issuer=connection.issuer,
            client_id=connection.client_id,
            client_secret=connection.client_secret,
            redirect_uri=self.settings.public_url.rstrip("/") + CALLBACK_PATH,
        )
        return Provider(client, self.http)

    async def start(self, email: str, next_path: str | None = None) -> Started:
        """Begin signing in at the provider of the address's organisation (422 naming ``email`` if it has none)."""
        domain = email_domain(email)
        connection = (
            await self.session.execute(select(SingleSignOn).where(col(SingleSignOn.email_domain) == domain))
        ).scalar_one_or_none()
        if connection is None or not domain:
            raise invalid([NO_SINGLE_SIGN_ON])
        flow = Flow.new(str(connection.id), next_path)
        try:
            url = await self._provider(connection).authorization_url(flow, login_hint=email.strip())
        except SignInFailed as exc:
            log.warning("sso_provider_unavailable", issuer=connection.issuer, reason=exc.reason)
            raise PROVIDER_UNAVAILABLE from exc
        return Started(url, flow.seal(self.settings.auth.secret_key))

    async def finish(self, sealed_flow: str | None, state: str | None, code: str | None) -> tuple[Principal, str]:
        """Who the provider's answer signs in and where they were heading; or ``sso_failed`` / ``sso_no_account``."""
        try:
            flow = Flow.opened(sealed_flow, self.settings.auth.secret_key, state)
            connection = await self.session.get(SingleSignOn, _uuid(flow.connection))
            if connection is None:
                raise SignInFailed("the organisation's single sign-on was removed during the sign-in")
            if not code:
                raise SignInFailed("the provider sent no code")
            identity = await self._provider(connection).identity(flow, code)
        except SignInFailed as exc:
            log.warning("sso_failed", reason=exc.reason)
            raise FAILED from exc
        account = await self._account(connection, identity)
        if account is None:
            log.info("sso_no_account", issuer=identity.issuer, subject=identity.subject)
            raise NO_ACCOUNT
        principal = await AccountService(self.session, self.settings).signed_in(account, NO_ACCOUNT, method="sso")
        return principal, flow.next or "/"

    async def _account(self, connection: SingleSignOn, identity: Identity) -> Account | None:
        linked = (
            await self.session.execute(
                select(Account)
                .join(SingleSignOnIdentity, col(SingleSignOnIdentity.account_id) == col(Account.id))
                .where(
                    col(SingleSignOnIdentity.issuer) == identity.issuer,
                    col(SingleSignOnIdentity.subject) == identity.subject,
                )
            )
        ).scalar_one_or_none()
        if linked is not None:
            return linked if linked.organisation_id == connection.organisation_id else None
        if not identity.email or not identity.email_verified:
            return None
        account: Account | None = None
        if connection.match_by == "email":
            account = (
                await self.session.execute(
                    select(Account).where(
                        col(Account.email) == identity.email,
                        col(Account.organisation_id) == connection.organisation_id,
                    )
                )
            ).scalar_one_or_none()
        if account is None and connection.provisioning:
            account = await self._provisioned(connection, identity)
        if account is not None:
            self.session.add(
                SingleSignOnIdentity(account_id=account.id, issuer=identity.issuer, subject=identity.subject)
            )
            await self.session.flush()
        return account

    async def _provisioned(self, connection: SingleSignOn, identity: Identity) -> Account | None:
        """A new employee login for a first sign-in (just-in-time provisioning), linked to the employee with that address."""
        assert identity.email is not None
        taken = (await self.session.execute(select(Account.id).where(col(Account.email) == identity.email))).first()
        if taken:
            return None  # the address belongs to an account elsewhere: never take it over
        employee = (
            (
                await self.session.execute(
                    select(Employee).where(
                        col(Employee.email) == identity.email,
                        col(Employee.organisation_id) == connection.organisation_id,
                    )
                )
            )
            .scalars()
            .first()
        )
        if (
            employee is not None
            and (await self.session.execute(select(Account.id).where(col(Account.employee_id) == employee.id))).first()
        ):
            employee = None
        account = Account(
            organisation_id=connection.organisation_id,
            employee_id=employee.id if employee else None,
            email=identity.email,
            display_name=identity.name
            or (f"{employee.first_name} {employee.last_name}" if employee else identity.email),
            password_hash=NO_PASSWORD,
        )
        self.session.add(account)
        self.session.add(AccountRole(account_id=account.id, role=Role.EMPLOYEE.value))
        audit.record(
            self.session,
            organisation_id=connection.organisation_id,
            actor=None,
            entity_type="account",
            entity_id=account.id,
            action="created",
            after={"email": identity.email, "roles": [Role.EMPLOYEE], "by": "sso_provisioning"},
        )
        return account


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as exc:
        raise SignInFailed("flow names no organisation") from exc


async def configure(
    session: AsyncSession,
    organisation_id: UUID,
    *,
    email_domain: str,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    match_by: MatchBy,
    provisioning: bool,
) -> SingleSignOn:
    """Set (or replace) an organisation's provider; the CLI's ``selfservice sso set``."""
    connection = (
        await session.execute(select(SingleSignOn).where(col(SingleSignOn.organisation_id) == organisation_id))
    ).scalar_one_or_none() or SingleSignOn(organisation_id=organisation_id, email_domain="", issuer="", client_id="")
    connection.email_domain = email_domain.strip().lower().lstrip("@")
    connection.issuer = issuer.strip()
    connection.client_id = client_id
    connection.client_secret = client_secret or None
    connection.match_by = match_by
    connection.provisioning = provisioning
    session.add(connection)
    audit.record(
        session,
        organisation_id=organisation_id,
        actor=None,
        entity_type="single_sign_on",
        entity_id=connection.id,
        action="configured",
        after={"email_domain": connection.email_domain, "issuer": connection.issuer, "match_by": match_by},
    )
    await session.commit()
    return connection


async def link(session: AsyncSession, email: str, issuer: str, subject: str) -> None:
    """Tie a provider's subject to an account (for organisations that match by subject)."""
    account = (
        await session.execute(select(Account).where(col(Account.email) == email.strip().lower()))
    ).scalar_one_or_none()
    if account is None:
        raise LookupError(email)
    session.add(SingleSignOnIdentity(account_id=account.id, issuer=issuer.strip(), subject=subject))
    await session.commit()
