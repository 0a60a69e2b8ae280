"""Overtime, mertid and unsocial-hours (OB) pay by collective-agreement profile.

A profile prices each hour either as monthly salary / divisor (white-collar
style: simple overtime /94, qualified /72, mertid /142, OB /600 /400 /300 /150)
or as a share of the hourly pay (municipal style: 180 % / 240 %). The amount is
exact and rounded once, to öre, an exact half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from backend.domain.errors import DomainError
from backend.domain.money import Number, as_decimal, format_number, format_percent, format_sek, round_ore
from backend.domain.payroll.errors import non_negative
from backend.domain.rates import AgreementProfile, HourlyCompensation, PayItemKind
from backend.domain.text import Text

_ITEM_NAMES = {
    PayItemKind.SIMPLE_OVERTIME: Text(sv="Enkel övertid", en="Simple overtime"),
    PayItemKind.QUALIFIED_OVERTIME: Text(sv="Kvalificerad övertid", en="Qualified overtime"),
    PayItemKind.MERTID: Text(sv="Mertid", en="Extra hours (mertid)"),
    PayItemKind.OB_WEEKDAY_EVENING: Text(sv="OB vardag kväll", en="Unsocial hours, weekday evening"),
    PayItemKind.OB_NIGHT: Text(sv="OB natt", en="Unsocial hours, night"),
    PayItemKind.OB_WEEKEND: Text(sv="OB helg", en="Unsocial hours, weekend"),
    PayItemKind.OB_MAJOR_HOLIDAY: Text(sv="OB storhelg", en="Unsocial hours, major holiday"),
}


class PayItemNotInAgreement(DomainError):
    code = "agreement.item_not_in_profile"


class HourlyPayRequired(DomainError):
    code = "agreement.pay_basis_missing"


@dataclass(frozen=True)
class HourlyPayLine:
    item: PayItemKind
    hours: Decimal
    rate_per_hour: Decimal  # rounded to öre, for display
    amount: Decimal
    explanation_en: str
    explanation_sv: str


def _compensation(profile: AgreementProfile, item: PayItemKind) -> HourlyCompensation:
    comp = profile.items.get(item)
    if comp is None:
        name = _ITEM_NAMES[item]
        raise PayItemNotInAgreement(
            Text(
                sv=f"{name.sv} ersätts inte enligt avtalsprofilen {profile.name_sv}.",
                en=f"{name.en} is not paid under the agreement profile {profile.name_en}.",
            ),
            field="item",
        )
    return comp


def rate_per_hour(
    profile: AgreementProfile,
    item: PayItemKind,
    *,
    monthly_salary: Number | None = None,
    hourly_pay: Number | None = None,
) -> Fraction:
    """The exact price of one hour of ``item`` under ``profile``."""
    comp = _compensation(profile, item)
    if comp.monthly_divisor is not None:
        if monthly_salary is None:
            raise HourlyPayRequired(
                Text(
                    sv="Avtalet räknar timpriset från månadslönen; ange månadslön.",
                    en="This agreement prices the hour from the monthly salary; give monthly_salary.",
                ),
                field="monthly_salary",
            )
        monthly = non_negative(monthly_salary, "monthly_salary")
        return Fraction(monthly) / Fraction(comp.monthly_divisor)
    assert comp.hourly_pay_share is not None
    if hourly_pay is None:
        raise HourlyPayRequired(
            Text(
                sv="Avtalet räknar timpriset från timlönen; ange timlön.",
                en="This agreement prices the hour from the hourly pay; give hourly_pay.",
            ),
            field="hourly_pay",
        )
    hourly = non_negative(hourly_pay, "hourly_pay")
    return Fraction(hourly) * Fraction(comp.hourly_pay_share)


def pay_for_hours(
    profile: AgreementProfile,
    item: PayItemKind,
    hours: Number,
    *,
    monthly_salary: Number | None = None,
    hourly_pay: Number | None = None,
) -> HourlyPayLine:
    """Pay for ``hours`` of ``item``: exact hourly price x hours, rounded to öre."""
    hour_count = non_negative(hours, "hours")
    price = rate_per_hour(profile, item, monthly_salary=monthly_salary, hourly_pay=hourly_pay)
    amount = round_ore(price * Fraction(hour_count))
    comp = _compensation(profile, item)
    en_name, sv_name = _ITEM_NAMES[item].en, _ITEM_NAMES[item].sv
    basis_en, basis_sv = _basis(comp, monthly_salary, hourly_pay, "en"), _basis(comp, monthly_salary, hourly_pay, "sv")
    return HourlyPayLine(
        item=item,
        hours=hour_count,
        rate_per_hour=round_ore(price),
        amount=amount,
        explanation_en=(
            f"{en_name}: {format_number(hour_count, lang='en')} h x ({basis_en}) = {format_sek(amount, lang='en')}"
        ),
        explanation_sv=(
            f"{sv_name}: {format_number(hour_count, lang='sv')} tim x ({basis_sv}) = {format_sek(amount, lang='sv')}"
        ),
    )


def _basis(comp: HourlyCompensation, monthly_salary: Number | None, hourly_pay: Number | None, lang: str) -> str:
    if comp.monthly_divisor is not None:
        monthly = as_decimal(monthly_salary or 0)
        return f"{format_sek(monthly, lang=lang)} / {format_number(comp.monthly_divisor, lang=lang)}"
    assert comp.hourly_pay_share is not None
    hourly = as_decimal(hourly_pay or 0)
    return f"{format_sek(hourly, lang=lang)} x {format_percent(comp.hourly_pay_share, lang=lang)}"


def hours_above_threshold(profile: AgreementProfile, hours_worked_in_month: Number) -> Decimal:
    """Overtime hours for hourly staff under a monthly threshold (165 h in the municipal profile).

    Profiles without a threshold count overtime per ordered hour instead: 0 here.
    """
    worked = non_negative(hours_worked_in_month, "hours_worked_in_month")
    threshold = profile.overtime_threshold_hours_per_month
    if threshold is None:
        return Decimal(0)
    return max(worked - threshold, Decimal(0))
