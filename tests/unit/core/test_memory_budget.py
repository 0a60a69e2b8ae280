"""Work sized in bytes waits for room under the process's budget instead of adding up."""

from __future__ import annotations

import asyncio

import pytest

from backend.core.memory import MemoryBudget

pytestmark = pytest.mark.clockless


async def test_two_reservations_that_do_not_fit_together_run_one_after_the_other() -> None:
    budget = MemoryBudget(100)
    order: list[str] = []
    first_in = asyncio.Event()
    release_first = asyncio.Event()

    async def first() -> None:
        async with budget.reserve(60):
            order.append("first in")
            first_in.set()
            await release_first.wait()
            order.append("first out")

    async def second() -> None:
        await first_in.wait()
        async with budget.reserve(60):
            order.append("second in")

    running = asyncio.gather(first(), second())
    await first_in.wait()
    for _ in range(5):
        await asyncio.sleep(0)
    assert order == ["first in"]
    assert budget.in_use == 60
    release_first.set()
    await running

    assert order == ["first in", "first out", "second in"]
    assert budget.in_use == 0


async def test_reservations_that_fit_run_together_and_one_larger_than_the_budget_runs_alone() -> None:
    budget = MemoryBudget(100)

    async with budget.reserve(40), budget.reserve(50):
        assert budget.in_use == 90
    async with budget.reserve(500):
        assert budget.in_use == 100
    assert budget.in_use == 0
