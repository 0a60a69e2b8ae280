"""Shared helpers for benchmarks: a real server started as in production, and a place for results."""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = ROOT / ".venv" / "bin"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": [round(x, 2) for x in load],
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_env(backend: str, workdir: Path) -> dict[str, str]:
    """A fresh database for one run: a SQLite file, or a private PostgreSQL schema."""
    if backend == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}"}
    return {"DATABASE_URL": POSTGRES, "DATABASE_SCHEMA": f"bench_{uuid.uuid4().hex[:10]}"}


def drop_schema(env: dict[str, str]) -> None:
    schema = env.get("DATABASE_SCHEMA")
    if schema:
        subprocess.run(
            [
                "psql",
                POSTGRES.replace("postgresql://", "postgres://"),
                "-qc",
                f'DROP SCHEMA IF EXISTS "{schema}" CASCADE',
            ],
            check=False,
            capture_output=True,
        )


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "selfservice"), *args], env={**os.environ, **env}, check=True, capture_output=True)


@contextmanager
def server(
    env: dict[str, str], workers: int = 1, *, port: int | None = None, ready_seconds: float = 20
) -> Iterator[str]:
    """`selfservice run` as in production (Granian, JSON logs, request logging on); a free port unless given.

    ``ready_seconds``: how long it may take to answer /health/ready (longer on a loaded machine).
    """
    port = port or free_port()
    log = open(Path(env["DATA_DIR"]) / f"server-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(BIN / "selfservice"), "run", "--port", str(port), "--workers", str(workers)],
        env={**os.environ, "LOG_FORMAT": "json", **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_seconds
        while True:
            try:
                if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("server did not start")
            time.sleep(0.1)
        yield url
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a server process to end (SIGTERM), then kill it if it has not within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def token(url: str, email: str, password: str = "demo1234") -> str:
    response = httpx.post(f"{url}/api/auth/login", json={"email": email, "password": password}, timeout=30)
    response.raise_for_status()
    return str(response.json()["token"])


def wrk(
    url: str, headers: dict[str, str], seconds: int = 10, connections: int = 32, threads: int = 1
) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(ROOT / "bench" / "wrk_report.lua")]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    return dict(json.loads(line))


def write_results(name: str, data: dict[str, Any], markdown: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown)
    print(markdown)
