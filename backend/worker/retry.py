"""A task's retries in procrastinate, made from the one retry policy (``notifications.retry``).

procrastinate's own ``RetryStrategy`` waits ``exponential_wait ** (attempts + 1)``, a formula of its
own; this strategy asks the policy instead, so a job, a delivery and the web app's outbox back off
the same way. No jitter: a job is one piece of work, not a fan-out to spread.
"""

from __future__ import annotations

from collections.abc import Iterable

from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.jobs import Job

from notifications.retry import RetryPolicy, retry_delay


class _PolicyRetry(BaseRetryStrategy):
    def __init__(self, policy: RetryPolicy, retry_exceptions: Iterable[type[Exception]] = ()) -> None:
        self.policy = policy
        self.retry_exceptions = tuple(retry_exceptions)

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        """``job.attempts`` counts the attempts before this one, so this failed attempt is number ``attempts + 1``."""
        if self.retry_exceptions and not isinstance(exception, self.retry_exceptions):
            return None
        pause = retry_delay(self.policy, job.attempts + 1, u=1.0)
        if pause is None:
            return None
        return RetryDecision(retry_in={"milliseconds": round(pause * 1000)})


def job_retry(policy: RetryPolicy, *, only: Iterable[type[Exception]] = ()) -> BaseRetryStrategy:
    """The ``retry=`` of a task: retried on any exception, or ``only`` on these."""
    return _PolicyRetry(policy, only)
