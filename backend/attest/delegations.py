"""Delegation: a substitute attests for a manager during a period (vacation, parental leave)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, or_, select

from backend.attest.schemas import Candidate, DelegationIn, DelegationView, PersonRef
from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import Role
from backend.core.i18n import Text
from backend.core.problems import FieldError, forbidden, invalid, not_found
from backend.db.models import Delegation, Employee

MAX_DAYS = 366


class DelegationService:
    def __init__(self, session: AsyncSession, principal: Principal, today: date) -> None:
        self.session = session
        self.principal = principal
        self.today = today

    def _view(self, delegation: Delegation, manager: Employee, substitute: Employee) -> DelegationView:
        return DelegationView(
            id=delegation.id,
            manager=PersonRef(id=manager.id, name=manager.full_name),
            substitute=PersonRef(id=substitute.id, name=substitute.full_name),
            valid_from=delegation.valid_from,
            valid_to=delegation.valid_to,
            active=delegation.ended_at is None and delegation.valid_from <= self.today <= delegation.valid_to,
            ended_at=delegation.ended_at,
        )

    async def create(self, data: DelegationIn) -> DelegationView:
        manager_id = data.manager_employee_id or self.principal.employee_id
        if manager_id is None:
            raise forbidden()
        if manager_id != self.principal.employee_id and not self.principal.has(Role.PAYROLL):
            raise forbidden(
                Text(
                    sv="Bara chefen själv eller löneadministratören kan delegera.",
                    en="Only the manager or payroll can delegate.",
                )
            )
        if manager_id == self.principal.employee_id and not self.principal.has(Role.MANAGER, Role.PAYROLL):
            raise forbidden(Text(sv="Bara chefer kan delegera attest.", en="Only managers can delegate attest."))
        people = {
            e.id: e
            for e in (
                await self.session.execute(
                    select(Employee).where(
                        col(Employee.id).in_([manager_id, data.substitute_employee_id]),
                        col(Employee.organisation_id) == self.principal.organisation_id,
                    )
                )
            ).scalars()
        }
        errors: list[FieldError] = []
        if manager_id not in people:
            errors.append(
                FieldError("manager_employee_id", "unknown_employee", Text(sv="Okänd chef", en="Unknown manager"))
            )
        if data.substitute_employee_id not in people:
            errors.append(
                FieldError(
                    "substitute_employee_id", "unknown_employee", Text(sv="Okänd ersättare", en="Unknown substitute")
                )
            )
        if data.substitute_employee_id == manager_id:
            errors.append(
                FieldError(
                    "substitute_employee_id",
                    "self",
                    Text(sv="Ersättaren kan inte vara chefen själv", en="The substitute cannot be the manager"),
                )
            )
        if data.valid_to < data.valid_from:
            errors.append(
                FieldError("valid_to", "before_start", Text(sv="Slutdatum före startdatum", en="End before start"))
            )
        elif (data.valid_to - data.valid_from).days > MAX_DAYS:
            errors.append(FieldError("valid_to", "too_long", Text(sv="Högst ett år", en="At most one year")))
        if data.valid_to < self.today:
            errors.append(
                FieldError(
                    "valid_to", "in_past", Text(sv="Perioden har redan passerat", en="The period is already over")
                )
            )
        if errors:
            raise invalid(errors)
        delegation = Delegation(
            organisation_id=self.principal.organisation_id,
            manager_employee_id=manager_id,
            substitute_employee_id=data.substitute_employee_id,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            created_by_account_id=self.principal.account_id,
        )
        self.session.add(delegation)
        audit.record(
            self.session,
            organisation_id=self.principal.organisation_id,
            actor=self.principal,
            entity_type="delegation",
            entity_id=delegation.id,
            action="created",
            after={
                "manager": manager_id,
                "substitute": data.substitute_employee_id,
                "valid_from": data.valid_from,
                "valid_to": data.valid_to,
            },
        )
        await self.session.commit()
        return self._view(delegation, people[manager_id], people[data.substitute_employee_id])

    async def candidates(self) -> list[Candidate]:
        """Who can be a substitute: anyone employed in the organisation today (the manager's team or not)."""
        rows = await self.session.execute(
            select(Employee)
            .where(
                col(Employee.organisation_id) == self.principal.organisation_id,
                col(Employee.start_date) <= self.today,
                (col(Employee.end_date).is_(None)) | (col(Employee.end_date) >= self.today),
                col(Employee.id) != self.principal.employee_id,
            )
            .order_by(col(Employee.last_name), col(Employee.first_name))
        )
        return [Candidate(id=e.id, name=e.full_name) for e in rows.scalars()]

    async def list(self) -> list[DelegationView]:
        manager = aliased(Employee)
        substitute = aliased(Employee)
        statement = (
            select(Delegation, manager, substitute)
            .join(manager, col(manager.id) == col(Delegation.manager_employee_id))
            .join(substitute, col(substitute.id) == col(Delegation.substitute_employee_id))
            .where(col(Delegation.organisation_id) == self.principal.organisation_id)
        )
        if not self.principal.has(Role.PAYROLL):
            me = self.principal.employee_id
            statement = statement.where(
                or_(col(Delegation.manager_employee_id) == me, col(Delegation.substitute_employee_id) == me)
            )
        rows = (await self.session.execute(statement.order_by(col(Delegation.valid_from).desc()))).tuples()
        return [self._view(d, m, s) for d, m, s in rows]

    async def end(self, delegation_id: UUID, now: datetime) -> None:
        delegation = await self.session.get(Delegation, delegation_id)
        if delegation is None or delegation.organisation_id != self.principal.organisation_id:
            raise not_found()
        may = self.principal.has(Role.PAYROLL) or delegation.manager_employee_id == self.principal.employee_id
        if not may:
            raise not_found()
        if delegation.ended_at is None:
            delegation.ended_at = now
            audit.record(
                self.session,
                organisation_id=self.principal.organisation_id,
                actor=self.principal,
                entity_type="delegation",
                entity_id=delegation.id,
                action="ended",
            )
            await self.session.commit()
