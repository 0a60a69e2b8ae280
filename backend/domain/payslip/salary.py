"""Salary lines: the pay month's monthly salary and hourly pay.

Retroactive pay for paid months (retro) is its own module, ``retro.py``.

Hourly pay is hours x wage. Under an agreement with a monthly overtime
threshold for hourly staff (municipal: above 165 h a month) the ordinary
hours above it are paid as simple overtime instead.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from backend.domain.money import round_ore
from backend.domain.payroll.overtime import hours_above_threshold
from backend.domain.payslip.context import Context, make_line, unique_ids
from backend.domain.payslip.inputs import EmploymentTerms, PayType, TimeCode, TimeRow
from backend.domain.payslip.model import LineGroup, PayslipLine
from backend.domain.payslip.pay_items import price_hours
from backend.domain.payslip.terms import (
    SalarySegment,
    first_day_without_terms,
    salary_segments,
)
from backend.domain.payslip.text import hours_unit, kr, month_label, month_name, num
from backend.domain.text import Text


def monthly_salary_lines(ctx: Context) -> list[PayslipLine]:
    """The pay month's fixed salary, one line per part of the month under the same terms."""
    period = ctx.inputs.period
    missing = first_day_without_terms(ctx.history, period.year, period.month)
    if missing is not None:
        ctx.warn(
            "employment_terms_missing",
            Text(
                sv=f"Anställningsvillkor (lön) saknas från {missing.isoformat()}; ingen lön beräknas för de dagarna.",
                en=f"Employment terms (pay) are missing from {missing.isoformat()}; no pay is computed for those days.",
            ),
        )
    return [
        _salary_line(ctx, s, period.year, period.month) for s in salary_segments(ctx.history, period.year, period.month)
    ]


def _rate_note(terms: EmploymentTerms, lang: str) -> str:
    if terms.employment_rate_percent == 100:
        return ""
    rate = num(terms.employment_rate_percent, lang)
    return f" (sysselsättningsgrad {rate} %)" if lang == "sv" else f" (employment rate {rate} %)"


def _salary_line(ctx: Context, segment: SalarySegment, year: int, month: int) -> PayslipLine:
    monthly = segment.monthly_salary
    label = month_label(year, month)
    if segment.whole_month:
        return make_line(
            "salary",
            LineGroup.SALARY,
            ("Månadslön", "Monthly salary"),
            segment.amount,
            ctx.explained(
                lambda: (
                    f"Månadslön för {month_name(year, month, 'sv')}: {kr(monthly, 'sv')}"
                    f"{_rate_note(segment.terms, 'sv')}.",
                    f"Monthly salary for {month_name(year, month, 'en')}: {kr(monthly, 'en')}"
                    f"{_rate_note(segment.terms, 'en')}.",
                )
            ),
            quantity=Decimal(1),
            unit="month",
            rate=monthly,
            work_period=label,
        )
    span = f"{segment.first_day.isoformat()}–{segment.last_day.isoformat()}"
    return make_line(
        "salary",
        LineGroup.SALARY,
        (f"Månadslön {span}", f"Monthly salary {span}"),
        segment.amount,
        ctx.explained(
            lambda: (
                f"{kr(monthly, 'sv')} × {segment.days} / {segment.days_in_month} dagar = {kr(segment.amount, 'sv')}"
                f" (lön för {span}, kalenderdagar){_rate_note(segment.terms, 'sv')}.",
                f"{kr(monthly, 'en')} × {segment.days} / {segment.days_in_month} days = {kr(segment.amount, 'en')}"
                f" (salary for {span}, calendar days){_rate_note(segment.terms, 'en')}.",
            )
        ),
        quantity=Decimal(segment.days),
        unit="days",
        rate=monthly,
        work_period=label,
    )


def hourly_pay_lines(ctx: Context, rows: tuple[TimeRow, ...]) -> list[PayslipLine]:
    """Ordinary hours of hourly staff: hours x wage per month and wage; hours over a threshold as overtime."""
    by_month: dict[tuple[int, int], list[TimeRow]] = defaultdict(list)
    for row in rows:
        terms = ctx.history.on(row.day)
        if row.code is TimeCode.WORK and terms is not None and terms.pay_type is PayType.HOURLY:
            by_month[(row.day.year, row.day.month)].append(row)
    lines: list[PayslipLine] = []
    for (year, month), month_rows in sorted(by_month.items()):
        total = sum((r.hours for r in month_rows), Decimal(0))
        over = hours_above_threshold(ctx.profile, total)
        ordinary: dict[EmploymentTerms, list[tuple[TimeRow, Decimal]]] = defaultdict(list)
        overtime: dict[EmploymentTerms, list[tuple[TimeRow, Decimal]]] = defaultdict(list)
        left = over
        for row in sorted(month_rows, key=lambda r: r.day, reverse=True):
            terms = ctx.history.on(row.day)
            assert terms is not None
            moved = min(left, row.hours)
            left -= moved
            if moved:
                overtime[terms].append((row, moved))
            if row.hours - moved:
                ordinary[terms].append((row, row.hours - moved))
        for terms, items in ordinary.items():
            lines.append(_hourly_line(terms, items, year, month))
        for terms, items in overtime.items():
            lines.extend(_threshold_overtime(ctx, terms, items, year, month, total))
    return lines


def _hourly_line(terms: EmploymentTerms, items: list[tuple[TimeRow, Decimal]], year: int, month: int) -> PayslipLine:
    assert terms.hourly_wage is not None
    wage = terms.hourly_wage
    hours = sum((h for _, h in items), Decimal(0))
    amount = round_ore(hours * wage)
    return make_line(
        "hourly_pay",
        LineGroup.SALARY,
        (f"Timlön, {month_name(year, month, 'sv')}", f"Hourly pay, {month_name(year, month, 'en')}"),
        amount,
        (
            f"{num(hours, 'sv')} {hours_unit('sv')} × {kr(wage, 'sv')} = {kr(amount, 'sv')}.",
            f"{num(hours, 'en')} {hours_unit('en')} × {kr(wage, 'en')} = {kr(amount, 'en')}.",
        ),
        quantity=hours,
        unit="hours",
        rate=wage,
        source_ids=unique_ids([r.source_id for r, _ in sorted(items, key=lambda i: i[0].day)]),
        work_period=month_label(year, month),
    )


def _threshold_overtime(
    ctx: Context,
    terms: EmploymentTerms,
    items: list[tuple[TimeRow, Decimal]],
    year: int,
    month: int,
    total: Decimal,
) -> list[PayslipLine]:
    hours = sum((h for _, h in items), Decimal(0))
    threshold = ctx.profile.overtime_threshold_hours_per_month
    note = (
        f"{num(total, 'sv')} tim arbetade i {month_name(year, month, 'sv')}; timmar över {num(threshold or 0, 'sv')} "
        f"tim i månaden är övertid enligt avtalet ({ctx.profile.name_sv}).",
        f"{num(total, 'en')} h worked in {month_name(year, month, 'en')}; hours above {num(threshold or 0, 'en')} h "
        f"a month are overtime under the agreement ({ctx.profile.name_en}).",
    )
    rows = [r for r, _ in sorted(items, key=lambda i: i[0].day)]
    line = price_hours(ctx, TimeCode.SIMPLE_OVERTIME, terms, hours, rows, year, month, note=note)
    return [line] if line is not None else []
