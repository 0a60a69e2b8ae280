"""Who hears about an error report, both ways, through the one notice outbox (in-app, push, e-mail).

Payroll hears of a new case and of the reporter's replies: the case's owner, or every payroll
account while it sits in the shared queue; someone given a case hears it is theirs. The reporter hears of an answer, a status change and
an item sent back. Nobody is told of their own action. Called in the transaction of the change.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.cases.views import case_title
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
        title = Text(sv=f"{reporter} svarade: {case_title(case).sv}", en=f"{reporter} replied: {case_title(case).en}")
    else:
        title = Text(
            sv=f"Ny felanmälan från {reporter}: {case_title(case).sv}",
            en=f"New error report from {reporter}: {case_title(case).en}",
        )
    body = Text(sv=_short(text), en=_short(text))
    occasion = "reply" if reply else "new"
    await publish(
        session,
        [_message(case, a, title, body, occasion, Urgency.NORMAL) for a in recipients if a != actor],
        now,
    )


async def tell_owner(session: AsyncSession, case: ErrorCase, *, given_by: Text, actor: UUID, now: datetime) -> None:
    """A case given to someone in payroll (not one they took themselves): they hear it is theirs now."""
    if case.owner_account_id is None or case.owner_account_id == actor:
        return
    title = Text(sv=f"Ett ärende är ditt: {case_title(case).sv}", en=f"A case is yours now: {case_title(case).en}")
    body = Text(
        sv=f"{given_by.sv} gav dig ärendet. Svara senast {case.due_date.isoformat()}.",
        en=f"{given_by.en} gave you the case. Answer by {case.due_date.isoformat()}.",
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
        title = Text(sv=f"Lön har svarat: {case_title(case).sv}", en=f"Payroll answered: {case_title(case).en}")
    elif occasion == "returned":
        title = Text(
            sv=f"Posten skickades tillbaka: {case_title(case).sv}", en=f"The item was sent back: {case_title(case).en}"
        )
    else:
        title = Text(
            sv=f"Ditt ärende är {SWEDISH_STATUS[case.status]}: {case_title(case).sv}",
            en=f"Your case is {ENGLISH_STATUS[case.status]}: {case_title(case).en}",
        )
    short = Text(sv=_short(body.sv), en=_short(body.en))
    urgency = Urgency.HIGH if occasion == "returned" else Urgency.NORMAL
    await publish(session, [_message(case, case.reporter_account_id, title, short, occasion, urgency)], now)
