"""Notifications go out through the job system: sending jobs, and deliveries of jobs that ended let go."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.notices.delivery import claim, release_abandoned
from backend.worker.context import WorkerContext
from backend.worker.jobs import Jobs
from tests.integration.notices.conftest import Outbox, Subscribe
from tests.integration.notices.helpers import deliveries
from tests.support.fake_push_service import FakePushService
from tests.support.jobs import drain

pytestmark = pytest.mark.clockless


async def test_the_dispatcher_starts_sending_jobs_and_every_message_goes_out_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    outbox_of_tests: Outbox,
    worker: WorkerContext,
    engine: AsyncEngine,
) -> None:
    phones = await outbox_of_tests(as_role["employee"])  # 24 deliveries
    jobs = Jobs(worker.settings)
    try:
        await jobs.defer("dispatch_notifications", queueing_lock="dispatch_notifications")  # (the API may have)
        assert not await jobs.defer("dispatch_notifications", queueing_lock="dispatch_notifications")  # one waits
        await drain(jobs, worker, concurrency=2)
        failed = await jobs.statuses("send_notifications")
    finally:
        await jobs.close()

    assert failed == []  # succeeded jobs are deleted as they finish
    assert [len(push_service.delivered(phone.id)) for phone in phones] == [6, 6, 6, 6]
    assert {(d.state, d.attempts, d.locked_by) for d in await deliveries(engine)} == {("sent", 1, None)}


async def test_deliveries_held_by_a_job_that_ended_are_let_go_and_sent_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    worker: WorkerContext,
    engine: AsyncEngine,
) -> None:
    anna = as_role["employee"]
    phone = await subscribe(anna)
    await client.post("/api/notifications/test", headers=anna)
    jobs = Jobs(worker.settings)
    try:
        await jobs.open()
        ended = jobs.owner(987_654)  # no such job: it failed and was pruned, or its process is gone
        async with worker.sessions() as session:
            assert len(await claim(session, ended, 10, worker.clock.now())) == 1
        await drain(jobs, worker)  # nothing is due for a new job: the delivery is held
        assert push_service.delivered(phone.id) == []

        await jobs.defer("recover")
        await jobs.defer("dispatch_notifications")
        await drain(jobs, worker)
    finally:
        await jobs.close()

    assert len(push_service.delivered(phone.id)) == 1
    [sent] = await deliveries(engine)
    assert (sent.state, sent.locked_by) == ("sent", None)


async def test_deliveries_of_a_job_still_waiting_or_running_are_not_let_go(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    worker: WorkerContext,
    engine: AsyncEngine,
) -> None:
    anna = as_role["employee"]
    await subscribe(anna)
    await client.post("/api/notifications/test", headers=anna)
    jobs = Jobs(worker.settings)
    try:
        await jobs.open()
        await jobs.defer("send_notifications", queueing_lock="send:0", slot=0)
        [waiting] = await jobs.app.job_manager.list_jobs_async(task="send_notifications")
        assert waiting.id is not None
        async with worker.sessions() as session:
            await claim(session, jobs.owner(waiting.id), 10, worker.clock.now())

        assert await release_abandoned(worker, jobs.abandoned) == 0
    finally:
        await jobs.close()

    [held] = await deliveries(engine)
    assert (held.state, held.locked_by) == ("pending", jobs.owner(waiting.id))
