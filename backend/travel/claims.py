"""Saving and deleting a travel claim while it is the employee's draft (or returned to them).

Each save checks everything at once, computes per diem and mileage anew and stores them with
their explanations, and audits what changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.core import audit
from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, conflict, invalid, not_found
from backend.db.models import Employee, Expense, MileageLeg, TravelClaim
from backend.domain.attest import ItemKind, deletable
from backend.domain.travel.mileage import MileageResult
from backend.domain.travel.per_diem import PerDiemResult
from backend.travel.computing import aware, compute, country_errors, trip_errors
from backend.travel.loading import claim_expenses, claimant, owned_claim
from backend.travel.schemas import LegIn, TravelClaimIn, TravelClaimView
from backend.travel.views import view

CLAIM_FIELDS = [
    "purpose",
    "destination",
    "country_code",
    "departure_at",
    "return_at",
    "distance_from_home_km",
    "distance_from_workplace_km",
    "lodging_paid_by_employer",
    "meals",
    "long_stay",
    "same_place_since",
    "per_diem_paid",
    "mileage_paid",
]
"""What the audit log records of a claim."""


async def expense_errors(
    session: AsyncSession, employee: Employee, claim_id: UUID, expense_ids: Sequence[UUID]
) -> tuple[list[FieldError], list[Expense]]:
    """Only the employee's own expenses, each in one claim at a time; also the ones found, in the order given."""
    found = (
        {e.id: e for e in (await session.execute(select(Expense).where(col(Expense.id).in_(expense_ids)))).scalars()}
        if expense_ids
        else {}
    )
    errors: list[FieldError] = []
    for i, expense_id in enumerate(expense_ids):
        expense = found.get(expense_id)
        where = f"expense_ids.{i}"
        if expense is None or expense.employee_id != employee.id:
            errors.append(FieldError(where, "unknown_expense", Text(sv="Okänt utlägg", en="Unknown expense")))
        elif expense.claim_id is not None:
            errors.append(
                FieldError(
                    where,
                    "travel.expense_in_expense_claim",
                    Text(
                        sv="Utlägget ingår i en utläggsräkning; ta bort det därifrån först.",
                        en="The expense is in an expense claim; remove it from there first.",
                    ),
                )
            )
        elif expense.travel_claim_id not in (None, claim_id):
            errors.append(
                FieldError(
                    where,
                    "travel.expense_in_other_trip",
                    Text(
                        sv="Utlägget ingår redan i en annan reseräkning.",
                        en="The expense is already in another travel claim.",
                    ),
                )
            )
    if len(set(expense_ids)) != len(expense_ids):
        errors.append(
            FieldError(
                "expense_ids",
                "duplicate",
                Text(sv="Samma utlägg finns två gånger.", en="The same expense is listed twice."),
            )
        )
    return errors, [found[i] for i in dict.fromkeys(expense_ids) if i in found]


def apply(
    claim: TravelClaim,
    data: TravelClaimIn,
    per_diem: PerDiemResult,
    mileage: MileageResult,
    computation: dict[str, Any],
) -> None:
    """Write the input and its computed amounts onto the claim (legs and expenses are rows of their own)."""
    claim.purpose = (data.purpose or "").strip() or None
    claim.destination = (data.destination or "").strip() or None
    claim.country_code = data.country_code.strip().upper()
    claim.departure_at = aware(data.departure_at)
    claim.return_at = aware(data.return_at)
    claim.distance_from_home_km = data.distance_from_home_km
    claim.distance_from_workplace_km = data.distance_from_workplace_km
    claim.lodging_paid_by_employer = data.lodging_paid_by_employer
    claim.meals = [
        {
            "date": m.date.isoformat(),
            "meals": [
                name for name, given in (("breakfast", m.breakfast), ("lunch", m.lunch), ("dinner", m.dinner)) if given
            ],
        }
        for m in sorted(data.meals, key=lambda m: m.date)
    ]
    claim.long_stay = data.long_stay
    claim.same_place_since = data.same_place_since
    claim.per_diem_paid, claim.per_diem_tax_free, claim.per_diem_taxable = (
        per_diem.paid,
        per_diem.tax_free,
        per_diem.taxable,
    )
    claim.mileage_paid, claim.mileage_tax_free, claim.mileage_taxable = (
        mileage.paid,
        mileage.tax_free,
        mileage.taxable,
    )
    claim.computation = computation


async def put_claim(
    session: AsyncSession, principal: Principal, claim_id: UUID, data: TravelClaimIn, language: Language
) -> tuple[TravelClaimView, bool]:
    """Create or replace a travel claim under the client's id; every problem is reported at once."""
    employee = await claimant(session, principal)
    claim = await session.get(TravelClaim, claim_id)
    if claim is not None:
        if claim.employee_id != employee.id:
            raise not_found()
        await attest.ensure_editable(session, ItemKind.TRAVEL_CLAIM, claim.id)
    errors = trip_errors(data)
    if not any(e.field in ("return_at", "country_code") for e in errors):
        errors += await country_errors(session, employee.organisation_id, data)
    found_errors, expenses = await expense_errors(session, employee, claim_id, data.expense_ids)
    errors += found_errors
    if errors:
        raise invalid(
            errors,
            Text(
                sv="Reseräkningen kan inte sparas. Rätta allt nedan och försök igen.",
                en="The travel claim cannot be saved. Correct everything below and try again.",
            ),
        )
    per_diem, mileage, computation = await compute(session, employee.organisation_id, data)
    created = claim is None
    before = None if claim is None else audit.snapshot(claim, CLAIM_FIELDS)
    if claim is None:
        claim = TravelClaim(
            id=claim_id,
            organisation_id=employee.organisation_id,
            employee_id=employee.id,
            departure_at=aware(data.departure_at),
            return_at=aware(data.return_at),
            distance_from_home_km=data.distance_from_home_km,
            distance_from_workplace_km=data.distance_from_workplace_km,
        )
        session.add(claim)
    apply(claim, data, per_diem, mileage, computation)
    await session.flush()
    await _replace_legs(session, employee.organisation_id, claim.id, data.mileage)
    members = {e.id for e in expenses}
    for expense in await claim_expenses(session, claim.id):
        if expense.id not in members:
            expense.travel_claim_id = None
    for expense in expenses:
        expense.travel_claim_id = claim.id
    after = audit.snapshot(claim, CLAIM_FIELDS) | {
        "mileage": [
            f"{leg.date} {leg.from_place}-{leg.to_place} {leg.distance_km} km {leg.vehicle}" for leg in data.mileage
        ],
        "expense_ids": sorted(str(i) for i in members),
    }
    old, new = audit.changed(before or {}, after) if before is not None else (None, after)
    if created or new:
        audit.record(
            session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type=ItemKind.TRAVEL_CLAIM.value,
            entity_id=claim.id,
            action="created" if created else "updated",
            before=old,
            after=new,
        )
    await session.commit()
    return await view(session, claim, employee, language), created


async def _replace_legs(session: AsyncSession, organisation_id: UUID, claim_id: UUID, legs: Sequence[LegIn]) -> None:
    """The legs as given replace the stored ones; their position keeps the employee's order."""
    await session.execute(delete(MileageLeg).where(col(MileageLeg.claim_id) == claim_id))
    for position, leg in enumerate(legs):
        session.add(
            MileageLeg(
                organisation_id=organisation_id,
                claim_id=claim_id,
                position=position,
                day=leg.date,
                from_place=leg.from_place.strip(),
                to_place=leg.to_place.strip(),
                purpose=(leg.purpose or "").strip() or None,
                distance_km=leg.distance_km,
                vehicle=leg.vehicle,
            )
        )


async def delete_claim(session: AsyncSession, principal: Principal, claim_id: UUID) -> None:
    """Delete a draft; its expenses stay, unattached."""
    claim, employee = await owned_claim(session, principal, claim_id)
    if not deletable(attest.state(await attest.item_for(session, ItemKind.TRAVEL_CLAIM, claim.id))):
        raise conflict(
            "travel.already_submitted",
            Text(sv="En inskickad reseräkning kan inte tas bort.", en="A submitted travel claim cannot be deleted."),
        )
    for expense in await claim_expenses(session, claim.id):
        expense.travel_claim_id = None
    audit.record(
        session,
        organisation_id=employee.organisation_id,
        actor=principal,
        entity_type=ItemKind.TRAVEL_CLAIM.value,
        entity_id=claim.id,
        action="deleted",
        before=audit.snapshot(claim, CLAIM_FIELDS),
    )
    await session.delete(claim)
    await session.commit()
