"""Ports for the servers the tests start, from the range a test run is given."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence


def free_port(ports: Iterable[int], *, or_any: bool = False) -> int:
    """The first of ``ports`` free on 127.0.0.1; with ``or_any`` a port the system picks when none is."""
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    if not or_any:
        raise RuntimeError(f"no free port among {list(ports)}")
    return any_port()


def any_port() -> int:
    """A port the system picks as free on 127.0.0.1 (for servers that need no port of their own)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def this_workers(ports: Sequence[int]) -> Sequence[int]:
    """This pytest-xdist worker's share of ``ports`` (all of them without xdist).

    Two workers that look for a free port at once can both find the same one free and start
    their servers on it; the second server fails to bind while its readiness check is answered
    by the first, and the two workers share (and stop) one server. Disjoint shares cannot race.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not worker.startswith("gw") or count <= 1:
        return ports
    return ports[int(worker[2:]) % count :: count]
