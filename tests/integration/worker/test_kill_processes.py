"""kill -9 of a job worker and an API process mid-work: after restarts, everything is done once in effect.

Two API processes (``selfservice run``) and two job workers (``selfservice worker``) share one
PostgreSQL schema. While receipts are uploaded through both APIs and a reminder round pushes to
a slow push service, the worker that is sending and one API process are killed with SIGKILL
(with a month export being closed on that API), then started again. When the queues are drained:
every upload made one receipt and one expense, every receipt was read and filled its expense once,
every reminder is one notice with one sent delivery, the export made one batch, and the job
system holds no waiting, running or failed job.

A push the killed worker had sent but not yet recorded is sent again by its resumed job (the push
service cannot tell it was the same message): those are identified at the kill and are the only
duplicates allowed.

The worker processes read the real clock, so the round's organisation has its cut-off today.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.config import DatabaseSettings, Settings
from backend.core.clock import STOCKHOLM
from backend.db.models import (
    AuditEvent,
    Delivery,
    Expense,
    ExportBatch,
    Notice,
    PayPeriodState,
    Receipt,
)
from backend.demo.seed import DEMO_PASSWORD
from backend.domain.calendar import latest_closable
from backend.worker.jobs import Jobs
from tests.conftest import ANNA, LENA, Org
from tests.support.fake_push_service import FakePushService
from tests.support.images import receipt_image
from tests.support.live_api import REPO_ROOT, start_server, stop_server
from tests.support.ports import free_port
from tests.support.reminder_round import seed_round

# Nothing here reads the tests' clock: the data is laid out around the real date the processes read.
pytestmark = [pytest.mark.slow, pytest.mark.clockless]

SELFSERVICE = str(Path(sys.executable).with_name("selfservice"))
PORTS = range(8750, 8800)
MANAGERS = 250
"""Reminders in the round: one notice, one device and one push each."""
RECEIPTS = 200
BURST = 6
"""Uploads sent to the API process just before it is killed."""
STALLED_SECONDS = 3
PUSH_ANSWER_SECONDS = 0.4
"""The push service answers this late, so the round is still sending when the kill comes."""
KILL_AFTER_PUSHES = 40
ROUND_AFTER_READ = 4
"""Receipts read before the round starts: both workers' readers are warm, the kill lands mid-reading."""
DRAIN_SECONDS = 300
PERIODIC = {
    "find_receipts",
    "find_closes",
    "dispatch_notifications",
    "recover",
    "cutoff_reminders",
    "attest_nudges",
    "prune",
}


@dataclass
class Proc:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    url: str | None = None
    starts: int = 0

    def start(self) -> None:
        self.starts += 1
        self.process = start_server(self.command, self.env, self.log.with_suffix(f".{self.starts}.log"))

    def kill(self) -> None:
        """SIGKILL to the whole session: the server and the processes it started (OCR readers, Granian's)."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            stop_server(self.process)


@dataclass
class Timeline:
    started: float = field(default_factory=time.monotonic)
    marks: list[tuple[str, float]] = field(default_factory=list)

    def mark(self, what: str) -> None:
        self.marks.append((what, time.monotonic() - self.started))

    def __str__(self) -> str:
        return ", ".join(f"{what} {at:.1f} s" for what, at in self.marks)


@pytest.fixture
def postgresql(database: DatabaseSettings) -> DatabaseSettings:
    if not database.schema:
        pytest.skip("PostgreSQL only: on SQLite the jobs run in memory inside the one API process")
    return database


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_SCHEMA", "REDIS_URL")}
    return env | {
        "APP_ENV": "test",
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.database.url,
        "DATABASE_SCHEMA": settings.database.schema or "",
        "DATABASE_POOL_SIZE": "3",
        "SECRET_KEY": "kill-test-" + "x" * 32,  # one key for all: a sign-in works on every API process
        "RUN_WORKER_IN_APP": "false",
        "WEB_CONCURRENCY": "1",
        "OCR_PROCESSES": "1",
        "JOBS_STALLED_SECONDS": str(STALLED_SECONDS),
        "JOBS_SHUTDOWN_SECONDS": "5",
        "PUSH_TIMEOUT_SECONDS": "30",
        "METRICS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "LOG_REQUESTS": "false",
        "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "PYTHONPATH": str(REPO_ROOT),
        **extra,
    }


def _api(settings: Settings, name: str, port: int) -> Proc:
    env = _env(settings, HOST="127.0.0.1", PORT=str(port))
    proc = Proc(name, [SELFSERVICE, "run"], env, settings.data_dir / f"{name}.log")
    proc.url = f"http://127.0.0.1:{port}"
    return proc


def _worker(settings: Settings, name: str) -> Proc:
    return Proc(name, [SELFSERVICE, "worker"], _env(settings), settings.data_dir / f"{name}.log")


@contextlib.contextmanager
def running(procs: list[Proc]) -> Iterator[None]:
    try:
        yield
    finally:
        for proc in procs:
            proc.stop()


async def _ready(proc: Proc, seconds: float = 60) -> None:
    assert proc.process is not None
    assert proc.url is not None
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if proc.process.poll() is not None:
                pytest.fail(f"{proc.name} exited with {proc.process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{proc.url}/health/ready")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    pytest.fail(f"{proc.name} was not ready within {seconds} s (its log: {proc.log.parent})")


async def registered(engine: AsyncEngine) -> set[int]:
    """The job system's workers on record (each ``selfservice worker`` runs two: receipts, the rest)."""
    async with engine.connect() as connection:
        return set((await connection.execute(text("SELECT id FROM procrastinate_workers"))).scalars())


async def sender(engine: AsyncEngine) -> int | None:
    """The job-system worker running the sending job, once it has pushed part of the round."""
    async with engine.connect() as connection:
        found = await connection.execute(
            text("SELECT worker_id FROM procrastinate_jobs WHERE task_name = 'send_notifications' AND status = 'doing'")
        )
        return found.scalar_one_or_none()


async def scalar(engine: AsyncEngine, statement: Any) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(statement)).scalar_one()


async def job_states(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status"))
        return {str(status): int(n) for status, n in rows.tuples()}


class Uploads:
    """RECEIPTS uploads with their own Idempotency-Keys, alternating between the APIs.

    An upload the kill interrupts is sent again, to the other API, with the same key.
    """

    def __init__(self, apis: list[Proc], token: str) -> None:
        self.apis = apis
        self.headers = {"authorization": f"Bearer {token}"}
        self.queue: asyncio.Queue[tuple[int, str, bytes]] = asyncio.Queue()
        self.answers: dict[str, dict[str, Any]] = {}
        self.interrupted: Counter[str] = Counter()
        """Transport errors by kind: refused while the API was down, or cut off mid-request."""
        self.paced = True

    async def upload(self, client: httpx.AsyncClient, index: int, key: str, content: bytes, api: int) -> None:
        for attempt in range(40):
            target = self.apis[(api + attempt) % len(self.apis)]
            try:
                response = await client.post(
                    f"{target.url}/api/receipts",
                    files={"file": ("kvitto.jpg", content, "image/jpeg")},
                    headers={**self.headers, "idempotency-key": key},
                )
            except httpx.TransportError as exc:
                self.interrupted[type(exc).__name__] += 1
                await asyncio.sleep(0.3)
                continue
            assert response.status_code == 201, response.text
            self.answers[key] = response.json()
            return
        pytest.fail(f"upload {index} never went through")

    async def lane(self, client: httpx.AsyncClient) -> None:
        while True:
            try:
                index, key, content = self.queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await self.upload(client, index, key, content, index % len(self.apis))
            if self.paced:
                await asyncio.sleep(0.25)


async def wait_until(what: str, seconds: float, check: Any, state: Any = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.25)
    pytest.fail(f"{what} within {seconds} s" + (f": {await state()}" if state else ""))


async def backlog(engine: AsyncEngine) -> str:
    """What is left: receipts by state, unsent deliveries by holder, the job system's jobs."""
    async with engine.connect() as connection:
        receipts = await connection.execute(
            text("SELECT state, attempts, count(*) FROM receipt GROUP BY state, attempts ORDER BY 1, 2")
        )
        deliveries = await connection.execute(
            text("SELECT locked_by, count(*) FROM delivery WHERE state = 'pending' GROUP BY locked_by")
        )
        jobs = await connection.execute(
            text(
                "SELECT id, task_name, status::text, attempts, lock, scheduled_at, worker_id FROM procrastinate_jobs "
                "WHERE status <> 'succeeded' ORDER BY id LIMIT 30"
            )
        )
        workers = await connection.execute(text("SELECT id, now() - last_heartbeat FROM procrastinate_workers"))
        return (
            f"receipts {receipts.all()}; pending deliveries {deliveries.all()}; jobs {jobs.all()}; "
            f"workers {workers.all()}"
        )


@contextlib.asynccontextmanager
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=60) as client:
        yield client


async def test_killing_a_worker_and_an_api_process_mid_work_loses_nothing_and_does_nothing_twice(
    postgresql: DatabaseSettings, settings: Settings, engine: AsyncEngine, demo: Org
) -> None:
    timeline = Timeline()
    today = datetime.now(STOCKHOLM).date()
    period = str(latest_closable(today, 8))  # Demo AB's cut-off is the 8th: last month's (or the one before) is due
    ports = iter(PORTS)
    api_ports = [free_port(ports, or_any=True), free_port(ports, or_any=True)]
    apis = [_api(settings, "api-a", api_ports[0]), _api(settings, "api-b", api_ports[1])]
    workers = [_worker(settings, "worker-1"), _worker(settings, "worker-2")]
    images = await asyncio.to_thread(
        lambda: [
            (n, f"kill-{uuid.uuid4().hex}", receipt_image(seed_text=f"#{n}", size=(600, 700))) for n in range(RECEIPTS)
        ]
    )

    with FakePushService(respond_after=PUSH_ANSWER_SECONDS) as push_service, running([*apis, *workers]):
        # One worker after the other, so the job system's worker ids tell whose job is whose.
        owned: dict[str, set[int]] = {}
        for proc in [*apis, workers[0]]:
            proc.start()
        for worker in workers:
            if worker.process is None:
                worker.start()
            before = set().union(*owned.values())
            await wait_until(f"{worker.name} did not start", 60, partial(_at_least_set, engine, before, 2))
            owned[worker.name] = await registered(engine) - before
        await asyncio.gather(*(_ready(api) for api in apis))
        timeline.mark("APIs ready")

        async with http() as client:
            signed_in = await client.post(
                f"{apis[0].url}/api/auth/login", json={"email": ANNA, "password": DEMO_PASSWORD}
            )
            assert signed_in.status_code == 200, signed_in.text
            payroll = await client.post(
                f"{apis[0].url}/api/auth/login", json={"email": LENA, "password": DEMO_PASSWORD}
            )
            assert payroll.status_code == 200, payroll.text
            lena = {"authorization": f"Bearer {payroll.json()['token']}"}
            client.cookies.clear()

            uploads = Uploads(apis, signed_in.json()["token"])
            for item in images:
                uploads.queue.put_nowait(item)
            lanes = [asyncio.ensure_future(uploads.lane(client)) for _ in range(2)]

            async def read() -> int:
                return int(await scalar(engine, select(func.count()).where(col(Receipt.state) == "done")))

            await wait_until("receipts were not being read", 120, partial(_at_least, read, ROUND_AFTER_READ))
            timeline.mark(f"{ROUND_AFTER_READ} receipts read")
            subscriptions = [push_service.new_subscription() for _ in range(MANAGERS)]
            # Cut-off today, quiet hours off: the round pushes to every manager whatever the hour. Written
            # only now, so that the hourly round (at reminder hours) cannot have sent it before.
            seeded = await seed_round(
                engine,
                [sub.to_json() for sub in subscriptions],
                datetime.now(UTC),
                cutoff_day=today.day,
                quiet_hours=False,
            )
            round_org = seeded.organisation_id
            devices = {device: endpoint.rsplit("/", 1)[1] for device, endpoint in seeded.devices.items()}
            jobs = Jobs(settings)
            await jobs.open()
            try:
                await jobs.defer(
                    "cutoff_reminders_for",
                    queueing_lock=f"cutoff_reminders:{round_org}",
                    organisation_id=str(round_org),
                )
            finally:
                await jobs.close()
            sending: list[int | None] = [None]

            async def pushing() -> bool:
                sending[0] = await sender(engine)
                return sending[0] is not None and int(push_service.stats()["delivered"]) >= KILL_AFTER_PUSHES

            await wait_until("the round was not being pushed", 60, pushing)
            timeline.mark(f"{KILL_AFTER_PUSHES} pushes")

            # The kill: the worker that is sending, and API A with a burst of uploads and the export in flight.
            [victim] = [w for w in workers if sending[0] in owned[w.name]]
            burst = []
            for _ in range(BURST):
                with contextlib.suppress(asyncio.QueueEmpty):
                    index, key, content = uploads.queue.get_nowait()
                    burst.append(asyncio.ensure_future(uploads.upload(client, index, key, content, 0)))
            export = asyncio.ensure_future(
                client.post(f"{apis[0].url}/api/payroll/periods/{period}/close", headers=lena)
            )
            await asyncio.sleep(0.05)
            victim.kill()
            apis[0].kill()
            timeline.mark(f"SIGKILL {victim.name} and api-a")
            await asyncio.sleep(0.3)  # requests the push service had read when the sender died are recorded
            received_at_kill = {sub: len(push_service.received(sub)) for sub in devices.values()}
            async with engine.connect() as connection:
                pending = await connection.execute(
                    select(Delivery.device_id, Delivery.locked_by).where(
                        col(Delivery.organisation_id) == round_org, col(Delivery.state) == "pending"
                    )
                )
                held_at_kill = {device: owner for device, owner in pending.tuples()}
                reading = await connection.execute(select(Receipt.id).where(col(Receipt.state) == "interpreting"))
                reading_at_kill = set(reading.scalars())
            assert held_at_kill, "the kill came after the round was sent"
            in_flight = {devices[d] for d in held_at_kill if d is not None and received_at_kill[devices[d]]}

            for proc in (victim, apis[0]):
                proc.start()
            await _ready(apis[0])
            timeline.mark("restarted")
            uploads.paced = False
            try:
                first_close: httpx.Response | None = await export
            except httpx.TransportError:
                first_close = None
            await asyncio.gather(*burst, *lanes)
            timeline.mark("all uploaded")

            # The export: asked for by the killed request or by the retry, made once by a job, its files whole.
            state = await client.get(f"{apis[0].url}/api/payroll/periods/{period}", headers=lena)
            assert state.status_code == 200, state.text
            if state.json()["state"] == "open":
                retried = await client.post(f"{apis[0].url}/api/payroll/periods/{period}/close", headers=lena)
                assert retried.status_code == 202, retried.text

            async def period_closed() -> bool:
                found = await client.get(f"{apis[0].url}/api/payroll/periods/{period}", headers=lena)
                return bool(found.json()["state"] == "closed")

            await wait_until("the close job did not close the period", 120, period_closed)
            timeline.mark("period closed")
            [batch] = (await client.get(f"{apis[0].url}/api/payroll/periods/{period}", headers=lena)).json()["batches"]
            for kind in ("paxml", "sie"):
                file = await client.get(f"{apis[0].url}/api/payroll/export-batches/{batch['id']}/{kind}", headers=lena)
                assert file.status_code == 200, file.text
                assert hashlib.sha256(file.content).hexdigest() == batch[f"{kind}_sha256"]

            async def drained() -> bool:
                async with engine.connect() as connection:
                    waiting = (
                        await connection.execute(
                            select(func.count()).where(col(Receipt.state).in_(["queued", "interpreting"]))
                        )
                    ).scalar_one()
                    unsent = (
                        await connection.execute(select(func.count()).where(col(Delivery.state) == "pending"))
                    ).scalar_one()
                jobs = await job_states(engine)
                return waiting == 0 and unsent == 0 and not jobs.get("todo") and not jobs.get("doing")

            await wait_until("the work was not drained", DRAIN_SECONDS, drained, lambda: backlog(engine))
            timeline.mark("drained")
        for proc in [*workers, *apis]:
            proc.stop()  # gracefully: a job still running would be given back and show below
        timeline.mark("stopped")

    print(f"\n{timeline}")
    # Uploads: one receipt and one expense per Idempotency-Key, every one read and filled once.
    assert len(uploads.answers) == RECEIPTS
    receipt_ids = {answer["id"] for answer in uploads.answers.values()}
    assert len(receipt_ids) == RECEIPTS
    async with engine.connect() as connection:
        receipts = (
            await connection.execute(select(Receipt.id, Receipt.state, Receipt.attempts, Receipt.error_code))
        ).all()
        expenses = (await connection.execute(select(Expense.id, col(Expense.receipt_id), col(Expense.amount)))).all()
        filled = Counter(
            (
                await connection.execute(
                    select(AuditEvent.entity_id).where(col(AuditEvent.action) == "filled_from_receipt")
                )
            ).scalars()
        )
        notices = (
            await connection.execute(
                select(Notice.account_id, Notice.dedupe_key).where(col(Notice.organisation_id) == round_org)
            )
        ).all()
        sent = (
            await connection.execute(
                select(Delivery.device_id, Delivery.state, Delivery.attempts).where(
                    col(Delivery.organisation_id) == round_org
                )
            )
        ).all()
        batches = (
            await connection.execute(select(ExportBatch.id).where(col(ExportBatch.organisation_id) == demo.id))
        ).all()
        closed = (
            (
                await connection.execute(
                    select(PayPeriodState.state).where(
                        col(PayPeriodState.organisation_id) == demo.id, col(PayPeriodState.period) == period
                    )
                )
            )
            .scalars()
            .all()
        )
        batch_audits = (
            await connection.execute(
                select(func.count()).where(
                    col(AuditEvent.entity_type) == "export_batch", col(AuditEvent.organisation_id) == demo.id
                )
            )
        ).scalar_one()
    async with engine.connect() as connection:
        jobs_left = (await connection.execute(text("SELECT task_name, status::text FROM procrastinate_jobs"))).all()

    counts = {sub: len(push_service.delivered(sub)) for sub in devices.values()}
    twice = {sub for sub, n in counts.items() if n > 1}
    print(
        f"killed {victim.name} holding {len(held_at_kill)} pending deliveries, {len(in_flight)} of them already pushed; "
        f"pushed twice: {len(twice)}; receipts being read at the kill: {len(reading_at_kill)}; "
        f"upload errors: {dict(uploads.interrupted)}; export answered before the kill: "
        f"{first_close.status_code if first_close is not None else 'no'}; "
        f"receipt attempts: {dict(Counter(r.attempts for r in receipts))}"
    )

    assert {r.id for r in receipts} == {uuid.UUID(i) for i in receipt_ids}
    assert {(r.state, r.error_code) for r in receipts} == {("done", None)}, Counter(
        (r.state, r.error_code) for r in receipts
    )
    assert len(expenses) == RECEIPTS
    assert {e.receipt_id for e in expenses} == {r.id for r in receipts}
    assert all(e.amount is not None for e in expenses)
    assert {e.id for e in expenses} == set(filled), "every expense filled from its receipt"
    assert set(filled.values()) == {1}, "and filled once"

    # The round: one notice per manager, one delivery sent per device, each push received once
    # but those the killed worker had sent without recording (its resumed job sent them again).
    assert len(notices) == MANAGERS
    assert len(set(notices)) == MANAGERS
    assert sorted((d.state, d.attempts) for d in sent) == [("sent", 1)] * MANAGERS
    assert push_service.rejections == []
    assert min(counts.values()) == 1, "every device got its reminder"
    assert max(counts.values()) <= 2
    assert twice <= in_flight, "pushed twice only what was in flight at the kill"

    # The export: one batch for the period, the period closed, one audit event, no partial rows.
    assert len(batches) == 1
    assert list(closed) == ["closed"]
    assert batch_audits == 1

    # The job system: nothing running or failed; waiting at most a periodic job deferred as the workers stopped.
    assert all(status == "todo" and task in PERIODIC for task, status in jobs_left), jobs_left


async def _at_least(count: Any, n: int) -> bool:
    return int(await count()) >= n


async def _at_least_set(engine: AsyncEngine, before: set[int], n: int) -> bool:
    return len(await registered(engine) - before) >= n
