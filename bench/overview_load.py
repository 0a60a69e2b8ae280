"""Payroll's overview of a large organisation while the same API process serves everyone else (issue 17).

For each organisation size: Demo AB with N employees on a private PostgreSQL schema (the demo seed, as
bench/payroll_load.py); one API process (`selfservice run --workers 1`, its payroll workers one per core);
then, while Lena asks for the overview of the coming pay (the first page, computed fresh), two probes ask
one at a time for `GET /api/me` (Anna) and `GET /api/attest/inbox` (Maria), each 20 times a second. Reports the overview's seconds, the next page and another order read through its snapshot,
p50/p95/max of each probe during the overview (and idle, before it), the peak memory (VmHWM) of the API
process and of each payroll worker, the CPU seconds each used over the measurement (probes included), and the
load average before and after: the two cores are shared, so wall times swing with others' work.

Goals: overview of 50,000 under 5 s and of 100,000 under 10 s; probe p95 under 50 ms meanwhile.

    .venv/bin/python bench/overview_load.py [--sizes 50000,100000] [--port 8600]
    .venv/bin/python bench/overview_load.py --schemas ovw_50k,ovw_100k   # reuse seeded schemas (kept)

Writes bench/results/overview_load.{json,md}.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from common import POSTGRES, ROOT, cli, database_env, drop_schema, machine, server, token, write_results

PROBES = {
    "GET /api/me": ("/api/me", "anna.andersson@demo.se"),
    "GET /api/attest/inbox": ("/api/attest/inbox", "maria.berg@demo.se"),
}

INTERVAL = 0.05
"""Seconds between a probe's requests: 20 a second each, a busy office's share of one API process."""


def _status(pid: int, key: str) -> float:
    """A /proc/<pid>/status figure in MB (VmHWM: peak resident memory so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a process used so far (contention-free: the shared cores make wall time swing)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for child in Path("/proc").glob(f"{pid}/task/*/children"):
        found += [int(text) for text in child.read_text().split()]
    return found


def _processes(port: int) -> dict[str, list[int]]:
    """The API process (Granian's worker, under the supervisor) and its payroll workers."""
    supervisor = next(
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit()
        and "selfservice" in (p / "cmdline").read_text(errors="replace")
        and f"{port}" in (p / "cmdline").read_text(errors="replace")
    )
    api = [pid for pid in _children(supervisor) if "multiprocessing" not in Path(f"/proc/{pid}/cmdline").read_text()]
    workers = [
        pid
        for a in api
        for pid in _children(a)
        if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    ]
    return {"supervisor": [supervisor], "api": api, "payroll_workers": workers}


def _summary(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {"count": 0}
    ordered = sorted(latencies)
    return {
        "count": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


async def _probe(client: httpx.AsyncClient, path: str, headers: dict[str, str], stop: asyncio.Event) -> list:  # type: ignore[type-arg]
    """(started, seconds) of each request, one every ``INTERVAL`` (or right after a slower one), until ``stop``."""
    seen = []
    while not stop.is_set():
        started = time.perf_counter()
        response = await client.get(path, headers=headers)
        response.raise_for_status()
        seen.append((started, time.perf_counter() - started))
        await asyncio.sleep(max(0.0, started + INTERVAL - time.perf_counter()))
    return seen


async def _measure(url: str, tokens: dict[str, str]) -> dict[str, Any]:
    lena = {"authorization": f"Bearer {tokens['lena.lind@demo.se']}"}
    limits = httpx.Limits(max_connections=4)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        stop = asyncio.Event()
        probes = {
            name: asyncio.create_task(_probe(client, path, {"authorization": f"Bearer {tokens[email]}"}, stop))
            for name, (path, email) in PROBES.items()
        }
        await asyncio.sleep(3)  # idle figures first
        started = time.perf_counter()
        load_before = [round(x, 2) for x in os.getloadavg()]
        response = await client.get("/api/payroll/overview", headers=lena, params={"limit": 100})
        ended = time.perf_counter()
        load_after = [round(x, 2) for x in os.getloadavg()]
        response.raise_for_status()
        await asyncio.sleep(1)
        stop.set()
        seen = {name: await task for name, task in probes.items()}
        first = response.json()
        paging = {}
        for label, params in (
            ("next page", {"offset": 100, "limit": 100}),
            ("by net pay", {"sort": "net", "limit": 100}),
        ):
            t = time.perf_counter()
            page = await client.get(
                "/api/payroll/overview", headers=lena, params={**params, "snapshot": first["snapshot"]}
            )
            page.raise_for_status()
            assert page.json()["snapshot"] == first["snapshot"], "the page was computed anew"
            paging[label] = round((time.perf_counter() - t) * 1000, 1)
    return {
        "overview_seconds": round(ended - started, 2),
        "overview_bytes": len(response.content),
        "employees": first["employees"],
        "gross_pay": first["gross_pay"],
        "with_warnings": first["with_warnings"],
        "paging_ms": paging,
        "during_overview": {
            name: _summary([s for t, s in rows if started <= t <= ended]) for name, rows in seen.items()
        },
        "idle_before": {name: _summary([s for t, s in rows if t < started]) for name, rows in seen.items()},
        "load_average_before": load_before,
        "load_average_after": load_after,
    }


def run_size(size: int, port: int, schema: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "APP_ENV": "demo",
            "DATA_DIR": tmp,
            "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            "RUN_WORKER_IN_APP": "false",
            "PYTHONPATH": str(ROOT),  # this checkout's code, whichever checkout the venv's command was installed from
            **(
                {"DATABASE_URL": POSTGRES, "DATABASE_SCHEMA": schema}
                if schema
                else database_env("postgresql", Path(tmp))
            ),
        }
        seed_seconds = None
        try:
            if schema is None:
                cli(env, "db", "upgrade")
                started = time.perf_counter()
                cli(env, "demo", "seed", "--employees", str(size))
                seed_seconds = round(time.perf_counter() - started, 1)
            with server(env, 1, port=port) as url:
                time.sleep(5)  # the payroll workers start with the server (they import the backend)
                tokens = {email: token(url, email) for email in [*(e for _, e in PROBES.values()), "lena.lind@demo.se"]}
                processes = _processes(port)
                pids = {"api": processes["api"], "payroll_workers": processes["payroll_workers"]}
                cpu = {k: sum(_cpu_seconds(p) for p in v) for k, v in pids.items()}
                result = asyncio.run(_measure(url, tokens))
                result["cpu_seconds"] = {k: round(sum(_cpu_seconds(p) for p in v) - cpu[k], 2) for k, v in pids.items()}
                result["peak_rss_mb"] = {
                    "api": [_status(pid, "VmHWM") for pid in processes["api"]],
                    "payroll_workers": [_status(pid, "VmHWM") for pid in processes["payroll_workers"]],
                }
        finally:
            if schema is None:
                drop_schema(env)
    return {"size": size, "seed_seconds": seed_seconds, **result}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50000,100000")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--schemas", help="schemas already seeded with --sizes' sizes, in order (kept afterwards)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    schemas = args.schemas.split(",") if args.schemas else [None] * len(sizes)
    write([run_size(size, args.port, schema) for size, schema in zip(sizes, schemas, strict=True)])


def write(rows: list[dict[str, Any]]) -> None:
    lines = [
        "Issue 17: payroll's overview on PostgreSQL while the same API process serves others "
        "(goals: 50,000 < 5 s, 100,000 < 10 s; probes' p95 < 50 ms meanwhile).",
        "One API process (`selfservice run --workers 1`) with its payroll workers (one per core); 2 shared cores.",
        "",
        "| employees | overview (first page, fresh) | next page / by net pay (snapshot) | GET /api/me during: p50 / p95 / max"
        " | GET /api/attest/inbox during: p50 / p95 / max | idle p95 (me / inbox) | peak RSS: API / payroll workers"
        " | CPU s: API / payroll workers | load average before → after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        me, inbox = row["during_overview"]["GET /api/me"], row["during_overview"]["GET /api/attest/inbox"]
        idle_me, idle_inbox = row["idle_before"]["GET /api/me"], row["idle_before"]["GET /api/attest/inbox"]
        lines.append(
            f"| {row['employees']:,} | {row['overview_seconds']} s ({row['overview_bytes'] // 1024} KB) | "
            f"{row['paging_ms']['next page']} / {row['paging_ms']['by net pay']} ms | "
            f"{me['p50_ms']} / {me['p95_ms']} / {me['max_ms']} ms (n={me['count']}) | "
            f"{inbox['p50_ms']} / {inbox['p95_ms']} / {inbox['max_ms']} ms (n={inbox['count']}) | "
            f"{idle_me['p95_ms']} / {idle_inbox['p95_ms']} ms | "
            f"{row['peak_rss_mb']['api']} / {row['peak_rss_mb']['payroll_workers']} MB | "
            f"{row['cpu_seconds']['api']} / {row['cpu_seconds']['payroll_workers']} | "
            f"{row['load_average_before']} → {row['load_average_after']} |"
        )
    write_results("overview_load", {"machine": machine(), "results": rows}, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
