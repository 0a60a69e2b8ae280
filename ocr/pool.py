"""Receipt interpretation off the event loop, in a pool of worker processes.

OCR is CPU-bound for about a second per receipt; in the web server's event loop it
would stall every other request, and threads would not help (the work holds the GIL
or runs in Tesseract). Each worker process keeps its own Tesseract instance and PP-OCR
sessions with the models loaded (warmed up when the worker starts), so a request pays
only for reading, and the API process never loads either.

Workers are started with "spawn": forking a multi-threaded server process is unsafe.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from types import TracebackType
from typing import Final

from ocr.errors import OcrUnavailable
from ocr.model import Receipt
from ocr.pipeline import interpret as interpret_sync

WORKERS_ENV: Final = "OCR_WORKERS"


def default_workers() -> int:
    """``OCR_WORKERS`` if set, else the cores this process may run on."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _warm_up() -> None:
    """Load both engines' models in the new worker, before the first receipt arrives."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ocr import neural
    from ocr.languages import FAST, FULL
    from ocr.tesseract import warm_up

    warm_up(FAST, FULL)
    neural.warm_up()


class ReceiptInterpreter:
    """A process pool that reads receipts: ``await interpreter.interpret(data)``.

    Create one per application (it starts ``workers`` processes) and ``close()`` it
    on shutdown, or use it as a (async) context manager.
    """

    def __init__(self, workers: int | None = None, *, start_method: str = "spawn", warm_up: bool = True) -> None:
        self.workers = workers if workers is not None and workers > 0 else default_workers()
        self._start_method = start_method
        self._warm_up = warm_up
        self._lock = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(self._start_method),
            initializer=_warm_up if self._warm_up else None,
        )

    @property
    def executor(self) -> ProcessPoolExecutor:
        """The current pool, for batch tools that submit their own (picklable) functions."""
        return self._executor

    def submit(self, data: bytes, *, today: date | None = None) -> Future[Receipt]:
        """Queue one receipt; the future raises the ``ocr.errors`` classes for bad files."""
        with self._lock:
            try:
                return self._executor.submit(interpret_sync, data, today=today)
            except BrokenProcessPool:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
                return self._executor.submit(interpret_sync, data, today=today)

    def interpret_sync(self, data: bytes, *, today: date | None = None, timeout: float | None = None) -> Receipt:
        """Blocking: for scripts and threads, never for ``async`` code."""
        try:
            return self.submit(data, today=today).result(timeout=timeout)
        except BrokenProcessPool as exc:
            self._restart()
            raise OcrUnavailable("An OCR worker stopped unexpectedly; try again.") from exc

    async def interpret(
        self, data: bytes, *, today: date | None = None, limit_seconds: float | None = 120.0
    ) -> Receipt:
        """Read one receipt in a worker process without blocking the event loop.

        ``limit_seconds`` bounds the wait (the worker itself stops Tesseract after 60 s).
        """
        loop = asyncio.get_running_loop()
        call = functools.partial(interpret_sync, data, today=today)
        try:
            return await asyncio.wait_for(loop.run_in_executor(self._executor, call), limit_seconds)
        except BrokenProcessPool as exc:
            self._restart()
            raise OcrUnavailable("An OCR worker stopped unexpectedly; try again.") from exc
        except TimeoutError as exc:
            raise OcrUnavailable("Reading the receipt took too long.") from exc

    def _restart(self) -> None:
        with self._lock:
            self._executor.shutdown(wait=False, cancel_futures=True)
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
