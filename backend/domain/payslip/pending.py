"""Items not yet attested, and whether they can still reach this payslip.

An item can reach this payslip when it is attested on or before the cut-off
and it is not for a later period: a time week or leave request that starts
after the variable month (e.g. this month's hours when variable pay is paid in
arrears) belongs to a later payslip whatever happens. After the cut-off nothing
pending reaches this payslip. Pending items are never in the totals.
"""

from __future__ import annotations

from backend.domain.payslip.context import Context
from backend.domain.payslip.inputs import PendingItem, PendingState
from backend.domain.payslip.model import PendingLine, PendingStatus
from backend.domain.payslip.terms import next_month
from backend.domain.payslip.text import month_name


def pending_lines(ctx: Context) -> list[PendingLine]:
    return [_line(ctx, item) for item in ctx.inputs.pending]


def _line(ctx: Context, item: PendingItem) -> PendingLine:
    period = ctx.inputs.period
    before_cut_off = ctx.inputs.as_of <= period.cut_off
    if item.covers_from is not None and item.covers_from > ctx.variable_last_day:
        status, reaches = PendingStatus.LATER_PERIOD, False
    elif item.state is PendingState.SUBMITTED:
        status, reaches = (
            (PendingStatus.AWAITING_ATTEST, True) if before_cut_off else (PendingStatus.MISSED_CUT_OFF, False)
        )
    elif item.state is PendingState.RETURNED:
        status, reaches = PendingStatus.RETURNED, before_cut_off
    else:
        status, reaches = PendingStatus.NOT_SUBMITTED, before_cut_off
    explanation = ctx.explained(lambda: _explanation(ctx, item, status, before_cut_off))
    return PendingLine(
        item_id=item.item_id,
        kind=item.kind,
        status=status,
        approved=False,
        can_reach_this_payslip=reaches,
        text_sv=item.title,
        text_en=item.title_en or item.title,
        amount=item.amount,
        hours=item.hours,
        submitted_on=item.submitted_on,
        explanation_sv=explanation[0],
        explanation_en=explanation[1],
    )


def _explanation(ctx: Context, item: PendingItem, status: PendingStatus, before_cut_off: bool) -> tuple[str, str]:
    """Why the item is not on this payslip, and what brings it there."""
    period = ctx.inputs.period
    cut_off = period.cut_off.isoformat()
    next_year, next_mon = next_month(period.year, period.month)
    this_sv, this_en = month_name(period.year, period.month, "sv"), month_name(period.year, period.month, "en")
    next_sv, next_en = month_name(next_year, next_mon, "sv"), month_name(next_year, next_mon, "en")
    if status is PendingStatus.LATER_PERIOD:
        assert item.covers_from is not None
        year, month = ctx.pay_month_for_work_month(item.covers_from.year, item.covers_from.month)
        work_sv = month_name(item.covers_from.year, item.covers_from.month, "sv")
        work_en = month_name(item.covers_from.year, item.covers_from.month, "en")
        return (
            f"Gäller {work_sv}; kommer med på lönen för {month_name(year, month, 'sv')} när den är attesterad.",
            f"For {work_en}; it reaches the pay for {month_name(year, month, 'en')} once approved.",
        )
    if status is PendingStatus.AWAITING_ATTEST:
        return (
            f"Väntar på attest. Kommer med på lönen för {this_sv} om den attesteras senast {cut_off}.",
            f"Waiting for approval. It reaches the pay for {this_en} if approved by {cut_off}.",
        )
    if status is PendingStatus.MISSED_CUT_OFF:
        return (
            f"Attesterades inte före brytdatum {cut_off}; kommer tidigast med på lönen för {next_sv}.",
            f"Not approved by the cut-off {cut_off}; it reaches the pay for {next_en} at the earliest.",
        )
    if status is PendingStatus.RETURNED:
        return (
            "Skickades tillbaka till dig: rätta och skicka in igen"
            + (f"; attesteras den senast {cut_off} kommer den med på lönen för {this_sv}." if before_cut_off else "."),
            "Sent back to you: correct it and submit again"
            + (f"; approved by {cut_off} it reaches the pay for {this_en}." if before_cut_off else "."),
        )
    return (
        "Inte inskickad ännu"
        + (
            f"; skicka in den och få den attesterad senast {cut_off} för lönen för {this_sv}."
            if before_cut_off
            else f"; kommer tidigast med på lönen för {next_sv}."
        ),
        "Not submitted yet"
        + (
            f"; submit it and have it approved by {cut_off} for the pay for {this_en}."
            if before_cut_off
            else f"; it reaches the pay for {next_en} at the earliest."
        ),
    )
