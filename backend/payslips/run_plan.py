"""What a pay run would pay now: the one computation behind its preview and its finalising."""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlmodel import col, select

from backend.core.authorization import Role
from backend.core.i18n import Text
from backend.core.problems import Problem, conflict, forbidden
from backend.db.models import AttestItem, Organisation, PayRun, TimeWeek
from backend.domain.attest import AttestState, ItemKind
from backend.domain.calendar import PayPeriod, worked_month
from backend.payslips import sources
from backend.payslips.access import PayslipContext
from backend.payslips.compute import Priced
from backend.payslips.pool import price
from backend.payslips.schemas import PayRunPreview, PayRunPreviewRow, PreviewLine


@dataclass
class RunPlan:
    """What a pay run would pay now: the one computation behind both its preview and its finalising."""

    period: PayPeriod
    extra: bool
    sequence: int
    engine_period: Any
    computed: dict[UUID, Priced]
    to_lock: set[UUID]

    def fingerprint(self) -> str:
        """Who gets how much, when: equal fingerprints mean the run pays what the preview showed."""
        parts = [str(self.period), str(self.extra), str(self.sequence), self.engine_period.pay_date.isoformat()]
        for employee_id in sorted(self.computed):
            slip = self.computed[employee_id].slip
            parts.append(f"{employee_id}:{slip.gross_pay}:{slip.tax}:{slip.net_pay}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


PREVIEW_ROWS = 200
"""Employees a pay run's preview lists by default (at most 1 000)."""


class PayRunPlanning(PayslipContext):
    """Whether a run may be made, what it would pay (the preview), and which items it settles."""

    async def _plan(self, period: PayPeriod, *, extra: bool, employee_ids: Sequence[UUID] | None) -> RunPlan:
        """Check the run may be made and compute what it pays (preview and finalise share this)."""
        if not self.principal.has(Role.PAYROLL):
            raise forbidden()
        organisation = await self._organisation()
        runs = (
            (
                await self.session.execute(
                    select(PayRun).where(
                        col(PayRun.organisation_id) == organisation.id, col(PayRun.period) == str(period)
                    )
                )
            )
            .scalars()
            .all()
        )
        coming = await self.next_period(organisation)
        if extra:
            if not runs:
                raise conflict(
                    "no_regular_run",
                    Text(
                        sv="En extra lönekörning görs efter månadens ordinarie.",
                        en="An extra run follows the month's regular run.",
                    ),
                )
            sequence = max(r.sequence for r in runs) + 1
        else:
            if runs:
                raise conflict(
                    "already_paid", Text(sv="Perioden är redan avslutad.", en="The period is already finalised.")
                )
            if period != coming:
                raise Problem(
                    422,
                    "not_the_next_period",
                    Text(sv="Fel period", en="Wrong period"),
                    Text(sv=f"Nästa period att avsluta är {coming}.", en=f"The next period to finalise is {coming}."),
                )
            sequence = 0
        computed: dict[UUID, Priced] = {}
        async for done in price(
            self.session,
            self.pool,
            organisation,
            period,
            employee_ids,
            self.today,
            extra_run=extra,
            whole_payslips=True,
        ):
            computed.update(done.priced)
        if extra:
            computed = {k: v for k, v in computed.items() if any(line.amount for line in v.slip.lines)}
        to_lock: set[UUID] = set()
        for priced in computed.values():
            paid_sources = {source for line in priced.slip.lines for source in line.source_ids}
            paid_sources |= priced.slip.settled_ids
            to_lock |= {item for subject, item in priced.included_items.items() if subject in paid_sources}
        if not extra:
            to_lock |= await self._paid_weeks(organisation, period, employee_ids)
        engine_period = sources.payslip_period(organisation, period, extra_run_on=self.today if extra else None)
        return RunPlan(period, extra, sequence, engine_period, computed, to_lock)

    async def preview(self, period: PayPeriod | None, *, extra: bool, limit: int = PREVIEW_ROWS) -> PayRunPreview:
        """Who the run would pay, how much and on which day, without paying: what the confirmation shows.

        Totals and the fingerprint cover everyone; the rows are the first ``limit`` by name, so the answer
        stays small for 100 000 employees (payroll's overview pages through all of them)."""
        if not self.principal.has(Role.PAYROLL):
            raise forbidden()
        chosen = period or await self.next_period(await self._organisation())
        plan = await self._plan(chosen, extra=extra, employee_ids=None)
        named = heapq.nsmallest(limit, plan.computed.items(), key=lambda pair: pair[1].name)  # stable, as sorted
        rows = [
            PayRunPreviewRow(
                employee_id=employee_id,
                employee_name=p.name,
                employee_number=p.number,
                gross_pay=p.slip.gross_pay,
                tax=p.slip.tax,
                net_pay=p.slip.net_pay,
                lines=[
                    PreviewLine(text=line.text_en if self.language == "en" else line.text_sv, amount=line.amount)
                    for line in p.slip.lines
                    if line.amount and line.group != "tax"
                ],
            )
            for employee_id, p in named
        ]
        totals = [p.slip for p in plan.computed.values()]
        return PayRunPreview(
            period=str(chosen),
            extra=extra,
            sequence=plan.sequence,
            pay_date=plan.engine_period.pay_date,
            cut_off=plan.engine_period.cut_off,
            employees=len(totals),
            gross_pay=sum((slip.gross_pay for slip in totals), Decimal("0.00")),
            tax=sum((slip.tax for slip in totals), Decimal("0.00")),
            net_pay=sum((slip.net_pay for slip in totals), Decimal("0.00")),
            employer_contributions=sum((slip.employer_contributions.total for slip in totals), Decimal("0.00")),
            locked_items=len(plan.to_lock),
            rows=rows,
            fingerprint=plan.fingerprint(),
        )

    async def _paid_weeks(
        self, organisation: Organisation, period: PayPeriod, employee_ids: Sequence[UUID] | None
    ) -> set[UUID]:
        """Approved weeks wholly in the time this run pays, even those with no pay line of their own.

        Ordinary hours of the salaried make no line, but the week is settled by the run all the
        same: locked, it no longer weighs on every later preliminary payslip.
        """
        worked = worked_month(period, in_arrears=organisation.variable_pay_in_arrears)
        statement = (
            select(AttestItem.id)
            .join(TimeWeek, col(TimeWeek.id) == col(AttestItem.subject_id))
            .where(
                col(AttestItem.organisation_id) == organisation.id,
                col(AttestItem.kind) == ItemKind.TIME_WEEK.value,
                col(AttestItem.state) == AttestState.APPROVED.value,
                col(AttestItem.pay_period) <= str(period),
                col(TimeWeek.week_start) <= worked.last_day() - timedelta(days=6),
            )
        )
        if employee_ids is not None:
            statement = statement.where(col(AttestItem.employee_id).in_(employee_ids))
        return set((await self.session.execute(statement)).scalars())
