"""The one audit mechanism: every state change is recorded in the same transaction.

Services call ``record`` with the values before and after; the event is added to the
caller's session so it commits (or rolls back) together with the change it describes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.auth import Principal
from backend.db.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def snapshot(entity: Any, fields: Iterable[str]) -> dict[str, Any]:
    """JSON-safe values of ``fields`` of ``entity``, for the before/after of an event."""
    return {name: _plain(getattr(entity, name)) for name in fields}


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, so the trail shows what actually changed."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record(
    session: AsyncSession,
    *,
    organisation_id: UUID,
    actor: Principal | None,
    entity_type: str,
    entity_id: UUID,
    action: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
    on_behalf_of_account_id: UUID | None = None,
) -> AuditEvent:
    event = AuditEvent(
        organisation_id=organisation_id,
        actor_account_id=actor.account_id if actor else None,
        on_behalf_of_account_id=on_behalf_of_account_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        reason=reason,
        before=_plain(dict(before)) if before is not None else None,
        after=_plain(dict(after)) if after is not None else None,
        request_id=structlog.contextvars.get_contextvars().get("request_id"),
    )
    session.add(event)
    return event


async def history(session: AsyncSession, organisation_id: UUID, entity_type: str, entity_id: UUID) -> list[AuditEvent]:
    result = await session.execute(
        select(AuditEvent)
        .where(
            col(AuditEvent.organisation_id) == organisation_id,
            col(AuditEvent.entity_type) == entity_type,
            col(AuditEvent.entity_id) == entity_id,
        )
        .order_by(col(AuditEvent.occurred_at))
    )
    return list(result.scalars())
