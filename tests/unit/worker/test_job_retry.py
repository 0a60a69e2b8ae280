"""A task's retries follow its retry policy: how many tries, and how long the job system waits between them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from procrastinate import utils
from procrastinate.jobs import Job

from backend.expenses import interpretation
from backend.exports import closing
from backend.payslips import finalising
from backend.worker.retry import job_retry
from backend.worker.tasks import PRUNE_RETRY, ROUND_RETRY
from notifications.retry import RetryPolicy

pytestmark = pytest.mark.clockless

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """procrastinate turns a pause into a time from its own clock."""
    monkeypatch.setattr(utils, "utcnow", lambda: NOW)


def job(attempts_before: int) -> Job:
    return Job(id=1, queue="q", lock=None, queueing_lock=None, task_name="t", attempts=attempts_before)


def pauses(policy: RetryPolicy, error: Exception | None = None) -> list[float | None]:
    """Seconds until the next try after each failed try (``None``: given up), as the job system is told."""
    strategy = job_retry(policy, only={KeyError})
    found: list[float | None] = []
    for before in range(5):
        decision = strategy.get_retry_decision(exception=error or KeyError(), job=job(before))
        if decision is None or decision.retry_at is None:
            found.append(None)
            break
        found.append((decision.retry_at - NOW).total_seconds())
    return found


def test_a_job_waits_the_whole_pause_growing_by_the_factor_up_to_the_cap() -> None:
    policy = RetryPolicy(max_attempts=5, base_seconds=3, factor=4, cap_seconds=100)

    assert pauses(policy) == [3, 12, 48, 100, None]


def test_only_the_named_exceptions_are_tried_again() -> None:
    assert pauses(RetryPolicy(max_attempts=3), error=ValueError()) == [None]


def test_a_receipt_is_read_three_times_waiting_6_then_36_seconds() -> None:
    assert pauses(interpretation.RETRY) == [6, 36, None]


def test_a_close_and_a_pay_run_are_tried_three_times_waiting_10_then_100_seconds() -> None:
    assert pauses(closing.RETRY) == [10, 100, None]
    assert pauses(finalising.RETRY) == [10, 100, None]


def test_routine_rounds_are_tried_again_at_once() -> None:
    assert pauses(ROUND_RETRY) == [0, 0, 0, None]
    assert pauses(PRUNE_RETRY) == [0, 0, None]
