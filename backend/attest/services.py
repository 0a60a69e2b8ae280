"""The one approval mechanism: every kind of item is submitted, decided and locked here.

Areas (expenses, travel, time, leave) call ``submit`` with their item's kind and id;
they ask ``state_of`` whether an item may still be edited. Nothing else changes an
item's approval state, so the rules in ``backend.domain.attest`` hold for every kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import routing
from backend.attest.schemas import AttestView
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import Role, may_see_drafts_of
from backend.core.i18n import Text
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


async def refuse_unsubmitted(
    session: AsyncSession, principal: Principal, kind: ItemKind, subject_id: UUID, owner_id: UUID
) -> None:
    """A draft read by someone the policy keeps out of drafts (a manager) is answered as not found."""
    if not may_see_drafts_of(principal, owner_id) and await item_for(session, kind, subject_id) is None:
        raise not_found()


async def states_of(session: AsyncSession, kind: ItemKind, subject_ids: Iterable[UUID]) -> dict[UUID, AttestItem]:
    ids = list(subject_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(AttestItem).where(col(AttestItem.kind) == kind.value, col(AttestItem.subject_id).in_(ids))
    )
    return {item.subject_id: item for item in rows.scalars()}


def item_warning(code: str, message: Text, **about: str) -> dict[str, str]:
    """A warning the approver sees on a submitted item, stored in both languages (read by the inbox)."""
    return {"code": code, "message_sv": message.sv, "message_en": message.en, **about}


def warning_text(warning: dict[str, str]) -> Text:
    return Text(sv=warning["message_sv"], en=warning["message_en"])


def state(item: AttestItem | None) -> AttestState | None:
    return AttestState(item.state) if item is not None else None


def attest_view(item: AttestItem | None) -> AttestView | None:
    """The item's approval as its own page shows it (claims, weeks, trips, leave)."""
    if item is None:
        return None
    return AttestView(
        item_id=item.id,
        state=item.state,
        submitted_at=item.submitted_at,
        decided_at=item.decided_at,
        return_reason=item.return_reason,
        pay_period=item.pay_period,
        times_returned=item.times_returned,
    )


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
    title: Text | str,
    now: datetime,
    amount: Decimal | None = None,
    hours: Decimal | None = None,
    warnings: list[dict[str, str]] | None = None,
) -> AttestItem:
    """Send an item to its approver (the employee's manager; payroll when there is none).

    The caller validates the item first and commits afterwards, so the submission and
    the audit event land together or not at all. ``title``: in both languages when the app
    writes it ("Tidrapport 2026-W47" / "Time report 2026-W47"), as typed when a person named it.
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
            title="",
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
    item.title, item.title_en = (title.sv, title.en) if isinstance(title, Text) else (title, None)
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

_BATCH = 500


@dataclass(frozen=True)
class Planned:
    """A decision that passed the rules, waiting to be carried out."""

    item: AttestItem
    state: AttestState
    on_behalf: UUID | None
    reason: str | None
    pay_period: str | None
    before: AttestState = AttestState.SUBMITTED
    """Submitted, or approved when payroll returns an approved item."""


@dataclass(frozen=True)
class Decided:
    item: AttestItem
    state: AttestState
    pay_period: str | None
    notice: notices.DecidedItem
    """What the employee is told; the caller publishes it (batched)."""


class Changed(Exception):
    """The item changed between reading and deciding (someone else acted first)."""


def plan_decision(
    principal: Principal,
    item: AttestItem,
    employee: Employee,
    *,
    approve: bool,
    reason: str | None,
    expected_version: int | None,
    substitutes_for: set[UUID],
    organisation: Organisation,
    today: date,
) -> Planned:
    """Check one decision against the rules (who may decide, which transition, which version).

    Raises ``forbidden``/``not_found`` problems, ``AttestError`` or ``Changed``; nothing is written.
    """
    allowed, on_behalf = routing.decider(principal, employee, substitutes_for)
    own = item.employee_id == principal.employee_id
    reopening = principal.has(Role.PAYROLL) and item.state == AttestState.APPROVED and not approve
    if reopening and not routing.may_see(principal, employee, substitutes_for):
        raise not_found()
    if not allowed and not own and not reopening:
        # Payroll sees every item but decides only those without a manager; others may not even see it.
        raise forbidden() if routing.may_see(principal, employee, substitutes_for) else not_found()
    new_state = check_decision(
        AttestState(item.state), approve=approve, reason=reason, own=own, may_reopen=principal.has(Role.PAYROLL)
    )
    if expected_version is not None and expected_version != item.version:
        raise Changed()
    period = str(period_reached_by(today, organisation.cutoff_day)) if approve else None
    return Planned(
        item, new_state, on_behalf, None if approve else (reason or "").strip(), period, AttestState(item.state)
    )


async def apply_decisions(
    session: AsyncSession, principal: Principal, planned: Sequence[Planned], now: datetime
) -> dict[UUID, Decided]:
    """Carry out checked decisions, each guarded by the version it was checked against.

    One UPDATE per group of alike decisions (not one per item): an item someone else changed
    meanwhile simply does not match its guard, so it is missing from the answer and the
    others still go through, without savepoints. The caller commits; the audit events go in
    the same transaction, and the caller publishes ``Decided.notice`` (batched).
    """
    groups: dict[tuple[AttestState, AttestState, str | None, UUID | None, str | None], list[Planned]]
    groups = defaultdict(list)
    for plan in planned:
        groups[(plan.before, plan.state, plan.reason, plan.on_behalf, plan.pay_period)].append(plan)
    done: set[UUID] = set()
    for (before, new_state, reason, on_behalf, period), members in groups.items():
        approve = new_state == AttestState.APPROVED
        for start in range(0, len(members), _BATCH):
            guards = [(p.item.id, p.item.version) for p in members[start : start + _BATCH]]
            result = await session.execute(
                update(AttestItem)
                .where(
                    tuple_(col(AttestItem.id), col(AttestItem.version)).in_(guards),
                    col(AttestItem.state) == before.value,
                )
                .values(
                    state=new_state.value,
                    version=col(AttestItem.version) + 1,
                    decided_at=now,
                    decided_by_account_id=principal.account_id,
                    on_behalf_of_employee_id=on_behalf,
                    return_reason=reason,
                    pay_period=period,
                    times_returned=col(AttestItem.times_returned) + (0 if approve else 1),
                    updated_at=now,
                )
                .returning(col(AttestItem.id))
                .execution_options(synchronize_session=False)
            )
            done.update(result.scalars())
    behalf_accounts = await _accounts_of(session, {p.on_behalf for p in planned if p.item.id in done})
    decided: dict[UUID, Decided] = {}
    for plan in planned:
        item = plan.item
        if item.id not in done:
            continue
        approve = plan.state == AttestState.APPROVED
        audit.record(
            session,
            organisation_id=item.organisation_id,
            actor=principal,
            entity_type=item.kind,
            entity_id=item.subject_id,
            action="approved" if approve else "returned",
            before={"state": item.state, "version": item.version},
            after={
                "state": plan.state.value,
                "version": item.version + 1,
                "pay_period": plan.pay_period,
                "on_behalf_of": plan.on_behalf,
                "attest_item": item.id,
            },
            reason=plan.reason,
            on_behalf_of_account_id=behalf_accounts.get(plan.on_behalf) if plan.on_behalf else None,
        )
        told = notices.DecidedItem(item, approve, plan.reason, item.version + 1, plan.pay_period)
        decided[item.id] = Decided(item, plan.state, plan.pay_period, told)
    return decided


async def _accounts_of(session: AsyncSession, employee_ids: set[UUID | None]) -> dict[UUID, UUID]:
    wanted = {i for i in employee_ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(Account.employee_id, Account.id).where(col(Account.employee_id).in_(wanted)))
    return {employee_id: account_id for employee_id, account_id in rows.tuples() if employee_id is not None}
