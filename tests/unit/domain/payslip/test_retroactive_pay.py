"""Retro: a change of salary terms dated into already paid months pays the difference on the next payslip.

One line per month and kind (monthly salary, hourly pay, OB/overtime); what was paid
for a month is its own payslip plus every retro already paid for it, so nothing is paid
twice and a change changed again nets out. Retro is taxable pay of the month it is paid.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.errors import RatesDataError
from backend.domain.money import round_ore
from backend.domain.payslip import (
    EmploymentTerms,
    OrganisationSettings,
    PaidHours,
    PaidSalary,
    PayslipInputs,
    TimeCode,
    YearToDate,
)
from backend.domain.payslip.context import Context
from backend.domain.payslip.pay_items import pay_item_lines
from backend.domain.payslip.retro import retro_lines, retro_preview
from backend.domain.rates.agreements import parse_agreements
from tests.unit.domain.payslip.builders import D, employee, hourly, monthly, period, row, slip, total

NOVEMBER = period(2026, 11)
RAISE_RECORDED = date(2026, 11, 5)  # before November's cut-off (the 8th), when the slips are computed
SEPTEMBER_1 = date(2026, 9, 1)


def _raised_from_september(salary: int = 44_000) -> tuple[EmploymentTerms, ...]:
    return (monthly(42_000), monthly(salary, valid_from=SEPTEMBER_1, recorded_on=RAISE_RECORDED))


def _paid(*months: int, salary: int = 42_000, year: int = 2026) -> list[PaidSalary]:
    return [PaidSalary(year, m, salary=D(salary), paid_on=date(year, m, 10)) for m in months]


def test_a_raise_dated_two_months_back_pays_two_retro_lines_of_2000() -> None:
    payslip = slip(employee(*_raised_from_september()), NOVEMBER, paid_salaries=_paid(8, 9, 10))
    retro = payslip.lines_with("salary_retro")
    assert [(line.text_sv, line.amount, line.work_period) for line in retro] == [
        ("Retro september: ny månadslön 44 000 kr från 1 sep", D("2000.00"), "2026-09"),
        ("Retro oktober: ny månadslön 44 000 kr från 1 sep", D("2000.00"), "2026-10"),
    ]
    assert total(payslip, "salary_retro") == D("4000.00")
    assert total(payslip, "salary") == D("44000.00")
    assert payslip.gross_pay == D("48000.00")


def test_retro_lines_are_explained_in_both_languages() -> None:
    payslip = slip(employee(*_raised_from_september()), NOVEMBER, paid_salaries=_paid(10))
    (october,) = payslip.lines_with("salary_retro")
    assert october.text_en == "Retro October: new monthly salary 44,000 kr from 1 Sep"
    assert "enligt villkoren som nu gäller (registrerade 2026-11-05): 44 000 kr" in october.explanation_sv
    assert "utbetalt för månaden hittills: 42 000 kr; skillnad 2 000 kr" in october.explanation_sv
    assert "paid for the month so far: 42,000 kr; difference 2,000 kr" in october.explanation_en


def test_retro_is_taxed_as_pay_of_the_month_it_is_paid_with_employer_contributions() -> None:
    with_retro = slip(employee(*_raised_from_september()), NOVEMBER, paid_salaries=_paid(9, 10))
    same_pay_as_salary = slip(employee(monthly(48_000)), NOVEMBER)
    (september, _october) = with_retro.lines_with("salary_retro")
    assert (september.taxable, september.cash, september.employer_contributions) == (True, True, True)
    assert with_retro.taxable_pay == same_pay_as_salary.taxable_pay == D("48000.00")
    assert with_retro.tax == same_pay_as_salary.tax
    assert with_retro.employer_contributions.total == same_pay_as_salary.employer_contributions.total


def test_no_retro_before_the_raise_is_recorded() -> None:
    payslip = slip(employee(*_raised_from_september()), NOVEMBER, as_of=date(2026, 11, 4), paid_salaries=_paid(9))
    assert payslip.lines_with("salary_retro") == ()
    assert payslip.gross_pay == D("42000.00")


def test_retro_already_paid_by_a_later_payslip_is_not_paid_again() -> None:
    # September's own payslip paid 42 000, November's paid its 2 000 retro: 44 000 in all.
    paid = [PaidSalary(2026, 9, salary=D(44_000)), PaidSalary(2026, 10, salary=D(44_000))]
    payslip = slip(employee(*_raised_from_september()), period(2026, 12), paid_salaries=paid)
    assert payslip.lines_with("salary_retro") == ()


def test_a_raise_corrected_after_its_retro_was_paid_nets_out_at_minus_500_a_month() -> None:
    corrected = monthly(43_500, valid_from=SEPTEMBER_1, recorded_on=date(2026, 12, 2))
    emp = employee(*_raised_from_september(), corrected)
    paid = [PaidSalary(2026, m, salary=D(44_000)) for m in (9, 10, 11)]  # the +2 000 was paid for each
    payslip = slip(emp, period(2026, 12), paid_salaries=paid)
    assert [(line.work_period, line.amount) for line in payslip.lines_with("salary_retro")] == [
        ("2026-09", D("-500.00")),
        ("2026-10", D("-500.00")),
        ("2026-11", D("-500.00")),
    ]
    assert payslip.lines_with("salary_retro")[0].text_sv == "Retro september: ny månadslön 43 500 kr från 1 sep"


def test_a_raise_mid_month_pays_the_prorated_difference() -> None:
    emp = employee(monthly(40_000), monthly(42_345, valid_from=date(2026, 3, 16), recorded_on=date(2026, 5, 6)))
    retro = slip(emp, period(2026, 5), paid_salaries=_paid(3, 4, salary=40_000)).lines_with("salary_retro")
    # March: 40,000 x 15/31 + 42,345 x 16/31 = 19,354.84 + 21,855.48; April: 2,345
    assert [line.amount for line in retro] == [D("1210.32"), D("2345.00")]
    assert "19 354,84 kr (40 000 kr × 15/31 dagar) + 21 855,48 kr (42 345 kr × 16/31 dagar)" in retro[0].explanation_sv
    assert retro[0].text_sv == "Retro mars: ny månadslön 42 345 kr från 16 mars"


def test_a_lowered_salary_dated_back_gives_a_negative_retro_line() -> None:
    emp = employee(monthly(42_000), monthly(41_000, valid_from=date(2026, 10, 1), recorded_on=RAISE_RECORDED))
    payslip = slip(emp, NOVEMBER, paid_salaries=_paid(10))
    assert [line.amount for line in payslip.lines_with("salary_retro")] == [D("-1000.00")]


def test_a_change_recorded_in_january_reaches_november_and_december_of_the_previous_year() -> None:
    emp = employee(monthly(42_000), monthly(44_000, valid_from=date(2025, 11, 1), recorded_on=date(2026, 1, 12)))
    ytd_2026 = YearToDate(year=2026)
    payslip = slip(
        emp, period(2026, 1, cut_off_day=14), paid_salaries=_paid(10, 11, 12, year=2025), year_to_date=ytd_2026
    )
    retro = payslip.lines_with("salary_retro")
    assert [(line.text_sv, line.work_period, line.amount) for line in retro] == [
        ("Retro november 2025: ny månadslön 44 000 kr från 1 nov 2025", "2025-11", D("2000.00")),
        ("Retro december 2025: ny månadslön 44 000 kr från 1 nov 2025", "2025-12", D("2000.00")),
    ]
    assert payslip.year_to_date.year == 2026
    assert payslip.year_to_date.gross_pay == D("48000.00")


def test_december_2026_paid_and_a_raise_from_1_november_recorded_in_january_2027() -> None:
    emp = employee(monthly(42_000), monthly(44_000, valid_from=date(2026, 11, 1), recorded_on=date(2027, 1, 8)))
    inputs = PayslipInputs(
        employee=emp,
        period=period(2027, 1, cut_off_day=12),
        as_of=date(2027, 1, 12),
        paid_salaries=tuple(_paid(10, 11, 12)),
    )
    preview = retro_preview(inputs)
    assert [(line.text_sv, line.amount) for line in preview.lines] == [
        ("Retro november 2026: ny månadslön 44 000 kr från 1 nov 2026", D("2000.00")),
        ("Retro december 2026: ny månadslön 44 000 kr från 1 nov 2026", D("2000.00")),
    ]
    assert preview.total == D("4000.00")


def test_hourly_staff_get_the_new_wage_on_the_hours_already_paid() -> None:
    emp = employee(hourly(180), hourly(190, valid_from=date(2026, 3, 1), recorded_on=date(2026, 5, 6)))
    paid = [PaidSalary(2026, 3, hours=D(160), hourly_wage=D(180), hourly_amount=D(28_800))]
    payslip = slip(emp, period(2026, 5), paid_salaries=paid)
    (retro,) = payslip.lines_with("hourly_retro")
    assert retro.text_sv == "Retro mars: ny timlön 190 kr från 1 mars"
    assert (retro.quantity, retro.rate, retro.amount) == (D(160), D(10), D("1600.00"))
    assert "160 tim × (190 kr − 180 kr) = 1 600 kr" in retro.explanation_sv


def test_hourly_retro_already_paid_nets_out_against_a_later_correction() -> None:
    emp = employee(
        hourly(180),
        hourly(190, valid_from=date(2026, 3, 1), recorded_on=date(2026, 5, 6)),
        hourly(185, valid_from=date(2026, 3, 1), recorded_on=date(2026, 6, 3)),
    )
    paid = [PaidSalary(2026, 3, hours=D(160), hourly_wage=D(180), hourly_amount=D(28_800) + D(1_600))]
    (retro,) = slip(emp, period(2026, 6), paid_salaries=paid).lines_with("hourly_retro")
    assert retro.amount == D("-800.00")


def test_an_hourly_wage_changed_within_a_paid_month_after_payment_is_left_to_payroll() -> None:
    emp = employee(hourly(180), hourly(190, valid_from=date(2026, 3, 15), recorded_on=date(2026, 5, 6)))
    paid = [PaidSalary(2026, 3, hours=D(160), hourly_wage=D(180), paid_on=date(2026, 4, 20))]
    payslip = slip(emp, period(2026, 5), paid_salaries=paid)
    assert payslip.lines_with("hourly_retro") == ()
    assert "retro_manual" in payslip.warning_codes


def test_a_wage_change_within_a_month_known_when_it_was_paid_raises_no_question() -> None:
    emp = employee(hourly(180), hourly(190, valid_from=date(2026, 3, 15), recorded_on=date(2026, 3, 1)))
    paid = [PaidSalary(2026, 3, hours=D(160), hourly_wage=D(190), paid_on=date(2026, 4, 20))]
    payslip = slip(emp, period(2026, 5), paid_salaries=paid)
    assert "retro_manual" not in payslip.warning_codes


def test_a_raise_reprices_the_ob_hours_paid_in_the_month() -> None:
    # September's 8 weekend OB hours were paid at 42 000 / 300 = 140 kr; the raise makes it 146,67 kr.
    paid = [
        PaidSalary(
            2026,
            9,
            salary=D(42_000),
            pay_items=(PaidHours(TimeCode.OB_WEEKEND, D(8)),),
            pay_items_amount=D("1120.00"),
        )
    ]
    payslip = slip(employee(*_raised_from_september()), NOVEMBER, paid_salaries=paid)
    (ob,) = payslip.lines_with("pay_item_retro")
    assert ob.amount == D("53.33")  # 8 x 44 000 / 300 = 1 173,33 - 1 120
    assert ob.quantity == D(8)
    assert ob.text_sv == "Retro september: OB/övertid efter månadslön 44 000 kr från 1 sep"
    assert "OB helg 8 tim × 146,67 kr = 1 173,33 kr" in ob.explanation_sv
    assert total(payslip, "salary_retro") == D("2000.00")


def test_an_agreement_change_reprices_the_overtime_paid_under_the_old_rates() -> None:
    # 10 h simple overtime paid under the white-collar profile: 10 x 42 000 / 94 = 4 468,09 kr.
    # Under the municipal profile now in force: hourly pay 242,31 kr x 180 % x 10 h = 4 361,58 kr.
    paid = [
        PaidSalary(
            2026,
            10,
            salary=D(42_000),
            pay_items=(PaidHours(TimeCode.SIMPLE_OVERTIME, D(10)),),
            pay_items_amount=D("4468.09"),
        )
    ]
    municipal = OrganisationSettings(agreement_profile="municipal")
    payslip = slip(employee(monthly(42_000)), NOVEMBER, paid_salaries=paid, settings=municipal)
    (overtime,) = payslip.lines_with("pay_item_retro")
    assert overtime.amount == D("-106.51")
    assert payslip.lines_with("salary_retro") == ()


def test_an_hourly_wage_raise_reprices_overtime_priced_from_the_wage() -> None:
    emp = employee(hourly(200), hourly(210, valid_from=date(2026, 10, 1), recorded_on=RAISE_RECORDED))
    paid = [
        PaidSalary(
            2026,
            10,
            hours=D(170),
            hourly_wage=D(200),
            hourly_amount=D(34_000),
            pay_items=(PaidHours(TimeCode.SIMPLE_OVERTIME, D(5)),),
            pay_items_amount=D("1800.00"),  # municipal: 5 h x 200 kr x 180 %
        )
    ]
    municipal = OrganisationSettings(agreement_profile="municipal")
    payslip = slip(emp, NOVEMBER, paid_salaries=paid, settings=municipal)
    retro = [line for line in payslip.lines if line.code in ("hourly_retro", "pay_item_retro")]
    assert [(line.code, line.amount) for line in retro] == [
        ("hourly_retro", D("1700.00")),
        ("pay_item_retro", D("90.00")),
    ]


def _money(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low * 100, high * 100).map(lambda ore: Decimal(ore) / 100)


@settings(max_examples=40, deadline=None)
@given(
    _money(20_000, 80_000),
    _money(20_000, 80_000),
    _money(20_000, 80_000),
    st.integers(1, 10),
    st.integers(0, 40),
)
def test_a_change_changed_again_pays_exactly_what_the_final_terms_are_worth_once(
    first: Decimal, second: Decimal, correction: Decimal, start_month: int, ob_hours: int
) -> None:
    """Whatever the order of changes, the month's pay plus its retros equals its worth under the last terms."""
    valid_from = date(2026, start_month, 1)
    original = monthly(30_000)
    changed = monthly(first, valid_from=valid_from, recorded_on=date(2026, 11, 2))
    corrected = monthly(correction, valid_from=valid_from, recorded_on=date(2026, 12, 2))
    later = monthly(second, valid_from=date(2026, 11, 1), recorded_on=date(2026, 10, 1))
    ob = (PaidHours(TimeCode.OB_WEEKEND, D(ob_hours)),) if ob_hours else ()
    worth_first = slip(employee(original), period(2026, 11)).lines_with("salary")[0].amount
    paid = {
        m: PaidSalary(2026, m, salary=worth_first, pay_items=ob, pay_items_amount=_ob(30_000, ob_hours))
        for m in range(start_month, 11)
    }

    def retro(*terms: EmploymentTerms, pay: int) -> dict[tuple[str, str | None], Decimal]:
        payslip = slip(employee(*terms), period(2026, pay), paid_salaries=list(paid.values()))
        return {(line.code, line.work_period): line.amount for line in payslip.lines if line.code.endswith("_retro")}

    for terms, pay in (((original, later, changed), 11), ((original, later, changed, corrected), 12)):
        for (code, work_period), amount in retro(*terms, pay=pay).items():
            assert work_period is not None
            month = int(work_period[5:])
            before = paid[month]
            paid[month] = dataclasses.replace(
                before,
                salary=before.salary + (amount if code == "salary_retro" else 0),
                pay_items_amount=before.pay_items_amount + (amount if code == "pay_item_retro" else 0),
            )
    final = (original, later, changed, corrected)
    assert retro(*final, pay=12) == {}
    assert all(p.salary == correction for p in paid.values())
    assert all(p.pay_items_amount == _ob(correction, ob_hours) for p in paid.values())


def _ob(salary: Decimal | int, hours: int) -> Decimal:
    """Weekend OB under the white-collar profile: monthly salary / 300 an hour."""
    return round_ore(Fraction(salary) / 300 * hours) if hours else Decimal(0)


_AGREEMENT = """
default_profile = "shop"
[profiles.shop]
name_en = "Shop agreement"
name_sv = "Butiksavtalet"
[profiles.shop.items.ob_weekend]
monthly_divisor = 300
hours = "weekends"
[[profiles.shop.changes]]
valid_from = 2026-10-01
[profiles.shop.changes.items.ob_weekend]
monthly_divisor = 250
"""


def _under_the_new_agreement(inputs: PayslipInputs) -> Context:
    """The payslip's context with an agreement whose weekend OB is repriced from 1 October (300 -> 250)."""
    return dataclasses.replace(Context.create(inputs), profile=parse_agreements(_AGREEMENT).profile("shop"))


def test_an_agreement_change_dated_back_to_1_october_reprices_octobers_ob_but_not_septembers() -> None:
    weekend_ob = (PaidHours(TimeCode.OB_WEEKEND, D(8)),)
    paid = tuple(
        PaidSalary(2026, m, salary=D(42_000), pay_items=weekend_ob, pay_items_amount=D("1120.00"))  # 8 x 42 000 / 300
        for m in (9, 10)
    )
    inputs = PayslipInputs(employee(monthly(42_000)), NOVEMBER, as_of=date(2026, 11, 8), paid_salaries=paid)
    (october,) = retro_lines(_under_the_new_agreement(inputs))
    assert (october.code, october.work_period, october.amount) == ("pay_item_retro", "2026-10", D("224.00"))
    assert october.text_sv == "Retro oktober: OB/övertid enligt nytt avtal från 1 okt"
    assert october.text_en == "Retro October: unsocial hours/overtime under the new agreement from 1 Oct"
    assert "OB helg 8 tim × 168 kr = 1 344 kr" in october.explanation_sv


def test_hours_worked_after_the_agreement_change_are_priced_by_it() -> None:
    rows = (row(date(2026, 9, 26), TimeCode.OB_WEEKEND, 8), row(date(2026, 10, 3), TimeCode.OB_WEEKEND, 8))
    inputs = PayslipInputs(employee(monthly(42_000)), NOVEMBER, as_of=date(2026, 11, 8), time=rows)
    lines = pay_item_lines(_under_the_new_agreement(inputs), rows)
    assert [(line.work_period, line.amount) for line in lines] == [("2026-09", D("1120.00")), ("2026-10", D("1344.00"))]


def test_an_agreement_change_may_only_reprice_items_the_profile_has() -> None:
    text = _AGREEMENT.replace("changes.items.ob_weekend]", "changes.items.ob_night]")
    with pytest.raises(RatesDataError, match="only reprice an item the profile has"):
        parse_agreements(text)
