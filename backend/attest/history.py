"""An item's audit trail with people's names: what the employee and payroll see on the item."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest.schemas import HistoryEntry
from backend.core import audit
from backend.db.models import Account, Employee


async def history(
    session: AsyncSession, organisation_id: UUID, entity_type: str, entity_id: UUID
) -> list[HistoryEntry]:
    """The item's audit trail with people's names, for the employee and payroll."""
    events = await audit.history(session, organisation_id, entity_type, entity_id)
    account_ids = {e.actor_account_id for e in events if e.actor_account_id}
    names = (
        dict(
            (await session.execute(select(Account.id, Account.display_name).where(col(Account.id).in_(account_ids))))
            .tuples()
            .all()
        )
        if account_ids
        else {}
    )
    employee_ids = {UUID(str(e.after["on_behalf_of"])) for e in events if e.after and e.after.get("on_behalf_of")}
    on_behalf = (
        dict(
            (
                await session.execute(
                    select(Employee.id, Employee.first_name + " " + Employee.last_name).where(
                        col(Employee.id).in_(employee_ids)
                    )
                )
            )
            .tuples()
            .all()
        )
        if employee_ids
        else {}
    )
    return [
        HistoryEntry(
            occurred_at=e.occurred_at,
            action=e.action,
            actor=names.get(e.actor_account_id) if e.actor_account_id else None,
            on_behalf_of=on_behalf.get(UUID(str(e.after["on_behalf_of"])))
            if e.after and e.after.get("on_behalf_of")
            else None,
            reason=e.reason,
            before=e.before,
            after=e.after,
        )
        for e in events
    ]
