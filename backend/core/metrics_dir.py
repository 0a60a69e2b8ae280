"""Where the API processes keep their Prometheus counts (multiprocess mode), set up before they start.

Kept apart from ``backend.core.metrics`` on purpose: prometheus-client decides at import
whether it is in multiprocess mode, so the CLI sets ``PROMETHEUS_MULTIPROC_DIR`` with this
module before anything imports the client (Granian forks its workers from the CLI's process).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess_dir(data_dir: Path) -> Path:
    """Set up multiprocess mode for the processes this one starts (call before they start).

    The directory is ``PROMETHEUS_MULTIPROC_DIR`` when given, else ``DATA_DIR/prometheus``.
    It is wiped of every file but those of processes still running (a ``selfservice worker``
    on this host), as prometheus-client asks: a dead process's counts must not be added
    again to the new processes'.
    """
    directory = Path(os.environ.get(MULTIPROCESS_ENV) or data_dir / "prometheus")
    directory.mkdir(parents=True, exist_ok=True)
    for path in directory.glob("*.db"):
        if not _alive(_pid_of(path.name)):
            path.unlink(missing_ok=True)
    os.environ[MULTIPROCESS_ENV] = str(directory)
    return directory


def join_multiprocess_dir(data_dir: Path) -> None:
    """A ``selfservice worker`` on the API's host writes where the API's scrape reads (wipes nothing)."""
    directory = Path(os.environ.get(MULTIPROCESS_ENV) or data_dir / "prometheus")
    directory.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROCESS_ENV] = str(directory)


_PID = re.compile(r"_(\d+)\.db$")


def _pid_of(name: str) -> int | None:
    match = _PID.search(name)
    return int(match.group(1)) if match else None


def _alive(pid: int | None) -> bool:
    if pid is None or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
