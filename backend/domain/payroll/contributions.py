"""Employer contributions (arbetsgivaravgifter) on a payment, by birth year and pay date.

The rate depends on the employee's birth year and on the pay date (not the
period worked), so the pay date picks the year's figures. The youth reduction
applies a lower rate to pay up to a monthly cap and the standard rate above it.

Rounding: each part (base x rate) is computed exactly and rounded to whole öre,
an exact half up (away from zero); the total is the sum of the rounded parts,
so the lines on a payslip always add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from backend.domain.money import Number, format_percent, format_sek, round_ore
from backend.domain.payroll.errors import non_negative
from backend.domain.rates import rates_on
from backend.domain.text import Text


@dataclass(frozen=True)
class ContributionPart:
    base: Decimal
    rate: Decimal
    amount: Decimal
    rule: str  # "standard" | "birth_year_band" | "youth_reduced" | "youth_above_cap"
    explanation_en: str
    explanation_sv: str


@dataclass(frozen=True)
class EmployerContributions:
    pay_date: date
    birth_year: int
    gross_pay: Decimal
    parts: tuple[ContributionPart, ...]
    total: Decimal


def _part(base: Decimal, rate: Decimal, rule: str, what_en: str, what_sv: str, explain: bool) -> ContributionPart:
    amount = round_ore(base * rate)
    if not explain:
        return ContributionPart(base=base, rate=rate, amount=amount, rule=rule, explanation_en="", explanation_sv="")
    return ContributionPart(
        base=base,
        rate=rate,
        amount=amount,
        rule=rule,
        explanation_en=(
            f"{what_en}: {format_sek(base, lang='en')} x {format_percent(rate, lang='en')}"
            f" = {format_sek(amount, lang='en')}"
        ),
        explanation_sv=(
            f"{what_sv}: {format_sek(base, lang='sv')} x {format_percent(rate, lang='sv')}"
            f" = {format_sek(amount, lang='sv')}"
        ),
    )


def employer_contributions(
    gross_pay: Number,
    *,
    birth_date: date,
    pay_date: date,
    already_paid_this_month: Number = 0,
    explain: bool = True,
) -> EmployerContributions:
    """Contributions on ``gross_pay`` paid on ``pay_date``.

    ``already_paid_this_month`` is pay already paid to the employee in the same
    calendar month; it uses up the youth reduction's monthly cap first.
    ``explain`` False: the parts' explanations are left empty (payroll's overview shows only the total).
    """
    pay = non_negative(gross_pay, "gross_pay")
    earlier = non_negative(already_paid_this_month, "already_paid_this_month")
    rates = rates_on(pay_date).employer_contributions
    birth_year = birth_date.year
    parts: list[ContributionPart]

    band = next((b for b in rates.birth_year_bands if b.covers(birth_year)), None)
    youth = next((y for y in rates.youth_reductions if y.covers(birth_year, pay_date)), None)
    if band is not None:
        parts = [
            _part(
                pay,
                band.rate,
                "birth_year_band",
                f"Employer contributions, {band.label}",
                f"Arbetsgivaravgifter, född {_born(band.born_from, band.born_to).sv}",
                explain,
            )
        ]
    elif youth is not None:
        cap_left = max(youth.monthly_cap - earlier, Decimal(0))
        reduced_base = min(pay, cap_left)
        above = pay - reduced_base
        parts = [
            _part(
                reduced_base,
                youth.reduced_rate,
                "youth_reduced",
                f"Reduced employer contributions (born {youth.born_from}-{youth.born_to}, "
                f"up to {format_sek(youth.monthly_cap, lang='en')}/month)",
                f"Nedsatta arbetsgivaravgifter (född {youth.born_from}-{youth.born_to}, "
                f"upp till {format_sek(youth.monthly_cap, lang='sv')}/månad)",
                explain,
            )
        ]
        if above > 0:
            parts.append(
                _part(
                    above,
                    rates.standard_rate,
                    "youth_above_cap",
                    "Full employer contributions above the monthly cap",
                    "Fulla arbetsgivaravgifter över månadstaket",
                    explain,
                )
            )
    else:
        parts = [_part(pay, rates.standard_rate, "standard", "Employer contributions", "Arbetsgivaravgifter", explain)]
    return EmployerContributions(
        pay_date=pay_date,
        birth_year=birth_year,
        gross_pay=pay,
        parts=tuple(parts),
        total=sum((p.amount for p in parts), Decimal("0.00")),
    )


def _born(born_from: int | None, born_to: int | None) -> Text:
    """A band of birth years; the English line names the band by its label in the rates."""
    if born_from is None:
        return Text(sv=f"{born_to} eller tidigare", en=f"{born_to} or earlier")
    if born_to is None:
        return Text(sv=f"{born_from} eller senare", en=f"{born_from} or later")
    return Text(sv=f"{born_from}-{born_to}", en=f"{born_from}-{born_to}")
