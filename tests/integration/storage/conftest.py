"""One moto S3 server for the storage tests, and the AWS_* variables that point obstore at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.s3_server import S3Server, s3_server


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with s3_server(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def bucket(s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new bucket, with the environment obstore reads pointing at the server; the server runs again after."""
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    yield s3.create_bucket()
    if s3.process is None:  # a test that stopped the store and failed before starting it again
        s3.start()
