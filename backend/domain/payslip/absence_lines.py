"""Absence lines: sick leave (sick pay, karensavdrag, day 15 onwards), vacation, VAB, parental and unpaid leave.

The rules are in ``payroll/absence.py`` and ``payroll/vacation.py``; this
module only decides which hours go where and explains the result.

Sick leave, monthly staff: the lost hours are deducted at the hourly pay for
deductions (monthly x 12 / (52 x weekly hours)); sick pay (80 %) is added back
for days 1-14 of the sick-pay period; the karensavdrag (0.2 x 0.8 x weekly pay)
is deducted once per new spell, but not for a spell within 5 days of the last
one and not beyond 10 in 12 months (``assess_sick_periods``). From day 15 the
employer pays no sick pay (Försäkringskassan pays sickness benefit): the hours
are only deducted. Hourly staff are not paid for the hours they were sick, so
there is nothing to deduct: they get the sick pay, less the karensavdrag.

Sick periods are rebuilt from the day rows: consecutive sick days form one
period, and so do sick days separated only by days with no reported time at all
(weekends, holidays, days off): ``continues_spell`` in ``payroll/absence.py``, the
one rule the time week's hint and the payroll export use too. The same joins the
first new period to the last spell paid on an earlier payslip. The karensavdrag is at most the
sick pay of its sick-pay period on this payslip (it is a deduction from sick
pay and cannot exceed it).

Vacation, monthly staff: the salary continues (same-pay rule) and the vacation
supplement is paid per vacation day (each day with a vacation row is one day).
Hourly staff get vacation pay by the percentage rule (semesterersättning, 12 %
in 2026, from the rates file) on their pay for work, paid on every payslip as a
line of its own (the common practice for hourly staff); their vacation days
themselves are unpaid, so they make no line.

Absence days come from approved time weeks and approved leave requests alike
(``leave.time_with_leave``: each day and code once).

VAB, parental leave and unpaid leave, monthly staff: the hours are deducted at
the hourly pay for deductions. The shipped agreement profiles set no own rule
for these, so every profile uses the rates-2026.md formula (``absence_deduction``).

A month's absence deductions never exceed that month's salary (assumption:
hour-based deductions for a whole month absent can add up to more than the
monthly salary; the excess is given back on an adjustment line).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from backend.domain.money import round_ore
from backend.domain.payroll.absence import (
    SickPeriod,
    SpellAssessment,
    absence_deduction,
    assess_sick_periods,
    continues_spell,
    hourly_pay_for_deductions,
    karensavdrag,
    karensavdrag_for_weekly_pay,
    sick_pay,
    sick_pay_for_hours,
    sick_periods_of,
)
from backend.domain.payroll.errors import VacationSupplementBelowMinimum
from backend.domain.payroll.vacation import supplement_rate, vacation_pay_percentage_rule, vacation_supplement
from backend.domain.payslip.context import Context, make_line, unique_ids
from backend.domain.payslip.inputs import EarlierSickSpell, EmploymentTerms, PayType, TimeCode, TimeRow
from backend.domain.payslip.model import LineGroup, PayslipLine
from backend.domain.payslip.selection import TimeSelection
from backend.domain.payslip.terms import fixed_salary_for_month, last_day_of
from backend.domain.payslip.text import days_unit, hours_unit, kr, month_label, month_name, num, pct
from backend.domain.rates import SickPayRates, rates_on
from backend.domain.text import Text

DEDUCTION_CODES = frozenset(
    {"sick_deduction", "sick_deduction_day_15", "vab_deduction", "parental_leave_deduction", "unpaid_leave_deduction"}
)

_LEAVE = {
    TimeCode.VAB: (
        "vab_deduction",
        ("Vård av barn (VAB)", "Care of a sick child (VAB)"),
        (
            "Tillfällig föräldrapenning söks hos Försäkringskassan.",
            "Temporary parental benefit is claimed from Försäkringskassan.",
        ),
    ),
    TimeCode.PARENTAL_LEAVE: (
        "parental_leave_deduction",
        ("Föräldraledighet", "Parental leave"),
        ("Föräldrapenning söks hos Försäkringskassan.", "Parental benefit is claimed from Försäkringskassan."),
    ),
    TimeCode.UNPAID_LEAVE: (
        "unpaid_leave_deduction",
        ("Tjänstledighet utan lön", "Unpaid leave"),
        ("Ledigheten är utan lön.", "The leave is unpaid."),
    ),
}


def absence_lines(ctx: Context, selection: TimeSelection) -> list[PayslipLine]:
    lines = _sick_lines(ctx, selection.paid, selection.reported_days)
    lines += _vacation_lines(ctx, selection.paid)
    lines += _leave_lines(ctx, selection.paid)
    lines += _hourly_leave_lines(ctx, selection.paid)
    lines += _deduction_cap_lines(ctx, lines)
    return lines


_HOURLY_LEAVE = {
    TimeCode.VACATION: (
        ("Semester", "Vacation"),
        (
            "Semesterdagar är obetalda för timavlönade: semesterersättningen betalas med varje lön.",
            "Vacation days are unpaid for hourly staff: vacation pay comes with every pay.",
        ),
    ),
    **{
        code: (names, ("Timavlönad: ingen lön för timmarna.", "Hourly paid: no pay for the hours."))
        for code, (_, names, _) in _LEAVE.items()
    },
}


def _hourly_leave_lines(ctx: Context, rows: tuple[TimeRow, ...]) -> list[PayslipLine]:
    """Hourly staff's leave days, shown at 0 kr: the employee sees them counted, and the run settles them."""
    groups: dict[tuple[TimeCode, int, int], list[TimeRow]] = defaultdict(list)
    for row in rows:
        terms = ctx.history.on(row.day)
        if row.code in _HOURLY_LEAVE and terms is not None and terms.pay_type is PayType.HOURLY:
            groups[(row.code, row.day.year, row.day.month)].append(row)
    lines = []
    for (code, year, month), group in groups.items():
        (name_sv, name_en), (note_sv, note_en) = _HOURLY_LEAVE[code]
        days = sorted({r.day for r in group})
        count = Decimal(len(days))
        span = _span(days)
        lines.append(
            make_line(
                "leave_hourly",
                LineGroup.DEDUCTIONS,
                (f"{name_sv} {span}", f"{name_en} {span}"),
                Decimal("0.00"),
                (
                    f"{num(count, 'sv')} {days_unit(count, 'sv')}. {note_sv}",
                    f"{num(count, 'en')} {days_unit(count, 'en')}. {note_en}",
                ),
                quantity=count,
                unit="days",
                taxable=False,
                source_ids=unique_ids([r.source_id for r in group]),
                work_period=month_label(year, month),
            )
        )
    return lines


def _span(days: list[date]) -> str:
    first, last = min(days), max(days)
    return first.isoformat() if first == last else f"{first.isoformat()}–{last.isoformat()}"


def _hourly_formula(terms: EmploymentTerms, hours: Decimal, weeks: int, lang: str) -> str:
    assert terms.monthly_salary is not None
    h = hours_unit(lang)
    return (
        f"{kr(terms.monthly_salary, lang)} × 12 / ({weeks} × {num(terms.weekly_hours, lang)} {h})"
        f" × {num(hours, lang)} {h}"
    )


# --- sick leave -------------------------------------------------------------------------------


def _sick_lines(ctx: Context, rows: tuple[TimeRow, ...], reported_days: frozenset[date]) -> list[PayslipLine]:
    history = sorted(ctx.inputs.earlier_sick_spells, key=lambda s: s.first_day)
    sick: list[TimeRow] = []
    already: list[str] = []
    for row in rows:
        if row.code is not TimeCode.SICK:
            continue
        if any(s.first_day <= row.day <= s.last_day for s in history):
            already.append(row.source_id)
        else:
            sick.append(row)
    if already:
        ctx.warn(
            "sick_day_already_paid",
            Text(
                sv="Sjukdagar som redan ingår i en betald sjukperiod räknas inte igen; en rättelse görs av lönekontoret.",
                en="Sick days already within a paid sick spell are not counted again; payroll makes any correction.",
            ),
            unique_ids(already),
        )
    if not sick:
        return []
    paid_days = {s.first_day + timedelta(days=i) for s in history for i in range((s.last_day - s.first_day).days + 1)}
    blocked = reported_days | paid_days  # a gap with reported time or an already paid spell splits periods
    periods = sick_periods_of((r.day for r in sick), blocked)
    previous: EarlierSickSpell | None = None
    for spell in history:
        if spell.last_day < periods[0].first_day:
            previous = spell
    if previous is not None and continues_spell(previous.last_day, periods[0].first_day, blocked):
        periods[0] = SickPeriod(previous.last_day + timedelta(days=1), periods[0].last_day)
    assessments = assess_sick_periods(
        periods,
        earlier_karens_days=[s.first_day for s in history if s.karens],
        previous_period=SickPeriod(previous.first_day, previous.last_day) if previous is not None else None,
        previous_last_day_number=previous.last_day_number if previous is not None else 0,
    )
    ctx.sick_spells.extend(
        EarlierSickSpell(a.period.first_day, a.period.last_day, a.karens, a.first_day_number) for a in assessments
    )
    lines: list[PayslipLine] = []
    chain_sick_pay = Decimal(0)
    pending_karens: tuple[SpellAssessment, list[TimeRow]] | None = None
    for assessment in assessments:
        if not assessment.continues_previous:
            lines += _karens_lines(ctx, pending_karens, chain_sick_pay)
            chain_sick_pay, pending_karens = Decimal(0), None
        spell_rows = [r for r in sick if assessment.period.first_day <= r.day <= assessment.period.last_day]
        if assessment.karens:
            pending_karens = (assessment, spell_rows)
        spell_lines = _spell_lines(ctx, assessment, spell_rows)
        chain_sick_pay += sum((line.amount for line in spell_lines if line.code == "sick_pay"), Decimal(0))
        lines += spell_lines
    lines += _karens_lines(ctx, pending_karens, chain_sick_pay)
    return lines


def _spell_lines(ctx: Context, assessment: SpellAssessment, rows: list[TimeRow]) -> list[PayslipLine]:
    employer_days = set(assessment.employer_days)
    groups: dict[tuple[int, int, EmploymentTerms, bool], list[TimeRow]] = defaultdict(list)
    for row in rows:
        terms = ctx.history.on(row.day)
        assert terms is not None
        groups[(row.day.year, row.day.month, terms, row.day in employer_days)].append(row)
    lines: list[PayslipLine] = []
    for (year, month, terms, employer), group in groups.items():
        numbers = [assessment.first_day_number + (r.day - assessment.period.first_day).days for r in group]
        lines += _sick_group_lines(ctx, assessment, terms, employer, group, numbers, year, month)
    return lines


def _sick_group_lines(
    ctx: Context,
    assessment: SpellAssessment,
    terms: EmploymentTerms,
    employer: bool,
    rows: list[TimeRow],
    numbers: list[int],
    year: int,
    month: int,
) -> list[PayslipLine]:
    on = rows[0].day
    rates = rates_on(on).sick_pay
    hours = sum((r.hours for r in rows), Decimal(0))
    days = [r.day for r in rows]
    span = _span(days)
    day_range = f"{min(numbers)}" if min(numbers) == max(numbers) else f"{min(numbers)}–{max(numbers)}"
    ids = unique_ids([r.source_id for r in rows])
    period = month_label(year, month)
    lines: list[PayslipLine] = []
    if terms.pay_type is PayType.MONTHLY:
        assert terms.monthly_salary is not None
        hourly = hourly_pay_for_deductions(terms.monthly_salary, terms.weekly_hours, on=on)
        deduction = absence_deduction(terms.monthly_salary, terms.weekly_hours, hours, on=on)
        if employer:
            text = (f"Sjukfrånvaro {span}", f"Sick leave {span}")
            why = ("", "")
            code = "sick_deduction"
        else:
            text = (
                f"Sjukfrånvaro från dag {rates.employer_period_days + 1}, {span}",
                f"Sick leave from day {rates.employer_period_days + 1}, {span}",
            )
            why = (
                f" Dag {day_range} i sjukperioden: från dag {rates.employer_period_days + 1} betalar arbetsgivaren "
                "ingen sjuklön; sjukpenning söks hos Försäkringskassan.",
                f" Day {day_range} of the sick-pay period: from day {rates.employer_period_days + 1} the employer "
                "pays no sick pay; sickness benefit is claimed from Försäkringskassan.",
            )
            code = "sick_deduction_day_15"
        lines.append(
            make_line(
                code,
                LineGroup.DEDUCTIONS,
                text,
                -deduction,
                (
                    f"Avdrag för {num(hours, 'sv')} sjuktimmar: {_hourly_formula(terms, hours, rates.weeks_per_year, 'sv')}"
                    f" = {kr(deduction, 'sv')} (timlön för avdrag {kr(hourly, 'sv')}).{why[0]}",
                    f"Deduction for {num(hours, 'en')} hours sick: "
                    f"{_hourly_formula(terms, hours, rates.weeks_per_year, 'en')}"
                    f" = {kr(deduction, 'en')} (hourly pay for deductions {kr(hourly, 'en')}).{why[1]}",
                ),
                quantity=hours,
                unit="hours",
                rate=hourly,
                source_ids=ids,
                work_period=period,
            )
        )
        if employer:
            amount = sick_pay_for_hours(terms.monthly_salary, terms.weekly_hours, hours, on=on)
            formula = (
                f"{pct(rates.sick_pay_rate, 'sv')} × {_hourly_formula(terms, hours, rates.weeks_per_year, 'sv')}",
                f"{pct(rates.sick_pay_rate, 'en')} × {_hourly_formula(terms, hours, rates.weeks_per_year, 'en')}",
            )
            lines.append(
                _sick_pay_line(assessment, amount, formula, hours, hourly, day_range, span, ids, period, rates)
            )
        return lines
    assert terms.hourly_wage is not None
    wage = terms.hourly_wage
    if employer:
        amount = sick_pay(hours * wage, on=on)
        formula = (
            f"{pct(rates.sick_pay_rate, 'sv')} × {num(hours, 'sv')} tim × {kr(wage, 'sv')}",
            f"{pct(rates.sick_pay_rate, 'en')} × {num(hours, 'en')} h × {kr(wage, 'en')}",
        )
        lines.append(_sick_pay_line(assessment, amount, formula, hours, wage, day_range, span, ids, period, rates))
    else:
        lines.append(
            make_line(
                "sick_day_15",
                LineGroup.DEDUCTIONS,
                (
                    f"Sjukfrånvaro från dag {rates.employer_period_days + 1}, {span}",
                    f"Sick leave from day {rates.employer_period_days + 1}, {span}",
                ),
                Decimal("0.00"),
                (
                    f"Dag {day_range} i sjukperioden ({num(hours, 'sv')} tim): från dag "
                    f"{rates.employer_period_days + 1} betalar arbetsgivaren ingen sjuklön; sjukpenning söks hos "
                    "Försäkringskassan.",
                    f"Day {day_range} of the sick-pay period ({num(hours, 'en')} h): from day "
                    f"{rates.employer_period_days + 1} the employer pays no sick pay; sickness benefit is claimed "
                    "from Försäkringskassan.",
                ),
                quantity=hours,
                unit="hours",
                taxable=False,
                source_ids=ids,
                work_period=period,
            )
        )
    return lines


def _sick_pay_line(
    assessment: SpellAssessment,
    amount: Decimal,
    formula: tuple[str, str],
    hours: Decimal,
    hourly: Decimal,
    day_range: str,
    span: str,
    ids: tuple[str, ...],
    period: str,
    rates: SickPayRates,
) -> PayslipLine:
    share = rates.sick_pay_rate
    return make_line(
        "sick_pay",
        LineGroup.ADDITIONS,
        (f"Sjuklön {pct(share, 'sv')}, {span}", f"Sick pay {pct(share, 'en')}, {span}"),
        amount,
        (
            f"Sjuklön för dag {day_range} i sjukperioden: {formula[0]} = {kr(amount, 'sv')}. "
            f"{assessment.explanation_sv}",
            f"Sick pay for day {day_range} of the sick-pay period: {formula[1]} = {kr(amount, 'en')}. "
            f"{assessment.explanation_en}",
        ),
        quantity=hours,
        unit="hours",
        rate=round_ore(hourly * share),
        source_ids=ids,
        work_period=period,
    )


def _karens_lines(
    ctx: Context, pending: tuple[SpellAssessment, list[TimeRow]] | None, chain_sick_pay: Decimal
) -> list[PayslipLine]:
    if pending is None:
        return []
    assessment, rows = pending
    first = min(rows, key=lambda r: r.day)
    terms = ctx.history.on(first.day)
    assert terms is not None
    on = assessment.period.first_day
    rates = rates_on(on).sick_pay
    k, s = num(rates.karens_share_of_weekly_sick_pay, "sv"), num(rates.sick_pay_rate, "sv")
    k_en, s_en = num(rates.karens_share_of_weekly_sick_pay, "en"), num(rates.sick_pay_rate, "en")
    if terms.pay_type is PayType.MONTHLY:
        assert terms.monthly_salary is not None
        full = karensavdrag(terms.monthly_salary, on=on)
        formula = (
            f"{kr(terms.monthly_salary, 'sv')} × 12 / {rates.weeks_per_year} × {k} × {s} = {kr(full, 'sv')}",
            f"{kr(terms.monthly_salary, 'en')} × 12 / {rates.weeks_per_year} × {k_en} × {s_en} = {kr(full, 'en')}",
        )
    else:
        assert terms.hourly_wage is not None
        full = karensavdrag_for_weekly_pay(terms.hourly_wage * terms.weekly_hours, on=on)
        formula = (
            f"{kr(terms.hourly_wage, 'sv')} × {num(terms.weekly_hours, 'sv')} tim × {k} × {s} = {kr(full, 'sv')}",
            f"{kr(terms.hourly_wage, 'en')} × {num(terms.weekly_hours, 'en')} h × {k_en} × {s_en} = {kr(full, 'en')}",
        )
    share_sv = pct(rates.karens_share_of_weekly_sick_pay, "sv")
    share_en = pct(rates.karens_share_of_weekly_sick_pay, "en")
    amount = min(full, chain_sick_pay)
    if amount <= 0:
        return []
    capped = (
        (
            f" Avdraget begränsas till sjuklönen i sjukperioden, {kr(amount, 'sv')}.",
            f" The deduction is limited to the sick pay of the sick-pay period, {kr(amount, 'en')}.",
        )
        if amount < full
        else ("", "")
    )
    return [
        make_line(
            "karens",
            LineGroup.DEDUCTIONS,
            (
                f"Karensavdrag, sjukperiod från {assessment.period.first_day.isoformat()}",
                f"Qualifying deduction (karensavdrag), sick spell from {assessment.period.first_day.isoformat()}",
            ),
            -amount,
            (
                f"Karensavdrag ({share_sv} av en genomsnittlig veckas sjuklön): {formula[0]}.{capped[0]}",
                f"Qualifying deduction ({share_en} of an average week's sick pay): {formula[1]}.{capped[1]}",
            ),
            quantity=Decimal(1),
            unit="items",
            rate=full,
            source_ids=(first.source_id,),
            work_period=month_label(first.day.year, first.day.month),
        )
    ]


# --- vacation ---------------------------------------------------------------------------------


def _vacation_lines(ctx: Context, rows: tuple[TimeRow, ...]) -> list[PayslipLine]:
    groups: dict[tuple[int, int, EmploymentTerms], list[TimeRow]] = defaultdict(list)
    for row in rows:
        if row.code is not TimeCode.VACATION:
            continue
        terms = ctx.history.on(row.day)
        assert terms is not None
        if terms.pay_type is PayType.MONTHLY:  # hourly staff: paid through the vacation pay line
            groups[(row.day.year, row.day.month, terms)].append(row)
    lines = []
    for (year, month, terms), group in groups.items():
        lines.append(_supplement_line(ctx, terms, group, year, month))
    return lines


def _supplement_line(ctx: Context, terms: EmploymentTerms, rows: list[TimeRow], year: int, month: int) -> PayslipLine:
    assert terms.monthly_salary is not None
    days = sorted({r.day for r in rows})
    count = Decimal(len(days))
    on = days[0]
    override = ctx.inputs.settings.vacation_supplement_rate
    if override is not None:
        rate = override
        source = ("arbetsgivarens sats", "the employer's rate")
    elif ctx.profile.vacation_supplement_rate is not None:
        rate = supplement_rate(ctx.profile, on=on)
        source = (f"avtalsprofil {ctx.profile.name_sv}", f"agreement profile {ctx.profile.name_en}")
    else:
        rate = supplement_rate(ctx.profile, on=on)
        source = ("semesterlagens minimum", "the legal minimum (Semesterlagen)")
    try:
        supplement = vacation_supplement(terms.monthly_salary, count, on=on, rate=rate)
    except VacationSupplementBelowMinimum:
        supplement = vacation_supplement(terms.monthly_salary, count, on=on)
        source = ("semesterlagens minimum", "the legal minimum (Semesterlagen)")
        ctx.warn(
            "vacation_supplement_below_minimum",
            Text(
                sv=f"Arbetsgivarens semestertillägg {pct(rate, 'sv')} är lägre än lagens minimum; minimum används.",
                en=f"The employer's vacation supplement {pct(rate, 'en')} is below the legal minimum; the minimum is used.",
            ),
        )
    per_day = round_ore(supplement.monthly_salary * supplement.rate)
    span = _span(days)
    return make_line(
        "vacation_supplement",
        LineGroup.ADDITIONS,
        (f"Semestertillägg, {month_name(year, month, 'sv')}", f"Vacation supplement, {month_name(year, month, 'en')}"),
        supplement.amount,
        (
            f"Semester {num(count, 'sv')} {days_unit(count, 'sv')} ({span}): månadslönen betalas som vanligt "
            f"(sammalöneregeln). Semestertillägg: {kr(terms.monthly_salary, 'sv')} × {pct(supplement.rate, 'sv')} × "
            f"{num(count, 'sv')} {days_unit(count, 'sv')} = {kr(supplement.amount, 'sv')} ({source[0]}).",
            f"Vacation {num(count, 'en')} {days_unit(count, 'en')} ({span}): the monthly salary continues "
            f"(same-pay rule). Vacation supplement: {kr(terms.monthly_salary, 'en')} × {pct(supplement.rate, 'en')} × "
            f"{num(count, 'en')} {days_unit(count, 'en')} = {kr(supplement.amount, 'en')} ({source[1]}).",
        ),
        quantity=count,
        unit="days",
        rate=per_day,
        source_ids=unique_ids([r.source_id for r in rows]),
        work_period=month_label(year, month),
    )


VACATION_EARNING_CODES = frozenset({"hourly_pay"} | {code.value for code in TimeCode if code.pay_item is not None})
"""Pay for work that earns vacation pay: the hours and the agreement's OB, overtime and mertid."""


def vacation_pay_lines(ctx: Context, lines: list[PayslipLine]) -> list[PayslipLine]:
    """Semesterersättning for hourly staff: the percentage rule on each month's pay for work.

    Only months with hourly pay (a monthly salaried employee's OB and overtime are covered by
    the same-pay rule and the supplement). 100 h x 185 kr = 18 500 kr; 12 % = 2 220 kr.
    """
    hourly_months = {line.work_period for line in lines if line.code == "hourly_pay" and line.work_period}
    basis: dict[str, list[PayslipLine]] = defaultdict(list)
    for line in lines:
        if line.code in VACATION_EARNING_CODES and line.work_period in hourly_months:
            basis[line.work_period].append(line)
    result = []
    for label, earning in sorted(basis.items()):
        year, month = int(label[:4]), int(label[5:])
        on = last_day_of(year, month)
        total = sum((line.amount for line in earning), Decimal(0))
        amount = vacation_pay_percentage_rule(total, on=on)
        rate = rates_on(on).vacation.percentage_rule_rate
        parts_sv = " + ".join(f"{line.text_sv} {kr(line.amount, 'sv')}" for line in earning)
        parts_en = " + ".join(f"{line.text_en} {kr(line.amount, 'en')}" for line in earning)
        result.append(
            make_line(
                "vacation_pay",
                LineGroup.ADDITIONS,
                (
                    f"Semesterersättning {pct(rate, 'sv')}, {month_name(year, month, 'sv')}",
                    f"Vacation pay {pct(rate, 'en')}, {month_name(year, month, 'en')}",
                ),
                amount,
                (
                    f"Timavlönad: semesterersättning enligt procentregeln betalas med varje lön. "
                    f"{pct(rate, 'sv')} × {kr(total, 'sv')} ({parts_sv}) = {kr(amount, 'sv')}. "
                    "Semesterdagar är därför obetalda.",
                    f"Hourly paid: vacation pay by the percentage rule is paid with every pay. "
                    f"{pct(rate, 'en')} × {kr(total, 'en')} ({parts_en}) = {kr(amount, 'en')}. "
                    "Vacation days are therefore unpaid.",
                ),
                source_ids=unique_ids([sid for line in earning for sid in line.source_ids]),
                work_period=label,
            )
        )
    return result


# --- VAB, parental leave, unpaid leave --------------------------------------------------------


def _leave_lines(ctx: Context, rows: tuple[TimeRow, ...]) -> list[PayslipLine]:
    groups: dict[tuple[TimeCode, int, int, EmploymentTerms], list[TimeRow]] = defaultdict(list)
    for row in rows:
        if row.code not in _LEAVE:
            continue
        terms = ctx.history.on(row.day)
        assert terms is not None
        if terms.pay_type is PayType.MONTHLY:  # hourly staff are simply not paid for the hours
            groups[(row.code, row.day.year, row.day.month, terms)].append(row)
    lines = []
    for (code, year, month, terms), group in groups.items():
        assert terms.monthly_salary is not None
        line_code, (name_sv, name_en), (note_sv, note_en) = _LEAVE[code]
        on = group[0].day
        weeks = rates_on(on).sick_pay.weeks_per_year
        hours = sum((r.hours for r in group), Decimal(0))
        hourly = hourly_pay_for_deductions(terms.monthly_salary, terms.weekly_hours, on=on)
        deduction = absence_deduction(terms.monthly_salary, terms.weekly_hours, hours, on=on)
        span = _span([r.day for r in group])
        lines.append(
            make_line(
                line_code,
                LineGroup.DEDUCTIONS,
                (f"{name_sv} {span}", f"{name_en} {span}"),
                -deduction,
                (
                    f"Avdrag för {num(hours, 'sv')} tim: {_hourly_formula(terms, hours, weeks, 'sv')} = "
                    f"{kr(deduction, 'sv')} (timlön för avdrag {kr(hourly, 'sv')}). {note_sv}",
                    f"Deduction for {num(hours, 'en')} h: {_hourly_formula(terms, hours, weeks, 'en')} = "
                    f"{kr(deduction, 'en')} (hourly pay for deductions {kr(hourly, 'en')}). {note_en}",
                ),
                quantity=hours,
                unit="hours",
                rate=hourly,
                source_ids=unique_ids([r.source_id for r in group]),
                work_period=month_label(year, month),
            )
        )
    return lines


def _deduction_cap_lines(ctx: Context, lines: list[PayslipLine]) -> list[PayslipLine]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    ids: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.code in DEDUCTION_CODES and line.work_period is not None:
            totals[line.work_period] -= line.amount
            ids[line.work_period] += line.source_ids
    result = []
    for label, total in sorted(totals.items()):
        year, month = int(label[:4]), int(label[5:])
        salary = fixed_salary_for_month(ctx.history, year, month)
        if total <= salary:
            continue
        excess = total - salary
        result.append(
            make_line(
                "absence_deduction_cap",
                LineGroup.DEDUCTIONS,
                (f"Justering frånvaroavdrag {label}", f"Absence deduction adjustment {label}"),
                excess,
                (
                    f"Frånvaroavdragen för {month_name(year, month, 'sv')} ({kr(total, 'sv')}) är större än "
                    f"månadens lön ({kr(salary, 'sv')}); avdraget begränsas till lönen: {kr(total, 'sv')} − "
                    f"{kr(salary, 'sv')} = {kr(excess, 'sv')} återförs.",
                    f"The absence deductions for {month_name(year, month, 'en')} ({kr(total, 'en')}) are more than "
                    f"the month's salary ({kr(salary, 'en')}); the deduction is limited to the salary: "
                    f"{kr(total, 'en')} − {kr(salary, 'en')} = {kr(excess, 'en')} is given back.",
                ),
                source_ids=unique_ids(ids[label]),
                work_period=label,
            )
        )
    return result
