"""A real PgBouncer in transaction mode in front of the test PostgreSQL, as a process of its own.

Its configuration (trust authentication, one database that sets the test schema's search_path on each
server connection it opens) is written to a private directory. PgBouncer refuses to run as root; as
root it is started with ``-u nobody``, so the directory is readable by others. Debian's ``pgbouncer``
package (``make deps-test``) provides the binary.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.live_api import start_server, stop_server
from tests.support.ports import free_port, this_workers

PORTS = range(6432, 6441)
"""The ports these tests may use."""
BINARY = "/usr/sbin/pgbouncer"


def find_pgbouncer() -> str | None:
    return shutil.which("pgbouncer") or (BINARY if Path(BINARY).exists() else None)


@dataclass(frozen=True)
class PgBouncer:
    port: int
    database: str

    @property
    def url(self) -> str:
        """What the app's DATABASE_URL would be: the bouncer, not the server."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{self.database}"


def _config(server_url: str, schema: str, port: int, pool_size: int, directory: Path) -> str:
    server = urlsplit(server_url.replace("+asyncpg", ""))
    database = server.path.lstrip("/") or "postgres"
    user = server.username or "postgres"
    return f"""[databases]
{database} = host={server.hostname} port={server.port or 5432} dbname={database} user={user} connect_query='SET search_path TO {schema}'

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {directory / "userlist.txt"}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 100
ignore_startup_parameters = extra_float_digits
logfile =
pidfile =
"""


def _wait_for(port: int, process_log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"PgBouncer did not listen within {seconds} s:\n{process_log.read_text()[-3000:]}")


@contextmanager
def pgbouncer(server_url: str, schema: str, *, pool_size: int = 2) -> Iterator[PgBouncer]:
    """PgBouncer on a free port of 6432-6440 in transaction mode, stopped however the test ends."""
    binary = find_pgbouncer()
    if binary is None:
        raise RuntimeError("pgbouncer is not installed: run `make deps-test` (Debian package pgbouncer)")
    port = free_port(this_workers(PORTS))
    directory = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    try:
        directory.chmod(0o755)
        (directory / "pgbouncer.ini").write_text(_config(server_url, schema, port, pool_size, directory))
        user = urlsplit(server_url.replace("+asyncpg", "")).username or "postgres"
        (directory / "userlist.txt").write_text(f'"{user}" ""\n')
        for path in directory.iterdir():
            path.chmod(0o644)
        command = [binary, *(["-u", "nobody"] if os.geteuid() == 0 else []), str(directory / "pgbouncer.ini")]
        log = directory / "pgbouncer.log"
        process = start_server(command, {"PATH": os.environ.get("PATH", "")}, log)
        try:
            if process.poll() is not None:
                raise RuntimeError(f"PgBouncer exited:\n{log.read_text()[-3000:]}")
            _wait_for(port, log)
            yield PgBouncer(port, urlsplit(server_url.replace("+asyncpg", "")).path.lstrip("/") or "postgres")
        finally:
            stop_server(process)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
