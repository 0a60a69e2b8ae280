"""Submitting a travel claim for attest.

The claim is checked and computed anew from what is stored, with the organisation's figures and
normalbelopp table as they are at submission, together with every attached expense; every
problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.titles import trip_title
from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.problems import invalid
from backend.db.models import Expense, MileageLeg, TravelClaim
from backend.domain import expenses as expense_rules
from backend.domain.attest import ItemKind
from backend.domain.travel import claim as claim_rules
from backend.domain.travel.per_diem import wall_clock
from backend.expenses.services import ExpenseService
from backend.travel.claims import apply
from backend.travel.computing import compute, country_errors, trip_errors
from backend.travel.loading import claim_expenses, owned_claim
from backend.travel.schemas import LegIn, MealsIn, TravelClaimIn, TravelClaimView
from backend.travel.views import paid_privately, stored_meals, view


def stored_input(claim: TravelClaim, legs: Sequence[MileageLeg], expenses: Sequence[Expense]) -> TravelClaimIn:
    """The stored claim as input again, to check and compute it anew at submission."""
    return TravelClaimIn(
        departure_at=wall_clock(claim.departure_at),
        return_at=wall_clock(claim.return_at),
        purpose=claim.purpose,
        destination=claim.destination,
        country_code=claim.country_code,
        distance_from_home_km=claim.distance_from_home_km,
        distance_from_workplace_km=claim.distance_from_workplace_km,
        lodging_paid_by_employer=claim.lodging_paid_by_employer,
        meals=stored_meals(claim, MealsIn),
        long_stay=claim.long_stay,  # type: ignore[arg-type]
        same_place_since=claim.same_place_since,
        mileage=[
            LegIn(
                date=leg.day,
                from_place=leg.from_place,
                to_place=leg.to_place,
                purpose=leg.purpose,
                distance_km=leg.distance_km,
                vehicle=leg.vehicle,  # type: ignore[arg-type]
            )
            for leg in sorted(legs, key=lambda leg: leg.position)
        ],
        expense_ids=[e.id for e in expenses],
    )


async def submit_claim(
    session: AsyncSession, today: date, principal: Principal, claim_id: UUID, now: datetime, language: Language
) -> TravelClaimView:
    """Check everything up front (trip, country, legs, every expense) and send the claim for attest."""
    claim, employee = await owned_claim(session, principal, claim_id)
    await attest.ensure_editable(session, ItemKind.TRAVEL_CLAIM, claim.id)
    legs = list((await session.execute(select(MileageLeg).where(col(MileageLeg.claim_id) == claim.id))).scalars())
    expenses = await claim_expenses(session, claim.id)
    data = stored_input(claim, legs, expenses)
    errors = trip_errors(data) + await country_errors(session, employee.organisation_id, data)
    errors += claim_rules.description_problems(claim.purpose, claim.destination)
    expense_service = ExpenseService(session, today=today)
    for i, expense in enumerate(expenses):
        errors += [
            v.within(f"expenses.{i}.")
            for v in expense_rules.submission_problems(expense_service._facts(expense), today)
        ]
    per_diem, mileage, computation = (
        (None, None, None) if errors else await compute(session, employee.organisation_id, data)
    )
    if per_diem is not None and mileage is not None:
        explanation = Text(sv=per_diem.explanation_sv, en=per_diem.explanation_en)
        nothing = claim_rules.nothing_to_claim(per_diem.paid, mileage.paid, len(expenses), explanation)
        if nothing is not None:
            errors.append(nothing)
    if errors:
        raise invalid(
            errors,
            Text(
                sv="Reseräkningen kan inte skickas in ännu. Rätta allt nedan på en gång.",
                en="The travel claim cannot be submitted yet. Correct everything below at once.",
            ),
        )
    assert per_diem is not None
    assert mileage is not None
    assert computation is not None
    apply(claim, data, per_diem, mileage, computation)
    hotel = claim_rules.hotel_with_night_allowance(claim.lodging_paid_by_employer, (e.category for e in expenses))
    warnings = [] if hotel is None else [attest.item_warning(claim_rules.HOTEL_AND_NIGHT_ALLOWANCE, hotel)]
    await attest.submit(
        session,
        principal,
        kind=ItemKind.TRAVEL_CLAIM,
        subject_id=claim.id,
        employee=employee,
        title=trip_title(wall_clock(claim.departure_at).date(), claim.destination, claim.purpose),
        now=now,
        amount=claim.per_diem_paid + claim.mileage_paid + paid_privately(expenses),
        warnings=warnings,
    )
    await session.commit()
    return await view(session, claim, employee, language)
