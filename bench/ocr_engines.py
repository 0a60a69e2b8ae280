"""Tesseract alone, PP-OCRv4 alone and the two combined, on the labelled sets in ../shared/receipts.

For each set, one child process (so the peak memory is one OCR process's, and the
seconds are one core's: ``OMP_THREAD_LIMIT=1``, onnxruntime one thread) reads every
image once and scores, per engine:

- whether the rows contain the right total / date (an amount or a date the field
  rules' patterns find in some row equals the label) and the merchant (the label's
  name, case and spaces folded, appears in the text): the ceiling an engine sets;
- the fields end to end through ``ocr.extract.extract_fields``, scored as
  bench/ocr_eval.py scores them;
- median and p95 wall and CPU seconds per image for the whole interpretation (decode,
  preprocessing, OCR, extraction): "tesseract" is today's pipeline, "combined" adds
  PP-OCR's detection and the recognition of the regions with digits;
- the child's peak RSS (``ru_maxrss``), which holds both engines' models.

``--ppocr-alone`` also recognises every detected region with PP-OCR and scores its
rows alone (slow: it is only for the comparison).

    .venv/bin/python bench/ocr_engines.py [--set NAME]... [--limit N] [--ppocr-alone]

Writes bench/results/ocr_engines.{json,md} (with --set/--limit: ocr_engines_partial.*),
with ``/proc/loadavg`` before and after each set: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ["OMP_THREAD_LIMIT"] = "1"

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "receipts"
RESULTS = REPO / "bench" / "results"
TODAY = date(2026, 11, 23)
ENGINES = ("tesseract", "combined", "ppocr")
FIELDS = ("total", "date", "merchant")


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "n/a"


def contains(lines: Any, label: dict[str, Any]) -> dict[str, bool]:
    """Whether the rows hold the labelled total, date and merchant at all."""
    from bench.ocr_eval import fold
    from ocr.fields.amounts import find_amounts
    from ocr.fields.dates import find_dates

    found: dict[str, bool] = {}
    if "total" in label:
        want = Decimal(label["total"])
        found["total"] = any(a.value == want for line in lines for a in find_amounts(line))
    if "date" in label:
        found["date"] = any(
            d.value.isoformat() == label["date"] for line in lines for d in find_dates(line, today=TODAY)
        )
    if "merchant" in label:
        text = fold("\n".join(line.text for line in lines)).replace(" ", "")
        found["merchant"] = fold(label["merchant"]).replace(" ", "") in text
    return found


def worker(directory: Path, limit: int | None, ppocr_alone: bool) -> None:
    """Read every image of one set; one JSON line per image, then one with the peak RSS."""
    from bench.ocr_eval import score
    from ocr import neural
    from ocr.engines import NEW_BLOCK, combined_lines, split_reading
    from ocr.extract import extract_fields
    from ocr.images import open_image
    from ocr.pipeline import read_tesseract
    from ocr.preprocess import prepare
    from ocr.tesseract import warm_up

    warm_up()
    engine = neural.engine()
    images = sorted(p for p in directory.glob("*.jpg") if p.with_suffix(".json").exists())[: limit or None]
    for path in images:
        label = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        row: dict[str, Any] = {"file": path.name}
        wall, cpu = time.perf_counter(), time.process_time()
        prepared = prepare(open_image(path.read_bytes(), reduce_large=True).image)
        image, lines, _ = read_tesseract(prepared, TODAY)
        receipt = extract_fields(lines, today=TODAY)
        spent = {"tesseract": (time.perf_counter() - wall, time.process_time() - cpu)}
        row["tesseract"] = {"score": score(receipt.to_json_dict(), label), "contains": contains(lines, label)}
        wall2, cpu2 = time.perf_counter(), time.process_time()
        combined = combined_lines(image, lines, engine)
        receipt = extract_fields(combined, today=TODAY)
        extra = (time.perf_counter() - wall2, time.process_time() - cpu2)
        spent["combined"] = (spent["tesseract"][0] + extra[0], spent["tesseract"][1] + extra[1])
        row["combined"] = {"score": score(receipt.to_json_dict(), label), "contains": contains(combined, label)}
        if ppocr_alone:
            wall3, cpu3 = time.perf_counter(), time.process_time()
            regions = engine.detect(image)
            readings = engine.recognise(image, regions)
            words = [
                w
                for i, (r, t) in enumerate(zip(regions, readings, strict=True))
                for w in split_reading(t, r, NEW_BLOCK + i)
            ]
            alone = _rows(words)
            receipt = extract_fields(alone, today=TODAY)
            spent["ppocr"] = (time.perf_counter() - wall3, time.process_time() - cpu3)
            row["ppocr"] = {"score": score(receipt.to_json_dict(), label), "contains": contains(alone, label)}
        for name, (w, c) in spent.items():
            row[name]["seconds"], row[name]["cpu_seconds"] = round(w, 3), round(c, 3)
        print(json.dumps(row), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mb": round(peak, 1)}), flush=True)


def _rows(words: Any) -> Any:
    from ocr.layout import build_lines

    return build_lines(words)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_set(name: str, data: Path, limit: int | None, ppocr_alone: bool) -> dict[str, Any]:
    before = loadavg()
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(data / name)]
    command += ["--limit", str(limit)] if limit else []
    command += ["--ppocr-alone"] if ppocr_alone else []
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, env=env)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    peak = next((r["peak_rss_mb"] for r in rows if "peak_rss_mb" in r), None)
    images = [r for r in rows if "file" in r]
    result: dict[str, Any] = {
        "images": len(images),
        "peak_rss_mb": peak,
        "loadavg_before": before,
        "loadavg_after": loadavg(),
        "stderr": done.stderr[-2000:] if done.returncode else "",
        "engines": {},
    }
    for engine in ENGINES:
        got = [r[engine] for r in images if engine in r]
        if not got:
            continue
        summary: dict[str, Any] = {}
        for kind in ("contains", "score"):
            for field in FIELDS:
                marks = [g[kind][field] for g in got if field in g[kind]]
                if marks:
                    summary[f"{kind}_{field}"] = round(sum(marks) / len(marks), 4)
        for key in ("seconds", "cpu_seconds"):
            values = [g[key] for g in got]
            summary[f"median_{key}"] = round(statistics.median(values), 3)
            summary[f"p95_{key}"] = round(p95(values), 3)
        summary["misses"] = {
            field: [r["file"] for r in images if engine in r and not r[engine]["score"].get(field, True)]
            for field in ("total", "date")
        }
        result["engines"][engine] = summary
    return result


def markdown(report: dict[str, Any]) -> str:
    out = [
        f"# OCR engines ({report['date']}, today={TODAY}, one core per set)",
        "",
        "Contains: the rows hold the right value at all. Field: end to end through extract_fields.",
        "Seconds: the whole interpretation per image (PP-OCR alone: its detection and recognition only).",
        "",
        "| set | engine | contains total | contains date | contains merchant | total | date | merchant "
        "| median s | p95 s | median CPU s | p95 CPU s | peak RSS MB | load average (before / after) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, result in report["sets"].items():
        for engine, s in result["engines"].items():
            cells = [
                f"{s[k] * 100:.1f} %" if k in s else "-"
                for k in [f"contains_{f}" for f in FIELDS] + [f"score_{f}" for f in FIELDS]
            ]
            out.append(
                f"| {name} | {engine} | "
                + " | ".join(cells)
                + f" | {s['median_seconds']} | {s['p95_seconds']} | {s['median_cpu_seconds']} | {s['p95_cpu_seconds']}"
                f" | {result['peak_rss_mb']} | {result['loadavg_before']} / {result['loadavg_after']} |"
            )
    out.append("")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", dest="sets", help="only this set (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N images of each set")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ppocr-alone", action="store_true", help="also score PP-OCR's rows alone (slow)")
    parser.add_argument("--out", default=None, help="results file stem (default ocr_engines[_partial])")
    parser.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker, args.limit, args.ppocr_alone)
        return 0
    if not args.data.is_dir():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    names = args.sets or sorted(p.name for p in args.data.iterdir() if p.is_dir())
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sets": {}}
    for name in names:
        result = run_set(name, args.data, args.limit, args.ppocr_alone)
        report["sets"][name] = result
        for engine, s in result["engines"].items():
            print(
                f"{name:13} {engine:9} n={result['images']:3} "
                + " ".join(f"{k}={v * 100:5.1f}" for k, v in s.items() if k.startswith(("contains", "score")))
                + f" median {s['median_seconds']} s (CPU {s['median_cpu_seconds']}) p95 {s['p95_seconds']} s"
                f" (CPU {s['p95_cpu_seconds']}) rss {result['peak_rss_mb']} MB load {result['loadavg_after']}",
                flush=True,
            )
        if result["stderr"]:
            print(result["stderr"], file=sys.stderr)
    stem = args.out or ("ocr_engines_partial" if args.sets or args.limit else "ocr_engines")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / f"{stem}.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {RESULTS / stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
