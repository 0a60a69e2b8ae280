"""Content-addressed storage for receipt images (local folder by default, S3-compatible for scale).

Objects are named by the SHA-256 of their bytes, so the same image uploaded twice is
stored once and a stored object can never change under its name. obstore (a maintained
Rust object-store client) does the I/O for both backends. Its blocking API runs in a
thread: obstore 0.12.1's async API aborts the interpreter at exit after it has raised
(seen here with a not-found ``head_async``).

A store that cannot be reached (down, hanging, refusing our credentials) is ``StorageUnavailable``:
a 503 with Retry-After for the user, raised before anything is written to the database, so
a retry (with the same Idempotency-Key) simply acts. An S3 object is written whole or not at all.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

import obstore
import structlog
from litestar.openapi.datastructures import ResponseSpec
from obstore.exceptions import BaseError, NotFoundError
from obstore.store import LocalStore, ObjectStore, from_url

from backend.core.i18n import Text
from backend.core.problems import PROBLEM_JSON, Problem, ProblemDetails

if TYPE_CHECKING:
    from obstore.store import ClientConfig, RetryConfig

log = structlog.get_logger(__name__)
T = TypeVar("T")

RETRY_AFTER_SECONDS = 10
"""How long a user whose upload or download met an unreachable store is told to wait."""
CLIENT_OPTIONS: dict[str, str] = {"connect_timeout": "2s", "read_timeout": "4s", "timeout": "60s"}
"""S3 HTTP time limits. A store that refuses connections fails at once; one that accepts and never answers
fails after ``read_timeout`` (no byte for that long), not after obstore's default 30 s per attempt. Each can be
set with its ``AWS_<NAME>`` variable (``AWS_READ_TIMEOUT=10s``)."""
CLIENT_KEYS = (*CLIENT_OPTIONS, "allow_http", "allow_invalid_certificates", "proxy_url", "proxy_excludes")
"""Client options read from ``AWS_<NAME>``: obstore reads them itself only when it is given no client options."""
RETRY: RetryConfig = {
    "max_retries": 3,
    "retry_timeout": timedelta(seconds=4),
    "backoff": {"init_backoff": timedelta(milliseconds=100), "max_backoff": timedelta(seconds=1), "base": 2},
}
"""Retries of connection errors, 5xx and timeouts: none is started after 4 s (obstore's default: 10 retries
within 3 minutes), so a dead store answers the user within seconds."""


class ObjectMissing(Exception):
    """Nothing is stored under that digest."""


class StorageUnavailable(Problem):
    """The store did not answer or refused: nothing was stored, and the same request may be sent again."""

    def __init__(self) -> None:
        super().__init__(
            503,
            "storage_unavailable",
            Text(sv="Filarkivet svarar inte", en="The file store does not answer"),
            Text(
                sv="Filen kunde inte sparas eller hämtas och inget har sparats. Försök igen om en stund.",
                en="The file could not be stored or fetched, and nothing was saved. Try again in a while.",
            ),
            headers={"retry-after": str(RETRY_AFTER_SECONDS)},
        )


UNAVAILABLE_RESPONSES = {
    503: ResponseSpec(
        data_container=ProblemDetails,
        description="The file store does not answer (storage_unavailable); nothing was saved, see Retry-After",
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )
}
"""For the ``responses`` of a route that reads or writes the store."""


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

    async def _run(self, operation: Callable[[], T]) -> T:
        """``operation`` in a thread; the store's failures (other than "not found") as ``StorageUnavailable``."""
        try:
            return await asyncio.to_thread(operation)
        except NotFoundError:
            raise
        except BaseError as exc:
            log.warning("storage_unavailable", store=self.description, error=str(exc).split("\n", 1)[0])
            raise StorageUnavailable from exc

    async def put(self, data: bytes) -> str:
        sha256 = digest(data)
        if not await self.exists(sha256):
            path = self._path(sha256)
            await self._run(lambda: obstore.put(self.store, path, data))
        return sha256

    async def get(self, sha256: str) -> bytes:
        path = self._path(sha256)
        try:
            return await self._run(lambda: bytes(obstore.get(self.store, path).bytes()))
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
                await self._run(lambda: obstore.put(self.store, path, source, max_concurrency=2))
        return sha256

    async def stream(self, sha256: str) -> AsyncIterator[bytes]:
        """The stored bytes in pieces of about ``STREAM_CHUNK`` bytes (ObjectMissing before the first)."""
        path = self._path(sha256)
        try:
            result = await self._run(lambda: obstore.get(self.store, path))
        except (NotFoundError, FileNotFoundError) as exc:
            raise ObjectMissing(sha256) from exc
        chunks = iter(result.stream(min_chunk_size=STREAM_CHUNK))
        while (chunk := await self._run(lambda: next(chunks, None))) is not None:
            yield bytes(chunk)

    async def exists(self, sha256: str) -> bool:
        path = self._path(sha256)
        try:
            await self._run(lambda: obstore.head(self.store, path))
        except (NotFoundError, FileNotFoundError):
            return False
        return True


def open_store(url: str | None, data_dir: Path) -> ContentStore:
    """STORAGE_URL: empty for ``DATA_DIR/receipts``, ``file:///path``, or ``s3://bucket/prefix``.

    S3 credentials and endpoint come from the usual AWS_* variables (AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL for MinIO and other S3-compatible stores,
    AWS_ALLOW_HTTP=true for an ``http://`` endpoint); time limits and retries: ``CLIENT_OPTIONS``, ``RETRY``.
    """
    if not url:
        root = data_dir / "receipts"
        root.mkdir(parents=True, exist_ok=True)
        return ContentStore(LocalStore(root), f"local folder {root}")
    if url.startswith("file://"):
        root = Path(url.removeprefix("file://"))
        root.mkdir(parents=True, exist_ok=True)
        return ContentStore(LocalStore(root), f"local folder {root}")
    return ContentStore(from_url(url, client_options=client_options(), retry_config=RETRY), url.split("?")[0])


def client_options(environ: Mapping[str, str] = os.environ) -> ClientConfig:
    """``CLIENT_OPTIONS`` with whatever ``AWS_<NAME>`` variables say instead (obstore parses the strings)."""
    given = {key: value for key in CLIENT_KEYS if (value := environ.get(f"AWS_{key.upper()}")) is not None}
    return cast("ClientConfig", CLIENT_OPTIONS | given)
