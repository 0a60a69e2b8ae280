"""One employee's gathered facts as the payslip engine's inputs (year to date, history, settings)."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal

from backend.db.models import Organisation, Payslip
from backend.domain.calendar import PayPeriod
from backend.domain.payslip import inputs as engine
from backend.payslips.facts import Facts
from backend.payslips.history import history_start, paid_salaries


def _terms(rows: list[tuple[datetime, engine.EmploymentTerms]]) -> tuple[engine.EmploymentTerms, ...]:
    """In force order: by the day they apply from, then by when they were recorded."""
    return tuple(terms for _, terms in sorted(rows, key=lambda r: (r[1].valid_from, r[0])))


def engine_inputs(
    facts: Facts,
    organisation: Organisation,
    period: engine.PayslipPeriod,
    as_of: date,
    *,
    extra_run: bool = False,
) -> engine.PayslipInputs:
    e = facts.employee
    year = period.pay_date.year
    this_year = [p for p in facts.payslips if p.pay_date.year == year]
    same_month = [p for p in facts.payslips if p.period == period.label]
    ytd = (
        engine.YearToDate(
            year=year,
            gross_pay=sum((p.gross_pay for p in this_year), Decimal(0)),
            taxable_pay=sum((p.taxable_pay for p in this_year), Decimal(0)),
            tax=sum((p.tax for p in this_year), Decimal(0)),
            net_pay=sum((p.net_pay for p in this_year), Decimal(0)),
            employer_contributions=sum((p.employer_contributions for p in this_year), Decimal(0)),
            tax_free=sum((p.tax_free for p in this_year), Decimal(0)),
        )
        if this_year
        else _nothing_yet(year)
    )
    paid = (
        paid_salaries(facts.payslips, since=history_start(PayPeriod(period.year, period.month)))
        if facts.payslips
        else ()
    )
    spells = [
        engine.EarlierSickSpell(
            date.fromisoformat(s["first_day"]),
            date.fromisoformat(s["last_day"]),
            bool(s["karens"]),
            int(s["first_day_number"]),
        )
        for p in facts.payslips
        for s in p.sick_spells
    ]
    return engine.PayslipInputs(
        employee=engine.Employee(
            employee_id=str(e.id),
            birth_date=e.birth_date,
            employment_start=e.start_date,
            employment_end=e.end_date,
            terms=_terms(facts.terms),
            tax_table=e.tax_table,
            tax_column=e.tax_column,
        ),
        period=period,
        as_of=as_of,
        settings=_settings(
            organisation.agreement_profile,
            organisation.variable_pay_in_arrears,
            None if facts.wellness_allowance is None else str(facts.wellness_allowance),
        ),
        time=tuple(facts.time),
        leave=tuple(facts.leave),
        absence_paid_earlier=frozenset(facts.absence_paid_earlier),
        expenses=tuple(facts.expenses),
        travel_claims=tuple(facts.travel),
        paid_salaries=paid,
        earlier_sick_spells=tuple(spells),
        wellness_paid_earlier_this_year=_total(this_year, "wellness_paid"),
        year_to_date=ytd,
        previous_gross_pay=facts.payslips[-1].gross_pay if facts.payslips else None,
        earlier_pay_this_month=_total(same_month, "gross_pay"),
        earlier_taxable_this_month=_total(same_month, "taxable_pay") if extra_run else _NOTHING,
        earlier_tax_this_month=_total(same_month, "tax") if extra_run else _NOTHING,
        pending=tuple(facts.pending),
        extra_run=extra_run,
    )


_NOTHING = Decimal(0)


def _total(payslips: list[Payslip], figure: str) -> Decimal:
    """One figure summed over ``payslips`` (most employees of a payroll have none in the window: no generator)."""
    return sum((getattr(p, figure) for p in payslips), Decimal(0)) if payslips else _NOTHING


@functools.lru_cache(maxsize=64)
def _nothing_yet(year: int) -> engine.YearToDate:
    """A year without finalised payslips (the engine's values are frozen, so one serves every employee)."""
    return engine.YearToDate(year=year)


@functools.lru_cache(maxsize=64)
def _settings(profile: str | None, in_arrears: bool, wellness_allowance: str | None) -> engine.OrganisationSettings:
    """The organisation's settings, made once for all its employees (frozen; the cap as text keeps its digits)."""
    return engine.OrganisationSettings(
        agreement_profile=profile,
        variable_pay_in_arrears=in_arrears,
        wellness_allowance=None if wellness_allowance is None else Decimal(wellness_allowance),
    )
