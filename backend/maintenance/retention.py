"""The retention policy on plain values: what is old enough to delete, and what never is.

``pruning`` turns the same rules into batched DELETEs; its tests check that the database keeps exactly
what these functions keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.config import RetentionSettings
from backend.core.idempotency import keys_expired_before

FINISHED_DELIVERY_STATES = ("sent", "failed", "skipped", "gone", "superseded")
"""Outbox states no worker acts on again. Listed, not "everything but pending": a state added later is kept
until someone decides it is finished."""


@dataclass(frozen=True)
class Cutoffs:
    """Rows older than these moments may go (each compared with ``<``)."""

    deliveries: datetime
    """A finished delivery whose last change (``updated_at``: when it finished) is before this."""
    read_notices: datetime
    """A read notice created before this."""
    unread_notices: datetime
    """An unread notice created before this."""
    idempotency_keys: datetime
    """An Idempotency-Key created before this (no longer replayed anyway)."""

    @property
    def any_notice(self) -> datetime:
        """No notice created on or after this goes, read or not (the bound an index can use)."""
        return max(self.read_notices, self.unread_notices)


def cutoffs(now: datetime, retention: RetentionSettings, idempotency_keep_hours: int) -> Cutoffs:
    for name in ("delivery_days", "read_notice_days", "unread_notice_days"):
        if getattr(retention, name) < 1:
            msg = f"retention {name} must be at least 1 day"
            raise ValueError(msg)
    return Cutoffs(
        deliveries=now - timedelta(days=retention.delivery_days),
        read_notices=now - timedelta(days=retention.read_notice_days),
        unread_notices=now - timedelta(days=retention.unread_notice_days),
        idempotency_keys=keys_expired_before(now, idempotency_keep_hours),
    )


def delivery_goes(state: str, finished_at: datetime, limits: Cutoffs) -> bool:
    """A pending delivery (waiting, retrying, held for quiet hours, claimed) is never deleted."""
    return state in FINISHED_DELIVERY_STATES and finished_at < limits.deliveries


def notice_goes(created_at: datetime, read_at: datetime | None, has_pending_delivery: bool, limits: Cutoffs) -> bool:
    """Old enough for its kind, and nothing still to send for it (its deliveries would go with it)."""
    if has_pending_delivery:
        return False
    return created_at < (limits.read_notices if read_at is not None else limits.unread_notices)


def idempotency_key_goes(created_at: datetime, limits: Cutoffs) -> bool:
    return created_at < limits.idempotency_keys


def batch_size(retention: RetentionSettings) -> int:
    if retention.batch_size < 1:
        msg = "PRUNE_BATCH_SIZE must be at least 1"
        raise ValueError(msg)
    return retention.batch_size
