"""A per-process bound on memory held by work that can be sized before it starts (decoding uploads).

Ten uploads of a 173 kB, 7700x7700 PNG once took the API from 705 MB to 3.38 GB: each
decode is bounded (``ocr.images.read_header``), and this bounds how many run at once by
their estimated bytes, so concurrent uploads queue instead of adding up.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class MemoryBudget:
    """``async with budget.reserve(n):`` waits until ``n`` more bytes fit under ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_use = 0
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def reserve(self, amount: int) -> AsyncIterator[None]:
        """Hold ``amount`` bytes (at most the whole budget, so a large reservation still runs, alone)."""
        amount = max(0, min(amount, self.limit))
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_use + amount <= self.limit)
            self.in_use += amount
        try:
            yield
        finally:
            self.in_use -= amount
            async with self._changed:
                self._changed.notify_all()


_budgets: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, MemoryBudget] = weakref.WeakKeyDictionary()


def process_budget(limit: int) -> MemoryBudget:
    """The budget shared by everything on this process's event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    budget = _budgets.get(loop)
    if budget is None or budget.limit != limit:
        budget = _budgets[loop] = MemoryBudget(limit)
    return budget
