"""Receipts (stored images and what was read from them), expenses and expense claims."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint
from sqlmodel import Field, Index

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC, JsonB, Money


class Receipt(Record, table=True):
    """A stored receipt image (EXIF stripped, content-addressed) and its interpretation.

    ``state`` is the interpretation job's: queued -> interpreting -> done | failed. The job
    system runs one job per receipt at a time; ``attempts`` counts readings, killed ones too.
    """

    __table_args__ = (
        Index("ix_receipt_employee_hash", "organisation_id", "employee_id", "perceptual_hash"),
        Index("ix_receipt_queue", "state", "created_at"),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    sha256: str = Field(max_length=64, index=True)
    content_type: str = Field(max_length=40)
    size_bytes: int
    width: int | None = None
    height: int | None = None
    perceptual_hash: str | None = Field(default=None, max_length=16)
    original_filename: str | None = Field(default=None, max_length=255)
    state: str = Field(default="queued", max_length=12)
    attempts: int = Field(default=0)
    interpreted_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    error_code: str | None = Field(default=None, max_length=40)
    interpretation: dict[str, Any] | None = Field(default=None, sa_type=JsonB)


class ExpenseClaim(Record, table=True):
    """A "samlat utlägg": several expenses submitted for attest together."""

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=200)


class Expense(Record, table=True):
    """One expense. ``id`` may be chosen by the client so an offline replay creates it once."""

    __table_args__ = (
        Index("ix_expense_employee_date", "organisation_id", "employee_id", "expense_date"),
        Index("ix_expense_org_number", "organisation_id", "employee_id", "org_number"),
        CheckConstraint("claim_id IS NULL OR travel_claim_id IS NULL", name="one_claim"),
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    employee_id: UUID = Field(foreign_key="employee.id", ondelete="CASCADE")
    claim_id: UUID | None = Field(default=None, foreign_key="expenseclaim.id", ondelete="SET NULL", index=True)
    travel_claim_id: UUID | None = Field(
        default=None,
        foreign_key="travelclaim.id",
        ondelete="SET NULL",
        index=True,
        description="A travel claim the expense (hotel, tickets) belongs to; never together with claim_id",
    )
    receipt_id: UUID | None = Field(default=None, foreign_key="receipt.id", ondelete="SET NULL", index=True)
    expense_date: date | None = None
    merchant: str | None = Field(default=None, max_length=200)
    org_number: str | None = Field(default=None, max_length=11)
    amount: Decimal | None = Field(default=None, sa_type=Money, description="In ``currency``")
    currency: str = Field(default="SEK", max_length=3)
    exchange_rate: str | None = Field(default=None, max_length=20, description="SEK per unit, exact decimal string")
    exchange_rate_source: str | None = Field(default=None, max_length=40)
    amount_sek: Decimal | None = Field(default=None, sa_type=Money)
    vat: list[dict[str, str]] = Field(default_factory=list, sa_type=JsonB)
    category: str | None = Field(default=None, max_length=20)
    payment: str = Field(default="private", max_length=12, description="private | company_card")
    project_id: UUID | None = Field(default=None, foreign_key="project.id", ondelete="SET NULL")
    cost_centre_id: UUID | None = Field(default=None, foreign_key="costcentre.id", ondelete="SET NULL")
    comment: str | None = Field(default=None, max_length=1000)
    purpose: str | None = Field(default=None, max_length=500)
    participants: list[dict[str, str]] = Field(default_factory=list, sa_type=JsonB)
    attachment_receipt_ids: list[str] = Field(default_factory=list, sa_type=JsonB)
    filled_from_receipt: bool = Field(default=False, description="Fields were pre-filled by interpretation")
    confidence: dict[str, float] = Field(default_factory=dict, sa_type=JsonB)
    remembered: list[str] = Field(
        default_factory=list, sa_type=JsonB, description="Fields filled from the organisation's earlier correction"
    )


class IdempotentRequest(Record, table=True):
    """A replayed request with the same Idempotency-Key returns the first answer instead of acting twice."""

    __table_args__ = (
        Index("uq_idempotency_account_key", "account_id", "key", unique=True),
        Index("ix_idempotentrequest_created", "created_at"),  # pruning: expired keys of every account
    )

    account_id: UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    key: str = Field(max_length=100)
    fingerprint: str = Field(max_length=64, description="sha256 of method, path and body")
    status_code: int
    body: bytes
