"""Which channel a notification goes to, and when: preferences and quiet hours (Europe/Stockholm)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from notifications.preferences import (
    Category,
    Channel,
    DeferUntil,
    Preferences,
    QuietHours,
    SendNow,
    Skip,
    decide,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def stockholm(year: int, month: int, day: int, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    """A Stockholm wall-clock time as the UTC instant the backend would hold."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM, fold=fold).astimezone(UTC)


def test_by_default_push_and_in_app_go_out_and_email_is_off() -> None:
    decisions = decide(Preferences(), Category.ITEM_DECIDED, stockholm(2026, 5, 20, 10))

    assert decisions == {
        Channel.PUSH: SendNow(),
        Channel.EMAIL: Skip("email turned off for item_decided"),
        Channel.IN_APP: SendNow(),
    }


@pytest.mark.parametrize("category", list(Category))
def test_every_category_is_pushed_by_default(category: Category) -> None:
    assert decide(Preferences(), category, stockholm(2026, 5, 20, 10))[Channel.PUSH] == SendNow()


def test_a_user_can_turn_email_on_and_push_off_per_category() -> None:
    prefs = Preferences(
        choices={
            (Category.PAYSLIP_READY, Channel.EMAIL): True,
            (Category.PAYSLIP_READY, Channel.PUSH): False,
        }
    )

    decisions = decide(prefs, Category.PAYSLIP_READY, stockholm(2026, 5, 25, 9))

    assert decisions[Channel.EMAIL] == SendNow()
    assert isinstance(decisions[Channel.PUSH], Skip)
    assert decide(prefs, Category.ATTEST_REMINDER, stockholm(2026, 5, 25, 9))[Channel.PUSH] == SendNow()


def test_in_app_cannot_be_turned_off() -> None:
    prefs = Preferences(choices={(Category.ATTEST_NUDGE, Channel.IN_APP): False})

    assert decide(prefs, Category.ATTEST_NUDGE, stockholm(2026, 5, 20, 10))[Channel.IN_APP] == SendNow()


def test_push_in_the_evening_waits_until_seven_next_morning() -> None:
    decisions = decide(Preferences(), Category.ATTEST_REMINDER, stockholm(2026, 5, 20, 21, 30))

    assert decisions[Channel.PUSH] == DeferUntil(stockholm(2026, 5, 21, 7))
    assert decisions[Channel.IN_APP] == SendNow()


def test_push_after_midnight_waits_until_seven_the_same_morning() -> None:
    decisions = decide(Preferences(), Category.ATTEST_REMINDER, stockholm(2026, 5, 21, 0, 15))

    assert decisions[Channel.PUSH] == DeferUntil(stockholm(2026, 5, 21, 7))


def test_quiet_hours_start_at_twenty_and_end_at_seven_sharp() -> None:
    assert decide(Preferences(), Category.ITEM_DECIDED, stockholm(2026, 5, 20, 19, 59))[Channel.PUSH] == SendNow()
    assert isinstance(
        decide(Preferences(), Category.ITEM_DECIDED, stockholm(2026, 5, 20, 20))[Channel.PUSH], DeferUntil
    )
    assert isinstance(
        decide(Preferences(), Category.ITEM_DECIDED, stockholm(2026, 5, 21, 6, 59))[Channel.PUSH], DeferUntil
    )
    assert decide(Preferences(), Category.ITEM_DECIDED, stockholm(2026, 5, 21, 7))[Channel.PUSH] == SendNow()


def test_email_is_not_held_back_by_quiet_hours() -> None:
    prefs = Preferences(choices={(Category.ITEM_DECIDED, Channel.EMAIL): True})

    assert decide(prefs, Category.ITEM_DECIDED, stockholm(2026, 5, 20, 23))[Channel.EMAIL] == SendNow()


def test_a_category_opted_into_quiet_hours_is_pushed_at_once() -> None:
    prefs = Preferences(during_quiet_hours=frozenset({Category.ATTEST_NUDGE}))

    assert decide(prefs, Category.ATTEST_NUDGE, stockholm(2026, 5, 20, 23))[Channel.PUSH] == SendNow()
    assert isinstance(decide(prefs, Category.ATTEST_DIGEST, stockholm(2026, 5, 20, 23))[Channel.PUSH], DeferUntil)


def test_a_user_without_quiet_hours_is_pushed_at_night() -> None:
    prefs = Preferences(quiet_hours=None)

    assert decide(prefs, Category.ITEM_DECIDED, stockholm(2026, 5, 20, 23))[Channel.PUSH] == SendNow()


def test_the_night_the_clocks_go_forward_is_an_hour_shorter() -> None:
    # 2026-03-29 02:00 CET -> 03:00 CEST
    decision = decide(Preferences(), Category.ATTEST_REMINDER, stockholm(2026, 3, 28, 22))[Channel.PUSH]

    assert decision == DeferUntil(datetime(2026, 3, 29, 5, 0, tzinfo=UTC))  # 07:00 CEST
    assert stockholm(2026, 3, 28, 22) == datetime(2026, 3, 28, 21, 0, tzinfo=UTC)  # 22:00 CET


def test_the_night_the_clocks_go_back_is_an_hour_longer() -> None:
    # 2026-10-25 03:00 CEST -> 02:00 CET
    decision = decide(Preferences(), Category.ATTEST_REMINDER, stockholm(2026, 10, 24, 21))[Channel.PUSH]

    assert decision == DeferUntil(datetime(2026, 10, 25, 6, 0, tzinfo=UTC))  # 07:00 CET
    assert stockholm(2026, 10, 24, 21) == datetime(2026, 10, 24, 19, 0, tzinfo=UTC)  # 21:00 CEST


def test_quiet_hours_ending_in_the_skipped_hour_end_when_the_clocks_jump() -> None:
    prefs = Preferences(quiet_hours=QuietHours(start=time(22), end=time(2, 30)))

    decision = decide(prefs, Category.ATTEST_REMINDER, stockholm(2026, 3, 29, 1, 30))[Channel.PUSH]

    assert decision == DeferUntil(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))  # 02:00 CET is 03:00 CEST


def test_quiet_hours_ending_in_the_repeated_hour_end_at_its_next_occurrence() -> None:
    prefs = Preferences(quiet_hours=QuietHours(start=time(22), end=time(2, 30)))

    first_pass = decide(prefs, Category.ATTEST_REMINDER, stockholm(2026, 10, 25, 1, 0))[Channel.PUSH]
    second_pass = decide(prefs, Category.ATTEST_REMINDER, stockholm(2026, 10, 25, 2, 10, fold=1))[Channel.PUSH]

    assert first_pass == DeferUntil(stockholm(2026, 10, 25, 2, 30, fold=0))
    assert second_pass == DeferUntil(stockholm(2026, 10, 25, 2, 30, fold=1))


def test_quiet_hours_within_one_day_are_supported() -> None:
    lunch = Preferences(quiet_hours=QuietHours(start=time(12), end=time(13)))

    assert lunch.quiet_hours is not None
    assert decide(lunch, Category.PAYSLIP_READY, stockholm(2026, 5, 20, 12, 30))[Channel.PUSH] == DeferUntil(
        stockholm(2026, 5, 20, 13)
    )
    assert decide(lunch, Category.PAYSLIP_READY, stockholm(2026, 5, 20, 21))[Channel.PUSH] == SendNow()


def test_equal_start_and_end_mean_no_quiet_hours() -> None:
    prefs = Preferences(quiet_hours=QuietHours(start=time(7), end=time(7)))

    assert decide(prefs, Category.ITEM_DECIDED, stockholm(2026, 5, 20, 23))[Channel.PUSH] == SendNow()


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        decide(Preferences(), Category.ITEM_DECIDED, datetime(2026, 5, 20, 23))
