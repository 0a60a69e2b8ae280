"""What a case is about: a payslip line, an attest item or an export row, checked against what the reporter may see.

The references are checked by the domain (``backend.domain.cases.check_subject``); here they are
looked up: a finalised payslip must be the reporter's own, an item one the reporter may see (as
employee, manager or substitute), an export row only payroll's. Anything else is "not found".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest import routing
from backend.cases.schemas import CaseIn
from backend.core.auth import Principal
from backend.core.authorization import Role
from backend.core.i18n import Text
from backend.core.problems import forbidden, not_found
from backend.db.models import AttestItem, Employee, Payslip
from backend.domain import cases as rules
from backend.domain.cases import SubjectKind


async def subject_of(
    session: AsyncSession, principal: Principal, data: CaseIn, today: date
) -> tuple[rules.Subject, dict[str, Any], Text | None]:
    """The checked references, the row's columns for them, and the title they give (None: from the text)."""
    subject = rules.check_subject(
        rules.Subject(
            SubjectKind(data.subject_kind),
            data.payslip_period,
            data.pay_run_id,
            data.line_key,
            data.line_text,
            data.item_id,
            data.export_batch_id,
            data.export_row,
            data.item_subject_id,
        )
    )
    me = principal.employee_id
    if subject.kind == SubjectKind.PAYSLIP_LINE:
        if me is None:
            raise forbidden(Text(sv="Kontot har ingen lönespecifikation.", en="The account has no payslip."))
        payslip_id = None
        if subject.pay_run_id is not None:  # a finalised payslip: it must be the reporter's own
            payslip_id = (
                await session.execute(
                    select(Payslip.id).where(
                        col(Payslip.pay_run_id) == subject.pay_run_id,
                        col(Payslip.employee_id) == me,
                        col(Payslip.period) == subject.payslip_period,
                    )
                )
            ).scalar_one_or_none()
            if payslip_id is None:
                raise not_found(Text(sv="Lönespecifikationen finns inte.", en="The payslip does not exist."))
        named = f"{subject.payslip_period} · {subject.line_text or subject.line_key}"
        title = Text(sv=named, en=named)
        columns = {"payslip_period": subject.payslip_period, "payslip_id": payslip_id, "line_key": subject.line_key}
        return subject, {**columns, "line_text": subject.line_text, "employee_id": me}, title
    if subject.kind == SubjectKind.ITEM:
        item = (
            await session.get(AttestItem, subject.item_id)
            if subject.item_id
            else (
                await session.execute(
                    select(AttestItem).where(
                        col(AttestItem.subject_id) == subject.item_subject_id,
                        col(AttestItem.organisation_id) == principal.organisation_id,
                    )
                )
            ).scalar_one_or_none()
        )
        employee = await session.get(Employee, item.employee_id) if item is not None else None
        if item is None or employee is None or not await routing.may_see_items_of(session, principal, employee, today):
            raise not_found(Text(sv="Posten finns inte.", en="The item does not exist."))
        title = Text(sv=item.title, en=item.title_en or item.title)
        return subject, {"attest_item_id": item.id, "employee_id": item.employee_id}, title
    if subject.kind == SubjectKind.EXPORT_ROW:
        if not principal.has(Role.PAYROLL):
            raise forbidden(Text(sv="Bara lön ser exportfiler.", en="Only payroll sees export files."))
        return subject, {"export_batch_id": subject.export_batch_id, "export_row": subject.export_row}, None
    return subject, {"employee_id": me}, None
