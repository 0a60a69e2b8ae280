"""The attest state machine and the payroll calendar, with plain values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.domain.attest import (
    AttestState,
    Locked,
    NotEditable,
    NotPending,
    OwnItem,
    ReasonRequired,
    check_decision,
    check_editable,
    check_submit,
    deletable,
    editable,
)
from backend.domain.calendar import (
    PayPeriod,
    extra_run_pay_date,
    holiday_name,
    is_working_day,
    may_close,
    next_cutoff,
    pay_date,
    period_reached_by,
)


def test_drafts_and_returned_items_can_be_edited_and_submitted() -> None:
    assert editable(None)
    assert editable(AttestState.RETURNED)
    assert check_submit(None) == AttestState.SUBMITTED
    assert check_submit(AttestState.RETURNED) == AttestState.SUBMITTED


def test_only_what_was_never_sent_can_be_deleted_even_once_returned() -> None:
    assert deletable(None)
    assert [state for state in AttestState if deletable(state)] == []


@pytest.mark.parametrize("state", [AttestState.SUBMITTED, AttestState.APPROVED])
def test_submitted_and_approved_items_cannot_be_edited(state: AttestState) -> None:
    with pytest.raises(NotEditable):
        check_editable(state)


def test_locked_items_say_they_are_in_a_pay_run() -> None:
    with pytest.raises(Locked) as error:
        check_submit(AttestState.LOCKED)
    assert error.value.category == "conflict"


def test_approving_a_submitted_item() -> None:
    assert check_decision(AttestState.SUBMITTED, approve=True, reason=None, own=False) == AttestState.APPROVED


def test_returning_needs_a_reason() -> None:
    with pytest.raises(ReasonRequired):
        check_decision(AttestState.SUBMITTED, approve=False, reason="  ", own=False)
    assert (
        check_decision(AttestState.SUBMITTED, approve=False, reason="Kvitto saknas", own=False) == AttestState.RETURNED
    )


def test_nobody_attests_their_own_items() -> None:
    with pytest.raises(OwnItem) as error:
        check_decision(AttestState.SUBMITTED, approve=True, reason=None, own=True)
    assert error.value.category == "forbidden"


@pytest.mark.parametrize("state", [AttestState.APPROVED, AttestState.RETURNED])
def test_a_decided_item_cannot_be_decided_again(state: AttestState) -> None:
    with pytest.raises(NotPending):
        check_decision(state, approve=True, reason=None, own=False)


def test_swedish_holidays_come_from_the_calendar_library() -> None:
    assert holiday_name(date(2026, 6, 19)) == "Midsommarafton"
    assert holiday_name(date(2026, 12, 25)) == "Juldagen"
    assert not is_working_day(date(2026, 6, 6))  # Nationaldagen, a Saturday anyway
    assert is_working_day(date(2026, 11, 23))


def test_pay_day_moves_back_to_the_last_working_day() -> None:
    assert pay_date(PayPeriod(2026, 11), 25) == date(2026, 11, 25)  # Wednesday
    assert pay_date(PayPeriod(2026, 10), 25) == date(2026, 10, 23)  # Sunday -> Friday
    assert pay_date(PayPeriod(2026, 12), 25) == date(2026, 12, 23)  # Christmas Day, Julafton -> 23rd


def test_an_extra_run_made_on_a_sunday_is_paid_on_the_tuesday_after() -> None:
    # The file reaches the bank on Monday the 7th; the bank pays a banking day later.
    assert extra_run_pay_date(date(2026, 12, 6)) == date(2026, 12, 8)


def test_an_extra_run_made_on_a_banking_day_is_paid_the_next_banking_day() -> None:
    assert extra_run_pay_date(date(2026, 12, 8)) == date(2026, 12, 9)  # Tuesday -> Wednesday
    assert extra_run_pay_date(date(2026, 12, 11)) == date(2026, 12, 14)  # Friday -> Monday


def test_an_extra_run_steps_over_christmas_and_the_new_year() -> None:
    # 23 Dec is a Wednesday; 24 (Julafton), 25, 26 are not banking days, 27 is a Sunday.
    assert extra_run_pay_date(date(2026, 12, 23)) == date(2026, 12, 28)
    # 31 Dec (Nyårsafton), Friday 1 Jan and the weekend are not banking days: delivered Monday the 4th.
    assert extra_run_pay_date(date(2026, 12, 31)) == date(2027, 1, 5)


@pytest.mark.parametrize("offset", range(366))
def test_an_extra_runs_pay_date_is_always_a_later_banking_day(offset: int) -> None:
    made_on = date(2026, 1, 1) + timedelta(days=offset)
    paid = extra_run_pay_date(made_on)
    assert is_working_day(paid)
    assert made_on < paid <= made_on + timedelta(days=7)


def test_the_cut_off_decides_which_pay_an_approval_reaches() -> None:
    assert period_reached_by(date(2026, 12, 8), 8) == PayPeriod(2026, 12)
    assert period_reached_by(date(2026, 12, 9), 8) == PayPeriod(2027, 1)
    assert next_cutoff(date(2026, 11, 23), 8) == (date(2026, 12, 8), PayPeriod(2026, 12))
    assert next_cutoff(date(2026, 11, 8), 8) == (date(2026, 11, 8), PayPeriod(2026, 11))


def test_a_cut_off_day_beyond_the_month_end_is_the_last_day() -> None:
    assert period_reached_by(date(2026, 2, 28), 31) == PayPeriod(2026, 2)


def test_pay_periods_step_over_the_new_year() -> None:
    assert PayPeriod(2026, 12).next() == PayPeriod(2027, 1)
    assert PayPeriod(2027, 1).previous() == PayPeriod(2026, 12)
    assert str(PayPeriod.parse("2026-03")) == "2026-03"
    with pytest.raises(ValueError, match="2026-13"):
        PayPeriod.parse("2026-13")


def test_a_period_may_be_closed_only_after_its_cutoff_day() -> None:
    november = PayPeriod(2026, 11)

    assert not may_close(november, 8, date(2026, 11, 8))  # an attest today still reaches November
    assert may_close(november, 8, date(2026, 11, 9))
    assert may_close(PayPeriod(2026, 2), 31, date(2026, 3, 1))  # the cut-off day past the month's end: its last day
    assert not may_close(PayPeriod(2026, 2), 31, date(2026, 2, 28))


def test_months_after_overflows_and_months_before_is_its_inverse_for_a_stay_that_long() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from backend.domain.calendar import months_after, months_before

    assert months_after(date(2026, 1, 31), 3) == date(2026, 5, 1)  # no 31 April
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from([1, 3, 24]))
    def stay_that_long_has_passed(day: date, months: int) -> None:
        assert months_after(months_before(day, months), months) <= day

    stay_that_long_has_passed()
