"""How far behind the background work is, read from the queues' own rows.

One home for the question, asked by the readiness check and by every ``/metrics`` scrape.
A row counts as *due* from when it may be worked on: a delivery from its ``next_attempt_at``
(so a push held back for quiet hours is not late), a receipt from its upload.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from backend.db.models import Delivery, Receipt

READ_TIMEOUT_SECONDS = 2.0
"""A scrape or a readiness probe must answer even when the database is slow."""


@dataclass(frozen=True)
class Backlog:
    queue: str
    depth: int
    """Rows waiting, due or not."""
    oldest_due_seconds: float
    """How long the oldest due row has waited since it became due; 0 when none is due."""


async def read_queues(
    engine: AsyncEngine, now: datetime, stalled_seconds: float
) -> tuple[list[Backlog], JobSystem | None]:
    """The outbox, the receipt queue and (PostgreSQL) the job system, on one connection.

    Raises TimeoutError when the database takes longer than READ_TIMEOUT_SECONDS.
    """
    deliveries_waiting = col(Delivery.state) == "pending"
    delivery_due = and_(deliveries_waiting, col(Delivery.next_attempt_at) <= now)
    receipts_waiting = col(Receipt.state).in_(["queued", "interpreting"])
    deliveries = select(
        func.count(),
        func.min(col(Delivery.next_attempt_at)).filter(delivery_due),
    ).where(deliveries_waiting)
    receipts = select(
        func.count(),
        func.min(col(Receipt.created_at)),
    ).where(receipts_waiting)
    jobs = None
    async with asyncio.timeout(READ_TIMEOUT_SECONDS), engine.connect() as connection:
        delivery_depth, delivery_since = (await connection.execute(deliveries)).one()
        receipt_depth, receipt_since = (await connection.execute(receipts)).one()
        if connection.dialect.name == "postgresql":  # on SQLite jobs live in each process's memory
            rows = (await connection.execute(_JOB_QUEUES)).all()
            workers = (await connection.execute(_LIVE_WORKERS, {"seconds": stalled_seconds})).scalar_one()
            queues = [JobQueue(row.queue, int(row.waiting), int(row.running), float(row.late)) for row in rows]
            jobs = JobSystem(queues=queues, workers=int(workers))
    backlog = [
        Backlog("notifications", delivery_depth, _waited(now, delivery_since)),
        Backlog("receipts", receipt_depth, _waited(now, receipt_since)),
    ]
    return backlog, jobs


def _waited(now: datetime, since: datetime | None) -> float:
    return max((now - since).total_seconds(), 0.0) if since is not None else 0.0


def behind(backlog: list[Backlog], threshold_seconds: float) -> dict[str, int]:
    """The queues whose oldest due row has waited longer than the threshold, with whole seconds waited."""
    return {q.queue: int(q.oldest_due_seconds) for q in backlog if q.oldest_due_seconds > threshold_seconds}


@dataclass(frozen=True)
class JobQueue:
    """One queue of the job system (PostgreSQL): jobs waiting and running, and how late the oldest due one is."""

    queue: str
    waiting: int
    running: int
    oldest_due_seconds: float


@dataclass(frozen=True)
class JobSystem:
    queues: list[JobQueue]
    workers: int
    """Workers whose heartbeat is recent: 0 with jobs waiting means nothing is working on them."""


_JOB_QUEUES = text(
    "SELECT j.queue_name AS queue,"
    " count(*) FILTER (WHERE j.status = 'todo') AS waiting,"
    " count(*) FILTER (WHERE j.status = 'doing') AS running,"
    " coalesce(max(extract(epoch FROM now() - coalesce(j.scheduled_at, d.at)))"
    "   FILTER (WHERE j.status = 'todo' AND coalesce(j.scheduled_at, d.at) <= now()), 0) AS late"
    " FROM procrastinate_jobs j"
    " LEFT JOIN LATERAL (SELECT min(e.at) AS at FROM procrastinate_events e"
    "   WHERE e.job_id = j.id AND e.type = 'deferred') d ON true"
    " WHERE j.status IN ('todo', 'doing') GROUP BY j.queue_name ORDER BY j.queue_name"
)
_LIVE_WORKERS = text(
    "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - make_interval(secs => :seconds)"
)
