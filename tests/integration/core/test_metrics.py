"""/metrics: request latency by route template, its guard, the job queues read at scrape time, and readiness."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import Delivery
from backend.worker.context import WorkerContext
from backend.worker.jobs import Jobs
from tests.conftest import ANNA, NOW, Org, problem
from tests.support.jobs import drain
from tests.support.metrics import label_values, parse, scrape, value

pytestmark = pytest.mark.clockless

LATENCY = "http_request_duration_seconds_count"


async def test_a_request_is_counted_under_its_route_template_never_its_path(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    before = await scrape(client)
    ids = [uuid.uuid4() for _ in range(3)]
    for expense_id in ids:
        response = await client.get(f"/api/expenses/{expense_id}", headers=as_role["employee"])
        assert response.status_code == 404
    await client.get("/api/me", headers=as_role["employee"])

    after = await scrape(client)

    expense = {"method": "GET", "route": "/api/expenses/{expense_id}", "status": "4xx"}
    assert value(after, LATENCY, **expense) - value(before, LATENCY, **expense) == 3
    me = {"method": "GET", "route": "/api/me", "status": "2xx"}
    assert value(after, LATENCY, **me) - value(before, LATENCY, **me) == 1
    routes = label_values(after, LATENCY, "route")
    assert not [route for route in routes if any(str(i) in route for i in ids)]


async def test_unknown_paths_share_one_label_value_instead_of_one_each(client: AsyncTestClient[Litestar]) -> None:
    await client.get("/api/no-such-thing/warm-up")
    await client.request("BREW", "/coffee/warm-up")
    before = label_values(await scrape(client), LATENCY, "route")

    for n in range(5):
        await client.get(f"/api/no-such-thing/{uuid.uuid4()}")
        await client.post(f"/no/such/{n}")
        await client.request("BREW", f"/coffee/{n}")
    after = await scrape(client)

    assert label_values(after, LATENCY, "route") == before
    assert label_values(after, LATENCY, "method") <= {
        "GET",
        "HEAD",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "OPTIONS",
        "other",
    }


@pytest.fixture
async def guarded(settings: Settings, clock: FixedClock, demo: Org) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(dataclasses.replace(settings, metrics_token="scrape-" + "t" * 24), clock)
    async with AsyncTestClient(app=app, base_url="http://localhost") as client:
        yield client


async def test_with_a_token_set_only_a_scrape_that_sends_it_is_answered(
    guarded: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    missing = await guarded.get("/metrics")
    wrong = await guarded.get("/metrics", headers={"authorization": "Bearer scrape-wrong"})
    a_session = await guarded.get("/metrics", headers=as_role["admin"])
    english = await guarded.get("/metrics", headers={"accept-language": "en"})

    for refused in (missing, wrong, a_session):
        assert refused.status_code == 401
        assert problem(refused)["code"] == "metrics_token_required"
        assert refused.headers["www-authenticate"].startswith("Bearer")
    assert problem(english)["title"] == "Metrics token required"
    assert problem(missing)["title"] == "Token för mätvärden krävs"
    samples = await scrape(guarded, {"authorization": "Bearer scrape-" + "t" * 24})
    assert value(samples, "job_queue_read_ok") == 1


async def test_metrics_turned_off_are_not_served(settings: Settings, clock: FixedClock, demo: Org) -> None:
    app = create_app(dataclasses.replace(settings, metrics_enabled=False), clock)
    async with AsyncTestClient(app=app, base_url="http://localhost") as client:
        response = await client.get("/metrics")

    assert response.status_code == 404
    assert problem(response)["code"] == "not_found"


async def _pending_delivery(engine: AsyncEngine, demo: Org, due: timedelta) -> None:
    """A push in the outbox that became due ``due`` before the tests' now and was never sent."""
    async with session_maker(engine)() as session:
        session.add(
            Delivery(
                organisation_id=demo.id,
                account_id=demo.accounts[ANNA],
                channel="push",
                category="test",
                payload={"title": "t", "body": "b", "url": "/"},
                next_attempt_at=NOW - due,
            )
        )
        await session.commit()


async def test_readiness_says_the_jobs_are_behind_when_a_due_delivery_waited_too_long_and_stays_200(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org
) -> None:
    assert (await client.get("/health/ready")).json() == {"status": "ok", "database": "ok", "jobs": "ok"}

    await _pending_delivery(engine, demo, timedelta(minutes=14))
    recent = await client.get("/health/ready")
    await _pending_delivery(engine, demo, timedelta(minutes=20))
    stale = await client.get("/health/ready")

    assert recent.json()["jobs"] == "ok"
    assert stale.status_code == 200
    assert stale.json() == {
        "status": "ok",
        "database": "ok",
        "jobs": "behind",
        "jobs_behind_seconds": {"notifications": 20 * 60},
    }


async def test_the_queues_are_read_from_the_database_at_scrape_time(
    client: AsyncTestClient[Litestar], engine: AsyncEngine, demo: Org
) -> None:
    empty = await scrape(client)
    await _pending_delivery(engine, demo, timedelta(minutes=3))
    await _pending_delivery(engine, demo, timedelta(minutes=-30))  # held back (quiet hours): waiting, not due
    samples = await scrape(client)

    assert value(empty, "job_queue_depth", queue="notifications") == 0
    assert value(empty, "job_queue_oldest_due_age_seconds", queue="notifications") == 0
    assert value(samples, "job_queue_depth", queue="notifications") == 2
    assert value(samples, "job_queue_oldest_due_age_seconds", queue="notifications") == 180
    assert value(samples, "job_queue_depth", queue="receipts") == 0
    assert value(samples, "job_queue_read_ok") == 1


async def test_a_job_that_raises_is_counted_as_a_job_failure(
    client: AsyncTestClient[Litestar], settings: Settings, engine: AsyncEngine, clock: FixedClock
) -> None:
    """The database fails under a receipt job: the failure is counted, the job is recorded as failed."""
    jobs = Jobs(settings)
    context = WorkerContext.create(settings, engine, clock)

    def broken_sessions() -> object:
        raise RuntimeError("the database went away")

    context.sessions = broken_sessions  # type: ignore[assignment]
    before = value(await scrape(client), "job_failures_total", task="interpret_receipt")
    try:
        await jobs.open()
        for _ in range(2):
            await jobs.defer("interpret_receipt", receipt_id=str(uuid.uuid4()))
        await drain(jobs, context)
        statuses = await jobs.statuses("interpret_receipt")
    finally:
        await jobs.close()

    assert value(await scrape(client), "job_failures_total", task="interpret_receipt") - before == 2
    assert statuses == ["failed", "failed"]


async def test_the_job_system_queues_and_workers_are_scraped_and_readiness_says_when_nobody_works(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    if settings.database.is_sqlite:
        pytest.skip("SQLite keeps each process's jobs in its memory: there is no shared queue to read")
    jobs = Jobs(settings)
    try:
        for _ in range(3):
            await jobs.defer("send_notifications", slot=0)
    finally:
        await jobs.close()

    samples = await scrape(client)
    ready = (await client.get("/health/ready")).json()

    assert value(samples, "job_system_jobs", queue="notifications", state="todo") == 3
    assert value(samples, "job_system_jobs", queue="notifications", state="doing") == 0
    assert value(samples, "job_system_workers") == 0
    assert ready["jobs"] == "no_workers"


def test_the_parser_reads_what_the_client_writes() -> None:
    """The helper the other tests lean on finds labelled samples and reports missing ones as 0."""
    samples = parse('x_total{a="1"} 3.0\n')
    assert value(samples, "x_total", a="1") == 3
    assert value(samples, "x_total", a="2") == 0
