"""The job system: procrastinate on PostgreSQL, the same tasks in-process on SQLite.

procrastinate keeps jobs in PostgreSQL (``procrastinate_*`` tables, created by a migration):
a job is taken by one worker (``FOR UPDATE SKIP LOCKED``), retried with backoff when it
raises, and run again when its worker stops sending heartbeats (killed, frozen). Periodic
tasks are deferred once per schedule however many workers run. On the embedded SQLite
default the app runs the same tasks with procrastinate's in-memory queue inside the API
process, so ``make run`` stays one command; the work itself is always in our own tables
(receipt and delivery states), so a restart loses no work: the finders defer it again.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterable
from typing import Any

import structlog
from procrastinate import App, PsycopgConnector
from procrastinate.connector import BaseConnector
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.testing import InMemoryConnector

from backend.config import DatabaseSettings, Settings

log = structlog.get_logger(__name__)

RECEIPTS = "receipts"
"""Receipt reading: as many at once per worker as it has OCR processes."""
NOTIFICATIONS = "notifications"
ROUTINE = "routine"
"""Finders, reminder rounds, pruning."""
PAYROLL = "payroll"
"""Month closes and pay runs: long (a minute at 10 000 employees); a queue of their own, so their depth and age show apart."""
QUEUES = (RECEIPTS, NOTIFICATIONS, ROUTINE, PAYROLL)
DEFERRING_POOL = 1
"""Job-system connections of a process that only defers jobs (an API process without the worker)."""
LISTENERS = 1
"""LISTEN connections of a worker process, outside its pool (only the notifications and routine worker listens)."""


def libpq_url(database: DatabaseSettings) -> str:
    """The SQLAlchemy URL without its driver part (``postgresql+asyncpg://`` → ``postgresql://``)."""
    scheme, rest = database.url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


def connector_for(settings: Settings, *, runs_jobs: bool = True) -> BaseConnector:
    """PostgreSQL: a psycopg pool, ``JOBS_POOL_SIZE`` for a worker and one for a process that only defers."""
    if settings.database.is_sqlite:
        return InMemoryConnector()
    options: dict[str, Any] = {"application_name": "selfservice-jobs"}
    if settings.database.schema:
        options["options"] = f"-c search_path={settings.database.schema}"
    return PsycopgConnector(
        conninfo=libpq_url(settings.database),
        min_size=1 if runs_jobs else 0,
        max_size=max(settings.jobs_pool_size, 1) if runs_jobs else DEFERRING_POOL,
        kwargs=options,
    )


WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


def _parse_owner(mark: str) -> tuple[int, str | None]:
    job, _, name = mark.removeprefix("job:").partition("@")
    return int(job), name or None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Jobs:
    """This process's handle on the job system: defers jobs; ``runner.JobRunner`` runs them."""

    def __init__(self, settings: Settings, connector: BaseConnector | None = None, *, runs_jobs: bool = True) -> None:
        from backend.worker.tasks import register  # the tasks import services, which import this module

        self.settings = settings
        self.app = App(connector=connector or connector_for(settings, runs_jobs=runs_jobs))
        register(self.app)
        self._open = False

    @property
    def in_memory(self) -> bool:
        return isinstance(self.app.connector, InMemoryConnector)

    async def open(self) -> None:
        if not self._open:
            await self.app.open_async()
            self._open = True

    async def close(self) -> None:
        if self._open:
            await self.app.close_async()
            self._open = False

    async def defer(
        self, task: str, *, queueing_lock: str | None = None, lock: str | None = None, **kwargs: Any
    ) -> bool:
        """Defer one job; False when one with the same queueing lock is already waiting (nothing to do).

        Jobs with the same ``lock`` run one at a time, in the order they were deferred. Locks not
        given are the task's own (``tasks.py``).
        """
        await self.open()
        try:
            await self.app.configure_task(task, queueing_lock=queueing_lock, lock=lock).defer_async(**kwargs)
        except AlreadyEnqueued:
            return False
        return True

    async def wake(self, task: str, **options: Any) -> None:
        """Defer a job now (a receipt just uploaded, a finder) rather than wait for a finder's schedule.

        Best effort: the finders find the work anyway, so a job system that does not answer must
        not fail the request that has already been committed.
        """
        try:
            await self.defer(task, **options)  # locks not given are the task's own
        except Exception:
            log.warning("job_wake_failed", task=task, exc_info=True)

    async def live_locks(self, queue: str) -> set[str]:
        """The locks of this queue's jobs that are waiting or running: work that has a job."""
        connector = self.app.connector
        if isinstance(connector, InMemoryConnector):
            return {
                str(job["lock"])
                for job in connector.jobs.values()
                if job["queue_name"] == queue and job["status"] in ("todo", "doing") and job["lock"]
            }
        rows = await connector.execute_query_all_async(
            "SELECT DISTINCT lock FROM procrastinate_jobs "
            "WHERE queue_name = %(queue)s AND status IN ('todo', 'doing') AND lock IS NOT NULL",
            queue=queue,
        )
        return {str(row["lock"]) for row in rows}

    def owner(self, job_id: int) -> str:
        """How a job marks the rows it works on: its id, which a retried job keeps on any worker.

        In memory, job ids start at 1 in every process, so the process is part of the mark.
        """
        return f"job:{job_id}@{WORKER_NAME}" if self.in_memory else f"job:{job_id}"

    async def abandoned(self, owners: Iterable[str]) -> set[str]:
        """The marks of jobs that ended without finishing their rows (failed, given back at shutdown, killed)."""
        parsed = {mark: _parse_owner(mark) for mark in set(owners)}
        connector = self.app.connector
        if isinstance(connector, InMemoryConnector):
            host, pid = WORKER_NAME.rsplit(":", 1)
            gone = set()
            for mark, (job_id, name) in parsed.items():
                if name is None or ":" not in name:
                    continue
                other_host, other_pid = name.rsplit(":", 1)
                if other_host != host:
                    continue  # SQLite is one host: nothing to say about another
                if other_pid == pid:
                    if connector.jobs.get(job_id, {}).get("status") not in ("todo", "doing"):
                        gone.add(mark)
                elif not _process_alive(int(other_pid)):
                    gone.add(mark)
            return gone
        ids = sorted({job_id for job_id, _ in parsed.values()})
        if not ids:
            return set()
        rows = await connector.execute_query_all_async(
            "SELECT id FROM procrastinate_jobs WHERE id = ANY(%(ids)s) AND status IN ('todo', 'doing')",
            ids=ids,
        )
        live = {int(row["id"]) for row in rows}
        return {mark for mark, (job_id, _) in parsed.items() if job_id not in live}

    async def retry_stalled(self) -> int:
        """Jobs whose worker stopped sending heartbeats go back to the queue (the worker died mid-job)."""
        if self.in_memory:
            return 0  # one process: its jobs die with it, and the finders defer the work again
        manager = self.app.job_manager
        stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=self.settings.jobs_stalled_seconds))
        if not stalled:
            return 0
        # "Now" by the database's clock, as heartbeats and fetching use: a worker whose own clock runs
        # ahead would otherwise schedule the retry in the database's future.
        now = (await self.app.connector.execute_query_one_async("SELECT now() AS now"))["now"]
        for job in stalled:
            with contextlib.suppress(Exception):  # another worker retried it first
                await manager.retry_job(job, retry_at=now)
        return len(stalled)

    async def prune(self, keep_days: int) -> int:
        """Failed and given-back jobs older than ``keep_days`` (succeeded ones are deleted as they finish)."""
        if self.in_memory:
            return 0
        before = await self.app.connector.execute_query_one_async("SELECT count(*) AS n FROM procrastinate_jobs")
        await self.app.job_manager.delete_old_jobs(
            nb_hours=keep_days * 24, include_failed=True, include_cancelled=True, include_aborted=True
        )
        after = await self.app.connector.execute_query_one_async("SELECT count(*) AS n FROM procrastinate_jobs")
        return int(before["n"]) - int(after["n"])

    async def statuses(self, task: str) -> list[str]:
        """The states of this task's jobs still on record, oldest first (succeeded ones are deleted)."""
        found = await self.app.job_manager.list_jobs_async(task=task)
        return [str(job.status) for job in sorted(found, key=lambda job: job.id or 0)]
