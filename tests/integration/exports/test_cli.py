"""`selfservice period close` and `selfservice export paxml|sie` against a real database."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.cli import main
from backend.config import DatabaseSettings
from backend.core.clock import FixedClock
from tests.integration.exports.conftest import approve_claim
from tests.support.jobs import RunJobs, close_period


def _env(database: DatabaseSettings, tmp_path: Path) -> dict[str, str]:
    env = {"DATA_DIR": str(tmp_path), "DATABASE_URL": database.url, "APP_ENV": "test"}
    if database.schema:
        env["DATABASE_SCHEMA"] = database.schema
    return env


async def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    """The CLI in a thread: it runs its own event loop, as from a shell."""
    result = await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)
    return result.exit_code, result.output


async def test_close_then_write_both_files_of_the_latest_batch(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    clock: FixedClock,
    database: DatabaseSettings,
    tmp_path: Path,
) -> None:
    env = _env(database, tmp_path)
    await approve_claim(client, as_role, clock)
    out = tmp_path / "nov.xml"

    code, output = await run(env, "export", "paxml", "--period", "2026-11", "--out", str(out))
    assert code != 0
    assert "inte stängd" in output
    assert "not closed" in output
    assert not out.exists()

    code, output = await run(env, "period", "close", "--period", "2026-11", "--organisation", "Demo AB")
    assert code == 0, output
    assert "export 1, 1 items" in output

    code, output = await run(env, "export", "paxml", "--period", "2026-11", "--out", str(out))
    assert code == 0, output
    code, output = await run(
        env, "export", "sie", "--period", "2026-11", "--out", str(tmp_path / "nov.se"), "--batch", "1"
    )
    assert code == 0, output
    batch = (await client.get("/api/payroll/export-batches?period=2026-11", headers=as_role["payroll"])).json()[0]
    assert hashlib.sha256(out.read_bytes()).hexdigest() == batch["paxml_sha256"]
    assert hashlib.sha256((tmp_path / "nov.se").read_bytes()).hexdigest() == batch["sie_sha256"]


async def test_closing_before_the_cutoff_is_refused_in_both_languages(
    demo: object, clock: FixedClock, database: DatabaseSettings, tmp_path: Path
) -> None:
    code, output = await run(_env(database, tmp_path), "period", "close", "--period", "2026-12")
    assert code == 1
    assert "brytdagen 2026-12-08" in output
    assert "cut-off on 2026-12-08" in output


async def test_a_batch_that_does_not_exist_is_refused(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    run_jobs: RunJobs,
    database: DatabaseSettings,
    tmp_path: Path,
) -> None:
    assert (await close_period(client, as_role["payroll"], "2026-11", run_jobs))[1]["state"] == "closed"
    code, output = await run(
        _env(database, tmp_path), "export", "sie", "--period", "2026-11", "--out", str(tmp_path / "x"), "--batch", "2"
    )
    assert code == 1
    assert "does not exist" in output
