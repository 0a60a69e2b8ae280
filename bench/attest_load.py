"""The manager's inbox with 500 pending items and a bulk approval of 200, on PostgreSQL.

Demo AB on a private schema, 500 submitted items routed to Maria inserted directly,
`selfservice run` as in production; wrk measures GET /api/attest/inbox, and the bulk
POST /api/attest/decisions of 200 items is timed (three rounds, fresh items each).
Goals (issue 5): inbox p95 under 100 ms, bulk of 200 under 2 s. Writes bench/results/attest_load.*

    .venv/bin/python bench/attest_load.py [--backend postgresql|sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from common import cli, database_env, drop_schema, machine, server, token, write_results, wrk

from backend.config import Settings
from backend.core.database import create_engine, session_maker
from backend.db.models import AttestItem, Employee


async def add_items(env: dict[str, str], count: int) -> None:
    """``count`` submitted expense-claim items from Maria's reports, waiting 0-20 days."""
    os.environ.update(env)
    settings = Settings.from_env()
    engine = create_engine(settings.database)
    async with session_maker(engine)() as session:
        from sqlmodel import col, select

        maria = (
            await session.execute(select(Employee).where(col(Employee.email) == "maria.berg@demo.se"))
        ).scalar_one()
        reports = list((await session.execute(select(Employee).where(col(Employee.manager_id) == maria.id))).scalars())
        now = datetime.now(UTC)
        rows = []
        for n in range(count):
            employee = reports[n % len(reports)]
            submitted = now - timedelta(days=n % 21, minutes=n)
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "created_at": submitted,
                    "updated_at": submitted,
                    "organisation_id": employee.organisation_id,
                    "kind": "expense_claim",
                    "subject_id": uuid.uuid4(),
                    "employee_id": employee.id,
                    "approver_employee_id": maria.id,
                    "state": "submitted",
                    "version": 1,
                    "title": f"Utlägg {n}",
                    "amount": Decimal(100 + n % 900),
                    "first_submitted_at": submitted,
                    "submitted_at": submitted,
                    "times_returned": 0,
                    "warnings": [],
                }
            )
        from sqlalchemy import insert

        await session.execute(insert(AttestItem), rows)
        await session.commit()
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="postgresql")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "APP_ENV": "demo",
            "DATA_DIR": tmp,
            "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            "RUN_WORKER_IN_APP": "false",
            **database_env(args.backend, Path(tmp)),
        }
        try:
            cli(env, "db", "upgrade")
            cli(env, "demo", "seed")
            asyncio.run(add_items(env, 500))
            with server(env, 1) as url:
                headers = {"authorization": f"Bearer {token(url, 'maria.berg@demo.se')}"}
                inbox = httpx.get(f"{url}/api/attest/inbox?limit=1000", headers=headers, timeout=30).json()
                pending = inbox["total"]
                wrk(f"{url}/api/attest/inbox?limit=500", headers, seconds=2, connections=4)
                # One manager's phone asks one at a time: latency with one connection; then 4 at once.
                single = wrk(
                    f"{url}/api/attest/inbox?limit=500", headers, seconds=args.seconds, connections=1, threads=1
                )
                listing = wrk(f"{url}/api/attest/inbox?limit=500", headers, seconds=args.seconds, connections=4)
                rounds = []
                items = [i for i in inbox["items"]]
                for round_ in range(2):
                    batch = items[round_ * 200 : (round_ + 1) * 200]
                    body = {
                        "decisions": [{"item_id": i["id"], "action": "approve", "version": i["version"]} for i in batch]
                    }
                    started = time.perf_counter()
                    response = httpx.post(f"{url}/api/attest/decisions", json=body, headers=headers, timeout=60)
                    rounds.append(time.perf_counter() - started)
                    outcome = response.json()
                    assert outcome["approved"] == 200, outcome
        finally:
            drop_schema(env)
    result = {
        "machine": machine(),
        "backend": args.backend,
        "pending_items": pending,
        "inbox_500_one_connection": single,
        "inbox_500": listing,
        "bulk_200_seconds": [round(r, 3) for r in rounds],
    }
    markdown = (
        f"| measure ({args.backend}) | figure | goal |\n|---|---|---|\n"
        f"| inbox with {pending} pending items, 500 per page, one client: p50 / p95 / p99 | "
        f"{single['p50_ms']:.1f} / {single['p95_ms']:.1f} / {single['p99_ms']:.1f} ms ({single['rps']:.0f} req/s) | p95 < 100 ms |\n"
        f"| the same, 4 clients at once: p50 / p95 / p99 | "
        f"{listing['p50_ms']:.1f} / {listing['p95_ms']:.1f} / {listing['p99_ms']:.1f} ms ({listing['rps']:.0f} req/s) | p95 < 100 ms |\n"
        f"| bulk approval of 200 items | {', '.join(f'{r:.2f}' for r in rounds)} s (median {statistics.median(rounds):.2f} s) | < 2 s |\n"
    )
    write_results("attest_load", result, markdown)


if __name__ == "__main__":
    main()
