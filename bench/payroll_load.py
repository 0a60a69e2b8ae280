"""Preliminary payslips at scale, on PostgreSQL (issue 6).

For each organisation size: Demo AB with N employees on a private schema; Anna gets a
pay history (finalised payslips for January-October 2026: 2025's tax figures are not in
the material, so twelve months of history are not possible); then
  * one preliminary payslip over HTTP (Anna, `selfservice run`, wrk): p50/p95 (goal p95 < 30 ms);
  * the whole organisation's preliminary payroll computed in a fresh process: seconds and
    peak memory (goal for 10,000: under 10 s and 500 MB).
Writes bench/results/payroll_load.*

``--year`` (issue 13) measures only the payroll office's month at 10,000 employees: the
preliminary payroll of the whole organisation (``PayslipService.overview``) and then the
finalised pay run of the same month (``PayslipService.finalise``), each in a fresh process
(seconds, peak RSS, and tracemalloc's peak of Python allocations), with the load average
beside each figure: the two cores are shared. Writes bench/results/payroll_year.*

    .venv/bin/python bench/payroll_load.py [--sizes 1000,10000,50000]
    .venv/bin/python bench/payroll_load.py --year [--sizes 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from common import BIN, cli, database_env, drop_schema, machine, server, token, write_results, wrk

ROOT = Path(__file__).resolve().parent.parent


async def _principal_and_session(env: dict[str, str]):  # type: ignore[no-untyped-def]
    os.environ.update(env)
    from sqlmodel import col, select

    from backend.config import Settings
    from backend.core.auth import Principal
    from backend.core.authorization import Role
    from backend.core.database import create_engine, session_maker
    from backend.db.models import Account, Employee

    settings = Settings.from_env()
    engine = create_engine(settings.database)
    sessions = session_maker(engine)
    async with sessions() as session:
        lena = (await session.execute(select(Account).where(col(Account.email) == "lena.lind@demo.se"))).scalar_one()
        anna = (
            await session.execute(select(Employee).where(col(Employee.email) == "anna.andersson@demo.se"))
        ).scalar_one()
    principal = Principal(lena.id, lena.organisation_id, lena.employee_id, frozenset({Role.PAYROLL}), lena.email)
    return engine, sessions, principal, anna.id


async def build_history(env: dict[str, str]) -> None:
    from backend.domain.calendar import PayPeriod
    from backend.payslips.services import PayslipService

    engine, sessions, principal, anna = await _principal_and_session(env)
    for month in range(1, 11):
        async with sessions() as session:
            service = PayslipService(session, principal, date(2026, month, 20), "sv")
            await service.finalise(
                PayPeriod(2026, month), extra=False, now=datetime(2026, month, 20, 12, tzinfo=UTC), employee_ids=[anna]
            )
    await engine.dispose()


async def whole_organisation(env: dict[str, str]) -> dict[str, float]:
    from backend.payslips.services import PayslipService

    engine, sessions, principal, _ = await _principal_and_session(env)
    async with sessions() as session:
        started, cpu = time.perf_counter(), time.process_time()
        overview = await PayslipService(session, principal, date(2026, 11, 23), "sv").overview(None)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    await engine.dispose()
    return {
        "employees": overview.employees,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "gross_pay": str(overview.gross_pay),
    }


async def pay_run(env: dict[str, str]) -> dict[str, object]:
    """November finalised for everyone: payslips stored, items locked, notices written."""
    from backend.domain.calendar import PayPeriod
    from backend.payslips.services import PayslipService

    engine, sessions, principal, _ = await _principal_and_session(env)
    async with sessions() as session:
        started, cpu = time.perf_counter(), time.process_time()
        run = await PayslipService(session, principal, date(2026, 11, 23), "sv").finalise(
            PayPeriod(2026, 11), extra=False, now=datetime(2026, 11, 23, 12, tzinfo=UTC)
        )
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    await engine.dispose()
    return {
        "employees": run.employees,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "gross_pay": str(run.gross_pay),
    }


def _child(mode: str, env: dict[str, str], trace: bool = False) -> dict[str, object]:
    """One measurement in a fresh process, with the load average before and after it."""
    before = [round(x, 2) for x in os.getloadavg()]
    child = subprocess.run(
        [str(BIN / "python"), __file__, mode, *(["--tracemalloc"] if trace else [])],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT / "bench",
    )
    result: dict[str, object] = json.loads(child.stdout.strip().splitlines()[-1])
    result["load_average_before"] = before
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def run_year(size: int) -> dict[str, object]:
    """Preliminary overview, then the finalised run, of one month at ``size`` employees (PostgreSQL)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "APP_ENV": "demo",
            "DATA_DIR": tmp,
            "RUN_WORKER_IN_APP": "false",
            **database_env("postgresql", Path(tmp)),
        }
        try:
            cli(env, "db", "upgrade")
            started = time.perf_counter()
            cli(env, "demo", "seed", "--employees", str(size))
            seed_seconds = time.perf_counter() - started
            asyncio.run(build_history(env))
            overview = _child("--whole-organisation", env)
            overview_traced = _child("--whole-organisation", env, trace=True)
            run = _child("--pay-run", env)
        finally:
            drop_schema(env)
    return {
        "employees": size,
        "seed_seconds": round(seed_seconds, 1),
        "preliminary_overview": overview,
        "preliminary_overview_tracemalloc": overview_traced,
        "pay_run": run,
    }


def _traced(measure: dict[str, object], traced: bool) -> dict[str, object]:
    """Add tracemalloc's peak (it slows the code down: its seconds are not the figure)."""
    if traced:
        import tracemalloc

        measure["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1024 / 1024, 1)
    return measure


def year_main(sizes: str) -> None:
    rows = [run_year(int(size)) for size in sizes.split(",")]
    lines = [
        "Issue 13: the payroll office's month on PostgreSQL (goal at 10,000: preliminary overview < 3 s and < 500 MB).",
        "Each figure in a fresh process; load average (1, 5, 15 min) before it, on 2 shared cores.",
        "",
        "| employees | preliminary overview: wall / CPU | peak RSS | Python peak (tracemalloc) | load before | "
        "finalised pay run: wall / CPU | peak RSS | load before |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        o, t, r = row["preliminary_overview"], row["preliminary_overview_tracemalloc"], row["pay_run"]
        lines.append(
            f"| {row['employees']:,} | {o['seconds']} / {o['cpu_seconds']} s | {o['peak_rss_mb']} MB | "  # type: ignore[index]
            f"{t['tracemalloc_peak_mb']} MB | {o['load_average_before']} | "  # type: ignore[index]
            f"{r['seconds']} / {r['cpu_seconds']} s | {r['peak_rss_mb']} MB | {r['load_average_before']} |"  # type: ignore[index]
        )
    write_results("payroll_year", {"machine": machine(), "results": rows}, "\n".join(lines) + "\n")


def run_size(size: int, seconds: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "APP_ENV": "demo",
            "DATA_DIR": tmp,
            "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            "RUN_WORKER_IN_APP": "false",
            **database_env("postgresql", Path(tmp)),
        }
        try:
            cli(env, "db", "upgrade")
            started = time.perf_counter()
            cli(env, "demo", "seed", "--employees", str(size))
            seed_seconds = time.perf_counter() - started
            asyncio.run(build_history(env))
            with server(env, 1) as url:
                headers = {"authorization": f"Bearer {token(url, 'anna.andersson@demo.se')}"}
                wrk(f"{url}/api/payslips/preliminary", headers, seconds=2, connections=4)
                # Anna's phone asks one at a time: latency with one connection; then 4 clients at once.
                single = wrk(f"{url}/api/payslips/preliminary", headers, seconds=seconds, connections=1)
                four = wrk(f"{url}/api/payslips/preliminary", headers, seconds=seconds, connections=4)
            child = subprocess.run(
                [str(BIN / "python"), __file__, "--whole-organisation"],
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT / "bench",
            )
            organisation = json.loads(child.stdout.strip().splitlines()[-1])
        finally:
            drop_schema(env)
    return {
        "employees": size,
        "seed_seconds": round(seed_seconds, 1),
        "single_payslip": single,
        "single_payslip_4_clients": four,
        "organisation": organisation,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--year", action="store_true", help="issue 13: overview and pay run -> payroll_year.*")
    parser.add_argument("--whole-organisation", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pay-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    if args.whole_organisation:
        print(json.dumps(_traced(asyncio.run(whole_organisation({})), args.tracemalloc)))
        return
    if args.pay_run:
        print(json.dumps(_traced(asyncio.run(pay_run({})), args.tracemalloc)))
        return
    if args.year:
        year_main(args.sizes if args.sizes != parser.get_default("sizes") else "10000")
        return
    rows = [run_size(int(size), args.seconds) for size in args.sizes.split(",")]
    lines = [
        "| employees | one payslip over HTTP, one client: p50 / p95 (goal p95 < 30 ms) | 4 clients at once: p50 / p95 | whole organisation (goal 10,000: < 10 s, < 500 MB) |",
        "|---|---|---|---|",
    ]
    for row in rows:
        single, four, org = row["single_payslip"], row["single_payslip_4_clients"], row["organisation"]
        lines.append(
            f"| {row['employees']:,} | {single['p50_ms']:.1f} / {single['p95_ms']:.1f} ms ({single['rps']:.0f} req/s) | "  # type: ignore[index]
            f"{four['p50_ms']:.1f} / {four['p95_ms']:.1f} ms ({four['rps']:.0f} req/s) | "  # type: ignore[index]
            f"{org['seconds']} s, {org['peak_rss_mb']} MB peak |"  # type: ignore[index]
        )
    write_results("payroll_load", {"machine": machine(), "results": rows}, "\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
