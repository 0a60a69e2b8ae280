"""Export file formats at a month's scale (issue 14): PAXml for 400 000 transactions, SIE for 40 000 vouchers.

Facts are generated for 10 000 employees: per employee a month of time (30 day/code rows), one
travel claim (per diem, a meal reduction, mileage tax-free and taxable: 4 transactions) and six
private expenses (UTLÄGG), i.e. 40 payroll transactions; and four claims (one travel, three
expense claims) as 40 000 vouchers. The pipeline is the export's: facts -> transactions /
vouchers (``payroll_transactions``, ``vouchers``) -> streamed bytes written to a file, one
employee at a time, so nothing holds the whole month. Each phase runs in a fresh process:
seconds, MB/s, peak RSS; then once more under tracemalloc (peak of Python allocations; slower,
so its seconds are not the figure). Goal: under 10 s and 300 MB for the month.

    .venv/bin/python bench/export_formats.py [--employees 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.domain.exports.bookkeeping import vouchers  # noqa: E402
from backend.domain.exports.chart import DEFAULT_CHART  # noqa: E402
from backend.domain.exports.mapping import DEFAULT_MAPPING  # noqa: E402
from backend.domain.exports.model import (  # noqa: E402
    Dimensions,
    ExpenseFact,
    ItemFacts,
    PayrollTransaction,
    Person,
    TimeFact,
    TravelFact,
    Voucher,
)
from backend.domain.exports.paxml import PaxmlHeader, render_paxml  # noqa: E402
from backend.domain.exports.payroll import payroll_transactions  # noqa: E402
from backend.domain.exports.sie import SieHeader, objects_used, render_sie  # noqa: E402
from backend.domain.payslip.inputs import TimeCode, TravelDay, TravelLeg  # noqa: E402

D = Decimal
FIRST = date(2026, 10, 1)
CODES = (TimeCode.WORK, TimeCode.OB_WEEKDAY_EVENING)


def person(n: int) -> Person:
    return Person(f"{n:05d}", "198112189876", f"Anställd Nummer {n} Åström")


def time_item(n: int) -> ItemFacts:
    days = [FIRST + timedelta(days=i) for i in range(31) if (FIRST + timedelta(days=i)).weekday() < 5][:15]
    facts = tuple(
        TimeFact(day, code, D("8.00") if code is TimeCode.WORK else D("1.50"), Dimensions(f"K{n % 40}"))
        for day in days
        for code in CODES
    )
    return ItemFacts(f"week-{n}", "time_week", person(n), date(2026, 11, 5), "Oktober", time=facts)


def travel_item(n: int) -> ItemFacts:
    trip = TravelFact(
        f"trip-{n}",
        date(2026, 10, 12),
        date(2026, 10, 14),
        "SE",
        D(645),
        D(0),
        D(780),
        D(156),
        (
            TravelDay("full_day", D(300), D(0)),
            TravelDay("full_day", D(300), D(105)),
            TravelDay("half_day", D(150), D(0)),
        ),
        (TravelLeg(D(312), D("31.2"), D(30), D(25)),),
        "Göteborg, kundbesök",
        Dimensions(f"K{n % 40}", f"P{n % 200}"),
        meals_provided=((), ("lunch",), ()),
        leg_vehicles=("own_car",),
    )
    return ItemFacts(f"travel-{n}", "travel_claim", person(n), date(2026, 11, 5), "Resa Göteborg", travel=trip)


def expense_item(n: int, k: int, count: int) -> ItemFacts:
    expenses = tuple(
        ExpenseFact(
            f"e-{n}-{k}-{i}",
            date(2026, 10, 20),
            D("125.00"),
            ((D(12), D("13.39")),),
            "meal",
            "private",
            f"Lunch {i}",
            Dimensions(f"K{n % 40}"),
        )
        for i in range(count)
    )
    return ItemFacts(f"claim-{n}-{k}", "expense_claim", person(n), date(2026, 11, 5), "Utlägg", expenses=expenses)


def payroll_stream(employees: int) -> Iterator[PayrollTransaction]:
    """Time for everyone first, then pay (PAXml has each section once)."""
    for n in range(employees):
        yield from payroll_transactions(time_item(n), DEFAULT_MAPPING)
    for n in range(employees):
        yield from payroll_transactions(travel_item(n), DEFAULT_MAPPING)
        yield from payroll_transactions(expense_item(n, 0, 6), DEFAULT_MAPPING)


def voucher_stream(employees: int) -> Iterator[Voucher]:
    for n in range(employees):
        yield from vouchers(travel_item(n), DEFAULT_CHART)
        for k in range(3):
            yield from vouchers(expense_item(n, k, 2), DEFAULT_CHART)


def _count(stream: Iterator[object], counter: list[int]) -> Iterator[object]:
    for value in stream:
        counter[0] += 1
        yield value


def run_phase(phase: str, employees: int, trace: bool) -> dict[str, object]:
    if trace:
        tracemalloc.start()
    counter = [0]
    started = time.perf_counter()
    size = 0
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "out", "wb") as out:
        if phase == "paxml":
            header = PaxmlHeader("Demo AB", "556139-9865", datetime(2026, 11, 23, 9, tzinfo=UTC), batch_info="bench")
            chunks = render_paxml(header, _count(payroll_stream(employees), counter))  # type: ignore[arg-type]
        else:
            accounts = dict(DEFAULT_CHART.accounts)  # the header needs them first: the chart's accounts
            objects = objects_used(vouchers(travel_item(n), DEFAULT_CHART)[0] for n in range(min(employees, 200)))
            header_sie = SieHeader(
                "Demo AB", "556139-9865", date(2026, 11, 23), date(2026, 1, 1), date(2026, 12, 31), accounts, objects
            )
            chunks = render_sie(header_sie, _count(voucher_stream(employees), counter))  # type: ignore[arg-type]
        for chunk in chunks:
            size += len(chunk)
            out.write(chunk)
    seconds = time.perf_counter() - started
    result: dict[str, object] = {
        "phase": phase,
        "records": counter[0],
        "bytes": size,
        "seconds": round(seconds, 2),
        "mb_per_second": round(size / seconds / 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    if trace:
        result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    return result


def in_fresh_process(phase: str, employees: int, trace: bool) -> dict[str, object]:
    args = [sys.executable, __file__, "--phase", phase, "--employees", str(employees)] + (["--trace"] if trace else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--phase", choices=("paxml", "sie"))
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.employees, args.trace)))
        return
    load_before = [round(x, 2) for x in os.getloadavg()]
    runs = [in_fresh_process(p, args.employees, False) for p in ("paxml", "sie")]
    traced = [in_fresh_process(p, args.employees, True) for p in ("paxml", "sie")]
    data = {
        "employees": args.employees,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_before": load_before,
        "runs": runs,
        "tracemalloc_runs": traced,
        "total_seconds": round(sum(float(str(r["seconds"])) for r in runs), 2),
        "max_peak_rss_mb": max(float(str(r["peak_rss_mb"])) for r in runs),
    }
    rows = "\n".join(
        f"| {r['phase']} | {r['records']:,} | {int(str(r['bytes'])) / 1e6:.1f} MB | {r['seconds']} s | "
        f"{r['mb_per_second']} MB/s | {r['peak_rss_mb']} MB | {t['tracemalloc_peak_mb']} MB | {r['load_after']} |"
        for r, t in zip(runs, traced, strict=True)
    )
    markdown = (
        f"# Export formats, {args.employees:,} employees\n\n"
        "Facts -> transactions/vouchers -> streamed file, one employee at a time, each phase in a fresh process.\n\n"
        "| file | records | size | seconds | throughput | peak RSS | tracemalloc peak | load after |\n"
        "|---|---|---|---|---|---|---|---|\n"
        f"{rows}\n\nTotal {data['total_seconds']} s; load before {load_before} on {os.cpu_count()} CPUs.\n"
    )
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "export_formats.json").write_text(json.dumps(data, indent=2) + "\n")
    (results / "export_formats.md").write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
