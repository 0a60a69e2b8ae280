"""What an organisation has taught the app about a seller by correcting its receipts."""

from __future__ import annotations

from uuid import UUID

from sqlmodel import Field, UniqueConstraint

from backend.db.models.base import Record


class SellerMemory(Record, table=True):
    """The merchant, category and currency an organisation last corrected for one seller.

    ``key_kind`` is org_number | vat_id | name (the folded merchant name as read); one
    row per organisation and key, so one organisation's corrections never fill in
    another's receipts. A None field was never corrected.
    """

    __table_args__ = (UniqueConstraint("organisation_id", "key_kind", "key"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    key_kind: str = Field(max_length=12)
    key: str = Field(max_length=200)
    merchant: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=20)
    currency: str | None = Field(default=None, max_length=3)
    updated_by_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
