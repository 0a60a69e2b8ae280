"""EXPLAIN ANALYZE of the queries that grow with the tables, before and after the indexes of issue 17.

A private PostgreSQL schema is migrated to the revision before the indexes, Demo AB (200 employees) is
seeded and realistic volumes are inserted with generate_series (100 000 deliveries and notices, 50 000
attest items and idempotency keys, 20 000 receipts). The statements are the ones the code sends: each
scenario runs the real service or worker function once with a listener that records its SQL and
parameters (pruning: the very batch statement ``delete_in_batches`` runs), and each is explained with
ANALYZE inside a transaction that is rolled back. Then the schema is upgraded to head (the indexes),
ANALYZEd, and the same statements are explained again. Writes bench/results/indexes.{json,md}.

    .venv/bin/python bench/index_explain.py
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from common import POSTGRES, machine, write_results
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col, select

from backend.attest.inbox import AttestInbox
from backend.config import DatabaseSettings, RetentionSettings, normalise_database_url
from backend.core.auth import Principal
from backend.core.authorization import Role
from backend.core.database import create_engine, session_maker
from backend.db import migrate
from backend.db.models import Account, Delivery, Employee, IdempotentRequest, Notice, Receipt
from backend.demo.seed import seed_demo
from backend.expenses.interpretation import FIND_LIMIT, WAITING
from backend.maintenance.pruning import batch_delete, expired_idempotency_keys, finished_deliveries, old_notices
from backend.maintenance.retention import cutoffs
from backend.notices.delivery import claim
from backend.notices.services import NoticeService

BEFORE = "f6a7c9d1e2b3"
"""The head before this change's migration."""
"""As ``backend.expenses.interpretation`` claims (not imported: it pulls in the worker's scheduler)."""
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
COUNTS = {"delivery": 100_000, "notice": 100_000, "attestitem": 50_000, "idempotentrequest": 50_000, "receipt": 20_000}

FILL = """
WITH a AS (SELECT array_agg(id ORDER BY id) ids, array_agg(organisation_id ORDER BY id) orgs FROM account)
INSERT INTO notice (id, created_at, updated_at, organisation_id, account_id, category, title_sv, title_en,
                    body_sv, body_en, url, ids, dedupe_key, read_at)
SELECT gen_random_uuid(), :now - (g % 730) * interval '1 day' - (g % 1440) * interval '1 minute', :now,
       a.orgs[1 + g % cardinality(a.ids)], a.ids[1 + g % cardinality(a.ids)], 'item_decided', 'Beslut', 'Decision',
       '', '', '/', '{}', 'bench:' || g, CASE WHEN g % 10 < 7 THEN :now - (g % 700) * interval '1 day' END
FROM a, generate_series(1, :notices) g;

INSERT INTO delivery (id, created_at, updated_at, organisation_id, account_id, notice_id, channel, category, payload,
                      urgency, ttl_seconds, state, attempts, next_attempt_at)
SELECT gen_random_uuid(), n.created_at, n.created_at + interval '1 minute', n.organisation_id, n.account_id, n.id,
       'push', 'item_decided', '{}', 'normal', 86400,
       CASE WHEN row_number() OVER () % 50 = 0 THEN 'pending'
            ELSE (ARRAY['sent','sent','sent','sent','failed','skipped','gone','superseded'])[1 + (row_number() OVER ()) % 8]
       END, 1, n.created_at + interval '1 minute'
FROM notice n;

UPDATE delivery SET created_at = :now - (abs(hashtext(id::text)) % 120) * interval '1 minute',
                    updated_at = :now, next_attempt_at = :now + (abs(hashtext(id::text)) % 60) * interval '1 minute'
WHERE state = 'pending';

WITH e AS (SELECT array_agg(id ORDER BY id) ids, array_agg(organisation_id ORDER BY id) orgs FROM employee)
INSERT INTO attestitem (id, created_at, updated_at, organisation_id, kind, subject_id, employee_id, state, version,
                        title, amount, first_submitted_at, submitted_at, decided_at, times_returned, warnings)
SELECT gen_random_uuid(), :now, :now, e.orgs[1 + g % cardinality(e.ids)], 'expense_claim', gen_random_uuid(),
       e.ids[1 + g % cardinality(e.ids)],
       CASE WHEN g % 50 = 0 THEN 'submitted' WHEN g % 50 = 1 THEN 'returned' WHEN g % 3 = 0 THEN 'approved' ELSE 'locked' END,
       1, 'Utlägg', 10000, :now - (g % 700) * interval '1 day', :now - (g % 700) * interval '1 day',
       CASE WHEN g % 50 <> 0 THEN :now - (g % 700) * interval '1 day' + interval '2 days' END, 0, '[]'
FROM e, generate_series(1, :items) g;

WITH a AS (SELECT array_agg(id ORDER BY id) ids FROM account)
INSERT INTO idempotentrequest (id, created_at, updated_at, account_id, key, fingerprint, status_code, body)
SELECT gen_random_uuid(), :now - (g % 2880) * interval '1 minute', :now, a.ids[1 + g % cardinality(a.ids)],
       'bench-' || g, repeat('0', 64), 201, '\\x7b7d'
FROM a, generate_series(1, :keys) g;

WITH e AS (SELECT array_agg(id ORDER BY id) ids, array_agg(organisation_id ORDER BY id) orgs FROM employee)
INSERT INTO receipt (id, created_at, updated_at, organisation_id, employee_id, sha256, content_type, size_bytes,
                     state, attempts)
SELECT gen_random_uuid(), :now - (g % 500) * interval '1 day', :now, e.orgs[1 + g % cardinality(e.ids)],
       e.ids[1 + g % cardinality(e.ids)], md5(g::text) || md5(g::text), 'image/jpeg', 100000,
       CASE WHEN g % 200 = 0 THEN 'queued' WHEN g % 97 = 0 THEN 'failed' ELSE 'done' END, 1
FROM e, generate_series(1, :receipts) g;
"""


@dataclass
class Recorder:
    """Statements (and their parameters) the engine sends while ``active``."""

    active: bool = False
    sent: list[tuple[str, Any]] = field(default_factory=list)

    def __call__(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if self.active:
            self.sent.append((statement, parameters))


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    run: Callable[[AsyncSession, dict[str, Any]], Awaitable[object]]
    pick: str
    """A fragment of the statement to explain (a scenario sends several)."""


def _principal(people: dict[str, Any], email: str, *roles: Role) -> Principal:
    account, employee, org = people[email]
    return Principal(account, org, employee, frozenset(roles), email)


def _prune(model: Any, condition: Any) -> Callable[[AsyncSession, dict[str, Any]], Awaitable[object]]:
    async def go(session: AsyncSession, _people: dict[str, Any]) -> object:
        return await session.execute(batch_delete(model, condition, 5000, postgresql=True))

    return go


async def _find_receipts(session: AsyncSession, _people: dict[str, Any]) -> object:
    """As ``interpretation.waiting_receipts`` (the receipt finder) reads the queue."""
    statement = (
        select(Receipt.id).where(col(Receipt.state).in_(WAITING)).order_by(col(Receipt.created_at)).limit(FIND_LIMIT)
    )
    return list((await session.execute(statement)).scalars())


LIMITS = cutoffs(NOW, RetentionSettings(), 24)
STEADY = cutoffs(NOW, RetentionSettings(delivery_days=725, read_notice_days=725, unread_notice_days=725), 24)
"""A daily prune once the backlog is gone: only the rows that passed their retention since yesterday qualify."""
SCENARIOS = [
    Scenario(
        "attest_inbox",
        "Maria's inbox (GET /api/attest/inbox)",
        lambda s, p: AttestInbox(s, _principal(p, "maria.berg@demo.se", Role.MANAGER), NOW.date(), "sv").inbox(),
        "FROM attestitem JOIN employee",
    ),
    Scenario(
        "attest_archive_payroll",
        "payroll's archive, newest decisions first (GET /api/attest/archive)",
        lambda s, p: AttestInbox(s, _principal(p, "lena.lind@demo.se", Role.PAYROLL), NOW.date(), "sv").archive(),
        "FROM attestitem JOIN employee",
    ),
    Scenario(
        "attest_archive_manager",
        "Maria's archive (GET /api/attest/archive)",
        lambda s, p: AttestInbox(s, _principal(p, "maria.berg@demo.se", Role.MANAGER), NOW.date(), "sv").archive(),
        "FROM attestitem JOIN employee",
    ),
    Scenario(
        "notices_list",
        "Anna's notices, newest first (GET /api/notifications)",
        lambda s, p: NoticeService(s, _principal(p, "anna.andersson@demo.se", Role.EMPLOYEE)).list(
            "sv", unread_only=False, limit=50, before=None
        ),
        "ORDER BY notice.created_at DESC",
    ),
    Scenario(
        "notices_unread",
        "Anna's unread count",
        lambda s, p: NoticeService(s, _principal(p, "anna.andersson@demo.se", Role.EMPLOYEE)).unread(),
        "count(*)",
    ),
    Scenario(
        "receipt_finder",
        "the receipt queue: receipts waiting, oldest first (the finder)",
        _find_receipts,
        "FROM receipt",
    ),
    Scenario(
        "delivery_claimed",
        "the outbox: a sending job's deliveries read back (by its job mark)",
        lambda s, _p: claim(s, "job:bench", 100, NOW),
        "WHERE delivery.locked_by",
    ),
    Scenario(
        "prune_deliveries",
        "prune: one batch of finished deliveries",
        _prune(Delivery, finished_deliveries(LIMITS)),
        "DELETE",
    ),
    Scenario("prune_notices", "prune: one batch of old notices", _prune(Notice, old_notices(LIMITS)), "DELETE"),
    Scenario(
        "prune_deliveries_steady",
        "prune in steady state (few rows old enough): finished deliveries",
        _prune(Delivery, finished_deliveries(STEADY)),
        "DELETE",
    ),
    Scenario(
        "prune_notices_steady",
        "prune in steady state (few rows old enough): notices",
        _prune(Notice, old_notices(STEADY)),
        "DELETE",
    ),
    Scenario(
        "prune_idempotency_keys",
        "prune: one batch of expired idempotency keys",
        _prune(IdempotentRequest, expired_idempotency_keys(LIMITS)),
        "DELETE",
    ),
]


async def explain(engine: AsyncEngine, recorder: Recorder, people: dict[str, Any]) -> dict[str, dict[str, Any]]:
    plans: dict[str, dict[str, Any]] = {}
    for scenario in SCENARIOS:
        async with engine.connect() as connection:
            session = AsyncSession(bind=connection)
            recorder.sent.clear()
            recorder.active = True
            transaction = await connection.begin()
            try:
                await scenario.run(session, people)
            finally:
                recorder.active = False
                await transaction.rollback()
            statement, parameters = next((s, p) for s, p in recorder.sent if scenario.pick in s)
            async with connection.begin() as transaction:
                rows = await connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
                plan = [row[0] for row in rows]
                await transaction.rollback()
            await session.close()
        execution = next(line for line in plan if line.startswith("Execution Time"))
        plans[scenario.name] = {"what": scenario.what, "sql": statement, "plan": plan, "execution": execution}
        print(f"{scenario.name}: {execution}")
    return plans


def _indexes(plan: list[str]) -> str:
    used = sorted({match for line in plan for match in re.findall(r"(?:using|Index Scan on) (\w+)", line)})
    return ", ".join(used) or "none (sequential scan)"


async def main() -> None:
    schema = f"bench_ix_{uuid.uuid4().hex[:8]}"
    database = DatabaseSettings(url=normalise_database_url(POSTGRES), schema=schema)
    before_machine = machine()
    await asyncio.to_thread(migrate.upgrade, database, BEFORE)
    engine = create_engine(database)
    recorder = Recorder()
    event.listen(engine.sync_engine, "before_cursor_execute", recorder)
    try:
        await seed_demo(session_maker(engine), NOW.date(), employees=200, history=False)
        async with engine.begin() as connection:
            for part in FILL.split(";\n\n"):
                sql = part.strip().rstrip(";")
                for name, value in {
                    ":notices": COUNTS["notice"],
                    ":items": COUNTS["attestitem"],
                    ":keys": COUNTS["idempotentrequest"],
                    ":receipts": COUNTS["receipt"],
                }.items():
                    sql = sql.replace(name, str(value))
                await connection.execute(text(sql.replace(":now", "CAST(:now AS timestamptz)")), {"now": NOW})
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
            counts = {
                table: (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                for table in COUNTS
            }
        async with session_maker(engine)() as session:
            rows = await session.execute(
                select(Account.email, Account.id, Employee.id, Account.organisation_id).join(
                    Employee, col(Employee.id) == col(Account.employee_id)
                )
            )
            people = {email: (account, employee, org) for email, account, employee, org in rows.tuples()}
        before = await explain(engine, recorder, people)
        await engine.dispose()
        await asyncio.to_thread(migrate.upgrade, database, "head")
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
        after = await explain(engine, recorder, people)
    finally:
        await engine.dispose()
        cleanup = create_engine(replace(database, schema=None))
        async with cleanup.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await cleanup.dispose()
    after_machine = machine()
    write_results(
        "indexes",
        {"counts": counts, "before": before, "after": after, "machine": [before_machine, after_machine]},
        _markdown(counts, before, after, before_machine, after_machine),
    )


def _markdown(
    counts: dict[str, int], before: dict[str, Any], after: dict[str, Any], m0: dict[str, Any], m1: dict[str, Any]
) -> str:
    lines = [
        "# Indexes for the queries that grow with the tables (issue 17)",
        "",
        f"PostgreSQL, `bench/index_explain.py`, {m0['when']}; load average {m0['load_before']} at the start and "
        f"{m1['load_before']} at the end ({m0['cpus']} cores, shared with other work: times are indicative, the plans are the point).",
        "Rows: " + ", ".join(f"{table} {count:,}".replace(",", " ") for table, count in counts.items()) + ".",
        "Each statement is the one the code sends (recorded from the real service, worker or prune function), "
        "explained with ANALYZE in a transaction that is rolled back; *before* is revision "
        f"`{BEFORE}`, *after* is head with this change's migration.",
        "",
        "| query | before: indexes used | before | after: indexes used | after |",
        "|---|---|---|---|---|",
    ]
    for name, plan in before.items():
        new = after[name]
        lines.append(
            f"| {plan['what']} | {_indexes(plan['plan'])} | {plan['execution'].split(': ')[1]} "
            f"| {_indexes(new['plan'])} | {new['execution'].split(': ')[1]} |"
        )
    lines += ["", "## Plans", ""]
    for name, plan in before.items():
        lines += [f"### {plan['what']}", "", "```sql", plan["sql"], "```", "", "Before:", "", "```"]
        lines += plan["plan"] + ["```", "", "After:", "", "```"] + after[name]["plan"] + ["```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    asyncio.run(main())
