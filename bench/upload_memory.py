"""Memory of hostile uploads: the API process and an OCR reader, before, after and at their peak.

    PYTHONPATH=. .venv/bin/python bench/upload_memory.py [--uploads 10] [--rounds 3]

The API runs as a server does (uvicorn, ``serve_app``) on a fresh SQLite demo database;
``--uploads`` worst-case uploads (accepted 7700x7700 grey PNGs and JPEGs, refused
7700x7700 RGB PNGs) are sent at once, ``--rounds`` times. The OCR reader is one worker of
``ReceiptInterpreter`` (its memory limit as configured) reading the copies the API kept
of the worst accepted uploads and a real receipt. Memory comes from ``/proc/PID/status``
(VmRSS now, VmHWM peak); ``/proc/loadavg`` is printed beside, as the machine is shared.
Writes ``bench/results/upload_memory.{json,md}``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import write_results
from ocr import images
from ocr.errors import ReceiptImageError
from ocr.pool import MEMORY_LIMIT, ReceiptInterpreter
from tests.support.live_api import (
    live_api,
    load_average,
    memory,
    sign_in,
    upload_all,
    worst_case_uploads,
)

MB = 1024 * 1024
SHARED_RECEIPT = Path(__file__).resolve().parents[2] / "shared" / "receipts" / "synthetic-sv" / "sv-dev-000.jpg"


def mb(value: int) -> float:
    return round(value / MB, 1)


def measure_api(uploads: int, rounds: int) -> dict[str, Any]:
    files = worst_case_uploads(uploads)
    with tempfile.TemporaryDirectory(prefix="upload-memory-") as folder, live_api(Path(folder)) as api:
        headers = sign_in(api.url)
        asyncio.run(upload_all(api.url, headers, files[:1]))
        before = memory(api.pid)
        statuses: list[int] = []
        after_rounds = []
        for _ in range(rounds):
            started = time.monotonic()
            statuses += asyncio.run(upload_all(api.url, headers, files))
            after_rounds.append({"rss_mb": mb(memory(api.pid).rss), "seconds": round(time.monotonic() - started, 1)})
        after = memory(api.pid)
    return {
        "uploads_at_once": uploads,
        "rounds": rounds,
        "statuses": {str(code): statuses.count(code) for code in sorted(set(statuses))},
        "rss_before_mb": mb(before.rss),
        "rss_after_mb": mb(after.rss),
        "peak_mb": mb(after.peak),
        "peak_over_before_mb": mb(after.peak - before.rss),
        "after_over_before_mb": mb(after.rss - before.rss),
        "after_each_round": after_rounds,
        "loadavg_after": load_average(),
    }


def measure_reader() -> dict[str, Any]:
    """One OCR worker reading what the API stores for the worst accepted uploads, and a real receipt."""
    stored: dict[str, bytes] = {}
    for name, data, _ in worst_case_uploads(3):
        try:
            stored[f"stored copy of {name}"] = images.clean_copy(data, images.read_header(data)).data
        except ReceiptImageError:  # refused at upload: never reaches a reader
            continue
    if SHARED_RECEIPT.is_file():
        stored["real receipt (sv-dev-000.jpg)"] = SHARED_RECEIPT.read_bytes()
    results: dict[str, Any] = {"memory_limit_mb": mb(MEMORY_LIMIT), "reads": {}}
    with ReceiptInterpreter(workers=1) as interpreter:
        pid = interpreter.executor.submit(os.getpid).result()
        warm = memory(pid)
        results["rss_warm_mb"] = mb(warm.rss)
        for name, data in stored.items():
            started = time.monotonic()
            try:
                read = interpreter.interpret_sync(data, timeout=300)
                outcome = f"read (total {read.total})"
            except Exception as exc:
                outcome = f"{type(exc).__name__}: {exc}"
            now = memory(pid)
            results["reads"][name] = {
                "outcome": outcome,
                "rss_after_mb": mb(now.rss),
                "peak_mb": mb(now.peak),
                "seconds": round(time.monotonic() - started, 1),
            }
        final = memory(pid)
    results["rss_after_mb"] = mb(final.rss)
    results["peak_mb"] = mb(final.peak)
    results["loadavg_after"] = load_average()
    return results


def markdown(api: dict[str, Any], reader: dict[str, Any], load_before: str) -> str:
    lines = [
        "# Upload memory (bench/upload_memory.py)",
        "",
        f"Load average before: {load_before}; after the API run: {api['loadavg_after']}; "
        f"after the reader: {reader['loadavg_after']} (2 shared cores).",
        "",
        f"## API process: {api['uploads_at_once']} worst-case uploads at once, {api['rounds']} rounds",
        "",
        "| RSS before | RSS after | peak (VmHWM) | peak - before | after - before | statuses |",
        "|---|---|---|---|---|---|",
        f"| {api['rss_before_mb']} MB | {api['rss_after_mb']} MB | {api['peak_mb']} MB | "
        f"{api['peak_over_before_mb']} MB | {api['after_over_before_mb']} MB | {api['statuses']} |",
        "",
        "RSS after each round: " + ", ".join(f"{r['rss_mb']} MB ({r['seconds']} s)" for r in api["after_each_round"]),
        "",
        f"## OCR reader (one worker, limit {reader['memory_limit_mb']} MB of data)",
        "",
        f"RSS warm: {reader['rss_warm_mb']} MB; after: {reader['rss_after_mb']} MB; peak: {reader['peak_mb']} MB.",
        "",
        "| input | outcome | RSS after | peak so far | seconds |",
        "|---|---|---|---|---|",
    ]
    for name, read in reader["reads"].items():
        lines.append(
            f"| {name} | {read['outcome']} | {read['rss_after_mb']} MB | {read['peak_mb']} MB | {read['seconds']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    load_before = load_average()
    api = measure_api(args.uploads, args.rounds)
    reader = measure_reader()
    write_results(
        "upload_memory",
        {"load_before": load_before, "api": api, "ocr_reader": reader},
        markdown(api, reader, load_before),
    )


if __name__ == "__main__":
    main()
