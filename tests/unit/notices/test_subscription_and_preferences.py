"""Plain-value rules of the notifications area: what a subscription must look like, stored choices."""

from __future__ import annotations

from datetime import UTC, datetime, time
from uuid import uuid4

from backend.db.models import NoticePreference
from backend.notices.prefs import to_preferences
from backend.notices.schemas import SubscriptionIn, SubscriptionKeys
from backend.notices.services import subscription_problems
from notifications import Category, Channel, DeferUntil, SendNow, decide

P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def _subscription(endpoint: str, p256dh: str = P256DH, auth: str = AUTH) -> SubscriptionIn:
    return SubscriptionIn(endpoint=endpoint, keys=SubscriptionKeys(p256dh=p256dh, auth=auth))


def test_outside_tests_only_https_endpoints_are_accepted() -> None:
    plain = _subscription("http://push.example.net/x")

    assert [e.code for e in subscription_problems(plain, allow_http=False)] == ["not_https"]
    assert subscription_problems(plain, allow_http=True) == []
    assert subscription_problems(_subscription("https://fcm.googleapis.com/fcm/send/abc"), allow_http=False) == []


def test_keys_of_the_wrong_length_or_off_the_curve_are_refused() -> None:
    off_curve = "BA" + "A" * 85  # 65 bytes starting with 0x04, not a point on P-256
    problems = subscription_problems(
        _subscription("https://push.example.net/x", p256dh=off_curve, auth="c2hvcnQ"), allow_http=False
    )

    assert [(e.field, e.code) for e in problems] == [("keys.p256dh", "invalid_key"), ("keys.auth", "invalid_key")]


def test_stored_choices_become_preferences_with_quiet_hours_and_exceptions() -> None:
    row = NoticePreference(
        account_id=uuid4(),
        choices={"item_decided:email": True, "attest_nudge:push": False, "nonsense:push": True},
        quiet_start="21:30",
        quiet_end="06:45",
        during_quiet_hours=["attest_reminder"],
    )

    prefs = to_preferences(row)
    evening = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)  # 22:00 in Stockholm

    assert prefs.enabled(Category.ITEM_DECIDED, Channel.EMAIL)
    assert not prefs.enabled(Category.ATTEST_NUDGE, Channel.PUSH)
    assert prefs.quiet_hours is not None
    assert (prefs.quiet_hours.start, prefs.quiet_hours.end) == (time(21, 30), time(6, 45))
    assert isinstance(decide(prefs, Category.ITEM_DECIDED, evening)[Channel.PUSH], DeferUntil)
    assert isinstance(decide(prefs, Category.ATTEST_REMINDER, evening)[Channel.PUSH], SendNow)


def test_quiet_hours_turned_off_send_at_once() -> None:
    row = NoticePreference(account_id=uuid4(), quiet_hours=False)

    assert to_preferences(row).quiet_hours is None
    assert to_preferences(None).quiet_hours is not None
