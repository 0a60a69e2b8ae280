"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from litestar import Controller, Response, get
from sqlalchemy import text

from backend.core.deps import DbEngine


class HealthController(Controller):
    path = "/health"
    tags = ["Health"]
    include_in_schema = True

    @get("/live", exclude_from_auth=True, security=[])
    async def live(self) -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @get("/ready", exclude_from_auth=True, security=[])
    async def ready(self, db_engine: DbEngine) -> Response[dict[str, str]]:
        """The process can serve: the database answers."""
        try:
            async with db_engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            return Response(
                {"status": "unavailable", "database": type(exc).__name__},
                status_code=503,
                media_type="application/problem+json",
            )
        return Response({"status": "ok", "database": "ok"})
