"""Leave requests: apply for vacation (or parental/unpaid leave), see the days left, submit for attest."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import services as attest
from backend.attest.history import history
from backend.attest.routing import Subject, own_employee, subject
from backend.attest.schemas import PersonRef, item_state
from backend.attest.titles import LEAVE_KINDS, leave_title
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import visible_items
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, conflict, invalid, not_found
from backend.db.models import AttestItem, Employee, LeaveRequest, VacationEntitlement
from backend.domain.attest import AttestState, ItemKind, deletable, editable
from backend.domain.time.vacation import (
    DEFAULT_VACATION_DAYS,
    balance,
    leave_range_problems,
    shown_days,
    vacation_days,
)
from backend.leave.schemas import (
    EntitlementIn,
    LeaveRequestIn,
    LeaveRequestView,
    VacationBalanceView,
    WorkingDaysView,
)

FIELDS = ["kind", "first_day", "last_day", "days", "comment"]
MAX_ENTITLEMENT = Decimal(100)
COUNTED = {
    AttestState.SUBMITTED.value: "pending",
    AttestState.APPROVED.value: "approved",
    AttestState.LOCKED.value: "approved",
}

ONLY_EMPLOYEES = Text(sv="Bara anställda ansöker om ledighet.", en="Only employees apply for leave.")


class LeaveService:
    def __init__(self, session: AsyncSession, today: date) -> None:
        self.session = session
        self.today = today

    async def _me(self, principal: Principal) -> Employee:
        return await own_employee(self.session, principal, ONLY_EMPLOYEES)

    async def _visible(self, principal: Principal, employee_id: UUID) -> Employee:
        """The employee a stored request is of: yourself, or someone you may see."""
        return (await subject(self.session, principal, employee_id, self.today)).required(ONLY_EMPLOYEES)

    # --- vacation days ------------------------------------------------------------------------------

    async def _entitlement(self, employee: Employee, year: int) -> Decimal:
        row = (
            await self.session.execute(
                select(VacationEntitlement).where(
                    col(VacationEntitlement.employee_id) == employee.id, col(VacationEntitlement.year) == year
                )
            )
        ).scalar_one_or_none()
        return row.days if row is not None else DEFAULT_VACATION_DAYS

    async def _requests(
        self, employee: Employee, first: date, last: date
    ) -> list[tuple[LeaveRequest, AttestItem | None]]:
        requests = list(
            (
                await self.session.execute(
                    select(LeaveRequest)
                    .where(
                        col(LeaveRequest.employee_id) == employee.id,
                        col(LeaveRequest.first_day) <= last,
                        col(LeaveRequest.last_day) >= first,
                    )
                    .order_by(col(LeaveRequest.first_day))
                )
            ).scalars()
        )
        items = await attest.states_of(self.session, ItemKind.LEAVE_REQUEST, {r.id for r in requests})
        return [(r, items.get(r.id)) for r in requests]

    async def balance_view(self, employee: Employee, year: int) -> VacationBalanceView:
        ranges: dict[str, list[tuple[date, date]]] = {"approved": [], "pending": []}
        for request, item in await self._requests(employee, date(year, 1, 1), date(year, 12, 31)):
            if request.kind == "vacation" and item is not None and item.state in COUNTED:
                ranges[COUNTED[item.state]].append((request.first_day, request.last_day))
        found = balance(year, await self._entitlement(employee, year), ranges["approved"], ranges["pending"])
        return VacationBalanceView(
            employee=PersonRef(id=employee.id, name=employee.full_name),
            year=year,
            entitlement=shown_days(found.entitlement),
            approved=shown_days(found.approved),
            pending=shown_days(found.pending),
            remaining=shown_days(found.remaining),
        )

    async def balance(self, subject: Subject, year: int) -> VacationBalanceView:
        return await self.balance_view(subject.required(ONLY_EMPLOYEES), year)

    async def set_entitlement(
        self, principal: Principal, employee_id: UUID, year: int, data: EntitlementIn
    ) -> VacationBalanceView:
        """Payroll sets an employee's vacation days for a year (e.g. 30 by agreement, or saved days added)."""
        employee = await self.session.get(Employee, employee_id)
        if employee is None or employee.organisation_id != principal.organisation_id:
            raise not_found()
        errors = []
        if not 2000 <= year <= 2100:
            errors.append(FieldError("year", "out_of_range", Text(sv="Ogiltigt år", en="Invalid year")))
        if not Decimal(0) <= data.days <= MAX_ENTITLEMENT or data.days % Decimal("0.5"):
            errors.append(
                FieldError(
                    "days",
                    "out_of_range",
                    Text(
                        sv=f"Ange 0-{MAX_ENTITLEMENT} dagar i hela eller halva dagar.",
                        en=f"Give 0-{MAX_ENTITLEMENT} days in whole or half days.",
                    ),
                )
            )
        if errors:
            raise invalid(errors)
        row = (
            await self.session.execute(
                select(VacationEntitlement).where(
                    col(VacationEntitlement.employee_id) == employee.id, col(VacationEntitlement.year) == year
                )
            )
        ).scalar_one_or_none()
        before = {"days": row.days if row else DEFAULT_VACATION_DAYS}
        if row is None:
            row = VacationEntitlement(
                organisation_id=employee.organisation_id, employee_id=employee.id, year=year, days=data.days
            )
            self.session.add(row)
        else:
            row.days = data.days
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type="vacation_entitlement",
            entity_id=employee.id,
            action="updated",
            before={**before, "year": year},
            after={"days": data.days, "year": year},
        )
        await self.session.commit()
        return await self.balance_view(employee, year)

    # --- requests -----------------------------------------------------------------------------------

    async def view(self, request: LeaveRequest, employee: Employee, language: Language) -> LeaveRequestView:
        item = await attest.item_for(self.session, ItemKind.LEAVE_REQUEST, request.id)
        return LeaveRequestView(
            id=request.id,
            employee=PersonRef(id=employee.id, name=employee.full_name),
            kind=request.kind,  # type: ignore[arg-type]
            kind_name=LEAVE_KINDS[request.kind](language),
            first_day=request.first_day,
            last_day=request.last_day,
            days=shown_days(request.days),
            comment=request.comment,
            state=item_state(item),
            editable=editable(AttestState(item.state) if item else None),
            balance=await self.balance_view(employee, request.first_day.year) if request.kind == "vacation" else None,
            attest=attest.attest_view(item),
            history=await history(self.session, request.organisation_id, ItemKind.LEAVE_REQUEST.value, request.id),
        )

    async def _request(self, principal: Principal, request_id: UUID) -> tuple[LeaveRequest, Employee]:
        request = await self.session.get(LeaveRequest, request_id)
        if request is None or request.organisation_id != principal.organisation_id:
            raise not_found()
        employee = await self._visible(principal, request.employee_id)
        await attest.refuse_unsubmitted(self.session, principal, ItemKind.LEAVE_REQUEST, request.id, employee.id)
        return request, employee

    async def get(self, principal: Principal, request_id: UUID, language: Language) -> LeaveRequestView:
        request, employee = await self._request(principal, request_id)
        return await self.view(request, employee, language)

    async def list_requests(self, principal: Principal, subject: Subject, language: Language) -> list[LeaveRequestView]:
        employee = subject.required(ONLY_EMPLOYEES)
        requests = list(
            (
                await self.session.execute(
                    select(LeaveRequest)
                    .where(col(LeaveRequest.employee_id) == employee.id)
                    .order_by(col(LeaveRequest.first_day).desc())
                    .limit(200)
                )
            ).scalars()
        )
        views = [await self.view(r, employee, language) for r in requests]
        return visible_items(principal, employee.id, views)

    async def working_days(self, principal: Principal, first: date, last: date) -> WorkingDaysView:
        """What a request for these days would count, before it is saved: the same rules and refusals."""
        errors = leave_range_problems(first, last, await self._me(principal))
        if errors:
            raise invalid(errors)
        return WorkingDaysView(first_day=first, last_day=last, days=shown_days(Decimal(vacation_days(first, last))))

    async def _overlap_errors(self, employee: Employee, request_id: UUID, first: date, last: date) -> list[FieldError]:
        others = [
            r
            for r, item in await self._requests(employee, first, last)
            if r.id != request_id and (item is None or item.state != AttestState.RETURNED.value)
        ]
        if not others:
            return []
        other = others[0]
        return [
            FieldError(
                "first_day",
                "leave.overlaps",
                Text(
                    sv=f"Ledigheten överlappar en annan ansökan ({other.first_day}–{other.last_day}).",
                    en=f"The leave overlaps another request ({other.first_day} to {other.last_day}).",
                ),
            )
        ]

    async def put(
        self, principal: Principal, request_id: UUID, data: LeaveRequestIn, language: Language
    ) -> tuple[LeaveRequestView, bool]:
        employee = await self._me(principal)
        request = await self.session.get(LeaveRequest, request_id)
        if request is not None:
            if request.employee_id != employee.id:
                raise not_found()
            await attest.ensure_editable(self.session, ItemKind.LEAVE_REQUEST, request.id)
        errors = leave_range_problems(data.first_day, data.last_day, employee)
        if not errors:
            errors += await self._overlap_errors(employee, request_id, data.first_day, data.last_day)
        if errors:
            raise invalid(errors)
        values = {
            "kind": data.kind,
            "first_day": data.first_day,
            "last_day": data.last_day,
            "days": Decimal(vacation_days(data.first_day, data.last_day)),
            "comment": (data.comment or "").strip() or None,
        }
        created = request is None
        if request is None:
            request = LeaveRequest(
                id=request_id,
                organisation_id=employee.organisation_id,
                employee_id=employee.id,
                **values,  # type: ignore[arg-type]
            )
            self.session.add(request)
            before: dict[str, object] | None = None
        else:
            before = audit.snapshot(request, FIELDS)
            for name, value in values.items():
                setattr(request, name, value)
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type=ItemKind.LEAVE_REQUEST.value,
            entity_id=request.id,
            action="created" if created else "updated",
            before=before,
            after=values,
        )
        await self.session.commit()
        return await self.view(request, employee, language), created

    async def delete(self, principal: Principal, request_id: UUID) -> None:
        employee = await self._me(principal)
        request = await self.session.get(LeaveRequest, request_id)
        if request is None or request.employee_id != employee.id:
            raise not_found()
        if not deletable(attest.state(await attest.item_for(self.session, ItemKind.LEAVE_REQUEST, request.id))):
            raise conflict(
                "leave.already_submitted",
                Text(sv="En inskickad ansökan kan inte tas bort.", en="A submitted request cannot be deleted."),
            )
        audit.record(
            self.session,
            organisation_id=employee.organisation_id,
            actor=principal,
            entity_type=ItemKind.LEAVE_REQUEST.value,
            entity_id=request.id,
            action="deleted",
            before=audit.snapshot(request, FIELDS),
        )
        await self.session.delete(request)
        await self.session.commit()

    async def _balance_errors(self, employee: Employee, request: LeaveRequest) -> list[FieldError]:
        errors: list[FieldError] = []
        for year in range(request.first_day.year, request.last_day.year + 1):
            wanted = vacation_days(request.first_day, request.last_day, year)
            left = (await self.balance_view(employee, year)).remaining
            if wanted > left:
                errors.append(
                    FieldError(
                        "last_day",
                        "leave.not_enough_vacation",
                        Text(
                            sv=f"Du ansöker om {wanted} semesterdagar {year} men har {left} kvar.",
                            en=f"You apply for {wanted} vacation days in {year} but have {left} left.",
                        ),
                    )
                )
        return errors

    async def submit(
        self, principal: Principal, request_id: UUID, now: datetime, language: Language
    ) -> LeaveRequestView:
        """Check everything (dates, overlaps, days left) and send the request for attest."""
        employee = await self._me(principal)
        request = await self.session.get(LeaveRequest, request_id)
        if request is None or request.employee_id != employee.id:
            raise not_found()
        await attest.ensure_editable(self.session, ItemKind.LEAVE_REQUEST, request.id)
        errors = leave_range_problems(request.first_day, request.last_day, employee)
        errors += await self._overlap_errors(employee, request.id, request.first_day, request.last_day)
        if request.kind == "vacation" and not errors:
            errors += await self._balance_errors(employee, request)
        if errors:
            raise invalid(
                errors,
                Text(
                    sv="Ansökan kan inte skickas in ännu. Rätta allt nedan.",
                    en="The request cannot be submitted yet. Correct everything below.",
                ),
            )
        name = LEAVE_KINDS[request.kind]
        await attest.submit(
            self.session,
            principal,
            kind=ItemKind.LEAVE_REQUEST,
            subject_id=request.id,
            employee=employee,
            title=leave_title(name, request.first_day, request.last_day, request.days),
            now=now,
        )
        await self.session.commit()
        return await self.view(request, employee, language)
