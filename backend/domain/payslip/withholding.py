"""Preliminary tax on the payslip: Skatteverket's monthly table via ``payroll/tax.py``.

The tax is looked up on the period's taxable pay (cash pay plus non-cash
taxable values) with the employee's table and column; the column, when not
given, follows from age (``column_for``). Above the amount bands the table's
percentage applies (as ``tax.py`` does). The year is the pay date's.

Without a tax table (no tax information for the employee, or a table number
that does not exist) the employer withholds 30 % of the taxable pay
("skatteavdrag utan skattetabell"), rounded down to whole kronor, and the
payslip is flagged.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from backend.domain.money import floor_krona, round_ore
from backend.domain.payroll.errors import UnknownTaxTable
from backend.domain.payroll.tax import (
    CellKind,
    TaxTable,
    column_for,
    column_profile,
    computed_table,
    default_table,
    withholding,
)
from backend.domain.payslip.context import Context, make_line
from backend.domain.payslip.model import LineGroup, PayslipLine, TaxBasis
from backend.domain.payslip.text import kr, pct
from backend.domain.rates import rates_for
from backend.domain.text import Text

# Skatteförfarandelagen: 30 % when the employer has no tax information for the employee (not a yearly figure).
RATE_WITHOUT_TAX_TABLE = Decimal("0.30")


def tax_line(ctx: Context, taxable_pay: Decimal, official: TaxTable | None) -> tuple[PayslipLine, TaxBasis]:
    employee = ctx.inputs.employee
    year = ctx.inputs.period.pay_date.year
    if official is None:
        official = default_table(year)  # Skatteverket's file shipped in the package
    derived = employee.tax_column is None
    column = column_for(employee.birth_date, year) if employee.tax_column is None else employee.tax_column
    table = employee.tax_table
    explanation: tuple[str, str]
    if table is not None:
        try:
            tax = withholding(year, table, column, taxable_pay, imported=official)
            found = table  # narrowed to int for the closure (built at once, not later)
            explanation = ctx.explained(
                lambda: _table_explanation(ctx, year, found, column, derived, taxable_pay, tax, official)
            )
            if official is None:
                ctx.warn(
                    "tax_table_file_missing",
                    Text(
                        sv=f"Skatten är beräknad enligt Skatteverkets regler: det finns ingen tabellfil för {year}. "
                        "Lönekontoret läser in den med selfservice tax import.",
                        en=f"The tax is computed by Skatteverket's rules: there is no table file for {year}. "
                        "Payroll loads it with selfservice tax import.",
                    ),
                )
        except UnknownTaxTable:
            ctx.warn(
                "tax_table_unknown",
                Text(
                    sv=f"Skattetabell {table} finns inte för {year}; 30 % dras tills rätt tabell är registrerad.",
                    en=f"Tax table {table} does not exist for {year}; 30 % is withheld until the right table is recorded.",
                ),
            )
            table = None
    if table is None:
        tax = floor_krona(Fraction(max(taxable_pay, Decimal(0))) * Fraction(RATE_WITHOUT_TAX_TABLE))
        if employee.tax_table is None:
            ctx.warn(
                "tax_table_missing",
                Text(
                    sv="Ingen skattetabell är registrerad: 30 % dras i skatt (skatteavdrag utan skattetabell). "
                    "Be lönekontoret registrera din skattetabell.",
                    en="No tax table is recorded: 30 % is withheld (tax without a tax table). "
                    "Ask payroll to record your tax table.",
                ),
            )
        explanation = ctx.explained(
            lambda: (
                f"Ingen skattetabell: {pct(RATE_WITHOUT_TAX_TABLE, 'sv')} × {kr(taxable_pay, 'sv')} = {kr(tax, 'sv')}"
                " (avrundat nedåt till hela kronor).",
                f"No tax table: {pct(RATE_WITHOUT_TAX_TABLE, 'en')} × {kr(taxable_pay, 'en')} = {kr(tax, 'en')}"
                " (rounded down to whole kronor).",
            )
        )
    tax = round_ore(tax)
    earlier_taxable = ctx.inputs.earlier_taxable_this_month
    if earlier_taxable > 0 and table is not None:
        # An extra run: the month's total is taxed by the table; this run withholds what is not withheld yet.
        month_tax = round_ore(withholding(year, table, column, earlier_taxable + taxable_pay, imported=official))
        earlier_tax = ctx.inputs.earlier_tax_this_month
        tax = max(month_tax - earlier_tax, Decimal("0.00"))
        explanation = ctx.explained(
            lambda: (
                f"Extra lönekörning: skatt enligt tabell {table} kolumn {column} på månadens hela skattepliktiga lön "
                f"{kr(earlier_taxable + taxable_pay, 'sv')} är {kr(month_tax, 'sv')}; redan avdraget "
                f"{kr(earlier_tax, 'sv')}, kvar {kr(tax, 'sv')}.",
                f"Extra pay run: tax by table {table} column {column} on the month's whole taxable pay "
                f"{kr(earlier_taxable + taxable_pay, 'en')} is {kr(month_tax, 'en')}; already withheld "
                f"{kr(earlier_tax, 'en')}, remaining {kr(tax, 'en')}.",
            )
        )
    line = make_line(
        "tax",
        LineGroup.TAX,
        ("Preliminär skatt", "Preliminary tax"),
        -tax,
        explanation,
        taxable=False,
    )
    basis = TaxBasis(
        year=year,
        table=table,
        column=column,
        column_derived_from_age=derived,
        taxable_pay=taxable_pay,
        tax=tax,
        explanation_sv=explanation[0],
        explanation_en=explanation[1],
    )
    return line, basis


def _table_explanation(
    ctx: Context,
    year: int,
    table: int,
    column: int,
    derived: bool,
    taxable_pay: Decimal,
    tax: Decimal,
    official: TaxTable | None,
) -> tuple[str, str]:
    profile = column_profile(column)
    older = rates_for(year).tax.older_from_age
    birth_year = ctx.inputs.employee.birth_date.year
    if derived:
        why = (
            f", vald efter ålder: född {birth_year}, {'minst' if column == 3 else 'under'} {older} år vid årets början",
            f", chosen by age: born {birth_year}, {'at least' if column == 3 else 'under'} {older} at the start "
            "of the year",
        )
    else:
        why = ("", "")
    head = (
        f"Skattetabell {table}, kolumn {column} ({profile.description_sv}{why[0]})",
        f"Tax table {table}, column {column} ({profile.description_en}{why[1]})",
    )
    source = (
        ("Skatteverkets tabellfil", "Skatteverket's table file")
        if official is not None
        else ("beräknad enligt Skatteverkets regler", "computed by Skatteverket's rules")
    )
    if taxable_pay <= 0:
        return (f"{head[0]}: ingen skattepliktig lön, ingen skatt.", f"{head[1]}: no taxable pay, no tax.")
    cell = (official if official is not None else computed_table(year)).cell(table, column, taxable_pay)
    if cell.kind is CellKind.AMOUNT:
        upper = cell.income_to if cell.income_to is not None else cell.income_from
        band = f"{kr(cell.income_from, 'sv')}–{kr(upper, 'sv')}", f"{kr(cell.income_from, 'en')}–{kr(upper, 'en')}"
        return (
            f"{head[0]}: skattepliktig lön {kr(taxable_pay, 'sv')} ligger i intervallet {band[0]}; "
            f"skatteavdrag enligt tabellen {kr(tax, 'sv')} ({source[0]}).",
            f"{head[1]}: taxable pay {kr(taxable_pay, 'en')} is in the band {band[1]}; "
            f"withholding by the table {kr(tax, 'en')} ({source[1]}).",
        )
    share = Decimal(cell.value) / 100
    return (
        f"{head[0]}: skattepliktig lön {kr(taxable_pay, 'sv')} är över tabellens belopp; "
        f"{pct(share, 'sv')} × {kr(taxable_pay, 'sv')} = {kr(tax, 'sv')} (avrundat nedåt till hela kronor; "
        f"{source[0]}).",
        f"{head[1]}: taxable pay {kr(taxable_pay, 'en')} is above the table's amounts; "
        f"{pct(share, 'en')} × {kr(taxable_pay, 'en')} = {kr(tax, 'en')} (rounded down to whole kronor; "
        f"{source[1]}).",
    )
