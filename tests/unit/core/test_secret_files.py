"""Secrets kept in DATA_DIR: written once, private, the same for every process that starts at once."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from backend.config import _persistent_secret
from backend.core.secret_files import write_once
from backend.notices.channels import stored_keys

pytestmark = pytest.mark.clockless


def test_the_vapid_key_file_is_created_once_private_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    first = stored_keys(data_dir)
    second = stored_keys(data_dir)

    assert first == second
    [path] = list(data_dir.iterdir())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_session_secret_survives_a_restart_and_is_private(tmp_path: Path) -> None:
    first = _persistent_secret(tmp_path)
    second = _persistent_secret(tmp_path)

    assert first == second
    assert len(first) >= 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_writers_racing_at_start_all_read_the_first_ones_secret(tmp_path: Path) -> None:
    path = tmp_path / "secret"

    def start(n: int) -> bytes:
        write_once(path, lambda: f"secret {n}".encode())
        return path.read_bytes()

    with ThreadPoolExecutor(8) as pool:
        read = set(pool.map(start, range(32)))

    assert len(read) == 1
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_a_secret_already_there_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_bytes(b"configured earlier")

    write_once(path, lambda: b"new")

    assert path.read_bytes() == b"configured earlier"
