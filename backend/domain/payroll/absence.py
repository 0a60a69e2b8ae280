"""Sick pay (sjuklön), the qualifying deduction (karensavdrag) and absence deductions.

Rules (figures from the year's ``sick_pay`` rates, picked by the date given):

* sick pay is 80 % of the lost pay for days 1-14 of a sick-pay period;
* karensavdrag = 20 % of an average week's sick pay = 0.2 x 0.8 x weekly pay,
  weekly pay = monthly salary x 12 / 52;
* a new spell starting within 5 days after the last one ended continues it
  (same day count, no new karensavdrag);
* at most 10 karensavdrag in 12 months; later spells get none;
* hourly pay for deductions = monthly salary x 12 / (52 x weekly hours).

Amounts are computed exactly and rounded once, to öre, an exact half up.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from backend.domain.errors import InvalidValue
from backend.domain.money import Number, as_decimal, format_sek, round_ore, to_fraction
from backend.domain.payroll.errors import non_negative
from backend.domain.rates import SickPayRates, rates_on
from backend.domain.text import Text


def _positive(value: Number, field: str) -> Fraction:
    frac = to_fraction(as_decimal(value, field=field))
    if frac <= 0:
        raise InvalidValue(Text(sv=f"{field} måste vara större än noll.", en=f"{field} must be positive."), field=field)
    return frac


def _non_negative(value: Number, field: str) -> Fraction:
    return to_fraction(non_negative(value, field))


def _weekly_pay(monthly: Fraction, rates: SickPayRates) -> Fraction:
    return monthly * 12 / rates.weeks_per_year


def weekly_pay(monthly_salary: Number, *, on: date) -> Decimal:
    """Average weekly pay = monthly x 12 / 52 (rounded to öre for display)."""
    rates = rates_on(on).sick_pay
    return round_ore(_weekly_pay(_non_negative(monthly_salary, "monthly_salary"), rates))


def _karens(weekly: Fraction, rates: SickPayRates) -> Decimal:
    return round_ore(Fraction(rates.karens_share_of_weekly_sick_pay) * Fraction(rates.sick_pay_rate) * weekly)


def karensavdrag(monthly_salary: Number, *, on: date) -> Decimal:
    """Qualifying deduction: 0.2 x 0.8 x monthly x 12 / 52. 30,000/month -> 1,107.69."""
    rates = rates_on(on).sick_pay
    return _karens(_weekly_pay(_non_negative(monthly_salary, "monthly_salary"), rates), rates)


def karensavdrag_for_weekly_pay(weekly_pay: Number, *, on: date) -> Decimal:
    """Qualifying deduction from an average week's pay: 0.2 x 0.8 x weekly pay.

    For hourly staff, whose week is hourly wage x average weekly hours and has
    no monthly salary to start from.
    """
    rates = rates_on(on).sick_pay
    return _karens(_non_negative(weekly_pay, "weekly_pay"), rates)


def _hourly(monthly: Fraction, weekly_hours: Fraction, rates: SickPayRates) -> Fraction:
    return monthly * 12 / (rates.weeks_per_year * weekly_hours)


def hourly_pay_for_deductions(monthly_salary: Number, weekly_hours: Number, *, on: date) -> Decimal:
    """Monthly x 12 / (52 x weekly hours), rounded to öre (40 h/week: monthly / 173.33...).

    Use ``absence_deduction`` / ``sick_pay_for_hours`` for amounts: they
    multiply the exact hourly pay and round once.
    """
    rates = rates_on(on).sick_pay
    return round_ore(
        _hourly(_non_negative(monthly_salary, "monthly_salary"), _positive(weekly_hours, "weekly_hours"), rates)
    )


def absence_deduction(monthly_salary: Number, weekly_hours: Number, hours: Number, *, on: date) -> Decimal:
    """Salary deducted for ``hours`` of absence: exact hourly pay x hours, rounded to öre."""
    rates = rates_on(on).sick_pay
    hourly = _hourly(_non_negative(monthly_salary, "monthly_salary"), _positive(weekly_hours, "weekly_hours"), rates)
    return round_ore(hourly * _non_negative(hours, "hours"))


def sick_pay(lost_pay: Number, *, on: date) -> Decimal:
    """Sick pay for days 1-14: 80 % of the pay lost."""
    rates = rates_on(on).sick_pay
    return round_ore(Fraction(rates.sick_pay_rate) * _non_negative(lost_pay, "lost_pay"))


def sick_pay_for_hours(monthly_salary: Number, weekly_hours: Number, hours: Number, *, on: date) -> Decimal:
    """80 % of the exact hourly pay x the sick hours, rounded to öre."""
    rates = rates_on(on).sick_pay
    hourly = _hourly(_non_negative(monthly_salary, "monthly_salary"), _positive(weekly_hours, "weekly_hours"), rates)
    return round_ore(Fraction(rates.sick_pay_rate) * hourly * _non_negative(hours, "hours"))


@dataclass(frozen=True)
class SickPeriod:
    """Consecutive calendar days of sickness as reported (first and last day inclusive)."""

    first_day: date
    last_day: date


UNREPORTED_GAP_MAX_DAYS = 4
"""At most this many days with nothing reported (a weekend, a holiday, a day off) may lie inside one spell."""


def continues_spell(last: date, day: date, reported: Collection[date] = frozenset()) -> bool:
    """Whether the sick day ``day`` goes on with the spell whose last sick day is ``last``.

    The one rule of the time week's hint, the payroll export and the payslip: the sick-pay period
    counts calendar days, and time is reported for the days one works, so a spell goes on over days
    with nothing reported (weekends, holidays, days off; at most ``UNREPORTED_GAP_MAX_DAYS``) and
    ends at a day with anything else reported (work, another absence) or already paid in a spell
    (``reported``) (assumption).
    """
    between = (day - last).days - 1
    if between < 0 or between > UNREPORTED_GAP_MAX_DAYS:
        return False
    return not any(last + timedelta(days=i) in reported for i in range(1, between + 1))


def sick_periods_of(sick_days: Iterable[date], reported: Collection[date] = frozenset()) -> list[SickPeriod]:
    """The sick days as periods, joined by ``continues_spell`` (``reported``: the days with anything
    else reported, or already within a paid spell)."""
    ordered = sorted(set(sick_days))
    if not ordered:
        return []
    periods: list[SickPeriod] = []
    first = last = ordered[0]
    for day in ordered[1:]:
        if continues_spell(last, day, reported):
            last = day
            continue
        periods.append(SickPeriod(first, last))
        first = last = day
    periods.append(SickPeriod(first, last))
    return periods


class OverlappingSickPeriods(InvalidValue):
    code = "absence.overlapping_sick_periods"


@dataclass(frozen=True)
class SpellAssessment:
    """How one reported period is treated."""

    period: SickPeriod
    continues_previous: bool
    karens: bool
    karens_skipped_because: str | None  # "relapse" | "karens_limit" | None
    first_day_number: int  # day number within the sick-pay period (continues after a relapse)
    employer_days: tuple[date, ...]  # day numbers up to the employer period (14): sick pay
    after_employer_period: tuple[date, ...]  # day 15 onwards: not the employer's sick pay
    explanation_en: str
    explanation_sv: str


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def assess_sick_periods(
    periods: Sequence[SickPeriod],
    *,
    earlier_karens_days: Sequence[date] = (),
    previous_period: SickPeriod | None = None,
    previous_last_day_number: int = 0,
) -> tuple[SpellAssessment, ...]:
    """Apply the relapse (5-day) rule, the day count and the 10-karens limit to reported periods.

    ``earlier_karens_days`` are first days of earlier spells that had a
    karensavdrag (history before ``periods``). The 12 months are the year
    before the new spell's first day (that day one year earlier excluded).
    ``previous_period`` is the last spell already assessed (e.g. paid on an
    earlier payslip) and ``previous_last_day_number`` its last day's number in
    its sick-pay period, so the relapse rule and the day count carry over.
    """
    ordered = sorted(periods, key=lambda p: p.first_day)
    karens_days = sorted(earlier_karens_days)
    result: list[SpellAssessment] = []
    previous: SickPeriod | None = previous_period
    previous_last_number = previous_last_day_number if previous_period is not None else 0
    for period in ordered:
        if period.last_day < period.first_day:
            raise InvalidValue(
                Text(
                    sv=f"Sjukperioden slutar ({period.last_day}) innan den börjar ({period.first_day}).",
                    en=f"Sick period ends ({period.last_day}) before it starts ({period.first_day}).",
                ),
                field="last_day",
                code="absence.period_ends_before_start",
            )
        if previous is not None and period.first_day <= previous.last_day:
            raise OverlappingSickPeriods(
                Text(
                    sv=f"Sjukperioderna överlappar ({previous.first_day}-{previous.last_day} och {period.first_day}).",
                    en=f"Sick periods overlap ({previous.first_day}-{previous.last_day} and {period.first_day}).",
                ),
                field="first_day",
            )
        rates = rates_on(period.first_day).sick_pay
        gap = (period.first_day - previous.last_day).days if previous is not None else None
        relapse = gap is not None and gap <= rates.relapse_within_days
        if relapse:
            first_number = previous_last_number + 1
            karens = False
            skipped: str | None = "relapse"
            en = (
                f"Continues the spell that ended {previous.last_day if previous else ''} "
                f"(new spell within {rates.relapse_within_days} days): no new karensavdrag."
            )
            sv = (
                f"Fortsättning på sjukperioden som slutade {previous.last_day if previous else ''} "
                f"(insjuknande inom {rates.relapse_within_days} dagar): inget nytt karensavdrag."
            )
        else:
            first_number = 1
            window_start = _one_year_before(period.first_day)
            recent = sum(1 for d in karens_days if window_start < d < period.first_day)
            karens = recent < rates.max_karens_per_12_months
            skipped = None if karens else "karens_limit"
            if karens:
                en, sv = "New sick spell: karensavdrag applies.", "Ny sjukperiod: karensavdrag görs."
            else:
                en = (
                    f"New sick spell, but {recent} karensavdrag in the last 12 months already "
                    f"(limit {rates.max_karens_per_12_months}): no karensavdrag."
                )
                sv = (
                    f"Ny sjukperiod, men redan {recent} karensavdrag de senaste 12 månaderna "
                    f"(högst {rates.max_karens_per_12_months}): inget karensavdrag."
                )
            if karens:
                karens_days.append(period.first_day)
                karens_days.sort()
        days = [period.first_day + timedelta(days=i) for i in range((period.last_day - period.first_day).days + 1)]
        employer_left = max(rates.employer_period_days - first_number + 1, 0)
        employer_days = tuple(days[:employer_left])
        after = tuple(days[employer_left:])
        if after:
            en += f" Days from {after[0]} are after day {rates.employer_period_days} (no employer sick pay)."
            sv += f" Dagar från {after[0]} är efter dag {rates.employer_period_days} (ingen sjuklön)."
        result.append(
            SpellAssessment(
                period=period,
                continues_previous=relapse,
                karens=karens,
                karens_skipped_because=skipped,
                first_day_number=first_number,
                employer_days=employer_days,
                after_employer_period=after,
                explanation_en=en,
                explanation_sv=sv,
            )
        )
        previous = period
        previous_last_number = first_number + len(days) - 1
    return tuple(result)


def karens_explanation(monthly_salary: Number, *, on: date) -> tuple[str, str]:
    """English and Swedish text showing how the karensavdrag was computed."""
    rates = rates_on(on).sick_pay
    monthly = as_decimal(monthly_salary, field="monthly_salary")
    amount = karensavdrag(monthly, on=on)
    en = (
        f"Karensavdrag: {rates.karens_share_of_weekly_sick_pay} x {rates.sick_pay_rate} x "
        f"({format_sek(monthly, lang='en')} x 12 / {rates.weeks_per_year}) = {format_sek(amount, lang='en')}"
    )
    sv = (
        f"Karensavdrag: {str(rates.karens_share_of_weekly_sick_pay).replace('.', ',')} x "
        f"{str(rates.sick_pay_rate).replace('.', ',')} x "
        f"({format_sek(monthly, lang='sv')} x 12 / {rates.weeks_per_year}) = {format_sek(amount, lang='sv')}"
    )
    return en, sv
