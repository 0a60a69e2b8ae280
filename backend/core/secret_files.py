"""Secrets the app keeps in DATA_DIR when none is configured (the session key, the VAPID key).

Several processes may start at once: the secret is written to a private temporary file and
hard-linked into place, which fails for all but the first writer, so every process reads the same.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def write_once(path: Path, make: Callable[[], bytes]) -> None:
    """Write ``make()`` to ``path`` (mode 0600) unless it is there; the first of racing writers wins."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(make())
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
