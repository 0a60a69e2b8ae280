"""One employee's payslip (finalised, or preliminary computed now) and their payslip history."""

from __future__ import annotations

from uuid import UUID

from sqlmodel import col, select

from backend.core.i18n import Text
from backend.core.problems import not_found
from backend.db.models import Employee, PayRun, Payslip
from backend.domain.calendar import PayPeriod
from backend.payslips import snapshot
from backend.payslips.access import PayslipContext
from backend.payslips.compute import compute
from backend.payslips.schemas import PayslipSummary, PayslipView
from backend.payslips.vacation import balances as vacation_balances


class PayslipViews(PayslipContext):
    """A payslip as the employee (or payroll) reads it."""

    async def payslip(
        self, employee: Employee, period: PayPeriod | None, pay_run_id: UUID | None = None
    ) -> PayslipView:
        """A finalised payslip when the period is paid, else the preliminary one computed now.

        ``employee``: the payee, already checked (``payee``). A period can have several payslips (its
        regular run and extra runs): ``pay_run_id`` picks one run's; without it the period's regular
        payslip is shown (an extra run's when that is all).
        """
        if pay_run_id is not None:
            from_run = (
                await self.session.execute(
                    select(Payslip).where(
                        col(Payslip.employee_id) == employee.id, col(Payslip.pay_run_id) == pay_run_id
                    )
                )
            ).scalar_one_or_none()
            if from_run is None or (period is not None and from_run.period != str(period)):
                raise not_found(
                    Text(sv="Ingen lönespecifikation från den lönekörningen.", en="No payslip from that pay run.")
                )
            return snapshot.view(from_run.snapshot, self.language, preliminary=False, pay_run_id=from_run.pay_run_id)
        organisation = await self._organisation()
        coming = await self.next_period(organisation)
        chosen = period or coming
        stored = (
            (
                await self.session.execute(
                    select(Payslip)
                    .join(PayRun, col(PayRun.id) == col(Payslip.pay_run_id))
                    .where(col(Payslip.employee_id) == employee.id, col(Payslip.period) == str(chosen))
                    .order_by(col(PayRun.sequence))
                )
            )
            .scalars()
            .first()
        )
        if stored is not None:
            return snapshot.view(stored.snapshot, self.language, preliminary=False, pay_run_id=stored.pay_run_id)
        if chosen < coming:
            raise not_found(Text(sv="Ingen lönespecifikation för den perioden.", en="No payslip for that period."))
        computed = await compute(self.session, organisation, chosen, [employee], self.today)
        if employee.id not in computed:
            raise not_found(Text(sv="Ingen anställning under perioden.", en="No employment during the period."))
        priced = computed[employee.id]
        vacation = await vacation_balances(self.session, [employee.id], chosen.year, chosen.last_day())
        head = snapshot.header(organisation, priced.number, vacation[employee.id])
        return snapshot.view(
            snapshot.to_snapshot(priced.slip, employee_name=priced.name, header=head),
            self.language,
            preliminary=True,
            pay_run_id=None,
        )

    async def history(self, employee: Employee) -> list[PayslipSummary]:
        """The payee's (already checked, ``payee``) coming preliminary payslip, then the finalised ones."""
        organisation = await self._organisation()
        rows = (
            await self.session.execute(
                select(Payslip)
                .where(col(Payslip.employee_id) == employee.id)
                .order_by(col(Payslip.pay_date).desc(), col(Payslip.created_at).desc())
            )
        ).scalars()
        coming = await self.next_period(organisation)
        preliminary = await self.payslip(employee, coming)
        return [
            PayslipSummary(
                period=preliminary.period,
                pay_date=preliminary.pay_date,
                preliminary=True,
                extra_run=False,
                pay_run_id=None,
                gross_pay=preliminary.gross_pay,
                net_pay=preliminary.net_pay,
            ),
            *[
                PayslipSummary(
                    period=p.period,
                    pay_date=p.pay_date,
                    preliminary=False,
                    extra_run=bool(p.snapshot.get("extra_run")),
                    pay_run_id=p.pay_run_id,
                    gross_pay=p.gross_pay,
                    net_pay=p.net_pay,
                )
                for p in rows
            ],
        ]
