"""A real S3-compatible server for the tests: moto's standalone server in a process of its own.

It can be killed and started again on the same port (an S3 service that is down, then back) or
paused with SIGSTOP (one that accepts connections and never answers). moto keeps its buckets in
memory, so a restarted server has none until ``create_bucket`` is called again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import httpx

from tests.support.live_api import start_server, stop_server
from tests.support.ports import free_port, this_workers

PORTS = range(5600, 5610)
"""The ports these tests may use."""
REGION = "eu-north-1"


class S3Server:
    """moto's server on 127.0.0.1:``port``; ``env(bucket)`` is what the app needs to store there."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        self.process = start_server(command, dict(os.environ), self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                httpx.get(f"{self.endpoint}/moto-api/", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"moto did not answer within 60 s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Kill the server (a store that is down: connections are refused)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGCONT)  # a paused server must run to die of SIGTERM
        stop_server(process)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """A store that hangs: the kernel still accepts connections, nothing answers them."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.killpg(self.process.pid, signal.SIGCONT)

    def create_bucket(self, name: str | None = None) -> str:
        """A bucket (a new one by default); moto takes the unsigned request."""
        name = name or f"receipts-{uuid.uuid4().hex[:12]}"
        response = httpx.put(f"{self.endpoint}/{name}", timeout=10)
        response.raise_for_status()
        return name

    def keys(self, bucket: str) -> list[str]:
        """Every object name in ``bucket``, read with S3's ListObjectsV2 (not through the code under test)."""
        response = httpx.get(f"{self.endpoint}/{bucket}", params={"list-type": "2"}, timeout=10)
        response.raise_for_status()
        namespace = "{http://s3.amazonaws.com/doc/2006-03-01/}"
        return [key.text or "" for key in ElementTree.fromstring(response.content).iter(f"{namespace}Key")]

    def env(self) -> dict[str, str]:
        """The AWS_* variables obstore reads (an http endpoint needs AWS_ALLOW_HTTP)."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "selfservice-test",
            "AWS_SECRET_ACCESS_KEY": "selfservice-test-secret",
            "AWS_REGION": REGION,
            "AWS_ALLOW_HTTP": "true",
        }


@contextmanager
def s3_server(log_dir: Path) -> Iterator[S3Server]:
    """Start moto on a free port of 5600-5609 (of this worker's share), and stop it however the tests end."""
    server = S3Server(free_port(this_workers(PORTS)), log_dir / "moto.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
