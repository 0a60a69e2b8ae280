"""A real API server process (uvicorn, as a server runs the app) and its memory, for upload-memory checks.

Shared by the upload memory test and ``bench/upload_memory.py``: one home for starting the
server, reading a process's memory from ``/proc`` and sending a burst of hostile uploads.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support import hostile_files as hostile
from tests.support.ports import free_port, this_workers

REPO_ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8631, 8640)
"""The ports this machine's brief gives to upload checks; any free port if all are taken."""
DEMO_PASSWORD = "demo1234"
ANNA = "anna.andersson@demo.se"
_UNSET = ("DATABASE_URL", "DATABASE_SCHEMA", "REDIS_URL", "SECRET_KEY", "WEB_CONCURRENCY", "EXCHANGE_RATE_URL")


@dataclass(frozen=True)
class Memory:
    """A process's resident memory now and at its peak (``VmRSS`` and ``VmHWM``), in bytes."""

    rss: int
    peak: int


def memory(pid: int) -> Memory:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024
    return Memory(fields["VmRSS"], fields["VmHWM"])


def load_average() -> str:
    return Path("/proc/loadavg").read_text().strip()


def _environment(data_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _UNSET}
    return env | {
        "APP_ENV": "test",
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "RUN_WORKER_IN_APP": "false",
        "PYTHONPATH": str(REPO_ROOT),
        **extra,
    }


@dataclass(frozen=True)
class LiveApi:
    url: str
    pid: int


@contextmanager
def live_api(data_dir: Path, **extra: str) -> Iterator[LiveApi]:
    """One API process (uvicorn, ``serve_app`` as in production) on a fresh SQLite demo database."""
    env = _environment(data_dir, extra)
    for args in (["db", "upgrade"], ["demo", "seed", "--employees", "9"]):
        _selfservice(env, *args)
    port = free_port(this_workers(PORTS), or_any=True)
    log = data_dir / "server.log"
    uvicorn = ["-m", "uvicorn", "--factory", "backend.app:serve_app", "--port", str(port), "--no-access-log"]
    process = start_server([sys.executable, *uvicorn], env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process, log)
        yield LiveApi(url, process.pid)
    finally:
        stop_server(process)


def start_server(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A server in a session of its own, so that stopping it stops its worker processes too."""
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _selfservice(env: dict[str, str], *args: str) -> None:
    """A ``selfservice`` command in this process: the same code as the CLI without another interpreter start."""
    from click.testing import CliRunner

    from backend.cli import main

    unset: dict[str, str | None] = dict.fromkeys(_UNSET)  # this process's own settings must not leak in
    result = CliRunner().invoke(main, list(args), env={**unset, **env}, catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"selfservice {' '.join(args)} failed: {result.output}")


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    """Until ``/health/ready`` answers 200; RuntimeError with the log's end if the server exits or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server was not ready within {seconds} s:\n{log.read_text()[-3000:]}")


def sign_in(url: str, email: str = ANNA) -> dict[str, str]:
    response = httpx.post(f"{url}/api/auth/login", json={"email": email, "password": DEMO_PASSWORD}, timeout=30)
    response.raise_for_status()
    return {"authorization": f"Bearer {response.json()['token']}"}


def worst_case_uploads(count: int = 10) -> list[tuple[str, bytes, str]]:
    """The uploads that cost the most memory to check: accepted huge images and refused huge PNGs, mixed."""
    kinds = [
        ("grey-7700.png", hostile.one_colour_png(7700, 7700, colour_type=0), "image/png"),  # accepted, decoded whole
        ("rgb-7700.png", hostile.one_colour_png(7700, 7700), "image/png"),  # refused from its header
        ("scan-7700.jpg", hostile.large_jpeg(7700, 7700), "image/jpeg"),  # accepted, decoded at half size
    ]
    return [kinds[i % len(kinds)] for i in range(count)]


async def upload_all(url: str, headers: dict[str, str], files: list[tuple[str, bytes, str]]) -> list[int]:
    """Send every upload at once; returns the status codes."""
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as client:
        responses = await asyncio.gather(*(client.post("/api/receipts", files={"file": file}) for file in files))
    return [response.status_code for response in responses]
