"""The week's expected hours: weekly hours x employment rate over the working days of the Swedish calendar."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from backend.domain.time.schedule import DaySchedule, Terms, day_schedule, expected_hours, week_schedule
from backend.domain.time.weeks import days_of, monday_of, parse_week, week_label

FULL_TIME = Terms(Decimal(40), Decimal(100))


def schedule_of(week: str, terms: Terms | None = FULL_TIME) -> tuple[DaySchedule, ...]:
    days = days_of(parse_week(week))
    return week_schedule(days, [terms] * 7)


def test_an_ordinary_week_is_five_days_of_eight_hours() -> None:
    week = schedule_of("2026-W47")
    assert [d.hours for d in week] == [8, 8, 8, 8, 8, 0, 0]
    assert expected_hours(week) == 40


def test_a_part_timer_is_expected_their_own_weekly_hours() -> None:
    # Weekly hours are the contract's own hours (30 h at 75 %), as payslips and sick pay read them.
    week = schedule_of("2026-W47", Terms(Decimal(30), Decimal(75)))
    assert expected_hours(week) == 30
    assert week[0].hours == 6
    assert week[0].part_time is True


def test_odd_hours_stay_exact() -> None:
    week = schedule_of("2026-W47", Terms(Decimal("28.125"), Decimal(75)))
    assert week[0].hours == Decimal("5.625")
    assert expected_hours(week) == Decimal("28.125")


def test_public_and_de_facto_holidays_are_not_working_days() -> None:
    christmas = schedule_of("2026-W52")
    assert [d.holiday for d in christmas][3:5] == ["Julafton", "Juldagen"]
    assert expected_hours(christmas) == 24
    midsummer = schedule_of("2026-W25")  # Midsommarafton Friday 19 June
    assert midsummer[4].holiday == "Midsommarafton"
    assert expected_hours(midsummer) == 32


def test_an_eve_is_shown_but_counts_as_a_full_day() -> None:
    week = schedule_of("2026-W18")  # Valborgsmässoafton Thursday 30 April, Första maj Friday
    assert week[3].eve == "Valborgsmässoafton (från kl. 14.00)"
    assert week[3].hours == 8
    assert week[4].holiday == "Första maj"
    assert expected_hours(week) == 32


def test_days_outside_the_employment_expect_nothing() -> None:
    monday = parse_week("2026-W47")
    days = days_of(monday)
    starts_wednesday = [None, None, FULL_TIME, FULL_TIME, FULL_TIME, FULL_TIME, FULL_TIME]
    week = week_schedule(days, starts_wednesday)
    assert expected_hours(week) == 24
    assert week[0].employed is False


def test_weekend_is_never_scheduled() -> None:
    assert day_schedule(date(2026, 11, 21), FULL_TIME).hours == 0


def test_iso_weeks_round_trip_across_the_new_year() -> None:
    assert parse_week("2026-W53") == date(2026, 12, 28)
    assert week_label(date(2026, 12, 28)) == "2026-W53"
    assert week_label(monday_of(date(2027, 1, 3))) == "2026-W53"
    assert parse_week("2027-W01") == date(2027, 1, 4)
    assert all(week_label(parse_week(f"2026-W{n:02d}")) == f"2026-W{n:02d}" for n in range(1, 54))
    assert parse_week("2026-W01") - timedelta(days=7) == parse_week("2025-W52")
