"""Employees and effective-dated employment terms, scoped by the authorisation policy."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, true
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, or_, select

from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import (
    SALARY_BY_SOMEONE_ELSE,
    can_view_identity,
    can_view_pay,
    employee_scope,
    refuse_own_change,
)
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, forbidden, invalid, not_found
from backend.db.models import Employee, Employment
from backend.db.models.people import full_name
from backend.domain import personnummer
from backend.domain.errors import DomainError
from backend.employees import employments
from backend.employees.schemas import (
    EmployeeCreate,
    EmployeeSummary,
    EmployeeUpdate,
    EmployeeView,
    EmploymentInput,
    EmploymentView,
)
from backend.employees.validation import date_errors, employment_errors, tax_errors
from backend.organisation.cost_centres import unknown_cost_centre

EMPLOYEE_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "manager_id",
    "cost_centre_id",
    "tax_table",
    "tax_column",
    "end_date",
]
FIELD_PIN = "personal_identity_number"


class EmployeeService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _scope(self, principal: Principal) -> ColumnElement[bool]:
        return employee_scope(principal, col(Employee.id), col(Employee.manager_id), col(Employee.organisation_id))

    async def list_visible(
        self, principal: Principal, query: str | None = None, limit: int = 200, offset: int = 0
    ) -> list[EmployeeSummary]:
        # Columns, not entities: a page of 200 rows costs about 40 % less without building ORM objects.
        statement = sa_select(
            col(Employee.id),
            col(Employee.employee_number),
            col(Employee.first_name),
            col(Employee.last_name),
            col(Employee.email),
            col(Employee.manager_id),
            col(Employee.cost_centre_id),
            col(Employee.start_date),
            col(Employee.end_date),
        ).where(self._scope(principal))
        if query:
            needle = f"%{query.strip().lower()}%"
            statement = statement.where(
                or_(
                    col(Employee.first_name).ilike(needle),
                    col(Employee.last_name).ilike(needle),
                    col(Employee.email).ilike(needle),
                    col(Employee.employee_number).ilike(needle),
                )
            )
        rows = await self.session.execute(
            statement.order_by(col(Employee.last_name), col(Employee.first_name)).limit(limit).offset(offset)
        )
        return [
            EmployeeSummary(
                id=id_,
                employee_number=number,
                name=full_name(first, last),
                email=email,
                manager_id=manager_id,
                cost_centre_id=cost_centre_id,
                start_date=start,
                end_date=end,
            )
            for id_, number, first, last, email, manager_id, cost_centre_id, start, end in rows.tuples()
        ]

    async def _visible(self, principal: Principal, employee_id: UUID) -> Employee:
        employee = (
            await self.session.execute(select(Employee).where(col(Employee.id) == employee_id, self._scope(principal)))
        ).scalar_one_or_none()
        if not isinstance(employee, Employee):
            raise not_found()
        return employee

    async def current_employment(self, employee_id: UUID, on: date) -> Employment | None:
        return (
            await self.session.execute(
                select(Employment)
                .where(col(Employment.employee_id) == employee_id, col(Employment.valid_from) <= on)
                .order_by(col(Employment.valid_from).desc())
                .limit(1)
            )
        ).scalar_one_or_none()

    async def get(self, principal: Principal, employee_id: UUID, today: date) -> EmployeeView:
        employee = await self._visible(principal, employee_id)
        manager = aliased(Employee)
        manager_name = None
        if employee.manager_id:
            row = (
                await self.session.execute(
                    select(manager.first_name, manager.last_name).where(col(manager.id) == employee.manager_id)
                )
            ).first()
            manager_name = full_name(row[0], row[1]) if row else None
        employment = None
        if can_view_pay(principal, employee.id):
            current = await self.current_employment(employee.id, today)
            employment = employments.employment_view(current) if current else None
        return EmployeeView(
            id=employee.id,
            employee_number=employee.employee_number,
            first_name=employee.first_name,
            last_name=employee.last_name,
            name=employee.full_name,
            email=employee.email,
            birth_date=employee.birth_date,
            personal_identity_number=employee.personal_identity_number
            if can_view_identity(principal, employee.id)
            else None,
            manager_id=employee.manager_id,
            manager_name=manager_name,
            cost_centre_id=employee.cost_centre_id,
            start_date=employee.start_date,
            end_date=employee.end_date,
            tax_table=employee.tax_table,
            tax_column=employee.tax_column,
            employment=employment,
        )

    async def _reference_errors(
        self, principal: Principal, manager_id: UUID | None, cost_centre_id: UUID | None, employee_id: UUID | None
    ) -> list[FieldError]:
        errors: list[FieldError] = []
        if manager_id is not None:
            manager = await self.session.get(Employee, manager_id)
            if manager is None or manager.organisation_id != principal.organisation_id:
                errors.append(FieldError("manager_id", "unknown_employee", Text(sv="Okänd chef", en="Unknown manager")))
            elif employee_id is not None and await self._would_cycle(employee_id, manager_id):
                errors.append(
                    FieldError(
                        "manager_id",
                        "manager_cycle",
                        Text(
                            sv="Någon kan inte vara chef över sin egen chef",
                            en="Someone cannot manage their own manager",
                        ),
                    )
                )
        if (centre := await unknown_cost_centre(self.session, principal.organisation_id, cost_centre_id)) is not None:
            errors.append(centre)
        return errors

    async def _identity(
        self, principal: Principal, text: str | None, birth_date: date, employee_id: UUID | None
    ) -> tuple[str | None, list[FieldError]]:
        """The normalised personnummer, or why it is refused (format, Luhn, birth date, taken)."""
        if text is None:
            return None, []
        try:
            number = personnummer.check(text, birth_date)
        except DomainError as exc:
            return None, [FieldError(exc.field or FIELD_PIN, exc.code, exc.message)]
        taken = await self.session.execute(
            select(Employee.id).where(
                col(Employee.organisation_id) == principal.organisation_id,
                col(Employee.personal_identity_number) == number,
                col(Employee.id) != employee_id if employee_id is not None else true(),
            )
        )
        if taken.first() is not None:
            message = Text(sv="Personnumret finns redan hos en annan anställd", en="Another employee has this number")
            return None, [FieldError(FIELD_PIN, "personnummer.taken", message)]
        return number, []

    async def _would_cycle(self, employee_id: UUID, manager_id: UUID) -> bool:
        seen: set[UUID] = set()
        current: UUID | None = manager_id
        while current is not None and current not in seen:
            if current == employee_id:
                return True
            seen.add(current)
            current = (
                await self.session.execute(select(Employee.manager_id).where(col(Employee.id) == current))
            ).scalar_one_or_none()
        return False

    async def create(self, principal: Principal, data: EmployeeCreate, today: date) -> EmployeeView:
        errors = (
            date_errors(data.birth_date, data.start_date, data.end_date, today)
            + tax_errors(data.tax_table, data.tax_column, today.year)
            + employment_errors(data.employment, "employment.")
            + await self._reference_errors(principal, data.manager_id, data.cost_centre_id, None)
        )
        number, identity_errors = await self._identity(principal, data.personal_identity_number, data.birth_date, None)
        errors += identity_errors
        if data.employment.valid_from is not None and data.employment.valid_from < data.start_date:
            errors.append(
                FieldError(
                    "employment.valid_from",
                    "before_start",
                    Text(
                        sv="Villkoren kan inte gälla före anställningen", en="Terms cannot start before the employment"
                    ),
                )
            )
        if errors:
            raise invalid(errors)
        employee = Employee(
            organisation_id=principal.organisation_id,
            employee_number=data.employee_number,
            first_name=data.first_name,
            last_name=data.last_name,
            email=data.email.strip().lower(),
            birth_date=data.birth_date,
            personal_identity_number=number,
            manager_id=data.manager_id,
            cost_centre_id=data.cost_centre_id,
            tax_table=data.tax_table,
            tax_column=data.tax_column,
            start_date=data.start_date,
            end_date=data.end_date,
        )
        self.session.add(employee)
        await self.session.flush()
        employments.add_terms(
            self.session, principal, employee, data.employment, data.employment.valid_from or data.start_date
        )
        audit.record(
            self.session,
            organisation_id=principal.organisation_id,
            actor=principal,
            entity_type="employee",
            entity_id=employee.id,
            action="created",
            after=audit.snapshot(
                employee, ["employee_number", *EMPLOYEE_FIELDS, "birth_date", "personal_identity_number", "start_date"]
            ),
        )
        await self.session.commit()
        return await self.get(principal, employee.id, today)

    async def update(self, principal: Principal, employee_id: UUID, data: EmployeeUpdate, today: date) -> EmployeeView:
        employee = await self._visible(principal, employee_id)
        errors = (
            date_errors(None, employee.start_date, data.end_date, today)
            + tax_errors(data.tax_table, data.tax_column, today.year)
            + await self._reference_errors(principal, data.manager_id, data.cost_centre_id, employee.id)
        )
        if data.manager_id is not None and data.manager_id == employee.id:
            errors.append(
                FieldError(
                    "manager_id",
                    "manager_cycle",
                    Text(sv="Ingen kan vara sin egen chef", en="Nobody can be their own manager"),
                )
            )
        number, identity_errors = await self._identity(
            principal, data.personal_identity_number, employee.birth_date, employee.id
        )
        errors += identity_errors
        if errors:
            raise invalid(errors)
        before = audit.snapshot(employee, [*EMPLOYEE_FIELDS, FIELD_PIN])
        for name in EMPLOYEE_FIELDS:
            value = getattr(data, name)
            if value is not None:
                setattr(employee, name, value.strip().lower() if name == "email" else value)
        if data.clear_manager:
            employee.manager_id = None
        if number is not None:
            employee.personal_identity_number = number
        elif data.clear_personal_identity_number:
            employee.personal_identity_number = None
        old, new = audit.changed(before, audit.snapshot(employee, [*EMPLOYEE_FIELDS, FIELD_PIN]))
        if new:
            audit.record(
                self.session,
                organisation_id=principal.organisation_id,
                actor=principal,
                entity_type="employee",
                entity_id=employee.id,
                action="updated",
                before=old,
                after=new,
            )
        await self.session.commit()
        return await self.get(principal, employee.id, today)

    async def employments(self, principal: Principal, employee_id: UUID) -> list[EmploymentView]:
        employee = await self._visible(principal, employee_id)
        if not can_view_pay(principal, employee.id):
            raise forbidden(
                Text(
                    sv="Lön visas bara för den anställde och löneadministratören.",
                    en="Pay is shown only to the employee and payroll.",
                )
            )
        return await employments.terms_of(self.session, employee.id)

    async def add_employment(
        self, principal: Principal, employee_id: UUID, data: EmploymentInput, today: date, language: Language
    ) -> list[EmploymentView]:
        """New terms from a date; dated into months already paid, the answer and the audit trail say what
        retro the next payslip will carry."""
        employee = await self._visible(principal, employee_id)
        refuse_own_change(
            principal, own=employee.id == principal.employee_id, field="employee_id", who=SALARY_BY_SOMEONE_ELSE
        )
        row, retro = await employments.change_terms(self.session, principal, employee, data, today, language)
        await self.session.commit()
        await self.session.refresh(row)  # amounts as stored (öre), not as typed
        views = await self.employments(principal, employee.id)
        if retro is not None:
            views = [msgspec.structs.replace(v, retro=retro) if v.id == row.id else v for v in views]
        return views
