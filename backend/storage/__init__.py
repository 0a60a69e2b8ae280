"""Content-addressed storage for receipt images (local folder by default, S3-compatible for scale).

Objects are named by the SHA-256 of their bytes, so the same image uploaded twice is
stored once and a stored object can never change under its name. obstore (a maintained
Rust object-store client) does the I/O for both backends. Its blocking API runs in a
thread: obstore 0.12.1's async API aborts the interpreter at exit after it has raised
(seen here with a not-found ``head_async``).
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import LocalStore, ObjectStore, from_url


class ObjectMissing(Exception):
    """Nothing is stored under that digest."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


STREAM_CHUNK = 256 * 1024


class ContentStore:
    """put(bytes) -> sha256; get(sha256) -> bytes; put_stream / stream for files too large to hold."""

    def __init__(self, store: ObjectStore, description: str) -> None:
        self.store = store
        self.description = description

    @staticmethod
    def _path(sha256: str) -> str:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            msg = f"not a sha256 digest: {sha256!r}"
            raise ValueError(msg)
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    async def put(self, data: bytes) -> str:
        sha256 = digest(data)
        if not await self.exists(sha256):
            await asyncio.to_thread(obstore.put, self.store, self._path(sha256), data)
        return sha256

    async def get(self, sha256: str) -> bytes:
        path = self._path(sha256)
        try:
            return await asyncio.to_thread(lambda: bytes(obstore.get(self.store, path).bytes()))
        except (NotFoundError, FileNotFoundError) as exc:
            raise ObjectMissing(sha256) from exc

    async def put_stream(self, pieces: AsyncIterator[bytes]) -> str:
        """Store what ``pieces`` yields without holding it: spooled to a temporary file while hashed.

        The name is only known at the end, so the bytes go to a local temporary file first (a few
        hundred MB at most) and are then put from the file (multipart for S3).
        """
        hashed = hashlib.sha256()
        with tempfile.NamedTemporaryFile(prefix="selfservice-", suffix=".part") as spool:
            async for piece in pieces:
                hashed.update(piece)
                spool.write(piece)
            spool.flush()
            sha256 = hashed.hexdigest()
            if not await self.exists(sha256):
                # Two 5 MB parts in flight at most: the default (12) held 60 MB more at 10,000 employees.
                path, source = self._path(sha256), Path(spool.name)
                await asyncio.to_thread(lambda: obstore.put(self.store, path, source, max_concurrency=2))
        return sha256

    async def stream(self, sha256: str) -> AsyncIterator[bytes]:
        """The stored bytes in pieces of about ``STREAM_CHUNK`` bytes (ObjectMissing before the first)."""
        path = self._path(sha256)
        try:
            result = await asyncio.to_thread(obstore.get, self.store, path)
        except (NotFoundError, FileNotFoundError) as exc:
            raise ObjectMissing(sha256) from exc
        chunks = iter(result.stream(min_chunk_size=STREAM_CHUNK))
        while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
            yield bytes(chunk)

    async def exists(self, sha256: str) -> bool:
        try:
            await asyncio.to_thread(obstore.head, self.store, self._path(sha256))
        except (NotFoundError, FileNotFoundError):
            return False
        return True


def open_store(url: str | None, data_dir: Path) -> ContentStore:
    """STORAGE_URL: empty for ``DATA_DIR/receipts``, ``file:///path``, or ``s3://bucket/prefix``.

    S3 credentials and endpoint come from the usual AWS_* variables (AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL for MinIO and other S3-compatible stores).
    """
    if not url:
        root = data_dir / "receipts"
        root.mkdir(parents=True, exist_ok=True)
        return ContentStore(LocalStore(root), f"local folder {root}")
    if url.startswith("file://"):
        root = Path(url.removeprefix("file://"))
        root.mkdir(parents=True, exist_ok=True)
        return ContentStore(LocalStore(root), f"local folder {root}")
    return ContentStore(from_url(url), url.split("?")[0])
