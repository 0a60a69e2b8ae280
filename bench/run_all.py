"""Every benchmark in turn (`make bench`); each prints its figures and writes bench/results/.

Run on a quiet machine: the figures are wall-clock on two shared cores.

    .venv/bin/python bench/run_all.py [--only http_load,attest_load,...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("http_load", "attest_load", "payroll_load", "push_fanout", "ocr_eval")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    args = parser.parse_args()
    failed = []
    for name in args.only.split(","):
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False).returncode:
            failed.append(name)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
