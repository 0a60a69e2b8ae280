"""The background worker: periodic tasks on APScheduler, inside the app or standalone.

Tasks are registered in ``backend/worker/tasks.py``. Each runs at most once at a time per
process (APScheduler's ``max_instances=1``); across processes, rows are claimed with
leases (``leases.claim``), so any number of app processes and ``selfservice worker``
processes can run together without doing the same work twice. A task that used its
whole batch is run again at once, so a backlog drains without waiting for the interval.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.config import Settings
from backend.core import clock as clock_module
from backend.core.clock import STOCKHOLM, Clock
from backend.core.database import session_maker
from backend.core.metrics import JOB_FAILURES
from backend.storage import ContentStore, open_store

log = structlog.get_logger(__name__)


@dataclass
class WorkerContext:
    """What tasks get: sessions, settings, the clock, storage and shared tools."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    storage: ContentStore
    name: str
    tools: dict[str, Any] = field(default_factory=dict)


TaskFn = Callable[[WorkerContext], Awaitable[int]]


@dataclass(frozen=True)
class Task:
    """``run`` returns how many items it handled; ``batch`` full means "run again now"."""

    name: str
    run: TaskFn
    every_seconds: float | None = None
    cron: str | None = None
    """Crontab expression in Europe/Stockholm time, e.g. ``"0 8 * * mon-fri"``."""
    batch: int = 0


class Worker:
    def __init__(
        self,
        settings: Settings,
        engine: AsyncEngine,
        clock: Clock,
        tasks: list[Task],
        storage: ContentStore | None = None,
    ) -> None:
        clock_module.use(clock)  # row timestamps follow the worker's clock too
        self.context = WorkerContext(
            settings=settings,
            sessions=session_maker(engine),
            clock=clock,
            storage=storage or open_store(settings.storage_url, settings.data_dir),
            name=f"{socket.gethostname()}:{os.getpid()}",
        )
        self.tasks = {task.name: task for task in tasks}
        self.scheduler = AsyncIOScheduler(timezone=STOCKHOLM)

    async def _run(self, task: Task) -> None:
        try:
            handled = await task.run(self.context)
        except Exception:
            log.exception("task_failed", task=task.name)
            JOB_FAILURES.labels(task.name).inc()
            return
        if handled:
            log.info("task_ran", task=task.name, handled=handled)
        if task.batch and handled >= task.batch:
            self.wake(task.name)

    def start(self) -> None:
        now = datetime.now(STOCKHOLM)
        for task in self.tasks.values():
            if task.every_seconds:
                self.scheduler.add_job(
                    self._run,
                    "interval",
                    seconds=task.every_seconds,
                    args=[task],
                    id=task.name,
                    max_instances=1,
                    coalesce=True,
                    next_run_time=now,
                )
            elif task.cron:
                self.scheduler.add_job(
                    self._run,
                    CronTrigger.from_crontab(task.cron, timezone=STOCKHOLM),
                    args=[task],
                    id=task.name,
                    max_instances=1,
                    coalesce=True,
                    misfire_grace_time=3600,
                )
        self.scheduler.start()
        log.info("worker_started", worker=self.context.name, tasks=sorted(self.tasks))

    def wake(self, name: str) -> None:
        """Run a periodic task now instead of at its next interval (e.g. right after an upload)."""
        if self.scheduler.running and self.scheduler.get_job(name) is not None:
            self.scheduler.modify_job(name, next_run_time=datetime.now(STOCKHOLM) + timedelta(milliseconds=10))

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for tool in self.context.tools.values():
            aclose = getattr(tool, "aclose", None)
            if aclose is not None:  # async clients (the push sender's HTTP connections)
                await aclose()
                continue
            close = getattr(tool, "close", None)
            if close is not None:
                await asyncio.to_thread(close)

    async def run_forever(self) -> None:
        self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()
