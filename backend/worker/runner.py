"""Running the job system's workers in this process: inside the API (SQLite default) or standalone.

Two procrastinate workers share the process: one for receipts, running as many jobs at once as
there are OCR processes (the queue in PostgreSQL is the backpressure: a worker takes a receipt
only when a reader is free), and one for notifications and routine jobs. Stopping is graceful:
no new job is taken, running jobs get ``JOBS_SHUTDOWN_SECONDS`` to finish, and those still
running after that are given back (the finders and ``recover`` defer their work again).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.core import clock as clock_module
from backend.core.clock import Clock
from backend.storage import ContentStore
from backend.worker.context import WorkerContext
from backend.worker.jobs import NOTIFICATIONS, PAYROLL, RECEIPTS, ROUTINE, Jobs

log = structlog.get_logger(__name__)


class JobRunner:
    def __init__(
        self,
        settings: Settings,
        engine: AsyncEngine,
        clock: Clock,
        jobs: Jobs,
        storage: ContentStore | None = None,
    ) -> None:
        clock_module.use(clock)  # row timestamps follow the worker's clock too
        self.settings = settings
        self.jobs = jobs
        self.context = WorkerContext.create(settings, engine, clock, storage)
        self._workers: list[asyncio.Task[None]] = []

    def _options(self, name: str, queues: list[str], concurrency: int, *, listen: bool) -> dict[str, Any]:
        return {
            "name": f"{self.context.name}:{name}",
            "queues": queues,
            "concurrency": max(concurrency, 1),
            "wait": True,
            "install_signal_handlers": False,
            "delete_jobs": "successful",
            "listen_notify": listen and self.settings.jobs_listen_notify and not self.jobs.in_memory,
            "fetch_job_polling_interval": 1.0 if self.jobs.in_memory or not listen else 5.0,
            "shutdown_graceful_timeout": self.settings.jobs_shutdown_seconds,
            # A worker silent for JOBS_STALLED_SECONDS counts as dead: it speaks three times as often.
            "update_heartbeat_interval": max(self.settings.jobs_stalled_seconds / 3, 0.5),
            "stalled_worker_timeout": max(self.settings.jobs_stalled_seconds, 1),
            "additional_context": {"ctx": self.context, "jobs": self.jobs},
        }

    async def start(self) -> None:
        await self.jobs.open()
        await self.jobs.retry_stalled()  # before taking jobs: a dead worker's may hold a lock a finder waits on
        readers = self.settings.ocr_processes or os.cpu_count() or 1
        workers = {
            # Receipts poll each second instead of holding a LISTEN connection of their own (LISTENERS).
            "receipts": self._options("receipts", [RECEIPTS], readers, listen=False),
            "notifications": self._options(
                "other", [NOTIFICATIONS, ROUTINE, PAYROLL], self.settings.jobs_concurrency, listen=True
            ),
        }
        for name, options in workers.items():
            self._workers.append(asyncio.create_task(self.jobs.app.run_worker_async(**options), name=f"jobs-{name}"))
        # Work left from before a restart (or an API process that died after an upload) is found at once.
        for finder in ("recover", "find_receipts", "find_closes", "find_pay_runs", "dispatch_notifications"):
            await self.jobs.wake(finder)
        log.info("worker_started", worker=self.context.name, receipt_readers=readers)

    async def stop(self) -> None:
        """Stop taking jobs, let running ones finish (up to JOBS_SHUTDOWN_SECONDS), then close."""
        for task in self._workers:
            task.cancel()
        for task in self._workers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._workers.clear()
        await self.context.close()
        await self.jobs.close()
        log.info("worker_stopped", worker=self.context.name)

    async def run_until(self, stop: asyncio.Event) -> None:
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()
