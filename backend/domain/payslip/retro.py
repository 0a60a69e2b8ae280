"""Retro (retroaktiv lön): salary terms changed back into paid months are paid on the next payslip.

What is paid: for every earlier month finalised payslips paid, what the month is
worth under the terms known now is compared with everything paid for it so far:
its own payslip plus every retro line later payslips paid for it
(``PaidSalary``). A difference becomes one line per month and kind, so a retro
is never paid twice and a change that is changed again nets out (+2 000 paid as
retro, then corrected to +1 500: -500 a month). The kinds:

- monthly salary: the month's salary under the terms now known (part months by
  calendar days, ``terms.py``) against the salary paid;
- hourly pay: the ordinary hours paid, re-priced at the hourly wage now in force;
- OB and overtime: the OB/overtime/mertid hours paid, re-priced from the salary
  or wage now in force (a raise raises them too) at the agreement's prices in
  force that month: a dated change of the profile (``changes`` in
  ``agreements.toml``) reaching back into paid months reprices their hours.
  Switching an organisation to another profile is not dated: the paid months
  still in the history are repriced by the new profile.

The employment has no fixed supplements in the data model, so there is no
retro kind for them. Absence deductions, sick pay and the vacation supplement
of a paid month are not re-priced (payroll settles them by hand if needed).
Hourly and OB/overtime hours are stored per month, line by line as each line
was rounded (so an unchanged month reprices to exactly what was paid), but
without their days, so a
month whose wage or salary is now split inside it cannot be re-priced: payroll
is asked to check it (only when terms were recorded after the month was paid).

Tax (the rule also in the README, "Rules worth knowing"): retro is taxable
cash pay of the month it is *paid* (kontantprincipen), not of the month it is
for. It is added to that payslip's gross pay, the tax table is applied to the
month's total taxable pay, and employer contributions are computed on it at the
rates and age rules of the pay date. Year-to-date figures count it in the pay
date's year, also when the month it is for was in the previous year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from backend.domain.money import round_ore
from backend.domain.payroll.overtime import PayItemNotInAgreement, pay_for_hours
from backend.domain.payslip.context import Context, make_line
from backend.domain.payslip.inputs import EmploymentTerms, PaidSalary, PayslipInputs
from backend.domain.payslip.model import LineGroup, PayslipLine, PayslipWarning
from backend.domain.payslip.pay_items import ITEM_NAMES, hour_prices
from backend.domain.payslip.terms import hourly_wages_in_month, last_day_of, salary_segments
from backend.domain.payslip.text import MONTHS_EN, MONTHS_SV, hours_unit, kr, month_label, month_name, num, short_month
from backend.domain.text import Text

RETRO_CODES = ("salary_retro", "hourly_retro", "pay_item_retro")
"""Line codes of retro lines: monthly salary, hourly pay, OB/overtime."""

_ZERO = Decimal("0.00")


def retro_lines(ctx: Context) -> list[PayslipLine]:
    """One line per earlier paid month and kind whose pay under the known terms differs from what was paid."""
    period = ctx.inputs.period
    lines: list[PayslipLine] = []
    for paid in sorted(ctx.inputs.paid_salaries, key=lambda p: (p.year, p.month)):
        if (paid.year, paid.month) >= (period.year, period.month):
            continue
        month = _Month(paid, period.year)
        for kind in (_salary_retro, _hourly_retro, _pay_item_retro):
            line = kind(ctx, month)
            if line is not None:
                lines.append(line)
    return lines


@dataclass(frozen=True)
class RetroPreview:
    """The retro a payslip will carry, computed alone (the answer to a change of terms)."""

    lines: tuple[PayslipLine, ...]
    warnings: tuple[PayslipWarning, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), _ZERO)


def retro_preview(inputs: PayslipInputs) -> RetroPreview:
    """The retro lines (and retro warnings) of the payslip ``inputs`` describe, without the rest of it."""
    ctx = Context.create(inputs)
    lines = retro_lines(ctx)
    return RetroPreview(tuple(lines), tuple(w for w in ctx.warnings if w.code.startswith("retro_")))


@dataclass(frozen=True)
class _Month:
    paid: PaidSalary
    pay_year: int

    @property
    def year(self) -> int:
        return self.paid.year

    @property
    def month(self) -> int:
        return self.paid.month

    def name(self, lang: str) -> str:
        """``oktober`` in the pay year, ``december 2026`` for a month of an earlier year."""
        names = MONTHS_SV if lang == "sv" else MONTHS_EN
        name = names[self.month - 1]
        return name if self.year == self.pay_year else f"{name} {self.year}"

    def day(self, day: date, lang: str) -> str:
        """``1 okt`` / ``1 Oct`` (with the year when it is not the pay year)."""
        text = f"{day.day} {short_month(day.month, lang)}"
        return text if day.year == self.pay_year else f"{text} {day.year}"

    def line(
        self,
        code: str,
        what: tuple[str, str],
        amount: Decimal,
        explanation: tuple[str, str],
        *,
        quantity: Decimal | None = None,
        rate: Decimal | None = None,
    ) -> PayslipLine:
        paid_sv = " Betalas som lön i den här månaden och beskattas med den (kontantprincipen)."
        paid_en = " Paid as pay of this month and taxed with it."
        return make_line(
            code,
            LineGroup.SALARY,
            (f"Retro {self.name('sv')}: {what[0]}", f"Retro {self.name('en')}: {what[1]}"),
            amount,
            (explanation[0] + paid_sv, explanation[1] + paid_en),
            quantity=quantity,
            unit="hours" if quantity is not None else None,
            rate=rate,
            work_period=month_label(self.year, self.month),
        )


def _salary_retro(ctx: Context, month: _Month) -> PayslipLine | None:
    segments = salary_segments(ctx.history, month.year, month.month)
    due = sum((s.amount for s in segments), _ZERO)
    difference = due - month.paid.salary
    if not difference:
        return None
    if segments:
        paid_on = month.paid.paid_on
        news = [s for s in segments if paid_on is not None and s.terms.recorded_on >= paid_on] or segments[-1:]
        what = (
            " och ".join(
                f"ny månadslön {kr(s.monthly_salary, 'sv')} från {month.day(s.terms.valid_from, 'sv')}" for s in news
            ),
            " and ".join(
                f"new monthly salary {kr(s.monthly_salary, 'en')} from {month.day(s.terms.valid_from, 'en')}"
                for s in news
            ),
        )
    else:
        what = ("ingen månadslön enligt nya villkor", "no monthly salary under the new terms")
    parts_sv = [
        f"{kr(s.amount, 'sv')} ({kr(s.monthly_salary, 'sv')} × {s.days}/{s.days_in_month} dagar)"
        if not s.whole_month
        else kr(s.amount, "sv")
        for s in segments
    ]
    parts_en = [
        f"{kr(s.amount, 'en')} ({kr(s.monthly_salary, 'en')} × {s.days}/{s.days_in_month} days)"
        if not s.whole_month
        else kr(s.amount, "en")
        for s in segments
    ]
    recorded = sorted({s.terms.recorded_on.isoformat() for s in segments})
    due_sv = " + ".join(parts_sv) + (f" = {kr(due, 'sv')}" if len(parts_sv) > 1 else "") if parts_sv else kr(due, "sv")
    due_en = " + ".join(parts_en) + (f" = {kr(due, 'en')}" if len(parts_en) > 1 else "") if parts_en else kr(due, "en")
    return month.line(
        "salary_retro",
        what,
        difference,
        (
            f"Månadslön för {month_name(month.year, month.month, 'sv')} enligt villkoren som nu gäller "
            f"(registrerade {', '.join(recorded) or '-'}): {due_sv}; utbetalt för månaden hittills: "
            f"{kr(month.paid.salary, 'sv')}; skillnad {kr(difference, 'sv')}.",
            f"Monthly salary for {month_name(month.year, month.month, 'en')} under the terms now known "
            f"(recorded {', '.join(recorded) or '-'}): {due_en}; paid for the month so far: "
            f"{kr(month.paid.salary, 'en')}; difference {kr(difference, 'en')}.",
        ),
    )


def _changed_since_paid(ctx: Context, month: _Month) -> bool:
    """Terms covering the month recorded on or after the day it was last paid (unknown then)."""
    paid_on = month.paid.paid_on
    return any(
        span.terms is not None and (paid_on is None or span.terms.recorded_on >= paid_on)
        for span in ctx.history.spans(date(month.year, month.month, 1), last_day_of(month.year, month.month))
    )


def _manual(ctx: Context, month: _Month, what: tuple[str, str]) -> None:
    if _changed_since_paid(ctx, month):
        label = month_label(month.year, month.month)
        ctx.warn(
            "retro_manual",
            Text(
                sv=f"Villkoren ändrades mitt i {label} efter att månaden betalats; retro för {what[0]} räknas inte "
                "automatiskt. Lönekontoret kontrollerar månaden.",
                en=f"The terms changed within {label} after the month was paid; retro for {what[1]} is not computed "
                "automatically. Payroll checks the month.",
            ),
        )


def _hourly_retro(ctx: Context, month: _Month) -> PayslipLine | None:
    paid = month.paid
    if not paid.hours or paid.hourly_wage is None:
        return None
    wages = hourly_wages_in_month(ctx.history, month.year, month.month)
    if len(wages) > 1:
        _manual(ctx, month, ("timlönen", "hourly pay"))
        return None
    wage = wages[0] if wages else _ZERO
    due = sum((round_ore(hours * wage) for hours in paid.hours_by_line), _ZERO)  # rounded per line, as paid
    difference = due - paid.paid_for_hours
    if not difference:
        return None
    step = wage - paid.hourly_wage
    rate = step if round_ore(paid.hours * step) == difference else None
    hours_sv, hours_en = f"{num(paid.hours, 'sv')} {hours_unit('sv')}", f"{num(paid.hours, 'en')} {hours_unit('en')}"
    if rate is not None:
        sums = (
            f"{hours_sv} × ({kr(wage, 'sv')} − {kr(paid.hourly_wage, 'sv')}) = {kr(difference, 'sv')} "
            f"(timlön nu {kr(wage, 'sv')}, utbetald {kr(paid.hourly_wage, 'sv')}).",
            f"{hours_en} × ({kr(wage, 'en')} − {kr(paid.hourly_wage, 'en')}) = {kr(difference, 'en')} "
            f"(hourly wage now {kr(wage, 'en')}, paid {kr(paid.hourly_wage, 'en')}).",
        )
    else:
        sums = (
            f"{hours_sv} × {kr(wage, 'sv')} = {kr(due, 'sv')} enligt villkoren som nu gäller; utbetalt för timmarna "
            f"hittills {kr(paid.paid_for_hours, 'sv')}; skillnad {kr(difference, 'sv')}.",
            f"{hours_en} × {kr(wage, 'en')} = {kr(due, 'en')} under the terms now known; paid for the hours so far "
            f"{kr(paid.paid_for_hours, 'en')}; difference {kr(difference, 'en')}.",
        )
    since = _since(ctx, month)
    return month.line(
        "hourly_retro",
        (f"ny timlön {kr(wage, 'sv')}{since[0]}", f"new hourly wage {kr(wage, 'en')}{since[1]}"),
        difference,
        sums,
        quantity=paid.hours,
        rate=rate,
    )


def _since(ctx: Context, month: _Month) -> tuple[str, str]:
    """`` från 1 okt``: when the terms now in force for the month started."""
    terms = _month_terms(ctx, month)
    if len(terms) != 1:
        return "", ""
    start = terms[0].valid_from
    return f" från {month.day(start, 'sv')}", f" from {month.day(start, 'en')}"


def _month_terms(ctx: Context, month: _Month) -> list[EmploymentTerms]:
    found: list[EmploymentTerms] = []
    for span in ctx.history.spans(date(month.year, month.month, 1), last_day_of(month.year, month.month)):
        if span.terms is not None and span.terms not in found:
            found.append(span.terms)
    return found


def _pay_item_retro(ctx: Context, month: _Month) -> PayslipLine | None:
    paid = month.paid
    items = [item for item in paid.pay_items if item.hours and item.code.pay_item is not None]
    if not items:
        return None
    terms = _month_terms(ctx, month)
    if len(terms) != 1:
        if terms:
            _manual(ctx, month, ("OB och övertid", "unsocial hours and overtime"))
        return None
    (now,) = terms
    first_day = date(month.year, month.month, 1)
    if any(first_day < c.valid_from <= last_day_of(month.year, month.month) for c in ctx.profile.changes):
        _manual(ctx, month, ("OB och övertid", "unsocial hours and overtime"))  # prices changed within the month
        return None
    profile = ctx.profile.on(first_day)
    monthly, hourly = hour_prices(now, first_day)
    due = _ZERO
    parts_sv: list[str] = []
    parts_en: list[str] = []
    for item in items:
        kind = item.code.pay_item
        assert kind is not None
        try:
            priced = pay_for_hours(profile, kind, item.hours, monthly_salary=monthly, hourly_pay=hourly)
        except PayItemNotInAgreement:
            _manual(ctx, month, ("OB och övertid", "unsocial hours and overtime"))
            return None
        due += priced.amount
        name_sv, name_en = ITEM_NAMES[item.code]
        parts_sv.append(
            f"{name_sv} {num(item.hours, 'sv')} tim × {kr(priced.rate_per_hour, 'sv')} = {kr(priced.amount, 'sv')}"
        )
        parts_en.append(
            f"{name_en} {num(item.hours, 'en')} h × {kr(priced.rate_per_hour, 'en')} = {kr(priced.amount, 'en')}"
        )
    difference = due - paid.pay_items_amount
    if not difference:
        return None
    basis = (
        (f"månadslön {kr(monthly, 'sv')}", f"monthly salary {kr(monthly, 'en')}")
        if now.monthly_salary is not None
        else (f"timlön {kr(hourly, 'sv')}", f"hourly wage {kr(hourly, 'en')}")
    )
    agreed = [c.valid_from for c in ctx.profile.changes if now.valid_from < c.valid_from <= first_day]
    if agreed:  # the latest news for the month is the agreement's prices, not the pay
        what = (
            f"OB/övertid enligt nytt avtal från {month.day(agreed[-1], 'sv')}",
            f"unsocial hours/overtime under the new agreement from {month.day(agreed[-1], 'en')}",
        )
    else:
        start = (month.day(now.valid_from, "sv"), month.day(now.valid_from, "en"))
        what = (
            f"OB/övertid efter {basis[0]} från {start[0]}",
            f"unsocial hours/overtime on {basis[1]} from {start[1]}",
        )
    return month.line(
        "pay_item_retro",
        what,
        difference,
        (
            f"Priserna enligt {ctx.profile.name_sv} och villkoren som nu gäller: {'; '.join(parts_sv)}; "
            f"summa {kr(due, 'sv')}; utbetalt för timmarna hittills {kr(paid.pay_items_amount, 'sv')}; "
            f"skillnad {kr(difference, 'sv')}.",
            f"Priced by {ctx.profile.name_en} and the terms now known: {'; '.join(parts_en)}; "
            f"total {kr(due, 'en')}; paid for the hours so far {kr(paid.pay_items_amount, 'en')}; "
            f"difference {kr(difference, 'en')}.",
        ),
        quantity=sum((item.hours for item in items), Decimal(0)),
    )
