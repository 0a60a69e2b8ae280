"""Attested items a payslip pays (expenses, travel claims, time weeks) and those still waiting for attest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import AttestItem, Expense, ExpenseClaim, Organisation
from backend.db.models.time import TimeEntry
from backend.db.models.travel import TravelClaim
from backend.domain.attest import AttestState, ItemKind
from backend.domain.expenses import TREATMENT_CATEGORY, WELLNESS_CATEGORIES
from backend.domain.payslip import inputs as engine
from backend.domain.rates import agreement_profile
from backend.payslips.facts import Facts, among, chunks
from backend.payslips.weeks import straddling_weeks, time_rows


def travel_days(computation: dict[str, Any]) -> tuple[engine.TravelDay, ...]:
    """The per diem days as the travel rules stored them, for the payslip's sub-lines."""
    return tuple(
        engine.TravelDay(
            kind=str(d["kind"]),
            allowance=Decimal(str(d["allowance"])),
            meal_reduction=Decimal(str(d["meal_reduction"])),
            night_tax_free=Decimal(str(d["night"]["tax_free"])) if d.get("night") else Decimal(0),
        )
        for d in computation.get("per_diem", {}).get("days", [])
        if computation.get("per_diem", {}).get("qualifies")
    )


def travel_legs(computation: dict[str, Any]) -> tuple[engine.TravelLeg, ...]:
    return tuple(
        engine.TravelLeg(
            distance_km=Decimal(str(leg["distance_km"])),
            mil=Decimal(str(leg["mil"])),
            rate_per_mil=Decimal(str(leg["rate_per_mil"])),
            tax_free_max_per_mil=Decimal(str(leg["tax_free_max_per_mil"])),
        )
        for leg in computation.get("mileage", {}).get("legs", [])
    )


async def attested_items(
    session: AsyncSession, organisation: Organisation, facts: dict[UUID, Facts], settled: date | None
) -> None:
    """Approved items not yet paid (not locked into a pay run), and pending ones."""
    items: list[AttestItem] = []
    for chunk in chunks(list(facts)):
        items += (
            (
                await session.execute(
                    select(AttestItem).where(
                        col(AttestItem.organisation_id) == organisation.id,
                        among(session, AttestItem.employee_id, chunk),
                        col(AttestItem.state).in_(
                            [AttestState.APPROVED.value, AttestState.SUBMITTED.value, AttestState.RETURNED.value]
                        ),
                    )
                )
            )
            .scalars()
            .all()
        )
    approved = {i.subject_id: i for i in items if i.state == AttestState.APPROVED}
    for item in items:
        if item.state != AttestState.APPROVED:
            facts[item.employee_id].pending.append(
                engine.PendingItem(
                    item_id=str(item.subject_id),
                    kind=engine.ItemKind(item.kind),
                    state=engine.PendingState(item.state),
                    title=item.title,
                    title_en=item.title_en,
                    submitted_on=item.submitted_at.date(),
                    amount=item.amount,
                    hours=item.hours,
                )
            )
        elif item.kind == ItemKind.LEAVE_REQUEST:
            facts[item.employee_id].leave_items[item.subject_id] = item  # paid month by month: _leave
        else:
            facts[item.employee_id].included_items[str(item.subject_id)] = item.id

    by_kind: dict[str, list[AttestItem]] = defaultdict(list)
    for item in approved.values():
        by_kind[item.kind].append(item)
    decided = {subject: (item.decided_at or item.submitted_at).date() for subject, item in approved.items()}

    claims = [i.subject_id for i in by_kind[ItemKind.EXPENSE_CLAIM]]
    for chunk in chunks(claims):
        for expense in (
            await session.execute(select(Expense).where(among(session, Expense.claim_id, chunk)))
        ).scalars():
            assert expense.claim_id is not None
            facts[expense.employee_id].expenses.append(
                engine.ApprovedExpense(
                    expense_id=str(expense.id),
                    claim_id=str(expense.claim_id),
                    amount=expense.amount_sek or Decimal(0),
                    approved_on=decided[expense.claim_id],
                    description=expense.merchant or "",
                    payment=engine.ExpensePayment(expense.payment),
                    kind=engine.ExpenseKind.WELLNESS
                    if expense.category in WELLNESS_CATEGORIES
                    else engine.ExpenseKind.ORDINARY,
                    treatment=expense.category == TREATMENT_CATEGORY,
                )
            )

    trips = [i.subject_id for i in by_kind[ItemKind.TRAVEL_CLAIM]]
    for chunk in chunks(trips):
        rows = (await session.execute(select(TravelClaim).where(among(session, TravelClaim.id, chunk)))).scalars().all()
        receipts: dict[UUID, Decimal] = defaultdict(Decimal)
        for expense in (
            await session.execute(select(Expense).where(among(session, Expense.travel_claim_id, [t.id for t in rows])))
        ).scalars():
            if expense.payment == "private" and expense.travel_claim_id is not None:
                receipts[expense.travel_claim_id] += expense.amount_sek or Decimal(0)
        for trip in rows:
            facts[trip.employee_id].travel.append(
                engine.ApprovedTravelClaim(
                    claim_id=str(trip.id),
                    approved_on=decided[trip.id],
                    description=trip.destination or trip.purpose or "",
                    per_diem_tax_free=trip.per_diem_tax_free,
                    per_diem_taxable=trip.per_diem_taxable,
                    mileage_tax_free=trip.mileage_tax_free,
                    mileage_taxable=trip.mileage_taxable,
                    expenses=receipts[trip.id],
                    days=travel_days(trip.computation),
                    legs=travel_legs(trip.computation),
                )
            )

    weeks = [i.subject_id for i in by_kind[ItemKind.TIME_WEEK]]
    profile = agreement_profile(organisation.agreement_profile)
    for chunk in chunks(weeks):
        for entry in (
            await session.execute(select(TimeEntry).where(among(session, TimeEntry.week_id, chunk)))
        ).scalars():
            facts[entry.employee_id].time.extend(time_rows(entry, decided[entry.week_id], profile))
    await straddling_weeks(session, organisation, facts, profile, settled)


async def draft_claims(session: AsyncSession, employee_ids: Sequence[UUID]) -> dict[UUID, list[engine.PendingItem]]:
    """Expense claims not submitted yet: the employee sees them as pending too."""
    found: dict[UUID, list[engine.PendingItem]] = defaultdict(list)
    for chunk in chunks(list(employee_ids)):
        claims = (
            await session.execute(
                select(ExpenseClaim)
                .outerjoin(
                    AttestItem,
                    (col(AttestItem.subject_id) == col(ExpenseClaim.id))
                    & (col(AttestItem.kind) == ItemKind.EXPENSE_CLAIM.value),
                )
                .where(among(session, ExpenseClaim.employee_id, chunk), col(AttestItem.id).is_(None))
            )
        ).scalars()
        for claim in claims:
            found[claim.employee_id].append(
                engine.PendingItem(str(claim.id), engine.ItemKind.EXPENSE_CLAIM, engine.PendingState.DRAFT, claim.title)
            )
    return found
