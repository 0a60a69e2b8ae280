"""Accuracy and speed of receipt interpretation on the labelled sets in ../shared/receipts.

Runs ``python -m ocr interpret --jsonl --workers 1`` as a subprocess per set (one worker,
so the seconds are per core) and scores each field as the sets' README says:

- total: equal as a decimal; date: equal; org_number: equal digits;
- merchant: equal after case/accent/punctuation folding, or similarity >= 0.8
  (rapidfuzz's normalised Indel similarity, the same measure as difflib's ratio);
- vat: the same set of (rate, amount) rows; currency: the same ISO code;
- a field the program did not return counts as wrong; fields a label lacks are not scored;
- time: the median of the per-image ``seconds`` the CLI reports (wall-clock in the worker).

Calibration: per set, the scored fields' confidences in buckets, with how many were right
in each, and the share right among fields at or above ``ocr.model.CERTAIN`` (the form
shows those as read; the goal is at least 98 %). ``/proc/loadavg`` is recorded before and
after each set, since other work on the machine slows the timings.

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
from itertools import pairwise
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from ocr.model import CERTAIN  # noqa: E402  (the bench runs as a script from the repo root)

DATA = REPO.parent / "shared" / "receipts"
RESULTS = REPO / "bench" / "results"
TODAY = "2026-11-23"
"""Pinned reference date (when these figures were first measured), so reruns score alike."""
FIELDS = ("total", "date", "merchant", "currency", "vat", "org_number")
BUCKETS = (0.0, 0.2, 0.4, 0.6, CERTAIN, 0.9, 1.0001)
"""Confidence buckets of the calibration table: [low, high)."""
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
    if "currency" in label:
        ok["currency"] = not failed and result.get("currency") == label["currency"]
    if "vat" in label:
        ok["vat"] = not failed and bool(result.get("vat")) and vat_set(result.get("vat")) == vat_set(label["vat"])
    if "org_number" in label:
        digits = re.sub(r"\D", "", str(result.get("org_number") or ""))
        ok["org_number"] = not failed and digits == re.sub(r"\D", "", label["org_number"])
    if "category" in label:
        want = CATEGORY_OF_LABEL.get(label["category"], label["category"])
        ok["category"] = not failed and result.get("category") == want
    return ok


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown"


def calibration(pairs: list[tuple[float, bool]]) -> dict[str, Any]:
    """Per confidence bucket: count and share right; and the share right at or above CERTAIN."""
    buckets = []
    for low, high in pairwise(BUCKETS):
        inside = [right for conf, right in pairs if low <= conf < high]
        buckets.append(
            {
                "from": low,
                "to": min(high, 1.0),
                "count": len(inside),
                "right": round(sum(inside) / len(inside), 4) if inside else None,
            }
        )
    certain = [right for conf, right in pairs if conf >= CERTAIN]
    return {
        "buckets": buckets,
        "certain_count": len(certain),
        "certain_right": round(sum(certain) / len(certain), 4) if certain else None,
        "certain_share": round(len(certain) / len(pairs), 4) if pairs else None,
    }


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
    load_before = loadavg()
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    load_after = loadavg()
    results = {}
    for line in completed.stdout.splitlines():
        if line.strip():
            item = json.loads(line)
            results[item["file"]] = item
    counts: dict[str, list[bool]] = {}
    failures: list[dict[str, Any]] = []
    seconds: list[float] = []
    cpu: list[float] = []
    confidences: dict[str, list[tuple[float, bool]]] = {}
    for image in images:
        result = results.get(str(image), {"error": {"code": "missing", "message": completed.stderr[-500:]}})
        label = json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))
        seconds.append(float(result.get("seconds", 0.0)))
        if "cpu_seconds" in result:
            cpu.append(float(result["cpu_seconds"]))
        confidence = result.get("confidence") or {}
        for field, right in score(result, label).items():
            counts.setdefault(field, []).append(right)
            if field != "category":
                confidences.setdefault(field, []).append((float(confidence.get(field, 0.0)), right))
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
        "p95_seconds": round(statistics.quantiles(seconds, n=20)[-1], 3) if len(seconds) >= 2 else None,
        "median_cpu_seconds": round(statistics.median(cpu), 3) if cpu else None,
        "subprocess_wall_seconds": round(wall, 1),
        "errors": sum("error" in r for r in results.values()),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "calibration": calibration([p for pairs in confidences.values() for p in pairs]),
        "calibration_per_field": {f: calibration(pairs) for f, pairs in confidences.items()},
        "failures": failures,
    }


def markdown(report: dict[str, Any]) -> str:
    fields = [*FIELDS, "category"]
    lines = [
        f"# OCR evaluation ({report['date']}, today={report['today']}, one worker)",
        "",
        "| set | images | " + " | ".join(fields) + " | median s | p95 s | mean s | median CPU s |",
        "|---|---|" + "---|" * len(fields) + "---|---|---|---|",
    ]
    for name, result in report["sets"].items():
        cells = [f"{result['accuracy'][f] * 100:.1f} %" if f in result["accuracy"] else "-" for f in fields]
        lines.append(
            f"| {name} | {result['images']} | "
            + " | ".join(cells)
            + f" | {result['median_seconds']} | {result.get('p95_seconds')} | {result['mean_seconds']}"
            + f" | {result.get('median_cpu_seconds')} |"
        )
    lines += ["", "Category is scored with lodging->hotel, travel->train_flight, groceries->other.", ""]
    lines += [
        f"## Calibration (all scored fields but category; CERTAIN = {CERTAIN})",
        "",
        "| set | "
        + " | ".join(_bucket_name(b) for b in pairwise(BUCKETS))
        + " | right at >= CERTAIN | share at >= CERTAIN | loadavg before / after |",
        "|---|" + "---|" * (len(BUCKETS) - 1) + "---|---|---|",
    ]
    for name, result in report["sets"].items():
        table = result["calibration"]
        cells = [f"{b['count']}: {b['right'] * 100:.0f} %" if b["right"] is not None else "0" for b in table["buckets"]]
        right = (
            "-"
            if table["certain_right"] is None
            else f"{table['certain_right'] * 100:.1f} % of {table['certain_count']}"
        )
        share = "-" if table["certain_share"] is None else f"{table['certain_share'] * 100:.0f} %"
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {right} | {share} | "
            f"{result['loadavg_before']} / {result['loadavg_after']} |"
        )
    lines += ["", "Per field, right at >= CERTAIN:", ""]
    for name, result in report["sets"].items():
        parts = []
        for field, table in result["calibration_per_field"].items():
            if table["certain_right"] is not None:
                parts.append(f"{field} {table['certain_right'] * 100:.1f} % of {table['certain_count']}")
        lines.append(f"- {name}: " + ", ".join(parts))
    lines.append("")
    return "\n".join(lines)


def _bucket_name(bounds: tuple[float, float]) -> str:
    low, high = bounds
    return f"{low:.2f}-{min(high, 1.0):.2f}"


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
        certain = result["calibration"]
        print(
            f"{name:14} n={result['images']:3}  {accuracy}  median {result['median_seconds']} s"
            f" (CPU {result['median_cpu_seconds']} s)  right at >= CERTAIN {certain['certain_right']}"
            f" of {certain['certain_count']}  loadavg {result['loadavg_after']}",
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
