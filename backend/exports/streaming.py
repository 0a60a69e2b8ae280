"""Streaming a file writer that reads its rows from the database page by page.

The writers (``render_paxml``, ``render_sie``) are plain generators over a plain iterable; the
rows come from an async session. The writer runs inside SQLAlchemy's greenlet bridge
(``greenlet_spawn``), so when it wants the next row and the page is used up, the iterable awaits
the next page (``await_only``) without a thread, and bytes leave in pieces of ``PIECE`` bytes.
Never more than one page of rows and one piece of output is in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from sqlalchemy.util import await_only, greenlet_spawn

T = TypeVar("T")
K = TypeVar("K")
PIECE = 256 * 1024

Pages = Callable[[K | None], Awaitable[tuple[Sequence[T], K | None]]]
"""Given the last key read (None: from the start), the next page and its last key (None: no more)."""


def _rows(pages: Pages[K, T]) -> Iterator[T]:
    key: K | None = None
    while True:
        page, key = await_only(pages(key))
        yield from page
        if key is None:
            return


def _piece(output: Iterator[bytes]) -> bytes | None:
    parts: list[bytes] = []
    size = 0
    for part in output:
        parts.append(part)
        size += len(part)
        if size >= PIECE:
            break
    return b"".join(parts) if parts else None


async def stream(render: Callable[[Iterable[T]], Iterator[bytes]], pages: Pages[K, T]) -> AsyncIterator[bytes]:
    """The bytes ``render`` writes for the rows ``pages`` reads, in pieces."""
    output = render(_rows(pages))
    while (piece := await greenlet_spawn(_piece, output)) is not None:
        yield piece
