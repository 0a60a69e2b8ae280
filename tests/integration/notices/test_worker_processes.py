"""Several workers share the outbox: each message goes out once, and a worker killed mid-delivery is resumed.

On PostgreSQL the job system runs the dead worker's job again (no heartbeat); on SQLite the new worker
lets go of what the dead process held.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.notices.delivery import send_due
from backend.worker.context import WorkerContext
from tests.integration.notices.conftest import Outbox, Subscribe
from tests.integration.notices.helpers import deliveries
from tests.support.fake_push_service import FakePushService, Hang

SELFSERVICE = Path(sys.executable).parent / "selfservice"
STALLED_SECONDS = 3


def start_worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.database.url,
        "DATABASE_SCHEMA": settings.database.schema or "",
        "SECRET_KEY": "worker-test-" + "x" * 32,
        "PUSH_TIMEOUT_SECONDS": "60",
        "JOBS_STALLED_SECONDS": str(STALLED_SECONDS),
        "LOG_LEVEL": "WARNING",
    }
    with log.open("ab") as out:
        return subprocess.Popen([str(SELFSERVICE), "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)


async def wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.2)
    pytest.fail(f"{what} within {seconds} s")


async def test_three_workers_draining_the_outbox_at_once_send_every_message_exactly_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    outbox_of_tests: Outbox,
    worker: WorkerContext,
    engine: AsyncEngine,
) -> None:
    phones = await outbox_of_tests(as_role["employee"])  # 24 deliveries
    workers = [
        WorkerContext(
            settings=worker.settings,
            sessions=session_maker(engine),
            clock=worker.clock,
            storage=worker.storage,
            name=f"worker-{n}",
            tools=worker.tools,
        )
        for n in range(3)
    ]

    async def drain(ctx: WorkerContext) -> int:
        handled = 0
        while claimed := await send_due(ctx, limit=2):  # small batches, so the workers interleave
            handled += claimed
        return handled

    handled = await asyncio.gather(*(drain(ctx) for ctx in workers))

    assert sum(handled) == 24
    assert all(handled), f"every worker took a share: {handled}"
    assert [len(push_service.delivered(phone.id)) for phone in phones] == [6, 6, 6, 6]
    assert {(d.state, d.attempts) for d in await deliveries(engine)} == {("sent", 1)}


@pytest.mark.slow
async def test_a_worker_killed_while_the_push_service_hangs_is_resumed_and_delivers_exactly_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    push_service: FakePushService,
    subscribe: Subscribe,
    settings: Settings,
    engine: AsyncEngine,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    anna = as_role["employee"]
    phone = await subscribe(anna, script=[Hang()])
    clock.set(datetime.now(UTC))  # the worker processes read the real clock
    log = tmp_path / "workers.log"
    first = start_worker(settings, log)
    second: subprocess.Popen[bytes] | None = None
    try:
        await client.post("/api/notifications/test", headers=anna)
        await wait_for(lambda: push_service.stats()["requests"] >= 1, 60, "the first worker did not send")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        [in_flight] = await deliveries(engine)

        second = start_worker(settings, log)
        await wait_for(lambda: push_service.delivered(phone.id), 60, "the second worker did not deliver")
        await asyncio.sleep(STALLED_SECONDS * 4)  # time enough for a duplicate, were there one
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)

    assert in_flight.state == "pending"
    assert in_flight.locked_by is not None, "held by the killed worker's job"
    assert len(push_service.delivered(phone.id)) == 1
    assert push_service.stats()["requests"] == 2
    [done] = await deliveries(engine)
    assert (done.state, done.attempts) == ("sent", 1)
