"""The payslip reads like a Swedish lönespecifikation, in the API and the PDF.

Employer and org.nr, employee number, tax table and column, year to date, the vacation balance,
travel broken into days, meal reductions and mil; and no internal id anywhere a person reads.
Figures from ../shared/payroll/rates-2026.md: domestic full day 300 kr, half day 150 kr, a free
lunch 105 kr, own car 25 kr per mil.
"""

from __future__ import annotations

import io
import re
import uuid
from decimal import Decimal
from typing import Any

import pypdfium2
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.demo.seed import DEMO_ORGANISATION
from tests.conftest import ANNA, Org
from tests.support.flows import inbox_item_for
from tests.support.jobs import RunJobs, pay_run

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
# Monday 2 March 2026 to Wednesday 17:00: two full days and a half day, a free lunch on Tuesday.
TRIP = {
    "departure_at": "2026-03-02T08:00:00",
    "return_at": "2026-03-04T17:00:00",
    "purpose": "Workshop med kund",
    "destination": "Göteborg",
    "distance_from_home_km": "470",
    "distance_from_workplace_km": "470",
    "meals": [{"date": "2026-03-03", "lunch": True}],
    "mileage": [{"date": "2026-03-02", "from_place": "Stockholm", "to_place": "Arlanda", "distance_km": "42"}],
}


async def payslip(client: AsyncTestClient[Litestar], headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = await client.get("/api/payslips/preliminary", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def pdf_text(client: AsyncTestClient[Litestar], headers: dict[str, str], **params: str) -> str:
    response = await client.get("/api/payslips/pdf", params=params, headers=headers)
    assert response.status_code == 200, response.text
    document = pypdfium2.PdfDocument(io.BytesIO(response.content))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


async def approved(client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], kind: str, body: Any) -> str:
    """Anna files a travel claim or a leave request; Maria approves it."""
    anna, maria = as_role["employee"], as_role["manager"]
    subject = str(uuid.uuid4())
    base = {"travel": "/api/travel-claims", "leave": "/api/leave/requests"}[kind]
    saved = await client.put(f"{base}/{subject}", json=body, headers=anna)
    assert saved.status_code in (200, 201), saved.text
    submitted = await client.post(f"{base}/{subject}/submit", headers=anna)
    assert submitted.status_code == 200, submitted.text
    item = await inbox_item_for(client, maria, subject)
    decided = await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    assert decided.status_code == 200, decided.text
    return subject


async def test_the_payslip_names_employer_org_number_employee_number_and_tax_table(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], demo: Org
) -> None:
    anna = as_role["employee"]
    employee = (await client.get(f"/api/employees/{demo.employees[ANNA]}", headers=anna)).json()

    slip = await payslip(client, anna)
    text = await pdf_text(client, anna)

    assert slip["employer"] == {"name": DEMO_ORGANISATION, "org_number": "556677-8899"}
    assert slip["employee_number"] == employee["employee_number"]
    assert slip["tax_basis"]["table"] == employee["tax_table"]
    assert slip["year_to_date"]["year"] == 2026
    assert Decimal(slip["year_to_date"]["gross_pay"]) >= Decimal(slip["gross_pay"])
    for shown in (
        "Lönespecifikation",
        DEMO_ORGANISATION,
        "Org.nr 556677-8899",
        "Anst.nr",
        employee["employee_number"],
        "november 2026",
        f"Skattetabell {employee['tax_table']}, kolumn {slip['tax_basis']['column']}",
        "Skattepliktig bruttolön",
        "Hittills i år 2026",
        "Att få utbetalt",
    ):
        assert shown in text, shown
    assert not UUID_TEXT.search(text)


async def test_the_vacation_balance_counts_approved_days_as_taken_or_planned_and_pending_as_planned(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    await approved(client, as_role, "leave", {"first_day": "2026-11-02", "last_day": "2026-11-06"})
    await approved(client, as_role, "leave", {"first_day": "2026-12-14", "last_day": "2026-12-18"})
    waiting = await client.put(
        f"/api/leave/requests/{uuid.uuid4()}", json={"first_day": "2026-12-21", "last_day": "2026-12-23"}, headers=anna
    )
    await client.post(f"/api/leave/requests/{waiting.json()['id']}/submit", headers=anna)

    november = await payslip(client, anna)
    text = await pdf_text(client, anna)

    # 2-6 Nov (5 days) before the end of November: taken; 14-18 Dec approved and 21-23 Dec waiting: planned.
    assert november["vacation"]["year"] == 2026
    assert november["vacation"]["paid_days"] == "25.00"
    assert november["vacation"]["taken"] == "5.00"
    assert november["vacation"]["planned"] == "8.00"
    assert november["vacation"]["remaining"] == "12.00"
    assert november["vacation"]["unpaid_days"] == "0.00"
    assert november["vacation"]["saved_days"] is None
    assert "Sparade dagar förs inte i systemet" in november["vacation"]["explanation"]
    assert "Semester 2026" in text
    assert "Betalda dagar" in text


async def test_a_trip_on_the_payslip_shows_days_the_meal_reduction_and_mil(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    assert (await pay_run(client, lena, {"period": "2026-11"}, run_jobs)).status_code == 201
    claim_id = await approved(client, as_role, "travel", TRIP)

    december = await payslip(client, anna)
    text = await pdf_text(client, anna)

    per_diem = next(line for line in december["lines"] if line["code"] == "per_diem_tax_free")
    assert per_diem["text"] == "Traktamente, skattefritt: Göteborg"
    assert (per_diem["quantity"], per_diem["unit"], per_diem["amount"]) == ("3", "days", "645.00")
    assert [(d["text"], d["quantity"], d["rate"], d["amount"]) for d in per_diem["details"]] == [
        ("Heldagar", "2", "300.00", "600.00"),
        ("Halvdagar", "1", "150.00", "150.00"),
        ("Måltidsreduktion (fria måltider)", "1", "-105.00", "-105.00"),
    ]
    mileage = next(line for line in december["lines"] if line["code"] == "mileage_tax_free")
    assert (mileage["quantity"], mileage["unit"], mileage["rate"], mileage["amount"]) == (
        "4.20",
        "mil",
        "25.00",
        "105.00",
    )
    assert mileage["details"][0]["text"] == "42 km, skattefritt belopp"
    assert claim_id in per_diem["source_ids"]
    for shown in ("Heldagar", "Halvdagar", "Måltidsreduktion", "42 km", "mil", "À-pris"):
        assert shown in text, shown
    assert not UUID_TEXT.search(text)


async def test_a_finalised_payslip_keeps_what_the_lonespecifikation_shows(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], run_jobs: RunJobs
) -> None:
    anna, lena = as_role["employee"], as_role["payroll"]
    await approved(client, as_role, "leave", {"first_day": "2026-11-02", "last_day": "2026-11-03"})
    assert (await pay_run(client, lena, {"period": "2026-11"}, run_jobs)).status_code == 201

    stored = await payslip(client, anna, period="2026-11")
    english = await pdf_text(client, {**anna, "accept-language": "en"}, period="2026-11")

    assert stored["preliminary"] is False
    assert stored["employer"]["org_number"] == "556677-8899"
    assert stored["employee_number"]
    assert stored["vacation"]["taken"] == "2.00"
    assert "Employee no." in english
    assert "Vacation 2026" in english
    assert not UUID_TEXT.search(english)
