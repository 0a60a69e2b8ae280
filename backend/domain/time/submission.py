"""What a week must satisfy to be sent for attest, and what the approver is told about it.

Besides the rows' own rules (``rules.week_violations``), a week is sent once it has begun, for
days of the employment, and with its hours or absence reported when hours were expected. Fewer
hours of work and absence than scheduled do not stop it: the approver is told instead.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal

from backend.domain.errors import FieldError
from backend.domain.text import Text
from backend.domain.time.codes import TimeCode
from backend.domain.time.rules import ReportedRow, WeekSummary, shown_hours, week_violations
from backend.domain.time.schedule import DaySchedule


def submission_violations(
    rows: Sequence[ReportedRow],
    schedule: Sequence[DaySchedule],
    codes: Collection[TimeCode],
    summary: WeekSummary,
    *,
    monday: date,
    today: date,
) -> list[FieldError]:
    """Every reason the week (``summary`` of ``rows``) cannot be submitted ``today``, all at once."""
    found = week_violations(rows, schedule, codes)
    if monday > today:
        found.append(
            FieldError(
                "week",
                "time.week_in_future",
                Text(
                    sv="En vecka kan skickas in när den har börjat.",
                    en="A week can be submitted once it has begun.",
                ),
            )
        )
    if not any(d.employed for d in schedule):
        found.append(
            FieldError(
                "week",
                "time.not_employed",
                Text(sv="Du är inte anställd den veckan.", en="You are not employed that week."),
            )
        )
    elif summary.total == 0 and summary.expected > 0:
        found.append(
            FieldError(
                "rows",
                "time.week_empty",
                Text(
                    sv="Rapportera veckans tid eller frånvaro innan du skickar in.",
                    en="Report the week's hours or absence before submitting.",
                ),
            )
        )
    return found


def below_schedule(summary: WeekSummary) -> FieldError | None:
    """A warning for the approver when work and absence fall short of the schedule (overtime does not count)."""
    within = sum((d.ordinary + d.absence for d in summary.days), Decimal(0))
    if within >= summary.expected:
        return None
    hours, expected = shown_hours(within), shown_hours(summary.expected)
    return FieldError(
        "week",
        "time.below_schedule",
        Text(
            sv=f"Veckan har {hours} h arbete och frånvaro av {expected} h schemalagd tid.",
            en=f"The week has {hours} h of work and absence of {expected} h scheduled.",
        ),
    )
