"""Approved leave requests on the payslip, vacation pay for hourly staff, and the wellness limits.

Worked examples with the 2026 figures of rates-2026.md: semestertillägg 0.43 % (legal minimum)
or 0.8 % (the white-collar profile) of the monthly salary per vacation day; hourly pay for
deductions monthly x 12 / (52 x weekly hours); vacation pay 12 %; massage at most 1 000 kr.
"""

from __future__ import annotations

from datetime import date

from backend.domain.expenses import wellness_payment
from backend.domain.payslip import (
    ApprovedExpense,
    ExpenseKind,
    OrganisationSettings,
    TimeCode,
)
from backend.domain.payslip.inputs import ApprovedLeave
from backend.domain.payslip.leave import paid_through
from tests.unit.domain.payslip.builders import D, days, employee, hourly, monthly, period, row, slip, total

MARCH_2 = date(2026, 3, 2)  # a Monday; April's payslip pays March's variable items
MINIMUM = OrganisationSettings(agreement_profile="municipal")  # a profile without its own supplement rate


def vacation(first: date, last: date, *, code: TimeCode = TimeCode.VACATION, **kwargs: object) -> ApprovedLeave:
    return ApprovedLeave("request-1", code, first, last, approved_on=date(2026, 2, 20), **kwargs)  # type: ignore[arg-type]


def test_a_week_of_vacation_approved_by_request_alone_pays_the_supplement() -> None:
    payslip = slip(employee(monthly(35_000)), leave=(vacation(MARCH_2, date(2026, 3, 6)),))

    (line,) = payslip.lines_with("vacation_supplement")
    assert line.amount == D("1400.00")  # 35 000 x 0.8 % x 5 days (white-collar profile)
    assert line.quantity == D(5)
    assert line.source_ids == ("request-1",)
    assert payslip.gross_pay == D("36400.00")


def test_the_legal_minimum_supplement_is_0_43_percent_per_day() -> None:
    payslip = slip(employee(monthly(35_000)), settings=MINIMUM, leave=(vacation(MARCH_2, date(2026, 3, 6)),))
    assert total(payslip, "vacation_supplement") == D("752.50")  # 35 000 x 0.43 % x 5


def test_a_day_reported_in_a_week_and_approved_by_request_counts_once() -> None:
    reported = days(MARCH_2, 3, TimeCode.VACATION, source="week-10")  # Mon-Wed in the time week too
    payslip = slip(employee(monthly(35_000)), time=reported, leave=(vacation(MARCH_2, date(2026, 3, 6)),))

    (line,) = payslip.lines_with("vacation_supplement")
    assert line.quantity == D(5)
    assert line.amount == D("1400.00")


def test_days_an_earlier_payslip_paid_from_a_week_are_not_paid_again_by_the_request() -> None:
    paid = frozenset((d.day, TimeCode.VACATION) for d in days(MARCH_2, 2, TimeCode.VACATION))
    payslip = slip(employee(monthly(35_000)), leave=(vacation(MARCH_2, date(2026, 3, 6)),), absence_paid_earlier=paid)
    assert total(payslip, "vacation_supplement") == D("840.00")  # 3 days x 35 000 x 0.8 %


def test_unpaid_leave_by_request_is_deducted_per_working_day() -> None:
    leave = vacation(date(2026, 3, 9), date(2026, 3, 10), code=TimeCode.UNPAID_LEAVE)
    payslip = slip(employee(monthly(42_000)), leave=(leave,))
    (line,) = payslip.lines_with("unpaid_leave_deduction")
    assert line.quantity == D(16)  # 2 days x 40 h / 5
    assert line.amount == D("-3876.92")  # 42 000 x 12 / (52 x 40) x 16


def test_parental_leave_spanning_two_months_is_paid_month_by_month() -> None:
    first, last = date(2026, 3, 30), date(2026, 4, 3)
    april = slip(employee(monthly(42_000)), leave=(vacation(first, last, code=TimeCode.PARENTAL_LEAVE),))
    # April's run (cut-off 8 April) paid March's days; May's payslip pays the rest.
    settled = paid_through(date(2026, 2, 20), [(date(2026, 4, 8), date(2026, 3, 31))])
    may = slip(
        employee(monthly(42_000)),
        period(2026, 5),
        leave=(vacation(first, last, code=TimeCode.PARENTAL_LEAVE, paid_through=settled),),
    )

    (march,) = april.lines_with("parental_leave_deduction")
    assert march.quantity == D(16)  # 30 and 31 March, 8 h each
    (rest,) = may.lines_with("parental_leave_deduction")
    assert rest.quantity == D(16)  # 1-2 April (3 April is Good Friday); March not again
    assert rest.work_period == "2026-04"


def test_a_request_approved_after_an_earlier_cut_off_was_not_settled_by_that_run() -> None:
    assert paid_through(date(2026, 4, 10), [(date(2026, 4, 8), date(2026, 3, 31))]) is None
    assert paid_through(date(2026, 4, 1), [(date(2026, 4, 8), date(2026, 3, 31))]) == date(2026, 3, 31)


def test_hourly_staff_get_12_percent_vacation_pay_on_their_hourly_pay() -> None:
    work = [row(d.day, TimeCode.WORK, 5) for d in days(MARCH_2, 20, TimeCode.WORK)]  # 100 h
    payslip = slip(employee(hourly(185)), time=work)

    (line,) = payslip.lines_with("vacation_pay")
    assert total(payslip, "hourly_pay") == D("18500.00")
    assert line.amount == D("2220.00")  # 100 h x 185 kr x 12 %
    assert line.taxable
    assert "12 %" in line.text_sv
    assert "18 500 kr" in line.explanation_sv
    assert payslip.gross_pay == D("20720.00")


def test_monthly_staff_get_no_percentage_vacation_pay() -> None:
    payslip = slip(employee(monthly(42_000)))
    assert payslip.lines_with("vacation_pay") == ()


def wellness(amount: str, *, expense: str = "x1", treatment: bool = False) -> ApprovedExpense:
    return ApprovedExpense(
        expense_id=expense,
        claim_id="claim-1",
        amount=D(amount),
        approved_on=date(2026, 4, 1),
        description="Gym",
        kind=ExpenseKind.WELLNESS,
        treatment=treatment,
    )


def test_wellness_above_the_employers_own_cap_pays_the_cap() -> None:
    settings = OrganisationSettings(wellness_allowance=D(3000))
    payslip = slip(employee(), settings=settings, expenses=[wellness("3700")])

    (line,) = payslip.lines_with("wellness_tax_free")
    assert line.amount == D("3000.00")
    assert "3 000 kr av 3 700 kr; årets tak 3 000 kr" in line.explanation_sv


def test_wellness_paid_earlier_this_year_uses_up_the_employers_cap() -> None:
    settings = OrganisationSettings(wellness_allowance=D(3000))
    payslip = slip(employee(), settings=settings, expenses=[wellness("800")], wellness_paid_earlier_this_year=D(2500))
    assert total(payslip, "wellness_tax_free") == D("500.00")


def test_a_massage_pays_at_most_1000_kr_per_treatment() -> None:
    payslip = slip(employee(), expenses=[wellness("1400", treatment=True)])

    (line,) = payslip.lines_with("wellness_tax_free")
    assert line.amount == D("1000.00")
    assert "1 000 kr av 1 400 kr" in line.explanation_sv


def test_without_an_employer_cap_the_whole_amount_is_paid() -> None:
    assert total(slip(employee(), expenses=[wellness("3700")]), "wellness_tax_free") == D("3700.00")


def test_the_wellness_rule_takes_the_tighter_of_the_two_limits() -> None:
    both = wellness_payment(D(1400), treatment=True, paid_before=D(2700), employer_cap=D(3000), treatment_cap=D(1000))
    assert (both.paid, both.limited_by) == (D(300), "employer_cap")
    fine = wellness_payment(D(900), treatment=True, paid_before=D(0), employer_cap=D(3000), treatment_cap=D(1000))
    assert (fine.paid, fine.limited_by, fine.explanation(2026)) == (D(900), None, None)


def test_an_hourly_employees_vacation_request_is_shown_at_0_kr_so_the_run_settles_it() -> None:
    payslip = slip(employee(hourly(185)), leave=(vacation(MARCH_2, date(2026, 3, 6)),))

    (line,) = payslip.lines_with("leave_hourly")
    assert (line.amount, line.quantity, line.source_ids) == (D("0.00"), D(5), ("request-1",))
    assert "semesterersättningen betalas med varje lön" in line.explanation_sv
    assert payslip.gross_pay == 0


def test_approved_vacation_in_a_later_month_waits_as_a_pending_line_for_its_payslip() -> None:
    payslip = slip(employee(monthly(35_000)), leave=(vacation(date(2026, 7, 6), date(2026, 7, 10)),))

    assert payslip.lines_with("vacation_supplement") == ()
    (waiting,) = payslip.pending
    assert waiting.item_id == "request-1"
    assert waiting.text_sv == "Attesterad ledighet 2026-07-06–2026-07-10, 40 tim"
    assert "augusti" in waiting.explanation_sv  # July's absence is settled with August's pay
