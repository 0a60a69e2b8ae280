"""Everything the payslip engine needs, read for many employees at once.

One query per kind of fact whatever the number of employees, so the preliminary payroll
of a whole organisation costs a handful of round trips, not thousands. The engine
(``backend.domain.payslip``) decides what of it reaches the payslip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col, select

from backend.db.models import (
    AttestItem,
    Employee,
    Employment,
    Expense,
    ExpenseClaim,
    Organisation,
    PayRun,
    Payslip,
)
from backend.db.models.time import TimeEntry
from backend.db.models.travel import TravelClaim
from backend.domain.attest import AttestState, ItemKind
from backend.domain.calendar import PayPeriod, cutoff_date, pay_date
from backend.domain.payslip import inputs as engine
from backend.domain.rates import agreement_profile
from backend.domain.time.ob import ClockSpan, unsocial_hours

HISTORY_MONTHS = 13
CHUNK = 5000


def _chunks(ids: Sequence[UUID]) -> Iterable[Sequence[UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@dataclass
class Facts:
    """Raw facts about one employee, gathered before they become engine inputs."""

    employee: Employee
    terms: list[Employment] = field(default_factory=list)
    expenses: list[engine.ApprovedExpense] = field(default_factory=list)
    travel: list[engine.ApprovedTravelClaim] = field(default_factory=list)
    time: list[engine.TimeRow] = field(default_factory=list)
    pending: list[engine.PendingItem] = field(default_factory=list)
    payslips: list[Payslip] = field(default_factory=list)
    included_items: dict[str, UUID] = field(default_factory=dict)
    """Subject id (as on payslip lines) -> attest item id, to lock what a pay run pays."""


def payslip_period(
    organisation: Organisation, period: PayPeriod, *, extra_run_on: date | None = None
) -> engine.PayslipPeriod:
    if extra_run_on is not None:
        return engine.PayslipPeriod(period.year, period.month, extra_run_on, extra_run_on)
    return engine.PayslipPeriod(
        period.year,
        period.month,
        pay_date(period, organisation.pay_day),
        cutoff_date(period, organisation.cutoff_day),
    )


def _paid_window(period: PayPeriod) -> tuple[date, date]:
    """Who gets a payslip for the period: started by its last day, and not left before the second
    date (pay for the last weeks of work comes a month or two after the employment ends)."""
    return period.last_day(), period.first_day() - timedelta(days=62)


def employed_during(employee: Employee, period: PayPeriod) -> bool:
    started_by, left_after = _paid_window(period)
    return employee.start_date <= started_by and (employee.end_date is None or employee.end_date >= left_after)


async def employees(
    session: AsyncSession, organisation: Organisation, employee_ids: Sequence[UUID] | None, period: PayPeriod
) -> list[Employee]:
    """The organisation's employees paid in the period (``employee_ids`` None: all of them).

    Filtered in the database, so those who left years ago are never read; ``gather`` applies
    the same window to employees loaded some other way.
    """
    started_by, left_after = _paid_window(period)
    statement = select(Employee).where(
        col(Employee.organisation_id) == organisation.id,
        col(Employee.start_date) <= started_by,
        col(Employee.end_date).is_(None) | (col(Employee.end_date) >= left_after),
    )
    if employee_ids is not None:
        statement = statement.where(col(Employee.id).in_(employee_ids))
    return list((await session.execute(statement)).scalars())


async def gather(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, employees: Sequence[Employee]
) -> dict[UUID, Facts]:
    """Facts for those of ``employees`` employed during the period."""
    facts = {e.id: Facts(e) for e in employees if employed_during(e, period)}
    ids = list(facts)
    for chunk in _chunks(ids):
        for row in (await session.execute(select(Employment).where(col(Employment.employee_id).in_(chunk)))).scalars():
            facts[row.employee_id].terms.append(row)
    await _attested(session, organisation, facts)
    await _history(session, organisation, period, facts)
    return facts


async def _attested(session: AsyncSession, organisation: Organisation, facts: dict[UUID, Facts]) -> None:
    """Approved items not yet paid (not locked into a pay run), and pending ones."""
    items: list[AttestItem] = []
    for chunk in _chunks(list(facts)):
        items += (
            (
                await session.execute(
                    select(AttestItem).where(
                        col(AttestItem.organisation_id) == organisation.id,
                        col(AttestItem.employee_id).in_(chunk),
                        col(AttestItem.state).in_(
                            [AttestState.APPROVED.value, AttestState.SUBMITTED.value, AttestState.RETURNED.value]
                        ),
                    )
                )
            )
            .scalars()
            .all()
        )
    approved = {i.subject_id: i for i in items if i.state == AttestState.APPROVED}
    for item in items:
        if item.state != AttestState.APPROVED:
            facts[item.employee_id].pending.append(
                engine.PendingItem(
                    item_id=str(item.subject_id),
                    kind=engine.ItemKind(item.kind),
                    state=engine.PendingState(item.state),
                    title=item.title,
                    submitted_on=item.submitted_at.date(),
                    amount=item.amount,
                    hours=item.hours,
                )
            )
        else:
            facts[item.employee_id].included_items[str(item.subject_id)] = item.id

    by_kind: dict[str, list[AttestItem]] = defaultdict(list)
    for item in approved.values():
        by_kind[item.kind].append(item)
    decided = {subject: (item.decided_at or item.submitted_at).date() for subject, item in approved.items()}

    claims = [i.subject_id for i in by_kind[ItemKind.EXPENSE_CLAIM]]
    for chunk in _chunks(claims):
        for expense in (await session.execute(select(Expense).where(col(Expense.claim_id).in_(chunk)))).scalars():
            assert expense.claim_id is not None
            facts[expense.employee_id].expenses.append(
                engine.ApprovedExpense(
                    expense_id=str(expense.id),
                    claim_id=str(expense.claim_id),
                    amount=expense.amount_sek or Decimal(0),
                    approved_on=decided[expense.claim_id],
                    description=expense.merchant or "",
                    payment=engine.ExpensePayment(expense.payment),
                    kind=engine.ExpenseKind.WELLNESS if expense.category == "wellness" else engine.ExpenseKind.ORDINARY,
                )
            )

    trips = [i.subject_id for i in by_kind[ItemKind.TRAVEL_CLAIM]]
    for chunk in _chunks(trips):
        rows = (await session.execute(select(TravelClaim).where(col(TravelClaim.id).in_(chunk)))).scalars().all()
        receipts: dict[UUID, Decimal] = defaultdict(Decimal)
        for expense in (
            await session.execute(select(Expense).where(col(Expense.travel_claim_id).in_([t.id for t in rows])))
        ).scalars():
            if expense.payment == "private" and expense.travel_claim_id is not None:
                receipts[expense.travel_claim_id] += expense.amount_sek or Decimal(0)
        for trip in rows:
            facts[trip.employee_id].travel.append(
                engine.ApprovedTravelClaim(
                    claim_id=str(trip.id),
                    approved_on=decided[trip.id],
                    description=trip.destination or trip.purpose or "",
                    per_diem_tax_free=trip.per_diem_tax_free,
                    per_diem_taxable=trip.per_diem_taxable,
                    mileage_tax_free=trip.mileage_tax_free,
                    mileage_taxable=trip.mileage_taxable,
                    expenses=receipts[trip.id],
                )
            )

    weeks = [i.subject_id for i in by_kind[ItemKind.TIME_WEEK]]
    profile = agreement_profile(organisation.agreement_profile)
    for chunk in _chunks(weeks):
        for entry in (await session.execute(select(TimeEntry).where(col(TimeEntry.week_id).in_(chunk)))).scalars():
            approved_on = decided[entry.week_id]
            rows = facts[entry.employee_id].time
            rows.append(
                engine.TimeRow(entry.day, engine.TimeCode(entry.code), entry.hours, str(entry.week_id), approved_on)
            )
            if entry.start_time and entry.end_time and entry.code in ("work", "mertid"):
                span = ClockSpan(entry.start_time, entry.end_time)
                for ob_item, hours in unsocial_hours(entry.day, span, entry.hours, profile).items():
                    if hours > 0:
                        rows.append(
                            engine.TimeRow(
                                entry.day, engine.TimeCode(ob_item.value), hours, str(entry.week_id), approved_on
                            )
                        )
    # Leave is paid through the reported week; an approved leave request by itself adds no line.


async def _history(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, facts: dict[UUID, Facts]
) -> None:
    """The last months' payslips, without their snapshots: the engine needs only the figures beside them."""
    since = period
    for _ in range(HISTORY_MONTHS):
        since = since.previous()
    for chunk in _chunks(list(facts)):
        rows = (
            await session.execute(
                select(Payslip)
                .options(defer(Payslip.snapshot))  # type: ignore[arg-type]
                .where(
                    col(Payslip.organisation_id) == organisation.id,
                    col(Payslip.employee_id).in_(chunk),
                    col(Payslip.period) >= str(since),
                )
                .order_by(col(Payslip.pay_date), col(Payslip.created_at))
            )
        ).scalars()
        for payslip in rows:
            facts[payslip.employee_id].payslips.append(payslip)


def _terms(rows: list[Employment]) -> tuple[engine.EmploymentTerms, ...]:
    return tuple(
        engine.EmploymentTerms(
            valid_from=row.valid_from,
            pay_type=engine.PayType(row.pay_type),
            weekly_hours=row.weekly_hours,
            recorded_on=row.created_at.date(),
            monthly_salary=row.monthly_salary,
            hourly_wage=row.hourly_wage,
            employment_rate_percent=row.employment_rate,
        )
        for row in sorted(rows, key=lambda r: (r.valid_from, r.created_at))
    )


def _money(value: Any) -> Decimal:
    return Decimal(str(value))


def paid_salaries(payslips: Sequence[Payslip]) -> tuple[engine.PaidSalary, ...]:
    """What finalised payslips paid per work month, summed over all of them (retro lines included)."""
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    hours: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))  # line by line
    wages: dict[str, Decimal] = {}
    paid_on: dict[str, date] = {}
    for payslip in payslips:
        for row in payslip.salary_paid:
            label = row["month"]
            sums = months[label]
            for key, value in row.items():
                if key in ("salary", "hours", "hourly_amount", "items_amount"):
                    sums[key] += _money(value)
                elif key.startswith("item:") or key == "hour_lines":
                    hours[label][key] += [_money(part) for part in value.split(";") if part]
            if "hour_lines" not in row and row.get("hours"):  # stored before lines were kept
                hours[label]["hour_lines"].append(_money(row["hours"]))
            if "hourly_amount" not in row and row.get("hourly_wage"):  # stored before hourly_amount was
                sums["hourly_amount"] += _money(row.get("hours", 0)) * _money(row["hourly_wage"])
            if row.get("hourly_wage"):
                wages[label] = _money(row["hourly_wage"])
            day = date.fromisoformat(row["paid_on"]) if row.get("paid_on") else payslip.created_at.date()
            paid_on[label] = max(day, paid_on.get(label, day))
    return tuple(
        engine.PaidSalary(
            int(label[:4]),
            int(label[5:]),
            salary=sums["salary"],
            hours=sums["hours"],
            hourly_wage=wages.get(label),
            hourly_amount=sums["hourly_amount"] if label in wages else None,
            hour_lines=tuple(hours[label]["hour_lines"]),
            pay_items=tuple(
                engine.PaidHours(engine.TimeCode(key[5:]), line)
                for key, lines in sorted(hours[label].items())
                if key.startswith("item:")
                for line in lines
                if line
            ),
            pay_items_amount=sums["items_amount"],
            paid_on=paid_on[label],
        )
        for label, sums in sorted(months.items())
    )


def engine_inputs(
    facts: Facts,
    organisation: Organisation,
    period: engine.PayslipPeriod,
    as_of: date,
    *,
    extra_run: bool = False,
) -> engine.PayslipInputs:
    e = facts.employee
    year = period.pay_date.year
    this_year = [p for p in facts.payslips if p.pay_date.year == year]
    same_month = [p for p in facts.payslips if p.period == period.label]
    ytd = engine.YearToDate(
        year=year,
        gross_pay=sum((p.gross_pay for p in this_year), Decimal(0)),
        taxable_pay=sum((p.taxable_pay for p in this_year), Decimal(0)),
        tax=sum((p.tax for p in this_year), Decimal(0)),
        net_pay=sum((p.net_pay for p in this_year), Decimal(0)),
        employer_contributions=sum((p.employer_contributions for p in this_year), Decimal(0)),
        tax_free=sum((p.tax_free for p in this_year), Decimal(0)),
    )
    paid = paid_salaries(facts.payslips)
    spells = [
        engine.EarlierSickSpell(
            date.fromisoformat(s["first_day"]),
            date.fromisoformat(s["last_day"]),
            bool(s["karens"]),
            int(s["first_day_number"]),
        )
        for p in facts.payslips
        for s in p.sick_spells
    ]
    return engine.PayslipInputs(
        employee=engine.Employee(
            employee_id=str(e.id),
            birth_date=e.birth_date,
            employment_start=e.start_date,
            employment_end=e.end_date,
            terms=_terms(facts.terms),
            tax_table=e.tax_table,
            tax_column=e.tax_column,
        ),
        period=period,
        as_of=as_of,
        settings=engine.OrganisationSettings(
            agreement_profile=organisation.agreement_profile,
            variable_pay_in_arrears=organisation.variable_pay_in_arrears,
        ),
        time=tuple(facts.time),
        expenses=tuple(facts.expenses),
        travel_claims=tuple(facts.travel),
        paid_salaries=paid,
        earlier_sick_spells=tuple(spells),
        wellness_paid_earlier_this_year=sum((p.wellness_paid for p in this_year), Decimal(0)),
        year_to_date=ytd,
        previous_gross_pay=facts.payslips[-1].gross_pay if facts.payslips else None,
        earlier_pay_this_month=sum((p.gross_pay for p in same_month), Decimal(0)),
        earlier_taxable_this_month=sum((p.taxable_pay for p in same_month), Decimal(0)) if extra_run else Decimal(0),
        earlier_tax_this_month=sum((p.tax for p in same_month), Decimal(0)) if extra_run else Decimal(0),
        pending=tuple(facts.pending),
        extra_run=extra_run,
    )


async def draft_claims(session: AsyncSession, employee_ids: Sequence[UUID]) -> dict[UUID, list[engine.PendingItem]]:
    """Expense claims not submitted yet: the employee sees them as pending too."""
    found: dict[UUID, list[engine.PendingItem]] = defaultdict(list)
    for chunk in _chunks(list(employee_ids)):
        claims = (
            await session.execute(
                select(ExpenseClaim)
                .outerjoin(
                    AttestItem,
                    (col(AttestItem.subject_id) == col(ExpenseClaim.id))
                    & (col(AttestItem.kind) == ItemKind.EXPENSE_CLAIM.value),
                )
                .where(col(ExpenseClaim.employee_id).in_(chunk), col(AttestItem.id).is_(None))
            )
        ).scalars()
        for claim in claims:
            found[claim.employee_id].append(
                engine.PendingItem(str(claim.id), engine.ItemKind.EXPENSE_CLAIM, engine.PendingState.DRAFT, claim.title)
            )
    return found


async def latest_run(session: AsyncSession, organisation_id: UUID) -> PayRun | None:
    return (
        await session.execute(
            select(PayRun)
            .where(col(PayRun.organisation_id) == organisation_id, col(PayRun.sequence) == 0)
            .order_by(col(PayRun.period).desc())
            .limit(1)
        )
    ).scalar_one_or_none()
