"""One organisation of 100,000 employees on PostgreSQL, run as production runs it (issue 17).

Demo AB with ``--employees`` people on a private schema (`selfservice demo seed`: bulk INSERTs, teams
of about eight with their own manager; every tenth employee has a submitted time week waiting for
their manager). Then two API processes (`selfservice run --workers 2`, RUN_WORKER_IN_APP=false) and
two job workers (`selfservice worker`, OCR_PROCESSES=1 each), a fake push service with one
subscription per manager, and, one after the other:

1. the reminder round: the organisation's cut-off day is set so that the real today is three days
   before it (the workers use the real clock), one ``cutoff_reminders_for`` job is deferred, and the
   bench waits until every delivery is sent (notices written, deliveries/s, round time);
2. a burst of ``--receipts`` receipt uploads over HTTP (``--uploaders`` at once, from 20 employees)
   and the time until every receipt is done or failed: receipts per minute per OCR process, the
   states counted (none lost), and the queue's depth and oldest due age from /metrics every 2 s;
3. payroll's overview of everyone (`GET /api/payroll/overview`, the first page, fresh).

Throughout, `GET /api/me` (Anna) and the attest inbox of a team manager are probed about 10 times
a second each (p50/p95 per phase); every second the process tree's peak RSS (VmHWM) and the
PostgreSQL connections (all of database ``test``, and ours by client port and application name)
are sampled. The two cores are shared with the bench itself, the push service and others' work:
the load average stands beside every figure.

    .venv/bin/python bench/scale.py                              # 100,000, a fresh schema, dropped after
    .venv/bin/python bench/scale.py --employees 20000
    .venv/bin/python bench/scale.py --schema sb_scale_100k       # reuse a seeded schema (kept)
    .venv/bin/python bench/scale.py --schema sb_scale_100k --seed-only

Writes bench/results/scale.{json,md}.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
from common import BIN, POSTGRES, ROOT, cli, machine, server, stop, token, write_results

sys.path.insert(0, str(ROOT))

from backend.config import AuthSettings, DatabaseSettings, Settings
from backend.core.clock import STOCKHOLM
from backend.domain.calendar import next_cutoff
from backend.notices.channels import stored_keys
from backend.worker.jobs import Jobs
from notifications import Category

EMPLOYEE = "anna.andersson@demo.se"
PAYROLL = "lena.lind@demo.se"
PASSWORD = "demo1234"
PROBE_INTERVAL = 0.1
"""Seconds between a probe's requests: about 10 a second each."""
UPLOADING_EMPLOYEES = 20
RECEIPT_SIZE = (600, 860)
PHASE_TIMEOUT = 1800


# --- processes and samples -----------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for child in Path("/proc").glob(f"{pid}/task/*/children"):
        found += [int(text) for text in _read(child).split()]
    return found


def _vm(pid: int, key: str) -> float:
    """A /proc/<pid>/status figure in MB (VmHWM: peak resident memory so far)."""
    for line in _read(Path(f"/proc/{pid}/status")).splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a process used so far: the figure the shared cores do not bend."""
    fields = _read(Path(f"/proc/{pid}/stat")).rsplit(")", 1)[-1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if len(fields) > 12 else 0.0


def _cmdline(pid: int) -> str:
    return _read(Path(f"/proc/{pid}/cmdline")).replace("\0", " ")


def classify(roots: dict[str, int]) -> dict[int, str]:
    """Our processes by role: API supervisor, API processes and their payroll workers, job workers and their OCR processes."""
    roles: dict[int, str] = {}
    for name, root in roots.items():
        if name == "api":
            roles[root] = "api_supervisor"
            for api in _children(root):
                if "multiprocessing" in _cmdline(api):
                    roles[api] = "helper"
                    continue
                roles[api] = "api"
                for child in _children(api):
                    roles[child] = "payroll_worker" if "spawn_main" in _cmdline(child) else "helper"
        else:
            roles[root] = name
            for child in _children(root):
                roles[child] = "ocr" if "spawn_main" in _cmdline(child) else "helper"
    return roles


def _ports_to_pids() -> dict[int, int]:
    """Local port → pid of every TCP connection to PostgreSQL on this host (``ss -tnp``)."""
    output = subprocess.run(
        ["ss", "-tnpH", "dst", "127.0.0.1:5432"], capture_output=True, text=True, check=False
    ).stdout
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) < 6:
            continue
        local = parts[3].rsplit(":", 1)[-1]
        match = re.search(r"pid=(\d+)", line)
        if match and local.isdigit():
            found[int(local)] = int(match.group(1))
    return found


class Sampler:
    """Every second: peak RSS of each of our processes, PostgreSQL connections, the load average."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots
        self.peak_rss: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self.cpu_marks: dict[str, dict[int, float]] = {}
        self.role: dict[int, str] = {}
        self.connections_total_max = 0
        self.connections_ours_max = 0
        self.by_app_max: dict[str, int] = defaultdict(int)
        self.by_role_max: dict[str, int] = defaultdict(int)
        self.load: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        with psycopg.connect(POSTGRES, application_name="scale-bench-sampler", autocommit=True) as connection:
            while not self._stop.is_set():
                try:
                    self.sample(connection)
                except Exception as exc:  # a sample lost is not the run lost
                    print(f"sample failed: {exc}", flush=True)
                self._stop.wait(1.0)

    def sample(self, connection: psycopg.Connection[Any]) -> None:
        self.load.append((time.time(), os.getloadavg()[0]))
        roles = classify(self.roots)
        for pid, role in roles.items():
            self.role[pid] = role
            self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_seconds(pid))
            hwm = _vm(pid, "VmHWM")
            if hwm:
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0.0), hwm)
        rows = connection.execute(
            "SELECT application_name, client_port FROM pg_stat_activity WHERE datname = 'test'"
        ).fetchall()
        self.connections_total_max = max(self.connections_total_max, len(rows))
        ports = _ports_to_pids()
        by_app: dict[str, int] = defaultdict(int)
        by_role: dict[str, int] = defaultdict(int)
        ours = 0
        for application, port in rows:
            pid = ports.get(port or -1)
            if pid not in roles:
                continue
            ours += 1
            by_app[application or "(asyncpg: none)"] += 1
            by_role[f"{roles[pid]} / {application or '(asyncpg: none)'}"] += 1
        self.connections_ours_max = max(self.connections_ours_max, ours)
        for key, n in by_app.items():
            self.by_app_max[key] = max(self.by_app_max[key], n)
        for key, n in by_role.items():
            self.by_role_max[key] = max(self.by_role_max[key], n)

    def load_between(self, start: float, end: float) -> dict[str, float]:
        seen = [load for t, load in self.load if start <= t <= end]
        if not seen:
            return {}
        return {"min": round(min(seen), 2), "mean": round(statistics.mean(seen), 2), "max": round(max(seen), 2)}

    def mark(self, name: str) -> None:
        """Remember each process's CPU seconds now (a phase's CPU is the difference of two marks)."""
        roles = classify(self.roots)
        self.role.update(roles)
        self.cpu_marks[name] = {pid: _cpu_seconds(pid) or self.cpu.get(pid, 0.0) for pid in roles}

    def cpu_between(self, start: str, end: str) -> dict[str, float]:
        """CPU seconds per kind of process between two marks (processes started in between count from 0)."""
        found: dict[str, float] = defaultdict(float)
        for pid, seconds in self.cpu_marks[end].items():
            role = re.sub(r"^worker_\d", "worker", self.role.get(pid, "other"))
            found[role] += seconds - self.cpu_marks[start].get(pid, 0.0)
        return {role: round(seconds, 1) for role, seconds in sorted(found.items())}

    def memory(self) -> dict[str, list[float]]:
        found: dict[str, list[float]] = defaultdict(list)
        for pid, peak in sorted(self.peak_rss.items()):
            found[self.role[pid]].append(round(peak, 1))
        return dict(found)


# --- seeding ---------------------------------------------------------------------------------------


def connect(schema: str) -> psycopg.Connection[Any]:
    return psycopg.connect(
        POSTGRES, application_name="scale-bench", autocommit=True, options=f"-c search_path={schema}"
    )


def seed(env: dict[str, str], employees: int) -> float:
    """Demo AB with ``employees`` people (bulk INSERTs), on the env's schema; returns the seconds."""
    started = time.perf_counter()
    cli(env, "db", "upgrade")
    cli(env, "demo", "seed", "--employees", str(employees))
    return round(time.perf_counter() - started, 1)


def cutoff_day_three_days_ahead(now: datetime) -> int:
    """A cut-off day that makes today (Stockholm) three days before the cut-off, as the reminder round asks."""
    today = now.astimezone(STOCKHOLM).date()
    for day in range(1, 29):
        cutoff, _ = next_cutoff(today, day)
        if (cutoff - today).days == 3:
            return day
    msg = f"no cut-off day is three days after {today}"
    raise RuntimeError(msg)


def prepare(schema: str, origin: str, application_server_key: str) -> dict[str, Any]:
    """Per run: what an earlier run left is removed, the cut-off day set, a subscription per manager added."""
    with connect(schema) as db:
        for statement in (
            "DELETE FROM delivery",
            "DELETE FROM notice",
            "DELETE FROM digeststate",
            "DELETE FROM pushdevice",
            "DELETE FROM expense WHERE receipt_id IS NOT NULL",
            "DELETE FROM receipt",
            "DELETE FROM procrastinate_events",
            "DELETE FROM procrastinate_periodic_defers",
            "DELETE FROM procrastinate_jobs",
        ):
            db.execute(statement)
        organisation = db.execute("SELECT id FROM organisation").fetchone()[0]  # type: ignore[index]
        cutoff_day = cutoff_day_three_days_ahead(datetime.now(UTC))
        db.execute("UPDATE organisation SET cutoff_day = %s", (cutoff_day,))
        managers = db.execute(
            "SELECT a.id FROM account a JOIN accountrole r ON r.account_id = a.id "
            "WHERE r.role = 'manager' ORDER BY a.id"
        ).fetchall()
        waiting = db.execute(
            "SELECT count(DISTINCT e.manager_id) FROM attestitem i JOIN employee e ON e.id = i.employee_id "
            "WHERE i.state = 'submitted'"
        ).fetchone()[0]  # type: ignore[index]
        response = httpx.post(
            f"{origin}/_control/subscriptions",
            json={"count": len(managers), "application_server_key": application_server_key},
            timeout=600,
        )
        response.raise_for_status()
        now = datetime.now(UTC)
        rows = [
            (uuid.uuid4(), now, now, organisation, account, sub["endpoint"], sub["keys"]["p256dh"], sub["keys"]["auth"])
            for (account,), sub in zip(managers, response.json(), strict=True)
        ]
        with db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO pushdevice (id, created_at, updated_at, organisation_id, account_id, endpoint, p256dh, auth)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        employees = db.execute("SELECT count(*) FROM employee").fetchone()[0]  # type: ignore[index]
        team_manager = db.execute(
            "SELECT a.email FROM attestitem i JOIN employee e ON e.id = i.employee_id "
            "JOIN account a ON a.employee_id = e.manager_id "
            "WHERE i.state = 'submitted' AND e.employee_number::int > 2000 ORDER BY e.employee_number::int LIMIT 1"
        ).fetchone()[0]  # type: ignore[index]
        uploaders = [
            email
            for (email,) in db.execute(
                "SELECT a.email FROM account a JOIN employee e ON e.id = a.employee_id "
                "WHERE e.manager_id IS NOT NULL AND e.employee_number::int > 1100 "
                "AND NOT EXISTS (SELECT 1 FROM accountrole r WHERE r.account_id = a.id AND r.role <> 'employee') "
                "ORDER BY e.employee_number::int LIMIT %s",
                (UPLOADING_EMPLOYEES,),
            ).fetchall()
        ]
    return {
        "organisation_id": str(organisation),
        "employees": int(employees),
        "cutoff_day": cutoff_day,
        "manager_accounts_with_subscription": len(managers),
        "managers_with_items_waiting": int(waiting),
        "team_manager": team_manager,
        "uploaders": uploaders,
    }


# --- probes ----------------------------------------------------------------------------------------


class Probe:
    """One GET about every ``PROBE_INTERVAL`` (or right after a slower one): (start, seconds, status)."""

    def __init__(self, client: httpx.AsyncClient, path: str, token_: str) -> None:
        self.client, self.path = client, path
        self.headers = {"authorization": f"Bearer {token_}"}
        self.seen: list[tuple[float, float, int]] = []
        self.stopped = asyncio.Event()

    async def run(self) -> None:
        while not self.stopped.is_set():
            started = time.time()
            clock = time.perf_counter()
            try:
                status = (await self.client.get(self.path, headers=self.headers)).status_code
            except httpx.HTTPError:
                status = 0
            self.seen.append((started, time.perf_counter() - clock, status))
            await asyncio.sleep(max(0.0, PROBE_INTERVAL - (time.perf_counter() - clock)))

    def summary(self, start: float, end: float) -> dict[str, Any]:
        rows = [(s, status) for t, s, status in self.seen if start <= t <= end]
        if not rows:
            return {"count": 0}
        ordered = sorted(s for s, _ in rows)
        return {
            "count": len(ordered),
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1),
            "errors": sum(1 for _, status in rows if status != 200),
        }


# --- the phases ------------------------------------------------------------------------------------


async def _query(schema: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    async with await psycopg.AsyncConnection.connect(
        POSTGRES, application_name="scale-bench", autocommit=True, options=f"-c search_path={schema}"
    ) as db:
        return list(await (await db.execute(sql, params or None)).fetchall())


async def reminder_round(settings: Settings, schema: str, organisation_id: str, origin: str) -> dict[str, Any]:
    category = Category.ATTEST_REMINDER.value
    jobs = Jobs(settings)
    started = time.time()
    await jobs.defer("cutoff_reminders_for", organisation_id=organisation_id)
    await jobs.close()
    written_at = None
    notices = 0
    states: dict[str, int] = {}
    while time.time() - started < PHASE_TIMEOUT:
        await asyncio.sleep(0.5)
        notices = (await _query(schema, "SELECT count(*) FROM notice WHERE category = %s", category))[0][0]
        if notices and written_at is None:
            written_at = time.time()
        rows = await _query(schema, "SELECT state, count(*) FROM delivery WHERE category = %s GROUP BY state", category)
        states = {state: int(n) for state, n in rows}
        if notices and not states.get("pending"):
            break
    ended = time.time()
    deliveries = sum(states.values())
    sending = ended - (written_at or started)
    async with httpx.AsyncClient(timeout=30) as control:
        pushes = (await control.get(f"{origin}/_control/stats")).json()
    return {
        "started": started,
        "ended": ended,
        "notices_written": int(notices),
        "deliveries": deliveries,
        "delivery_states": states,
        "seconds_to_notices_written": round((written_at or ended) - started, 2),
        "sending_seconds": round(sending, 2),
        "deliveries_per_second": round(deliveries / sending, 1) if sending > 0 else None,
        "round_seconds": round(ended - started, 2),
        "completed": bool(notices) and not states.get("pending"),
        "push_service": {key: pushes.get(key) for key in ("requests", "delivered", "rejected", "rejections")},
    }


class QueueWatch:
    """/metrics every 2 s: the receipts queue's jobs waiting and running, and the oldest due job's wait."""

    LINE = re.compile(r"^(job_system_jobs|job_system_oldest_due_age_seconds)\{([^}]*)\}\s+(\S+)")

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.samples: list[dict[str, float]] = []
        self.stopped = asyncio.Event()
        self.errors = 0
        self.unread = 0

    async def run(self) -> None:
        while not self.stopped.is_set():
            try:
                text = (await self.client.get("/metrics")).text
            except httpx.HTTPError:
                self.errors += 1
                text = ""
            sample = {"t": time.time(), "todo": 0.0, "doing": 0.0, "oldest_due_age_seconds": 0.0}
            for line in text.splitlines():
                match = self.LINE.match(line)
                if not match or 'queue="receipts"' not in match.group(2):
                    continue
                value = float(match.group(3))
                if match.group(1) == "job_system_oldest_due_age_seconds":
                    sample["oldest_due_age_seconds"] = value
                elif 'state="todo"' in match.group(2):
                    sample["todo"] = value
                elif 'state="doing"' in match.group(2):
                    sample["doing"] = value
            if re.search(r"^job_queue_read_ok(\{[^}]*\})? 0", text, re.MULTILINE):
                self.unread += 1  # the app could not read the queues within its 2 s: no figures this time
            else:
                self.samples.append(sample)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopped.wait(), 2.0)


async def receipts(
    client: httpx.AsyncClient, schema: str, tokens: list[str], count: int, uploaders: int, ocr_processes: int
) -> dict[str, Any]:
    from tests.support.images import receipt_image

    run = uuid.uuid4().hex[:8]
    images = [receipt_image(seed_text=f"bench {run} {n}", size=RECEIPT_SIZE) for n in range(count)]
    pending = list(enumerate(images))
    statuses: dict[int, int] = defaultdict(int)
    upload_seconds: list[float] = []
    watch = QueueWatch(client)
    watcher = asyncio.create_task(watch.run())

    async def uploader() -> None:
        while pending:
            n, image = pending.pop()
            clock = time.perf_counter()
            try:
                response = await client.post(
                    "/api/receipts",
                    files={"file": (f"kvitto-{n}.jpg", image, "image/jpeg")},
                    headers={"authorization": f"Bearer {tokens[n % len(tokens)]}"},
                )
                statuses[response.status_code] += 1
            except httpx.HTTPError:
                statuses[0] += 1
            upload_seconds.append(time.perf_counter() - clock)

    started = time.time()
    await asyncio.gather(*(uploader() for _ in range(uploaders)))
    uploaded_at = time.time()
    accepted = statuses.get(201, 0)
    states: dict[str, int] = {}
    while time.time() - started < PHASE_TIMEOUT:
        rows = await _query(
            schema,
            "SELECT state, count(*) FROM receipt WHERE created_at >= %s GROUP BY state",
            datetime.fromtimestamp(started - 5, UTC),
        )
        states = {state: int(n) for state, n in rows}
        if states.get("done", 0) + states.get("failed", 0) >= accepted:
            break
        await asyncio.sleep(1.0)
    ended = time.time()
    watch.stopped.set()
    await watcher
    attempts = await _query(
        schema,
        "SELECT attempts, count(*) FROM receipt WHERE created_at >= %s GROUP BY attempts",
        datetime.fromtimestamp(started - 5, UTC),
    )
    jobs_left = await _query(
        schema, "SELECT task_name, status, count(*) FROM procrastinate_jobs GROUP BY 1, 2 ORDER BY 1, 2"
    )
    finished = states.get("done", 0) + states.get("failed", 0)
    minutes = (ended - started) / 60
    ordered = sorted(upload_seconds)
    return {
        "started": started,
        "ended": ended,
        "uploads": count,
        "upload_statuses": dict(statuses),
        "upload_seconds": round(uploaded_at - started, 2),
        "upload_p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "upload_p95_ms": round(ordered[int(0.95 * len(ordered))] * 1000, 1) if ordered else None,
        "states": states,
        "lost": accepted - sum(states.values()),
        "readings_per_receipt": {int(a): int(n) for a, n in attempts},
        "jobs_left": [list(row) for row in jobs_left],
        "drain_seconds": round(ended - started, 1),
        "receipts_per_minute": round(finished / minutes, 1) if minutes else None,
        "receipts_per_minute_per_ocr_process": round(finished / minutes / ocr_processes, 1) if minutes else None,
        "max_queue_todo": max((s["todo"] for s in watch.samples), default=None),
        "max_queue_doing": max((s["doing"] for s in watch.samples), default=None),
        "max_oldest_due_age_seconds": max((s["oldest_due_age_seconds"] for s in watch.samples), default=None),
        "metrics_scrapes": len(watch.samples),
        "metrics_scrape_errors": watch.errors,
        "metrics_scrapes_queues_unread": watch.unread,
        "completed": finished >= accepted,
    }


async def overview(client: httpx.AsyncClient, payroll_token: str) -> dict[str, Any]:
    started = time.time()
    response = await client.get(
        "/api/payroll/overview",
        params={"limit": 100},
        headers={"authorization": f"Bearer {payroll_token}"},
        timeout=1800,
    )
    ended = time.time()
    body = response.json() if response.status_code == 200 else {}
    return {
        "started": started,
        "ended": ended,
        "status": response.status_code,
        "seconds": round(ended - started, 2),
        "employees": body.get("employees"),
        "with_warnings": body.get("with_warnings"),
        "bytes": len(response.content),
    }


async def measure(
    url: str,
    origin: str,
    settings: Settings,
    schema: str,
    facts: dict[str, Any],
    sampler: Sampler,
    args: argparse.Namespace,
) -> dict[str, Any]:
    emails = [EMPLOYEE, facts["team_manager"], PAYROLL, *facts["uploaders"]]
    tokens = {email: await asyncio.to_thread(token, url, email, PASSWORD) for email in emails}
    async with (
        httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=4)) as probe_client,
        httpx.AsyncClient(base_url=url, timeout=300, limits=httpx.Limits(max_connections=16)) as client,
    ):
        probes = {
            "GET /api/me": Probe(probe_client, "/api/me", tokens[EMPLOYEE]),
            "GET /api/attest/inbox": Probe(probe_client, "/api/attest/inbox", tokens[facts["team_manager"]]),
        }
        running = [asyncio.create_task(p.run()) for p in probes.values()]
        idle_start = time.time()
        await asyncio.sleep(10)
        idle = {"started": idle_start, "ended": time.time()}
        phases: dict[str, dict[str, Any]] = {"idle": idle}
        print("reminder round ...", flush=True)
        sampler.mark("reminder_round")
        phases["reminder_round"] = await reminder_round(settings, schema, facts["organisation_id"], origin)
        sampler.mark("reminder_round_end")
        print(phases["reminder_round"], flush=True)
        await asyncio.sleep(5)
        if args.receipts:
            print("receipts ...", flush=True)
            sampler.mark("receipts")
            phases["receipts"] = await receipts(
                client, schema, [tokens[e] for e in facts["uploaders"]], args.receipts, args.uploaders, 2
            )
            sampler.mark("receipts_end")
            print(phases["receipts"], flush=True)
            await asyncio.sleep(5)
        print("overview ...", flush=True)
        sampler.mark("overview")
        phases["overview"] = await overview(client, tokens[PAYROLL])
        sampler.mark("overview_end")
        print(phases["overview"], flush=True)
        await asyncio.sleep(2)
        for p in probes.values():
            p.stopped.set()
        await asyncio.gather(*running)
    for name, phase in phases.items():
        if name in sampler.cpu_marks:
            phase["cpu_seconds"] = sampler.cpu_between(name, f"{name}_end")
        phase["probes"] = {probe: p.summary(phase["started"], phase["ended"]) for probe, p in probes.items()}
        phase["load_average_1min"] = sampler.load_between(phase["started"], phase["ended"])
    return phases


@contextlib.contextmanager
def workers(env: dict[str, str], count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    logs = [open(Path(env["DATA_DIR"]) / f"worker-{n}.log", "w") for n in range(count)]  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [str(BIN / "selfservice"), "worker"],
            env={**os.environ, "LOG_FORMAT": "json", **env, "OCR_PROCESSES": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        yield processes
    finally:
        for process in processes:
            stop(process)
        for log in logs:
            log.close()


def _wait_for_workers(schema: str, count: int) -> None:
    for _ in range(600):
        with connect(schema) as db:
            live = db.execute(
                "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - interval '30 seconds'"
            ).fetchone()[0]  # type: ignore[index]
        if live >= 2 * count:  # each worker process runs two procrastinate workers (receipts, other)
            return
        time.sleep(0.5)
    raise RuntimeError("the job workers did not start")


def log_findings(data_dir: Path) -> dict[str, Any]:
    """Warnings and errors in the workers' and the API's logs (JSON lines), counted by event, with examples."""
    found: dict[str, Any] = {}
    for path in sorted(data_dir.glob("*.log")):
        counts: dict[str, int] = defaultdict(int)
        examples: list[str] = []
        for line in path.read_text(errors="replace").splitlines():
            try:
                record = json.loads(line)
                level, event = str(record.get("level", "")).lower(), str(record.get("event", ""))
            except (json.JSONDecodeError, AttributeError):
                level, event = ("error", line[:200]) if "Traceback" in line or "Error" in line else ("", "")
            if level in ("warning", "error", "critical", "exception"):
                counts[f"{level}: {event[:120]}"] += 1
                if len(examples) < 5:
                    examples.append(line[:600])
        found[path.name] = {"counts": dict(counts), "examples": examples}
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    from push_fanout import start_service

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    for old in data_dir.glob("*.log"):
        old.unlink()
    schema = args.schema or f"sb_scale_{uuid.uuid4().hex[:8]}"
    env = {
        "APP_ENV": "test",  # demo logins, and the fake push service speaks plain http
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": POSTGRES,
        "DATABASE_SCHEMA": schema,
        "LOGIN_ATTEMPTS_PER_MINUTE": "10000",
        "TOKEN_TTL_MINUTES": "600",
        "RUN_WORKER_IN_APP": "false",
        "LOG_REQUESTS": "false",
        "OMP_THREAD_LIMIT": "1",
        "PYTHONPATH": str(ROOT),  # this checkout's code, whichever checkout the venv's command came from
    }
    seeded_here = args.schema is None
    result: dict[str, Any] = {"machine": machine(), "schema_reused": not seeded_here}
    try:
        with connect("public") as db:
            exists = db.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = 'employee'", (schema,)
            ).fetchone()
        if not exists:
            print(f"seeding {args.employees} employees into {schema} ...", flush=True)
            result["seed_seconds"] = seed(env, args.employees)
            result["schema_reused"] = False
            print(f"seeded in {result['seed_seconds']} s", flush=True)
            with connect("public") as db:  # a reused schema still tells how long it took
                db.execute(f"COMMENT ON SCHEMA \"{schema}\" IS 'seed_seconds={result['seed_seconds']}'")
        else:
            with connect("public") as db:
                row = db.execute("SELECT obj_description(%s::regnamespace, 'pg_namespace')", (schema,)).fetchone()
            if row and row[0] and row[0].startswith("seed_seconds="):
                result["seed_seconds"] = float(row[0].split("=", 1)[1])
        if args.seed_only:
            return result
        keys = stored_keys(data_dir)
        push, origin = start_service(100)
        try:
            facts = prepare(schema, origin, keys.application_server_key)
            result["organisation"] = {k: v for k, v in facts.items() if k != "uploaders"}
            stockholm = datetime.now(UTC).astimezone(STOCKHOLM)
            if not 7 <= stockholm.hour < 20:
                print("warning: quiet hours in Stockholm: reminder pushes will be held back", flush=True)
            settings = Settings.from_env(
                environment="test",
                data_dir=data_dir,
                database=DatabaseSettings(url=POSTGRES, schema=schema),
                auth=AuthSettings(secret_key="bench-" + "x" * 40),
                log_level="WARNING",
                run_worker_in_app=False,
            )
            with server(env, 2, port=args.port, ready_seconds=180) as url, workers(env, 2) as background:
                _wait_for_workers(schema, 2)
                supervisor = int(
                    next(
                        p.name
                        for p in Path("/proc").iterdir()
                        if p.name.isdigit()
                        and "selfservice" in _cmdline(int(p.name))
                        and f"--port {args.port}" in _cmdline(int(p.name))
                    )
                )
                sampler = Sampler({"api": supervisor, **{f"worker_{n}": w.pid for n, w in enumerate(background)}})
                sampler.start()
                try:
                    result["phases"] = asyncio.run(measure(url, origin, settings, schema, facts, sampler, args))
                finally:
                    sampler.close()
                merged: dict[str, list[float]] = defaultdict(list)
                for role, values in sampler.memory().items():
                    merged["worker" if role.startswith("worker_") else role] += values
                result["peak_rss_mb"] = dict(merged)
                result["postgres_connections"] = {
                    "max_total_database_test": sampler.connections_total_max,
                    "max_ours": sampler.connections_ours_max,
                    "max_ours_by_application_name": dict(sampler.by_app_max),
                    "max_ours_by_process_and_application_name": {
                        re.sub(r"^worker_\d", "worker", k): v for k, v in sorted(sampler.by_role_max.items())
                    },
                }
        finally:
            push.terminate()
            push.wait(timeout=10)
        result["logs"] = log_findings(data_dir)
    finally:
        if seeded_here and not args.keep:
            subprocess.run(
                ["psql", POSTGRES, "-qc", f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'],
                check=False,
                capture_output=True,
            )
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def _probe_cells(phase: dict[str, Any]) -> str:
    cells = []
    for name in ("GET /api/me", "GET /api/attest/inbox"):
        p = phase["probes"][name]
        cells.append(
            f"{p['p50_ms']} / {p['p95_ms']} ms (n={p['count']}{', errors ' + str(p['errors']) if p['errors'] else ''})"
            if p["count"]
            else "-"
        )
    return " | ".join(cells)


def markdown(result: dict[str, Any]) -> str:
    org = result["organisation"]
    phases = result["phases"]
    rr, ov = phases["reminder_round"], phases["overview"]
    lines = [
        f"# {org['employees']:,} employees in one organisation (issue 17)",
        "",
        f"Measured {result['machine']['when']}: {result['machine']['cpus']} shared cores (the bench, its probes,"
        " the fake push service and other people's work run on them too); PostgreSQL 127.0.0.1.",
        "Two API processes (`selfservice run --workers 2`, RUN_WORKER_IN_APP=false, each with its payroll"
        " workers) and two `selfservice worker` processes (OCR_PROCESSES=1 each).",
        f"Seeding: {result.get('seed_seconds')} s (`demo seed`, bulk INSERTs"
        f"{'; the schema was seeded by an earlier run and reused' if result['schema_reused'] else ''}).",
        "",
        "| phase | result | `GET /api/me` p50 / p95 | team manager's `GET /api/attest/inbox` p50 / p95"
        " | load average (1 min) min / mean / max | CPU s by process |",
        "|---|---|---|---|---|---|",
    ]

    def load(phase: dict[str, Any]) -> str:
        la = phase["load_average_1min"]
        cpu = ", ".join(f"{role} {seconds}" for role, seconds in phase.get("cpu_seconds", {}).items() if seconds)
        return (f"{la.get('min')} / {la.get('mean')} / {la.get('max')}" if la else "-") + f" | {cpu or '-'}"

    lines.append(f"| idle (10 s before) | - | {_probe_cells(phases['idle'])} | {load(phases['idle'])} |")
    lines.append(
        f"| reminder round | {rr['notices_written']:,} notices, {rr['deliveries']:,} deliveries"
        f" ({', '.join(f'{k} {v:,}' for k, v in sorted(rr['delivery_states'].items()))});"
        f" notices written {rr['seconds_to_notices_written']} s after the job was deferred,"
        f" all sent after {rr['round_seconds']} s ({rr['deliveries_per_second']} deliveries/s while sending);"
        f" the push service received {rr['push_service']['requests']:,} pushes"
        f" | {_probe_cells(rr)} | {load(rr)} |"
    )
    if "receipts" in phases:
        rc = phases["receipts"]
        done = rc["states"].get("done", 0) + rc["states"].get("failed", 0)
        drained = (
            f"all read after {rc['drain_seconds']} s"
            if rc["completed"]
            else f"NOT all read when the bench stopped waiting, after {rc['drain_seconds']} s"
        )
        ocr_cpu = rc.get("cpu_seconds", {}).get("ocr")
        per_receipt = f"; OCR CPU {ocr_cpu / max(1, done):.2f} s per receipt read" if ocr_cpu else ""
        lines.append(
            f"| {rc['uploads']:,} receipt uploads, {result.get('uploaders', 8)} at once"
            f" | uploads {rc['upload_seconds']} s (p50 {rc['upload_p50_ms']} ms, p95 {rc['upload_p95_ms']} ms,"
            f" statuses {rc['upload_statuses']}); {drained}:"
            f" {rc['receipts_per_minute']}/min, {rc['receipts_per_minute_per_ocr_process']}/min per OCR process;"
            f" states {rc['states']}, lost {rc['lost']}; readings per receipt {rc['readings_per_receipt']};"
            f" queue (/metrics every 2 s) max {rc['max_queue_todo']:.0f} waiting + {rc['max_queue_doing']:.0f}"
            f" running, oldest due {rc['max_oldest_due_age_seconds']:.0f} s{per_receipt}"
            f" | {_probe_cells(rc)} | {load(rc)} |"
        )
    lines.append(
        f"| payroll overview (first page, fresh) | {ov['seconds']} s, HTTP {ov['status']},"
        f" {ov['employees']} employees | {_probe_cells(ov)} | {load(ov)} |"
    )
    conns = result["postgres_connections"]
    lines += [
        "",
        "Peak RSS (VmHWM, MB) per process: "
        + "; ".join(f"{role} {values}" for role, values in sorted(result["peak_rss_mb"].items())),
        "",
        f"PostgreSQL connections (sampled every second): at most {conns['max_total_database_test']} in database"
        f" `test` (others' too), ours at most {conns['max_ours']};"
        f" by application name {conns['max_ours_by_application_name']};"
        f" by kind of process and application name {conns['max_ours_by_process_and_application_name']}"
        " (maxima of each, not at the same moment; asyncpg sets no application name; the two job workers'"
        " figures are each worker's own).",
        "",
    ]
    problems = {name: found["counts"] for name, found in result.get("logs", {}).items() if found["counts"]}
    lines.append(
        "Warnings and errors in the logs: " + (json.dumps(problems, ensure_ascii=False) if problems else "none")
    )
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--schema", help="a schema seeded earlier (by --seed-only or --keep): reused and kept")
    parser.add_argument("--seed-only", action="store_true", help="seed the schema and stop (with --schema)")
    parser.add_argument("--keep", action="store_true", help="keep a schema this run seeded")
    parser.add_argument("--receipts", type=int, default=1000)
    parser.add_argument("--uploaders", type=int, default=8)
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--data-dir", default="/tmp/scale-bench")
    parser.add_argument("--out", default="scale", help="results name under bench/results")
    parser.add_argument("--rewrite", action="store_true", help="write the .md again from the .json (no run)")
    args = parser.parse_args()
    if args.rewrite:
        result = json.loads((ROOT / "bench" / "results" / f"{args.out}.json").read_text())
        write_results(args.out, result, markdown(result))
        return
    if args.seed_only and not args.schema:
        parser.error("--seed-only needs --schema (else the seeded schema would be dropped)")
    result = run(args)
    result["uploaders"] = args.uploaders
    if args.seed_only:
        print(result)
        return
    write_results(args.out, result, markdown(result))


if __name__ == "__main__":
    main()
