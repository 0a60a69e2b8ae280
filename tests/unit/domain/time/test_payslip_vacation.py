"""The vacation balance on the payslip: paid days, taken to the end of the period, planned, unpaid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.domain.time.vacation import payslip_vacation


def test_days_before_the_period_end_are_taken_later_and_pending_days_are_planned() -> None:
    found = payslip_vacation(
        2026,
        Decimal(25),
        approved=[(date(2026, 7, 6), date(2026, 7, 24)), (date(2026, 11, 26), date(2026, 12, 4))],
        pending=[(date(2026, 12, 21), date(2026, 12, 23))],
        as_of=date(2026, 11, 30),
    )

    # July: 15 working days; 26-27 Nov taken, 30 Nov taken, 1-4 Dec planned; 21-23 Dec pending.
    assert (found.paid_days, found.taken, found.planned, found.remaining) == (
        Decimal(25),
        Decimal(18),
        Decimal(7),
        Decimal(0),
    )
    assert found.unpaid_days == 0
    assert found.saved_days is None


def test_a_first_year_with_eleven_paid_days_has_fourteen_unpaid() -> None:
    found = payslip_vacation(2026, Decimal(11), approved=[], pending=[], as_of=date(2026, 6, 30))

    assert (found.paid_days, found.unpaid_days, found.remaining) == (Decimal(11), Decimal(14), Decimal(11))
