"""Travel claims: the trip, per diem and mileage by Skatteverket's rules, attached expenses, submission.

The amounts come from the pure rules (``compute_per_diem``, ``compute_mileage``) with the
organisation's year policy and normalbelopp table; they are stored with their explanations
each time the claim is saved or submitted, so what is attested is what is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.history import history
from backend.attest.routing import own_employee, visible_employee
from backend.attest.schemas import ItemState, PersonRef
from backend.attest.titles import trip_title
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import may_see_drafts_of
from backend.core.clock import STOCKHOLM
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, conflict, invalid, not_found
from backend.core.rates_store import ensure_loaded_rates
from backend.db.models import (
    AttestItem,
    Employee,
    Expense,
    MileageLeg,
    NormalbeloppRate,
    OrganisationYearPolicy,
    TravelClaim,
)
from backend.domain import expenses as expense_rules
from backend.domain.attest import AttestState, ItemKind, deletable, editable
from backend.domain.calendar import months_before
from backend.domain.errors import DomainError
from backend.domain.money import as_decimal
from backend.domain.rates import VehicleKind
from backend.domain.travel.claim import ClaimFacts, claim_problems
from backend.domain.travel.claim import Leg as ClaimLeg
from backend.domain.travel.mileage import MileageLeg as Leg
from backend.domain.travel.mileage import MileagePolicy, MileageResult, compute_mileage
from backend.domain.travel.normalbelopp import Normalbelopp, NormalbeloppTable, parse_normalbelopp_csv
from backend.domain.travel.per_diem import (
    DOMESTIC,
    Lodging,
    Meal,
    PerDiemPolicy,
    PerDiemResult,
    Trip,
    compute_per_diem,
)
from backend.expenses.services import ExpenseService
from backend.travel.schemas import (
    ExpenseRef,
    LegIn,
    MealsView,
    MileageLegView,
    MileageView,
    NightView,
    NormalbeloppLoaded,
    NormalbeloppView,
    PerDiemDayView,
    PerDiemView,
    TotalsView,
    TravelClaimIn,
    TravelClaimSummary,
    TravelClaimView,
)

ZERO = Decimal("0.00")
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


def local(moment: datetime) -> datetime:
    """Stockholm wall-clock time without an offset (naive input already is)."""
    return moment if moment.tzinfo is None else moment.astimezone(STOCKHOLM).replace(tzinfo=None)


def aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=STOCKHOLM) if moment.tzinfo is None else moment.astimezone(STOCKHOLM)


def _text(exc: DomainError) -> Text:
    return exc.message


def _s(value: Decimal) -> str:
    return str(value)


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _state(item: AttestItem | None) -> ItemState:
    return "draft" if item is None else item.state  # type: ignore[return-value]


def _per_diem_json(result: PerDiemResult) -> dict[str, Any]:
    return {
        "qualifies": result.qualifies,
        "rule": result.reason,
        "explanation_en": result.explanation_en,
        "explanation_sv": result.explanation_sv,
        "paid": _s(result.paid),
        "tax_free": _s(result.tax_free),
        "taxable": _s(result.taxable),
        "days": [
            {
                "date": d.date.isoformat(),
                "kind": d.kind.value,
                "rule": d.rule,
                "country_code": d.country_code,
                "long_stay": d.long_stay.value,
                "allowance": _s(d.allowance),
                "meals_provided": [m.value for m in Meal if m in d.meals_provided],
                "meal_reduction": _s(d.meal_reduction),
                "day_tax_free_max": _s(d.day_tax_free_max),
                "day_paid": _s(d.day_paid),
                "night": None
                if d.night is None
                else {
                    "lodging": d.night.lodging.value,
                    "tax_free_max": _s(d.night.tax_free_max),
                    "paid": _s(d.night.paid),
                    "tax_free": _s(d.night.tax_free),
                    "taxable": _s(d.night.taxable),
                },
                "paid": _s(d.paid),
                "tax_free": _s(d.tax_free),
                "taxable": _s(d.taxable),
                "explanation_en": d.explanation_en,
                "explanation_sv": d.explanation_sv,
            }
            for d in result.days
        ],
    }


def _mileage_json(result: MileageResult, legs: Sequence[LegIn]) -> dict[str, Any]:
    return {
        "paid": _s(result.paid),
        "tax_free": _s(result.tax_free),
        "taxable": _s(result.taxable),
        "legs": [
            {
                "date": leg.date.isoformat(),
                "from_place": leg.from_place,
                "to_place": leg.to_place,
                "purpose": leg.purpose,
                "distance_km": _s(line.leg.distance_km),
                "vehicle": leg.vehicle,
                "mil": _s(line.mil),
                "rate_per_mil": _s(line.rate_per_mil),
                "tax_free_max_per_mil": _s(line.tax_free_max_per_mil),
                "paid": _s(line.paid),
                "tax_free": _s(line.tax_free),
                "taxable": _s(line.taxable),
                "explanation_en": line.explanation_en,
                "explanation_sv": line.explanation_sv,
            }
            for line, leg in zip(result.lines, legs, strict=True)
        ],
    }


def _pick(entry: dict[str, Any], language: Language) -> str:
    return str(entry.get(f"explanation_{language}") or entry.get("explanation_sv") or "")


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


class TravelService:
    def __init__(self, session: AsyncSession, today: date) -> None:
        self.session = session
        self.today = today

    # --- who ----------------------------------------------------------------------------------------

    async def _me(self, principal: Principal) -> Employee:
        return await own_employee(
            self.session,
            principal,
            Text(sv="Bara anställda lämnar reseräkningar.", en="Only employees file travel claims."),
        )

    async def _claim(self, principal: Principal, claim_id: UUID) -> tuple[TravelClaim, Employee]:
        claim = await self.session.get(TravelClaim, claim_id)
        if claim is None or claim.organisation_id != principal.organisation_id:
            raise not_found()
        employee = await visible_employee(self.session, principal, claim.employee_id, self.today)
        await attest.refuse_unsubmitted(self.session, principal, ItemKind.TRAVEL_CLAIM, claim.id, employee.id)
        return claim, employee

    # --- what the organisation pays -------------------------------------------------------------

    async def _policy(self, organisation_id: UUID, year: int) -> OrganisationYearPolicy | None:
        return (
            await self.session.execute(
                select(OrganisationYearPolicy).where(
                    col(OrganisationYearPolicy.organisation_id) == organisation_id,
                    col(OrganisationYearPolicy.year) == year,
                )
            )
        ).scalar_one_or_none()

    async def normalbelopp_table(self, organisation_id: UUID, years: set[int]) -> NormalbeloppTable:
        rows = (
            await self.session.execute(
                select(NormalbeloppRate).where(
                    col(NormalbeloppRate.organisation_id) == organisation_id, col(NormalbeloppRate.year).in_(years)
                )
            )
        ).scalars()
        return NormalbeloppTable(
            {(r.year, r.country_code): Normalbelopp(r.year, r.country_code, r.country_name, r.amount) for r in rows}
        )

    # --- checking and computing -----------------------------------------------------------------

    def _trip_errors(self, data: TravelClaimIn) -> list[FieldError]:
        return claim_problems(
            ClaimFacts(
                departure=local(data.departure_at),
                return_at=local(data.return_at),
                distance_from_home_km=data.distance_from_home_km,
                distance_from_workplace_km=data.distance_from_workplace_km,
                country_code=data.country_code,
                meal_days=tuple(meals.date for meals in data.meals),
                legs=tuple(ClaimLeg(leg.date, leg.distance_km) for leg in data.mileage),
                same_place_since=data.same_place_since,
            )
        )

    async def _country_errors(self, organisation_id: UUID, data: TravelClaimIn) -> list[FieldError]:
        code = data.country_code.strip().upper()
        if code == DOMESTIC:
            return []
        first, last = local(data.departure_at).date(), local(data.return_at).date()
        years = set(range(first.year, max(first, last).year + 1))
        table = await self.normalbelopp_table(organisation_id, years)
        for year in sorted(years):
            try:
                table.get(year, code)
            except DomainError as exc:
                return [FieldError("country_code", exc.code, _text(exc))]
        return []

    async def _expense_errors(
        self, employee: Employee, claim_id: UUID, expense_ids: Sequence[UUID]
    ) -> tuple[list[FieldError], list[Expense]]:
        found = (
            {
                e.id: e
                for e in (await self.session.execute(select(Expense).where(col(Expense.id).in_(expense_ids)))).scalars()
            }
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

    async def _compute(
        self, organisation_id: UUID, data: TravelClaimIn
    ) -> tuple[PerDiemResult, MileageResult, dict[str, Any]]:
        departure, return_at = local(data.departure_at), local(data.return_at)
        first, last = departure.date(), return_at.date()
        code = data.country_code.strip().upper()
        since = data.same_place_since
        if since is None and data.long_stay == "after_3_months":
            since = months_before(first, 3)
        elif since is None and data.long_stay == "after_2_years":
            since = months_before(first, 24)
        nights = (last - first).days
        trip = Trip(
            departure=departure,
            return_at=return_at,
            distance_from_home_km=data.distance_from_home_km,
            distance_from_workplace_km=data.distance_from_workplace_km,
            country_code=code,
            meals_provided={
                m.date: frozenset(
                    meal
                    for meal, given in ((Meal.BREAKFAST, m.breakfast), (Meal.LUNCH, m.lunch), (Meal.DINNER, m.dinner))
                    if given
                )
                for m in data.meals
            },
            lodging={}
            if data.lodging_paid_by_employer
            else {first + timedelta(days=i): Lodging.OWN_ARRANGEMENT for i in range(nights)},
            same_place_since=since,
        )
        policy = await self._policy(organisation_id, first.year)
        await ensure_loaded_rates(self.session)
        years = set(range(first.year, last.year + 1))
        table = await self.normalbelopp_table(organisation_id, years) if code != DOMESTIC else None
        try:
            per_diem = compute_per_diem(
                trip,
                policy=PerDiemPolicy(full_day=policy.per_diem_full_day if policy else None),
                normalbelopp=table,
            )
        except DomainError as exc:
            raise invalid([FieldError(exc.field or "departure_at", exc.code, _text(exc))], _text(exc)) from exc
        lines = []
        for year in sorted({leg.date.year for leg in data.mileage}):
            legs = [leg for leg in data.mileage if leg.date.year == year]
            year_policy = await self._policy(organisation_id, year)
            rate = year_policy.mileage_rate_per_mil if year_policy else None
            mileage_policy = MileagePolicy({VehicleKind.OWN_CAR: rate} if rate is not None else {})
            try:
                result = compute_mileage(
                    [
                        Leg(leg.date, as_decimal(leg.distance_km), VehicleKind(leg.vehicle), leg.purpose or "")
                        for leg in legs
                    ],
                    mileage_policy,
                )
            except DomainError as exc:
                raise invalid([FieldError("mileage", exc.code, _text(exc))], _text(exc)) from exc
            lines += list(zip(result.lines, legs, strict=True))
        order = {id(leg): i for i, leg in enumerate(data.mileage)}
        lines.sort(key=lambda pair: order[id(pair[1])])
        mileage = MileageResult(
            lines=tuple(line for line, _ in lines),
            paid=sum((line.paid for line, _ in lines), ZERO),
            tax_free=sum((line.tax_free for line, _ in lines), ZERO),
            taxable=sum((line.taxable for line, _ in lines), ZERO),
        )
        computation = {
            "per_diem": _per_diem_json(per_diem),
            "mileage": _mileage_json(mileage, [leg for _, leg in lines]),
        }
        return per_diem, mileage, computation

    # --- views ----------------------------------------------------------------------------------

    async def _expenses(self, claim_id: UUID) -> list[Expense]:
        return list(
            (
                await self.session.execute(
                    select(Expense)
                    .where(col(Expense.travel_claim_id) == claim_id)
                    .order_by(col(Expense.expense_date), col(Expense.created_at))
                )
            ).scalars()
        )

    async def view(self, claim: TravelClaim, employee: Employee, language: Language) -> TravelClaimView:
        item = await attest.item_for(self.session, ItemKind.TRAVEL_CLAIM, claim.id)
        expenses = await self._expenses(claim.id)
        private = sum((e.amount_sek or ZERO for e in expenses if e.payment == "private"), ZERO)
        per_diem = per_diem_view(claim.computation.get("per_diem", {}), language)
        mileage = mileage_view(claim.computation.get("mileage", {}), language)
        return TravelClaimView(
            id=claim.id,
            employee=PersonRef(id=employee.id, name=employee.full_name),
            state=_state(item),
            editable=editable(AttestState(item.state) if item else None),
            purpose=claim.purpose,
            destination=claim.destination,
            country_code=claim.country_code,
            departure_at=claim.departure_at.astimezone(STOCKHOLM),
            return_at=claim.return_at.astimezone(STOCKHOLM),
            distance_from_home_km=claim.distance_from_home_km,
            distance_from_workplace_km=claim.distance_from_workplace_km,
            lodging_paid_by_employer=claim.lodging_paid_by_employer,
            meals=[
                MealsView(
                    date=date.fromisoformat(m["date"]),
                    breakfast="breakfast" in m["meals"],
                    lunch="lunch" in m["meals"],
                    dinner="dinner" in m["meals"],
                )
                for m in claim.meals
            ],
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
            history=await history(self.session, claim.organisation_id, ItemKind.TRAVEL_CLAIM.value, claim.id),
        )

    async def claim_view(self, principal: Principal, claim_id: UUID, language: Language) -> TravelClaimView:
        claim, employee = await self._claim(principal, claim_id)
        return await self.view(claim, employee, language)

    async def list_claims(self, principal: Principal, employee_id: UUID | None) -> list[TravelClaimSummary]:
        if employee_id is None or employee_id == principal.employee_id:
            employee = await self._me(principal)
        else:
            employee = await visible_employee(self.session, principal, employee_id, self.today)
        claims = list(
            (
                await self.session.execute(
                    select(TravelClaim)
                    .where(col(TravelClaim.employee_id) == employee.id)
                    .order_by(col(TravelClaim.departure_at).desc())
                    .limit(500)
                )
            ).scalars()
        )
        items = await attest.states_of(self.session, ItemKind.TRAVEL_CLAIM, {c.id for c in claims})
        if not may_see_drafts_of(principal, employee.id):
            claims = [c for c in claims if c.id in items]
        sums: dict[UUID, Decimal] = {}
        if claims:
            rows = await self.session.execute(
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
                state=_state(items.get(c.id)),
                total=c.per_diem_paid + c.mileage_paid + sums.get(c.id, ZERO),
                submitted_at=items[c.id].submitted_at if c.id in items else None,
            )
            for c in claims
        ]

    # --- saving ---------------------------------------------------------------------------------

    def _apply(
        self,
        claim: TravelClaim,
        data: TravelClaimIn,
        per_diem: PerDiemResult,
        mileage: MileageResult,
        computation: dict[str, Any],
    ) -> None:
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
                    name
                    for name, given in (("breakfast", m.breakfast), ("lunch", m.lunch), ("dinner", m.dinner))
                    if given
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
        self, principal: Principal, claim_id: UUID, data: TravelClaimIn, language: Language
    ) -> tuple[TravelClaimView, bool]:
        """Create or replace a travel claim under the client's id; every problem is reported at once."""
        employee = await self._me(principal)
        claim = await self.session.get(TravelClaim, claim_id)
        if claim is not None:
            if claim.employee_id != employee.id:
                raise not_found()
            await attest.ensure_editable(self.session, ItemKind.TRAVEL_CLAIM, claim.id)
        errors = self._trip_errors(data)
        if not any(e.field in ("return_at", "country_code") for e in errors):
            errors += await self._country_errors(employee.organisation_id, data)
        expense_errors, expenses = await self._expense_errors(employee, claim_id, data.expense_ids)
        errors += expense_errors
        if errors:
            raise invalid(
                errors,
                Text(
                    sv="Reseräkningen kan inte sparas. Rätta allt nedan och försök igen.",
                    en="The travel claim cannot be saved. Correct everything below and try again.",
                ),
            )
        per_diem, mileage, computation = await self._compute(employee.organisation_id, data)
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
            self.session.add(claim)
        self._apply(claim, data, per_diem, mileage, computation)
        await self.session.flush()
        await self.session.execute(delete(MileageLeg).where(col(MileageLeg.claim_id) == claim.id))
        for position, leg in enumerate(data.mileage):
            self.session.add(
                MileageLeg(
                    organisation_id=employee.organisation_id,
                    claim_id=claim.id,
                    position=position,
                    day=leg.date,
                    from_place=leg.from_place.strip(),
                    to_place=leg.to_place.strip(),
                    purpose=(leg.purpose or "").strip() or None,
                    distance_km=leg.distance_km,
                    vehicle=leg.vehicle,
                )
            )
        members = {e.id for e in expenses}
        for expense in await self._expenses(claim.id):
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
                self.session,
                organisation_id=employee.organisation_id,
                actor=principal,
                entity_type=ItemKind.TRAVEL_CLAIM.value,
                entity_id=claim.id,
                action="created" if created else "updated",
                before=old,
                after=new,
            )
        await self.session.commit()
        return await self.view(claim, employee, language), created

    async def delete_claim(self, principal: Principal, claim_id: UUID) -> None:
        employee = await self._me(principal)
        claim = await self.session.get(TravelClaim, claim_id)
        if claim is None or claim.employee_id != employee.id:
            raise not_found()
        if not deletable(attest.state(await attest.item_for(self.session, ItemKind.TRAVEL_CLAIM, claim.id))):
            raise conflict(
                "travel.already_submitted",
                Text(
                    sv="En inskickad reseräkning kan inte tas bort.", en="A submitted travel claim cannot be deleted."
                ),
            )
        for expense in await self._expenses(claim.id):
            expense.travel_claim_id = None
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type=ItemKind.TRAVEL_CLAIM.value,
            entity_id=claim.id,
            action="deleted",
            before=audit.snapshot(claim, CLAIM_FIELDS),
        )
        await self.session.delete(claim)
        await self.session.commit()

    def _input(self, claim: TravelClaim, legs: Sequence[MileageLeg], expenses: Sequence[Expense]) -> TravelClaimIn:
        """The stored claim as input again, to check and compute it anew at submission."""
        from backend.travel.schemas import MealsIn

        return TravelClaimIn(
            departure_at=local(claim.departure_at),
            return_at=local(claim.return_at),
            purpose=claim.purpose,
            destination=claim.destination,
            country_code=claim.country_code,
            distance_from_home_km=claim.distance_from_home_km,
            distance_from_workplace_km=claim.distance_from_workplace_km,
            lodging_paid_by_employer=claim.lodging_paid_by_employer,
            meals=[
                MealsIn(
                    date=date.fromisoformat(m["date"]),
                    breakfast="breakfast" in m["meals"],
                    lunch="lunch" in m["meals"],
                    dinner="dinner" in m["meals"],
                )
                for m in claim.meals
            ],
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
        self, principal: Principal, claim_id: UUID, now: datetime, language: Language
    ) -> TravelClaimView:
        """Check everything up front (trip, country, legs, every expense) and send the claim for attest."""
        employee = await self._me(principal)
        claim = await self.session.get(TravelClaim, claim_id)
        if claim is None or claim.employee_id != employee.id:
            raise not_found()
        await attest.ensure_editable(self.session, ItemKind.TRAVEL_CLAIM, claim.id)
        legs = list(
            (await self.session.execute(select(MileageLeg).where(col(MileageLeg.claim_id) == claim.id))).scalars()
        )
        expenses = await self._expenses(claim.id)
        data = self._input(claim, legs, expenses)
        errors = self._trip_errors(data) + await self._country_errors(employee.organisation_id, data)
        if not claim.purpose:
            errors.append(
                FieldError(
                    "purpose",
                    "travel.purpose_required",
                    Text(sv="Ange resans syfte.", en="Give the purpose of the trip."),
                )
            )
        if not claim.destination:
            errors.append(
                FieldError(
                    "destination", "travel.destination_required", Text(sv="Ange resmålet.", en="Give the destination.")
                )
            )
        expense_service = ExpenseService(self.session, today=self.today)
        for i, expense in enumerate(expenses):
            errors += [
                v.within(f"expenses.{i}.")
                for v in expense_rules.submission_problems(expense_service._facts(expense), self.today)
            ]
        per_diem, mileage, computation = (
            (None, None, None) if errors else await self._compute(employee.organisation_id, data)
        )
        if per_diem is not None and mileage is not None and per_diem.paid == 0 and mileage.paid == 0 and not expenses:
            errors.append(
                FieldError(
                    "per_diem",
                    "travel.nothing_to_claim",
                    Text(
                        sv=f"Inget att ersätta: {per_diem.explanation_sv} Lägg till milersättning eller utlägg.",
                        en=f"Nothing to pay: {per_diem.explanation_en} Add mileage or expenses.",
                    ),
                )
            )
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
        self._apply(claim, data, per_diem, mileage, computation)
        warnings = []
        if not claim.lodging_paid_by_employer and any(e.category == "hotel" for e in expenses):
            warnings.append(
                attest.item_warning(
                    "travel.hotel_and_night_allowance",
                    Text(
                        sv="Hotellkvitto bifogat men logi anges som inte betald av arbetsgivaren (nattraktamente).",
                        en="A hotel receipt is attached but lodging is marked as not paid by the employer "
                        "(night allowance).",
                    ),
                )
            )
        private = sum((e.amount_sek or ZERO for e in expenses if e.payment == "private"), ZERO)
        await attest.submit(
            self.session,
            principal,
            kind=ItemKind.TRAVEL_CLAIM,
            subject_id=claim.id,
            employee=employee,
            title=trip_title(local(claim.departure_at).date(), claim.destination, claim.purpose),
            now=now,
            amount=claim.per_diem_paid + claim.mileage_paid + private,
            warnings=warnings,
        )
        await self.session.commit()
        return await self.view(claim, employee, language)


class NormalbeloppService:
    """The organisation's normalbelopp table: loaded by payroll or an administrator from Skatteverket's figures."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, principal: Principal, year: int | None) -> list[NormalbeloppView]:
        statement = select(NormalbeloppRate).where(col(NormalbeloppRate.organisation_id) == principal.organisation_id)
        if year is not None:
            statement = statement.where(col(NormalbeloppRate.year) == year)
        rows = (
            await self.session.execute(
                statement.order_by(col(NormalbeloppRate.year), col(NormalbeloppRate.country_code))
            )
        ).scalars()
        return [
            NormalbeloppView(year=r.year, country_code=r.country_code, country_name=r.country_name, amount=r.amount)
            for r in rows
        ]

    async def load(self, principal: Principal, content: bytes) -> NormalbeloppLoaded:
        """Replace each year in the CSV with the file's rows (other years stay as they are)."""
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid(
                [
                    FieldError(
                        "file",
                        "travel.normalbelopp_not_utf8",
                        Text(sv="Filen måste vara UTF-8.", en="The file must be UTF-8."),
                    )
                ]
            ) from None
        table = parse_normalbelopp_csv(text)
        entries = table.entries
        years = sorted({e.year for e in entries})
        if years:
            await self.session.execute(
                delete(NormalbeloppRate).where(
                    col(NormalbeloppRate.organisation_id) == principal.organisation_id,
                    col(NormalbeloppRate.year).in_(years),
                )
            )
        for entry in entries:
            self.session.add(
                NormalbeloppRate(
                    organisation_id=principal.organisation_id,
                    year=entry.year,
                    country_code=entry.country_code,
                    country_name=entry.country_name,
                    amount=entry.amount,
                )
            )
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="normalbelopp",
            entity_id=principal.organisation_id,
            action="loaded",
            after={"years": years, "countries": len(entries)},
        )
        await self.session.commit()
        return NormalbeloppLoaded(years=years, loaded=len(entries))
