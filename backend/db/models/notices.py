"""Notifications: the in-app list (the source of truth), devices, the delivery outbox, choices, digests.

A notice is written in the same transaction as the change that causes it; each
way out (one push per device, one e-mail) is a ``Delivery`` row that the worker
claims with a lease, so nothing is lost when a process dies and nothing is sent
twice when several workers run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlmodel import Field, Index, UniqueConstraint

from backend.db.models.base import Record
from backend.db.types import DateTimeUTC, JsonB
from notifications.preferences import QUIET_END, QUIET_START, clock_text


class Notice(Record, table=True):
    """One entry in a person's notification list, in both languages, with a deep link."""

    __table_args__ = (
        UniqueConstraint("account_id", "dedupe_key"),
        Index("ix_notice_list", "account_id", "created_at"),
        Index("ix_notice_unread", "account_id", "read_at"),
        Index("ix_notice_created", "created_at"),  # pruning: the oldest notices, across accounts
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    account_id: UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    category: str = Field(max_length=30, description="attest_digest | attest_reminder | item_decided | ...")
    title_sv: str = Field(max_length=200)
    title_en: str = Field(max_length=200)
    body_sv: str = Field(default="", max_length=1000)
    body_en: str = Field(default="", max_length=1000)
    url: str = Field(default="/", max_length=300, description="Deep link inside the web app")
    ids: dict[str, str] = Field(default_factory=dict, sa_type=JsonB, description="item, subject, period...")
    dedupe_key: str = Field(max_length=120, description="One notice per recipient and occasion")
    read_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)


class PushDevice(Record, table=True):
    """A browser's push subscription: one row per device, found again by its endpoint."""

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    account_id: UUID = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    endpoint: str = Field(max_length=2048, unique=True)
    p256dh: str = Field(max_length=100)
    auth: str = Field(max_length=40)
    user_agent: str | None = Field(default=None, max_length=300)
    last_success_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)


class Delivery(Record, table=True):
    """The outbox: one message on one channel (to one device for push), delivered by the worker.

    ``state``: pending -> sent | failed | skipped | gone | superseded. ``locked_by`` names the
    sending job that took it (``notices.delivery``); ``next_attempt_at`` holds back retries and
    quiet hours.
    """

    __table_args__ = (
        Index("ix_delivery_due", "state", "next_attempt_at"),
        Index("ix_delivery_account", "account_id", "state"),
        Index("ix_delivery_finished", "state", "updated_at"),  # pruning: finished long enough ago
        Index("ix_delivery_locked_by", "locked_by"),  # a sending job reads back the rows it took
    )

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    account_id: UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    notice_id: UUID | None = Field(default=None, foreign_key="notice.id", ondelete="CASCADE", index=True)
    device_id: UUID | None = Field(default=None, foreign_key="pushdevice.id", ondelete="SET NULL", index=True)
    channel: str = Field(max_length=10, description="push | email")
    category: str = Field(max_length=30)
    payload: dict[str, Any] = Field(sa_type=JsonB, description="title, body, url, tag, ids (recipient's language)")
    topic: str | None = Field(default=None, max_length=32)
    urgency: str = Field(default="normal", max_length=10)
    ttl_seconds: int = Field(default=86400)
    state: str = Field(default="pending", max_length=12)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_type=DateTimeUTC)
    locked_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    last_status: int | None = None
    last_error: str | None = Field(default=None, max_length=500)


class NoticePreference(Record, table=True):
    """What one account chose: category x channel, quiet hours and what may come during them.

    Only what differs from the defaults is kept in ``choices`` (``"category:channel": bool``).
    ``quiet_start``/``quiet_end`` are ``HH:MM`` wall-clock times, kept while quiet hours are off.
    """

    account_id: UUID = Field(foreign_key="account.id", ondelete="CASCADE", unique=True)
    choices: dict[str, bool] = Field(default_factory=dict, sa_type=JsonB)
    quiet_hours: bool = Field(default=True)
    quiet_start: str = Field(default=clock_text(QUIET_START), max_length=5)
    quiet_end: str = Field(default=clock_text(QUIET_END), max_length=5)
    timezone: str = Field(default="Europe/Stockholm", max_length=40)
    during_quiet_hours: list[str] = Field(default_factory=list, sa_type=JsonB)


class DigestState(Record, table=True):
    """A manager's "new items to attest" digest: at most one push per interval.

    Each submission adds one to ``pending`` (an upsert, safe under concurrency). The
    worker sends a row whose ``pending`` is above zero once ``not_before`` has passed,
    then sets ``not_before`` one interval ahead (or to the end of quiet hours).
    """

    __table_args__ = (Index("ix_digeststate_due", "pending", "not_before"),)

    organisation_id: UUID = Field(foreign_key="organisation.id", ondelete="CASCADE")
    account_id: UUID = Field(foreign_key="account.id", ondelete="CASCADE", unique=True)
    pending: int = Field(default=0, description="Submissions since the last digest")
    not_before: datetime | None = Field(default=None, sa_type=DateTimeUTC)
    last_sent_at: datetime | None = Field(default=None, sa_type=DateTimeUTC)
