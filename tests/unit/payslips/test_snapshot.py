"""Stored payslips stay readable: a snapshot from before the lönespecifikation fields still renders."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pypdfium2

from backend.domain.payslip import ApprovedExpense, ApprovedTravelClaim
from backend.domain.payslip.inputs import Employee, TravelDay
from backend.domain.time.vacation import payslip_vacation
from backend.payslips import pdf, snapshot
from tests.unit.domain.payslip.builders import D, employee, monthly, slip

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
CLAIM = "5b7e0a52-3f0c-4c35-9a51-2f6f0f3e9d11"
EXPENSE = "0c6f3a7e-8d2b-4f55-b1a9-6a3c4e5d7f80"
ANNA = "9d4c1b2a-1111-4222-8333-444455556666"


def _anna() -> Employee:
    return replace(employee(monthly(42_000)), employee_id=ANNA)


def _old_snapshot() -> dict[str, Any]:
    """What a pay run stored before: no employer, number, vacation or sub-lines, and ids in texts."""
    payslip = slip(
        _anna(),
        expenses=[ApprovedExpense(EXPENSE, CLAIM, D(120), date(2026, 3, 25))],
    )
    stored = snapshot.to_snapshot(payslip, employee_name="Anna Andersson")
    for key in ("employer", "employee_number", "vacation"):
        del stored[key]
    for line in stored["lines"]:
        del line["details"]
        if line["code"] == "expense":
            line["text"] = {"sv": f"Utlägg: {EXPENSE}", "en": f"Expense: {EXPENSE}"}
            line["explanation"] = {
                "sv": f"Ersättning 120 kr (utläggsräkning {CLAIM}, attesterad 2026-03-25).",
                "en": f"Reimbursement 120 kr (expense claim {CLAIM}, approved 2026-03-25).",
            }
    return stored


def _pdf_text(document: bytes) -> str:
    pages = pypdfium2.PdfDocument(io.BytesIO(document))
    return "\n".join(page.get_textpage().get_text_range() for page in pages)


def test_an_old_snapshot_renders_with_the_new_fields_empty_and_no_ids_in_its_texts() -> None:
    view = snapshot.view(_old_snapshot(), "sv", preliminary=False, pay_run_id=None)

    assert (view.employer, view.employee_number, view.vacation) == (None, None, None)
    expense = next(line for line in view.lines if line.code == "expense")
    assert expense.text == "Utlägg"
    assert expense.explanation == "Ersättning 120 kr (utläggsräkning, attesterad 2026-03-25)."
    assert expense.details == []
    assert view.net_pay == Decimal(view.gross_pay) + Decimal(120) - view.tax


def test_an_old_snapshot_still_makes_a_pdf_without_ids() -> None:
    view = snapshot.view(_old_snapshot(), "sv", preliminary=False, pay_run_id=None)

    text = _pdf_text(pdf.render(view, "sv"))

    assert "Lönespecifikation" in text
    assert "Anna Andersson" in text
    assert not UUID_TEXT.search(text)


def test_a_new_snapshot_carries_employer_number_vacation_and_travel_sub_lines_into_the_pdf() -> None:
    trip = ApprovedTravelClaim(
        CLAIM,
        date(2026, 3, 25),
        "Göteborg",
        per_diem_tax_free=D(645),
        days=(
            TravelDay("full_day", D(300), D(0)),
            TravelDay("full_day", D(300), D(105)),
            TravelDay("half_day", D(150), D(0)),
        ),
    )
    payslip = slip(_anna(), travel_claims=[trip])
    vacation = payslip_vacation(2026, D(25), [(date(2026, 3, 2), date(2026, 3, 6))], [], as_of=date(2026, 4, 30))
    head = snapshot.Header("Demo AB", "556677-8899", "1001", vacation)

    view = snapshot.view(
        snapshot.to_snapshot(payslip, employee_name="Anna Andersson", header=head),
        "sv",
        preliminary=True,
        pay_run_id=None,
    )
    text = _pdf_text(pdf.render(view, "sv"))

    assert view.employer is not None
    assert view.employer.org_number == "556677-8899"
    assert view.vacation is not None
    assert (view.vacation.taken, view.vacation.remaining) == (D(5), D(20))
    for shown in ("Demo AB", "Org.nr 556677-8899", "Anst.nr", "1001", "Heldagar", "Måltidsreduktion", "Semester 2026"):
        assert shown in text, shown
    assert not UUID_TEXT.search(text)
