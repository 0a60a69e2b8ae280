"""A payslip as PDF (fpdf2) laid out as a Swedish lönespecifikation; PRELIMINÄR unless from a pay run.

Employer and org.nr, employee and number, period, pay date and tax table at the top; then each
line with quantity, unit, rate (à-pris) and amount, sub-lines where a line adds up from parts
(travel days, meal reductions, mil); the totals; year to date; the vacation balance. Only what a
person reads: no internal ids (the view has already left them out of the texts).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from backend.domain.money import format_number
from backend.domain.payslip.text import month_name
from backend.payslips.schemas import DetailView, LineView, PayslipView

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
GROUP_NAMES = {
    "sv": {
        "salary": "Lön",
        "additions": "Tillägg",
        "deductions": "Avdrag",
        "tax_free": "Skattefria ersättningar",
        "tax": "Skatt",
    },
    "en": {
        "salary": "Salary",
        "additions": "Additions",
        "deductions": "Deductions",
        "tax_free": "Tax-free reimbursements",
        "tax": "Tax",
    },
}
UNITS = {
    "sv": {
        "month": "mån",
        "hours": "tim",
        "days": "dagar",
        "items": "st",
        "mil": "mil",
        "km": "km",
        "nights": "nätter",
    },
    "en": {
        "month": "month",
        "hours": "h",
        "days": "days",
        "items": "pcs",
        "mil": "mil",
        "km": "km",
        "nights": "nights",
    },
}
ONE = {"sv": {"days": "dag", "nights": "natt"}, "en": {"days": "day", "nights": "night"}}
LABELS = {
    "sv": {
        "title": "Lönespecifikation",
        "preliminary": "PRELIMINÄR – ändras när poster attesteras",
        "extra": "Extra lönekörning",
        "employer": "Arbetsgivare",
        "org_number": "Org.nr",
        "employee": "Anställd",
        "employee_number": "Anst.nr",
        "period": "Period",
        "pay_date": "Utbetalningsdag",
        "tax_table": "Skattetabell {table}, kolumn {column}",
        "no_tax_table": "ingen skattetabell",
        "table": "Skattetabell",
        "column": "Kolumn",
        "what": "Benämning",
        "quantity": "Antal",
        "unit": "Enhet",
        "rate": "À-pris",
        "amount": "Belopp",
        "gross": "Bruttolön",
        "benefits": "Skattepliktiga förmåner",
        "taxable": "Skattepliktig bruttolön",
        "tax": "Preliminär skatt",
        "tax_free": "Skattefria ersättningar",
        "net": "Att få utbetalt",
        "ytd": "Hittills i år {year}",
        "ytd_gross": "Bruttolön",
        "ytd_tax": "Skatt",
        "ytd_net": "Utbetalt netto",
        "vacation": "Semester {year}",
        "paid_days": "Betalda dagar",
        "taken": "Uttagna",
        "planned": "Planerade",
        "remaining": "Kvar",
        "saved": "Sparade",
        "unpaid": "Obetalda",
        "not_recorded": "förs ej",
        "contributions": "Arbetsgivaravgifter (betalas av arbetsgivaren)",
        "pending": "Väntar på attest eller nästa lön",
    },
    "en": {
        "title": "Payslip",
        "preliminary": "PRELIMINARY – changes as items are attested",
        "extra": "Extra pay run",
        "employer": "Employer",
        "org_number": "Org. no.",
        "employee": "Employee",
        "employee_number": "Employee no.",
        "period": "Period",
        "pay_date": "Pay date",
        "tax_table": "Tax table {table}, column {column}",
        "no_tax_table": "no tax table",
        "table": "Tax table",
        "column": "Column",
        "what": "Item",
        "quantity": "Qty",
        "unit": "Unit",
        "rate": "Rate",
        "amount": "Amount",
        "gross": "Gross pay",
        "benefits": "Taxable benefits",
        "taxable": "Taxable gross pay",
        "tax": "Preliminary tax",
        "tax_free": "Tax-free reimbursements",
        "net": "Net pay",
        "ytd": "Year to date {year}",
        "ytd_gross": "Gross pay",
        "ytd_tax": "Tax",
        "ytd_net": "Net paid",
        "vacation": "Vacation {year}",
        "paid_days": "Paid days",
        "taken": "Taken",
        "planned": "Planned",
        "remaining": "Left",
        "saved": "Saved",
        "unpaid": "Unpaid",
        "not_recorded": "not kept",
        "contributions": "Employer contributions (paid by the employer)",
        "pending": "Waiting for attest or a later payslip",
    },
}
# Column widths (mm) of the lines table: text, quantity, unit, rate, amount = 190 mm.
WIDTHS = (92, 22, 18, 28, 30)


def _kr(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{sign}{groups},{cents} kr"


def _month(period: str, lang: str) -> str:
    """``2026-11`` -> ``november 2026`` / ``November 2026``."""
    year, month = period.split("-")
    return month_name(int(year), int(month), lang)


def _amount(value: Decimal) -> str:
    return _kr(value)[:-3]


class _Slip:
    """The PDF being written, with the font chosen once and the columns of the lines table."""

    def __init__(self, language: str) -> None:
        self.lang = "en" if language == "en" else "sv"
        self.labels = LABELS[self.lang]
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_margins(10, 12, 10)
        self.pdf.add_page()
        if (FONT_DIR / "DejaVuSans.ttf").exists():
            self.pdf.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.pdf.add_font("body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.font = "body"
        else:  # latin-1 core font: Swedish letters work, a few symbols are replaced
            self.font = "helvetica"

    def text(self, value: str) -> str:
        return value if self.font == "body" else value.encode("latin-1", "replace").decode("latin-1")

    def style(self, size: float, bold: bool = False, grey: bool = False) -> None:
        self.pdf.set_font(self.font, "B" if bold else "", size)
        self.pdf.set_text_color(*((90, 90, 90) if grey else (0, 0, 0)))

    def fit(self, value: str, width: float) -> str:
        """Cut a text to its column, with an ellipsis, rather than run into the next column."""
        value = self.text(value)
        if self.pdf.get_string_width(value) <= width - 2:
            return value
        while value and self.pdf.get_string_width(value + "…") > width - 2:
            value = value[:-1]
        return value.rstrip() + "…"

    def row(self, cells: tuple[str, str, str, str, str], *, indent: float = 0, height: float = 5.5) -> None:
        text, quantity, unit, rate, amount = cells
        pdf = self.pdf
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(WIDTHS[0] - indent, height, self.fit(text, WIDTHS[0] - indent))
        pdf.cell(WIDTHS[1], height, self.text(quantity), align="R")
        pdf.cell(WIDTHS[2], height, self.text(unit), align="C")
        pdf.cell(WIDTHS[3], height, self.text(rate), align="R")
        pdf.cell(WIDTHS[4], height, self.text(amount), align="R", new_x="LMARGIN", new_y="NEXT")

    def figures(self, line: LineView | DetailView) -> tuple[str, str, str]:
        quantity = "" if line.quantity is None else format_number(line.quantity, lang=self.lang)
        names = ONE[self.lang] if line.quantity == 1 and line.unit in ONE[self.lang] else UNITS[self.lang]
        unit = "" if line.unit is None else names.get(line.unit, line.unit)
        rate = "" if line.rate is None else _amount(line.rate)
        return quantity, unit, rate

    def pairs(self, items: list[tuple[str, str]], *, columns: int) -> None:
        """Label above value, ``columns`` to a row: the boxes at the top and bottom of a lönespec."""
        width = (self.pdf.w - self.pdf.l_margin - self.pdf.r_margin) / columns
        for start in range(0, len(items), columns):
            chunk = items[start : start + columns]
            self.style(7, grey=True)
            for label, _ in chunk:
                self.pdf.cell(width, 4, self.fit(label, width))
            self.pdf.ln(4)
            self.style(10)
            for _, value in chunk:
                self.pdf.cell(width, 5.5, self.fit(value, width))
            self.pdf.ln(6.5)

    def rule(self) -> None:
        y = self.pdf.get_y()
        self.pdf.set_draw_color(160, 160, 160)
        self.pdf.line(self.pdf.l_margin, y, self.pdf.w - self.pdf.r_margin, y)
        self.pdf.ln(1.5)


def render(payslip: PayslipView, language: str) -> bytes:
    slip = _Slip(language)
    pdf, labels = slip.pdf, slip.labels
    employer = payslip.employer
    slip.style(13, bold=True)
    pdf.cell(110, 7, slip.fit(employer.name if employer else "", 110))
    slip.style(16, bold=True)
    pdf.cell(0, 7, slip.text(labels["title"]), align="R", new_x="LMARGIN", new_y="NEXT")
    slip.style(9)
    org = f"{labels['org_number']} {employer.org_number}" if employer and employer.org_number else ""
    pdf.cell(110, 5, slip.text(org))
    extra = f"{labels['extra']} · " if payslip.extra_run else ""
    period = f"{extra}{labels['period']} {_month(payslip.period, slip.lang)}"
    pdf.cell(0, 5, slip.text(period), align="R", new_x="LMARGIN", new_y="NEXT")
    if payslip.preliminary:
        slip.style(12, bold=True)
        pdf.set_text_color(180, 30, 30)
        pdf.cell(0, 8, slip.text(labels["preliminary"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    for warning in (w for w in payslip.warnings if w.code == "rates_year_not_loaded"):  # whose figures were used
        slip.style(10, bold=True)
        pdf.multi_cell(0, 5, slip.text(warning.message), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    slip.rule()
    basis = payslip.tax_basis
    tax_table = (
        labels["tax_table"].format(table=basis.table, column=basis.column)
        if basis.table is not None
        else labels["no_tax_table"]
    )
    slip.pairs(
        [
            (labels["employee"], payslip.employee_name),
            (labels["employee_number"], payslip.employee_number or "–"),
            (labels["period"], _month(payslip.period, slip.lang)),
            (labels["pay_date"], payslip.pay_date.isoformat()),
            (labels["table"], str(basis.table) if basis.table is not None else "–"),
            (labels["column"], str(basis.column) if basis.table is not None else "–"),
        ],
        columns=4,
    )
    slip.rule()

    slip.style(8, bold=True)
    slip.row((labels["what"], labels["quantity"], labels["unit"], labels["rate"], labels["amount"]))
    slip.rule()
    for group, name in GROUP_NAMES[slip.lang].items():
        lines = [line for line in payslip.lines if line.group == group and line.amount]
        if not lines:
            continue
        slip.style(9.5, bold=True)
        pdf.cell(0, 6, slip.text(name), new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            slip.style(9)
            slip.row((line.text, *slip.figures(line), _amount(line.amount)))
            for detail in line.details:
                slip.style(8, grey=True)
                slip.row((detail.text, *slip.figures(detail), _amount(detail.amount)), indent=5, height=4.5)
    pdf.ln(1)
    slip.rule()

    slip.style(9.5)
    for label, value, bold in (
        (labels["gross"], payslip.gross_pay, False),
        (labels["benefits"], payslip.taxable_benefits, False),
        (labels["taxable"], payslip.taxable_pay, True),
        (f"{labels['tax']} ({tax_table})", -payslip.tax, False),
        (labels["tax_free"], payslip.tax_free, False),
    ):
        if label == labels["benefits"] and not value:
            continue
        slip.style(9.5, bold=bold)
        pdf.cell(WIDTHS[0] + WIDTHS[1] + WIDTHS[2] + WIDTHS[3], 5.5, slip.text(label))
        pdf.cell(WIDTHS[4], 5.5, slip.text(_kr(value)), align="R", new_x="LMARGIN", new_y="NEXT")
    slip.style(13, bold=True)
    pdf.cell(WIDTHS[0] + WIDTHS[1] + WIDTHS[2], 9, slip.text(labels["net"]))
    pdf.cell(WIDTHS[3] + WIDTHS[4], 9, slip.text(_kr(payslip.net_pay)), align="R", new_x="LMARGIN", new_y="NEXT")
    slip.rule()

    ytd = payslip.year_to_date
    slip.style(9.5, bold=True)
    pdf.cell(0, 6, slip.text(labels["ytd"].format(year=ytd.year)), new_x="LMARGIN", new_y="NEXT")
    slip.pairs(
        [
            (labels["ytd_gross"], _kr(ytd.gross_pay)),
            (labels["ytd_tax"], _kr(ytd.tax)),
            (labels["ytd_net"], _kr(ytd.net_pay)),
            (labels["tax_free"], _kr(ytd.tax_free)),
        ],
        columns=4,
    )
    vacation = payslip.vacation
    if vacation is not None:

        def days(value: Decimal) -> str:
            return format_number(value, lang=slip.lang)

        slip.style(9.5, bold=True)
        pdf.cell(0, 6, slip.text(labels["vacation"].format(year=vacation.year)), new_x="LMARGIN", new_y="NEXT")
        slip.pairs(
            [
                (labels["paid_days"], days(vacation.paid_days)),
                (labels["taken"], days(vacation.taken)),
                (labels["planned"], days(vacation.planned)),
                (labels["remaining"], days(vacation.remaining)),
                (labels["saved"], labels["not_recorded"] if vacation.saved_days is None else days(vacation.saved_days)),
                (labels["unpaid"], days(vacation.unpaid_days)),
            ],
            columns=6,
        )
        slip.style(7.5, grey=True)
        pdf.multi_cell(0, 3.8, slip.text(vacation.explanation), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    slip.rule()
    slip.style(8, grey=True)
    pdf.cell(WIDTHS[0] + WIDTHS[1] + WIDTHS[2] + WIDTHS[3], 5, slip.text(labels["contributions"]))
    pdf.cell(
        WIDTHS[4],
        5,
        slip.text(_kr(payslip.employer_contributions.total)),
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if payslip.pending:
        pdf.ln(2)
        slip.style(9.5, bold=True)
        pdf.cell(0, 6, slip.text(labels["pending"]), new_x="LMARGIN", new_y="NEXT")
        for item in payslip.pending:
            amount = f" {_kr(item.amount)}" if item.amount is not None else ""
            slip.style(8.5)
            pdf.multi_cell(0, 4.5, slip.text(f"{item.text}{amount}"), new_x="LMARGIN", new_y="NEXT")
            slip.style(7.5, grey=True)
            pdf.multi_cell(0, 3.8, slip.text(item.explanation), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
