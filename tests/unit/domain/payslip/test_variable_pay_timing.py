"""When variable items are paid: one month in arrears by default, the same month when configured; cut-off."""

from __future__ import annotations

from datetime import date

from backend.domain.payslip import OrganisationSettings, PendingStatus, TimeCode
from tests.unit.domain.payslip.builders import D, days, employee, hourly, monthly, row, slip, total

SAME_MONTH = OrganisationSettings(variable_pay_in_arrears=False)


def test_marchs_overtime_is_paid_on_aprils_payslip_by_default() -> None:
    payslip = slip(employee(monthly(42_000)), time=[row(date(2026, 3, 10), TimeCode.SIMPLE_OVERTIME, 4)])
    (line,) = payslip.lines_with("simple_overtime")
    assert line.amount == D("1787.23")
    assert line.text_sv == "Enkel övertid, mars 2026"
    assert line.work_period == "2026-03"


def test_aprils_overtime_waits_for_mays_payslip_by_default() -> None:
    payslip = slip(employee(monthly(42_000)), time=[row(date(2026, 4, 2), TimeCode.SIMPLE_OVERTIME, 4, source="w14")])
    assert payslip.lines_with("simple_overtime") == ()
    (waiting,) = payslip.pending
    assert (waiting.item_id, waiting.status, waiting.approved) == ("w14", PendingStatus.LATER_PERIOD, True)
    assert waiting.hours == 4
    assert "maj 2026" in waiting.explanation_sv


def test_overtime_is_paid_in_the_same_month_when_the_employer_does_so() -> None:
    payslip = slip(
        employee(monthly(42_000)),
        settings=SAME_MONTH,
        time=[row(date(2026, 4, 2), TimeCode.SIMPLE_OVERTIME, 4, approved_on=date(2026, 4, 6))],
    )
    assert total(payslip, "simple_overtime") == D("1787.23")
    assert payslip.lines_with("simple_overtime")[0].work_period == "2026-04"


def test_overtime_approved_after_the_cut_off_goes_to_the_next_payslip() -> None:
    late = row(date(2026, 3, 30), TimeCode.SIMPLE_OVERTIME, 4, approved_on=date(2026, 4, 10))
    payslip = slip(employee(monthly(42_000)), as_of=date(2026, 4, 12), time=[late])
    assert payslip.lines_with("simple_overtime") == ()
    assert payslip.pending[0].status is PendingStatus.APPROVED_AFTER_CUT_OFF


def test_hours_approved_late_for_an_earlier_month_are_paid_on_the_next_payslip() -> None:
    from_february = row(date(2026, 2, 20), TimeCode.SIMPLE_OVERTIME, 2, approved_on=date(2026, 3, 20))
    payslip = slip(employee(monthly(42_000)), time=[from_february])
    (line,) = payslip.lines_with("simple_overtime")
    assert line.text_sv == "Enkel övertid, februari 2026"


def test_hourly_staff_are_paid_for_the_hours_worked_last_month() -> None:
    payslip = slip(employee(hourly(185)), time=days(date(2026, 3, 2), 20, TimeCode.WORK))
    (line,) = payslip.lines_with("hourly_pay")
    assert (line.quantity, line.rate, line.amount) == (D(160), D(185), D("29600.00"))
    assert payslip.lines_with("salary") == ()
    assert payslip.gross_pay == D("33152.00")  # and 12 % vacation pay: 29 600 x 0.12 = 3 552


def test_hourly_staff_in_the_same_month_when_configured() -> None:
    rows = [row(date(2026, 4, d), TimeCode.WORK, 8, approved_on=date(2026, 4, 7)) for d in (1, 2, 6, 7)]
    payslip = slip(employee(hourly(185)), settings=SAME_MONTH, time=rows)
    assert total(payslip, "hourly_pay") == D("5920.00")


def test_hourly_staff_overtime_at_the_agreement_rate() -> None:
    payslip = slip(
        employee(hourly(200)),
        settings=OrganisationSettings(agreement_profile="municipal"),
        time=[row(date(2026, 3, 10), TimeCode.QUALIFIED_OVERTIME, 2)],
    )
    assert total(payslip, "qualified_overtime") == D("960.00")  # 2 h x 200 x 240 %


def test_municipal_hourly_staff_get_overtime_above_165_hours_a_month() -> None:
    rows = days(date(2026, 3, 2), 17, TimeCode.WORK, 10)  # 170 h in March
    payslip = slip(employee(hourly(185)), settings=OrganisationSettings(agreement_profile="municipal"), time=rows)
    assert total(payslip, "hourly_pay") == D("30525.00")  # 165 h x 185
    (overtime,) = payslip.lines_with("simple_overtime")
    assert (overtime.quantity, overtime.amount) == (D(5), D("1665.00"))  # 5 h x 185 x 180 %
    assert "165" in overtime.explanation_sv


def test_an_item_the_agreement_does_not_price_is_flagged_not_paid() -> None:
    payslip = slip(
        employee(monthly(30_000)),
        settings=OrganisationSettings(agreement_profile="municipal"),
        time=[row(date(2026, 3, 10), TimeCode.OB_NIGHT, 3, source="w11")],
    )
    assert payslip.lines_with("ob_night") == ()
    (warning,) = payslip.warnings
    assert (warning.code, warning.source_ids) == ("item_not_in_agreement", ("w11",))


def test_monthly_staff_are_not_paid_extra_for_ordinary_hours() -> None:
    payslip = slip(employee(monthly(42_000)), time=days(date(2026, 3, 2), 22, TimeCode.WORK))
    assert payslip.gross_pay == D("42000.00")
