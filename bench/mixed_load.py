"""Mixed load at 80 % of measured capacity for ten minutes, as production runs on PostgreSQL.

Two API processes (`selfservice run --workers 2`, background jobs off) and one
`selfservice worker`, on a fresh PostgreSQL schema with Demo AB (200 employees). The load is
what a working day sends: employees opening the app and their expenses, saving drafts and
reading their preliminary payslip, managers reading the attest inbox, payroll the employee list.

1. Capacity: a closed loop of ``--connections`` clients for ``--probe-seconds`` gives the
   requests per second the machine serves with this mix.
2. Load: requests are started at 80 % of that rate (an open loop: a slow answer does not slow
   the arrivals) for ``--seconds`` (600 by default).

Reports the error rate (transport errors and 5xx; a 4xx is counted apart, and none is
expected), p50/p95/p99 per kind of request, and the resident memory of every server process
(the two API processes, their supervisor and the worker) at the start and the end, with the
load average. The load generator (bench/load/mixed.mjs, Node) runs on the same two cores, so the
server gets less than both; its CPU share is reported.

    .venv/bin/python bench/mixed_load.py [--seconds 600] [--probe-seconds 30] [--connections 16]

Writes bench/results/mixed_load.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from common import BIN, cli, database_env, drop_schema, machine, server, stop, token, write_results

EMPLOYEE = "anna.andersson@demo.se"
MANAGER = "maria.berg@demo.se"
PAYROLL = "lena.lind@demo.se"
TARGET_SHARE = 0.8
DRAFTS = [uuid.UUID(int=n + 1) for n in range(20)]
"""The drafts the employee keeps saving (a PUT creates one the first time, then updates it)."""


GENERATOR = Path(__file__).with_name("load") / "mixed.mjs"
"""The load generator (Node, core modules only): see its header for why it is not Python."""


@dataclass
class Tally:
    """Latencies (seconds) and outcomes per kind of request, as the generator reports them."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    transport_errors: int = 0

    @classmethod
    def of(cls, report: dict[str, Any]) -> Tally:
        tally = cls(transport_errors=int(report["transport_errors"]))
        for kind, seen in report["kinds"].items():
            if seen["latencies_ms"]:
                tally.latencies[kind] = [ms / 1000 for ms in seen["latencies_ms"]]
                tally.statuses[kind] = {int(status): n for status, n in seen["statuses"].items()}
        return tally

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + self.transport_errors

    @property
    def server_errors(self) -> int:
        return sum(n for per in self.statuses.values() for status, n in per.items() if status >= 500)

    @property
    def client_errors(self) -> int:
        return sum(n for per in self.statuses.values() for status, n in per.items() if 400 <= status < 500)


def generate(
    url: str,
    tokens: dict[str, str],
    *,
    mode: str,
    seconds: float,
    sample: Callable[[], None] | None = None,
    **more: Any,
) -> tuple[Tally, float]:
    """Run the generator (``mode`` closed with ``connections``, or open with ``rate``); sample every minute meanwhile."""
    config = {
        "url": url,
        "tokens": {"employee": tokens[EMPLOYEE], "manager": tokens[MANAGER], "payroll": tokens[PAYROLL]},
        "drafts": [str(draft) for draft in DRAFTS],
        "today": date.today().isoformat(),
        "mode": mode,
        "seconds": seconds,
        **more,
    }
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        # The report goes to a file: through a pipe, a report larger than the pipe's buffer would
        # wait for a reader that is itself waiting for the generator to end.
        process = subprocess.Popen(["node", str(GENERATOR), json.dumps(config), out.name])
        next_sample = time.monotonic() + 60
        while process.poll() is None:
            time.sleep(1)
            if sample is not None and time.monotonic() >= next_sample:
                sample()
                next_sample += 60
        if process.returncode != 0:
            msg = f"the load generator failed ({process.returncode})"
            raise RuntimeError(msg)
        report = json.loads(Path(out.name).read_text())
    return Tally.of(report), float(report["elapsed"])


def _generator_cpu_seconds() -> float:
    """CPU the generator (a child of this process) used so far, to show it was not the bottleneck."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    found = [pid]
    for child in Path("/proc").glob(f"{pid}/task/*/children"):
        for text in child.read_text().split():
            found += _tree(int(text))
    return found


@contextmanager
def worker(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    log = open(Path(env["DATA_DIR"]) / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(BIN / "selfservice"), "worker"], env={**os.environ, "LOG_FORMAT": "json", **env}, stdout=log, stderr=log
    )
    try:
        yield process
    finally:
        stop(process)
        log.close()


def _server_pid(url: str) -> int:
    port = url.rsplit(":", 1)[1]
    output = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    pid = int(output.split("pid=")[1].split(",")[0])
    parent = int(Path(f"/proc/{pid}/stat").read_text().split()[3])
    return parent if "selfservice" in Path(f"/proc/{parent}/cmdline").read_text() else pid


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--probe-seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    info = machine()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "APP_ENV": "demo",
            "DATA_DIR": tmp,
            "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            "RUN_WORKER_IN_APP": "false",
            "LOG_REQUESTS": "false",
            **database_env("postgresql", Path(tmp)),
        }
        try:
            cli(env, "db", "upgrade")
            cli(env, "demo", "seed", "--employees", "200")
            with server(env, 2) as url, worker(env) as background:
                tokens = {email: token(url, email) for email in (EMPLOYEE, MANAGER, PAYROLL)}
                supervisor = _server_pid(url)
                processes = {"api": supervisor, "worker": background.pid}

                def memory() -> dict[str, float]:
                    return {name: round(sum(_rss_mb(p) for p in _tree(pid)), 1) for name, pid in processes.items()}

                generate(url, tokens, mode="closed", seconds=5, connections=args.connections)  # warm up
                probe, probe_elapsed = generate(
                    url, tokens, mode="closed", seconds=args.probe_seconds, connections=args.connections
                )
                capacity = probe.requests / probe_elapsed
                rate = TARGET_SHARE * capacity
                print(f"capacity {capacity:.1f} req/s; load at {rate:.1f} req/s for {args.seconds:.0f} s", flush=True)
                start_memory = memory()
                samples: list[dict[str, Any]] = []

                def sample() -> None:
                    samples.append({"t": round(time.time()), "rss_mb": memory(), "load": os.getloadavg()})
                    print(samples[-1], flush=True)

                cpu_before = _generator_cpu_seconds()
                tally, elapsed = generate(url, tokens, mode="open", seconds=args.seconds, sample=sample, rate=rate)
                generator_cpu = (_generator_cpu_seconds() - cpu_before) / elapsed
                end_memory = memory()
        finally:
            drop_schema(env)
    load_after = [round(x, 2) for x in os.getloadavg()]
    total = tally.requests
    rows = [
        {
            "kind": kind,
            "requests": len(values),
            "p50_ms": round(statistics.median(values) * 1000, 1),
            "p95_ms": round(_percentile(values, 0.95), 1),
            "p99_ms": round(_percentile(values, 0.99), 1),
            "statuses": dict(tally.statuses[kind]),
        }
        for kind, values in sorted(tally.latencies.items())
    ]
    everything = [v for values in tally.latencies.values() for v in values]
    data = {
        **info,
        "load_after": load_after,
        "capacity_rps": round(capacity, 1),
        "target_rps": round(rate, 1),
        "achieved_rps": round(total / elapsed, 1),
        "seconds": round(elapsed, 1),
        "requests": total,
        "transport_errors": tally.transport_errors,
        "server_errors": tally.server_errors,
        "client_errors": tally.client_errors,
        "error_rate": round((tally.transport_errors + tally.server_errors) / max(total, 1), 6),
        "p95_ms_all": round(_percentile(everything, 0.95), 1) if everything else None,
        "generator_cpu_share": round(generator_cpu, 3),
        "rss_mb_start": start_memory,
        "rss_mb_end": end_memory,
        "samples": samples,
        "rows": rows,
    }
    lines = [
        f"# Mixed load on PostgreSQL: 2 API processes + 1 worker ({info['when']})",
        "",
        f"Capacity with this mix ({args.connections} clients, closed loop): {data['capacity_rps']} req/s. "
        f"Load: {data['target_rps']} req/s started for {data['seconds']} s, {data['achieved_rps']} req/s achieved.",
        f"Load average before {info['load_before']}, after {load_after} (two shared cores; the load "
        f"generator runs on them too, using {generator_cpu:.0%} of one core during the load).",
        "",
        f"Requests {total}; transport errors {tally.transport_errors}; 5xx {tally.server_errors}; "
        f"4xx {tally.client_errors}; error rate {data['error_rate']:.4%}; p95 over all {data['p95_ms_all']} ms.",
        "",
        f"Resident memory at the start: {start_memory}; at the end: {end_memory} (MB; api = the supervisor "
        "and both API processes).",
        "",
        "| request | count | p50 ms | p95 ms | p99 ms | statuses |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['kind']} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['statuses']} |"
        for r in rows
    ]
    lines += ["", "Memory each minute (MB):", ""]
    lines += [f"- {s['rss_mb']} load {[round(x, 2) for x in s['load']]}" for s in samples]
    write_results("mixed_load", data, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
