"""Scheduled reminders, computed from each organisation's cut-off (Europe/Stockholm dates).

- Managers (and their active substitutes) with items waiting: 3 days and 1 day before the
  cut-off and on the day; items of people without a manager remind payroll the same way.
- On the cut-off day (from ``ESCALATION_HOUR``) payroll hears what is still waiting.
- Employees with drafts (expenses, expense and travel claims, time weeks) that are not
  submitted, or were returned: 3 days and 1 day before the cut-off.
- Monday mornings: managers with items waiting longer than 7 days ("flowing attest").

The rounds run at ``REMINDER_HOURS`` and ``NUDGE_HOUR`` Stockholm time (the job system asks
every hour), one job per organisation.

Each reminder is a notice with a dedupe key per person and occasion, written with
insert-or-ignore: running the task twice, or in several processes at once, sends it once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from sqlalchemy import and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.core.clock import STOCKHOLM
from backend.core.i18n import Text
from backend.db.models import AttestItem, Employee, Expense, ExpenseClaim, Organisation, TimeWeek, TravelClaim
from backend.domain.attest import AttestState, ItemKind
from backend.domain.calendar import PayPeriod, next_cutoff
from backend.notices.events import _month, accounts_of, payroll_accounts, substitutes
from backend.notices.outbox import Message, PushSpec, publish
from backend.notices.texts import INBOX_URL, count_text
from backend.worker.context import WorkerContext
from notifications import Category, Urgency

REMIND_DAYS_BEFORE = (3, 1, 0)
SUBMIT_REMIND_DAYS_BEFORE = (3, 1)
ESCALATION_HOUR = 13
"""Payroll is told in the afternoon of the cut-off day, after managers had the morning."""
NUDGE_AFTER_DAYS = 7
REMINDER_HOURS = (8, 14)
NUDGE_WEEKDAY, NUDGE_HOUR = 0, 9
"""Monday 09:00."""


def is_reminder_hour(now: datetime) -> bool:
    return now.astimezone(STOCKHOLM).hour in REMINDER_HOURS


def is_nudge_hour(now: datetime) -> bool:
    local = now.astimezone(STOCKHOLM)
    return local.weekday() == NUDGE_WEEKDAY and local.hour == NUDGE_HOUR


@dataclass(frozen=True)
class Waiting:
    count: int
    oldest: datetime


def _when(days_left: int) -> Text:
    if days_left == 0:
        return Text(sv="Brytdatum i dag", en="Cut-off today")
    if days_left == 1:
        return Text(sv="Brytdatum i morgon", en="Cut-off tomorrow")
    return Text(sv=f"Brytdatum om {days_left} dagar", en=f"Cut-off in {days_left} days")


async def _waiting_by_approver(
    session: AsyncSession, organisation_id: UUID, submitted_before: datetime | None = None
) -> dict[UUID | None, Waiting]:
    """Pending items by the approving manager's employee id (``None``: payroll's)."""
    statement = (
        select(Employee.manager_id, func.count(), func.min(AttestItem.submitted_at))
        .join(Employee, col(Employee.id) == col(AttestItem.employee_id))
        .where(
            col(AttestItem.organisation_id) == organisation_id,
            col(AttestItem.state) == AttestState.SUBMITTED.value,
        )
        .group_by(col(Employee.manager_id))
    )
    if submitted_before is not None:
        statement = statement.where(col(AttestItem.submitted_at) < submitted_before)
    rows = (await session.execute(statement)).tuples().all()
    return {manager: Waiting(int(count), oldest) for manager, count, oldest in rows}


async def _approver_accounts(
    session: AsyncSession, organisation_id: UUID, waiting: dict[UUID | None, Waiting], now: datetime
) -> dict[UUID, int]:
    """Items waiting per recipient account: manager, their substitutes, payroll for the unmanaged."""
    managers = [m for m in waiting if m is not None]
    subs = await substitutes(session, organisation_id, managers, now)
    people = set(managers) | {s for group in subs.values() for s in group}
    accounts = await accounts_of(session, people)
    counts: dict[UUID, int] = defaultdict(int)
    for manager in managers:
        for person in {manager} | subs.get(manager, set()):
            if person in accounts:
                counts[accounts[person]] += waiting[manager].count
    if None in waiting:
        for account in await payroll_accounts(session, organisation_id):
            counts[account] += waiting[None].count
    return dict(counts)


def _titled(when: Text, count: int) -> Text:
    waiting = count_text(
        count, "{n} post väntar på attest", "{n} poster väntar på attest", "{n} item waits", "{n} items wait"
    )
    return Text(sv=f"{when.sv}: {waiting.sv}", en=f"{when.en}: {waiting.en} for approval")


async def _manager_reminders(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, cutoff: date, days_left: int, now: datetime
) -> int:
    waiting = await _waiting_by_approver(session, organisation.id)
    counts = await _approver_accounts(session, organisation.id, waiting, now)
    when = _when(days_left)
    messages = [
        Message(
            organisation_id=organisation.id,
            account_id=account,
            category=Category.ATTEST_REMINDER.value,
            title=_titled(when, count),
            body=Text(
                sv=f"Attestera senast {cutoff:%Y-%m-%d} så kommer de med lönen för {_month(period, 'sv')}.",
                en=f"Approve by {cutoff:%Y-%m-%d} to reach the pay for {_month(period, 'en')}.",
            ),
            url=INBOX_URL,
            dedupe_key=f"attest_reminder:{period}:d{days_left}",
            ids={"period": str(period), "count": str(count)},
            push=PushSpec(
                ttl=12 * 3600,
                urgency=Urgency.HIGH if days_left == 0 else Urgency.NORMAL,
                topic_key=f"attest-reminder:{account}",
            ),
        )
        for account, count in counts.items()
    ]
    return len(await publish(session, messages, now))


async def _payroll_escalation(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, now: datetime
) -> int:
    waiting = await _waiting_by_approver(session, organisation.id)
    managed = {m: w for m, w in waiting.items() if m is not None}
    total = sum(w.count for w in managed.values())
    if not total:
        return 0
    messages = [
        Message(
            organisation_id=organisation.id,
            account_id=account,
            category=Category.ATTEST_REMINDER.value,
            title=count_text(
                total,
                "{n} post väntar fortfarande på attest på brytdagen",
                "{n} poster väntar fortfarande på attest på brytdagen",
                "{n} item still waits for approval on cut-off day",
                "{n} items still wait for approval on cut-off day",
            ),
            body=Text(
                sv=f"Hos {len(managed)} chefer. Det som inte attesteras i dag kommer med lönen för "
                f"{_month(period.next(), 'sv')}.",
                en=f"With {len(managed)} managers. What is not approved today reaches the pay for "
                f"{_month(period.next(), 'en')}.",
            ),
            url=INBOX_URL,
            dedupe_key=f"attest_escalation:{period}",
            ids={"period": str(period), "count": str(total)},
            push=PushSpec(ttl=8 * 3600, urgency=Urgency.HIGH),
        )
        for account in await payroll_accounts(session, organisation.id)
    ]
    return len(await publish(session, messages, now))


def _unsubmitted(kind: ItemKind, subject_id: object) -> object:
    """Join condition + filter: the subject has no attest item yet, or it was returned."""
    return and_(col(AttestItem.kind) == kind.value, col(AttestItem.subject_id) == subject_id)


async def drafts_by_employee(session: AsyncSession, organisation_id: UUID, cutoff: date) -> dict[UUID, int]:
    """What each employee has not submitted: loose draft expenses, claims and time weeks not sent or returned."""
    found: dict[UUID, int] = defaultdict(int)
    not_sent = or_(col(AttestItem.id).is_(None), col(AttestItem.state) == AttestState.RETURNED.value)

    loose = await session.execute(
        select(Expense.employee_id, func.count())
        .where(
            col(Expense.organisation_id) == organisation_id,
            col(Expense.claim_id).is_(None),
            col(Expense.travel_claim_id).is_(None),
        )
        .group_by(col(Expense.employee_id))
    )
    for employee_id, count in loose.tuples():
        found[employee_id] += int(count)
    subjects: list[tuple[ItemKind, object, object]] = [
        (ItemKind.EXPENSE_CLAIM, ExpenseClaim, col(ExpenseClaim.organisation_id) == organisation_id),
        (ItemKind.TRAVEL_CLAIM, TravelClaim, col(TravelClaim.organisation_id) == organisation_id),
        (
            ItemKind.TIME_WEEK,
            TimeWeek,
            and_(col(TimeWeek.organisation_id) == organisation_id, col(TimeWeek.week_start) <= cutoff),
        ),
    ]
    for kind, model, scope in subjects:
        rows = await session.execute(
            select(model.employee_id, func.count())  # type: ignore[attr-defined]
            .join(AttestItem, _unsubmitted(kind, model.id), isouter=True)  # type: ignore[attr-defined, arg-type]
            .where(scope, not_sent)  # type: ignore[arg-type]
            .group_by(model.employee_id)  # type: ignore[attr-defined]
        )
        for employee_id, count in rows.tuples():
            found[employee_id] += int(count)
    return dict(found)


async def _submit_reminders(
    session: AsyncSession, organisation: Organisation, period: PayPeriod, cutoff: date, days_left: int, now: datetime
) -> int:
    drafts = await drafts_by_employee(session, organisation.id, cutoff)
    accounts = await accounts_of(session, drafts)
    when = _when(days_left)
    messages = [
        Message(
            organisation_id=organisation.id,
            account_id=accounts[employee_id],
            category=Category.SUBMIT_REMINDER.value,
            title=Text(
                sv=f"{when.sv}: skicka in det som ska med på lönen", en=f"{when.en}: submit what should be paid"
            ),
            body=count_text(
                count,
                "Du har {n} utkast som inte är inskickat (utlägg, resor eller tid).",
                "Du har {n} utkast som inte är inskickade (utlägg, resor eller tid).",
                "You have {n} draft that is not submitted (expenses, travel or time).",
                "You have {n} drafts that are not submitted (expenses, travel or time).",
            ),
            url="/expenses",
            dedupe_key=f"submit_reminder:{period}:d{days_left}",
            ids={"period": str(period), "count": str(count)},
            push=PushSpec(ttl=12 * 3600, topic_key=f"submit-reminder:{accounts[employee_id]}"),
        )
        for employee_id, count in drafts.items()
        if count and employee_id in accounts
    ]
    return len(await publish(session, messages, now))


async def _organisations(session: AsyncSession) -> list[Organisation]:
    return list((await session.execute(select(Organisation))).scalars())


async def organisation_ids(ctx: WorkerContext) -> list[UUID]:
    async with ctx.sessions() as session:
        return list((await session.execute(select(Organisation.id).order_by(col(Organisation.id)))).scalars())


async def send_cutoff_reminders(ctx: WorkerContext, organisation_id: UUID | None = None) -> int:
    """The reminder round for one organisation (or all), by its own cut-off day."""
    now = ctx.clock.now()
    async with ctx.sessions() as session:
        chosen = None
        if organisation_id is not None:
            organisation = await session.get(Organisation, organisation_id)
            chosen = [organisation] if organisation is not None else []
        sent = await cutoff_reminders(session, now, chosen)
        await session.commit()
    return sent


async def cutoff_reminders(
    session: AsyncSession, now: datetime, organisations: Iterable[Organisation] | None = None
) -> int:
    local = now.astimezone(STOCKHOLM)
    today = local.date()
    sent = 0
    for organisation in organisations if organisations is not None else await _organisations(session):
        cutoff, period = next_cutoff(today, organisation.cutoff_day)
        days_left = (cutoff - today).days
        if days_left in REMIND_DAYS_BEFORE:
            sent += await _manager_reminders(session, organisation, period, cutoff, days_left, now)
        if days_left == 0 and local.hour >= ESCALATION_HOUR:
            sent += await _payroll_escalation(session, organisation, period, now)
        if days_left in SUBMIT_REMIND_DAYS_BEFORE:
            sent += await _submit_reminders(session, organisation, period, cutoff, days_left, now)
    return sent


async def send_attest_nudges(ctx: WorkerContext) -> int:
    """The weekly "flowing attest" nudge (cron, Monday mornings)."""
    now = ctx.clock.now()
    async with ctx.sessions() as session:
        sent = await attest_nudges(session, now)
        await session.commit()
    return sent


async def attest_nudges(session: AsyncSession, now: datetime) -> int:
    year, week, _ = now.astimezone(STOCKHOLM).isocalendar()
    before = now - timedelta(days=NUDGE_AFTER_DAYS)
    sent = 0
    for organisation in await _organisations(session):
        waiting = await _waiting_by_approver(session, organisation.id, submitted_before=before)
        counts = await _approver_accounts(session, organisation.id, waiting, now)
        messages = [
            Message(
                organisation_id=organisation.id,
                account_id=account,
                category=Category.ATTEST_NUDGE.value,
                title=count_text(
                    count,
                    "{n} post har väntat på attest i över en vecka",
                    "{n} poster har väntat på attest i över en vecka",
                    "{n} item has waited for approval for over a week",
                    "{n} items have waited for approval for over a week",
                ),
                body=Text(
                    sv="Attestera löpande, minst varje vecka, så blir lönen rätt från början.",
                    en="Approve as you go, at least weekly, and pay is right from the start.",
                ),
                url=f"{INBOX_URL}?sort=oldest",
                dedupe_key=f"attest_nudge:{year}-W{week:02d}",
                ids={"count": str(count)},
                push=PushSpec(ttl=24 * 3600, urgency=Urgency.LOW, topic_key=f"attest-nudge:{account}"),
            )
            for account, count in counts.items()
        ]
        sent += len(await publish(session, messages, now))
    return sent
