"""Receipts, expenses and expense claims as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from backend.attest.schemas import AttestView, HistoryEntry, ItemState
from backend.core.schemas import ExchangeRate, Input, Money, Output, Percent

Text200 = Annotated[str, msgspec.Meta(max_length=200)]
Text1000 = Annotated[str, msgspec.Meta(max_length=1000)]
Currency = Annotated[str, msgspec.Meta(min_length=3, max_length=3)]


class VatRowIn(Input):
    rate: Percent
    amount: Money


class ParticipantIn(Input):
    name: Annotated[str, msgspec.Meta(max_length=100)]
    company: Annotated[str, msgspec.Meta(max_length=100)]


class ExpenseIn(Input):
    """An expense as the employee confirms it; every field may be empty while it is a draft."""

    receipt_id: UUID | None = None
    expense_date: date | None = None
    merchant: Text200 | None = None
    org_number: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    amount: Money | None = None
    currency: Currency = "SEK"
    exchange_rate: ExchangeRate | None = None
    vat: Annotated[list[VatRowIn], msgspec.Meta(max_length=5)] = []
    category: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    payment: Literal["private", "company_card"] = "private"
    project_id: UUID | None = None
    cost_centre_id: UUID | None = None
    comment: Text1000 | None = None
    purpose: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    participants: Annotated[list[ParticipantIn], msgspec.Meta(max_length=50)] = []
    attachment_receipt_ids: Annotated[list[UUID], msgspec.Meta(max_length=10)] = []


class VatRowView(Output):
    rate: Decimal
    amount: Decimal


class ParticipantView(Output):
    name: str
    company: str


class Warning(Output):
    code: str
    message: str
    related_expense_id: UUID | None = None


class ReceiptView(Output):
    id: UUID
    state: Literal["queued", "interpreting", "done", "failed"]
    content_type: str
    size_bytes: int
    width: int | None
    height: int | None
    image_url: str
    interpretation: dict[str, Any] | None
    """What was read: fields, per-field confidence (0..1) and word boxes (pixels of the stored image)."""
    error_code: str | None
    expense_id: UUID | None = None


class FieldNote(Output):
    """Something to put right beside one field before the expense can be submitted (the submission's own rules)."""

    field: str
    code: str
    message: str


class ExpenseView(Output):
    id: UUID
    state: ItemState
    editable: bool
    claim_id: UUID | None
    travel_claim_id: UUID | None
    """The travel claim (hotel, tickets) the expense belongs to instead of an expense claim."""
    receipt: ReceiptView | None
    expense_date: date | None
    merchant: str | None
    org_number: str | None
    amount: Decimal | None
    currency: str
    exchange_rate: Decimal | None
    exchange_rate_source: str | None
    amount_sek: Decimal | None
    vat: list[VatRowView]
    category: str | None
    payment: str
    project_id: UUID | None
    cost_centre_id: UUID | None
    comment: str | None
    purpose: str | None
    participants: list[ParticipantView]
    attachment_receipt_ids: list[UUID]
    filled_from_receipt: bool
    confidence: dict[str, float]
    """Per field, how sure receipt interpretation was (0..1); the app highlights low values."""
    remembered: list[str]
    """Fields (merchant, category, currency) filled from an earlier correction in the organisation."""
    warnings: list[Warning]
    to_fix: list[FieldNote]
    """While editable: what submitting would refuse now (missing date, too old, participants...), per field."""
    created_at: datetime
    updated_at: datetime


class ClaimIn(Input):
    title: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    """Empty or left out: the claim is named after its expenses ("Espresso House 4 dec") or their trip."""
    expense_ids: Annotated[list[UUID], msgspec.Meta(max_length=100)] = []


class ClaimSummary(Output):
    id: UUID
    title: str
    state: ItemState
    total_sek: Decimal
    expense_count: int
    submitted_at: datetime | None
    updated_at: datetime


class ClaimView(Output):
    id: UUID
    title: str
    state: ItemState
    editable: bool
    total_sek: Decimal
    expenses: list[ExpenseView]
    attest: AttestView | None
    history: list[HistoryEntry]


class WellnessView(Output):
    year: int
    cap: Decimal
    """Tax-free maximum for the year (Skatteverket)."""
    used: Decimal
    """Wellness expenses this year, filed or approved."""
    remaining: Decimal
    employer_allowance: Decimal | None
    """What the employer offers, if set."""


class ExchangeRateView(Output):
    currency: str
    date: date | None
    """The day the rate is from (the latest published on or before the date asked for)."""
    rate: Decimal | None
    """SEK per unit of ``currency``; null when rates are not fetched automatically (``source`` "manual")."""
    source: Literal["riksbank", "identity", "manual"]
    """riksbank: the provider; identity: SEK itself; manual: no provider, the employee enters the rate."""
