"""The web app's API types (pwa/src/api-schema.d.ts) are what the backend's OpenAPI document says now.

The file is generated (`npm run api-types`: `selfservice openapi`, then openapi-typescript) and
committed, so that building the app needs no Python. A field renamed, made nullable or removed in
the API without generating again would leave the app type-checking against the old shape; this
test generates the file again from this checkout's backend and fails on any difference.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.clockless, pytest.mark.slow]

PWA = Path(__file__).resolve().parents[3] / "pwa"
COMMITTED = PWA / "src" / "api-schema.d.ts"


def test_the_committed_api_types_are_what_the_backend_generates(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "Node is needed to generate the web app's API types"
    generated = tmp_path / "api-schema.d.ts"
    subprocess.run(
        [node, str(PWA / "scripts" / "api_types.mjs"), "--out", str(generated), "--python", sys.executable],
        cwd=PWA,
        check=True,
        timeout=180,
    )
    expected = generated.read_text(encoding="utf-8")
    committed = COMMITTED.read_text(encoding="utf-8")
    difference = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            "pwa/src/api-schema.d.ts (committed)",
            "generated from the backend now",
            n=2,
        )
    )
    if difference:
        pytest.fail(f"Run `npm run api-types` in pwa/ and commit the result:\n{difference[:4000]}", pytrace=False)
