"""Requests per second and latency of GET /api/me and a list endpoint, as production runs them.

For each database (SQLite, PostgreSQL) and each process count (1, 2): a fresh database
with Demo AB (200 employees), `selfservice run` (Granian, JSON request logs on), and wrk
as the load generator on the same 2-core machine (so the server gets about one core
while wrk takes the other). Writes bench/results/http_load.{json,md}.

    .venv/bin/python bench/http_load.py [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import cli, database_env, drop_schema, machine, server, token, write_results, wrk

ENDPOINTS = {
    "GET /api/me": ("/api/me", "anna.andersson@demo.se"),
    "GET /api/employees (payroll, 200 rows)": ("/api/employees?limit=200", "lena.lind@demo.se"),
    "GET /health/live (no auth, baseline)": ("/health/live", None),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    rows = []
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                "APP_ENV": "demo",
                "DATA_DIR": tmp,
                "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
                **database_env(backend, Path(tmp)),
            }
            try:
                cli(env, "db", "upgrade")
                cli(env, "demo", "seed", "--employees", "200")
                for workers in (1, 2):
                    with server(env, workers) as url:
                        for name, (path, email) in ENDPOINTS.items():
                            headers = {"authorization": f"Bearer {token(url, email)}"} if email else {}
                            wrk(url + path, headers, seconds=2, connections=args.connections)  # warm up
                            result = wrk(url + path, headers, seconds=args.seconds, connections=args.connections)
                            rows.append({"backend": backend, "workers": workers, "endpoint": name, **result})
                            print(rows[-1])
            finally:
                drop_schema(env)
    lines = [
        "| database | API processes | endpoint | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['backend']} | {r['workers']} | {r['endpoint']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors'] + r['non2xx']} |"
        for r in rows
    ]
    write_results(
        "http_load",
        {"machine": machine(), "seconds": args.seconds, "connections": args.connections, "results": rows},
        "\n".join(lines) + "\n",
    )


if __name__ == "__main__":
    main()
