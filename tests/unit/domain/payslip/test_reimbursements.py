"""Expenses, travel claims and the wellness allowance on the payslip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from backend.domain.payslip import (
    ApprovedExpense,
    ApprovedTravelClaim,
    ExpenseKind,
    ExpensePayment,
    LineGroup,
    PendingStatus,
)
from tests.unit.domain.payslip.builders import D, employee, monthly, period, slip, total

APPROVED = date(2026, 3, 25)


def _expense(amount: str, *, kind: ExpenseKind = ExpenseKind.ORDINARY, card: bool = False) -> ApprovedExpense:
    return ApprovedExpense(
        expense_id=f"x-{amount}",
        claim_id="claim-7",
        amount=D(amount),
        approved_on=APPROVED,
        description="Taxi" if kind is ExpenseKind.ORDINARY else "Gym",
        payment=ExpensePayment.COMPANY_CARD if card else ExpensePayment.PRIVATE,
        kind=kind,
    )


def test_an_expense_paid_privately_is_reimbursed_tax_free() -> None:
    plain = slip(employee(monthly(42_000)))
    payslip = slip(employee(monthly(42_000)), expenses=[_expense("249.50")])
    (line,) = payslip.lines_with("expense")
    assert (line.group, line.amount, line.taxable, line.employer_contributions) == (
        LineGroup.TAX_FREE,
        D("249.50"),
        False,
        False,
    )
    assert line.source_ids == ("claim-7", "x-249.50")
    assert payslip.tax == plain.tax
    assert payslip.net_pay == plain.net_pay + D("249.50")
    assert payslip.employer_contributions == plain.employer_contributions


def test_a_company_card_expense_has_no_payslip_line() -> None:
    payslip = slip(employee(monthly(42_000)), expenses=[_expense("1200", card=True)])
    assert payslip.lines_with("expense") == ()
    assert payslip.net_pay == slip(employee(monthly(42_000))).net_pay


def test_an_expense_approved_after_the_cut_off_waits_for_the_next_payslip() -> None:
    late = ApprovedExpense("x1", "claim-8", D(300), date(2026, 4, 9), "Parkering")
    payslip = slip(employee(monthly(42_000)), as_of=date(2026, 4, 10), expenses=[late])
    assert payslip.lines_with("expense") == ()
    (pending,) = payslip.pending
    assert (pending.item_id, pending.status, pending.amount) == (
        "claim-8",
        PendingStatus.APPROVED_AFTER_CUT_OFF,
        D(300),
    )


def test_taxable_per_diem_counts_toward_tax_and_employer_contributions() -> None:
    plain = slip(employee(monthly(42_000)))
    claim = ApprovedTravelClaim("trip-3", APPROVED, "Kiruna", per_diem_tax_free=D(900), per_diem_taxable=D(300))
    payslip = slip(employee(monthly(42_000)), travel_claims=[claim])
    (tax_free,) = payslip.lines_with("per_diem_tax_free")
    (taxable,) = payslip.lines_with("per_diem_taxable")
    assert (tax_free.group, tax_free.taxable, tax_free.amount) == (LineGroup.TAX_FREE, False, D("900.00"))
    assert (taxable.group, taxable.taxable, taxable.employer_contributions) == (LineGroup.ADDITIONS, True, True)
    assert payslip.gross_pay == D("42300.00")
    assert payslip.tax == D(8919)  # official table 32, 42,201-42,400
    assert payslip.employer_contributions.total - plain.employer_contributions.total == D("94.26")  # 300 x 31.42 %
    assert payslip.tax_free == D("900.00")
    assert payslip.net_pay == D("42300.00") - D(8919) + D("900.00")


def test_mileage_above_the_tax_free_amount_is_taxable() -> None:
    claim = ApprovedTravelClaim("trip-4", APPROVED, mileage_tax_free=D(780), mileage_taxable=D(156))
    payslip = slip(employee(monthly(42_000)), travel_claims=[claim])
    assert total(payslip, "mileage_tax_free") == D("780.00")
    assert payslip.lines_with("mileage_taxable")[0].taxable
    assert payslip.gross_pay == D("42156.00")


def test_wellness_allowance_within_the_yearly_cap_is_tax_free() -> None:
    gym = _expense("1500", kind=ExpenseKind.WELLNESS)
    payslip = slip(employee(monthly(42_000)), expenses=[gym], wellness_paid_earlier_this_year=D(3000))
    (line,) = payslip.lines_with("wellness_tax_free")
    assert not line.taxable
    assert payslip.gross_pay == D("42000.00")
    assert "5 000 kr" in line.explanation_sv


def test_crossing_the_wellness_cap_makes_the_whole_years_amount_taxable() -> None:
    gym = _expense("1500", kind=ExpenseKind.WELLNESS)
    payslip = slip(employee(monthly(42_000)), expenses=[gym], wellness_paid_earlier_this_year=D(4000))
    (now,) = payslip.lines_with("wellness_taxable")
    (earlier,) = payslip.lines_with("wellness_taxable_correction")
    assert (now.amount, now.taxable, now.cash) == (D("1500.00"), True, True)
    assert (earlier.amount, earlier.taxable, earlier.cash) == (D("4000.00"), True, False)
    assert "HELA" in earlier.explanation_sv
    assert payslip.gross_pay == D("43500.00")
    assert payslip.taxable_benefits == D("4000.00")
    assert payslip.taxable_pay == D("47500.00")
    assert payslip.tax == D(10583)  # official table 32 column 1, 47,401-47,600
    assert payslip.net_pay == D("43500.00") - D(10583)  # the earlier 4,000 are not paid again
    assert payslip.employer_contributions.total == D("14924.50")  # 47,500 x 31.42 %


def test_once_over_the_cap_later_wellness_is_taxable_without_a_new_correction() -> None:
    gym = _expense("500", kind=ExpenseKind.WELLNESS)
    payslip = slip(employee(monthly(42_000)), expenses=[gym], wellness_paid_earlier_this_year=D(5500))
    assert total(payslip, "wellness_taxable") == D("500.00")
    assert payslip.lines_with("wellness_taxable_correction") == ()


def test_wellness_paid_with_the_company_card_counts_toward_the_cap() -> None:
    gym = _expense("2000", kind=ExpenseKind.WELLNESS, card=True)
    payslip = slip(employee(monthly(42_000)), expenses=[gym], wellness_paid_earlier_this_year=D(3500))
    (benefit,) = payslip.lines_with("wellness_benefit")
    assert (benefit.amount, benefit.cash, benefit.taxable) == (D("2000.00"), False, True)
    assert total(payslip, "wellness_taxable_correction") == D("3500.00")
    assert payslip.gross_pay == D("42000.00")
    assert payslip.taxable_pay == D("47500.00")


def test_a_company_card_gym_within_the_cap_makes_no_line_but_counts_and_is_settled() -> None:
    gym = _expense("2000", kind=ExpenseKind.WELLNESS, card=True)
    payslip = slip(employee(monthly(42_000)), expenses=[gym], wellness_paid_earlier_this_year=D(1000))

    assert payslip.lines == slip(employee(monthly(42_000))).lines  # the salary alone
    assert payslip.wellness_counted == D(2000)  # the next payslip starts from 3 000 kr used
    assert gym.claim_id in payslip.settled_ids  # so the run locks its claim


def test_an_expense_approved_after_the_cut_off_is_neither_paid_nor_settled() -> None:
    late = replace(_expense("300", card=True), approved_on=period().cut_off + timedelta(days=1))
    payslip = slip(employee(monthly(42_000)), expenses=[late])

    assert payslip.settled_ids == frozenset()
    assert payslip.wellness_counted == D(0)


def test_a_trip_with_nothing_to_pay_makes_no_line_but_is_settled() -> None:
    day_trip = ApprovedTravelClaim("trip-9", APPROVED, "Uppsala")  # no per diem, no mileage, no own receipts

    payslip = slip(employee(monthly(42_000)), travel_claims=[day_trip])

    assert payslip.lines == slip(employee(monthly(42_000))).lines
    assert "trip-9" in payslip.settled_ids  # so the run locks it
