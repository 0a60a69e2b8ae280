"""The events that notify people, called inside the transaction of the change that causes them.

- ``item_submitted`` (from ``attest.services.submit``): a notice for each approver (the
  manager and their active substitutes; payroll when the employee has no manager), pushed
  as a digest rather than one push per item.
- ``item_decided`` (from ``attest.services.apply_decisions``): the employee hears that the item was
  approved, or returned and why.
- ``notify_payslips_ready`` (from ``payslips.services.PayslipService.finalise``): each employee the
  run paid hears that the payslip is available, which run it is (regular or extra), its pay date
  and, for an extra run, what it pays; the notice opens that run's payslip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.attest.titles import both
from backend.core.authorization import Role
from backend.core.clock import STOCKHOLM
from backend.core.i18n import Text
from backend.db.models import Account, AccountRole, AttestItem, Delegation, Employee, Organisation
from backend.domain.attest import ItemKind
from backend.domain.calendar import PayPeriod, pay_date
from backend.domain.payslip.text import MONTHS_EN, MONTHS_SV, month_name
from backend.notices.outbox import Message, PushSpec, bump_digest, publish
from backend.notices.texts import inbox_item_url, item_url, kind_name, kronor, your_kind
from notifications import Category, Urgency


async def accounts_of(session: AsyncSession, employee_ids: Iterable[UUID]) -> dict[UUID, UUID]:
    """Active account id by employee id."""
    ids = list(set(employee_ids))
    found: dict[UUID, UUID] = {}
    for start in range(0, len(ids), 1000):
        rows = await session.execute(
            select(Account.employee_id, Account.id).where(
                col(Account.employee_id).in_(ids[start : start + 1000]), col(Account.active).is_(True)
            )
        )
        found.update({employee_id: account_id for employee_id, account_id in rows.tuples() if employee_id})
    return found


async def payroll_accounts(session: AsyncSession, organisation_id: UUID) -> list[UUID]:
    rows = await session.execute(
        select(Account.id)
        .join(AccountRole, col(AccountRole.account_id) == col(Account.id))
        .where(
            col(Account.organisation_id) == organisation_id,
            col(Account.active).is_(True),
            col(AccountRole.role) == Role.PAYROLL.value,
        )
    )
    return sorted(set(rows.scalars()))


async def substitutes(
    session: AsyncSession, organisation_id: UUID, manager_ids: Iterable[UUID], now: datetime
) -> dict[UUID, set[UUID]]:
    """Active substitutes (employee ids) by manager, on today's Stockholm date."""
    ids = list(set(manager_ids))
    today = now.astimezone(STOCKHOLM).date()
    found: dict[UUID, set[UUID]] = {}
    for start in range(0, len(ids), 1000):
        rows = await session.execute(
            select(Delegation.manager_employee_id, Delegation.substitute_employee_id).where(
                col(Delegation.organisation_id) == organisation_id,
                col(Delegation.manager_employee_id).in_(ids[start : start + 1000]),
                col(Delegation.valid_from) <= today,
                col(Delegation.valid_to) >= today,
                col(Delegation.ended_at).is_(None),
            )
        )
        for manager, substitute in rows.tuples():
            found.setdefault(manager, set()).add(substitute)
    return found


async def approver_accounts(session: AsyncSession, employee: Employee, now: datetime) -> list[UUID]:
    """Who is told about the employee's submitted item (never the employee themself)."""
    if employee.manager_id is None:
        own = await accounts_of(session, [employee.id])
        return [a for a in await payroll_accounts(session, employee.organisation_id) if a != own.get(employee.id)]
    people = {employee.manager_id}
    people |= (await substitutes(session, employee.organisation_id, [employee.manager_id], now)).get(
        employee.manager_id, set()
    )
    people.discard(employee.id)
    return sorted(set((await accounts_of(session, people)).values()))


async def item_submitted(session: AsyncSession, item: AttestItem, employee: Employee, now: datetime) -> None:
    """A notice per approver and one more in each approver's digest."""
    recipients = await approver_accounts(session, employee, now)
    if not recipients:
        return
    kind = kind_name(item.kind)
    amount_sv, amount_en = kronor(item.amount, "sv"), kronor(item.amount, "en")
    title = Text(sv=f"{employee.full_name}: {kind.sv} att attestera", en=f"{employee.full_name}: {kind.en} to approve")
    named = both(item.title, item.title_en)
    body = Text(
        sv=" · ".join(part for part in (named.sv, amount_sv) if part),
        en=" · ".join(part for part in (named.en, amount_en) if part),
    )
    messages = [
        Message(
            organisation_id=item.organisation_id,
            account_id=account_id,
            category=Category.ATTEST_DIGEST.value,
            title=title,
            body=body,
            url=inbox_item_url(item.id),
            dedupe_key=f"submitted:{item.id}:{item.version}",
            ids={"item": str(item.id), "kind": item.kind},
            push=None,
        )
        for account_id in recipients
    ]
    await publish(session, messages, now)
    await bump_digest(session, item.organisation_id, recipients, now)


@dataclass(frozen=True)
class DecidedItem:
    """One decision to tell its employee about."""

    item: AttestItem
    approved: bool
    reason: str | None
    version: int
    pay_period: str | None


async def item_decided(
    session: AsyncSession,
    item: AttestItem,
    *,
    approved: bool,
    reason: str | None,
    decided_by: UUID,
    version: int,
    pay_period: str | None,
    now: datetime,
) -> None:
    """Tell the employee: approved (and which pay it reaches) or returned with the reason."""
    await items_decided(session, [DecidedItem(item, approved, reason, version, pay_period)], decided_by, now)


async def items_decided(session: AsyncSession, decided: Sequence[DecidedItem], decided_by: UUID, now: datetime) -> None:
    """The same for many decisions of one decider (a bulk approval): a few queries, not a few per item."""
    if not decided:
        return
    accounts = await accounts_of(session, {d.item.employee_id for d in decided})
    decider = (await session.execute(select(Account.display_name).where(col(Account.id) == decided_by))).scalar_one()
    pay_day = (
        await session.execute(
            select(Organisation.pay_day).where(col(Organisation.id) == decided[0].item.organisation_id)
        )
    ).scalar_one()
    messages = []
    for d in decided:
        item, account = d.item, accounts.get(d.item.employee_id)
        if account is None:
            continue
        yours = your_kind(item.kind)
        if d.approved:
            named = both(item.title, item.title_en)
            title = Text(sv=f"Attesterad: {named.sv}", en=f"Approved: {named.en}")
            when_sv = when_en = ""
            if d.pay_period:  # the regular run it reaches; an extra run that pays it sooner says so itself
                paid_on = pay_date(PayPeriod.parse(d.pay_period), pay_day)
                when_sv = (
                    f" Betalas med den ordinarie lönen för {_month(d.pay_period, 'sv')} den {_day(paid_on, 'sv')}."
                )
                when_en = f" Paid with the regular pay for {_month(d.pay_period, 'en')} on {_day(paid_on, 'en')}."
            if item.kind == ItemKind.LEAVE_REQUEST.value:  # settled with the pay for the month it falls in
                when_sv = " Ledigheten kommer med på lönespecifikationen som tar med den månadens frånvaro."
                when_en = " The leave comes on the payslip that settles that month's absence."
            body = Text(
                sv=f"{decider} har attesterat {yours.sv}.{when_sv}", en=f"{decider} approved {yours.en}.{when_en}"
            )
        else:
            named = both(item.title, item.title_en)
            title = Text(sv=f"Skickad tillbaka: {named.sv}", en=f"Returned: {named.en}")
            body = Text(sv=f"{decider}: {d.reason or ''}".strip(), en=f"{decider}: {d.reason or ''}".strip())
        messages.append(
            Message(
                organisation_id=item.organisation_id,
                account_id=account,
                category=Category.ITEM_DECIDED.value,
                title=title,
                body=body,
                url=item_url(item.kind, item.subject_id),
                dedupe_key=f"decided:{item.id}:{d.version}",
                ids={"item": str(item.id), "kind": item.kind, "subject": str(item.subject_id)},
                push=PushSpec(ttl=3 * 24 * 3600, urgency=Urgency.NORMAL if d.approved else Urgency.HIGH),
            )
        )
    await publish(session, messages, now)


def _month(period: str | PayPeriod | None, language: str) -> str:
    if period is None:
        return ""
    parsed = period if isinstance(period, PayPeriod) else PayPeriod.parse(str(period))
    return month_name(parsed.year, parsed.month, "en" if language == "en" else "sv")


def _day(day: date, language: str) -> str:
    """ "8 december 2026" / "8 December 2026"."""
    names = MONTHS_EN if language == "en" else MONTHS_SV
    return f"{day.day} {names[day.month - 1]} {day.year}"


def payslip_url(period: PayPeriod | str, run_id: UUID | None) -> str:
    """The address of one run's payslip: a period can have a regular and extra runs."""
    return f"/payslip?period={period}" + (f"&run={run_id}" if run_id else "")


async def notify_payslips_ready(
    session: AsyncSession,
    organisation_id: UUID,
    employee_ids: Iterable[UUID],
    period: PayPeriod | str,
    *,
    run_id: UUID | None = None,
    paid_on: date | None = None,
    extra: bool = False,
    paid: Mapping[UUID, Sequence[Text]] | None = None,
    now: datetime | None = None,
) -> int:
    """Tell each employee their payslip for ``period`` is available; call in the pay run's transaction.

    The notice names the run (regular or extra) and its pay date, and for an extra run what it
    pays (``paid``: line texts by employee), so an item announced for a later month's pay is
    seen to be paid sooner. Once per employee and pay run (``run_id``; the period when none is
    given), however often it is called. Returns how many notices were new.
    """
    now = now or datetime.now(UTC)
    accounts = await accounts_of(session, employee_ids)
    key = f"payslip:{run_id or period}"
    url = payslip_url(period, run_id)
    if extra:
        title = Text(
            sv=f"Extra lönespecifikation för {_month(period, 'sv')} finns",
            en=f"Your extra payslip for {_month(period, 'en')} is ready",
        )
    else:
        title = Text(
            sv=f"Lönespecifikationen för {_month(period, 'sv')} finns",
            en=f"Your payslip for {_month(period, 'en')} is ready",
        )
    messages = []
    for employee_id, account_id in accounts.items():
        run_sv, run_en = (
            ("den extra lönekörningen", "the extra pay run") if extra else ("den ordinarie lönen", "the regular pay")
        )
        when_sv = (
            f"Betalas ut med {run_sv} den {_day(paid_on, 'sv')}"
            if paid_on
            else "Öppna den för att se vad du får utbetalt"
        )
        when_en = f"Paid with {run_en} on {_day(paid_on, 'en')}" if paid_on else "Open it to see what you will be paid"
        what = list((paid or {}).get(employee_id, ()))
        if len(what) > 5:  # the notice stays short; the payslip has every line
            more = len(what) - 4
            what = [*what[:4], Text(sv=f"och {more} till", en=f"and {more} more")]
        body = Text(
            sv=when_sv + (": " + ", ".join(t.sv for t in what) if what else "") + ".",
            en=when_en + (": " + ", ".join(t.en for t in what) if what else "") + ".",
        )
        messages.append(
            Message(
                organisation_id=organisation_id,
                account_id=account_id,
                category=Category.PAYSLIP_READY.value,
                title=title,
                body=body,
                url=url,
                dedupe_key=key,
                ids={"period": str(period), **({"run": str(run_id)} if run_id else {})},
                push=PushSpec(ttl=7 * 24 * 3600, urgency=Urgency.LOW),
            )
        )
    return len(await publish(session, messages, now))
