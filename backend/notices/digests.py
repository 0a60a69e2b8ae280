"""Attest digests: one push (and e-mail) per manager for the new items of the last DIGEST_MINUTES.

A manager's new items add to their ``DigestState``; when it is due, the digest becomes deliveries
in the outbox (``delivery`` sends them). In quiet hours it waits, still counting.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import and_, or_, select, update
from sqlmodel import col

from backend.core.i18n import Text
from backend.db.models import DigestState
from backend.notices.outbox import _recipients, insert_deliveries, payload_for, supersede_digests
from backend.notices.prefs import preferences_of
from backend.notices.texts import INBOX_URL, count_text
from backend.worker.context import WorkerContext
from notifications import Category, Channel, DeferUntil, Urgency, decide, topic_for

DIGEST_BATCH = 500
DIGEST_TTL_SECONDS = 12 * 60 * 60


def _digest_payload(count: int, language: str) -> dict[str, Any]:
    title = count_text(
        count,
        "{n} ny post att attestera",
        "{n} nya poster att attestera",
        "{n} new item to approve",
        "{n} new items to approve",
    )
    body = Text(sv="Öppna inkorgen och attestera.", en="Open the inbox to approve.")
    return payload_for(title, body, INBOX_URL, language, tag="attest-digest", ids={"count": str(count)})


async def materialise_digests(ctx: WorkerContext) -> int:
    """Each manager with new items and no digest within DIGEST_MINUTES gets one (held back in quiet hours)."""
    now = ctx.clock.now()
    interval = timedelta(minutes=max(ctx.settings.digest_minutes, 0))
    due = and_(
        col(DigestState.pending) > 0,
        or_(col(DigestState.not_before).is_(None), col(DigestState.not_before) <= now),
    )
    async with ctx.sessions() as session:
        # In id order, so two workers lock rows in the same order (no deadlock on PostgreSQL).
        statement = select(DigestState).where(due).order_by(col(DigestState.id)).limit(DIGEST_BATCH)
        rows = list((await session.execute(statement)).scalars())
        if not rows:
            return 0
        prefs = await preferences_of(session, [r.account_id for r in rows])
        won: list[tuple[DigestState, int]] = []
        for row in rows:
            decisions = decide(prefs[row.account_id], Category.ATTEST_DIGEST, now)
            push = decisions[Channel.PUSH]
            if isinstance(push, DeferUntil):  # quiet hours: the digest waits, still counting
                await session.execute(
                    update(DigestState)
                    .where(col(DigestState.id) == row.id)
                    .values(not_before=push.at, updated_at=now)
                    .execution_options(synchronize_session=False)
                )
                continue
            taken = await session.execute(
                update(DigestState)
                .where(col(DigestState.id) == row.id, col(DigestState.pending) == row.pending, due)
                .values(pending=0, last_sent_at=now, not_before=now + interval, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                won.append((row, row.pending))
        if won:
            accounts = [row.account_id for row, _ in won]
            await supersede_digests(session, accounts, now)
            devices, people = await _recipients(session, accounts)
            deliveries: list[dict[str, Any]] = []
            for row, count in won:
                person = people.get(row.account_id)
                if person is None:
                    continue
                locale, email = person
                common = {
                    "created_at": now,
                    "updated_at": now,
                    "organisation_id": row.organisation_id,
                    "account_id": row.account_id,
                    "notice_id": None,
                    "category": Category.ATTEST_DIGEST.value,
                    "payload": _digest_payload(count, locale),
                    "urgency": Urgency.NORMAL.value,
                    "ttl_seconds": DIGEST_TTL_SECONDS,
                    "state": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                }
                account_prefs = prefs[row.account_id]
                if account_prefs.enabled(Category.ATTEST_DIGEST, Channel.PUSH):
                    topic = topic_for(f"attest-digest:{row.account_id}")
                    deliveries += [
                        {**common, "id": uuid4(), "channel": "push", "device_id": d.id, "topic": topic}
                        for d in devices.get(row.account_id, [])
                    ]
                if email and account_prefs.enabled(Category.ATTEST_DIGEST, Channel.EMAIL):
                    deliveries.append({**common, "id": uuid4(), "channel": "email", "device_id": None, "topic": None})
            await insert_deliveries(session, deliveries)
        await session.commit()
    return len(won)
