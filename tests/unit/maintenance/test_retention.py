"""The retention policy on plain values: what pruning may delete and what it must keep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.config import RetentionSettings
from backend.maintenance.retention import (
    FINISHED_DELIVERY_STATES,
    batch_size,
    cutoffs,
    delivery_goes,
    idempotency_key_goes,
    notice_goes,
)

pytestmark = pytest.mark.clockless

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POLICY = RetentionSettings(delivery_days=30, read_notice_days=180, unread_notice_days=365)
LIMITS = cutoffs(NOW, POLICY, idempotency_keep_hours=24)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.mark.parametrize("state", FINISHED_DELIVERY_STATES)
def test_a_finished_delivery_goes_after_its_retention(state: str) -> None:
    assert delivery_goes(state, days_ago(31), LIMITS)
    assert not delivery_goes(state, days_ago(29), LIMITS)


def test_a_delivery_finished_exactly_at_the_cutoff_stays() -> None:
    assert not delivery_goes("sent", days_ago(30), LIMITS)


def test_a_pending_delivery_never_goes_however_old() -> None:
    assert not delivery_goes("pending", days_ago(3000), LIMITS)


def test_a_state_nobody_declared_finished_stays() -> None:
    assert not delivery_goes("parked", days_ago(3000), LIMITS)


def test_a_read_notice_goes_after_half_a_year_an_unread_one_after_a_year() -> None:
    assert notice_goes(days_ago(181), read_at=days_ago(170), has_pending_delivery=False, limits=LIMITS)
    assert not notice_goes(days_ago(179), read_at=days_ago(170), has_pending_delivery=False, limits=LIMITS)
    assert not notice_goes(days_ago(181), read_at=None, has_pending_delivery=False, limits=LIMITS)
    assert notice_goes(days_ago(366), read_at=None, has_pending_delivery=False, limits=LIMITS)


def test_a_notice_with_a_pending_delivery_stays() -> None:
    assert not notice_goes(days_ago(1000), read_at=days_ago(999), has_pending_delivery=True, limits=LIMITS)


def test_the_bound_for_any_notice_is_the_shorter_retention() -> None:
    assert LIMITS.any_notice == days_ago(180)
    swapped = cutoffs(NOW, RetentionSettings(read_notice_days=400, unread_notice_days=200), 24)
    assert swapped.any_notice == days_ago(200)


def test_idempotency_keys_go_once_they_are_no_longer_replayed() -> None:
    assert idempotency_key_goes(NOW - timedelta(hours=25), LIMITS)
    assert not idempotency_key_goes(NOW - timedelta(hours=23), LIMITS)


def test_idempotency_keys_follow_their_own_setting() -> None:
    week = cutoffs(NOW, POLICY, idempotency_keep_hours=24 * 7)
    assert not idempotency_key_goes(days_ago(6), week)
    assert idempotency_key_goes(days_ago(8), week)


@pytest.mark.parametrize("name", ["delivery_days", "read_notice_days", "unread_notice_days"])
def test_a_retention_under_a_day_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        cutoffs(NOW, RetentionSettings(**{name: 0}), 24)


def test_a_batch_must_hold_at_least_one_row() -> None:
    assert batch_size(RetentionSettings(batch_size=2)) == 2
    with pytest.raises(ValueError, match="PRUNE_BATCH_SIZE"):
        batch_size(RetentionSettings(batch_size=0))
