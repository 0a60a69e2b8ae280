"""When to try a delivery again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from notifications.retry import (
    RetryPolicy,
    attempts_left,
    backoff_seconds,
    next_attempt_at,
    parse_retry_after,
    pause_seconds,
    retry_delay,
)

POLICY = RetryPolicy(max_attempts=5, base_seconds=10, cap_seconds=60)
NOW = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)


def test_backoff_doubles_per_attempt_up_to_the_cap() -> None:
    assert [backoff_seconds(POLICY, attempt, 1.0) for attempt in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]


def test_full_jitter_draws_anywhere_from_zero_to_the_ceiling() -> None:
    assert backoff_seconds(POLICY, 3, 0.0) == 0
    assert backoff_seconds(POLICY, 3, 0.25) == 10


def test_no_attempt_is_left_after_the_last() -> None:
    assert retry_delay(POLICY, 4, u=1.0) == 60
    assert retry_delay(POLICY, 5, u=1.0) is None
    assert next_attempt_at(POLICY, 5, NOW, u=0.5) is None


def test_the_pause_grows_by_the_policys_factor() -> None:
    tenfold = RetryPolicy(max_attempts=3, base_seconds=10, factor=10)

    assert [pause_seconds(tenfold, attempt) for attempt in (1, 2, 3)] == [10, 100, 900]
    assert backoff_seconds(tenfold, 2, 0.5) == 50


def test_a_policy_without_a_last_attempt_always_tries_again() -> None:
    forever = RetryPolicy(max_attempts=None, base_seconds=5, cap_seconds=300)

    assert attempts_left(forever, 10_000)
    assert retry_delay(forever, 10_000, u=1.0) == 300


def test_attempts_are_left_until_the_last_one_was_made() -> None:
    assert attempts_left(POLICY, 4)
    assert not attempts_left(POLICY, 5)


def test_a_factor_below_one_or_absurdly_large_is_refused() -> None:
    with pytest.raises(ValueError, match="factor"):
        RetryPolicy(factor=0.5)
    with pytest.raises(ValueError, match="factor"):
        RetryPolicy(factor=1000)


def test_the_next_attempt_time_is_in_utc() -> None:
    stockholm_summer = timezone(timedelta(hours=2))

    at = next_attempt_at(POLICY, 1, NOW.astimezone(stockholm_summer), u=0.5)

    assert at == NOW + timedelta(seconds=5)
    assert at is not None
    assert at.tzinfo == UTC


def test_retry_after_from_the_service_wins_over_backoff_within_reason() -> None:
    assert next_attempt_at(POLICY, 1, NOW, u=0.5, retry_after=120) == NOW + timedelta(seconds=120)
    assert retry_delay(POLICY, 1, u=0.5, retry_after=10 * 24 * 3600) == POLICY.max_retry_after_seconds


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    assert parse_retry_after("30", NOW) == 30
    assert parse_retry_after("Wed, 20 May 2026 08:02:00 GMT", NOW) == 120
    assert parse_retry_after("Wed, 20 May 2026 07:00:00 GMT", NOW) == 0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_attempts_are_counted_from_one() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        backoff_seconds(POLICY, 0, 0.5)
