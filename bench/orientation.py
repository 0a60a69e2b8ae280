"""Is the receipt's text lying on its side? Measured on every labelled image, upright and turned a quarter.

``ocr.preprocess`` decides from how spiky the row and column ink profiles are, with a
barcode's bars left out; between ``DOUBTFUL_PROFILES`` Tesseract's orientation detection
(OSD) decides. This bench runs ``prepare`` on each image of ../shared/receipts as it is
(all upright) and turned 90 degrees, and counts for each way of deciding how often it is
right, how many images needed OSD and what OSD cost:

- "profiles": the profile ratio alone (ratio > 1.5), without removing barcode bars (the rule
  before this bench);
- "profiles without bars": the same with barcode bars left out;
- "with OSD" (the product): as above, OSD deciding the doubtful ratios.

    .venv/bin/python bench/orientation.py [--limit N]

Writes bench/results/orientation.{json,md}, with ``/proc/loadavg`` before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
import ocr.preprocess as preprocess  # noqa: E402  (the bench runs as a script from the repo root)
from ocr.images import open_image  # noqa: E402
from ocr.tesseract import sideways  # noqa: E402

DATA = REPO.parent / "shared" / "receipts"
RESULTS = REPO / "bench" / "results"
SETS = ("sroie-dev", "sroie-dev2", "synthetic-sv")


def decisions(flat: preprocess.Gray) -> dict[str, Any]:
    """What each way of deciding says about the straightened, cropped image."""
    plain = preprocess.profile_ratio(flat, without_bars=False)
    cleaned = preprocess.profile_ratio(flat)
    low, high = preprocess.DOUBTFUL_PROFILES
    osd_seconds = None
    product = cleaned > preprocess.SIDEWAYS_RATIO
    if low < cleaned < high:
        start = time.perf_counter()
        told = sideways(flat)
        osd_seconds = time.perf_counter() - start
        product = told if told is not None else product
    return {
        "profiles": plain > preprocess.SIDEWAYS_RATIO,
        "profiles without bars": cleaned > preprocess.SIDEWAYS_RATIO,
        "with OSD": product,
        "osd_seconds": osd_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    seen: list[dict[str, Any]] = []
    original = preprocess._text_is_vertical

    def spy(flat: preprocess.Gray) -> bool:
        seen.append(decisions(flat))
        return False  # the bench only looks: keep the image as given

    preprocess._text_is_vertical = spy
    load_before = Path("/proc/loadavg").read_text(encoding="utf-8").strip()
    rows: list[dict[str, Any]] = []
    try:
        for name in SETS:
            paths = sorted((DATA / name).glob("*.jpg"))
            for path in paths[: args.limit or None]:
                image = open_image(path.read_bytes(), reduce_large=True).image
                for turned, view in ((False, image), (True, image.transpose(Image.Transpose.ROTATE_90))):
                    seen.clear()
                    preprocess.prepare(view, remove_junk=False)
                    rows.append({"set": name, "file": path.name, "turned": turned, **seen[0]})
    finally:
        preprocess._text_is_vertical = original
    load_after = Path("/proc/loadavg").read_text(encoding="utf-8").strip()

    methods = ("profiles", "profiles without bars", "with OSD")
    summary: dict[str, Any] = {"loadavg": [load_before, load_after], "sets": {}}
    lines = [
        f"# Orientation (upright or a quarter turn), {time.strftime('%Y-%m-%d')}",
        "",
        f"Load average before / after: {load_before} / {load_after}",
        "",
        "| set | images | way of deciding | upright kept | turned found | OSD run on | OSD median s | OSD max s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in SETS:
        mine = [r for r in rows if r["set"] == name]
        upright = [r for r in mine if not r["turned"]]
        quarter = [r for r in mine if r["turned"]]
        osd = [r["osd_seconds"] for r in mine if r["osd_seconds"] is not None]
        per: dict[str, Any] = {}
        for method in methods:
            kept = sum(not r[method] for r in upright)
            found = sum(r[method] for r in quarter)
            per[method] = {"upright_kept": kept, "turned_found": found}
            osd_cells = (
                f"{len(osd)} of {len(mine)} | {statistics.median(osd):.2f} | {max(osd):.2f}"
                if method == "with OSD" and osd
                else "- | - | -"
            )
            lines.append(
                f"| {name} | {len(upright)} | {method} | {kept} of {len(upright)} | "
                f"{found} of {len(quarter)} | {osd_cells} |"
            )
        per["osd_runs"] = len(osd)
        per["osd_seconds"] = osd
        summary["sets"][name] = per
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "orientation.json").write_text(json.dumps({"summary": summary, "rows": rows}, indent=1) + "\n")
    (RESULTS / "orientation.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
