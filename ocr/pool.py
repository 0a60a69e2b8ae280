"""Receipt interpretation off the event loop, in a pool of worker processes.

OCR is CPU-bound for about a second per receipt; in the web server's event loop it
would stall every other request, and threads would not help (the work holds the GIL
or runs in Tesseract). Each worker process keeps its own Tesseract instance and PP-OCR
sessions with the models loaded (warmed up when the worker starts), so a request pays
only for reading, and the API process never loads either.

Workers are started with "spawn": forking a multi-threaded server process is unsafe.
Each worker has a memory limit (its data segment, ``RLIMIT_DATA``): a receipt that needs
more fails in that worker (``ImageTooLarge``) or ends it, never the server. A worker that
dies (killed, or out of memory in native code) breaks the pool; the pool is replaced and
the receipts it was reading raise ``OcrUnavailable``, so the caller can retry them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from types import TracebackType
from typing import Final

from ocr.errors import ImageTooLarge, OcrUnavailable
from ocr.malloc import return_freed_memory_to_os
from ocr.model import Receipt
from ocr.pipeline import interpret as interpret_sync

WORKERS_ENV: Final = "OCR_WORKERS"
MEMORY_LIMIT: Final = 1024 * 1024 * 1024
"""Default data-segment limit per worker: reading a receipt peaks near 470 MB of data (models included)."""


def default_workers() -> int:
    """``OCR_WORKERS`` if set, else the cores this process may run on."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start_worker(memory_limit: int | None, warm_up: bool) -> None:
    """Limit the new worker's memory, then (optionally) load both engines' models before the first receipt."""
    return_freed_memory_to_os()  # a large receipt's memory is not kept after it
    if memory_limit:
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    if warm_up:
        _warm_up()


def _warm_up() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ocr import neural
    from ocr.languages import FAST, FULL
    from ocr.tesseract import warm_up

    warm_up(FAST, FULL)
    neural.warm_up()


def read_in_worker(data: bytes, today: date | None = None) -> Receipt:
    """``interpret`` as a worker runs it: running out of the worker's memory is the image's fault."""
    try:
        return interpret_sync(data, today=today)
    except MemoryError as exc:
        raise ImageTooLarge("Reading the receipt needed more memory than a reader may use.") from exc


class ReceiptInterpreter:
    """A process pool that reads receipts: ``await interpreter.interpret(data)``.

    Create one per application (it starts ``workers`` processes) and ``close()`` it
    on shutdown, or use it as a (async) context manager.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        start_method: str = "spawn",
        warm_up: bool = True,
        memory_limit: int | None = MEMORY_LIMIT,
    ) -> None:
        self.workers = workers if workers is not None and workers > 0 else default_workers()
        self.memory_limit = memory_limit
        self._start_method = start_method
        self._warm_up = warm_up
        self._lock = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(self._start_method),
            initializer=_start_worker,
            initargs=(self.memory_limit, self._warm_up),
        )

    @property
    def executor(self) -> ProcessPoolExecutor:
        """The current pool, for batch tools that submit their own (picklable) functions."""
        return self._executor

    def _submit(self, data: bytes, today: date | None) -> tuple[ProcessPoolExecutor, Future[Receipt]]:
        with self._lock:
            try:
                return self._executor, self._executor.submit(read_in_worker, data, today)
            except BrokenProcessPool:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
                return self._executor, self._executor.submit(read_in_worker, data, today)

    def submit(self, data: bytes, *, today: date | None = None) -> Future[Receipt]:
        """Queue one receipt; the future raises the ``ocr.errors`` classes for bad files."""
        return self._submit(data, today)[1]

    def interpret_sync(self, data: bytes, *, today: date | None = None, timeout: float | None = None) -> Receipt:
        """Blocking: for scripts and threads, never for ``async`` code."""
        executor, future = self._submit(data, today)
        try:
            return future.result(timeout=timeout)
        except BrokenProcessPool as exc:
            self._replace(executor)
            raise OcrUnavailable("An OCR worker stopped unexpectedly; try again.") from exc

    async def interpret(
        self, data: bytes, *, today: date | None = None, limit_seconds: float | None = 120.0
    ) -> Receipt:
        """Read one receipt in a worker process without blocking the event loop.

        ``limit_seconds`` bounds the wait (the worker itself stops Tesseract after 60 s).
        """
        executor, future = self._submit(data, today)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), limit_seconds)
        except BrokenProcessPool as exc:
            self._replace(executor)
            raise OcrUnavailable("An OCR worker stopped unexpectedly; try again.") from exc
        except TimeoutError as exc:
            raise OcrUnavailable("Reading the receipt took too long.") from exc

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool for a broken one, once: the other receipts that were in the broken pool must not
        replace the new pool again (and cancel what it already took)."""
        with self._lock:
            if self._executor is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()

    def close(self, *, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=True)

    def __enter__(self) -> ReceiptInterpreter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> ReceiptInterpreter:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.close)
