"""The outbox worker: turn due digests into deliveries (``digests``), then claim and send due deliveries.

Sending runs in jobs of the job system (``send_notifications``, a few at once). A job marks
the deliveries it takes with its id (``locked_by``, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL),
so two jobs never send the same one. A job whose worker died is run again by the job system
under the same id and resumes its deliveries; deliveries of a job that ended without sending
them are let go by ``release_abandoned``. Preferences and quiet hours are judged
when a message is about to go out (they may have changed since it was written). Outcomes
are handled by meaning: sent; subscription gone (deleted); retry later (Retry-After or
backoff with jitter, until the policy's bound, then recorded as failed); too large or
refused (failed, with the reason).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from backend.core.metrics import DELIVERIES
from backend.db.models import Account, Delivery, PushDevice
from backend.notices import channels, digests
from backend.notices.outbox import (
    TEST_CATEGORY,
    _table,
)
from backend.notices.prefs import preferences_of
from backend.worker.context import WorkerContext
from notifications import (
    Category,
    Channel,
    DeferUntil,
    Delivered,
    EmailSender,
    Failed,
    Gone,
    Outcome,
    Preferences,
    PushOptions,
    PushPayload,
    PushSubscription,
    RetryLater,
    SendNow,
    Skip,
    TooLarge,
    Urgency,
    WebPushSender,
    decide,
    render_email,
)

log = structlog.get_logger(__name__)
BATCH = 500
ROUNDS_PER_JOB = 4
"""Batches one sending job sends before it makes way for other jobs (and defers its successor)."""


def sender_for(ctx: WorkerContext) -> WebPushSender:
    sender = ctx.tools.get("push_sender")
    if sender is None:
        sender = channels.push_sender(ctx.settings)
        ctx.tools["push_sender"] = sender
    assert isinstance(sender, WebPushSender)
    return sender


def mailer_for(ctx: WorkerContext) -> EmailSender | None:
    if "email_sender" not in ctx.tools:
        ctx.tools["email_sender"] = channels.email_sender(ctx.settings)
    mailer = ctx.tools["email_sender"]
    assert mailer is None or isinstance(mailer, EmailSender)
    return mailer


async def deliver_notifications(ctx: WorkerContext) -> int:
    """The worker task: digests first, then one batch of due deliveries. Returns deliveries handled."""
    await digests.materialise_digests(ctx)
    return await send_due(ctx)


# --- sending -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    id: UUID
    channel: str
    category: str
    payload: dict[str, Any]
    topic: str | None
    urgency: str
    ttl: int
    attempts: int
    device_id: UUID | None
    subscription: PushSubscription | None
    email: str | None
    prefs: Preferences


@dataclass(frozen=True)
class Result:
    job: Job
    state: str
    next_attempt_at: datetime | None = None
    attempts: int | None = None
    status: int | None = None
    error: str | None = None
    device_gone: bool = False
    device_ok: bool = False


async def _load(ctx: WorkerContext, ids: Sequence[UUID]) -> list[Job]:
    """The claimed deliveries with their device and address, as plain values (Core: no ORM objects)."""
    delivery, device = _table(Delivery), _table(PushDevice)
    account = _table(Account)
    statement = (
        select(
            delivery.c.id,
            delivery.c.account_id,
            delivery.c.channel,
            delivery.c.category,
            delivery.c.payload,
            delivery.c.topic,
            delivery.c.urgency,
            delivery.c.ttl_seconds,
            delivery.c.attempts,
            delivery.c.device_id,
            device.c.endpoint,
            device.c.p256dh,
            device.c.auth,
            account.c.email,
        )
        .select_from(delivery)
        # A device now signed in as someone else is not theirs to reach: it counts as gone.
        .join(
            device,
            and_(device.c.id == delivery.c.device_id, device.c.account_id == delivery.c.account_id),
            isouter=True,
        )
        .join(account, account.c.id == delivery.c.account_id)
        .where(delivery.c.id.in_(ids))
    )
    async with ctx.sessions() as session:
        rows = (await session.execute(statement)).all()
        prefs = await preferences_of(session, {row.account_id for row in rows})
    return [
        Job(
            id=row.id,
            channel=row.channel,
            category=row.category,
            payload=dict(row.payload),
            topic=row.topic,
            urgency=row.urgency,
            ttl=row.ttl_seconds,
            attempts=row.attempts,
            device_id=row.device_id,
            subscription=PushSubscription(row.endpoint, row.p256dh, row.auth) if row.endpoint else None,
            email=row.email,
            prefs=prefs[row.account_id],
        )
        for row in rows
    ]


def _decision(job: Job, now: datetime) -> SendNow | DeferUntil | Skip:
    if job.category == TEST_CATEGORY:
        return SendNow()
    if job.category not in Category._value2member_map_:
        return Skip(f"unknown category {job.category}")
    return decide(job.prefs, Category(job.category), now)[Channel(job.channel)]


def _payload(data: dict[str, Any]) -> PushPayload:
    return PushPayload(
        title=str(data.get("title", "")),
        body=str(data.get("body", "")),
        url=str(data.get("url", "/")),
        tag=data.get("tag"),
        ids={str(k): str(v) for k, v in (data.get("ids") or {}).items()},
    )


async def _attempt(ctx: WorkerContext, job: Job, now: datetime) -> Result:
    decision = _decision(job, now)
    if isinstance(decision, Skip):
        return Result(job, "skipped", error=decision.reason)
    if isinstance(decision, DeferUntil):
        return Result(job, "pending", next_attempt_at=decision.at)
    attempt = job.attempts + 1
    outcome: Outcome
    if job.channel == Channel.PUSH.value:
        if job.subscription is None:
            return Result(job, "gone", error="device unsubscribed")
        options = PushOptions(ttl=job.ttl, urgency=Urgency(job.urgency), topic=job.topic)
        outcome = await sender_for(ctx).send_once(job.subscription, _payload(job.payload), options, attempt=attempt)
    else:
        mailer = mailer_for(ctx)
        if mailer is None or not job.email:
            return Result(job, "skipped", error="e-mail is not configured")
        content = render_email(_payload(job.payload), ctx.settings.public_url)
        outcome = await mailer.send(job.email, content, attempt=attempt)
    return _judge(job, outcome, attempt, ctx.clock.now())


def _judge(job: Job, outcome: Outcome, attempt: int, now: datetime) -> Result:
    match outcome:
        case Delivered(status=status):
            return Result(job, "sent", attempts=attempt, status=status, device_ok=True)
        case Gone(status=status, reason=reason):
            return Result(job, "gone", attempts=attempt, status=status, error=reason, device_gone=True)
        case RetryLater(after_seconds=after, reason=reason, status=status):
            return Result(
                job,
                "pending",
                next_attempt_at=now + timedelta(seconds=after),
                attempts=attempt,
                status=status,
                error=reason,
            )
        case TooLarge(size=size):
            return Result(job, "failed", attempts=attempt, status=413, error=f"too large even at {size} bytes")
        case Failed(reason=reason, status=status):
            log.warning("notification_given_up", delivery=str(job.id), channel=job.channel, status=status)
            return Result(job, "failed", attempts=attempt, status=status, error=reason)
    raise AssertionError(outcome)  # pragma: no cover


async def claim(session: AsyncSession, owner: str, limit: int, now: datetime) -> list[UUID]:
    """Mark up to ``limit`` due deliveries as ``owner``'s and return them with those it held already (committed)."""
    ready = and_(col(Delivery.state) == "pending", col(Delivery.next_attempt_at) <= now)
    free = or_(col(Delivery.locked_by).is_(None), col(Delivery.locked_by) == owner)
    candidates = select(col(Delivery.id)).where(ready, free).order_by(col(Delivery.next_attempt_at)).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    await session.execute(
        update(Delivery)
        .where(col(Delivery.id).in_(candidates))
        .values(locked_by=owner)
        .execution_options(synchronize_session=False)
    )
    held = select(col(Delivery.id)).where(col(Delivery.locked_by) == owner, col(Delivery.state) == "pending")
    ids = list((await session.execute(held.limit(limit))).scalars())
    await session.commit()
    return ids


async def send_due(ctx: WorkerContext, limit: int = BATCH, owner: str | None = None) -> int:
    """Claim up to ``limit`` due deliveries, send them concurrently, record every outcome."""
    now = ctx.clock.now()
    async with ctx.sessions() as session:
        ids = await claim(session, owner or ctx.name, limit, now)
    if not ids:
        return 0
    await _send_and_record(ctx, await _load(ctx, ids), now)
    return len(ids)


async def _send_and_record(ctx: WorkerContext, jobs: Sequence[Job], now: datetime) -> None:
    """Send concurrently and record each outcome soon after it is known, not once for the batch.

    One write at a time records whatever came in while the previous one ran. A worker killed
    mid-batch has then recorded all but the pushes in flight and the last few answers: its resumed
    job sends those again, not every push of the batch (a push service cannot tell a repeat).
    """
    outcomes: asyncio.Queue[Result | None] = asyncio.Queue()

    async def attempt(job: Job) -> None:
        outcomes.put_nowait(await _attempt(ctx, job, now))

    async def recorder() -> None:
        finished = False
        while not finished:
            results = [await outcomes.get()]
            while not outcomes.empty():
                results.append(outcomes.get_nowait())
            finished = None in results
            if known := [r for r in results if r is not None]:
                await _record(ctx, known)

    recording = asyncio.ensure_future(recorder())
    try:
        await asyncio.gather(*(attempt(job) for job in jobs))
    finally:
        outcomes.put_nowait(None)  # what was answered before a failure or a shutdown is recorded too
        await recording


async def send_for_job(ctx: WorkerContext, owner: str) -> bool:
    """The sending job: a few full batches at most; True when there is more to send."""
    for _ in range(ROUNDS_PER_JOB):
        if await send_due(ctx, BATCH, owner) < BATCH:
            return False
    return True


async def due_count(ctx: WorkerContext, up_to: int = BATCH * 16) -> int:
    """Due deliveries no job holds, counted up to ``up_to`` (enough to decide how many jobs to start)."""
    now = ctx.clock.now()
    due = (
        select(col(Delivery.id))
        .where(
            col(Delivery.state) == "pending",
            col(Delivery.next_attempt_at) <= now,
            col(Delivery.locked_by).is_(None),
        )
        .limit(up_to)
        .subquery()
    )
    async with ctx.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(due))).scalar_one())


def slots_needed(due: int, slots: int) -> int:
    """Sending jobs to start: one per full batch waiting, at most ``slots``."""
    return min(math.ceil(due / BATCH), max(slots, 1))


async def release_abandoned(ctx: WorkerContext, abandoned: Callable[[Iterable[str]], Awaitable[set[str]]]) -> int:
    """Let go of deliveries held by jobs that ended without sending them (failed, given back, killed)."""
    async with ctx.sessions() as session:
        owners = (
            await session.execute(
                select(col(Delivery.locked_by))
                .where(col(Delivery.state) == "pending", col(Delivery.locked_by).like("job:%"))
                .distinct()
            )
        ).scalars()
        gone = sorted(await abandoned(owner for owner in owners if owner))
        if not gone:
            return 0
        released = await session.execute(
            update(Delivery)
            .where(col(Delivery.locked_by).in_(gone), col(Delivery.state) == "pending")
            .values(locked_by=None)
            .execution_options(synchronize_session=False)
        )
        await session.commit()
        return int(released.rowcount)  # type: ignore[attr-defined]


async def _record(ctx: WorkerContext, results: Sequence[Result]) -> None:
    now = ctx.clock.now()
    rows = [
        {
            "id": r.job.id,
            "state": r.state,
            "attempts": r.attempts if r.attempts is not None else r.job.attempts,
            "next_attempt_at": r.next_attempt_at or now,
            "sent_at": now if r.state == "sent" else None,
            "last_status": r.status,
            "last_error": (r.error or None) and r.error[:500],
            "locked_by": None,
            "updated_at": now,
        }
        for r in results
    ]
    gone = sorted({r.job.device_id for r in results if r.device_gone and r.job.device_id}, key=str)
    ok = sorted({r.job.device_id for r in results if r.device_ok and r.job.device_id}, key=str)
    table = _table(Delivery)
    columns = [name for name in rows[0] if name != "id"] if rows else []
    by_id = (
        update(table)
        .where(table.c.id == bindparam("delivery_id"))
        .values({name: bindparam(f"v_{name}") for name in columns})
    )
    params = [{"delivery_id": row["id"], **{f"v_{name}": row[name] for name in columns}} for row in rows]
    async with ctx.sessions() as session:
        if params:
            await session.execute(by_id, params)
        if gone:
            await session.execute(
                update(Delivery)
                .where(col(Delivery.device_id).in_(gone), col(Delivery.state) == "pending")
                .values(state="gone", updated_at=now)
                .execution_options(synchronize_session=False)
            )
            await session.execute(delete(PushDevice).where(col(PushDevice.id).in_(gone)))
        if ok:
            await session.execute(
                update(PushDevice)
                .where(col(PushDevice.id).in_(ok))
                .values(last_success_at=now)
                .execution_options(synchronize_session=False)
            )
        await session.commit()
    for result in results:
        if outcome := _outcome(result):
            DELIVERIES.labels(result.job.channel, outcome).inc()


OUTCOMES = {"sent": "delivered", "gone": "gone", "failed": "failed", "skipped": "skipped"}


def _outcome(result: Result) -> str | None:
    """The metric's word for a recorded result; None for one held back (quiet hours), which was no attempt."""
    if result.state == "pending":
        return "retry" if result.attempts is not None else None
    return OUTCOMES.get(result.state)
