"""Items not yet attested are listed with whether they can still reach this payslip; never in the totals."""

from __future__ import annotations

from datetime import date

from backend.domain.payslip import ItemKind, PendingItem, PendingState, PendingStatus
from tests.unit.domain.payslip.builders import D, employee, monthly, slip


def _item(state: PendingState, *, covers_from: date | None = None) -> PendingItem:
    return PendingItem(
        item_id="it-1",
        kind=ItemKind.EXPENSE_CLAIM if covers_from is None else ItemKind.TIME_WEEK,
        state=state,
        title="Hotell Malmö",
        submitted_on=date(2026, 4, 2),
        amount=D("1450.00") if covers_from is None else None,
        hours=D(40) if covers_from is not None else None,
        covers_from=covers_from,
    )


def test_a_submitted_claim_before_the_cut_off_can_still_reach_this_payslip() -> None:
    payslip = slip(employee(monthly(42_000)), as_of=date(2026, 4, 3), pending=[_item(PendingState.SUBMITTED)])
    (line,) = payslip.pending
    assert (line.status, line.can_reach_this_payslip, line.approved) == (PendingStatus.AWAITING_ATTEST, True, False)
    assert line.amount == D("1450.00")
    assert "senast 2026-04-08" in line.explanation_sv


def test_pending_items_are_not_in_the_totals() -> None:
    with_pending = slip(employee(monthly(42_000)), pending=[_item(PendingState.SUBMITTED)])
    assert with_pending.net_pay == slip(employee(monthly(42_000))).net_pay
    assert with_pending.lines == slip(employee(monthly(42_000))).lines


def test_a_submitted_claim_after_the_cut_off_missed_it() -> None:
    payslip = slip(employee(monthly(42_000)), as_of=date(2026, 4, 9), pending=[_item(PendingState.SUBMITTED)])
    (line,) = payslip.pending
    assert (line.status, line.can_reach_this_payslip) == (PendingStatus.MISSED_CUT_OFF, False)
    assert "maj 2026" in line.explanation_sv


def test_a_returned_claim_must_be_corrected_and_resubmitted() -> None:
    payslip = slip(employee(monthly(42_000)), as_of=date(2026, 4, 3), pending=[_item(PendingState.RETURNED)])
    (line,) = payslip.pending
    assert line.status is PendingStatus.RETURNED
    assert "Skickades tillbaka" in line.explanation_sv


def test_a_draft_is_not_submitted() -> None:
    payslip = slip(employee(monthly(42_000)), as_of=date(2026, 4, 3), pending=[_item(PendingState.DRAFT)])
    assert payslip.pending[0].status is PendingStatus.NOT_SUBMITTED


def test_a_time_week_of_this_month_belongs_to_next_months_payslip_when_paid_in_arrears() -> None:
    week = _item(PendingState.SUBMITTED, covers_from=date(2026, 4, 6))
    payslip = slip(employee(monthly(42_000)), as_of=date(2026, 4, 3), pending=[week])
    (line,) = payslip.pending
    assert (line.status, line.can_reach_this_payslip, line.hours) == (PendingStatus.LATER_PERIOD, False, D(40))
    assert "maj 2026" in line.explanation_sv


def test_a_time_week_of_last_month_can_reach_this_payslip() -> None:
    week = _item(PendingState.SUBMITTED, covers_from=date(2026, 3, 23))
    payslip = slip(employee(monthly(42_000)), as_of=date(2026, 4, 3), pending=[week])
    assert payslip.pending[0].can_reach_this_payslip
