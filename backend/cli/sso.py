"""`selfservice sso`: an organisation's OpenID Provider, and people's identities at it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from backend.cli.common import in_session, pass_settings
from backend.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


@click.group()
def sso() -> None:
    """Single sign-on: an organisation's OpenID Provider."""


@sso.command("set")
@click.option("--organisation", "organisation_name", required=True)
@click.option("--domain", "email_domain", required=True, help="E-mail domain whose addresses sign in there")
@click.option("--issuer", required=True, help="The provider's issuer URL (discovery is read from it)")
@click.option("--client-id", required=True)
@click.option("--client-secret", default=None, envvar="SSO_CLIENT_SECRET", help="Or SSO_CLIENT_SECRET; none = public")
@click.option("--match-by", type=click.Choice(["email", "subject"]), default="email", show_default=True)
@click.option("--provisioning/--no-provisioning", default=False, show_default=True, help="Create unknown users")
@pass_settings
def sso_set(
    settings: Settings,
    organisation_name: str,
    email_domain: str,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    match_by: str,
    provisioning: bool,
) -> None:
    """Sign an organisation's people in at its OpenID Provider (register PUBLIC_URL/api/auth/sso/callback there)."""
    from sqlmodel import col, select

    from backend.accounts.single_sign_on import configure
    from backend.db.models import Organisation

    async def go(session: AsyncSession) -> None:
        organisation = (
            await session.execute(select(Organisation).where(col(Organisation.name) == organisation_name))
        ).scalar_one_or_none()
        if organisation is None:
            raise click.ClickException(f"No organisation is called {organisation_name}.")
        await configure(
            session,
            organisation.id,
            email_domain=email_domain,
            issuer=issuer,
            client_id=client_id,
            client_secret=client_secret,
            match_by="subject" if match_by == "subject" else "email",
            provisioning=provisioning,
        )
        click.echo(f"{organisation_name}: @{email_domain.lstrip('@')} signs in at {issuer}.")

    in_session(settings, go)


@sso.command("link")
@click.argument("email")
@click.option("--issuer", required=True)
@click.option("--subject", required=True, help="The person's `sub` at the provider")
@pass_settings
def sso_link(settings: Settings, email: str, issuer: str, subject: str) -> None:
    """Tie a provider's subject to an account (for organisations that match by subject)."""
    from backend.accounts.single_sign_on import link

    async def go(session: AsyncSession) -> None:
        try:
            await link(session, email, issuer, subject)
        except LookupError as exc:
            raise click.ClickException(f"{email} has no account.") from exc
        click.echo(f"{email} signs in as {subject} at {issuer}.")

    in_session(settings, go)
