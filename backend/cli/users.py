"""`selfservice users`: accounts made or repaired from the command line."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from backend.cli.common import in_session, pass_settings, refused
from backend.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


@click.group()
def users() -> None:
    """Accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option(
    "--role", "roles", multiple=True, type=click.Choice(["employee", "manager", "payroll", "admin"]), required=True
)
@click.option("--organisation", "organisation_name", required=True, help="Created if it does not exist")
@click.option("--password", default=None, help="Prompted for when omitted")
@pass_settings
def create_user(
    settings: Settings,
    email: str,
    display_name: str,
    roles: Sequence[str],
    organisation_name: str,
    password: str | None,
) -> None:
    """Create an account (e.g. the first administrator of a new organisation)."""
    from sqlmodel import col, select

    from backend.core.passwords import hash_password
    from backend.db.models import Account, AccountRole, Organisation

    if password is None:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            raise click.ClickException("The passwords differ.")
    from backend.core.passwords import MIN_PASSWORD_LENGTH

    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"Use at least {MIN_PASSWORD_LENGTH} characters.")

    async def go(session: AsyncSession) -> None:
        organisation = (
            await session.execute(select(Organisation).where(col(Organisation.name) == organisation_name))
        ).scalar_one_or_none()
        if organisation is None:
            organisation = Organisation(name=organisation_name)
            session.add(organisation)
            await session.flush()
        if (await session.execute(select(Account.id).where(col(Account.email) == email.lower()))).first():
            raise click.ClickException(f"{email} already has an account.")
        account = Account(
            organisation_id=organisation.id,
            email=email.lower(),
            display_name=display_name,
            password_hash=hash_password(password),
        )
        session.add(account)
        await session.flush()
        for role in sorted(set(roles)):
            session.add(AccountRole(account_id=account.id, role=role))
        await session.commit()
        click.echo(f"Created {email} ({', '.join(sorted(set(roles)))}) in {organisation_name}.")

    in_session(settings, go)


@users.command("set-password")
@click.argument("email")
@pass_settings
def set_password_command(settings: Settings, email: str) -> None:
    """Set an account's password: prompted for twice, or read from stdin when piped (one line).

    For an administrator who cannot sign in, or a site without e-mail for reset links.
    """
    from sqlmodel import col, select

    from backend.accounts.credentials import set_password
    from backend.core.problems import Problem
    from backend.db.models import Account

    if sys.stdin.isatty():
        password = getpass.getpass("Nytt lösenord / New password: ")
        if password != getpass.getpass("Igen / Again: "):
            raise click.ClickException("Lösenorden skiljer sig / The passwords differ.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")

    async def go(session: AsyncSession) -> None:
        account = (
            await session.execute(select(Account).where(col(Account.email) == email.strip().lower()))
        ).scalar_one_or_none()
        if account is None:
            raise click.ClickException(f"{email}: inget sådant konto / no such account.")
        await set_password(session, settings, account, password)
        await session.commit()

    try:
        in_session(settings, go)
    except Problem as exc:
        raise refused(exc) from exc
    click.echo(f"Lösenordet är bytt / The password is set: {email}")
