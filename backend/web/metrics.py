"""``/metrics`` for Prometheus: outside ``/api`` and the session auth, guarded by its own settings."""

from __future__ import annotations

import hmac
from typing import Any

import structlog
from litestar import Controller, Request, Response, get

from backend.core.deps import ClockDep, DbEngine, SettingsDep
from backend.core.i18n import Text
from backend.core.metrics import CONTENT_TYPE, exposition
from backend.core.problems import Problem, not_found
from backend.worker.backlog import Backlog, JobSystem, read_queues

log = structlog.get_logger(__name__)

WRONG_TOKEN = Problem(
    401,
    "metrics_token_required",
    Text(sv="Token för mätvärden krävs", en="Metrics token required"),
    Text(
        sv="Skicka `Authorization: Bearer <METRICS_TOKEN>` för att läsa mätvärdena.",
        en="Send `Authorization: Bearer <METRICS_TOKEN>` to read the metrics.",
    ),
    headers={"www-authenticate": 'Bearer realm="metrics"'},
)
TURNED_OFF = not_found(
    Text(sv="Mätvärden är avstängda (METRICS_ENABLED).", en="Metrics are turned off (METRICS_ENABLED).")
)


class MetricsController(Controller):
    path = "/metrics"
    include_in_schema = False

    @get("/", exclude_from_auth=True, security=[], cache=False)
    async def scrape(
        self, request: Request[Any, Any, Any], settings: SettingsDep, db_engine: DbEngine, clock: ClockDep
    ) -> Response[bytes]:
        """Every process's counts and the job queues, in Prometheus' text format."""
        if not settings.metrics_enabled:
            raise TURNED_OFF
        if settings.metrics_token is not None and not _bearer_matches(request, settings.metrics_token):
            raise WRONG_TOKEN
        backlog: list[Backlog] | None
        jobs: JobSystem | None = None
        try:
            backlog, jobs = await read_queues(db_engine, clock.now(), settings.jobs_stalled_seconds)
        except Exception as exc:  # the other metrics are still worth a scrape; job_queue_read_ok says 0
            log.warning("metrics_backlog_unread", error=type(exc).__name__)
            backlog = None
        return Response(exposition(backlog, jobs=jobs), media_type=CONTENT_TYPE)


def _bearer_matches(request: Request[Any, Any, Any], token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
