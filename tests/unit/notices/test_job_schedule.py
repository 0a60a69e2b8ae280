"""When the reminder jobs act (Stockholm time, whatever UTC the job system's cron fires in) and how many
sending jobs start."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.notices.delivery import BATCH, slots_needed
from backend.notices.reminders import is_nudge_hour, is_reminder_hour

pytestmark = pytest.mark.clockless


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 1, 12, 7, 0, tzinfo=UTC), True),  # 08:00 in winter (CET)
        (datetime(2026, 7, 13, 6, 0, tzinfo=UTC), True),  # 08:00 in summer (CEST)
        (datetime(2026, 7, 13, 7, 0, tzinfo=UTC), False),  # 09:00 in summer
        (datetime(2026, 1, 12, 13, 0, tzinfo=UTC), True),  # 14:00 in winter
        (datetime(2026, 1, 12, 14, 0, tzinfo=UTC), False),
    ],
)
def test_the_reminder_rounds_run_at_eight_and_fourteen_stockholm_time(utc: datetime, expected: bool) -> None:
    assert is_reminder_hour(utc) is expected


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 1, 12, 8, 0, tzinfo=UTC), True),  # Monday 09:00 CET
        (datetime(2026, 7, 13, 7, 0, tzinfo=UTC), True),  # Monday 09:00 CEST
        (datetime(2026, 7, 13, 8, 0, tzinfo=UTC), False),  # Monday 10:00
        (datetime(2026, 1, 13, 8, 0, tzinfo=UTC), False),  # Tuesday
    ],
)
def test_the_attest_nudge_runs_monday_at_nine_stockholm_time(utc: datetime, expected: bool) -> None:
    assert is_nudge_hour(utc) is expected


@pytest.mark.parametrize(
    ("due", "slots", "expected"),
    [(0, 4, 0), (1, 4, 1), (BATCH, 4, 1), (BATCH + 1, 4, 2), (BATCH * 10, 4, 4), (5, 0, 1)],
)
def test_one_sending_job_per_full_batch_waiting_up_to_the_slots(due: int, slots: int, expected: int) -> None:
    assert slots_needed(due, slots) == expected
