"""Vacation pay (Semesterlagen): the same-pay rule's supplement and the percentage rule.

Same-pay rule (sammalöneregeln): a monthly salaried employee keeps the salary
and gets a vacation supplement (semestertillägg) per paid vacation day, a share
of the monthly salary: at least the legal minimum of the year (0.43 % in 2026),
often more by agreement (0.8 % in white-collar agreements). Percentage rule:
12 % of the vacation-earning pay (also semesterersättning at the end of an
employment). Amounts are exact and rounded once, to öre, an exact half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from backend.domain.money import Number, as_decimal, format_number, format_percent, format_sek, round_ore
from backend.domain.payroll.errors import VacationSupplementBelowMinimum, non_negative
from backend.domain.rates import AgreementProfile, rates_on
from backend.domain.text import Text


@dataclass(frozen=True)
class VacationSupplement:
    monthly_salary: Decimal
    days: Decimal
    rate: Decimal
    amount: Decimal
    explanation_en: str
    explanation_sv: str


def minimum_supplement_rate(on: date) -> Decimal:
    return rates_on(on).vacation.minimum_supplement_rate


def supplement_rate(profile: AgreementProfile | None, *, on: date) -> Decimal:
    """The agreement's rate, or the legal minimum when there is no profile or it sets none."""
    if profile is not None and profile.vacation_supplement_rate is not None:
        return profile.vacation_supplement_rate
    return minimum_supplement_rate(on)


def vacation_supplement(
    monthly_salary: Number, days: Number, *, on: date, rate: Number | None = None
) -> VacationSupplement:
    """Semestertillägg = monthly salary x rate x paid vacation days.

    ``rate`` defaults to the legal minimum; a lower rate raises
    ``VacationSupplementBelowMinimum``. 35,000 x 5 days: 0.43 % -> 752.50, 0.8 % -> 1,400.00.
    """
    monthly = non_negative(monthly_salary, "monthly_salary")
    day_count = non_negative(days, "days")
    minimum = minimum_supplement_rate(on)
    applied = minimum if rate is None else as_decimal(rate, field="rate")
    if applied < minimum:
        raise VacationSupplementBelowMinimum(
            Text(
                sv=f"Semestertillägget {format_percent(applied, lang='sv')} är lägre än lagens minimum "
                f"{format_percent(minimum, lang='sv')}.",
                en=f"Vacation supplement {format_percent(applied, lang='en')} is below the legal minimum "
                f"{format_percent(minimum, lang='en')}.",
            ),
            field="rate",
        )
    amount = round_ore(Fraction(monthly) * Fraction(applied) * Fraction(day_count))
    return VacationSupplement(
        monthly_salary=monthly,
        days=day_count,
        rate=applied,
        amount=amount,
        explanation_en=(
            f"Vacation supplement: {format_sek(monthly, lang='en')} x {format_percent(applied, lang='en')}"
            f" x {format_number(day_count, lang='en')} days = {format_sek(amount, lang='en')}"
        ),
        explanation_sv=(
            f"Semestertillägg: {format_sek(monthly, lang='sv')} x {format_percent(applied, lang='sv')}"
            f" x {format_number(day_count, lang='sv')} dagar = {format_sek(amount, lang='sv')}"
        ),
    )


def vacation_pay_percentage_rule(vacation_earning_pay: Number, *, on: date) -> Decimal:
    """Procentregeln: 12 % of the vacation-earning pay (variable pay, semesterersättning)."""
    pay = non_negative(vacation_earning_pay, "vacation_earning_pay")
    return round_ore(Fraction(pay) * Fraction(rates_on(on).vacation.percentage_rule_rate))
