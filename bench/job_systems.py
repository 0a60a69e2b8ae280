"""Three PostgreSQL job systems measured side by side: why the project runs procrastinate.

procrastinate 3.10.0 (the project's choice, ``backend/worker/jobs.py``), pgqueuer (asyncpg) and
saq's PostgreSQL queue (psycopg), each in its own fresh schema of the local PostgreSQL
(dropped afterwards), with the same task: record a start (when asked), sleep, upsert a row
keyed by the job's number with a run counter, so lost and doubled jobs show.

pgqueuer and saq are not project dependencies, so this runs in a throwaway venv:

    python3.11 -m venv /tmp/jobbench/venv
    /tmp/jobbench/venv/bin/pip install procrastinate==3.10.0 'psycopg[pool]' \\
        'pgqueuer[asyncpg]==1.6.0' 'saq[postgres]==0.26.4'
    nice -n 19 /tmp/jobbench/venv/bin/python bench/job_systems.py [--systems procrastinate,pgqueuer,saq]
        [--jobs 10000] [--periodic-seconds 70] [--out bench/results/job_systems]

Per system: (1) enqueue throughput, ``--jobs`` jobs in batches of 1,000 with the system's batch
API (saq has none: 1,000 concurrent ``enqueue`` calls on its pool); (2) drain throughput, the
same jobs run by 2 worker processes with concurrency 4 each, started together after the
enqueue; (3) latency from defer to task start with idle workers (LISTEN/NOTIFY in all three),
100 jobs one after the other; (4) a worker SIGKILLed while it runs 2 s jobs, and how long until
each of its jobs started again on the other worker, with each system's recovery (a job is
dead after 10 s without a heartbeat; checked every 5 s): procrastinate heartbeats and a
periodic ``get_stalled_jobs``/``retry_job`` task (as ``recover`` in ``backend/worker/tasks.py``),
pgqueuer's ``heartbeat_timeout`` (stale jobs are picked again by ``dequeue``), saq's job
``heartbeat`` and the sweep timer; (5) a periodic task every 10 seconds (6-field croniter
expression) with 2 workers for ``--periodic-seconds``, counting runs per tick; (6) PostgreSQL
connections per worker process from ``pg_stat_activity`` by ``application_name``, during the
drain and idle. The task's own recording connections are a separate pool, not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg_pool import AsyncConnectionPool

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PROCRASTINATE_SQL = ROOT / "backend" / "db" / "migrations" / "procrastinate_3.10.0.sql"
QUEUE = "jobbench"
BATCH = 1000
STALL_SECONDS = 10
CHECK_SECONDS = 5
TICK_SECONDS = 10
TICK_CRON = f"* * * * * */{TICK_SECONDS}"
SYSTEMS = ("procrastinate", "pgqueuer", "saq")
LATENCY_BASE, KILL_BASE = 1_000_000, 2_000_000

os.environ.setdefault("PGQUEUER_CHANNEL", f"jobbench_{uuid.uuid4().hex[:8]}")


def url_for(schema: str, application: str) -> str:
    """A libpq URL whose sessions live in ``schema`` and name themselves ``application``."""
    options = quote(f"-c search_path={schema}")
    return f"{POSTGRES}?application_name={application}&options={options}"


# ---------------------------------------------------------------- the task, the same everywhere


class Recorder:
    """The task's writes, on their own small pool so they are not counted as the system's."""

    def __init__(self, schema: str, application: str) -> None:
        self.pool = AsyncConnectionPool(
            url_for(schema, application), min_size=1, max_size=2, open=False, kwargs={"autocommit": True}
        )

    async def open(self) -> None:
        await self.pool.open(wait=True)

    async def close(self) -> None:
        await self.pool.close()

    async def work(self, n: int, ms: int, kind: str) -> None:
        async with self.pool.connection() as conn:
            if kind != "drain":
                await conn.execute(
                    "INSERT INTO bench_starts (n, at, pid) VALUES (%s, %s, %s)", (n, time.time(), os.getpid())
                )
        await asyncio.sleep(ms / 1000)
        async with self.pool.connection() as conn:
            await conn.execute(
                "INSERT INTO bench_runs (n, runs, at, pid) VALUES (%s, 1, %s, %s) "
                "ON CONFLICT (n) DO UPDATE SET runs = bench_runs.runs + 1, at = EXCLUDED.at",
                (n, time.time(), os.getpid()),
            )

    async def tick(self) -> None:
        async with self.pool.connection() as conn:
            await conn.execute("INSERT INTO bench_ticks (at, pid) VALUES (%s, %s)", (time.time(), os.getpid()))


BENCH_TABLES = """
CREATE TABLE bench_runs (n bigint PRIMARY KEY, runs int NOT NULL, at double precision NOT NULL, pid int NOT NULL);
CREATE TABLE bench_starts (n bigint NOT NULL, at double precision NOT NULL, pid int NOT NULL);
CREATE TABLE bench_ticks (at double precision NOT NULL, pid int NOT NULL);
"""


def payloads(start: int, count: int, ms: int, kind: str) -> list[dict[str, Any]]:
    return [{"n": n, "ms": ms, "kind": kind} for n in range(start, start + count)]


# ---------------------------------------------------------------- procrastinate


def procrastinate_app(schema: str, application: str, recorder: Recorder | None, periodic: bool) -> Any:
    from procrastinate import App, PsycopgConnector

    # The project's pool: backend.config jobs_pool_size = 3.
    connector = PsycopgConnector(
        conninfo=POSTGRES,
        min_size=1,
        max_size=3,
        kwargs={"application_name": application, "options": f"-c search_path={schema}"},
    )
    app = App(connector=connector)

    @app.task(name="bench_task", queue=QUEUE)
    async def bench_task(n: int, ms: int, kind: str) -> None:
        assert recorder is not None
        await recorder.work(n, ms, kind)

    @app.periodic(cron=f"* * * * * */{CHECK_SECONDS}", periodic_id="recover")
    @app.task(name="recover", queue=QUEUE, queueing_lock="recover")
    async def recover(timestamp: int) -> None:
        manager = app.job_manager
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALL_SECONDS):
            with contextlib.suppress(Exception):
                await manager.retry_job(job)

    if periodic:

        @app.periodic(cron=TICK_CRON, periodic_id="tick")
        @app.task(name="tick", queue=QUEUE, queueing_lock="tick")
        async def tick(timestamp: int) -> None:
            assert recorder is not None
            await recorder.tick()

    return app


async def procrastinate_install(schema: str) -> None:
    async with await psycopg.AsyncConnection.connect(url_for(schema, "jobbench-setup"), autocommit=True) as conn:
        await conn.execute(PROCRASTINATE_SQL.read_text())  # type: ignore[arg-type]


class ProcrastinateClient:
    def __init__(self, schema: str) -> None:
        self.app = procrastinate_app(schema, "jobbench-client", None, periodic=False)

    async def open(self) -> None:
        await self.app.open_async()

    async def close(self) -> None:
        await self.app.close_async()

    async def enqueue(self, batch: list[dict[str, Any]]) -> None:
        await self.app.tasks["bench_task"].batch_defer_async(*batch)


async def procrastinate_worker(schema: str, application: str, recorder: Recorder, periodic: bool) -> WorkerHandle:
    app = procrastinate_app(schema, application, recorder, periodic)
    await app.open_async()

    async def run() -> None:
        await app.run_worker_async(
            queues=[QUEUE],
            concurrency=4,
            wait=True,
            install_signal_handlers=False,
            delete_jobs="successful",
            listen_notify=True,
            fetch_job_polling_interval=5.0,
            update_heartbeat_interval=STALL_SECONDS / 3,
            stalled_worker_timeout=STALL_SECONDS,
        )

    async def stop(task: asyncio.Task[None]) -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await app.close_async()

    return WorkerHandle(run, stop)


# ---------------------------------------------------------------- pgqueuer


async def pgqueuer_connect(schema: str, application: str) -> Any:
    import asyncpg  # type: ignore[import-not-found, unused-ignore]

    return await asyncpg.connect(POSTGRES, server_settings={"search_path": schema, "application_name": application})


async def pgqueuer_install(schema: str) -> None:
    from pgqueuer import AsyncpgDriver, Queries  # type: ignore[import-not-found, unused-ignore]

    conn = await pgqueuer_connect(schema, "jobbench-setup")
    try:
        await Queries(AsyncpgDriver(conn)).install()
    finally:
        await conn.close()


class PgqueuerClient:
    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.conn: Any = None
        self.queries: Any = None

    async def open(self) -> None:
        from pgqueuer import AsyncpgDriver, Queries  # type: ignore[import-not-found, unused-ignore]

        self.conn = await pgqueuer_connect(self.schema, "jobbench-client")
        self.queries = Queries(AsyncpgDriver(self.conn))

    async def close(self) -> None:
        await self.conn.close()

    async def enqueue(self, batch: list[dict[str, Any]]) -> None:
        await self.queries.enqueue(
            ["bench_task"] * len(batch), [json.dumps(p).encode() for p in batch], [0] * len(batch)
        )


async def pgqueuer_worker(schema: str, application: str, recorder: Recorder, periodic: bool) -> WorkerHandle:
    from datetime import timedelta

    from pgqueuer import AsyncpgDriver, PgQueuer  # type: ignore[import-not-found, unused-ignore]

    conn = await pgqueuer_connect(schema, application)  # the documented setup: one asyncpg connection
    pgq = PgQueuer(AsyncpgDriver(conn))

    @pgq.entrypoint("bench_task")
    async def bench_task(job: Any) -> None:
        payload = json.loads(job.payload)
        await recorder.work(payload["n"], payload["ms"], payload["kind"])

    if periodic:

        @pgq.schedule("tick", TICK_CRON)
        async def tick(schedule: Any) -> None:
            await recorder.tick()

    async def run() -> None:
        await pgq.run(
            dequeue_timeout=timedelta(seconds=CHECK_SECONDS),
            batch_size=2,
            max_concurrent_tasks=4,  # must be at least twice batch_size
            heartbeat_timeout=timedelta(seconds=STALL_SECONDS),
        )

    async def stop(task: asyncio.Task[None]) -> None:
        pgq.shutdown.set()
        try:
            await asyncio.wait_for(task, 15)
        except (TimeoutError, Exception):
            task.cancel()
        with contextlib.suppress(Exception):
            await conn.close()

    return WorkerHandle(run, stop)


# ---------------------------------------------------------------- saq

SAQ_JOB = {"retries": 2, "heartbeat": STALL_SECONDS, "timeout": 60}


def saq_queue(schema: str, application: str) -> Any:
    from saq.queue.postgres import PostgresQueue  # type: ignore[import-not-found, unused-ignore]

    # A queue name of its own: saq's NOTIFY channel is "saq:<name>", global to the database.
    return PostgresQueue(url=url_for(schema, application), name=f"{QUEUE}_{schema}")


async def saq_install(schema: str) -> None:
    queue = saq_queue(schema, "jobbench-setup")
    await queue.connect()
    await queue.disconnect()


class SaqClient:
    def __init__(self, schema: str) -> None:
        self.queue = saq_queue(schema, "jobbench-client")

    async def open(self) -> None:
        await self.queue.connect()

    async def close(self) -> None:
        await self.queue.disconnect()

    async def enqueue(self, batch: list[dict[str, Any]]) -> None:
        # No batch insert in saq's PostgreSQL queue: concurrent single inserts on its pool.
        await asyncio.gather(*(self.queue.enqueue("bench_task", **SAQ_JOB, **p) for p in batch))


async def saq_worker(schema: str, application: str, recorder: Recorder, periodic: bool) -> WorkerHandle:
    from saq import CronJob, Worker  # type: ignore[import-not-found, unused-ignore]

    queue = saq_queue(schema, application)

    async def bench_task(ctx: dict[str, Any], *, n: int, ms: int, kind: str) -> None:
        await recorder.work(n, ms, kind)

    async def tick(ctx: dict[str, Any]) -> None:
        await recorder.tick()

    cron = [CronJob(tick, cron=TICK_CRON)] if periodic else []
    worker = Worker(
        queue,
        functions=[("bench_task", bench_task)],
        concurrency=4,
        cron_jobs=cron,
        timers={"sweep": CHECK_SECONDS},
    )

    async def run() -> None:
        await queue.connect()
        await worker.start()

    async def stop(task: asyncio.Task[None]) -> None:
        await worker.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await queue.disconnect()

    return WorkerHandle(run, stop)


# ---------------------------------------------------------------- worker process


class WorkerHandle:
    def __init__(
        self, run: Callable[[], Awaitable[None]], stop: Callable[[asyncio.Task[None]], Awaitable[None]]
    ) -> None:
        self.run = run
        self.stop = stop


WORKERS = {"procrastinate": procrastinate_worker, "pgqueuer": pgqueuer_worker, "saq": saq_worker}
INSTALL = {"procrastinate": procrastinate_install, "pgqueuer": pgqueuer_install, "saq": saq_install}
CLIENTS: dict[str, Callable[[str], Any]] = {
    "procrastinate": ProcrastinateClient,
    "pgqueuer": PgqueuerClient,
    "saq": SaqClient,
}


async def worker_main(system: str, schema: str, index: int, go: Path, periodic: bool) -> None:
    """One worker process: set up, say ready, wait for the go line on stdin, run until SIGTERM."""
    recorder = Recorder(schema, f"jobbench-task-{system}-w{index}")
    await recorder.open()
    handle = await WORKERS[system](schema, f"jobbench-{system}-w{index}", recorder, periodic)
    await asyncio.to_thread(Path(f"{go}.ready{index}").touch)
    await asyncio.to_thread(sys.stdin.readline)  # the go signal: all workers start together
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(handle.run())
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    waiter = asyncio.create_task(stopping.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done() and not stopping.is_set():
        task.result()  # a worker that stopped by itself: show why
    await handle.stop(task)
    await recorder.close()


# ---------------------------------------------------------------- orchestration


class Run:
    """One system's run: its schema, its worker processes, a connection to read results."""

    def __init__(self, system: str, workdir: Path) -> None:
        self.system = system
        self.schema = f"jobbench_{system}_{uuid.uuid4().hex[:8]}"
        self.workdir = workdir
        self.db = psycopg.connect(url_for(self.schema, "jobbench-main"), autocommit=True)
        self.workers: list[subprocess.Popen[bytes]] = []
        self.round = 0

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(query, params).fetchall()  # type: ignore[arg-type]

    def one(self, query: str, params: tuple[Any, ...] = ()) -> Any:
        return self.sql(query, params)[0][0]

    def start_workers(self, count: int, periodic: bool = False) -> float:
        """Start ``count`` worker processes, wait until all are set up, then let them go together."""
        self.round += 1
        go = self.workdir / f"{self.system}-go{self.round}"
        first = len(self.workers)
        for index in range(first, first + count):
            log = open(self.workdir / f"{self.system}-w{index}.log", "w")  # noqa: SIM115
            command = [sys.executable, __file__, "worker", self.system, self.schema, str(index), str(go)]
            self.workers.append(
                subprocess.Popen(
                    [*command, *(["--periodic"] if periodic else [])], stdin=subprocess.PIPE, stdout=log, stderr=log
                )
            )
        deadline = time.time() + 60
        while not all(Path(f"{go}.ready{i}").exists() for i in range(first, first + count)):
            if time.time() > deadline or any(w.poll() is not None for w in self.workers[first:]):
                raise RuntimeError(f"{self.system} workers did not start: see {self.workdir}")
            time.sleep(0.01)
        for worker in self.workers[first:]:
            assert worker.stdin is not None
            worker.stdin.write(b"go\n")
            worker.stdin.flush()
        return time.time()

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.workers.clear()

    def connections(self) -> dict[str, int]:
        rows = self.sql(
            "SELECT application_name, count(*) FROM pg_stat_activity "
            "WHERE application_name LIKE %s GROUP BY 1 ORDER BY 1",
            (f"jobbench-{self.system}-w%",),
        )
        return {str(name): int(count) for name, count in rows}

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time so far of the worker processes and of their PostgreSQL backends (task writes apart)."""
        backends = [
            int(pid)
            for (pid,) in self.sql(
                "SELECT pid FROM pg_stat_activity WHERE application_name LIKE %s", (f"jobbench-{self.system}-w%",)
            )
        ]
        return {
            "workers": sum(process_cpu(w.pid) for w in self.workers if w.poll() is None),
            "backends": sum(process_cpu(pid) for pid in backends),
        }

    def drop(self) -> None:
        self.stop_workers()
        self.db.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
        self.db.close()


async def enqueue_all(client: Any, jobs: list[dict[str, Any]]) -> float:
    started = time.perf_counter()
    for i in range(0, len(jobs), BATCH):
        await client.enqueue(jobs[i : i + BATCH])
    return time.perf_counter() - started


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process on this machine (0 when it is gone or not ours to read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(check: Callable[[], bool], seconds: float, every: float = 0.05) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


def measure(system: str, count: int, periodic_seconds: float, workdir: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"system": system, "load_before": [round(x, 2) for x in os.getloadavg()]}
    run = Run(system, workdir)
    loop = asyncio.new_event_loop()
    try:
        run.db.execute(f'CREATE SCHEMA "{run.schema}"')
        run.db.execute(BENCH_TABLES)
        loop.run_until_complete(INSTALL[system](run.schema))
        client = CLIENTS[system](run.schema)
        loop.run_until_complete(client.open())

        # 1. enqueue
        seconds = loop.run_until_complete(enqueue_all(client, payloads(0, count, 1, "drain")))
        result["enqueue"] = {"jobs": count, "seconds": round(seconds, 3), "jobs_per_s": round(count / seconds)}
        print(f"{system}: enqueue {count / seconds:,.0f} jobs/s", flush=True)

        # 2. drain with 2 processes x 4, and 6. connections while busy
        go = run.start_workers(2)
        cpu_before = run.cpu_seconds()
        busy: dict[str, int] = {}

        def drained() -> bool:
            for name, n in run.connections().items():
                busy[name] = max(busy.get(name, 0), n)
            return int(run.one("SELECT count(*) FROM bench_runs")) >= count

        finished = wait_for(drained, 600, every=0.25)
        cpu_after = run.cpu_seconds()
        last = float(run.one("SELECT max(at) FROM bench_runs") or go)
        done, extra = run.sql("SELECT count(*), coalesce(sum(runs - 1), 0) FROM bench_runs WHERE n < %s", (count,))[0]
        result["drain"] = {
            "jobs": count,
            "seconds": round(last - go, 3),
            "jobs_per_s": round(int(done) / (last - go)) if last > go else None,
            "lost": count - int(done),
            "duplicates": int(extra),
            "finished": finished,
            "worker_cpu_ms_per_job": round((cpu_after["workers"] - cpu_before["workers"]) * 1000 / count, 2),
            "backend_cpu_ms_per_job": round((cpu_after["backends"] - cpu_before["backends"]) * 1000 / count, 2),
        }
        print(f"{system}: drain {result['drain']}", flush=True)

        # 3. latency with idle workers
        time.sleep(2)
        result["connections"] = {"busy": busy, "idle": run.connections()}
        latencies = []
        for i in range(100):
            n = LATENCY_BASE + i
            before = time.time()
            loop.run_until_complete(client.enqueue(payloads(n, 1, 1, "latency")))
            wait_for(lambda n=n: bool(run.sql("SELECT 1 FROM bench_starts WHERE n = %s", (n,))), 30, every=0.005)
            rows = run.sql("SELECT min(at) FROM bench_starts WHERE n = %s", (n,))
            if rows and rows[0][0] is not None:
                latencies.append((float(rows[0][0]) - before) * 1000)
            time.sleep(0.1)
        latencies.sort()
        result["latency_ms"] = {
            "samples": len(latencies),
            "p50": round(statistics.median(latencies), 1) if latencies else None,
            "p95": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
            "max": round(latencies[-1], 1) if latencies else None,
        }
        print(f"{system}: latency {result['latency_ms']}", flush=True)

        # 4. a killed worker
        result["killed_worker"] = killed_worker(run, loop, client)
        print(f"{system}: killed worker {result['killed_worker']}", flush=True)
        run.stop_workers()
        loop.run_until_complete(client.close())

        # 5. periodic task with 2 workers
        if periodic_seconds <= 0:
            return result
        go = run.start_workers(2, periodic=True)
        time.sleep(periodic_seconds)
        end = time.time()
        run.stop_workers()
        ticks = [float(at) for (at,) in run.sql("SELECT at FROM bench_ticks WHERE at <= %s ORDER BY at", (end,))]
        buckets: dict[int, int] = {}
        for at in ticks:  # a run belongs to the schedule tick before it (latency < TICK_SECONDS)
            buckets[int(at // TICK_SECONDS)] = buckets.get(int(at // TICK_SECONDS), 0) + 1
        expected = int(end // TICK_SECONDS) - int(go // TICK_SECONDS)
        result["periodic"] = {
            "schedule_seconds": TICK_SECONDS,
            "window_seconds": periodic_seconds,
            "ticks_in_window": expected,
            "runs": len(ticks),
            "ticks_run": len(buckets),
            "ticks_run_twice_or_more": sum(1 for v in buckets.values() if v > 1),
            "pids": sorted({int(pid) for (pid,) in run.sql("SELECT DISTINCT pid FROM bench_ticks")}),
        }
        print(f"{system}: periodic {result['periodic']}", flush=True)
    finally:
        run.drop()
        loop.close()
        result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def killed_worker(run: Run, loop: asyncio.AbstractEventLoop, client: Any) -> dict[str, Any]:
    """SIGKILL worker 0 while it runs 2 s jobs; time until each of them started again elsewhere."""
    victim = run.workers[0]
    jobs = 8
    loop.run_until_complete(client.enqueue(payloads(KILL_BASE, jobs, 2000, "kill")))
    started = wait_for(
        lambda: bool(run.sql("SELECT 1 FROM bench_starts WHERE n >= %s AND pid = %s", (KILL_BASE, victim.pid))), 30
    )
    if not started:
        return {"error": "the victim took no job"}
    time.sleep(0.3)
    victim.send_signal(signal.SIGKILL)
    killed_at = time.time()
    victim.wait()
    held = [
        int(n)
        for (n,) in run.sql(
            "SELECT DISTINCT s.n FROM bench_starts s WHERE s.n >= %s AND s.pid = %s "
            "AND NOT EXISTS (SELECT 1 FROM bench_runs r WHERE r.n = s.n AND r.at <= %s)",
            (KILL_BASE, victim.pid, killed_at),
        )
    ]

    def all_done() -> bool:
        return int(run.one("SELECT count(*) FROM bench_runs WHERE n >= %s", (KILL_BASE,))) >= jobs

    wait_for(all_done, 150, every=0.1)
    time.sleep(3)  # a doubled run would show now
    restarts = []
    for n in held:
        again = run.one("SELECT min(at) FROM bench_starts WHERE n = %s AND pid <> %s", (n, victim.pid))
        if again is not None:
            restarts.append(float(again) - killed_at)
    done, twice = run.sql(
        "SELECT count(*), count(*) FILTER (WHERE runs > 1) FROM bench_runs WHERE n >= %s", (KILL_BASE,)
    )[0]
    last = run.one("SELECT max(at) FROM bench_runs WHERE n >= %s", (KILL_BASE,))
    return {
        "jobs": jobs,
        "held_by_killed_worker": len(held),
        "restarted": len(restarts),
        "seconds_to_restart_max": round(max(restarts), 1) if restarts else None,
        "seconds_to_restart_min": round(min(restarts), 1) if restarts else None,
        "seconds_to_all_done": round(float(last) - killed_at, 1) if last is not None else None,
        "lost": jobs - int(done),
        "ran_twice": int(twice),
    }


def markdown(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "# Job systems on PostgreSQL (`bench/job_systems.py`)",
        "",
        f"{meta['when']}, {meta['cpus']} shared cores, Python {meta['python']}, PostgreSQL {meta['postgres']}; "
        f"versions: {', '.join(f'{k} {v}' for k, v in meta['versions'].items())}.",
        "",
        "| system | enqueue jobs/s | drain jobs/s (2 x 4) | drain lost / doubled | latency p50 / p95 ms "
        "| killed worker: restart s (max) / lost / ran twice | periodic runs / ticks / doubled "
        "| connections per worker busy / idle | drain CPU ms/job: workers / their PG backends | load before -> after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['system']} | error: {r['error']} |||||||| |")
            continue
        k = r["killed_worker"]
        p = r.get("periodic") or {"runs": "-", "ticks_in_window": "-", "ticks_run_twice_or_more": "-"}
        c = r["connections"]
        lines.append(
            f"| {r['system']} | {r['enqueue']['jobs_per_s']:,} | {r['drain']['jobs_per_s']:,} "
            f"| {r['drain']['lost']} / {r['drain']['duplicates']} "
            f"| {r['latency_ms']['p50']} / {r['latency_ms']['p95']} "
            f"| {k.get('seconds_to_restart_max')} ({k.get('held_by_killed_worker')} held) / {k.get('lost')} / "
            f"{k.get('ran_twice')} "
            f"| {p['runs']} / {p['ticks_in_window']} / {p['ticks_run_twice_or_more']} "
            f"| {max(c['busy'].values(), default=0)} / {max(c['idle'].values(), default=0)} "
            f"| {r['drain']['worker_cpu_ms_per_job']} / {r['drain']['backend_cpu_ms_per_job']} "
            f"| {' '.join(map(str, r['load_before']))} -> {' '.join(map(str, r['load_after']))} |"
        )
    return "\n".join(lines) + "\n"


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("procrastinate", "pgqueuer", "saq", "psycopg", "asyncpg"):
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command")
    worker = sub.add_parser("worker")
    worker.add_argument("system", choices=SYSTEMS)
    worker.add_argument("schema")
    worker.add_argument("index", type=int)
    worker.add_argument("go", type=Path)
    worker.add_argument("--periodic", action="store_true")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--periodic-seconds", type=float, default=70, help="0: leave the periodic test out")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "job_systems")
    args = parser.parse_args()
    if args.command == "worker":
        asyncio.run(worker_main(args.system, args.schema, args.index, args.go, args.periodic))
        return
    workdir = Path("/tmp/jobbench/run")
    workdir.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(POSTGRES) as conn:
        postgres = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    meta = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "postgres": postgres,
        "versions": versions(),
        "niceness": os.nice(0),
    }
    results = []
    for system in args.systems.split(","):
        try:
            results.append(measure(system, args.jobs, args.periodic_seconds, workdir))
        except Exception as exc:
            print(f"{system}: failed: {exc!r}", flush=True)
            results.append({"system": system, "error": repr(exc)})
    table = markdown(results, meta)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(table)


if __name__ == "__main__":
    main()
