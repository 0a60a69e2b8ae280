"""Reading travel claims: one claim with its stored computation, and the list of an employee's claims.

The amounts shown are the ones stored when the claim was last saved or submitted (never
recomputed on reading), so what is attested is what is shown.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.history import history
from backend.attest.routing import Subject
from backend.attest.schemas import PersonRef, item_state
from backend.core.auth import Principal
from backend.core.authorization import may_see_drafts_of
from backend.core.clock import STOCKHOLM
from backend.core.i18n import Language
from backend.db.models import Employee, Expense, TravelClaim
from backend.domain.attest import AttestState, ItemKind, editable
from backend.travel.computing import ZERO
from backend.travel.loading import ONLY_EMPLOYEES, claim_expenses, visible_claim
from backend.travel.schemas import (
    ExpenseRef,
    MealsIn,
    MealsView,
    MileageLegView,
    MileageView,
    NightView,
    PerDiemDayView,
    PerDiemView,
    TotalsView,
    TravelClaimSummary,
    TravelClaimView,
)

Meals = TypeVar("Meals", MealsIn, MealsView)


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _pick(entry: dict[str, Any], language: Language) -> str:
    return str(entry.get(f"explanation_{language}") or entry.get("explanation_sv") or "")


def stored_meals(claim: TravelClaim, kind: type[Meals]) -> list[Meals]:
    """The claim's stored meals (a day and the names of its free meals) as ``kind``: shown, or checked again."""
    return [
        kind(
            date=date.fromisoformat(m["date"]),
            breakfast="breakfast" in m["meals"],
            lunch="lunch" in m["meals"],
            dinner="dinner" in m["meals"],
        )
        for m in claim.meals
    ]


def paid_privately(expenses: list[Expense]) -> Decimal:
    """What the employee paid out of pocket: repaid with the claim, so part of its total."""
    return sum((e.amount_sek or ZERO for e in expenses if e.payment == "private"), ZERO)


def per_diem_view(data: dict[str, Any], language: Language) -> PerDiemView:
    return PerDiemView(
        qualifies=bool(data.get("qualifies", False)),
        rule=str(data.get("rule", "")),
        explanation=_pick(data, language),
        paid=_d(data.get("paid", 0)),
        tax_free=_d(data.get("tax_free", 0)),
        taxable=_d(data.get("taxable", 0)),
        days=[
            PerDiemDayView(
                date=date.fromisoformat(d["date"]),
                kind=d["kind"],
                rule=d["rule"],
                country_code=d["country_code"],
                long_stay=d["long_stay"],
                allowance=_d(d["allowance"]),
                meals_provided=list(d["meals_provided"]),
                meal_reduction=_d(d["meal_reduction"]),
                day_tax_free_max=_d(d["day_tax_free_max"]),
                day_paid=_d(d["day_paid"]),
                night=None
                if d["night"] is None
                else NightView(
                    lodging=d["night"]["lodging"],
                    tax_free_max=_d(d["night"]["tax_free_max"]),
                    paid=_d(d["night"]["paid"]),
                    tax_free=_d(d["night"]["tax_free"]),
                    taxable=_d(d["night"]["taxable"]),
                ),
                paid=_d(d["paid"]),
                tax_free=_d(d["tax_free"]),
                taxable=_d(d["taxable"]),
                explanation=_pick(d, language),
            )
            for d in data.get("days", [])
        ],
    )


def mileage_view(data: dict[str, Any], language: Language) -> MileageView:
    return MileageView(
        paid=_d(data.get("paid", 0)),
        tax_free=_d(data.get("tax_free", 0)),
        taxable=_d(data.get("taxable", 0)),
        legs=[
            MileageLegView(
                date=date.fromisoformat(leg["date"]),
                from_place=leg["from_place"],
                to_place=leg["to_place"],
                purpose=leg["purpose"],
                distance_km=_d(leg["distance_km"]),
                vehicle=leg["vehicle"],
                mil=_d(leg["mil"]),
                rate_per_mil=_d(leg["rate_per_mil"]),
                tax_free_max_per_mil=_d(leg["tax_free_max_per_mil"]),
                paid=_d(leg["paid"]),
                tax_free=_d(leg["tax_free"]),
                taxable=_d(leg["taxable"]),
                explanation=_pick(leg, language),
            )
            for leg in data.get("legs", [])
        ],
    )


async def view(session: AsyncSession, claim: TravelClaim, employee: Employee, language: Language) -> TravelClaimView:
    """The claim as the API shows it, with its attest state and history."""
    item = await attest.item_for(session, ItemKind.TRAVEL_CLAIM, claim.id)
    expenses = await claim_expenses(session, claim.id)
    private = paid_privately(expenses)
    per_diem = per_diem_view(claim.computation.get("per_diem", {}), language)
    mileage = mileage_view(claim.computation.get("mileage", {}), language)
    return TravelClaimView(
        id=claim.id,
        employee=PersonRef(id=employee.id, name=employee.full_name),
        state=item_state(item),
        editable=editable(AttestState(item.state) if item else None),
        purpose=claim.purpose,
        destination=claim.destination,
        country_code=claim.country_code,
        departure_at=claim.departure_at.astimezone(STOCKHOLM),
        return_at=claim.return_at.astimezone(STOCKHOLM),
        distance_from_home_km=claim.distance_from_home_km,
        distance_from_workplace_km=claim.distance_from_workplace_km,
        lodging_paid_by_employer=claim.lodging_paid_by_employer,
        meals=stored_meals(claim, MealsView),
        long_stay=claim.long_stay,  # type: ignore[arg-type]
        same_place_since=claim.same_place_since,
        per_diem=per_diem,
        mileage=mileage,
        expenses=[
            ExpenseRef(
                id=e.id,
                expense_date=e.expense_date,
                merchant=e.merchant,
                category=e.category,
                amount_sek=e.amount_sek,
                payment=e.payment,
            )
            for e in expenses
        ],
        totals=TotalsView(
            per_diem=claim.per_diem_paid,
            mileage=claim.mileage_paid,
            expenses=private,
            total=claim.per_diem_paid + claim.mileage_paid + private,
            tax_free=claim.per_diem_tax_free + claim.mileage_tax_free,
            taxable=claim.per_diem_taxable + claim.mileage_taxable,
        ),
        attest=attest.attest_view(item),
        history=await history(session, claim.organisation_id, ItemKind.TRAVEL_CLAIM.value, claim.id),
    )


async def claim_view(
    session: AsyncSession, today: date, principal: Principal, claim_id: UUID, language: Language
) -> TravelClaimView:
    claim, employee = await visible_claim(session, principal, claim_id, today)
    return await view(session, claim, employee, language)


async def list_claims(session: AsyncSession, principal: Principal, subject: Subject) -> list[TravelClaimSummary]:
    """The employee's claims, latest trip first; drafts only to those who may see them."""
    employee = subject.required(ONLY_EMPLOYEES)
    claims = list(
        (
            await session.execute(
                select(TravelClaim)
                .where(col(TravelClaim.employee_id) == employee.id)
                .order_by(col(TravelClaim.departure_at).desc())
                .limit(500)
            )
        ).scalars()
    )
    items = await attest.states_of(session, ItemKind.TRAVEL_CLAIM, {c.id for c in claims})
    if not may_see_drafts_of(principal, employee.id):
        claims = [c for c in claims if c.id in items]
    sums: dict[UUID, Decimal] = {}
    if claims:
        rows = await session.execute(
            select(col(Expense.travel_claim_id), func.sum(col(Expense.amount_sek)))
            .where(col(Expense.travel_claim_id).in_([c.id for c in claims]), col(Expense.payment) == "private")
            .group_by(col(Expense.travel_claim_id))
        )
        sums = {
            claim_id: Decimal(total or 0).quantize(Decimal("0.01"))  # SUM keeps the Money type: kronor
            for claim_id, total in rows.tuples()
        }
    return [
        TravelClaimSummary(
            id=c.id,
            purpose=c.purpose,
            destination=c.destination,
            country_code=c.country_code,
            departure_at=c.departure_at.astimezone(STOCKHOLM),
            return_at=c.return_at.astimezone(STOCKHOLM),
            state=item_state(items.get(c.id)),
            total=c.per_diem_paid + c.mileage_paid + sums.get(c.id, ZERO),
            submitted_at=items[c.id].submitted_at if c.id in items else None,
        )
        for c in claims
    ]
