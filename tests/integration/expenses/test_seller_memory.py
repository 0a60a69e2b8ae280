"""Learning from corrections: an organisation's fix to a seller's receipt fills in its next receipt from them.

Most tests hand the worker a reading (an ``ocr.model.Receipt``) where the OCR is not the
point; one runs the real worker with real OCR on a photographed receipt.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from backend.app import create_app
from backend.config import Settings
from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.db.models import AuditEvent, SellerMemory
from backend.expenses.interpretation import _finish
from backend.storage import open_store
from backend.worker.context import WorkerContext
from ocr.model import Receipt as ReadReceipt
from tests.conftest import ANNA, MARIA, Org, login
from tests.integration.expenses.test_expenses import upload, wait_until_read
from tests.support.factories import OtherOrg
from tests.support.images import receipt_image

Client = AsyncTestClient[Litestar]
LATVIAN = ReadReceipt(
    merchant="Brivibas iela 68",  # the street address, read as the merchant
    org_number=None,
    date=date(2026, 11, 20),
    total=Decimal("31.44"),
    currency=None,
    category="other",
    confidence={"merchant": 0.4, "total": 0.9, "currency": 0.0},
)
SWEDISH = ReadReceipt(
    merchant="Kvitto Kopia",
    org_number="556677-8899",
    date=date(2026, 11, 20),
    total=Decimal("134.50"),
    currency="SEK",
    category="other",
)


@pytest.fixture
def worker(settings: Settings, engine: AsyncEngine, clock: FixedClock) -> WorkerContext:
    """The worker's context on the test database, to hand it a reading without running OCR."""
    return WorkerContext(
        settings=settings,
        sessions=session_maker(engine),
        clock=clock,
        storage=open_store(settings.storage_url, settings.data_dir),
        name="test-worker",
    )


async def read_as(
    client: Client, headers: dict[str, str], worker: WorkerContext, reading: ReadReceipt
) -> dict[str, Any]:
    """Upload a receipt, let the worker finish it with ``reading``, and return the filled-in expense."""
    uploaded = await upload(client, headers, receipt_image(seed_text=uuid.uuid4().hex))
    assert uploaded.status_code == 201, uploaded.text
    await _finish(worker, uuid.UUID(uploaded.json()["id"]), state="done", result=reading)
    response = await client.get(f"/api/expenses/{uploaded.json()['expense_id']}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def correct(client: Client, headers: dict[str, str], expense: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {
        "receipt_id": expense["receipt"]["id"],
        "expense_date": expense["expense_date"],
        "merchant": expense["merchant"],
        "org_number": expense["org_number"],
        "amount": expense["amount"],
        "currency": expense["currency"],
        "category": expense["category"],
        **fields,
    }
    response = await client.put(f"/api/expenses/{expense['id']}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def events(engine: AsyncEngine, entity_type: str, action: str) -> list[AuditEvent]:
    async with session_maker(engine)() as session:
        rows = await session.execute(
            select(AuditEvent).where(col(AuditEvent.entity_type) == entity_type, col(AuditEvent.action) == action)
        )
        return list(rows.scalars())


async def test_a_correction_fills_in_the_next_receipt_from_the_seller_for_a_colleague(
    client: Client, worker: WorkerContext, engine: AsyncEngine, demo: Org
) -> None:
    anna = await login(client, ANNA)
    first = await read_as(client, anna, worker, LATVIAN)
    assert (first["merchant"], first["currency"], first["remembered"]) == ("Brivibas iela 68", "SEK", [])
    await correct(client, anna, first, merchant="SIA Rimi Latvia", category="meal", currency="EUR", exchange_rate="11")

    maria = await login(client, MARIA)
    second = await read_as(client, maria, worker, LATVIAN)

    assert second["merchant"] == "SIA Rimi Latvia"
    assert second["category"] == "meal"
    assert second["currency"] == "EUR"
    assert second["amount"] == "31.44"
    assert sorted(second["remembered"]) == ["category", "currency", "merchant"]
    learned = await events(engine, "seller_memory", "learned")
    assert learned[0].after is not None
    assert {learned[0].after["key_kind"], learned[0].after["merchant"]} == {"name", "SIA Rimi Latvia"}
    applied = await events(engine, "expense", "filled_from_seller_memory")
    assert [(str(e.entity_id), e.after and e.after["merchant"]) for e in applied] == [(second["id"], "SIA Rimi Latvia")]


async def test_another_organisations_correction_never_fills_in_ours(
    client: Client, worker: WorkerContext, engine: AsyncEngine, demo: Org, other_org: OtherOrg
) -> None:
    olle = await login(client, "olle@annat.se")
    theirs = await read_as(client, olle, worker, SWEDISH)
    await correct(client, olle, theirs, merchant="Annat Namn AB", category="office_supplies")

    anna = await login(client, ANNA)
    ours = await read_as(client, anna, worker, SWEDISH)

    assert ours["merchant"] == "Kvitto Kopia"
    assert ours["category"] == "other"
    assert ours["remembered"] == []
    async with session_maker(engine)() as session:
        kept = list((await session.execute(select(SellerMemory))).scalars())
    assert {(m.organisation_id, m.key_kind) for m in kept} == {(other_org.id, "org_number"), (other_org.id, "name")}


async def test_what_the_employee_typed_wins_over_the_remembered_values(
    client: Client, worker: WorkerContext, demo: Org
) -> None:
    anna = await login(client, ANNA)
    first = await read_as(client, anna, worker, SWEDISH)
    await correct(client, anna, first, merchant="ICA Kvantum", category="office_supplies")
    uploaded = (await upload(client, anna, receipt_image(seed_text=uuid.uuid4().hex))).json()
    typed = await client.put(
        f"/api/expenses/{uploaded['expense_id']}",
        json={"receipt_id": uploaded["id"], "merchant": "Mitt eget namn"},
        headers=anna,
    )
    assert typed.status_code == 200, typed.text

    await _finish(worker, uuid.UUID(uploaded["id"]), state="done", result=SWEDISH)
    second = (await client.get(f"/api/expenses/{uploaded['expense_id']}", headers=anna)).json()

    assert second["merchant"] == "Mitt eget namn"
    assert second["category"] == "office_supplies"
    assert second["remembered"] == ["category"]


async def test_saving_confirms_the_remembered_values_and_a_new_correction_replaces_them(
    client: Client, worker: WorkerContext, engine: AsyncEngine, demo: Org
) -> None:
    anna = await login(client, ANNA)
    first = await read_as(client, anna, worker, SWEDISH)
    await correct(client, anna, first, category="office_supplies")
    second = await read_as(client, anna, worker, SWEDISH)
    assert second["category"] == "office_supplies"

    saved = await correct(client, anna, second, category="meal")
    third = await read_as(client, anna, worker, SWEDISH)

    assert saved["remembered"] == []
    assert third["category"] == "meal"
    assert third["merchant"] == "Kvitto Kopia"  # never corrected: as read
    updated = await events(engine, "seller_memory", "updated")
    assert {(e.before or {}).get("category") for e in updated} == {"office_supplies"}


async def test_a_namesake_with_another_org_number_is_not_filled_in(
    client: Client, worker: WorkerContext, demo: Org
) -> None:
    anna = await login(client, ANNA)
    first = await read_as(client, anna, worker, SWEDISH)
    await correct(client, anna, first, category="office_supplies")

    namesake = await read_as(client, anna, worker, replace(SWEDISH, org_number="556207-5472"))
    unregistered = await read_as(client, anna, worker, replace(SWEDISH, org_number=None))

    assert (namesake["category"], namesake["remembered"]) == ("other", [])
    assert (unregistered["category"], unregistered["remembered"]) == ("office_supplies", ["category"])


async def test_saving_without_changes_teaches_nothing(
    client: Client, worker: WorkerContext, engine: AsyncEngine, demo: Org
) -> None:
    anna = await login(client, ANNA)
    first = await read_as(client, anna, worker, SWEDISH)

    await correct(client, anna, first)

    assert await events(engine, "seller_memory", "learned") == []


# --- with the real worker and real OCR --------------------------------------------------------


@pytest.fixture
async def ocr_client(settings: Settings, clock: FixedClock, demo: Org) -> Any:
    app = create_app(replace(settings, run_worker_in_app=True, ocr_processes=1), clock)
    async with AsyncTestClient(app=app, base_url="http://localhost") as client:
        yield client


@pytest.mark.slow
async def test_a_photographed_receipt_from_a_corrected_seller_is_filled_in_as_corrected(ocr_client: Client) -> None:
    anna = await login(ocr_client, ANNA)
    first = (await upload(ocr_client, anna, receipt_image(seed_text="first"))).json()
    await wait_until_read(ocr_client, anna, first["id"])
    read = (await ocr_client.get(f"/api/expenses/{first['expense_id']}", headers=anna)).json()
    assert read["org_number"] == "556677-8899"
    await correct(ocr_client, anna, read, merchant="ICA Kvantum Liljeholmen", category="office_supplies")

    second = (await upload(ocr_client, anna, receipt_image(seed_text="second"))).json()
    await wait_until_read(ocr_client, anna, second["id"])
    expense = (await ocr_client.get(f"/api/expenses/{second['expense_id']}", headers=anna)).json()

    assert expense["merchant"] == "ICA Kvantum Liljeholmen"
    assert expense["category"] == "office_supplies"
    assert expense["amount"] == "134.50"
    assert sorted(expense["remembered"]) == ["category", "merchant"]
