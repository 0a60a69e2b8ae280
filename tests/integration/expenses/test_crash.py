"""kill -9 during uploads: after a restart, every retry with its Idempotency-Key completes and acts once.

The real server (``selfservice run``) on the test database (an SQLite file or a PostgreSQL schema).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import DatabaseSettings
from backend.db.models import Expense, IdempotentRequest, Receipt
from backend.demo.seed import DEMO_PASSWORD
from tests.conftest import ANNA, Org
from tests.support.images import receipt_image

pytestmark = [pytest.mark.clockless, pytest.mark.slow]

PORTS = {"sqlite": 8621, "postgresql": 8622}
UPLOADS = 12
REPO_ROOT = Path(__file__).resolve().parents[3]


def _server_env(database: DatabaseSettings, data_dir: Path, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_SCHEMA", "REDIS_URL")}
    return env | {
        "APP_ENV": "test",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database.url,
        **({"DATABASE_SCHEMA": database.schema} if database.schema else {}),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "RUN_WORKER_IN_APP": "false",  # receipt reading is not what this test is about
        "LOG_LEVEL": "WARNING",
        "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "SECRET_KEY": "crash-test-" + "x" * 32,  # the sign-in survives the restart
        "PYTHONPATH": str(REPO_ROOT),
    }


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``selfservice run`` in a session of its own, so kill -9 reaches every process it started."""
    cli = Path(sys.executable).with_name("selfservice")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(cli), "run"], env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_ready(f"http://127.0.0.1:{env['PORT']}", process, log)
        yield process
    finally:
        kill_9(process)


def kill_9(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"The server was not ready within 30 s:\n{log.read_text()[-3000:]}")


async def _count(engine: AsyncEngine, model: type[Receipt] | type[Expense] | type[IdempotentRequest]) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def _upload(client: httpx.AsyncClient, token: str, key: str, content: bytes) -> httpx.Response:
    return await client.post(
        "/api/receipts",
        files={"file": ("kvitto.jpg", content, "image/jpeg")},
        headers={"authorization": f"Bearer {token}", "idempotency-key": key},
    )


async def test_every_upload_retried_after_a_kill_9_completes_once(
    database: DatabaseSettings, engine: AsyncEngine, demo: Org, tmp_path: Path
) -> None:
    backend = "postgresql" if database.schema else "sqlite"
    port = PORTS[backend]
    env = _server_env(database, tmp_path, port)
    log = tmp_path / "server.log"
    sends = {
        f"crash-{uuid.uuid4().hex}": receipt_image(seed_text=uuid.uuid4().hex, size=(1400, 2000))
        for _ in range(UPLOADS)
    }

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        with server(env, log) as process:
            signed_in = await client.post("/api/auth/login", json={"email": ANNA, "password": DEMO_PASSWORD})
            assert signed_in.status_code == 200, signed_in.text
            token = signed_in.json()["token"]
            client.cookies.clear()
            in_flight = [asyncio.ensure_future(_upload(client, token, key, content)) for key, content in sends.items()]
            await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            kill_9(process)  # while the others are being received, stored or answered
            before = await asyncio.gather(*in_flight, return_exceptions=True)

        interrupted = [b for b in before if not isinstance(b, httpx.Response)]
        assert interrupted, "the kill came too late to interrupt any upload"
        assert all(isinstance(b, httpx.TransportError) for b in interrupted), interrupted
        answered = {key: b for key, b in zip(sends, before, strict=True) if isinstance(b, httpx.Response)}
        assert all(r.status_code == 201 for r in answered.values()), [r.text for r in answered.values()]

        with server(env, log):
            retries = await asyncio.gather(*[_upload(client, token, key, content) for key, content in sends.items()])

    assert [r.status_code for r in retries] == [201] * UPLOADS, [r.text for r in retries if r.status_code != 201]
    for key, retry in zip(sends, retries, strict=True):
        if key in answered:
            assert retry.json() == answered[key].json()
    assert len({r.json()["id"] for r in retries}) == UPLOADS
    assert await _count(engine, Receipt) == UPLOADS
    assert await _count(engine, Expense) == UPLOADS
