"""Retroactive pay reads the salary paid per month from the payslips of the last 13 months.

A raise dated back is paid as a retro line on a later payslip. Thirteen months on, the month's
own payslip has left the history a payslip reads while the retro line's payslip has not; found
by the simulated year (tests/integration/payslips/test_simulated_year.py): the retro row alone
was taken for what the month was paid, so the month was paid again, or, after a pay cut
(a negative retro row), the coming payslip was refused with "salary must not be negative".
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from backend.db.models import Employee, Organisation, Payslip
from backend.domain.payslip import inputs as engine
from backend.payslips.sources import Facts, engine_inputs

EMPLOYEE = uuid.uuid4()


def payslip(period: str, pay_date: date, *salary: tuple[str, str]) -> Payslip:
    paid = sum((Decimal(amount) for _, amount in salary), Decimal(0))
    return Payslip(
        organisation_id=uuid.uuid4(),
        pay_run_id=uuid.uuid4(),
        employee_id=EMPLOYEE,
        period=period,
        pay_date=pay_date,
        gross_pay=paid,
        taxable_pay=paid,
        tax=Decimal(0),
        tax_free=Decimal(0),
        net_pay=paid,
        employer_contributions=Decimal(0),
        salary_paid=[{"month": month, "salary": amount, "hours": "0"} for month, amount in salary],
    )


def facts(retro: str, *payslips: Payslip) -> Facts:
    employee = Employee(
        id=EMPLOYEE,
        organisation_id=uuid.uuid4(),
        employee_number="1001",
        first_name="Anna",
        last_name="Andersson",
        email="anna@example.se",
        birth_date=date(1990, 6, 15),
        start_date=date(2020, 1, 1),
        tax_table=33,
    )
    terms = [
        (
            datetime(2019, 12, 1, tzinfo=UTC),
            engine.EmploymentTerms(
                valid_from=date(2020, 1, 1),
                pay_type=engine.PayType.MONTHLY,
                weekly_hours=Decimal(40),
                recorded_on=date(2019, 12, 1),
                monthly_salary=Decimal(50000),
            ),
        ),
        (
            datetime(2027, 2, 3, tzinfo=UTC),
            engine.EmploymentTerms(
                valid_from=date(2026, 11, 1),
                pay_type=engine.PayType.MONTHLY,
                weekly_hours=Decimal(40),
                recorded_on=date(2027, 2, 3),
                monthly_salary=Decimal(50000) + Decimal(retro),
            ),
        ),
    ]
    return Facts(employee, terms=terms, payslips=list(payslips))


def inputs_for(year: int, month: int, found: Facts) -> engine.PayslipInputs:
    organisation = Organisation(name="Demo AB", agreement_profile="white_collar", variable_pay_in_arrears=True)
    period = engine.PayslipPeriod(year, month, date(year, month, 25), date(year, month, 8))
    return engine_inputs(found, organisation, period, date(year, month, 20))


NOVEMBER = payslip("2026-11", date(2026, 11, 25), ("2026-11", "50000.00"))


@pytest.mark.parametrize("retro", ["1000.00", "-1500.00"])
def test_a_month_whose_payslip_left_the_history_is_not_paid_again_by_its_retro_row(retro: str) -> None:
    february = payslip("2027-02", date(2027, 2, 25), ("2026-11", retro), ("2027-02", "51000.00"))

    # January 2028 reads payslips from December 2026: February 2027's, not November 2026's.
    paid = inputs_for(2028, 1, facts(retro, february)).paid_salaries

    assert [p.label for p in paid] == ["2027-02"]


def test_within_the_history_a_month_is_its_payslip_plus_its_retro_rows() -> None:
    february = payslip("2027-02", date(2027, 2, 25), ("2026-11", "1000.00"), ("2027-02", "51000.00"))

    paid = inputs_for(2027, 6, facts("1000.00", NOVEMBER, february)).paid_salaries

    assert [(p.label, p.salary) for p in paid] == [("2026-11", Decimal("51000.00")), ("2027-02", Decimal("51000.00"))]
