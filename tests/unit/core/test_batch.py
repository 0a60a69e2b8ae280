"""The collector pause for large payroll batches: on for large ones only, always resumed."""

from __future__ import annotations

import gc

import pytest

from backend.core.batch import LARGE_BATCH, collector_paused


def test_a_large_batch_pauses_the_collector_and_resumes_it_after() -> None:
    with collector_paused(LARGE_BATCH):
        inside = gc.isenabled()

    assert inside is False
    assert gc.isenabled()


def test_a_small_batch_leaves_the_collector_alone() -> None:
    with collector_paused(LARGE_BATCH - 1):
        assert gc.isenabled()


def test_the_collector_resumes_after_an_error_in_the_batch() -> None:
    with pytest.raises(RuntimeError), collector_paused(10_000):
        raise RuntimeError("the batch failed")

    assert gc.isenabled()
