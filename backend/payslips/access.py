"""What every payslip use case shares: the request's session, reader and day, and who may see whose pay."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.auth import Principal
from backend.core.authorization import can_view_pay
from backend.core.i18n import Language, Text
from backend.core.problems import forbidden, not_found
from backend.db.models import Employee, Organisation
from backend.domain.calendar import PayPeriod
from backend.payslips import sources
from backend.payslips.pool import PayrollPool


class PayslipContext:
    """One request's session, reader, day and language, and the payroll workers if the API process has them.

    The use cases (payslips, the overview, pay runs) derive from it, so the facade ``PayslipService``
    composed of them is built as it always was.
    """

    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        today: date,
        language: Language,
        pool: PayrollPool | None = None,
    ) -> None:
        """``pool``: the API process's payroll workers; without it (commands, demo data) all is computed here."""
        self.session = session
        self.principal = principal
        self.today = today
        self.language = language
        self.pool = pool
        self._loaded_organisation: Organisation | None = None

    async def _organisation(self) -> Organisation:
        if self._loaded_organisation is None:  # ``_employee`` brings it along
            self._loaded_organisation = await self.session.get(Organisation, self.principal.organisation_id)
            assert self._loaded_organisation is not None
        return self._loaded_organisation

    async def next_period(self, organisation: Organisation) -> PayPeriod:
        """The pay after the last finalised regular run; before any run, this month's."""
        latest = await sources.latest_run(self.session, organisation.id)
        return PayPeriod.parse(latest.period).next() if latest else PayPeriod.of(self.today)

    async def payee(self, employee_id: UUID | None) -> Employee:
        """Whose pay a request is about: ``employee_id``, else the caller; checked as every payslip read is."""
        chosen = employee_id or self.principal.employee_id
        if chosen is None:
            raise forbidden(Text(sv="Kontot hör inte till en anställd.", en="The account is not an employee's."))
        return await self._employee(chosen)

    async def _employee(self, employee_id: UUID) -> Employee:
        """The employee, if the caller may see their pay; their organisation comes along in the same query."""
        found = (
            (
                await self.session.execute(
                    select(Employee, Organisation)
                    .join(Organisation, col(Organisation.id) == col(Employee.organisation_id))
                    .where(
                        col(Employee.id) == employee_id, col(Employee.organisation_id) == self.principal.organisation_id
                    )
                )
            )
            .tuples()
            .first()
        )
        if found is None:
            raise not_found()
        employee: Employee = found[0]
        self._loaded_organisation = found[1]
        if not can_view_pay(self.principal, employee.id):
            raise forbidden(
                Text(
                    sv="Lön visas bara för den anställde och löneadministratören.",
                    en="Pay is shown only to the employee and payroll.",
                )
            )
        return employee
