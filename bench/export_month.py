"""A month's export at 10,000 employees on PostgreSQL (issue 14): close (freezing) and both downloads.

Demo AB with N employees on a private schema; per employee two approved time weeks (ten days of
work) and one approved expense claim with 30 privately paid expenses: 40 payroll transactions per
employee (400,000 at 10,000) and one voucher per claim, all approved into November 2026. Then, in a
fresh process (so its peak RSS is the export's own): close November (read the facts in chunks, build,
freeze the rows, render both files once into the content store with their sha256) and download each
file (the stored bytes) to /dev/null.
Goal: under 10 s and 300 MB. Writes bench/results/export_month.json with the load average.

    .venv/bin/python bench/export_month.py [--employees 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import database_env, drop_schema, machine, write_results  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
APPROVED = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
WEEKS = (date(2026, 10, 19), date(2026, 10, 26))
EXPENSES = 30


async def seed(employees: int) -> None:
    from sqlalchemy import insert
    from sqlmodel import col, select

    from backend.config import Settings
    from backend.core.clock import FixedClock, use
    from backend.core.database import create_engine, session_maker
    from backend.db.models import AttestItem, Employee, Expense, ExpenseClaim, TimeEntry, TimeRow, TimeWeek
    from backend.demo.seed import seed_demo

    use(FixedClock(NOW))
    settings = Settings.from_env()
    engine = create_engine(settings.database)
    sessions = session_maker(engine)
    org_id = await seed_demo(sessions, NOW.date(), employees=employees, password_hash="x", history=False)
    async with sessions() as session:
        people = (
            await session.execute(select(col(Employee.id)).where(col(Employee.organisation_id) == org_id))
        ).scalars()
        ids = list(people)

    def stamp() -> dict[str, Any]:
        return {"id": uuid.uuid4(), "created_at": APPROVED, "updated_at": APPROVED}

    def item(kind: str, subject: uuid.UUID, employee: uuid.UUID, title: str, amount: Decimal | None) -> dict[str, Any]:
        return stamp() | {
            "organisation_id": org_id,
            "kind": kind,
            "subject_id": subject,
            "employee_id": employee,
            "state": "approved",
            "version": 2,
            "title": title,
            "amount": amount,
            "first_submitted_at": APPROVED,
            "submitted_at": APPROVED,
            "decided_at": APPROVED,
            "pay_period": "2026-11",
            "warnings": [],
        }

    for start in range(0, len(ids), 500):
        rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in (TimeWeek, TimeRow, TimeEntry, ExpenseClaim, Expense)}
        items: list[dict[str, Any]] = []
        for employee in ids[start : start + 500]:
            for monday in WEEKS:
                week = stamp() | {"organisation_id": org_id, "employee_id": employee, "week_start": monday}
                row = stamp() | {"organisation_id": org_id, "week_id": week["id"], "position": 0, "code": "work"}
                rows[TimeWeek].append(week)
                rows[TimeRow].append(row)
                for offset in range(5):
                    rows[TimeEntry].append(
                        stamp()
                        | {
                            "organisation_id": org_id,
                            "employee_id": employee,
                            "week_id": week["id"],
                            "row_id": row["id"],
                            "day": monday + timedelta(days=offset),
                            "code": "work",
                            "hours": Decimal(8),
                        }
                    )
                items.append(item("time_week", week["id"], employee, f"Vecka {monday:%V}", None))
            claim = stamp() | {"organisation_id": org_id, "employee_id": employee, "title": "Utlägg oktober"}
            rows[ExpenseClaim].append(claim)
            total = Decimal(0)
            for n in range(EXPENSES):
                amount = Decimal(100 + n) + Decimal("0.50")
                total += amount
                rows[Expense].append(
                    stamp()
                    | {
                        "organisation_id": org_id,
                        "employee_id": employee,
                        "claim_id": claim["id"],
                        "expense_date": date(2026, 10, 1 + n),
                        "merchant": "ICA Supermarket",
                        "amount": amount,
                        "amount_sek": amount,
                        "vat": [{"rate": "12", "amount": str((amount * 12 / 112).quantize(Decimal("0.01")))}],
                        "category": "meal",
                        "payment": "private",
                    }
                )
            items.append(item("expense_claim", claim["id"], employee, "Utlägg oktober", total))
        async with sessions() as session:
            for model in (TimeWeek, TimeRow, TimeEntry, ExpenseClaim, Expense):
                await session.execute(insert(model), rows[model])
            await session.execute(insert(AttestItem), items)
            await session.commit()
    await engine.dispose()


PHASES = {
    "facts": ("backend.exports.batches", "item_facts"),
    "insert_rows": ("backend.exports.batches", "insert_rows"),
    "render_and_store": ("backend.storage", "ContentStore.put_stream"),
}
"""Parts of the close timed in the export process (wall seconds; the rest of the close builds rows)."""


def _time_phases() -> dict[str, float]:
    """Wrap the functions of ``PHASES`` so each adds its wall time to the returned dict."""
    import functools
    import importlib

    spent = dict.fromkeys(PHASES, 0.0)
    for label, (module_name, name) in PHASES.items():
        owner: Any = importlib.import_module(module_name)
        *path, attribute = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        original = getattr(owner, attribute)

        @functools.wraps(original)
        async def timed(*args: Any, _original: Any = original, _label: str = label, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await _original(*args, **kwargs)
            finally:
                spent[_label] += time.perf_counter() - started

        setattr(owner, attribute, timed)
    return spent


async def _watch_loop(stalls: list[float]) -> None:
    """How long the close keeps the event loop from other requests: the lateness of a 10 ms tick."""
    while True:
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        stalls.append(time.perf_counter() - before - 0.01)


async def export() -> dict[str, Any]:
    from sqlmodel import col, select

    from backend.config import Settings
    from backend.core.clock import FixedClock, use
    from backend.core.database import create_engine, session_maker
    from backend.db.models import Organisation
    from backend.domain.calendar import PayPeriod
    from backend.exports.files import file_bytes
    from backend.exports.periods import PeriodService
    from backend.storage import open_store

    use(FixedClock(NOW))
    spent = _time_phases()
    engine = create_engine(Settings.from_env().database)
    sessions = session_maker(engine)
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    storage = open_store(None, folder)  # the local content store, as the app's default
    figures: dict[str, Any] = {}
    async with sessions() as session:
        organisation = (
            await session.execute(select(Organisation).where(col(Organisation.name) == "Demo AB"))
        ).scalar_one()
        started = time.perf_counter()
        stalls: list[float] = []
        watcher = asyncio.create_task(_watch_loop(stalls))
        closed = await PeriodService(session, None, organisation.id, storage).close(PayPeriod(2026, 11), NOW, "bench")
        figures["close_seconds"] = round(time.perf_counter() - started, 2)
        watcher.cancel()
        figures["longest_loop_stall_seconds"] = round(max(stalls, default=0.0), 2)
        batch = closed.batch
        figures |= {"items": batch.items, "transactions": batch.transactions, "vouchers": batch.vouchers}
    for kind in ("paxml", "sie"):
        async with sessions() as session:
            started = time.perf_counter()
            size = 0
            with open(os.devnull, "wb") as sink:  # noqa: ASYNC230 - /dev/null never blocks
                async for piece in file_bytes(session, batch, kind, storage):
                    size += len(piece)
                    sink.write(piece)
            figures[f"{kind}_seconds"] = round(time.perf_counter() - started, 2)
            figures[f"{kind}_bytes"] = size
    await engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    figures["close_phases_seconds"] = {label: round(seconds, 2) for label, seconds in spent.items()}
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["export_seconds"] = round(figures["close_seconds"] + figures["paxml_seconds"] + figures["sie_seconds"], 2)
    return figures


def _markdown(result: dict[str, Any]) -> str:
    return (
        f"# Export of a month ({result['employees']} employees, {result['database']})\n\n"
        f"| step | seconds |\n|---|---|\n"
        f"| close (freeze {result.get('transactions')} transactions, {result.get('vouchers')} vouchers, render and store both files) "
        f"| {result.get('close_seconds')} |\n"
        f"| PAXml download ({result.get('paxml_bytes')} bytes) | {result.get('paxml_seconds')} |\n"
        f"| SIE download ({result.get('sie_bytes')} bytes) | {result.get('sie_seconds')} |\n\n"
        "Inside the close (wall seconds; the rest builds the rows with the export rules):\n\n"
        "| part of the close | seconds |\n|---|---|\n"
        + "".join(f"| {label} | {seconds} |\n" for label, seconds in result.get("close_phases_seconds", {}).items())
        + "\n"
        f"The close kept the event loop busy for at most {result.get('longest_loop_stall_seconds')} s at a time. "
        f"Peak RSS of the export process: {result.get('peak_rss_mb')} MB. "
        f"Load average before: {result.get('load_before_export')}, after: {result.get('load_after')}.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--child", choices=["seed", "export"])
    args = parser.parse_args()
    if args.child == "seed":
        from backend.config import Settings
        from backend.db import migrate

        migrate.upgrade(Settings.from_env().database)
        asyncio.run(seed(args.employees))
        return
    if args.child == "export":
        print(json.dumps(asyncio.run(export())))
        return
    workdir = Path(tempfile.mkdtemp(prefix="bench-export-db-"))
    env = os.environ | database_env(args.database, workdir) | {"APP_ENV": "test", "PYTHONPATH": str(ROOT)}
    result: dict[str, Any] = {"machine": machine(), "employees": args.employees, "database": args.database}
    try:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--child", "seed", "--employees", str(args.employees)], env=env, check=True
        )
        result["seed_seconds"] = round(time.perf_counter() - started, 1)
        result["load_before_export"] = [round(x, 2) for x in os.getloadavg()]
        out = subprocess.run(
            [sys.executable, __file__, "--child", "export"], env=env, check=True, capture_output=True, text=True
        )
        result |= json.loads(out.stdout.strip().splitlines()[-1])
        result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        drop_schema(env)
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result, indent=2))
    write_results("export_month" if args.database == "postgresql" else "export_month_sqlite", result, _markdown(result))


if __name__ == "__main__":
    main()
