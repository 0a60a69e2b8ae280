"""Preliminary payslips on demand, payroll's overview, pay runs and past payslips."""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core import audit
from backend.core.auth import Principal
from backend.core.authorization import Role, can_view_pay
from backend.core.i18n import Language, Text
from backend.core.problems import Problem, conflict, forbidden, not_found
from backend.db.models import (
    AttestItem,
    AuditEvent,
    Employee,
    Organisation,
    PayRun,
    Payslip,
    TimeLock,
    TimeWeek,
)
from backend.db.models.people import full_name
from backend.domain.attest import AttestState, ItemKind
from backend.domain.calendar import PayPeriod, worked_month
from backend.domain.rates import rates_in_use
from backend.notices import events as notices
from backend.notices.texts import kronor
from backend.payslips import snapshot, sources
from backend.payslips.compute import Entry, Priced, compute, name_order, ore
from backend.payslips.overview import KEPT_OVERVIEWS, Computed, Direction, Sort
from backend.payslips.pool import PayrollPool, price
from backend.payslips.schemas import (
    Overview,
    PayRunPreview,
    PayRunPreviewRow,
    PayRunView,
    PayslipSummary,
    PayslipView,
    PreviewLine,
)
from backend.payslips.tables import import_table, official_table
from backend.payslips.vacation import balances as vacation_balances

__all__ = ["PayslipService", "import_table", "official_table"]  # the tax table commands import them from here


@dataclass
class _Plan:
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


def _payroll_warnings(year: int) -> list[tuple[str, str, str]]:
    """What payroll must load before this pay date's year can be computed with its own figures (said once)."""
    message = rates_in_use(year).payroll_warning
    return [] if message is None else [("rates_year_not_loaded", message.sv, message.en)]


PREVIEW_ROWS = 200
"""Employees a pay run's preview lists by default (at most 1 000)."""


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


class PayslipService:
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

    async def payslip(self, employee_id: UUID, period: PayPeriod | None, pay_run_id: UUID | None = None) -> PayslipView:
        """A finalised payslip when the period is paid, else the preliminary one computed now.

        A period can have several payslips (its regular run and extra runs): ``pay_run_id`` picks
        one run's; without it the period's regular payslip is shown (an extra run's when that is all).
        """
        employee = await self._employee(employee_id)
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

    async def history(self, employee_id: UUID) -> list[PayslipSummary]:
        employee = await self._employee(employee_id)
        organisation = await self._organisation()
        rows = (
            await self.session.execute(
                select(Payslip)
                .where(col(Payslip.employee_id) == employee.id)
                .order_by(col(Payslip.pay_date).desc(), col(Payslip.created_at).desc())
            )
        ).scalars()
        coming = await self.next_period(organisation)
        preliminary = await self.payslip(employee.id, coming)
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

    async def _plan(self, period: PayPeriod, *, extra: bool, employee_ids: Sequence[UUID] | None) -> _Plan:
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
            to_lock |= {item for subject, item in priced.included_items.items() if subject in paid_sources}
        if not extra:
            to_lock |= await self._paid_weeks(organisation, period, employee_ids)
        engine_period = sources.payslip_period(organisation, period, extra_run_on=self.today if extra else None)
        return _Plan(period, extra, sequence, engine_period, computed, to_lock)

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
                    "wellness_paid": snapshot.wellness_paid(priced.inputs, slip),
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

    async def _lock(self, item_ids: set[UUID], run: PayRun, now: datetime) -> int:
        """Approved items the run paid become locked: they can never change again.

        A time week that straddles the end of a paid month is locked by the run that paid its first
        days and moves to the run that pays the rest (``sources.straddling_weeks``), so each of its
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
