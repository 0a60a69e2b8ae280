"""Changing and resetting passwords: by the user signed in, by a link sent by e-mail, or by the CLI.

A reset link carries a random token; only its SHA-256 is stored, it works once and for
``PASSWORD_RESET_MINUTES`` (read from the injected clock). Asking for a link answers the
same whether or not the address has an account, and the lookup and the e-mail happen after
the answer is sent (a background task), so neither the answer nor its time tells.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urljoin
from uuid import UUID

import structlog
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from backend.config import Settings
from backend.core import audit
from backend.core.auth import Principal
from backend.core.clock import Clock
from backend.core.i18n import Text
from backend.core.passwords import MIN_PASSWORD_LENGTH, hashed, verified
from backend.core.problems import FieldError, Problem, invalid
from backend.db.models import Account, PasswordReset
from backend.db.types import utcnow
from backend.notices.channels import email_sender
from notifications import Delivered, EmailContent, RetryLater

log = structlog.get_logger(__name__)

RESET_PATH = "/password/reset"
"""The web app's page that takes the token from the link's fragment (never sent to a server log)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def too_short() -> FieldError:
    return FieldError(
        "new_password",
        "too_short",
        Text(sv=f"Välj minst {MIN_PASSWORD_LENGTH} tecken", en=f"Use at least {MIN_PASSWORD_LENGTH} characters"),
    )


async def set_password(session: AsyncSession, settings: Settings, account: Account, password: str) -> None:
    """The one place a password is replaced (change, reset, CLI); unused reset links stop working."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise invalid([too_short()])
    account.password_hash = await hashed(password, settings.auth)
    await session.execute(
        update(PasswordReset)
        .where(col(PasswordReset.account_id) == account.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def change_password(
    session: AsyncSession, settings: Settings, principal: Principal, current: str, new: str
) -> None:
    """A signed-in user's own change: the current password is asked for again."""
    account = await session.get(Account, principal.account_id)
    if account is None or not account.active:
        raise Problem(401, "not_authenticated", Text(sv="Inte inloggad", en="Not signed in"))
    if not await verified(account.password_hash, current, settings.auth):
        raise invalid(
            [
                FieldError(
                    "current_password",
                    "wrong_password",
                    Text(sv="Det nuvarande lösenordet stämmer inte", en="The current password is wrong"),
                )
            ]
        )
    await set_password(session, settings, account, new)
    audit.record(
        session,
        organisation_id=account.organisation_id,
        actor=principal,
        entity_type="account",
        entity_id=account.id,
        action="password_changed",
    )
    await session.commit()


RESET_REQUESTED = Text(
    sv="Om adressen hör till ett konto har vi skickat en länk för att välja nytt lösenord.",
    en="If the address belongs to an account, we have sent a link to choose a new password.",
)


def reset_email(settings: Settings, token: str, locale: str) -> EmailContent:
    """The reset e-mail in the user's language, with the other language below it."""
    link = urljoin(settings.public_url, f"{RESET_PATH}#token={token}")
    minutes = settings.auth.password_reset_minutes
    sv = (
        "Någon (förhoppningsvis du) bad om att få välja ett nytt lösenord till Självservice.\n"
        f"Öppna länken inom {minutes} minuter. Den fungerar en gång:\n{link}\n\n"
        "Bad du inte om det? Då kan du strunta i det här brevet; ditt lösenord är oförändrat."
    )
    en = (
        "Someone (hopefully you) asked to choose a new password for Self-service.\n"
        f"Open the link within {minutes} minutes. It works once:\n{link}\n\n"
        "Did not ask for it? Then ignore this e-mail; your password is unchanged."
    )
    first, second = (en, sv) if locale == "en" else (sv, en)
    subject = (
        "Choose a new password / Välj nytt lösenord" if locale == "en" else "Välj nytt lösenord / Choose a new password"
    )
    paragraphs = "".join(
        f"<p>{line}</p>\n"
        for line in (first + "\n\n" + second).replace(link, f'<a href="{link}">{link}</a>').split("\n")
        if line
    )
    html = f'<!doctype html>\n<html>\n<body style="font-family: sans-serif">\n{paragraphs}</body>\n</html>\n'
    return EmailContent(subject=subject, text=f"{first}\n\n---\n\n{second}\n", html=html)


RESET_LINKS_PER_WINDOW = 3
"""At most this many links per account within PASSWORD_RESET_MINUTES: a stranger cannot flood a mailbox."""
SEND_ATTEMPTS = 3


async def send_reset_link(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock, email: str
) -> None:
    """Runs after the 202 is sent: makes a link for an active account and mails it; nothing otherwise."""
    try:
        async with sessions() as session:
            account = (
                await session.execute(select(Account).where(col(Account.email) == email.strip().lower()))
            ).scalar_one_or_none()
            if account is None or not account.active or (account.is_demo and not settings.demo_enabled):
                return
            now = clock.now()
            window = timedelta(minutes=settings.auth.password_reset_minutes)
            recent = (
                await session.execute(
                    select(func.count())
                    .select_from(PasswordReset)
                    .where(col(PasswordReset.account_id) == account.id, col(PasswordReset.created_at) > now - window)
                )
            ).scalar_one()
            if recent >= RESET_LINKS_PER_WINDOW:
                log.warning("password_reset_not_sent", reason="too many links asked for", account_id=str(account.id))
                return
            token = secrets.token_urlsafe(32)
            session.add(PasswordReset(account_id=account.id, token_hash=token_hash(token), expires_at=now + window))
            audit.record(
                session,
                organisation_id=account.organisation_id,
                actor=None,
                entity_type="account",
                entity_id=account.id,
                action="password_reset_requested",
            )
            await session.commit()
            to, locale = account.email, account.locale
        sender = email_sender(settings)
        if sender is None:
            log.warning("password_reset_not_sent", reason="SMTP_HOST is not set")
            return
        content = reset_email(settings, token, locale)
        for attempt in range(1, SEND_ATTEMPTS + 1):
            outcome = await sender.send(to, content, attempt=attempt)
            if not isinstance(outcome, RetryLater) or attempt == SEND_ATTEMPTS:
                break
            await asyncio.sleep(min(outcome.after_seconds, 30.0))
        if not isinstance(outcome, Delivered):
            log.warning("password_reset_not_sent", reason=getattr(outcome, "reason", "unknown"))
    except Exception:  # a background task: nobody else would see it
        log.exception("password_reset_failed")


async def reset_password(session: AsyncSession, settings: Settings, clock: Clock, token: str, new: str) -> UUID:
    """Use a link once: the new password is set and the account's id returned (its sessions end)."""
    reset = (
        await session.execute(select(PasswordReset).where(col(PasswordReset.token_hash) == token_hash(token)))
    ).scalar_one_or_none()
    if reset is None or reset.used_at is not None:
        raise invalid(
            [
                FieldError(
                    "token",
                    "reset_link_used_or_unknown",
                    Text(
                        sv="Länken är redan använd eller okänd. Be om en ny.",
                        en="The link has been used already or is unknown. Ask for a new one.",
                    ),
                )
            ]
        )
    now = clock.now()
    if reset.expires_at <= now:
        raise Problem(
            410,
            "reset_link_expired",
            Text(sv="Länken har gått ut", en="The link has expired"),
            Text(
                sv=f"Be om en ny länk och använd den inom {settings.auth.password_reset_minutes} minuter.",
                en=f"Ask for a new link and use it within {settings.auth.password_reset_minutes} minutes.",
            ),
            [FieldError("token", "expired", Text(sv="Länken har gått ut", en="The link has expired"))],
        )
    account = await session.get(Account, reset.account_id)
    if account is None or not account.active:
        raise invalid([FieldError("token", "reset_link_used_or_unknown", Text(sv="Okänd länk", en="Unknown link"))])
    await set_password(session, settings, account, new)
    reset.used_at = now
    audit.record(
        session,
        organisation_id=account.organisation_id,
        actor=None,
        entity_type="account",
        entity_id=account.id,
        action="password_reset",
    )
    await session.commit()
    return account.id
