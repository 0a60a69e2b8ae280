"""Idempotency-Key: a replay gets the first answer, another request with the key is refused, a dead claim is taken over."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.clock import FixedClock
from backend.core.database import session_maker
from backend.core.idempotency import IN_PROGRESS, request_fingerprint
from backend.db.models import Expense, IdempotentRequest, Receipt
from tests.conftest import ANNA, Org, problem
from tests.integration.expenses.test_expenses import count, new_expense, upload
from tests.support.images import receipt_image

pytestmark = pytest.mark.clockless


def keyed(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "idempotency-key": "key-" + uuid.uuid4().hex}


async def test_the_same_upload_with_the_same_key_is_answered_from_the_first_time(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    headers = keyed(as_role["employee"])
    content = receipt_image(seed_text="replay")

    first = await upload(client, headers, content)
    second = await upload(client, headers, content)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert await count(engine, Receipt) == 1


async def test_another_file_with_the_same_key_is_refused_and_stores_nothing(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    headers = keyed(as_role["employee"])
    await upload(client, headers, receipt_image(seed_text="first"))

    other = await upload(client, {**headers, "accept-language": "sv"}, receipt_image(seed_text="second"))

    body = problem(other)
    assert other.status_code == 422
    assert body["code"] == "idempotency_key_reused"
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert "annan begäran" in body["detail"]
    assert await count(engine, Receipt) == 1


async def test_the_same_file_with_other_fields_under_the_same_key_is_another_request(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    headers = {**keyed(as_role["employee"]), "accept-language": "en"}
    content = receipt_image(seed_text="fields")
    await upload(client, headers, content, expense_id=str(uuid.uuid4()))

    other = await upload(client, headers, content, expense_id=str(uuid.uuid4()))

    assert other.status_code == 422
    assert "another request" in problem(other)["detail"]


async def test_another_json_body_with_the_same_key_is_refused(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    headers = keyed(as_role["employee"])
    first = await client.post("/api/cases", json={"subject_kind": "other", "text": "Fel lön A"}, headers=headers)
    other = await client.post("/api/cases", json={"subject_kind": "other", "text": "Fel lön B"}, headers=headers)

    assert first.status_code == 201, first.text
    assert other.status_code == 422
    assert problem(other)["code"] == "idempotency_key_reused"


async def test_the_key_belongs_to_one_account(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    key = "shared-" + uuid.uuid4().hex
    content = receipt_image(seed_text="two people")

    annas = await upload(client, {**as_role["employee"], "idempotency-key": key}, content)
    marias = await upload(client, {**as_role["manager"], "idempotency-key": key}, content)

    assert annas.status_code == marias.status_code == 201
    assert annas.json()["id"] != marias.json()["id"]
    assert await count(engine, Receipt) == 2


async def _claim_left_by_a_crash(engine: AsyncEngine, demo: Org, key: str, path: str) -> None:
    """The row an older version left when killed between storing the key and storing its answer."""
    async with session_maker(engine)() as session:
        session.add(
            IdempotentRequest(
                account_id=demo.accounts[ANNA],
                key=key,
                fingerprint=request_fingerprint("POST", path),
                status_code=IN_PROGRESS,
                body=b"",
            )
        )
        await session.commit()


async def _submit_after_a_crash(
    client: AsyncTestClient[Litestar], anna: dict[str, str], engine: AsyncEngine, demo: Org, clock: FixedClock, ago: int
) -> tuple[str, str]:
    """A draft claim whose submit request (path, key) died ``ago`` seconds ago, its key left in progress."""
    expense = await new_expense(client, anna)
    claim = str(uuid.uuid4())
    created = await client.put(
        f"/api/expense-claims/{claim}", json={"title": "Nov", "expense_ids": [expense["id"]]}, headers=anna
    )
    assert created.status_code in (200, 201), created.text
    path, key = f"/api/expense-claims/{claim}/submit", "crashed-" + uuid.uuid4().hex
    now = clock.now()
    clock.set(now - timedelta(seconds=ago))  # row timestamps read the injected clock
    await _claim_left_by_a_crash(engine, demo, key, path)
    clock.set(now)
    return path, key


async def test_a_key_left_in_progress_by_a_crash_is_taken_over_once_it_is_stale(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    demo: Org,
    clock: FixedClock,
) -> None:
    anna = as_role["employee"]
    path, key = await _submit_after_a_crash(client, anna, engine, demo, clock, ago=61)  # reclaim time: 60 s

    retried = await client.post(path, headers={**anna, "idempotency-key": key})
    replayed = await client.post(path, headers={**anna, "idempotency-key": key})

    assert retried.status_code == 200, retried.text
    assert retried.json()["state"] == "submitted"
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json() == retried.json()


async def test_a_key_in_progress_for_less_than_the_reclaim_time_asks_to_retry_later(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    demo: Org,
    clock: FixedClock,
) -> None:
    anna = as_role["employee"]
    path, key = await _submit_after_a_crash(client, anna, engine, demo, clock, ago=20)

    busy = await client.post(path, headers={**anna, "idempotency-key": key})

    assert busy.status_code == 409
    assert problem(busy)["code"] == "request_in_progress"
    assert busy.headers["retry-after"] == "40"


async def test_an_expired_key_acts_again(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine, clock: FixedClock
) -> None:
    headers = keyed(as_role["employee"])
    await upload(client, headers, receipt_image(seed_text="day one"))
    clock.set(clock.now() + timedelta(hours=25))

    later = await upload(client, headers, receipt_image(seed_text="day two"))

    assert later.status_code == 201
    assert "idempotent-replayed" not in later.headers
    assert await count(engine, Expense) == 2
    assert await count(engine, IdempotentRequest) == 1
