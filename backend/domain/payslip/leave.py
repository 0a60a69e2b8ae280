"""Approved leave requests as absence rows, merged with the absence reported in time weeks.

One rule for "which absence days does this payslip see": the union, by day and code, of
the working days of approved leave requests and the absence rows of approved time weeks.
A day that both report counts once (the leave request's row, with the week's hours when
the week reported some), and a day an earlier payslip already paid (from either source)
does not count again. The rows then go through the same selection as reported time:
the month they belong to, the cut-off, the absence rules.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from backend.domain.payslip.inputs import ApprovedLeave, ItemKind, PayslipInputs, TimeCode, TimeRow
from backend.domain.payslip.terms import TermsHistory
from backend.domain.time.vacation import WORKING_DAYS_PER_WEEK, working_days

LEAVE_CODES = frozenset({TimeCode.VACATION, TimeCode.PARENTAL_LEAVE, TimeCode.UNPAID_LEAVE})


def leave_days(leave: ApprovedLeave) -> list[date]:
    """The request's working days not yet settled by an earlier payslip."""
    first = leave.first_day
    if leave.paid_through is not None:
        first = max(first, leave.paid_through + timedelta(days=1))
    return working_days(first, leave.last_day)


def settled_days(inputs: PayslipInputs) -> frozenset[tuple[date, TimeCode]]:
    """Absence days paid before: given by the service, plus the paid part of requests spanning months."""
    paid = set(inputs.absence_paid_earlier)
    for leave in inputs.leave:
        if leave.paid_through is not None:
            paid |= {
                (day, leave.code) for day in working_days(leave.first_day, min(leave.paid_through, leave.last_day))
            }
    return frozenset(paid)


def time_with_leave(inputs: PayslipInputs, history: TermsHistory) -> tuple[TimeRow, ...]:
    """Reported rows and approved leave as one set of rows; each absence day and code once."""
    settled = settled_days(inputs)
    reported: dict[tuple[date, TimeCode], TimeRow] = {}
    rows: list[TimeRow] = []
    for row in inputs.time:
        key = (row.day, row.code)
        if row.code in LEAVE_CODES:
            if key in settled:
                continue
            reported[key] = row
        else:
            rows.append(row)
    for leave in inputs.leave:
        for day in leave_days(leave):
            key = (day, leave.code)
            if key in settled:
                continue
            week = reported.pop(key, None)
            terms = history.on(day)
            if week is not None:
                hours = week.hours
            elif terms is not None:
                hours = terms.weekly_hours / WORKING_DAYS_PER_WEEK
            else:
                hours = Decimal(0)  # outside employment: selection warns about the day
            rows.append(TimeRow(day, leave.code, hours, leave.leave_id, leave.approved_on, ItemKind.LEAVE_REQUEST))
    rows += reported.values()
    return tuple(rows)


def paid_through(approved_on: date, regular_runs: list[tuple[date, date]]) -> date | None:
    """The last leave day an earlier regular pay run settled: ``regular_runs`` are (cut-off, last day of
    the month whose variable items it paid); a run settled the days up to that month when the
    request was approved by its cut-off."""
    settled = [last for cut_off, last in regular_runs if approved_on <= cut_off]
    return max(settled) if settled else None
