"""Running the job system's real worker in a test until no job is left."""

from __future__ import annotations

from collections.abc import Iterable

from backend.worker.context import WorkerContext
from backend.worker.jobs import QUEUES, Jobs


async def drain(jobs: Jobs, context: WorkerContext, queues: Iterable[str] = QUEUES, concurrency: int = 1) -> None:
    """procrastinate's own worker, stopping when every due job has run (jobs it defers included)."""
    await jobs.open()
    await jobs.app.run_worker_async(
        queues=list(queues),
        concurrency=concurrency,
        wait=False,
        install_signal_handlers=False,
        listen_notify=False,
        delete_jobs="successful",
        additional_context={"ctx": context, "jobs": jobs},
    )
