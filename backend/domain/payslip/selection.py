"""Which approved time rows this payslip pays, and which wait for a later one (and why).

A row is paid when its day is on or before the end of the variable month and
it was approved on or before the cut-off. A row after the variable month
belongs to a later payslip; a row approved after the cut-off goes to the next
one. Both are reported as pending lines (outside the totals) so the employee
sees where their hours went.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from backend.domain.payslip.context import Context, unique_ids
from backend.domain.payslip.inputs import ItemKind, TimeCode, TimeRow
from backend.domain.payslip.leave import time_with_leave
from backend.domain.payslip.model import PendingLine, PendingStatus
from backend.domain.payslip.terms import next_month
from backend.domain.payslip.text import hours_unit, month_name, num
from backend.domain.text import Text


@dataclass(frozen=True)
class TimeSelection:
    paid: tuple[TimeRow, ...]
    reported_days: frozenset[date]  # days with reported hours of a code other than sick (paid or not)
    deferred: tuple[PendingLine, ...]


def select_time(ctx: Context) -> TimeSelection:
    period = ctx.inputs.period
    paid: list[TimeRow] = []
    later: dict[tuple[str, PendingStatus, int, int], list[TimeRow]] = defaultdict(list)
    outside: list[str] = []
    time = time_with_leave(ctx.inputs, ctx.history)
    for row in sorted(time, key=lambda r: (r.day, r.code.value, r.source_id)):
        if row.hours == 0:
            continue
        if row.day > ctx.variable_last_day:
            year, month = ctx.pay_month_for_work_month(row.day.year, row.day.month)
            later[(row.source_id, PendingStatus.LATER_PERIOD, year, month)].append(row)
        elif row.approved_on > period.cut_off:
            year, month = next_month(period.year, period.month)
            later[(row.source_id, PendingStatus.APPROVED_AFTER_CUT_OFF, year, month)].append(row)
        elif ctx.history.on(row.day) is None:
            outside.append(row.source_id)
        else:
            paid.append(row)
    if outside:
        ctx.warn(
            "time_outside_employment",
            Text(
                sv="Tid rapporterad på dagar utan anställning eller utan anställningsvillkor betalas inte ut.",
                en="Time reported on days without employment or employment terms is not paid.",
            ),
            unique_ids(outside),
        )
    reported = frozenset(r.day for r in time if r.code is not TimeCode.SICK and r.hours > 0)
    deferred = tuple(
        _deferred_line(ctx, source_id, status, year, month, rows)
        for (source_id, status, year, month), rows in later.items()
    )
    return TimeSelection(tuple(paid), reported, deferred)


def _deferred_line(
    ctx: Context, source_id: str, status: PendingStatus, year: int, month: int, rows: list[TimeRow]
) -> PendingLine:
    hours = sum((r.hours for r in rows), Decimal(0))
    first, last = rows[0].day, rows[-1].day
    span = f"{first.isoformat()}–{last.isoformat()}" if first != last else first.isoformat()
    pay_sv, pay_en = month_name(year, month, "sv"), month_name(year, month, "en")
    if status is PendingStatus.LATER_PERIOD:
        work_sv, work_en = month_name(first.year, first.month, "sv"), month_name(first.year, first.month, "en")
        arrears_sv = (
            " (rörliga delar betalas en månad i efterskott)" if ctx.inputs.settings.variable_pay_in_arrears else ""
        )
        arrears_en = (
            " (variable pay is paid one month in arrears)" if ctx.inputs.settings.variable_pay_in_arrears else ""
        )
        explanation = (
            f"Tiden gäller {work_sv} och betalas ut med lönen för {pay_sv}{arrears_sv}.",
            f"The time is for {work_en} and is paid with the pay for {pay_en}{arrears_en}.",
        )
    else:
        approved = max(r.approved_on for r in rows).isoformat()
        cut_off = ctx.inputs.period.cut_off.isoformat()
        explanation = (
            f"Attesterades {approved}, efter brytdatum {cut_off}; betalas ut med lönen för {pay_sv}.",
            f"Approved {approved}, after the cut-off {cut_off}; paid with the pay for {pay_en}.",
        )
    leave = rows[0].source_kind is ItemKind.LEAVE_REQUEST
    what = ("Attesterad ledighet", "Approved leave") if leave else ("Attesterad tid", "Approved time")
    return PendingLine(
        item_id=source_id,
        kind=rows[0].source_kind,
        status=status,
        approved=True,
        can_reach_this_payslip=False,
        text_sv=f"{what[0]} {span}, {num(hours, 'sv')} {hours_unit('sv')}",
        text_en=f"{what[1]} {span}, {num(hours, 'en')} {hours_unit('en')}",
        amount=None,
        hours=hours,
        submitted_on=None,
        explanation_sv=explanation[0],
        explanation_en=explanation[1],
    )
