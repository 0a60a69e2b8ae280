"""The content store keeps a stream it never holds whole, under the sha256 of its bytes, and streams it back.

The same specifications run against S3 (moto's server) in ``tests/integration/storage/test_s3_store.py``.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.storage import CLIENT_OPTIONS, STREAM_CHUNK, ContentStore, ObjectMissing, client_options, open_store


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return open_store(None, tmp_path)


async def pieces(count: int, size: int) -> AsyncIterator[bytes]:
    for n in range(count):
        yield bytes([n % 251]) * size


async def test_bytes_are_stored_once_under_their_sha256(store: ContentStore) -> None:
    name = hashlib.sha256(b"kvitto").hexdigest()
    assert not await store.exists(name)

    assert await store.put(b"kvitto") == name
    assert await store.put(b"kvitto") == name  # the same bytes: the same object
    assert await store.exists(name)
    assert await store.get(name) == b"kvitto"
    assert await store.put(b"kvitto 2") != name


async def test_a_stream_is_stored_under_its_sha256_and_read_back_in_pieces(store: ContentStore) -> None:
    whole = b"".join([bytes([n % 251]) * 100_000 for n in range(10)])

    name = await store.put_stream(pieces(10, 100_000))

    assert name == hashlib.sha256(whole).hexdigest()
    assert await store.get(name) == whole
    read = [piece async for piece in store.stream(name)]
    assert len(read) > 1
    assert all(len(piece) >= STREAM_CHUNK for piece in read[:-1])
    assert b"".join(read) == whole
    assert await store.put_stream(pieces(10, 100_000)) == name  # the same bytes: the same object


async def test_an_empty_stream_is_the_empty_object(store: ContentStore) -> None:
    name = await store.put_stream(pieces(0, 1))
    assert name == hashlib.sha256(b"").hexdigest()
    assert b"".join([piece async for piece in store.stream(name)]) == b""


async def test_getting_what_is_not_stored_says_so(store: ContentStore) -> None:
    with pytest.raises(ObjectMissing):
        await store.get("0" * 64)


async def test_streaming_what_is_not_stored_says_so(store: ContentStore) -> None:
    with pytest.raises(ObjectMissing):
        [piece async for piece in store.stream("0" * 64)]


def test_s3_time_limits_are_short_unless_an_aws_variable_says_otherwise() -> None:
    assert client_options({}) == CLIENT_OPTIONS

    given = client_options({"AWS_READ_TIMEOUT": "30s", "AWS_ALLOW_HTTP": "true", "AWS_BUCKET": "other"})

    assert given == {**CLIENT_OPTIONS, "read_timeout": "30s", "allow_http": "true"}
