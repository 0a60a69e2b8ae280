"""Password reset links sent by e-mail: only a hash of each token is kept."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

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
