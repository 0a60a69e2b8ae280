"""What of a year's wellness expenses counts against its caps, and in which order (filing and payslip alike)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.domain.wellness import WellnessExpense, wellness_payments

D = Decimal
TREATMENT_CAP = D(1000)


def expense(
    expense_id: str, amount: str, approved_on: date | None = None, *, treatment: bool = False, card: bool = False
) -> WellnessExpense:
    return WellnessExpense(expense_id, D(amount), treatment, card, approved_on)


def paid(
    expenses: list[WellnessExpense], employer_cap: Decimal | None = D(3000), paid_before: Decimal = D(0)
) -> list[tuple[str, Decimal]]:
    return [
        (e.expense_id, p.paid)
        for e, p in wellness_payments(
            expenses, paid_before=paid_before, employer_cap=employer_cap, treatment_cap=TREATMENT_CAP
        )
    ]


def test_the_expense_approved_first_is_paid_first_whatever_its_date() -> None:
    approved_later = expense("a", "2000", date(2026, 11, 24))
    approved_first = expense("b", "2000", date(2026, 11, 23))

    assert paid([approved_later, approved_first]) == [("b", D(2000)), ("a", D(1000))]


def test_the_same_approval_day_is_ordered_by_expense_id() -> None:
    day = date(2026, 11, 23)

    assert paid([expense("y", "2000", day), expense("x", "2000", day)]) == [("x", D(2000)), ("y", D(1000))]


def test_expenses_not_approved_yet_come_after_the_approved_in_the_order_given() -> None:
    waiting, being_filed = expense("w", "1000"), expense("f", "1500")
    approved = expense("z", "1000", date(2026, 11, 23))

    assert paid([waiting, being_filed, approved]) == [("z", D(1000)), ("w", D(1000)), ("f", D(1000))]


def test_a_company_card_massage_counts_in_full_and_is_not_limited() -> None:
    card_massage = expense("m", "1400", date(2026, 11, 23), treatment=True, card=True)
    gym = expense("g", "2000", date(2026, 11, 24))

    counted = wellness_payments([card_massage, gym], paid_before=D(0), employer_cap=D(3000), treatment_cap=D(1000))

    (_, massage), (_, private) = counted
    assert (massage.paid, massage.limited_by) == (D(1400), None)
    assert (private.paid, private.limited_by) == (D(1600), "employer_cap")


def test_a_privately_paid_massage_is_paid_at_most_the_per_occasion_cap() -> None:
    massage = expense("m", "1400", date(2026, 11, 23), treatment=True)

    ((_, payment),) = wellness_payments([massage], paid_before=D(0), employer_cap=None, treatment_cap=D(1000))

    assert (payment.paid, payment.limited_by) == (D(1000), "treatment")


def test_what_earlier_payslips_paid_is_used_before_this_years_new_expenses() -> None:
    assert paid([expense("g", "1000", date(2026, 11, 23))], paid_before=D(2500)) == [("g", D(500))]


def test_without_an_employer_cap_only_the_treatment_cap_limits() -> None:
    assert paid([expense("g", "7000", date(2026, 11, 23))], employer_cap=None) == [("g", D(7000))]
