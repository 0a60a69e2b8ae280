"""``python -m ocr interpret FILE... [--jsonl] [--workers N] [--today YYYY-MM-DD]``.

One JSON object per file, in the order given: the receipt's fields, or
``{"file", "error": {"code", "message"}, "seconds"}`` for a file that cannot be read;
one bad file never stops the batch. ``seconds`` is the wall-clock time spent on that
file in its worker (decode, preprocessing, OCR, extraction), not time waiting in line;
``cpu_seconds`` the worker's CPU time for it (Tesseract runs in the worker), which other
load on the machine disturbs less.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import date
from pathlib import Path
from typing import Any

from ocr.errors import ReceiptImageError
from ocr.pool import ReceiptInterpreter, default_workers


def interpret_file_bytes(name: str, data: bytes, today: date | None) -> dict[str, Any]:
    """The CLI's JSON object for one file; runs in a worker, never raises for bad input."""
    from ocr.pipeline import interpret

    start = time.perf_counter()
    cpu = time.process_time()
    try:
        receipt = interpret(data, today=today)
    except ReceiptImageError as exc:
        return _error(name, exc.code, exc.message, start)
    except Exception as exc:  # one broken file must not stop the batch
        return _error(name, "internal_error", f"{type(exc).__name__}: {exc}", start)
    result: dict[str, Any] = {"file": name, **receipt.to_json_dict()}
    result["seconds"] = round(time.perf_counter() - start, 3)
    result["cpu_seconds"] = round(time.process_time() - cpu, 3)
    return result


def _error(name: str, code: str, message: str, start: float) -> dict[str, Any]:
    return {"file": name, "error": {"code": code, "message": message}, "seconds": round(time.perf_counter() - start, 3)}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ocr", description="Read receipt images.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("interpret", help="interpret receipt images and print their fields as JSON")
    run.add_argument("files", nargs="+", metavar="FILE")
    run.add_argument("--jsonl", action="store_true", help="one compact JSON object per line")
    run.add_argument("--workers", type=int, default=None, help=f"worker processes (default {default_workers()})")
    run.add_argument("--today", type=date.fromisoformat, default=None, help="reference date (default: today)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    failures = 0
    with ReceiptInterpreter(args.workers) as interpreter:
        pending: list[tuple[str, Future[dict[str, Any]] | dict[str, Any]]] = []
        for name in args.files:
            try:
                data = Path(name).read_bytes()
            except OSError as exc:
                pending.append((name, _error(name, "unreadable_file", str(exc), time.perf_counter())))
                continue
            future = interpreter.executor.submit(interpret_file_bytes, name, data, args.today)
            pending.append((name, future))
        for _, item in pending:
            result = item if isinstance(item, dict) else item.result()
            failures += "error" in result
            text = json.dumps(
                result,
                ensure_ascii=False,
                separators=(",", ":") if args.jsonl else None,
                indent=None if args.jsonl else 2,
            )
            print(text, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
