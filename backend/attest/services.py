"""The one approval mechanism: every kind of item is submitted, decided and locked here.

Areas (expenses, travel, time, leave) call ``submit`` with their item's kind and id;
they ask ``state_of`` whether an item may still be edited. Nothing else changes an
item's approval state, so the rules in ``backend.domain.attest`` hold for every kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import routing
from backend.core import audit
from backend.core.auth import Principal
from backend.core.problems import forbidden, not_found
from backend.db.models import Account, AttestItem, Employee, Organisation
from backend.domain.attest import AttestState, ItemKind, check_decision, check_editable, check_submit
from backend.domain.calendar import period_reached_by
from backend.notices import events as notices


async def item_for(session: AsyncSession, kind: ItemKind, subject_id: UUID) -> AttestItem | None:
    found = await session.execute(
        select(AttestItem).where(col(AttestItem.kind) == kind.value, col(AttestItem.subject_id) == subject_id)
    )
    return found.scalar_one_or_none()


async def states_of(session: AsyncSession, kind: ItemKind, subject_ids: Iterable[UUID]) -> dict[UUID, AttestItem]:
    ids = list(subject_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(AttestItem).where(col(AttestItem.kind) == kind.value, col(AttestItem.subject_id).in_(ids))
    )
    return {item.subject_id: item for item in rows.scalars()}


def state(item: AttestItem | None) -> AttestState | None:
    return AttestState(item.state) if item is not None else None


async def ensure_editable(session: AsyncSession, kind: ItemKind, subject_id: UUID) -> AttestItem | None:
    """Raise a clear conflict unless the item is a draft or was returned."""
    item = await item_for(session, kind, subject_id)
    check_editable(state(item))
    return item


async def submit(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: ItemKind,
    subject_id: UUID,
    employee: Employee,
    title: str,
    now: datetime,
    amount: Decimal | None = None,
    hours: Decimal | None = None,
    warnings: list[dict[str, str]] | None = None,
) -> AttestItem:
    """Send an item to its approver (the employee's manager; payroll when there is none).

    The caller validates the item first and commits afterwards, so the submission and
    the audit event land together or not at all.
    """
    item = await item_for(session, kind, subject_id)
    before = state(item)
    check_submit(before)
    if item is None:
        item = AttestItem(
            organisation_id=employee.organisation_id,
            kind=kind.value,
            subject_id=subject_id,
            employee_id=employee.id,
            state=AttestState.SUBMITTED.value,
            title=title,
            first_submitted_at=now,
            submitted_at=now,
        )
        session.add(item)
    else:
        item.state = AttestState.SUBMITTED.value
        item.version += 1
        item.submitted_at = now
        item.decided_at = None
        item.decided_by_account_id = None
        item.on_behalf_of_employee_id = None
    item.approver_employee_id = employee.manager_id
    item.title = title
    item.amount = amount
    item.hours = hours
    item.warnings = warnings or []
    audit.record(
        session,
        organisation_id=employee.organisation_id,
        actor=principal,
        entity_type=kind.value,
        entity_id=subject_id,
        action="resubmitted" if before is not None else "submitted",
        before={"state": before.value if before else "draft"},
        after={"state": AttestState.SUBMITTED.value, "amount": amount, "hours": hours},
    )
    await notices.item_submitted(session, item, employee, now)
    return item


# --- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    item: AttestItem
    state: AttestState
    pay_period: str | None
    notice: notices.DecidedItem
    """What the employee is told; with ``notify=False`` the caller publishes it (batched)."""


class Changed(Exception):
    """The item changed between reading and deciding (someone else acted first)."""


async def decide(
    session: AsyncSession,
    principal: Principal,
    item: AttestItem,
    employee: Employee,
    *,
    approve: bool,
    reason: str | None,
    expected_version: int | None,
    substitutes_for: set[UUID],
    organisation: Organisation,
    now: datetime,
    today: date,
    notify: bool = True,
) -> Decided:
    """Approve or return one item, guarded by its version so two deciders never both succeed.

    The caller commits (or rolls back a savepoint); the audit event goes in the same transaction,
    and so does the employee's notice (``notify=False``: the caller publishes ``Decided.notice``).
    """
    allowed, on_behalf = routing.decider(principal, employee, substitutes_for)
    own = item.employee_id == principal.employee_id
    if not allowed and not own:
        # Payroll sees every item but decides only those without a manager; others may not even see it.
        raise forbidden() if routing.may_see(principal, employee, substitutes_for) else not_found()
    new_state = check_decision(AttestState(item.state), approve=approve, reason=reason, own=own)
    if expected_version is not None and expected_version != item.version:
        raise Changed()
    period = str(period_reached_by(today, organisation.cutoff_day)) if approve else None
    result = await session.execute(
        update(AttestItem)
        .where(
            col(AttestItem.id) == item.id,
            col(AttestItem.version) == item.version,
            col(AttestItem.state) == AttestState.SUBMITTED.value,
        )
        .values(
            state=new_state.value,
            version=item.version + 1,
            decided_at=now,
            decided_by_account_id=principal.account_id,
            on_behalf_of_employee_id=on_behalf,
            return_reason=None if approve else (reason or "").strip(),
            pay_period=period,
            times_returned=item.times_returned + (0 if approve else 1),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Changed()
    on_behalf_account = None
    if on_behalf is not None:
        on_behalf_account = (
            await session.execute(select(Account.id).where(col(Account.employee_id) == on_behalf))
        ).scalar_one_or_none()
    audit.record(
        session,
        organisation_id=item.organisation_id,
        actor=principal,
        entity_type=item.kind,
        entity_id=item.subject_id,
        action="approved" if approve else "returned",
        before={"state": item.state, "version": item.version},
        after={
            "state": new_state.value,
            "version": item.version + 1,
            "pay_period": period,
            "on_behalf_of": on_behalf,
            "attest_item": item.id,
        },
        reason=None if approve else (reason or "").strip(),
        on_behalf_of_account_id=on_behalf_account,
    )
    told = notices.DecidedItem(item, approve, None if approve else (reason or "").strip(), item.version + 1, period)
    if notify:
        await notices.items_decided(session, [told], principal.account_id, now)
    return Decided(item, new_state, period, told)
