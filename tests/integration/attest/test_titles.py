"""An item's title follows the reader's language: the inbox, the archive and the notices about it."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

ENGLISH = {"accept-language": "en"}


async def _leave(client: AsyncTestClient[Litestar], anna: dict[str, str]) -> str:
    request_id = str(uuid.uuid4())
    created = await client.put(
        f"/api/leave/requests/{request_id}", json={"first_day": "2026-12-07", "last_day": "2026-12-18"}, headers=anna
    )
    assert created.status_code == 201, created.text
    submitted = await client.post(f"/api/leave/requests/{request_id}/submit", headers=anna)
    assert submitted.status_code == 200, submitted.text
    return request_id


def _titles(items: list[dict[str, Any]], subject: str) -> list[str]:
    return [str(i["title"]) for i in items if i["subject_id"] == subject]


async def test_a_leave_requests_title_is_english_for_an_english_reader_and_swedish_for_a_swedish(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    anna, maria = as_role["employee"], as_role["manager"]
    subject = await _leave(client, anna)

    swedish = (await client.get("/api/attest/inbox", headers=maria)).json()["items"]
    english = (await client.get("/api/attest/inbox", headers=maria | ENGLISH)).json()["items"]
    [item] = [i for i in swedish if i["subject_id"] == subject]
    approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=maria)
    archived = (await client.get("/api/attest/archive", headers=maria | ENGLISH)).json()
    notices_en = (await client.get("/api/notifications", headers=anna | ENGLISH)).json()
    notices_sv = (await client.get("/api/notifications", headers=anna)).json()

    assert _titles(swedish, subject) == ["Semester 2026-12-07–2026-12-18 (10 dagar)"]
    assert _titles(english, subject) == ["Vacation 2026-12-07–2026-12-18 (10 days)"]
    assert approved.status_code == 200, approved.text
    assert _titles(archived, subject) == ["Vacation 2026-12-07–2026-12-18 (10 days)"]
    assert "Approved: Vacation 2026-12-07–2026-12-18 (10 days)" in [n["title"] for n in notices_en["items"]]
    assert "Attesterad: Semester 2026-12-07–2026-12-18 (10 dagar)" in [n["title"] for n in notices_sv["items"]]
