"""Where a payroll worker's CPU goes: one chunk of the overview (read, build inputs, compute, rows) under cProfile.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test DATABASE_SCHEMA=ovw_50k \\
        .venv/bin/python bench/profile_overview.py [--employees 5000] [--top 40] [--no-profile]

Runs in this process what a worker runs for a job (``pool.run_job``), on the first ``--employees`` of the
organisation's employees (Demo AB, seeded as bench/overview_load.py does), twice: the first warms the
caches a worker keeps between jobs (rates, tax tables). Prints the CPU seconds per employee of the second
run (without the profiler's overhead: ``--no-profile``) and, with the profiler, the top functions by own
time and by cumulative time. Not written to results/: it is a tool for finding the costs, the figures
to compare across changes are bench/overview_load.py's CPU seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time
from datetime import date

from sqlmodel import col, select

from backend.config import Settings
from backend.core.database import create_engine, session_maker
from backend.db.models import Employee, Organisation
from backend.payslips import pool, sources


async def _job(settings: Settings, size: int) -> pool.Job:
    engine = create_engine(settings.database)
    async with session_maker(engine)() as session:
        organisation = (
            await session.execute(select(Organisation).where(col(Organisation.name) == "Demo AB"))
        ).scalar_one()
        ids = (
            await session.execute(
                select(col(Employee.id))
                .where(col(Employee.organisation_id) == organisation.id)
                .order_by(col(Employee.id))
                .limit(size)
            )
        ).scalars()
        latest = await sources.latest_run(session, organisation.id)
        from backend.domain.calendar import PayPeriod

        today = date.today()  # a benchmark's day, not a rule
        period = PayPeriod.parse(latest.period).next() if latest else PayPeriod.of(today)
        job = pool.Job(settings.database, organisation.id, period, tuple(ids), today, False, False)
    await engine.dispose()
    return job


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    job = asyncio.run(_job(Settings.from_env(), args.employees))
    pool.run_job(job)  # warm: rates, tax tables, the worker's engine
    pool._start_worker(0)  # as a worker starts: what is loaded so far is out of the collector's sight
    profiler = None if args.no_profile else cProfile.Profile()
    started = time.process_time()
    if profiler:
        profiler.enable()
    done = pool.run_job(job)
    if profiler:
        profiler.disable()
    used = time.process_time() - started
    print(f"{len(done.entries)} rows, {used:.2f} CPU s, {used / max(len(done.entries), 1) * 1e6:.0f} µs per employee")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
