"""``compute_payslip``: the preliminary payslip for one employee and pay period, from plain values.

Pure: no clock, no database; the same inputs always give the same payslip.
The rules live in ``backend.domain.payroll`` (tax, contributions, absence,
vacation, overtime); this package picks what is paid when, applies them and
explains every line.

Totals: gross pay = taxable cash lines; taxable pay = gross pay + non-cash
taxable values; tax-free = tax-free cash lines; net pay = gross pay + tax-free
- tax (= the sum of all cash lines); employer contributions on the lines that
carry them (``payroll/contributions.py``, by birth year and pay date).
"""

from __future__ import annotations

from decimal import Decimal

from backend.domain.errors import InvalidValue
from backend.domain.payroll.contributions import EmployerContributions, employer_contributions
from backend.domain.payroll.tax import TaxTable
from backend.domain.payslip.absence_lines import absence_lines, vacation_pay_lines
from backend.domain.payslip.context import Context
from backend.domain.payslip.inputs import YEAR_TO_DATE_AMOUNTS, PayslipInputs, YearToDate
from backend.domain.payslip.model import GROUP_ORDER, Payslip, PayslipLine
from backend.domain.payslip.pay_items import pay_item_lines
from backend.domain.payslip.pending import pending_lines
from backend.domain.payslip.reimbursements import reimbursement_lines
from backend.domain.payslip.retro import retro_lines
from backend.domain.payslip.salary import hourly_pay_lines, monthly_salary_lines
from backend.domain.payslip.selection import select_time
from backend.domain.payslip.text import kr, pct
from backend.domain.payslip.withholding import tax_line
from backend.domain.rates import rates_in_use
from backend.domain.text import Text

_ZERO = Decimal("0.00")
_GROUP_RANK = {group: rank for rank, group in enumerate(GROUP_ORDER)}


def _sum(lines: list[PayslipLine]) -> Decimal:
    return sum((line.amount for line in lines), _ZERO)


def compute_payslip(inputs: PayslipInputs, *, official_table: TaxTable | None = None, explain: bool = True) -> Payslip:
    """The preliminary payslip. ``official_table``: an imported Skatteverket table file (authoritative).

    ``explain`` False: the same payslip (lines, figures, pending items, warnings) without the explanation
    texts of its lines, tax, contributions and pending items: payroll's overview of thousands shows only
    the figures and warnings, and writing the explanations was a third of the engine's time.
    """
    ctx = Context.create(inputs, explain=explain)
    fallback = rates_in_use(inputs.period.pay_date.year).warning
    if fallback is not None:
        ctx.warn("rates_year_not_loaded", fallback)
    selection = select_time(ctx)
    for year in sorted({inputs.period.pay_date.year} | {row.day.year for row in selection.paid}):
        borrowed = rates_in_use(year).borrowed_warning
        if borrowed is not None:
            ctx.warn("rates_section_borrowed", borrowed)
    lines: list[PayslipLine] = []
    if not inputs.extra_run:
        lines += monthly_salary_lines(ctx)
    lines += retro_lines(ctx)
    if not inputs.extra_run:
        lines += hourly_pay_lines(ctx, selection.paid)
        lines += pay_item_lines(ctx, selection.paid)
        lines += absence_lines(ctx, selection)
        lines += vacation_pay_lines(ctx, lines)
    reimbursements, late_claims = reimbursement_lines(ctx)
    lines += reimbursements

    gross = benefits = tax_free = contribution_base = _ZERO
    for line in lines:  # one pass: a payroll of thousands sums these for every employee
        if line.taxable:
            if line.cash:
                gross += line.amount
            else:
                benefits += line.amount
        elif line.cash:
            tax_free += line.amount
        if line.employer_contributions:
            contribution_base += line.amount
    taxable_pay = gross + benefits
    tax_entry, basis = tax_line(ctx, taxable_pay, official_table)
    lines.append(tax_entry)
    tax = basis.tax
    net = gross + tax_free - tax
    assert net == _sum([line for line in lines if line.cash]), "net pay is the sum of the cash lines"
    if tax_entry.employer_contributions:
        contribution_base += tax_entry.amount

    contributions = _contributions(ctx, contribution_base)
    _flag(ctx, gross, net)
    ordered = tuple(sorted(lines, key=lambda line: _GROUP_RANK[line.group]))
    this_period = YearToDate(
        year=inputs.period.pay_date.year,
        gross_pay=gross,
        taxable_pay=taxable_pay,
        tax=tax,
        net_pay=net,
        employer_contributions=contributions.total,
        tax_free=tax_free,
    )
    return Payslip(
        employee_id=inputs.employee.employee_id,
        period=inputs.period,
        as_of=inputs.as_of,
        lines=ordered,
        gross_pay=gross,
        taxable_benefits=benefits,
        taxable_pay=taxable_pay,
        tax_free=tax_free,
        tax=tax,
        net_pay=net,
        tax_basis=basis,
        employer_contributions=contributions,
        employer_cost=gross + tax_free + contributions.total,
        year_to_date=_add(inputs.year_to_date, this_period),
        pending=tuple(pending_lines(ctx)) + selection.deferred + tuple(late_claims),
        warnings=tuple(ctx.warnings),
        sick_spells=tuple(ctx.sick_spells),
        wellness_counted=ctx.wellness_counted,
        settled_ids=frozenset(ctx.settled_ids),
    )


def _contributions(ctx: Context, base: Decimal) -> EmployerContributions:
    inputs = ctx.inputs
    if base < 0:
        ctx.warn(
            "contribution_base_negative",
            Text(
                sv=f"Underlaget för arbetsgivaravgifter är negativt ({kr(base, 'sv')}); inga avgifter beräknas. "
                "Lönekontoret reglerar mot tidigare perioder.",
                en=f"The employer contribution base is negative ({kr(base, 'en')}); no contributions are computed. "
                "Payroll settles it against earlier periods.",
            ),
        )
        return EmployerContributions(
            pay_date=inputs.period.pay_date,
            birth_year=inputs.employee.birth_date.year,
            gross_pay=base,
            parts=(),
            total=_ZERO,
        )
    return employer_contributions(
        base,
        birth_date=inputs.employee.birth_date,
        pay_date=inputs.period.pay_date,
        already_paid_this_month=inputs.earlier_pay_this_month,
        explain=ctx.explain,
    )


def _flag(ctx: Context, gross: Decimal, net: Decimal) -> None:
    if net < 0:
        ctx.warn(
            "net_pay_negative",
            Text(
                sv=f"Nettolönen är negativ ({kr(net, 'sv')}): avdragen är större än lönen. Lönekontoret kontaktar dig om "
                "hur skillnaden regleras.",
                en=f"The net pay is negative ({kr(net, 'en')}): the deductions are more than the pay. Payroll will contact "
                "you about settling the difference.",
            ),
        )
    previous = ctx.inputs.previous_gross_pay
    settings = ctx.inputs.settings
    if previous is None:
        return
    change = gross - previous
    if abs(change) > settings.gross_change_warning_amount and abs(change) > settings.gross_change_warning_share * abs(
        previous
    ):
        ctx.warn(
            "gross_pay_unusual_change",
            Text(
                sv=f"Bruttolönen ändras med {kr(change, 'sv')} mot förra månaden ({kr(previous, 'sv')} → {kr(gross, 'sv')}), "
                f"mer än {pct(settings.gross_change_warning_share, 'sv')} och {kr(settings.gross_change_warning_amount, 'sv')}"
                ". Kontrollera underlaget.",
                en=f"The gross pay changes by {kr(change, 'en')} against last month ({kr(previous, 'en')} → "
                f"{kr(gross, 'en')}), more than {pct(settings.gross_change_warning_share, 'en')} and "
                f"{kr(settings.gross_change_warning_amount, 'en')}. Check the underlying items.",
            ),
        )


def _add(previous: YearToDate | None, this_period: YearToDate) -> YearToDate:
    if previous is None:
        return this_period
    if previous.year != this_period.year:
        raise InvalidValue(
            Text(
                sv=f"Årets ackumulerade belopp gäller {previous.year}, men utbetalningsdagen är {this_period.year}.",
                en=f"Year-to-date totals are for {previous.year}, the pay date is in {this_period.year}.",
            ),
            field="year_to_date",
            code="payslip.year_to_date_wrong_year",
        )
    return YearToDate(
        this_period.year, *(getattr(previous, name) + getattr(this_period, name) for name in YEAR_TO_DATE_AMOUNTS)
    )
