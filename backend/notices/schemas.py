"""Notifications, devices and choices as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from backend.core.schemas import Input, Output
from notifications.preferences import QUIET_END, QUIET_START, clock_text

Endpoint = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
KeyText = Annotated[str, msgspec.Meta(max_length=200)]
ClockText = Annotated[str, msgspec.Meta(max_length=5, description="HH:MM, Europe/Stockholm")]


class PushKey(Output):
    application_server_key: str
    """The VAPID public key (uncompressed P-256 point, base64url): ``applicationServerKey`` for ``subscribe()``."""


class SubscriptionKeys(Input):
    p256dh: KeyText
    auth: KeyText


class SubscriptionIn(Input):
    """What the browser's ``PushSubscription.toJSON()`` gives, as it gives it."""

    endpoint: Endpoint
    keys: SubscriptionKeys
    expiration_time: Annotated[int, msgspec.Meta(ge=0, le=2**53)] | None = msgspec.field(
        default=None, name="expirationTime"
    )
    user_agent: Annotated[str, msgspec.Meta(max_length=300)] | None = None


class SubscriptionView(Output):
    id: UUID
    endpoint: str
    created_at: datetime


class UnsubscribeIn(Input):
    endpoint: Endpoint


class NoticeView(Output):
    id: UUID
    category: str
    title: str
    body: str
    url: str
    """Deep link inside the web app."""
    ids: dict[str, str]
    created_at: datetime
    read_at: datetime | None


class NoticeList(Output):
    items: list[NoticeView]
    unread: int


class UnreadCount(Output):
    unread: int


class CategoryChoiceIn(Input):
    category: Annotated[str, msgspec.Meta(max_length=40)]
    push: bool = True
    email: bool = False
    during_quiet_hours: bool = False


class CategoryChoice(Output):
    category: str
    push: bool
    email: bool
    in_app: bool
    """Always on: the list in the app is where every notification is kept."""
    during_quiet_hours: bool


class QuietHoursIn(Input):
    enabled: bool = True
    start: ClockText = clock_text(QUIET_START)
    end: ClockText = clock_text(QUIET_END)


class QuietHoursView(Output):
    enabled: bool
    start: str
    end: str
    timezone: str


class PreferencesIn(Input):
    categories: Annotated[list[CategoryChoiceIn], msgspec.Meta(max_length=20)] = []
    quiet_hours: QuietHoursIn = msgspec.field(default_factory=QuietHoursIn)


class PreferencesView(Output):
    categories: list[CategoryChoice]
    quiet_hours: QuietHoursView
    email_available: bool
    """False when the server has no SMTP server configured."""
    devices: int
    """Devices of yours that receive push notifications."""


class TestSent(Output):
    notice_id: UUID
    devices: int
