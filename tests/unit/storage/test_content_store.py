"""The content store keeps a stream it never holds whole, under the sha256 of its bytes, and streams it back."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.storage import STREAM_CHUNK, ObjectMissing, open_store


async def pieces(count: int, size: int) -> AsyncIterator[bytes]:
    for n in range(count):
        yield bytes([n % 251]) * size


async def test_a_stream_is_stored_under_its_sha256_and_read_back_in_pieces(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    whole = b"".join([bytes([n % 251]) * 100_000 for n in range(10)])

    name = await store.put_stream(pieces(10, 100_000))

    assert name == hashlib.sha256(whole).hexdigest()
    assert await store.get(name) == whole
    read = [piece async for piece in store.stream(name)]
    assert len(read) > 1
    assert all(len(piece) >= STREAM_CHUNK for piece in read[:-1])
    assert b"".join(read) == whole
    assert await store.put_stream(pieces(10, 100_000)) == name  # the same bytes: the same object


async def test_an_empty_stream_is_the_empty_object(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    name = await store.put_stream(pieces(0, 1))
    assert name == hashlib.sha256(b"").hexdigest()
    assert b"".join([piece async for piece in store.stream(name)]) == b""


async def test_streaming_what_is_not_stored_says_so(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    with pytest.raises(ObjectMissing):
        [piece async for piece in store.stream("0" * 64)]
