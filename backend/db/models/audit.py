"""The audit trail: who did what to which entity, when, why, with before/after values."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlmodel import Field, Index

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC, JsonB, utcnow


class AuditEvent(Record, table=True):
    __table_args__ = (Index("ix_auditevent_entity", "organisation_id", "entity_type", "entity_id"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=DateTimeUTC, index=True)
    actor_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    on_behalf_of_account_id: UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    entity_type: str = Field(max_length=40)
    entity_id: UUID
    action: str = Field(max_length=40)
    reason: str | None = Field(default=None, max_length=1000)
    before: dict[str, Any] | None = Field(default=None, sa_type=JsonB)
    after: dict[str, Any] | None = Field(default=None, sa_type=JsonB)
    request_id: str | None = Field(default=None, max_length=64)
