"""Overtime, mertid and unsocial-hours (OB) lines, priced by the agreement profile (``payroll/overtime.py``).

Monthly staff: the profile's divisor applies to the monthly salary; a
profile priced as a share of the hourly pay uses the hourly pay for
deductions (monthly x 12 / (52 x weekly hours), rounded to öre, as shown).
Hourly staff: a share-priced profile uses the hourly wage; a divisor-priced
profile uses the monthly salary the wage corresponds to, wage x weekly hours
x 52 / 12 rounded to öre (an assumption: the inverse of the deduction formula
in rates-2026.md; the material gives divisors for monthly salaries only).
An item the profile does not price is not paid and is flagged for payroll.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction

from backend.domain.money import round_ore
from backend.domain.payroll.absence import hourly_pay_for_deductions
from backend.domain.payroll.overtime import PayItemNotInAgreement, pay_for_hours
from backend.domain.payslip.context import Context, make_line, unique_ids
from backend.domain.payslip.inputs import EmploymentTerms, PayType, TimeCode, TimeRow
from backend.domain.payslip.model import LineGroup, PayslipLine
from backend.domain.payslip.text import hours_unit, kr, month_label, month_name, num, pct
from backend.domain.rates import rates_on
from backend.domain.text import Text

ITEM_NAMES: dict[TimeCode, tuple[str, str]] = {
    TimeCode.SIMPLE_OVERTIME: ("Enkel övertid", "Simple overtime"),
    TimeCode.QUALIFIED_OVERTIME: ("Kvalificerad övertid", "Qualified overtime"),
    TimeCode.MERTID: ("Mertid", "Extra hours (mertid)"),
    TimeCode.OB_WEEKDAY_EVENING: ("OB vardag kväll", "Unsocial hours, weekday evening"),
    TimeCode.OB_NIGHT: ("OB natt", "Unsocial hours, night"),
    TimeCode.OB_WEEKEND: ("OB helg", "Unsocial hours, weekend"),
    TimeCode.OB_MAJOR_HOLIDAY: ("OB storhelg", "Unsocial hours, major holiday"),
}


def pay_item_lines(ctx: Context, rows: tuple[TimeRow, ...]) -> list[PayslipLine]:
    """One line per item, month and terms."""
    groups: dict[tuple[TimeCode, int, int, EmploymentTerms], list[TimeRow]] = defaultdict(list)
    for row in rows:
        terms = ctx.history.on(row.day)
        if row.code.pay_item is not None and terms is not None:
            groups[(row.code, row.day.year, row.day.month, terms)].append(row)
    lines = []
    for (code, year, month, terms), group_rows in groups.items():
        hours = sum((r.hours for r in group_rows), Decimal(0))
        line = price_hours(ctx, code, terms, hours, group_rows, year, month)
        if line is not None:
            lines.append(line)
    return lines


def _monthly_equivalent(terms: EmploymentTerms, on: date) -> Decimal:
    assert terms.hourly_wage is not None
    weeks = rates_on(on).sick_pay.weeks_per_year
    return round_ore(Fraction(terms.hourly_wage) * Fraction(terms.weekly_hours) * weeks / 12)


def hour_prices(terms: EmploymentTerms, on: date) -> tuple[Decimal, Decimal]:
    """The monthly salary and the hourly pay an item is priced from under ``terms`` (see the module doc)."""
    if terms.pay_type is PayType.MONTHLY:
        assert terms.monthly_salary is not None
        return terms.monthly_salary, hourly_pay_for_deductions(terms.monthly_salary, terms.weekly_hours, on=on)
    assert terms.hourly_wage is not None
    return _monthly_equivalent(terms, on), terms.hourly_wage


def price_hours(
    ctx: Context,
    code: TimeCode,
    terms: EmploymentTerms,
    hours: Decimal,
    rows: list[TimeRow],
    year: int,
    month: int,
    *,
    note: tuple[str, str] | None = None,
) -> PayslipLine | None:
    """The line for ``hours`` of a pay item under ``terms``, or None (and a warning) if the profile lacks it."""
    item = code.pay_item
    assert item is not None
    on = rows[0].day
    ids = unique_ids([r.source_id for r in rows])
    name_sv, name_en = ITEM_NAMES[code]
    weeks = rates_on(on).sick_pay.weeks_per_year
    monthly, hourly = hour_prices(terms, on)
    profile = ctx.profile.on(on)  # the agreement's prices in force when the hours were worked
    if terms.pay_type is PayType.MONTHLY:
        monthly_note = ("", "")
        hourly_note = (
            f" (timlön {kr(hourly, 'sv')} = {kr(monthly, 'sv')} × 12 / ({weeks} × {num(terms.weekly_hours, 'sv')} tim))",
            f" (hourly pay {kr(hourly, 'en')} = {kr(monthly, 'en')} × 12 / ({weeks} × {num(terms.weekly_hours, 'en')} h))",
        )
    else:
        monthly_note = (
            f" (månadslön motsvarande {kr(hourly, 'sv')} × {num(terms.weekly_hours, 'sv')} tim × {weeks} / 12)",
            f" (monthly salary equivalent to {kr(hourly, 'en')} × {num(terms.weekly_hours, 'en')} h × {weeks} / 12)",
        )
        hourly_note = ("", "")
    try:
        priced = pay_for_hours(profile, item, hours, monthly_salary=monthly, hourly_pay=hourly)
    except PayItemNotInAgreement:
        ctx.warn(
            "item_not_in_agreement",
            Text(
                sv=f"{name_sv} ({num(hours, 'sv')} tim, {month_label(year, month)}) ersätts inte enligt avtalsprofilen "
                f"{ctx.profile.name_sv}; timmarna betalas inte ut på den preliminära lönen. Kontakta lönekontoret.",
                en=f"{name_en} ({num(hours, 'en')} h, {month_label(year, month)}) is not paid under the agreement profile "
                f"{ctx.profile.name_en}; the hours are not on the preliminary payslip. Contact payroll.",
            ),
            ids,
        )
        return None
    comp = profile.items[item]
    if comp.monthly_divisor is not None:
        divisor = comp.monthly_divisor
        formula = (
            f"{num(hours, 'sv')} {hours_unit('sv')} × {kr(monthly, 'sv')} / {num(divisor, 'sv')}{monthly_note[0]}",
            f"{num(hours, 'en')} {hours_unit('en')} × {kr(monthly, 'en')} / {num(divisor, 'en')}{monthly_note[1]}",
        )
    else:
        assert comp.hourly_pay_share is not None
        share = comp.hourly_pay_share
        formula = (
            f"{num(hours, 'sv')} {hours_unit('sv')} × {kr(hourly, 'sv')} × {pct(share, 'sv')}{hourly_note[0]}",
            f"{num(hours, 'en')} {hours_unit('en')} × {kr(hourly, 'en')} × {pct(share, 'en')}{hourly_note[1]}",
        )
    prefix = (note[0] + " ", note[1] + " ") if note else ("", "")
    return make_line(
        code.value,
        LineGroup.ADDITIONS,
        (f"{name_sv}, {month_name(year, month, 'sv')}", f"{name_en}, {month_name(year, month, 'en')}"),
        priced.amount,
        (
            f"{prefix[0]}{formula[0]} = {kr(priced.amount, 'sv')} ({ctx.profile.name_sv}).",
            f"{prefix[1]}{formula[1]} = {kr(priced.amount, 'en')} ({ctx.profile.name_en}).",
        ),
        quantity=hours,
        unit="hours",
        rate=priced.rate_per_hour,
        source_ids=ids,
        work_period=month_label(year, month),
    )
