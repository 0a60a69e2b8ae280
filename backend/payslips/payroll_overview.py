"""Payroll's overview of a period: computed now for a coming pay, as it was paid for a paid one (pages: ``overview``)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select as sa_select
from sqlmodel import col

from backend.core.authorization import Role
from backend.core.i18n import Text
from backend.core.problems import forbidden, not_found
from backend.db.models import Employee, Organisation, Payslip
from backend.db.models.people import full_name
from backend.domain.calendar import PayPeriod
from backend.domain.rates import rates_in_use
from backend.payslips import snapshot, sources
from backend.payslips.access import PayslipContext
from backend.payslips.compute import Entry, name_order, ore
from backend.payslips.overview import KEPT_OVERVIEWS, Computed, Direction, Sort
from backend.payslips.pool import price
from backend.payslips.schemas import Overview


def _payroll_warnings(year: int) -> list[tuple[str, str, str]]:
    """What payroll must load before this pay date's year can be computed with its own figures (said once)."""
    message = rates_in_use(year).payroll_warning
    return [] if message is None else [("rates_year_not_loaded", message.sv, message.en)]


class PayrollOverview(PayslipContext):
    """Every employee's gross and net for a period, what is pending, and warnings, a page at a time."""

    async def overview(
        self,
        period: PayPeriod | None,
        *,
        sort: Sort = "warnings",
        direction: Direction = "descending",
        offset: int = 0,
        limit: int = 100,
        snapshot_id: str | None = None,
    ) -> Overview:
        """Every employee's preliminary gross and net for the period, what is pending, and warnings: totals and
        one page of rows. ``snapshot_id`` (from an earlier page) reuses those figures while this process has them."""
        if not self.principal.has(Role.PAYROLL):
            raise forbidden()
        organisation = await self._organisation()
        coming = await self.next_period(organisation)
        chosen = period or coming
        found = KEPT_OVERVIEWS.get(snapshot_id, organisation.id, str(chosen))
        if found is None:
            if chosen < coming:
                found = await self._paid_overview(organisation, chosen)
            else:
                found = await self._preliminary_overview(organisation, chosen)
            KEPT_OVERVIEWS.keep(found)
        return found.page(self.language, sort, direction, offset, limit)

    async def _preliminary_overview(self, organisation: Organisation, period: PayPeriod) -> Computed:
        """The period's payroll computed now, off the event loop for a large organisation (``pool.price``)."""
        entries: list[Entry] = []
        async for done in price(self.session, self.pool, organisation, period, None, self.today, whole_payslips=False):
            entries += done.entries
        engine_period = sources.payslip_period(organisation, period)
        return Computed(
            organisation_id=organisation.id,
            period=str(period),
            pay_date=engine_period.pay_date,
            cut_off=engine_period.cut_off,
            finalised=False,
            entries=entries,
            warnings=_payroll_warnings(engine_period.pay_date.year),
        )

    async def _paid_overview(self, organisation: Organisation, period: PayPeriod) -> Computed:
        """A paid period as it was paid: every run's stored payslips, summed per employee (regular and extra).

        Reads the figures and only the warnings of each stored snapshot (not the whole payslip): 100 000
        snapshots decoded on the event loop would hold up every other request for seconds."""
        found = (
            await self.session.execute(
                sa_select(
                    col(Payslip.employee_id),
                    col(Payslip.pay_date),
                    col(Payslip.gross_pay),
                    col(Payslip.tax),
                    col(Payslip.net_pay),
                    col(Payslip.employer_contributions),
                    col(Payslip.snapshot)["warnings"],
                    col(Employee.first_name),
                    col(Employee.last_name),
                    col(Employee.employee_number),
                )
                .join(Employee, col(Employee.id) == col(Payslip.employee_id))
                .where(col(Payslip.organisation_id) == organisation.id, col(Payslip.period) == str(period))
                .order_by(col(Payslip.pay_date), col(Payslip.created_at))
            )
        ).all()
        if not found:
            raise not_found(Text(sv="Ingen lönekörning för den perioden.", en="No pay run for that period."))
        by_employee: dict[UUID, Entry] = {}
        for employee_id, _, gross, tax, net, contributions, stored, first, last, number in found:
            kept = {"warnings": stored or []}
            sv, en = snapshot.warnings(kept, "sv"), snapshot.warnings(kept, "en")
            name = full_name(first, last)
            row = by_employee.get(employee_id) or Entry(
                employee_id, name, number, 0, 0, 0, 0, 0, 0, (), name_order(name, employee_id)
            )
            by_employee[employee_id] = row._replace(
                gross=row.gross + ore(gross),
                tax=row.tax + ore(tax),
                net=row.net + ore(net),
                contributions=row.contributions + ore(contributions),
                warnings=row.warnings + tuple((w.code, w.message, e.message) for w, e in zip(sv, en, strict=True)),
            )
        return Computed(
            organisation_id=organisation.id,
            period=str(period),
            pay_date=found[0][1],
            cut_off=sources.payslip_period(organisation, period).cut_off,
            finalised=True,
            entries=list(by_employee.values()),
        )
