"""A payslip as PDF (fpdf2), marked PRELIMINÄR when it is not from a finalised pay run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from backend.payslips.schemas import PayslipView

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
LABELS = {
    "sv": {
        "title": "Lönespecifikation",
        "preliminary": "PRELIMINÄR – ändras när poster attesteras",
        "period": "Period",
        "pay_date": "Utbetalning",
        "net": "Att få utbetalt",
        "gross": "Bruttolön",
        "tax": "Preliminär skatt",
        "tax_free": "Skattefritt",
        "employer": "Arbetsgivaravgifter",
        "pending": "Väntar på attest eller nästa lön",
        "ytd": "Hittills i år: brutto {gross}, skatt {tax}, netto {net}",
    },
    "en": {
        "title": "Payslip",
        "preliminary": "PRELIMINARY – changes as items are attested",
        "period": "Period",
        "pay_date": "Pay date",
        "net": "Net pay",
        "gross": "Gross pay",
        "tax": "Preliminary tax",
        "tax_free": "Tax-free",
        "employer": "Employer contributions",
        "pending": "Waiting for attest or a later payslip",
        "ytd": "Year to date: gross {gross}, tax {tax}, net {net}",
    },
}


def _kr(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{sign}{groups},{cents} kr"


def render(payslip: PayslipView, language: str) -> bytes:
    labels = LABELS["en" if language == "en" else "sv"]
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    if (FONT_DIR / "DejaVuSans.ttf").exists():
        pdf.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        font = "body"
    else:  # latin-1 core font: Swedish letters work, a few symbols are replaced
        font = "helvetica"

    def text(value: str) -> str:
        return value if font == "body" else value.encode("latin-1", "replace").decode("latin-1")

    pdf.set_font(font, "B", 16)
    pdf.cell(0, 10, text(f"{labels['title']} {payslip.period}"), new_x="LMARGIN", new_y="NEXT")
    if payslip.preliminary:
        pdf.set_text_color(180, 30, 30)
        pdf.set_font(font, "B", 12)
        pdf.cell(0, 8, text(labels["preliminary"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    for warning in (w for w in payslip.warnings if w.code == "rates_year_not_loaded"):  # whose figures were used
        pdf.set_font(font, "B", 10)
        pdf.multi_cell(0, 5, text(warning.message), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 10)
    pdf.cell(0, 6, text(f"{payslip.employee_name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, text(f"{labels['pay_date']}: {payslip.pay_date.isoformat()}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(font, "B", 14)
    pdf.cell(0, 9, text(f"{labels['net']}: {_kr(payslip.net_pay)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    groups = GROUP_NAMES["en" if language == "en" else "sv"]
    for group, name in groups.items():
        lines = [line for line in payslip.lines if line.group == group and line.amount]
        if not lines:
            continue
        pdf.set_font(font, "B", 11)
        pdf.cell(0, 7, text(name), new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            pdf.set_font(font, "", 10)
            pdf.cell(140, 6, text(line.text)[:90])
            pdf.cell(0, 6, text(_kr(line.amount)), align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(font, "", 8)
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(0, 4, text(line.explanation), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.set_font(font, "", 10)
    for label, value in (
        (labels["gross"], payslip.gross_pay),
        (labels["tax"], payslip.tax),
        (labels["tax_free"], payslip.tax_free),
        (labels["employer"], payslip.employer_contributions.total),
    ):
        pdf.cell(140, 6, text(label))
        pdf.cell(0, 6, text(_kr(value)), align="R", new_x="LMARGIN", new_y="NEXT")
    ytd = payslip.year_to_date
    pdf.set_font(font, "", 8)
    pdf.multi_cell(
        0,
        5,
        text(labels["ytd"].format(gross=_kr(ytd.gross_pay), tax=_kr(ytd.tax), net=_kr(ytd.net_pay))),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if payslip.pending:
        pdf.ln(2)
        pdf.set_font(font, "B", 11)
        pdf.cell(0, 7, text(labels["pending"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font, "", 9)
        for item in payslip.pending:
            amount = f" {_kr(item.amount)}" if item.amount is not None else ""
            pdf.multi_cell(0, 5, text(f"{item.text}{amount}: {item.explanation}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
