"""The content store on S3 (moto's server): the local store's specifications, the objects where they belong,
and a store that is down or hangs answered as ``StorageUnavailable`` (503, retry later), never as missing."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.storage import ContentStore, ObjectMissing, StorageUnavailable, open_store
from tests.support.s3_server import S3Server
from tests.unit.storage.test_content_store import (  # the same specifications, here run against S3
    test_a_stream_is_stored_under_its_sha256_and_read_back_in_pieces,
    test_an_empty_stream_is_the_empty_object,
    test_bytes_are_stored_once_under_their_sha256,
    test_getting_what_is_not_stored_says_so,
    test_streaming_what_is_not_stored_says_so,
)

pytestmark = pytest.mark.clockless

__all__ = [
    "test_a_stream_is_stored_under_its_sha256_and_read_back_in_pieces",
    "test_an_empty_stream_is_the_empty_object",
    "test_bytes_are_stored_once_under_their_sha256",
    "test_getting_what_is_not_stored_says_so",
    "test_streaming_what_is_not_stored_says_so",
]


@pytest.fixture
def store(bucket: str, tmp_path: Path) -> ContentStore:
    return open_store(f"s3://{bucket}/kvitton", tmp_path)


async def test_objects_are_named_by_sha256_under_the_prefix_in_the_bucket(
    store: ContentStore, s3: S3Server, bucket: str
) -> None:
    name = await store.put(b"kvitto")
    streamed = await store.put_stream(pieces_of(b"stort kvitto" * 100_000))

    assert sorted(s3.keys(bucket)) == sorted(f"kvitton/{sha[:2]}/{sha[2:4]}/{sha}" for sha in (name, streamed))
    assert name == hashlib.sha256(b"kvitto").hexdigest()


async def pieces_of(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 64 * 1024):
        yield data[start : start + 64 * 1024]


async def test_a_store_that_is_down_is_unavailable_not_missing(store: ContentStore, s3: S3Server, bucket: str) -> None:
    name = await store.put(b"kvitto")
    s3.stop()
    try:
        with pytest.raises(StorageUnavailable) as stored:
            await store.put(b"ett annat kvitto")
        with pytest.raises(StorageUnavailable):
            await store.get(name)
        with pytest.raises(StorageUnavailable):
            await store.exists(name)
        with pytest.raises(StorageUnavailable):
            await store.put_stream(pieces_of(b"x" * 1000))
    finally:
        s3.start()
    assert stored.value.status == 503
    assert stored.value.headers["retry-after"]
    s3.create_bucket(bucket)  # moto kept its buckets in memory: the store is back, empty
    with pytest.raises(ObjectMissing):
        await store.get(name)
    assert await store.put(b"kvitto") == name


async def test_a_store_that_accepts_and_never_answers_is_unavailable(store: ContentStore, s3: S3Server) -> None:
    name = await store.put(b"kvitto")
    with s3.paused(), pytest.raises(StorageUnavailable):
        await store.get(name)
    assert await store.get(name) == b"kvitto"
