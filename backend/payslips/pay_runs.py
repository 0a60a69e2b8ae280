"""Paying a period (finalising a pay run: payslips stored, items locked, notices) and the runs made so far."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from backend.core import audit
from backend.core.authorization import Role
from backend.core.i18n import Text
from backend.core.problems import conflict, forbidden
from backend.db.models import AttestItem, AuditEvent, PayRun, Payslip, TimeLock
from backend.domain.attest import AttestState
from backend.domain.calendar import PayPeriod, worked_month
from backend.notices import events as notices
from backend.notices.texts import kronor
from backend.payslips import snapshot
from backend.payslips.run_plan import PayRunPlanning
from backend.payslips.schemas import PayRunView
from backend.payslips.vacation import balances as vacation_balances


def run_view(run: PayRun, locked_items: int) -> PayRunView:
    return PayRunView(
        id=run.id,
        period=run.period,
        sequence=run.sequence,
        pay_date=run.pay_date,
        finalised_at=run.finalised_at,
        employees=run.employees,
        gross_pay=run.gross_pay,
        net_pay=run.net_pay,
        tax=run.tax,
        employer_contributions=run.employer_contributions,
        locked_items=locked_items,
    )


class PayRuns(PayRunPlanning):
    """Finalising a pay run, and the list of runs made."""

    async def finalise(
        self,
        period: PayPeriod,
        *,
        extra: bool,
        now: datetime,
        employee_ids: Sequence[UUID] | None = None,
        expected: str | None = None,
        commit: bool = True,
    ) -> PayRunView:
        """Pay the period: store every payslip as it is now and lock the items it paid.

        ``employee_ids`` limits the run to some employees (an extra run for a few people;
        benchmarks building one employee's history). ``expected`` is the fingerprint of the
        preview payroll confirmed: if the run would pay anything else now, nothing is paid.
        ``commit=False``: the caller commits (the pay-run job records its outcome in the same transaction).
        """
        plan = await self._plan(period, extra=extra, employee_ids=employee_ids)
        if expected is not None and expected != plan.fingerprint():
            raise conflict(
                "preview_changed",
                Text(
                    sv="Lönekörningen har ändrats sedan förhandsgranskningen. Granska den igen innan du avslutar.",
                    en="The pay run has changed since the preview. Review it again before finalising.",
                ),
            )
        if extra and not plan.computed:
            raise conflict(
                "nothing_to_pay",
                Text(
                    sv="Inget att betala ut: inget har attesterats sedan den ordinarie lönekörningen.",
                    en="Nothing to pay: nothing has been approved since the regular pay run.",
                ),
            )
        organisation = await self._organisation()
        computed, engine_period, sequence = plan.computed, plan.engine_period, plan.sequence
        run = PayRun(
            organisation_id=organisation.id,
            period=str(period),
            sequence=sequence,
            pay_date=engine_period.pay_date,
            finalised_at=now,
            finalised_by_account_id=self.principal.account_id,
            employees=len(computed),
            gross_pay=sum((p.slip.gross_pay for p in computed.values()), Decimal(0)),
            net_pay=sum((p.slip.net_pay for p in computed.values()), Decimal(0)),
            tax=sum((p.slip.tax for p in computed.values()), Decimal(0)),
            employer_contributions=sum((p.slip.employer_contributions.total for p in computed.values()), Decimal(0)),
        )
        self.session.add(run)
        await self.session.flush()
        payslips: list[dict[str, Any]] = []
        vacation = await vacation_balances(self.session, list(computed), period.year, period.last_day())
        for employee_id, priced in computed.items():
            slip = priced.slip
            payslips.append(
                {
                    "id": uuid4(),
                    "created_at": now,
                    "updated_at": now,
                    "organisation_id": organisation.id,
                    "pay_run_id": run.id,
                    "employee_id": employee_id,
                    "period": str(period),
                    "pay_date": engine_period.pay_date,
                    "gross_pay": slip.gross_pay,
                    "taxable_pay": slip.taxable_pay,
                    "tax": slip.tax,
                    "tax_free": slip.tax_free,
                    "net_pay": slip.net_pay,
                    "employer_contributions": slip.employer_contributions.total,
                    "wellness_paid": slip.wellness_counted,
                    "salary_paid": snapshot.salary_paid(slip),
                    "sick_spells": snapshot.sick_spells(slip),
                    "snapshot": snapshot.to_snapshot(
                        slip,
                        employee_name=priced.name,
                        extra_run=extra,
                        header=snapshot.header(organisation, priced.number, vacation[employee_id]),
                    ),
                }
            )
        for start in range(0, len(payslips), 1000):
            await self.session.execute(insert(Payslip), payslips[start : start + 1000])
        locked = await self._lock(plan.to_lock, run, now)
        if not extra:
            # The month whose time this run paid is closed for reporting ("spärrade dagar").
            worked = worked_month(period, in_arrears=organisation.variable_pay_in_arrears)
            self.session.add(
                TimeLock(
                    organisation_id=organisation.id,
                    first_day=worked.first_day(),
                    last_day=worked.last_day(),
                    reason=f"Lönekörning {period}",
                    reason_en=f"Pay run {period}",
                    created_by_account_id=self.principal.account_id,
                )
            )
        audit.record(
            self.session,
            organisation_id=organisation.id,
            actor=self.principal,
            entity_type="pay_run",
            entity_id=run.id,
            action="finalised",
            after={"period": str(period), "sequence": sequence, "employees": len(computed), "locked_items": locked},
        )
        # In the run's transaction (the outbox): the notices exist exactly when the run does.
        await notices.notify_payslips_ready(
            self.session,
            organisation.id,
            list(computed),
            period,
            run_id=run.id,
            paid_on=run.pay_date,
            extra=extra,
            paid={
                employee_id: [
                    Text(
                        sv=f"{line.text_sv} {kronor(line.amount, 'sv')}",
                        en=f"{line.text_en} {kronor(line.amount, 'en')}",
                    )
                    for line in priced.slip.lines
                    if line.source_ids and line.amount
                ]
                for employee_id, priced in computed.items()
            }
            if extra
            else None,
            now=now,
        )
        if commit:
            await self.session.commit()
        return run_view(run, locked)

    async def _lock(self, item_ids: set[UUID], run: PayRun, now: datetime) -> int:
        """Approved items the run paid become locked: they can never change again.

        A time week that straddles the end of a paid month is locked by the run that paid its first
        days and moves to the run that pays the rest (``weeks.straddling_weeks``), so each of its
        days is paid exactly once.
        """
        settled = [AttestState.APPROVED.value, AttestState.LOCKED.value]
        ids = list(item_ids)
        locked = 0
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            items = (
                await self.session.execute(
                    sa_select(  # sqlmodel's select types four columns at most
                        col(AttestItem.id),
                        col(AttestItem.kind),
                        col(AttestItem.subject_id),
                        col(AttestItem.version),
                        col(AttestItem.state),
                    ).where(col(AttestItem.id).in_(chunk), col(AttestItem.state).in_(settled))
                )
            ).all()
            await self.session.execute(
                update(AttestItem)
                .where(col(AttestItem.id).in_([i[0] for i in items]), col(AttestItem.state).in_(settled))
                .values(
                    state=AttestState.LOCKED.value,
                    pay_run_id=run.id,
                    pay_period=run.period,  # the pay that actually paid it (an extra run pays sooner than announced)
                    version=AttestItem.version + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if items:
                await self.session.execute(
                    insert(AuditEvent),
                    [
                        {
                            "id": uuid4(),
                            "created_at": now,
                            "updated_at": now,
                            "occurred_at": now,
                            "organisation_id": run.organisation_id,
                            "actor_account_id": self.principal.account_id,
                            "entity_type": kind,
                            "entity_id": subject,
                            "action": "locked",
                            "before": {"state": state, "version": version},
                            "after": {"state": "locked", "pay_run": str(run.id), "period": run.period},
                        }
                        for _, kind, subject, version, state in items
                    ],
                )
            locked += len(items)
        return locked

    async def runs(self) -> list[PayRunView]:
        if not self.principal.has(Role.PAYROLL):
            raise forbidden()
        rows = list(
            (
                await self.session.execute(
                    select(PayRun)
                    .where(col(PayRun.organisation_id) == self.principal.organisation_id)
                    .order_by(col(PayRun.period).desc(), col(PayRun.sequence).desc())
                )
            ).scalars()
        )
        locked = (
            dict(
                (
                    await self.session.execute(
                        select(col(AttestItem.pay_run_id), func.count())
                        .where(col(AttestItem.pay_run_id).in_([r.id for r in rows]))
                        .group_by(col(AttestItem.pay_run_id))
                    )
                )
                .tuples()
                .all()
            )
            if rows
            else {}
        )
        return [run_view(r, int(locked.get(r.id, 0))) for r in rows]
