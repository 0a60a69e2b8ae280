"""Accuracy and speed of receipt interpretation on the labelled sets in ../shared/receipts.

Runs ``python -m ocr interpret --jsonl --workers 1`` as a subprocess per set (one worker,
so the seconds are per core) and scores each field as the sets' README says:

- total: equal as a decimal; date: equal; org_number: equal digits;
- merchant: equal after case/accent/punctuation folding, or similarity >= 0.8
  (rapidfuzz's normalised Indel similarity, the same measure as difflib's ratio);
- vat: the same set of (rate, amount) rows;
- a field the program did not return counts as wrong; fields a label lacks are not scored;
- time: the median of the per-image ``seconds`` the CLI reports (wall-clock in the worker).

Writes bench/results/ocr_eval.json and ocr_eval.md (with --limit or --set:
ocr_eval_partial.*, so a quick run never overwrites the full figures).

    .venv/bin/python bench/ocr_eval.py [--set NAME]... [--limit N] [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "receipts"
RESULTS = REPO / "bench" / "results"
TODAY = "2026-11-23"
"""Pinned reference date (when these figures were first measured), so reruns score alike."""
FIELDS = ("total", "date", "merchant", "vat", "org_number")
CATEGORY_OF_LABEL = {"lodging": "hotel", "travel": "train_flight", "groceries": "other"}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w\s]|_", " ", plain).split())


def merchant_ok(got: str | None, want: str) -> bool:
    if not got:
        return False
    a, b = fold(got), fold(want)
    return a == b or a.replace(" ", "") == b.replace(" ", "") or fuzz.ratio(a, b) / 100 >= 0.8


def decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def vat_set(rows: list[dict[str, Any]] | None) -> set[tuple[Decimal | None, Decimal | None]]:
    return {(decimal(r.get("rate")), decimal(r.get("amount"))) for r in rows or []}


def score(result: dict[str, Any], label: dict[str, Any]) -> dict[str, bool]:
    """Per labelled field: right or wrong."""
    ok: dict[str, bool] = {}
    failed = "error" in result
    if "total" in label:
        got = decimal(result.get("total"))
        ok["total"] = not failed and got is not None and got == decimal(label["total"])
    if "date" in label:
        ok["date"] = not failed and result.get("date") == label["date"]
    if "merchant" in label:
        ok["merchant"] = not failed and merchant_ok(result.get("merchant"), label["merchant"])
    if "vat" in label:
        ok["vat"] = not failed and bool(result.get("vat")) and vat_set(result.get("vat")) == vat_set(label["vat"])
    if "org_number" in label:
        digits = re.sub(r"\D", "", str(result.get("org_number") or ""))
        ok["org_number"] = not failed and digits == re.sub(r"\D", "", label["org_number"])
    if "category" in label:
        want = CATEGORY_OF_LABEL.get(label["category"], label["category"])
        ok["category"] = not failed and result.get("category") == want
    return ok


def run_set(directory: Path, limit: int | None, today: str) -> dict[str, Any]:
    images = sorted(
        p for p in directory.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".heic", ".pdf")
    )
    images = [p for p in images if p.with_suffix(".json").exists()][: limit or None]
    command = [
        sys.executable,
        "-m",
        "ocr",
        "interpret",
        *map(str, images),
        "--jsonl",
        "--workers",
        "1",
        "--today",
        today,
    ]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    results = {}
    for line in completed.stdout.splitlines():
        if line.strip():
            item = json.loads(line)
            results[item["file"]] = item
    counts: dict[str, list[bool]] = {}
    failures: list[dict[str, Any]] = []
    seconds: list[float] = []
    cpu: list[float] = []
    for image in images:
        result = results.get(str(image), {"error": {"code": "missing", "message": completed.stderr[-500:]}})
        label = json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))
        seconds.append(float(result.get("seconds", 0.0)))
        if "cpu_seconds" in result:
            cpu.append(float(result["cpu_seconds"]))
        for field, right in score(result, label).items():
            counts.setdefault(field, []).append(right)
            if not right:
                got = result.get("error") if "error" in result else result.get(field)
                failures.append({"file": image.name, "field": field, "got": got, "want": label.get(field)})
    return {
        "images": len(images),
        "accuracy": {f: round(sum(v) / len(v), 4) for f, v in counts.items()},
        "labelled": {f: len(v) for f, v in counts.items()},
        "median_seconds": round(statistics.median(seconds), 3) if seconds else None,
        "mean_seconds": round(statistics.fmean(seconds), 3) if seconds else None,
        "max_seconds": round(max(seconds), 3) if seconds else None,
        "median_cpu_seconds": round(statistics.median(cpu), 3) if cpu else None,
        "subprocess_wall_seconds": round(wall, 1),
        "errors": sum("error" in r for r in results.values()),
        "failures": failures,
    }


def markdown(report: dict[str, Any]) -> str:
    fields = [*FIELDS, "category"]
    lines = [
        f"# OCR evaluation ({report['date']}, today={report['today']}, one worker)",
        "",
        "| set | images | " + " | ".join(fields) + " | median s | mean s | median CPU s |",
        "|---|---|" + "---|" * len(fields) + "---|---|---|",
    ]
    for name, result in report["sets"].items():
        cells = [f"{result['accuracy'][f] * 100:.1f} %" if f in result["accuracy"] else "-" for f in fields]
        lines.append(
            f"| {name} | {result['images']} | "
            + " | ".join(cells)
            + f" | {result['median_seconds']} | {result['mean_seconds']} | {result.get('median_cpu_seconds')} |"
        )
    lines += ["", "Category is scored with lodging->hotel, travel->train_flight, groceries->other.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", dest="sets", help="only this set (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N images of each set")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--today", default=TODAY)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    names = args.sets or sorted(p.name for p in args.data.iterdir() if p.is_dir())
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "today": args.today, "limit": args.limit, "sets": {}}
    for name in names:
        result = run_set(args.data / name, args.limit, args.today)
        report["sets"][name] = result
        accuracy = "  ".join(f"{f} {v * 100:5.1f}%" for f, v in result["accuracy"].items())
        print(
            f"{name:14} n={result['images']:3}  {accuracy}  median {result['median_seconds']} s"
            f" (CPU {result['median_cpu_seconds']} s)",
            flush=True,
        )
    partial = args.limit is not None or args.sets is not None
    stem = "ocr_eval_partial" if partial else "ocr_eval"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    (RESULTS / f"{stem}.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {RESULTS / stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
