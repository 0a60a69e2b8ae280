"""Effective-dated employment terms: added from a date, corrected on the same date, listed.

Terms dated into months a payslip already paid are not refused: the change is recorded with
the retro the next payslip will carry (``retro.py``), and the audit trail says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core import audit
from backend.core.auth import Principal
from backend.core.i18n import Language, Text
from backend.core.problems import FieldError, invalid
from backend.db.models import Employee, Employment, Organisation
from backend.db.types import utcnow
from backend.employees.retro import retro_notice
from backend.employees.schemas import EmploymentInput, EmploymentView, RetroNotice
from backend.employees.validation import employment_errors

EMPLOYMENT_FIELDS = ["valid_from", "pay_type", "monthly_salary", "hourly_wage", "weekly_hours", "employment_rate"]


def employment_view(row: Employment) -> EmploymentView:
    return EmploymentView(
        id=row.id,
        valid_from=row.valid_from,
        pay_type=row.pay_type,  # type: ignore[arg-type]
        monthly_salary=row.monthly_salary,
        hourly_wage=row.hourly_wage,
        weekly_hours=row.weekly_hours,
        employment_rate=row.employment_rate,
    )


def _audit(
    session: AsyncSession,
    principal: Principal,
    row: Employment,
    action: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """One entry in the audit trail about these terms."""
    audit.record(
        session,
        organisation_id=principal.organisation_id,
        actor=principal,
        entity_type="employment",
        entity_id=row.id,
        action=action,
        before=before,
        after=after,
    )


def set_terms(row: Employment, data: EmploymentInput) -> None:
    """The terms as given; only the pay type's own amount is kept (a monthly salary or an hourly wage)."""
    row.pay_type = data.pay_type
    row.monthly_salary = data.monthly_salary if data.pay_type == "monthly" else None
    row.hourly_wage = data.hourly_wage if data.pay_type == "hourly" else None
    row.weekly_hours = data.weekly_hours
    row.employment_rate = data.employment_rate


def add_terms(
    session: AsyncSession, principal: Principal, employee: Employee, data: EmploymentInput, valid_from: date
) -> Employment:
    row = Employment(organisation_id=principal.organisation_id, employee_id=employee.id, valid_from=valid_from)
    set_terms(row, data)
    session.add(row)
    _audit(
        session, principal, row, "created", after=audit.snapshot(row, EMPLOYMENT_FIELDS) | {"employee_id": employee.id}
    )
    return row


def correct_terms(session: AsyncSession, principal: Principal, row: Employment, data: EmploymentInput) -> Employment:
    """The terms from the same date, replaced: retro nets the corrected terms against what was paid."""
    before = audit.snapshot(row, EMPLOYMENT_FIELDS)
    set_terms(row, data)
    row.created_at = utcnow()  # these terms, as they now read, were recorded now (the audit trail keeps the first)
    old, new = audit.changed(before, audit.snapshot(row, EMPLOYMENT_FIELDS))
    _audit(
        session, principal, row, "corrected", old, new | {"employee_id": row.employee_id, "valid_from": row.valid_from}
    )
    return row


async def terms_of(session: AsyncSession, employee_id: UUID) -> list[EmploymentView]:
    """The employee's terms, oldest first."""
    rows = (
        await session.execute(
            select(Employment).where(col(Employment.employee_id) == employee_id).order_by(col(Employment.valid_from))
        )
    ).scalars()
    return [employment_view(row) for row in rows]


async def change_terms(
    session: AsyncSession,
    principal: Principal,
    employee: Employee,
    data: EmploymentInput,
    today: date,
    language: Language,
) -> tuple[Employment, RetroNotice | None]:
    """New terms from ``data.valid_from``, or (``data.correction``) the terms of that date corrected.

    Returns the row and, when the date reaches a month already paid, the retro notice. Not committed.
    """
    errors = employment_errors(data)
    if data.valid_from is None:
        errors.append(
            FieldError("valid_from", "required", Text(sv="Ange från vilket datum", en="Enter the date it applies from"))
        )
    elif data.valid_from < employee.start_date:
        errors.append(
            FieldError(
                "valid_from",
                "before_start",
                Text(sv="Före anställningens start", en="Before the employment started"),
            )
        )
    if errors:
        raise invalid(errors)
    assert data.valid_from is not None
    clash = (
        await session.execute(
            select(Employment).where(
                col(Employment.employee_id) == employee.id, col(Employment.valid_from) == data.valid_from
            )
        )
    ).scalar_one_or_none()
    if clash is not None and not data.correction:
        raise invalid(
            [
                FieldError(
                    "valid_from",
                    "duplicate",
                    Text(sv="Det finns redan villkor från det datumet", en="Terms from that date already exist"),
                )
            ]
        )
    if clash is not None:
        row = correct_terms(session, principal, clash, data)
    else:
        row = add_terms(session, principal, employee, data, data.valid_from)
    organisation = await session.get(Organisation, principal.organisation_id)
    assert organisation is not None
    found = await retro_notice(session, organisation, employee, data.valid_from, today, language)
    if found is None:
        return row, None
    _audit(
        session,
        principal,
        row,
        "back_dated",
        after=found[1] | {"employee_id": employee.id, "valid_from": data.valid_from},
    )
    return row, found[0]
