"""Several API processes, one scrape: prometheus-client's multiprocess mode as the CLI sets it up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.core.metrics import exposition
from backend.core.metrics_dir import MULTIPROCESS_ENV, prepare_multiprocess_dir
from tests.support.metrics import parse, value

pytestmark = pytest.mark.clockless

REPO = Path(__file__).resolve().parents[3]
RECORD_ONE_REQUEST = (
    "from backend.core.metrics import RequestMetrics, DELIVERIES\n"
    "RequestMetrics().observe('GET', '/api/me', 200, 0.02)\n"
    "DELIVERIES.labels('push', 'delivered').inc()\n"
)


def _python(code: str, directory: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, MULTIPROCESS_ENV: str(directory), "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=REPO)


def test_a_scrape_sums_what_every_process_recorded(tmp_path: Path) -> None:
    for process in [_python(RECORD_ONE_REQUEST, tmp_path) for _ in range(2)]:
        assert process.wait(timeout=60) == 0

    samples = parse(exposition(None, multiprocess_dir=str(tmp_path)).decode())

    me = {"method": "GET", "route": "/api/me", "status": "2xx"}
    assert value(samples, "http_request_duration_seconds_count", **me) == 2
    assert value(samples, "http_request_duration_seconds_bucket", le="0.025", **me) == 2
    assert value(samples, "notification_deliveries_total", channel="push", outcome="delivered") == 2
    assert value(samples, "job_queue_read_ok") == 0  # no backlog given: said, not left out


def test_starting_wipes_the_files_of_dead_processes_and_keeps_a_running_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MULTIPROCESS_ENV, "")  # so that what the CLI sets is undone after the test
    monkeypatch.delenv(MULTIPROCESS_ENV)
    ended = _python("pass", tmp_path)
    ended.wait(timeout=60)
    running = _python("import time; time.sleep(60)", tmp_path)
    try:
        directory = tmp_path / "prometheus"
        directory.mkdir()
        (directory / f"counter_{ended.pid}.db").write_bytes(b"old")
        (directory / f"histogram_{ended.pid}.db").write_bytes(b"old")
        (directory / f"counter_{running.pid}.db").write_bytes(b"live")

        prepared = prepare_multiprocess_dir(tmp_path)

        assert prepared == directory
        assert os.environ[MULTIPROCESS_ENV] == str(directory)
        assert sorted(p.name for p in directory.iterdir()) == [f"counter_{running.pid}.db"]
    finally:
        running.kill()
        running.wait()
