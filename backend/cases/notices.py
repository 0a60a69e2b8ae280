"""Who hears about an error report, both ways, through the one notice outbox (in-app, push, e-mail).

Payroll hears of a new case and of the reporter's replies: the case's owner, or every payroll
account while it sits in the shared queue; someone given a case hears it is theirs. The reporter hears of an answer, a status change and
an item sent back. Nobody is told of their own action. Called in the transaction of the change.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.i18n import Text
from backend.db.models import ErrorCase
from backend.domain.cases import ENGLISH_STATUS, SWEDISH_STATUS
from backend.notices.events import payroll_accounts
from backend.notices.outbox import Message, PushSpec, publish
from notifications import Category, Urgency

BODY_CHARS = 300


def case_url(case_id: UUID) -> str:
    return f"/cases/{case_id}"


def _short(text: str) -> str:
    return text if len(text) <= BODY_CHARS else text[: BODY_CHARS - 1] + "…"


def _message(case: ErrorCase, account_id: UUID, title: Text, body: Text, occasion: str, urgency: Urgency) -> Message:
    return Message(
        organisation_id=case.organisation_id,
        account_id=account_id,
        category=Category.CASE_UPDATE.value,
        title=title,
        body=body,
        url=case_url(case.id),
        dedupe_key=f"case:{case.id}:{case.events}:{occasion}",
        ids={"case": str(case.id), "status": case.status},
        push=PushSpec(ttl=3 * 24 * 3600, urgency=urgency, topic_key=f"case:{case.id}"),
    )


async def tell_payroll(
    session: AsyncSession, case: ErrorCase, *, reply: bool, reporter: str, text: str, actor: UUID, now: datetime
) -> None:
    """A new case or a reply: to the owner, or to all of payroll while nobody owns it."""
    recipients = (
        [case.owner_account_id] if case.owner_account_id else await payroll_accounts(session, case.organisation_id)
    )
    if reply:
        title = Text(f"{reporter} svarade: {case.title}", f"{reporter} replied: {case.title}")
    else:
        title = Text(f"Ny felanmälan från {reporter}: {case.title}", f"New error report from {reporter}: {case.title}")
    body = Text(_short(text), _short(text))
    occasion = "reply" if reply else "new"
    await publish(
        session,
        [_message(case, a, title, body, occasion, Urgency.NORMAL) for a in recipients if a != actor],
        now,
    )


async def tell_owner(session: AsyncSession, case: ErrorCase, *, given_by: str, actor: UUID, now: datetime) -> None:
    """A case given to someone in payroll (not one they took themselves): they hear it is theirs now."""
    if case.owner_account_id is None or case.owner_account_id == actor:
        return
    title = Text(f"Ett ärende är ditt: {case.title}", f"A case is yours now: {case.title}")
    body = Text(
        f"{given_by} gav dig ärendet. Svara senast {case.due_date.isoformat()}.",
        f"{given_by} gave you the case. Answer by {case.due_date.isoformat()}.",
    )
    await publish(session, [_message(case, case.owner_account_id, title, body, "assigned", Urgency.NORMAL)], now)


async def tell_reporter(
    session: AsyncSession,
    case: ErrorCase,
    *,
    occasion: str,
    body: Text,
    actor: UUID,
    now: datetime,
) -> None:
    """``occasion``: answer | status | returned."""
    if case.reporter_account_id == actor:
        return
    if occasion == "answer":
        title = Text(f"Lön har svarat: {case.title}", f"Payroll answered: {case.title}")
    elif occasion == "returned":
        title = Text(f"Posten skickades tillbaka: {case.title}", f"The item was sent back: {case.title}")
    else:
        title = Text(
            f"Ditt ärende är {SWEDISH_STATUS[case.status]}: {case.title}",
            f"Your case is {ENGLISH_STATUS[case.status]}: {case.title}",
        )
    short = Text(_short(body.sv), _short(body.en))
    urgency = Urgency.HIGH if occasion == "returned" else Urgency.NORMAL
    await publish(session, [_message(case, case.reporter_account_id, title, short, occasion, urgency)], now)
