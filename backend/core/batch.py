"""Large in-memory batches without the cyclic garbage collector scanning them over and over."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

LARGE_BATCH = 200
"""Below this many items a pause is not worth it."""


@contextmanager
def collector_paused(items: int) -> Iterator[None]:
    """Pause automatic cyclic collection while a batch of ``items`` builds many objects that all stay alive.

    The organisation's payroll keeps every employee's facts and payslip until the end; each automatic
    collection rescans all of them, which cost more than half of the overview's CPU at 2,000
    employees (bench/payroll_load.py --year). Reference counting still frees everything that is not
    a cycle; the collector resumes (and catches up) when the block ends, even on an error.
    """
    if items < LARGE_BATCH or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
