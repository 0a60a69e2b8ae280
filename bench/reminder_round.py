"""A full reminder round for N managers through the real outbox and worker path.

Seeds one organisation with N managers, each with one report whose item waits for attest,
an account and a push subscription at the fake push service; then, three days before the
cut-off, times ``cutoff_reminders`` (N notices and N deliveries in the round's transaction)
and the delivery task (claim with leases, preferences and quiet hours, encrypt, POST, record)
run by one or more worker processes until every delivery is sent.

Used by ``bench/push_fanout.py``; runnable alone:

    .venv/bin/python bench/reminder_round.py --managers 10000 --workers 1
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from backend.config import AuthSettings, DatabaseSettings, Settings  # noqa: E402
from backend.core.clock import FixedClock  # noqa: E402
from backend.core.database import create_engine, session_maker  # noqa: E402
from backend.db import migrate  # noqa: E402
from backend.db.models import Account, AttestItem, Delivery, Employee, Organisation, PushDevice  # noqa: E402
from backend.notices import channels  # noqa: E402
from backend.notices.delivery import deliver_notifications  # noqa: E402
from backend.notices.reminders import cutoff_reminders  # noqa: E402
from backend.storage import open_store  # noqa: E402
from backend.worker.context import WorkerContext  # noqa: E402

# Saturday 5 December 2026, 08:00 in Stockholm: three days before the cut-off on the 8th.
ROUND_AT = datetime(2026, 12, 5, 7, 0, tzinfo=UTC)


def bench_settings(workdir: Path, database: DatabaseSettings) -> Settings:
    return Settings.from_env(
        environment="test",  # the fake push service speaks plain http
        data_dir=workdir,
        database=database,
        auth=AuthSettings(secret_key="bench-" + "x" * 40),
        log_level="WARNING",
        run_worker_in_app=False,
    )


async def seed(settings: Settings, subscriptions: list[dict[str, Any]]) -> None:
    """N managers, N reports with a waiting item each, N accounts, N devices: bulk inserts."""
    engine = create_engine(settings.database)
    now = ROUND_AT
    org = uuid.uuid4()
    base = {"created_at": now, "updated_at": now}
    managers, reports, accounts, items, devices = [], [], [], [], []
    for n, sub in enumerate(subscriptions):
        manager, report, account = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        person = {**base, "organisation_id": org, "birth_date": date(1980, 1, 1), "start_date": date(2020, 1, 1)}
        managers.append(
            {
                **person,
                "id": manager,
                "employee_number": f"M{n}",
                "first_name": "Chef",
                "last_name": f"{n}",
                "email": f"chef{n}@bench.se",
                "manager_id": None,
            }
        )
        reports.append(
            {
                **person,
                "id": report,
                "employee_number": f"E{n}",
                "first_name": "Anställd",
                "last_name": f"{n}",
                "email": f"anst{n}@bench.se",
                "manager_id": manager,
            }
        )
        accounts.append(
            {
                **base,
                "id": account,
                "organisation_id": org,
                "employee_id": manager,
                "email": f"chef{n}@bench.se",
                "display_name": f"Chef {n}",
                "password_hash": "-",
                "active": True,
                "is_demo": False,
                "locale": "sv",
            }
        )
        items.append(
            {
                **base,
                "id": uuid.uuid4(),
                "organisation_id": org,
                "kind": "expense_claim",
                "subject_id": uuid.uuid4(),
                "employee_id": report,
                "approver_employee_id": manager,
                "state": "submitted",
                "version": 1,
                "title": "Taxi",
                "first_submitted_at": now,
                "submitted_at": now,
                "times_returned": 0,
                "warnings": [],
            }
        )
        devices.append(
            {
                **base,
                "id": uuid.uuid4(),
                "organisation_id": org,
                "account_id": account,
                "endpoint": sub["endpoint"],
                "p256dh": sub["keys"]["p256dh"],
                "auth": sub["keys"]["auth"],
            }
        )
    async with session_maker(engine)() as session:
        await session.execute(
            Organisation.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    **base,
                    "id": org,
                    "name": "Bench AB",
                    "cutoff_day": 8,
                    "pay_day": 25,
                    "agreement_profile": "white_collar",
                    "variable_pay_in_arrears": True,
                }
            ],
        )
        for model, rows in (
            (Employee, managers),
            (Employee, reports),
            (Account, accounts),
            (AttestItem, items),
            (PushDevice, devices),
        ):
            for start in range(0, len(rows), 2000):
                await session.execute(model.__table__.insert(), rows[start : start + 2000])  # type: ignore[attr-defined]
        await session.commit()
    await engine.dispose()


async def _round(settings: Settings) -> dict[str, float]:
    engine = create_engine(settings.database)
    started = time.perf_counter()
    async with session_maker(engine)() as session:
        written = await cutoff_reminders(session, ROUND_AT)
        await session.commit()
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return {"notices_written": written, "seconds": elapsed}


def _worker_process(settings: Settings, results: multiprocessing.Queue[dict[str, Any]], barrier: Any) -> None:
    async def run() -> dict[str, Any]:
        engine = create_engine(settings.database)
        context = WorkerContext(
            settings=settings,
            sessions=session_maker(engine),
            clock=FixedClock(ROUND_AT),
            storage=open_store(None, settings.data_dir),
            name=f"bench:{os.getpid()}",
            tools={"push_sender": channels.push_sender(settings)},
        )
        await asyncio.to_thread(barrier.wait)
        started, cpu = time.perf_counter(), time.process_time()
        handled = 0
        while n := await deliver_notifications(context):
            handled += n
        ended = time.perf_counter()
        await context.tools["push_sender"].aclose()
        await engine.dispose()
        return {
            "handled": handled,
            "started": started,
            "ended": ended,
            "cpu_seconds": time.process_time() - cpu,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }

    try:
        import uvloop  # as `selfservice worker` runs
    except ImportError:
        results.put(asyncio.run(run()))
    else:
        results.put(uvloop.run(run()))


async def _count(settings: Settings) -> dict[str, int]:
    engine = create_engine(settings.database)
    async with session_maker(engine)() as session:
        rows = (await session.execute(select(Delivery.state, func.count()).group_by(Delivery.state))).tuples().all()
    await engine.dispose()
    return {state: int(n) for state, n in rows}


def run(
    subscriptions: list[dict[str, Any]], workers: int, workdir: Path | None = None, keys_from: Path | None = None
) -> dict[str, Any]:
    """Seed, run the reminder round and deliver with ``workers`` processes; returns the figures.

    ``keys_from``: the DATA_DIR whose VAPID key the subscriptions were made for.
    """
    workdir = workdir or Path(tempfile.mkdtemp(prefix="reminder-round-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if keys_from is not None and keys_from != workdir:
        key = keys_from / channels.KEY_FILE
        (workdir / channels.KEY_FILE).write_bytes(key.read_bytes())
    database = DatabaseSettings(url=f"sqlite+aiosqlite:///{workdir / 'round.db'}")
    settings = replace(
        bench_settings(workdir, database), push_connections=int(os.environ.get("BENCH_PUSH_CONNECTIONS", "4"))
    )
    migrate.upgrade(database)
    asyncio.run(seed(settings, subscriptions))
    total_started = time.perf_counter()
    round_figures = asyncio.run(_round(settings))
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers)
    queue: multiprocessing.Queue[dict[str, Any]] = context.Queue()
    processes = [context.Process(target=_worker_process, args=(settings, queue, barrier)) for _ in range(workers)]
    for process in processes:
        process.start()
    shards = [queue.get(timeout=1800) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    total = time.perf_counter() - total_started
    delivery_seconds = max(s["ended"] for s in shards) - min(s["started"] for s in shards)
    states = asyncio.run(_count(settings))
    handled = sum(s["handled"] for s in shards)
    return {
        "managers": len(subscriptions),
        "database": "sqlite",
        "worker_processes": workers,
        "reminder_round_seconds": round(round_figures["seconds"], 2),
        "notices_written": round_figures["notices_written"],
        "delivery_seconds": round(delivery_seconds, 2),
        "deliveries_per_second": round(handled / delivery_seconds, 1) if delivery_seconds else None,
        "full_round_seconds": round(total, 2),
        "worker_cpu_us_per_delivery": round(sum(s["cpu_seconds"] for s in shards) / max(handled, 1) * 1e6, 1),
        "worker_peak_rss_mib": round(max(s["peak_rss_mib"] for s in shards), 1),
        "delivery_states": states,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--managers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    from bench.push_fanout import _create_subscriptions, start_service

    keys_dir = Path(tempfile.mkdtemp(prefix="reminder-round-"))
    process, origin = start_service(100)
    try:
        keys = channels.vapid_keys(bench_settings(keys_dir, DatabaseSettings(url="sqlite://")))
        subs = asyncio.run(_create_subscriptions(origin, args.managers, keys))
        raw = [{"endpoint": s.endpoint, "keys": {"p256dh": s.p256dh, "auth": s.auth}} for s in subs]
        print(run(raw, args.workers, keys_dir))
    finally:
        process.terminate()


if __name__ == "__main__":
    main()
