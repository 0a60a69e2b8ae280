"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from litestar import Controller, Response, get
from sqlalchemy import text

from backend.core.deps import ClockDep, DbEngine, SettingsDep
from backend.worker.backlog import behind, read_queues


class HealthController(Controller):
    path = "/health"
    tags = ["Health"]
    include_in_schema = True

    @get("/live", exclude_from_auth=True, security=[])
    async def live(self) -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @get("/ready", exclude_from_auth=True, security=[])
    async def ready(self, db_engine: DbEngine, settings: SettingsDep, clock: ClockDep) -> Response[dict[str, object]]:
        """The process can serve: the database answers (else 503).

        It also says whether the background work keeps up (``jobs``: ``ok``, ``behind`` with the
        queues and seconds waited, ``no_workers`` when jobs wait and no worker's heartbeat is recent
        (PostgreSQL), or ``unknown``), staying 200: the API serves either way, and taking it out of
        the load balancer would not make the worker faster.
        """
        try:
            async with db_engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            return Response(
                {"status": "unavailable", "database": type(exc).__name__},
                status_code=503,
                media_type="application/problem+json",
            )
        answer: dict[str, object] = {"status": "ok", "database": "ok"}
        threshold = settings.jobs_behind_minutes * 60
        try:
            backlog, jobs = await read_queues(db_engine, clock.now(), settings.jobs_stalled_seconds)
            late = behind(backlog, threshold)
        except Exception:
            answer["jobs"] = "unknown"
            return Response(answer)
        if jobs is not None:
            late |= {
                f"jobs:{q.queue}": int(q.oldest_due_seconds) for q in jobs.queues if q.oldest_due_seconds > threshold
            }
        answer["jobs"] = "behind" if late else "ok"
        if late:
            answer["jobs_behind_seconds"] = late
        if jobs is not None and not jobs.workers and any(q.waiting for q in jobs.queues):
            answer["jobs"] = "no_workers"
        return Response(answer)
