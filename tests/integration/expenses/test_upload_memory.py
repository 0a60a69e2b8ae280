"""Ten huge uploads at once keep a real API process within 200 MB of where it started (issue 16:
one 7700x7700 PNG once added 680 MB, four took the process from 705 MB to 3.38 GB).

The server is its own process (uvicorn), measured from ``/proc``: the bound is on memory, never on time.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.support.live_api import live_api, memory, sign_in, upload_all, worst_case_uploads

pytestmark = [pytest.mark.clockless, pytest.mark.slow]

MB = 1024 * 1024


def test_ten_concurrent_worst_case_uploads_keep_the_api_under_200_mb_more(tmp_path: Path) -> None:
    files = worst_case_uploads(10)
    with live_api(tmp_path) as api:
        headers = sign_in(api.url)
        asyncio.run(upload_all(api.url, headers, files[:1]))  # first-use imports and caches are not uploads
        before = memory(api.pid)

        statuses = asyncio.run(upload_all(api.url, headers, files))
        after = memory(api.pid)

    assert sorted(set(statuses)) == [201, 413]
    assert after.peak - before.rss < 200 * MB, f"peak {after.peak / MB:.0f} MB, before {before.rss / MB:.0f} MB"
    assert after.rss - before.rss < 100 * MB, f"after {after.rss / MB:.0f} MB, before {before.rss / MB:.0f} MB"
