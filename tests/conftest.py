"""Shared fixtures: real databases (SQLite and PostgreSQL), the app, signed-in clients."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.app import create_app
from backend.config import AuthSettings, DatabaseSettings, Settings
from backend.core.clock import FixedClock
from backend.core.clock import use as use_clock
from backend.core.database import create_engine, session_maker
from backend.core.passwords import hash_password
from backend.db.models import Account, Employee
from backend.demo.seed import DEMO_PASSWORD, seed_demo
from backend.worker.context import WorkerContext
from backend.worker.jobs import Jobs
from tests.support.databases import backends, drop, empty_tables, prepare
from tests.support.jobs import RunJobs

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
# A fixed moment keeps dates in tests stable: Monday 23 November 2026, 10:00 in Stockholm.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@lru_cache(maxsize=1)
def cheap_demo_hash() -> str:
    """Argon2 with tiny parameters: the same code path, a fraction of the time."""
    return hash_password(DEMO_PASSWORD, time_cost=1, memory_cost_kib=8192)


@pytest.fixture(scope="session", params=backends())
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseSettings]:
    """A migrated database per backend for the whole run; tests start from empty tables."""
    backend = str(request.param)
    settings = prepare(backend, tmp_path_factory.mktemp(backend))
    yield settings
    drop(settings)


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    """The tests' one clock, installed for row timestamps too (``backend.core.clock.use``)."""
    fixed = FixedClock(NOW)
    previous = use_clock(fixed)
    yield fixed
    use_clock(previous)


@pytest.fixture
def settings(database: DatabaseSettings, tmp_path: Path) -> Settings:
    return Settings.from_env(
        environment="test",
        data_dir=tmp_path,
        database=database,
        auth=AuthSettings(secret_key="test-secret-" + "x" * 32, argon2_time_cost=1, argon2_memory_cost_kib=8192),
        log_requests=False,
        log_level="WARNING",
        pwa_dist=tmp_path / "no-pwa",
        run_worker_in_app=False,
    )


@pytest.fixture
async def engine(database: DatabaseSettings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database)
    await empty_tables(engine)
    yield engine
    await engine.dispose()


@dataclass
class Org:
    id: UUID
    employees: dict[str, UUID]
    """Employee id by e-mail."""
    accounts: dict[str, UUID]
    """Account id by e-mail."""


async def _load(engine: AsyncEngine, org_id: UUID) -> Org:
    async with session_maker(engine)() as session:
        employee_rows = await session.execute(
            select(Employee.email, Employee.id).where(col(Employee.organisation_id) == org_id)
        )
        account_rows = await session.execute(
            select(Account.email, Account.id).where(col(Account.organisation_id) == org_id)
        )
        employees = {email: id_ for email, id_ in employee_rows.tuples()}
        accounts = {email: id_ for email, id_ in account_rows.tuples()}
    return Org(org_id, employees, accounts)


@pytest.fixture
async def demo(engine: AsyncEngine, clock: FixedClock) -> Org:
    """Demo AB: Anna reports to Maria; Lena is payroll; admin@demo.se administers.

    Without the demo's history (time weeks, travel claims): every test starts with empty inboxes.
    """
    org_id = await seed_demo(
        session_maker(engine), clock.today(), employees=25, password_hash=cheap_demo_hash(), history=False
    )
    return await _load(engine, org_id)


@pytest.fixture
def app(settings: Settings, clock: FixedClock, demo: Org) -> Litestar:
    """The app with its own engine: the test client runs it on another event loop."""
    return create_app(settings, clock)


@pytest.fixture
async def run_jobs(settings: Settings, engine: AsyncEngine, clock: FixedClock) -> AsyncIterator[RunJobs]:
    """Run the job system's worker in the test: ``await run_jobs("find_closes")``."""
    jobs = Jobs(settings)
    context = WorkerContext.create(settings, engine, clock)
    yield RunJobs(jobs, context)
    await context.close()
    await jobs.close()


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app, base_url="http://localhost") as client:
        yield client


async def login(client: AsyncTestClient[Litestar], email: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Sign in and return a Bearer header for API-client style requests."""
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"authorization": f"Bearer {response.json()['token']}"}


ANNA = "anna.andersson@demo.se"
MARIA = "maria.berg@demo.se"
LENA = "lena.lind@demo.se"
ADMIN = "admin@demo.se"


@pytest.fixture
async def as_role(client: AsyncTestClient[Litestar]) -> dict[str, dict[str, str]]:
    """Bearer headers for one demo user per role."""
    return {
        "employee": await login(client, ANNA),
        "manager": await login(client, MARIA),
        "payroll": await login(client, LENA),
        "admin": await login(client, ADMIN),
    }


def problem(response: Any) -> dict[str, Any]:
    """The body of a problem-details response, after checking it is one."""
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    assert "code" in body
    assert "title" in body
    return body


@pytest.fixture
async def other_org(engine: AsyncEngine) -> Any:
    """A second organisation whose ids nobody in Demo AB may reach."""
    from tests.support.factories import other_organisation

    return await other_organisation(engine, cheap_demo_hash())


# Files that take long for their few tests. pytest-xdist hands out the files with the most tests
# first, so these came last and one worker ran them alone for minutes while the other was idle;
# `make pytest` turns that order off (`--no-loadscope-reorder`) and this hook puts them first.
SLOW_FEW = (
    "tests/integration/expenses/test_upload_memory.py",
    "tests/integration/worker/test_kill_processes.py",
    "tests/integration/notices/test_worker_processes.py",
    "tests/integration/notices/test_push_end_to_end.py",
    "tests/integration/payslips/test_simulated_year.py",
    "tests/integration/exports/test_exactly_once_property.py",
    "tests/integration/db/test_pgbouncer.py",
    "tests/integration/expenses/test_crash.py",
    "tests/integration/expenses/test_reader_crash.py",
    "tests/unit/pwa/test_api_types.py",
    "tests/unit/core/test_server_process.py",
)


def _file_of(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def _dated_elsewhere(item: pytest.Item, dated_databases: list[str]) -> bool:
    """A date-dependent test on a database this pass leaves to the faketime pass."""
    callspec = getattr(item, "callspec", None)
    database = callspec.params.get("database") if callspec is not None else None
    return database is not None and database not in dated_databases and item.get_closest_marker("clockless") is None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out what another pass runs, then order: the slow files above first, then files by their
    number of tests, most first (xdist's own order).

    ``TEST_DATED_DATABASES=sqlite`` (``make pytest``): the date-dependent tests run here on SQLite
    only, as the faketime pass (``make pytest-faketime``) runs every one of them on PostgreSQL; so each
    runs once on each database, once at the real date and once at a far one. Tests that read no date
    (``clockless``) run here on both.

    The order only on xdist workers: a run in one process (the browser tests) keeps the files' own order.
    """
    dated = [name.strip() for name in os.environ.get("TEST_DATED_DATABASES", "").split(",") if name.strip()]
    if dated:
        elsewhere = [item for item in items if _dated_elsewhere(item, dated)]
        if elsewhere:
            config.hook.pytest_deselected(items=elsewhere)
            items[:] = [item for item in items if not _dated_elsewhere(item, dated)]
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    counts = Counter(_file_of(item) for item in items)

    def key(item: pytest.Item) -> tuple[int, int]:
        path = _file_of(item)
        slow = SLOW_FEW.index(path) if path in SLOW_FEW else len(SLOW_FEW)
        return slow, -counts[path]

    items.sort(key=key)
