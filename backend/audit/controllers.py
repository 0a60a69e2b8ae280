"""The audit trail, for payroll and administrators: who did what, when, why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.params import FromQuery, Parameter
from sqlmodel import col, select

from backend.core.authorization import Role, requires
from backend.core.deps import DbSession, PrincipalDep
from backend.core.schemas import Output
from backend.db.models import AuditEvent


class AuditEventView(Output):
    id: UUID
    occurred_at: datetime
    actor_account_id: UUID | None
    on_behalf_of_account_id: UUID | None
    entity_type: str
    entity_id: UUID
    action: str
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


def audit_view(event: AuditEvent) -> AuditEventView:
    return AuditEventView(
        id=event.id,
        occurred_at=event.occurred_at,
        actor_account_id=event.actor_account_id,
        on_behalf_of_account_id=event.on_behalf_of_account_id,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        action=event.action,
        reason=event.reason,
        before=event.before,
        after=event.after,
        request_id=event.request_id,
    )


class AuditController(Controller):
    path = "/api/audit"
    tags = ["Audit"]
    guards = [requires(Role.PAYROLL, Role.ADMIN)]

    @get("/")
    async def list_events(
        self,
        principal: PrincipalDep,
        db_session: DbSession,
        entity_type: Annotated[str | None, Parameter(max_length=40)] = None,
        entity_id: FromQuery[UUID | None] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> list[AuditEventView]:
        """Newest first, in the caller's organisation, optionally for one entity."""
        statement = select(AuditEvent).where(col(AuditEvent.organisation_id) == principal.organisation_id)
        if entity_type:
            statement = statement.where(col(AuditEvent.entity_type) == entity_type)
        if entity_id:
            statement = statement.where(col(AuditEvent.entity_id) == entity_id)
        rows = (await db_session.execute(statement.order_by(col(AuditEvent.occurred_at).desc()).limit(limit))).scalars()
        return [audit_view(event) for event in rows]
