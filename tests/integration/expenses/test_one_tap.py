"""One receipt straight to attest, every submission rule shown at save, and claim titles people can tell apart."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.clock import FixedClock
from backend.db.models import AttestItem, ExpenseClaim
from tests.conftest import NOW, problem
from tests.integration.expenses.test_expenses import ANNA_EXPENSE, count, new_expense

Headers = dict[str, dict[str, str]]


async def submit(client: AsyncTestClient[Litestar], headers: dict[str, str], expense_id: str) -> Any:
    return await client.post(f"/api/expenses/{expense_id}/submit", headers=headers)


# --- one tap: a claim of one, made and submitted together -----------------------------------------


async def test_one_expense_is_submitted_for_attest_as_a_claim_of_one(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    anna = as_role["employee"]
    expense = await new_expense(client, anna)

    response = await submit(client, anna, expense["id"])

    assert response.status_code == 200, response.text
    claim = response.json()
    assert claim["state"] == "submitted"
    assert claim["title"] == "Restaurang Prinsen 20 nov"
    assert [e["id"] for e in claim["expenses"]] == [expense["id"]]
    assert claim["total_sek"] == "245.00"
    inbox = (await client.get("/api/attest/inbox?kind=expense_claim", headers=as_role["manager"])).json()
    item = next(i for i in inbox["items"] if i["subject_id"] == claim["id"])
    assert item["title"] == "Restaurang Prinsen 20 nov"
    again = (await client.get(f"/api/expenses/{expense['id']}", headers=anna)).json()
    assert again["claim_id"] == claim["id"]
    assert again["state"] == "submitted"


async def test_a_retry_answers_with_the_same_claim_and_one_attest_item(
    client: AsyncTestClient[Litestar], as_role: Headers, engine: AsyncEngine
) -> None:
    anna = as_role["employee"]
    expense = await new_expense(client, anna)
    keyed = {**anna, "idempotency-key": f"one-tap-{expense['id']}"}

    first = await submit(client, keyed, expense["id"])
    replay = await submit(client, keyed, expense["id"])
    retry = await submit(client, anna, expense["id"])

    assert first.status_code == replay.status_code == retry.status_code == 200
    assert replay.headers.get("idempotent-replayed") == "true"
    assert replay.json()["id"] == retry.json()["id"] == first.json()["id"]
    assert retry.json()["state"] == "submitted"
    assert await count(engine, ExpenseClaim) == 1
    assert await count(engine, AttestItem) == 1


async def test_only_the_owner_may_submit_an_expense(
    client: AsyncTestClient[Litestar], as_role: Headers, engine: AsyncEngine
) -> None:
    expense = await new_expense(client, as_role["employee"])

    manager = await submit(client, as_role["manager"], expense["id"])
    payroll = await submit(client, as_role["payroll"], expense["id"])
    admin = await submit(client, as_role["admin"], expense["id"])
    unknown = await submit(client, as_role["employee"], str(uuid.uuid4()))

    assert (manager.status_code, payroll.status_code, admin.status_code) == (404, 404, 403)
    assert unknown.status_code == 404
    assert problem(manager)["code"] == "not_found"
    assert await count(engine, ExpenseClaim) == 0


async def test_an_incomplete_expense_is_refused_naming_its_fields_and_nothing_is_made(
    client: AsyncTestClient[Litestar], as_role: Headers, engine: AsyncEngine
) -> None:
    anna = as_role["employee"]
    expense = await new_expense(client, anna, expense_date=None, category=None)

    response = await submit(client, anna, expense["id"])

    body = problem(response)
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("expenses.0.expense_date", "required"),
        ("expenses.0.category", "required"),
    }
    assert await count(engine, ExpenseClaim) == 0
    assert (await client.get(f"/api/expenses/{expense['id']}", headers=anna)).json()["claim_id"] is None


async def test_an_expense_in_a_claim_with_others_is_submitted_with_that_claim(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    anna = as_role["employee"]
    first = await new_expense(client, anna)
    second = await new_expense(client, anna, merchant="Taxi Stockholm", category="taxi", vat=[])
    claim = str(uuid.uuid4())
    await client.put(f"/api/expense-claims/{claim}", json={"expense_ids": [first["id"], second["id"]]}, headers=anna)

    alone = await submit(client, anna, first["id"])
    together = await client.post(f"/api/expense-claims/{claim}/submit", headers=anna)

    assert alone.status_code == 409
    assert problem(alone)["code"] == "in_claim_of_several"
    assert together.status_code == 200, together.text


async def test_a_returned_claim_of_one_is_sent_again_from_its_expense(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    anna = as_role["employee"]
    expense = await new_expense(client, anna)
    claim = (await submit(client, anna, expense["id"])).json()
    returned = await client.post(
        f"/api/attest/items/{claim['attest']['item_id']}/return",
        json={"reason": "Fel belopp"},
        headers=as_role["manager"],
    )
    assert returned.status_code == 200, returned.text
    corrected = {**ANNA_EXPENSE, "amount": "240.00", "receipt_id": expense["receipt"]["id"]}
    assert (await client.put(f"/api/expenses/{expense['id']}", json=corrected, headers=anna)).status_code == 200

    again = await submit(client, anna, expense["id"])

    assert again.status_code == 200, again.text
    assert again.json()["id"] == claim["id"]
    assert again.json()["state"] == "submitted"
    assert again.json()["total_sek"] == "240.00"


# --- validation at save: the submission's rules, beside each field -----------------------------------


async def to_fix(client: AsyncTestClient[Litestar], headers: dict[str, str], **fields: Any) -> dict[str, str]:
    response = await client.put(f"/api/expenses/{uuid.uuid4()}", json=fields, headers=headers)
    assert response.status_code == 201, response.text
    return {note["field"]: note["code"] for note in response.json()["to_fix"]}


async def test_a_missing_date_and_amount_are_shown_when_the_expense_is_saved(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    notes = await to_fix(client, as_role["employee"], merchant="Pressbyrån", category="meal")

    assert notes == {"expense_date": "required", "amount": "required", "receipt": "receipt_missing"}


async def test_a_receipt_older_than_the_policy_allows_is_shown_at_save(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    notes = await to_fix(
        client, as_role["employee"], **{**ANNA_EXPENSE, "expense_date": "2025-10-01", "comment": "Kvittot är borta."}
    )

    assert notes == {"expense_date": "too_old"}


async def test_business_entertainment_without_participants_is_shown_at_save_in_the_users_language(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    english = {**as_role["employee"], "accept-language": "en"}
    response = await client.put(
        f"/api/expenses/{uuid.uuid4()}",
        json={**ANNA_EXPENSE, "category": "representation", "comment": "Lunch med kund, kvitto saknas."},
        headers=english,
    )

    notes = {note["field"]: note["message"] for note in response.json()["to_fix"]}
    assert notes == {
        "participants": "List the participants (name and company) for business entertainment.",
        "purpose": "State the purpose of the entertainment.",
    }


async def test_a_complete_expense_has_nothing_to_fix_and_a_future_date_is_refused_at_save(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    anna = as_role["employee"]
    complete = await new_expense(client, anna)
    future = await client.put(
        f"/api/expenses/{complete['id']}", json={**ANNA_EXPENSE, "expense_date": "2026-12-24"}, headers=anna
    )

    assert complete["to_fix"] == []
    assert future.status_code == 422
    assert [(e["field"], e["code"]) for e in problem(future)["errors"]] == [("expense_date", "date_in_future")]


async def test_a_submitted_expense_has_nothing_left_to_fix(client: AsyncTestClient[Litestar], as_role: Headers) -> None:
    anna = as_role["employee"]
    expense = await new_expense(client, anna)
    await submit(client, anna, expense["id"])

    assert (await client.get(f"/api/expenses/{expense['id']}", headers=anna)).json()["to_fix"] == []


# --- claim titles ---------------------------------------------------------------------------------


async def put_claim(client: AsyncTestClient[Litestar], headers: dict[str, str], claim: str, **body: Any) -> Any:
    response = await client.put(f"/api/expense-claims/{claim}", json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_a_claim_without_a_title_is_named_after_its_merchants_and_dates(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    anna = as_role["employee"]
    first = await new_expense(client, anna)
    second = await new_expense(
        client, anna, merchant="Taxi Stockholm", category="taxi", vat=[], expense_date="2026-11-22"
    )
    third = await new_expense(client, anna, merchant="Pressbyrån", expense_date="2026-11-21")
    claim = str(uuid.uuid4())

    created = await put_claim(client, anna, claim, expense_ids=[first["id"], second["id"]])
    grown = await put_claim(
        client, anna, claim, title=created["title"], expense_ids=[*created_ids(created), third["id"]]
    )
    named = await put_claim(client, anna, claim, title="Kundbesök Uppsala", expense_ids=[first["id"]])
    kept = await put_claim(client, anna, claim, title="Kundbesök Uppsala", expense_ids=[first["id"], second["id"]])

    assert created["title"] == "Restaurang Prinsen och Taxi Stockholm 20–22 nov"
    assert grown["title"] == "Restaurang Prinsen, Pressbyrån m.fl. 20–22 nov"
    assert named["title"] == kept["title"] == "Kundbesök Uppsala"
    listed = (await client.get("/api/expense-claims", headers=anna)).json()
    assert [c["title"] for c in listed] == ["Kundbesök Uppsala"]


def created_ids(claim: dict[str, Any]) -> list[str]:
    return [e["id"] for e in claim["expenses"]]


async def test_expenses_during_a_trip_are_named_after_the_trip_in_english_too(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    anna = as_role["employee"]
    trip = {
        "departure_at": "2026-11-16T08:00:00",
        "return_at": "2026-11-18T17:00:00",
        "purpose": "Kundbesök",
        "destination": "Göteborg",
        "distance_from_home_km": "470",
        "distance_from_workplace_km": "470",
    }
    assert (await client.put(f"/api/travel-claims/{uuid.uuid4()}", json=trip, headers=anna)).status_code == 201
    train = await new_expense(client, anna, merchant="SJ", category="train_flight", expense_date="2026-11-16", vat=[])
    dinner = await new_expense(client, anna, expense_date="2026-11-17")

    claim = await put_claim(
        client, {**anna, "accept-language": "en"}, str(uuid.uuid4()), expense_ids=[train["id"], dinner["id"]]
    )

    assert claim["title"] == "Trip to Göteborg 16–17 Nov"


async def test_an_automatic_title_follows_its_expenses_and_a_written_one_stays(
    client: AsyncTestClient[Litestar], as_role: Headers
) -> None:
    anna = as_role["employee"]
    first = await new_expense(client, anna)
    second = await new_expense(
        client, anna, merchant="Taxi Stockholm", category="taxi", vat=[], expense_date="2026-11-21"
    )
    automatic, written = str(uuid.uuid4()), str(uuid.uuid4())
    await put_claim(client, anna, automatic, expense_ids=[first["id"]])
    await put_claim(client, anna, written, title="Kundbesök Uppsala", expense_ids=[second["id"]])

    for expense, merchant in ((first, "Espresso House"), (second, "Uber")):
        body = {**ANNA_EXPENSE, "merchant": merchant, "receipt_id": expense["receipt"]["id"]}
        assert (await client.put(f"/api/expenses/{expense['id']}", json=body, headers=anna)).status_code == 200

    titles = {c["id"]: c["title"] for c in (await client.get("/api/expense-claims", headers=anna)).json()}
    assert titles == {automatic: "Espresso House 20 nov", written: "Kundbesök Uppsala"}


async def test_an_automatic_title_still_follows_its_expenses_after_the_turn_of_the_year(
    client: AsyncTestClient[Litestar], as_role: Headers, clock: FixedClock
) -> None:
    """Titles leave out the current year; one made in November is still recognised as automatic in January."""
    anna = as_role["employee"]
    expense = await new_expense(client, anna)
    claim_id = str(uuid.uuid4())
    await put_claim(client, anna, claim_id, expense_ids=[expense["id"]])

    clock.set(datetime(NOW.year + 1, 1, 5, 9, 0, tzinfo=UTC))
    body = {**ANNA_EXPENSE, "merchant": "Espresso House", "receipt_id": expense["receipt"]["id"]}
    assert (await client.put(f"/api/expenses/{expense['id']}", json=body, headers=anna)).status_code == 200

    titles = {c["id"]: c["title"] for c in (await client.get("/api/expense-claims", headers=anna)).json()}
    assert titles[claim_id] == "Espresso House 20 nov"
