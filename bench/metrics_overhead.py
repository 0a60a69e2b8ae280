"""What the request-latency histogram costs on the hot path: GET /api/me in-process, metrics on and off.

    .venv/bin/python bench/metrics_overhead.py [--requests 3000] [--rounds 6]

The same database (SQLite, Demo AB) and two apps that differ only in METRICS_ENABLED, called
directly as ASGI apps (no server, no network: the difference is not drowned in socket time),
in alternating rounds so the machine's other load falls on both alike. Multiprocess mode is on,
as `selfservice run` sets it up (each observation goes to a memory-mapped file), and request
logging is off in both. Writes bench/results/metrics_overhead.{json,md}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from common import machine, write_results

WORK = Path(tempfile.mkdtemp(prefix="metrics-bench-"))
os.environ.update(
    {
        "APP_ENV": "demo",
        "DATA_DIR": str(WORK),
        "LOG_REQUESTS": "false",
        "LOG_LEVEL": "WARNING",
        "RUN_WORKER_IN_APP": "false",
        "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "PROMETHEUS_MULTIPROC_DIR": str(WORK / "prometheus"),  # before prometheus_client is imported
    }
)
(WORK / "prometheus").mkdir()

from profile_request import call  # noqa: E402

from backend.app import create_app  # noqa: E402
from backend.cli.database import upgrade_database  # noqa: E402
from backend.cli.demo import load_demo  # noqa: E402
from backend.config import Settings  # noqa: E402


async def per_request_us(app: Any, headers: list[tuple[str, str]], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        out = await call(app, "GET", "/api/me", headers)
        assert out[0]["status"] == 200
    return (time.perf_counter() - started) / count * 1e6


async def measure(requests: int, rounds: int) -> dict[str, list[float]]:
    settings = Settings.from_env()
    apps = {"on": create_app(settings), "off": create_app(Settings.from_env(metrics_enabled=False))}
    times: dict[str, list[float]] = {"on": [], "off": []}
    async with apps["on"].lifespan(), apps["off"].lifespan():
        login = json.dumps({"email": "anna.andersson@demo.se", "password": "demo1234"}).encode()
        out = await call(apps["on"], "POST", "/api/auth/login", [("content-type", "application/json")], login)
        headers = [("authorization", "Bearer " + json.loads(out[1]["body"])["token"])]
        for app in apps.values():
            await per_request_us(app, headers, 200)  # warm caches (profile, token) in both
        for n in range(rounds):
            for name in ("on", "off") if n % 2 == 0 else ("off", "on"):
                times[name].append(await per_request_us(apps[name], headers, requests))
    return times


def observation_us(count: int = 100_000) -> float:
    """One observation alone (what the middleware adds besides a dict lookup), multiprocess mode."""
    from backend.core.metrics import RequestMetrics

    metrics = RequestMetrics()
    started = time.perf_counter()
    for _ in range(count):
        metrics.observe("GET", "/api/me", 200, 0.004)
    return (time.perf_counter() - started) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    settings = Settings.from_env()
    upgrade_database(settings)
    load_demo(settings, employees=25, if_empty=True)
    env = machine()
    times = asyncio.run(measure(args.requests, args.rounds))
    one = statistics.median(observation_us() for _ in range(5))
    load_after = [round(x, 2) for x in os.getloadavg()]
    on, off = statistics.median(times["on"]), statistics.median(times["off"])
    data = {
        **env,
        "load_after": load_after,
        "requests_per_round": args.requests,
        "us_per_request": {k: [round(v, 1) for v in vs] for k, vs in times.items()},
        "median_us": {"on": round(on, 1), "off": round(off, 1)},
        "fastest_round_us": {k: round(min(vs), 1) for k, vs in times.items()},
        "overhead_us": round(on - off, 1),
        "one_observation_us": round(one, 2),
    }
    markdown = (
        "# Request metrics on the hot path (GET /api/me, in-process, SQLite)\n\n"
        f"{args.rounds} alternating rounds of {args.requests} requests; load average {env['load_before']} before, "
        f"{load_after} after.\n\n"
        "| metrics | µs per request: median of rounds | fastest round | rounds |\n|---|---|---|---|\n"
        f"| off | {off:.1f} | {min(times['off']):.1f} | {', '.join(f'{v:.0f}' for v in times['off'])} |\n"
        f"| on | {on:.1f} | {min(times['on']):.1f} | {', '.join(f'{v:.0f}' for v in times['on'])} |\n\n"
        f"Difference: {on - off:+.1f} µs per request ({(on - off) / off * 100:+.1f} %). "
        f"One observation alone (median of 5 × 100,000): {one:.2f} µs.\n"
    )
    write_results("metrics_overhead", data, markdown)


if __name__ == "__main__":
    main()
