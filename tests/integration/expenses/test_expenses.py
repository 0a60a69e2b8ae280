"""Filing expenses through the API: upload, interpretation, drafts, claims, warnings, bad input."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy import Engine, event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from backend.db.models import Expense, Receipt
from tests.conftest import SHARED, Org, problem
from tests.support.images import decompression_bomb, iphone_heic, multi_page_pdf, receipt_image, with_gps_exif

ANNA_EXPENSE = {
    "expense_date": "2026-11-20",
    "merchant": "Restaurang Prinsen",
    "amount": "245.00",
    "category": "meal",
    "vat": [{"rate": "12", "amount": "26.25"}],
}


async def count(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def upload(client: AsyncTestClient[Litestar], headers: dict[str, str], content: bytes, **data: str) -> Any:
    return await client.post(
        "/api/receipts", files={"file": ("kvitto.jpg", content, "image/jpeg")}, data=data, headers=headers
    )


async def new_expense(client: AsyncTestClient[Litestar], headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    uploaded = await upload(client, headers, receipt_image(seed_text=uuid.uuid4().hex))
    assert uploaded.status_code == 201, uploaded.text
    body = {"receipt_id": uploaded.json()["id"], **ANNA_EXPENSE, **fields}
    response = await client.put(f"/api/expenses/{uploaded.json()['expense_id']}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_upload_opens_a_draft_expense_waiting_for_interpretation(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await upload(client, as_role["employee"], receipt_image())

    assert response.status_code == 201
    receipt = response.json()
    assert receipt["state"] == "queued"
    assert receipt["content_type"] == "image/jpeg"
    expense = (await client.get(f"/api/expenses/{receipt['expense_id']}", headers=as_role["employee"])).json()
    assert expense["state"] == "draft"
    assert expense["receipt"]["id"] == receipt["id"]


async def test_the_stored_copy_has_no_gps_or_camera_metadata(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    receipt = (await upload(client, as_role["employee"], with_gps_exif())).json()

    image = await client.get(receipt["image_url"], headers=as_role["employee"])

    assert image.status_code == 200
    stored = Image.open(io.BytesIO(image.content))
    exif = stored.getexif()
    assert 0x8825 not in exif  # GPS
    assert 0x010F not in exif  # camera make


async def test_a_replayed_upload_with_the_same_expense_id_creates_one_expense(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    expense_id = str(uuid.uuid4())
    content = receipt_image()

    first = await upload(client, as_role["employee"], content, expense_id=expense_id)
    second = await upload(client, as_role["employee"], content, expense_id=expense_id)

    assert first.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert await count(engine, Expense) == 1
    assert await count(engine, Receipt) == 1


async def test_a_replayed_upload_with_the_same_idempotency_key_acts_once(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    headers = {**as_role["employee"], "idempotency-key": "upload-" + uuid.uuid4().hex}
    content = receipt_image()

    first = await upload(client, headers, content)
    second = await upload(client, headers, content)

    assert second.json() == first.json()
    assert second.headers.get("idempotent-replayed") == "true"
    assert await count(engine, Expense) == 1


async def test_put_creates_once_and_then_replaces(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    expense_id = str(uuid.uuid4())

    created = await client.put(f"/api/expenses/{expense_id}", json=ANNA_EXPENSE, headers=as_role["employee"])
    replayed = await client.put(f"/api/expenses/{expense_id}", json=ANNA_EXPENSE, headers=as_role["employee"])
    listed = await client.get("/api/expenses", headers=as_role["employee"])

    assert created.status_code == 201
    assert replayed.status_code == 200
    assert [e["id"] for e in listed.json()] == [expense_id]
    assert created.json()["amount_sek"] == "245.00"


async def test_an_unknown_cost_centre_is_refused_at_its_field(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    body = {**ANNA_EXPENSE, "cost_centre_id": str(uuid.uuid4())}

    response = await client.put(f"/api/expenses/{uuid.uuid4()}", json=body, headers=as_role["employee"])

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in problem(response)["errors"]] == [("cost_centre_id", "unknown_cost_centre")]


async def test_foreign_currency_is_converted_to_kronor_exactly(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.put(
        f"/api/expenses/{uuid.uuid4()}",
        json={**ANNA_EXPENSE, "amount": "19.99", "currency": "EUR", "exchange_rate": "11.0245", "vat": []},
        headers=as_role["employee"],
    )

    body = response.json()
    assert response.status_code == 201, response.text
    assert body["amount_sek"] == "220.38"  # 19.99 x 11.0245 = 220.379755, half up
    assert body["exchange_rate_source"] == "manual"


async def test_submitting_reports_every_problem_at_once_and_changes_nothing(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    incomplete = str(uuid.uuid4())
    await client.put(f"/api/expenses/{incomplete}", json={"amount": "50.00", "currency": "USD"}, headers=anna)
    entertainment = str(uuid.uuid4())
    await client.put(
        f"/api/expenses/{entertainment}", json={**ANNA_EXPENSE, "category": "representation"}, headers=anna
    )
    claim = str(uuid.uuid4())
    await client.put(
        f"/api/expense-claims/{claim}", json={"title": "Nov", "expense_ids": [incomplete, entertainment]}, headers=anna
    )

    response = await client.post(f"/api/expense-claims/{claim}/submit", headers=anna)

    body = problem(response)
    assert response.status_code == 422
    fields = {(e["field"], e["code"]) for e in body["errors"]}
    expense_with_gaps = next(
        i
        for i, e in enumerate((await client.get(f"/api/expense-claims/{claim}", headers=anna)).json()["expenses"])
        if e["id"] == incomplete
    )
    other = 1 - expense_with_gaps
    assert {
        (f"expenses.{expense_with_gaps}.expense_date", "required"),
        (f"expenses.{expense_with_gaps}.category", "required"),
        (f"expenses.{expense_with_gaps}.merchant", "required"),
        (f"expenses.{expense_with_gaps}.exchange_rate", "required"),
        (f"expenses.{expense_with_gaps}.receipt", "receipt_missing"),
        (f"expenses.{other}.participants", "required"),
        (f"expenses.{other}.purpose", "required"),
    } <= fields
    after = (await client.get(f"/api/expense-claims/{claim}", headers=anna)).json()
    assert after["state"] == "draft"
    assert after["attest"] is None


async def test_a_complete_claim_is_submitted_to_the_manager_and_locked_for_edits(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    first = await new_expense(client, anna)
    second = await new_expense(client, anna, amount="99.90", merchant="Taxi Stockholm", category="taxi", vat=[])
    claim = str(uuid.uuid4())
    await client.put(
        f"/api/expense-claims/{claim}",
        json={"title": "November", "expense_ids": [first["id"], second["id"]]},
        headers=anna,
    )

    submitted = await client.post(f"/api/expense-claims/{claim}/submit", headers=anna)
    edit = await client.put(f"/api/expenses/{first['id']}", json={**ANNA_EXPENSE, "amount": "1.00"}, headers=anna)

    assert submitted.status_code == 200, submitted.text
    view = submitted.json()
    assert view["state"] == "submitted"
    assert view["total_sek"] == "344.90"
    assert [h["action"] for h in view["history"]][-1] == "submitted"
    assert view["history"][-1]["actor"] == "Anna Andersson"
    assert edit.status_code == 409
    assert problem(edit)["code"] == "attest.not_editable"
    listed = (await client.get("/api/expense-claims", headers=anna)).json()
    assert listed[0]["state"] == "submitted"
    assert listed[0]["expense_count"] == 2
    assert listed[0]["total_sek"] == "344.90"


async def test_submitting_twice_is_a_conflict_unless_it_is_a_replay(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    expense = await new_expense(client, anna)
    claim = str(uuid.uuid4())
    await client.put(
        f"/api/expense-claims/{claim}", json={"title": "Nov", "expense_ids": [expense["id"]]}, headers=anna
    )
    keyed = {**anna, "idempotency-key": f"submit-{claim}"}

    first = await client.post(f"/api/expense-claims/{claim}/submit", headers=keyed)
    replay = await client.post(f"/api/expense-claims/{claim}/submit", headers=keyed)
    again = await client.post(f"/api/expense-claims/{claim}/submit", headers=anna)

    assert first.status_code == replay.status_code == 200
    assert replay.json()["state"] == "submitted"
    assert again.status_code == 409


async def test_the_same_receipt_twice_is_a_warning_with_a_link_not_a_block(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    content = receipt_image(seed_text="same")
    first = (await upload(client, anna, content)).json()
    second = (await upload(client, anna, content)).json()

    view = (await client.get(f"/api/expenses/{second['expense_id']}", headers=anna)).json()

    assert {"code": "same_image", "related_expense_id": first["expense_id"]}.items() <= view["warnings"][0].items()


async def test_same_merchant_date_and_amount_is_flagged(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    first = await client.put(f"/api/expenses/{uuid.uuid4()}", json=ANNA_EXPENSE, headers=anna)
    second = await client.put(
        f"/api/expenses/{uuid.uuid4()}", json={**ANNA_EXPENSE, "merchant": "RESTAURANG PRINSEN"}, headers=anna
    )

    assert [w["code"] for w in second.json()["warnings"]] == ["same_purchase"]
    assert second.json()["warnings"][0]["related_expense_id"] == first.json()["id"]


async def test_the_same_company_and_amount_within_a_month_is_a_recurring_warning(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    gym = {"merchant": "Friskis", "org_number": "5566778899", "amount": "400.00", "category": "wellness"}
    await client.put(f"/api/expenses/{uuid.uuid4()}", json={**gym, "expense_date": "2026-10-25"}, headers=anna)
    second = await client.put(f"/api/expenses/{uuid.uuid4()}", json={**gym, "expense_date": "2026-11-20"}, headers=anna)

    assert second.json()["org_number"] == "556677-8899"
    assert "recurring" in [w["code"] for w in second.json()["warnings"]]


async def test_a_list_reads_the_years_wellness_expenses_once_and_warns_as_each_expense_alone(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = {**as_role["employee"], "accept-language": "en"}
    ids = []
    for n in range(5):  # 5 x 1 000 kr: the first three sent use the demo employer's own 3 000 kr
        filed = await new_expense(client, anna, category="wellness", merchant=f"Gym {n}", amount="1000.00", vat=[])
        ids.append(filed["id"])
    claim = str(uuid.uuid4())
    await client.put(f"/api/expense-claims/{claim}", json={"title": "Gym", "expense_ids": ids[:3]}, headers=anna)
    assert (await client.post(f"/api/expense-claims/{claim}/submit", headers=anna)).status_code == 200
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        listed = (await client.get("/api/expenses", headers=anna)).json()
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    alone = {i: (await client.get(f"/api/expenses/{i}", headers=anna)).json()["warnings"] for i in ids}

    year_reads = [s for s in statements if "LEFT OUTER JOIN attestitem" in s and "expense.category IN" in s]
    assert len(year_reads) == 1
    assert {e["id"]: e["warnings"] for e in listed} == alone
    wellness = [sorted(w["code"] for w in alone[i] if w["code"].startswith("wellness")) for i in ids]
    assert wellness[:3] == [[], [], []]
    assert wellness[3] == wellness[4] != []  # the employer's 3 000 kr are used: it pays no more


async def test_wellness_over_the_yearly_cap_warns_that_everything_becomes_taxable(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna = as_role["employee"]
    # An employer that pays more than the tax-free 5 000 kr (the demo's own cap is 3 000 kr).
    policy = await client.put(
        "/api/organisation/policies/2026", json={"wellness_allowance": "8000"}, headers=as_role["payroll"]
    )
    assert policy.status_code == 200, policy.text
    first = await new_expense(client, anna, category="wellness", merchant="Gym AB", amount="3500.00", vat=[])
    claim = str(uuid.uuid4())
    await client.put(f"/api/expense-claims/{claim}", json={"title": "Gym", "expense_ids": [first["id"]]}, headers=anna)
    assert (await client.post(f"/api/expense-claims/{claim}/submit", headers=anna)).status_code == 200

    second = await client.put(
        f"/api/expenses/{uuid.uuid4()}",
        json={**ANNA_EXPENSE, "category": "wellness", "merchant": "Padel AB", "amount": "2000.00", "vat": []},
        headers={**anna, "accept-language": "en"},
    )
    status = (await client.get("/api/wellness", headers=anna)).json()

    warning = next(w for w in second.json()["warnings"] if w["code"] == "wellness_over_cap")
    assert "5500.00" in warning["message"]
    assert "whole year" in warning["message"]
    assert status == {
        "year": 2026,
        "cap": "5000",
        "used": "3500.00",
        "remaining": "1500.00",
        "employer_allowance": "8000.00",
    }


async def test_invalid_values_are_refused_with_field_names(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.put(
        f"/api/expenses/{uuid.uuid4()}",
        json={
            "amount": "-5",
            "currency": "kr!",
            "expense_date": "2027-01-01",
            "category": "yacht",
            "org_number": "556677-8890",
            "vat": [{"rate": "7", "amount": "1.00"}],
        },
        headers=as_role["employee"],
    )

    assert response.status_code == 422
    assert {e["field"] for e in problem(response)["errors"]} == {
        "amount",
        "currency",
        "expense_date",
        "category",
        "org_number",
        "vat.0.rate",
    }


async def test_someone_elses_expense_is_not_found(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    expense = await new_expense(client, as_role["employee"])

    # A draft is Anna's own: even Maria (her manager) neither sees nor changes it until it is submitted.
    read_by_manager = await client.get(f"/api/expenses/{expense['id']}", headers=as_role["manager"])
    changed_by_manager = await client.put(
        f"/api/expenses/{expense['id']}", json=ANNA_EXPENSE, headers=as_role["manager"]
    )

    assert read_by_manager.status_code == 404
    assert changed_by_manager.status_code == 404


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"", 422, "empty_image"),
        (b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20, 422, None),
        (b"%PDF-1.4 hello", 422, None),
        (b"just some text, not an image", 415, "unsupported_image_type"),
    ],
    ids=["empty", "corrupt-jpeg", "broken-pdf", "text-file"],
)
async def test_bad_uploads_are_clear_4xx_and_store_nothing(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    content: bytes,
    status: int,
    code: str | None,
) -> None:
    response = await upload(client, as_role["employee"], content)

    assert response.status_code == status, response.text
    if code:
        assert problem(response)["code"] == code or problem(response)["errors"][0]["code"] == code
    assert await count(engine, Receipt) == 0
    assert await count(engine, Expense) == 0


async def test_a_decompression_bomb_is_refused(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    response = await client.post(
        "/api/receipts", files={"file": ("bomb.png", decompression_bomb(), "image/png")}, headers=as_role["employee"]
    )

    assert response.status_code == 413
    assert problem(response)["code"] == "image_too_large"
    assert await count(engine, Receipt) == 0


async def test_a_pdf_with_many_pages_is_refused(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    response = await client.post(
        "/api/receipts", files={"file": ("doc.pdf", multi_page_pdf(), "application/pdf")}, headers=as_role["employee"]
    )

    assert response.status_code == 422
    assert problem(response)["errors"][0]["code"] == "too_many_pages"
    assert await count(engine, Receipt) == 0


async def test_a_60_mb_upload_is_refused_before_it_is_read(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    huge = b"\xff\xd8\xff\xe0" + b"\0" * (60 * 1024 * 1024)

    response = await upload(client, as_role["employee"], huge)

    assert response.status_code == 413
    problem(response)
    assert await count(engine, Receipt) == 0


async def test_the_type_is_taken_from_the_content_not_the_name(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    png = receipt_image(fmt="PNG")

    response = await client.post(
        "/api/receipts", files={"file": ("photo.jpg", png, "image/jpeg")}, headers=as_role["employee"]
    )

    assert response.json()["content_type"] == "image/png"


async def test_json_instead_of_a_file_is_a_clear_error(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.post("/api/receipts", json={"file": "abc"}, headers=as_role["employee"])

    assert 400 <= response.status_code < 500
    problem(response)


# --- interpretation by the real worker, with real Tesseract ------------------------------------


@pytest.fixture
async def ocr_client(settings: Settings, clock: FixedClock, demo: Org) -> Any:
    app = create_app(replace(settings, run_worker_in_app=True, ocr_processes=1), clock)
    async with AsyncTestClient(app=app, base_url="http://localhost") as client:
        yield client


async def wait_until_read(
    client: AsyncTestClient[Litestar], headers: dict[str, str], receipt_id: str
) -> dict[str, Any]:
    for _ in range(240):
        receipt = (await client.get(f"/api/receipts/{receipt_id}", headers=headers)).json()
        if receipt["state"] in ("done", "failed"):
            return dict(receipt)
        await asyncio.sleep(0.5)
    pytest.fail("receipt was not interpreted within two minutes")


@pytest.mark.slow
async def test_a_photographed_receipt_fills_in_the_expense(ocr_client: AsyncTestClient[Litestar]) -> None:
    from tests.conftest import ANNA, login

    anna = await login(ocr_client, ANNA)
    receipt = (await upload(ocr_client, anna, receipt_image())).json()

    read = await wait_until_read(ocr_client, anna, receipt["id"])
    expense = (await ocr_client.get(f"/api/expenses/{receipt['expense_id']}", headers=anna)).json()

    assert read["state"] == "done"
    assert read["interpretation"]["total"] == "134.50"
    assert expense["amount"] == "134.50"
    assert expense["expense_date"] == "2026-11-20"
    assert expense["org_number"] == "556677-8899"
    assert expense["filled_from_receipt"] is True
    assert 0 < expense["confidence"]["total"] <= 1


@pytest.mark.slow
async def test_an_iphone_heic_photo_is_read_like_any_other(ocr_client: AsyncTestClient[Litestar]) -> None:
    from tests.conftest import ANNA, login

    anna = await login(ocr_client, ANNA)
    uploaded = await ocr_client.post(
        "/api/receipts", files={"file": ("IMG_0042.HEIC", iphone_heic(), "image/heic")}, headers=anna
    )
    assert uploaded.status_code == 201, uploaded.text

    read = await wait_until_read(ocr_client, anna, uploaded.json()["id"])

    assert read["state"] == "done"
    assert read["interpretation"]["total"] == "134.50"
    assert read["interpretation"]["date"] == "2026-11-20"


@pytest.mark.slow
async def test_a_swedish_receipt_from_the_labelled_set_is_read_into_the_expense(
    ocr_client: AsyncTestClient[Litestar],
) -> None:
    folder = SHARED / "receipts" / "synthetic-sv"
    if not folder.is_dir():
        pytest.skip("../shared/receipts is not present")
    from tests.conftest import ANNA, login

    image = sorted(folder.glob("*.jpg"))[0]
    label = json.loads(image.with_suffix(".json").read_text())
    anna = await login(ocr_client, ANNA)
    receipt = (await upload(ocr_client, anna, image.read_bytes())).json()

    await wait_until_read(ocr_client, anna, receipt["id"])
    expense = (await ocr_client.get(f"/api/expenses/{receipt['expense_id']}", headers=anna)).json()

    assert expense["amount"] == label["total"]
    assert expense["expense_date"] == label["date"]


_ = Path
