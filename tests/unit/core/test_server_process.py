"""A server process freezes what it built at start; an app built in a test process does not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import asyncio, gc
from backend import app as factory

async def main():
    for make in (factory.create_app, factory.serve_app):
        app = make()
        async with app.lifespan():
            print(make.__name__, gc.get_freeze_count())

asyncio.run(main())
"""


def test_only_the_server_factory_hides_start_up_objects_from_the_garbage_collector(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "RUN_WORKER_IN_APP": "false",
        "LOG_LEVEL": "WARNING",
    }
    run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)

    assert run.returncode == 0, run.stderr
    frozen = dict(line.split() for line in run.stdout.splitlines() if line.endswith(tuple("0123456789")))
    assert int(frozen["create_app"]) == 0  # tests build many apps: nothing of theirs may be kept forever
    assert int(frozen["serve_app"]) > 100_000  # modules, mappers, routes: no longer walked by full collections
