"""Lighthouse scores (performance, accessibility, best practices) for the app's main pages on a phone.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--page start --page payslip ...] [--build] [--dist DIR]

Starts the app as the browser tests do (`selfservice run` with the built `pwa/dist`, or the build
given with `--dist` / `$PWA_DIST`, e.g. `vite build --outDir /tmp/...` while others rebuild `pwa/dist`;
demo data on a fresh SQLite database in a temporary folder), signs in where a page needs it and runs Lighthouse
(`npx lighthouse@LIGHTHOUSE_VERSION`, Debian's Chromium, headless) with its default mobile settings:
a Moto G-sized screen, simulated slow 4G and a 4x slower CPU. Each page is measured `--runs` times
and the median of each score is reported: the machine's two cores are shared, so the performance
score moves between runs. Writes `bench/results/lighthouse.{json,md}`.

Signing in: the session is a JWT that the API takes from its HttpOnly cookie or from a Bearer
header, and a request with a Bearer token skips the CSRF check (it cannot be a forged cross-site
request). So each run logs in through `POST /api/auth/login` and hands Lighthouse the token as
`--extra-headers {"Authorization": "Bearer ..."}`: every request of the page load carries it, the
app's start-up check (`/api/auth/refresh`) succeeds and the page renders signed in, exactly as
after a cookie sign-in. The HTML and the assets need no sign-in at all.

Lighthouse runs through `npx --yes` at a pinned version rather than as a devDependency of `pwa/`:
it is a benchmark tool with a large dependency tree (puppeteer-core, Sentry, third-party-web ...),
and every `npm ci` of the web app (CI, `make run`) would download it for nothing. 12.8.2 is the
newest release that runs on Node 20 (13.x needs Node >= 22.19; the project supports Node 20).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, cli, database_env, machine, server, token, write_results

LIGHTHOUSE_VERSION = "12.8.2"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
GOAL = 95

# name -> (address, who signs in; None = signed out)
PAGES: dict[str, tuple[str, str | None]] = {
    "login": ("/login", None),
    "start": ("/start", "maria.berg@demo.se"),  # a manager: every card on the start page
    "expenses": ("/expenses", "anna.andersson@demo.se"),
    "attest": ("/attest", "maria.berg@demo.se"),
    "payslip": ("/payslip", "anna.andersson@demo.se"),
}


def run_lighthouse(url: str, headers: dict[str, str], out: Path) -> dict[str, Any]:
    """One Lighthouse run; its JSON report."""
    args = [
        "npx",
        "--yes",
        f"lighthouse@{LIGHTHOUSE_VERSION}",
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        "--output=json",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    if headers:
        args.append(f"--extra-headers={json.dumps(headers)}")
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    completed = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    if completed.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse failed for {url}:\n{completed.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse could not load {url}: {report['runtimeError']}")
    return report


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    categories = report["categories"]
    audits = report["audits"]
    lost: dict[str, list[str]] = {}
    for category in CATEGORIES:
        for ref in categories[category]["auditRefs"]:
            audit = audits.get(ref["id"], {})
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 0.9:
                lost.setdefault(category, []).append(f"{ref['id']} ({score:.2f})")
    return {
        "scores": {category: round(categories[category]["score"] * 100) for category in CATEGORIES},
        "metrics": {name: audits[audit]["displayValue"] for audit, name in METRICS.items() if audit in audits},
        "metrics_ms": {name: audits[audit].get("numericValue") for audit, name in METRICS.items() if audit in audits},
        "below_0_9": lost,
        # What moved (CLS) and what held the main thread (TBT): where to look next.
        "layout_shifts": [
            {"element": (item.get("node") or {}).get("selector", "?"), "score": round(item.get("score", 0), 3)}
            for item in (audits.get("layout-shifts", {}).get("details") or {}).get("items", [])[:5]
        ],
        "long_tasks": [
            {"url": item.get("url"), "ms": round(item.get("duration", 0))}
            for item in (audits.get("long-tasks", {}).get("details") or {}).get("items", [])[:8]
        ],
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
    }


def measure(url: str, pages: list[str], runs: int, workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in pages:
        path, who = PAGES[name]
        page_runs = []
        for n in range(runs):
            headers = {"Authorization": f"Bearer {token(url, who)}"} if who else {}
            report = run_lighthouse(f"{url}{path}", headers, workdir / f"{name}-{n}.json")
            summary = summarise(report)
            expected = f"{url}{path}"
            if summary["final_url"] != expected:
                raise RuntimeError(f"{name}: ended at {summary['final_url']}, not {expected} (sign-in failed?)")
            page_runs.append(summary)
            print(f"{name} run {n + 1}: {summary['scores']} {summary['metrics']}", flush=True)
        median = {category: statistics.median(run["scores"][category] for run in page_runs) for category in CATEGORIES}
        results[name] = {"path": path, "signed_in_as": who, "median": median, "runs": page_runs}
    return results


def markdown(data: dict[str, Any]) -> str:
    lines = [
        "# Lighthouse",
        "",
        f"Lighthouse {data['lighthouse']} (mobile: simulated slow 4G, 4x CPU slowdown), Debian Chromium headless, "
        f"median of {data['runs']} run(s) per page; {data['machine']['cpus']} shared cores, load "
        f"{data['machine']['load_before']} at the start, {data['machine']['when']}.",
        f"Goal: each score >= {GOAL}.",
        "",
        "| page | performance | accessibility | best practices | FCP | LCP | TBT | CLS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in data["pages"].items():
        median = page["median"]
        # The metrics of the run whose performance score is the median (or nearest).
        run = min(page["runs"], key=lambda r: abs(r["scores"]["performance"] - median["performance"]))
        metrics = run["metrics"]
        lines.append(
            f"| {name} (`{page['path']}`) | {median['performance']:g} | {median['accessibility']:g} | "
            f"{median['best-practices']:g} | {metrics.get('FCP', '')} | {metrics.get('LCP', '')} | "
            f"{metrics.get('TBT', '')} | {metrics.get('CLS', '')} |"
        )
    lost = {
        f"{name}: {category}": audits
        for name, page in data["pages"].items()
        for run in page["runs"][:1]
        for category, audits in run["below_0_9"].items()
    }
    if lost:
        lines += ["", "Audits scoring below 0.9 (first run):", ""]
        lines += [f"- {where}: {', '.join(audits)}" for where, audits in lost.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is reported")
    parser.add_argument("--page", action="append", choices=sorted(PAGES), help="only these pages (repeatable)")
    parser.add_argument("--build", action="store_true", help="build the web app first (npm run build)")
    parser.add_argument(
        "--dist",
        type=Path,
        default=Path(os.environ.get("PWA_DIST") or ROOT / "pwa" / "dist"),
        help="the built web app to serve (default: $PWA_DIST or pwa/dist)",
    )
    parser.add_argument(
        "--keep-reports", type=Path, help="copy each run's full Lighthouse JSON report into this folder"
    )
    args = parser.parse_args()

    dist = args.dist.resolve()
    if args.build:
        subprocess.run(
            ["npm", "run", "build", "--", "--outDir", str(dist), "--emptyOutDir"], cwd=ROOT / "pwa", check=True
        )
    if not (dist / "index.html").is_file():
        sys.exit(f"The web app is not built ({dist}): run `cd pwa && npm run build` or pass --build")
    if shutil.which("npx") is None:
        sys.exit("npx (Node.js) is needed to run Lighthouse")
    if not Path(CHROME_PATH).is_file():
        sys.exit(f"No Chromium at {CHROME_PATH}: apt-get install chromium (or set CHROME_PATH)")

    about = machine()
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        workdir = Path(tmp)
        env = {
            "APP_ENV": "test",
            "DATA_DIR": str(workdir),
            "PWA_DIST": str(dist),
            "LOG_LEVEL": "WARNING",
            "LOG_REQUESTS": "false",
            "LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            "RUN_WORKER_IN_APP": "false",
            **database_env("sqlite", workdir),
        }
        cli(env, "db", "upgrade")
        cli(env, "demo", "seed", "--employees", "9")
        with server(env) as url:
            pages = measure(url, args.page or list(PAGES), args.runs, workdir)
        if args.keep_reports:
            args.keep_reports.mkdir(parents=True, exist_ok=True)
            for report in workdir.glob("*-[0-9]*.json"):
                shutil.copy(report, args.keep_reports / report.name)
    data = {"lighthouse": LIGHTHOUSE_VERSION, "runs": args.runs, "machine": about, "goal": GOAL, "pages": pages}
    write_results("lighthouse", data, markdown(data))


if __name__ == "__main__":
    main()
