"""Delivery of notifications: Web Push, e-mail, quiet hours and preferences.

No database or web-framework imports: the backend's outbox worker calls in
with plain values and gets plain outcomes back.
"""

from notifications.email_sender import EmailContent, EmailSender, SmtpConfig, render_email
from notifications.outcomes import Delivered, Failed, Gone, Outcome, RetryLater, TooLarge
from notifications.payload import MAX_PAYLOAD_BYTES, PushPayload
from notifications.preferences import (
    Category,
    Channel,
    Decision,
    DeferUntil,
    Preferences,
    QuietHours,
    SendNow,
    Skip,
    decide,
)
from notifications.retry import RetryPolicy, next_attempt_at
from notifications.vapid import VapidKeys
from notifications.webpush_sender import PushOptions, PushSubscription, Urgency, WebPushSender, topic_for

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "Category",
    "Channel",
    "Decision",
    "DeferUntil",
    "Delivered",
    "EmailContent",
    "EmailSender",
    "Failed",
    "Gone",
    "Outcome",
    "Preferences",
    "PushOptions",
    "PushPayload",
    "PushSubscription",
    "QuietHours",
    "RetryLater",
    "RetryPolicy",
    "SendNow",
    "Skip",
    "SmtpConfig",
    "TooLarge",
    "Urgency",
    "VapidKeys",
    "WebPushSender",
    "decide",
    "next_attempt_at",
    "render_email",
    "topic_for",
]
