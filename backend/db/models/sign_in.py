"""Password reset links sent by e-mail: only a hash of each token is kept."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC


class PasswordReset(Record, table=True):
    """One reset link. Works once (``used_at``) and until ``expires_at``.

    ``token_hash`` is the SHA-256 of the token in the link: a copy of the database does not
    hand out working links.
    """

    account_id: UUID = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = Field(sa_type=DateTimeUTC)
    used_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)


class SingleSignOn(Record, table=True):
    """An organisation's OpenID Provider: where its people sign in, and how they are matched to accounts.

    The login page finds it by the domain of the address typed (``email_domain``). ``match_by``:
    ``email`` links a first sign-in to the account with the provider's verified address;
    ``subject`` accepts only identities linked beforehand (``selfservice sso link``).
    ``provisioning`` creates a missing account on first sign-in (off unless the employer asks).
    """

    organisation_id: UUID = Field(foreign_key="organisation.id", unique=True, ondelete="CASCADE")
    email_domain: str = Field(max_length=253, unique=True)
    issuer: str = Field(max_length=500)
    client_id: str = Field(max_length=255)
    client_secret: str | None = Field(default=None, max_length=500)
    match_by: str = Field(default="email", max_length=10)
    provisioning: bool = Field(default=False)


class SingleSignOnIdentity(Record, table=True):
    """A person at an OpenID Provider (issuer and subject) and the account they sign in to."""

    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    account_id: UUID = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    issuer: str = Field(max_length=500)
    subject: str = Field(max_length=255)
