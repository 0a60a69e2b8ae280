"""Sick leave on the payslip: deduction, 80 % sick pay days 1-14, karensavdrag, relapse, 10-karens limit, day 15."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from backend.domain.payslip import EarlierSickSpell, Payslip, TimeCode
from tests.unit.domain.payslip.builders import D, amounts, days, employee, hourly, monthly, period, row, slip, total

MON_2_MARCH = date(2026, 3, 2)
TUE_3_MARCH = date(2026, 3, 3)


def test_a_3_day_sick_spell_deducts_the_hours_adds_80_percent_and_takes_one_karensavdrag() -> None:
    payslip = slip(employee(monthly(30_000)), time=days(TUE_3_MARCH, 3, TimeCode.SICK))
    # 24 h x 30,000 x 12 / (52 x 40) = 4,153.85; 80 % of it = 3,323.08; karens 0.2 x 0.8 x 30,000 x 12 / 52
    assert amounts_by_code(payslip) == {
        "sick_deduction": D("-4153.85"),
        "sick_pay": D("3323.08"),
        "karens": D("-1107.69"),
    }
    assert payslip.gross_pay == D("30000.00") - D("4153.85") + D("3323.08") - D("1107.69")


def test_sick_lines_explain_the_calculation_and_the_day_numbers() -> None:
    payslip = slip(employee(monthly(42_000)), time=days(TUE_3_MARCH, 3, TimeCode.SICK))
    (deduction,) = payslip.lines_with("sick_deduction")
    (sick_pay,) = payslip.lines_with("sick_pay")
    assert "42 000 kr × 12 / (52 × 40 tim) × 24 tim = 5 815,38 kr" in deduction.explanation_sv
    assert "dag 1–3" in sick_pay.explanation_sv
    assert "80 % × 42 000 kr × 12 / (52 × 40 tim) × 24 tim = 4 652,31 kr" in sick_pay.explanation_sv
    assert deduction.source_ids == ("week",)
    assert deduction.work_period == "2026-03"


def test_a_new_spell_within_5_days_continues_the_last_one_without_a_new_karensavdrag() -> None:
    first = days(MON_2_MARCH, 3, TimeCode.SICK)  # Mon 2 - Wed 4 March
    worked = [row(date(2026, 3, 5), TimeCode.WORK), row(date(2026, 3, 6), TimeCode.WORK)]
    second = days(date(2026, 3, 9), 2, TimeCode.SICK)  # Mon 9 March: 5 days after 4 March
    payslip = slip(employee(monthly(30_000)), time=first + worked + second)
    assert len(payslip.lines_with("karens")) == 1
    later_sick_pay = payslip.lines_with("sick_pay")[1]
    assert "inget nytt karensavdrag" in later_sick_pay.explanation_sv
    assert "dag 4–5" in later_sick_pay.explanation_sv


def test_a_new_spell_6_days_later_gets_its_own_karensavdrag() -> None:
    first = days(MON_2_MARCH, 3, TimeCode.SICK)
    worked = [row(date(2026, 3, d), TimeCode.WORK) for d in (5, 6, 9)]
    second = days(date(2026, 3, 10), 2, TimeCode.SICK)  # 6 days after 4 March
    payslip = slip(employee(monthly(30_000)), time=first + worked + second)
    assert amounts(payslip, "karens") == [D("-1107.69"), D("-1107.69")]


def test_the_11th_spell_within_12_months_gets_no_karensavdrag() -> None:
    earlier = [
        EarlierSickSpell(date(2025, 5, 4) + timedelta(weeks=3 * i), date(2025, 5, 4) + timedelta(weeks=3 * i), True)
        for i in range(10)
    ]
    payslip = slip(employee(monthly(30_000)), time=days(MON_2_MARCH, 2, TimeCode.SICK), earlier_sick_spells=earlier)
    assert payslip.lines_with("karens") == ()
    assert "10" in payslip.lines_with("sick_pay")[0].explanation_sv
    assert total(payslip, "sick_pay") == D("2215.38")  # sick pay is still paid


def test_the_10th_spell_within_12_months_still_gets_a_karensavdrag() -> None:
    earlier = [
        EarlierSickSpell(date(2025, 5, 4) + timedelta(weeks=3 * i), date(2025, 5, 4) + timedelta(weeks=3 * i), True)
        for i in range(9)
    ]
    payslip = slip(employee(monthly(30_000)), time=days(MON_2_MARCH, 2, TimeCode.SICK), earlier_sick_spells=earlier)
    assert total(payslip, "karens") == D("-1107.69")


def test_from_day_15_the_employer_pays_no_sick_pay_and_says_so() -> None:
    # Mon 2 - Fri 20 March, weekdays reported: calendar days 1-14 run to Sun 15 March
    payslip = slip(employee(monthly(30_000)), time=days(MON_2_MARCH, 15, TimeCode.SICK))
    (sick_pay,) = payslip.lines_with("sick_pay")
    (after,) = payslip.lines_with("sick_deduction_day_15")
    assert sick_pay.quantity == 80  # 10 working days in days 1-14
    assert after.quantity == 40  # Mon 16 - Fri 20 March = days 15-19
    assert after.amount == D("-6923.08")  # 40 h x 30,000 x 12 / 2,080
    assert "Försäkringskassan" in after.explanation_sv
    assert "Försäkringskassan" in after.explanation_en
    assert "Dag 15–19 i sjukperioden" in after.explanation_sv


def test_a_spell_continuing_one_paid_on_an_earlier_payslip_counts_on_without_karensavdrag() -> None:
    paid = EarlierSickSpell(date(2026, 2, 23), date(2026, 2, 27), karens=True)  # Mon-Fri, days 1-5
    payslip = slip(employee(monthly(30_000)), time=days(MON_2_MARCH, 5, TimeCode.SICK), earlier_sick_spells=[paid])
    assert payslip.lines_with("karens") == ()
    assert "dag 8–12" in payslip.lines_with("sick_pay")[0].explanation_sv  # the weekend counts: days 6 and 7


def test_the_karensavdrag_is_never_more_than_the_sick_pay_of_the_spell() -> None:
    payslip = slip(employee(monthly(30_000)), time=[row(MON_2_MARCH, TimeCode.SICK, 2)])
    assert total(payslip, "sick_pay") == D("276.92")
    assert total(payslip, "karens") == D("-276.92")
    assert "begränsas" in payslip.lines_with("karens")[0].explanation_sv


def test_hourly_staff_get_sick_pay_on_the_lost_hours_less_the_karensavdrag() -> None:
    payslip = slip(employee(hourly(180)), time=days(MON_2_MARCH, 2, TimeCode.SICK))
    assert amounts_by_code(payslip) == {
        "sick_pay": D("2304.00"),  # 80 % x 16 h x 180
        "karens": D("-1152.00"),  # 0.2 x 0.8 x 180 x 40 h
    }


def test_a_sick_day_already_in_a_paid_spell_is_not_paid_again() -> None:
    paid = EarlierSickSpell(date(2026, 3, 2), date(2026, 3, 4), karens=True)
    payslip = slip(employee(monthly(30_000)), time=days(MON_2_MARCH, 1, TimeCode.SICK), earlier_sick_spells=[paid])
    assert payslip.lines_with("sick_pay") == ()
    assert "sick_day_already_paid" in payslip.warning_codes


def test_a_month_absent_never_deducts_more_than_the_salary() -> None:
    payslip = slip(employee(monthly(30_000)), time=days(MON_2_MARCH, 22, TimeCode.UNPAID_LEAVE))
    # 176 h x 173.08 = 30,461.54 > 30,000: 461.54 is given back
    assert total(payslip, "unpaid_leave_deduction") == D("-30461.54")
    assert total(payslip, "absence_deduction_cap") == D("461.54")
    assert payslip.gross_pay == D("30000.00") - D("30000.00")


def amounts_by_code(payslip: Payslip) -> dict[str, Decimal]:
    """The lines other than salary and tax, summed by code."""
    result: dict[str, Decimal] = {}
    for line in payslip.lines:
        if line.code not in ("salary", "tax"):
            result[line.code] = result.get(line.code, Decimal(0)) + line.amount
    return result


def test_the_payslip_reports_its_sick_spells_for_the_next_payslip() -> None:
    april = slip(employee(monthly(30_000)), time=days(date(2026, 3, 23), 5, TimeCode.SICK))
    assert april.sick_spells == (EarlierSickSpell(date(2026, 3, 23), date(2026, 3, 27), karens=True),)
    may = slip(
        employee(monthly(30_000)),
        period(2026, 5),
        time=days(date(2026, 4, 1), 2, TimeCode.SICK),
        earlier_sick_spells=april.sick_spells,
    )
    assert may.lines_with("karens") == ()
    assert "dag 10–11" in may.lines_with("sick_pay")[0].explanation_sv  # 28-31 March unreported: days 6-9
    assert may.sick_spells == (EarlierSickSpell(date(2026, 3, 28), date(2026, 4, 2), karens=False, first_day_number=6),)
