"""Matrix cases for error reports (felanmälan): the reporter and payroll see a case; managers see only
their own reports; an administrator without the payroll role sees none; nobody reaches another organisation.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import login
from tests.support.flows import inbox_item_for, submitted_claim
from tests.support.images import receipt_image

ROLES = ("employee", "manager", "payroll", "admin")
REPORT = {"subject_kind": "other", "text": "Semesterersättningen saknas"}
STAFF_LAST = ("employee", "manager", "admin", "payroll")


def _seen(reporter: int) -> dict[str, int]:
    """Anna's case: Anna and payroll see it, Maria (another reporter) gets 404, admin is refused by role."""
    return {"employee": reporter, "manager": 404, "payroll": reporter, "admin": 403}


def _payroll(status: int) -> dict[str, int]:
    return {"employee": 403, "manager": 403, "payroll": status, "admin": 403}


def cases(case: Any) -> list[Any]:
    """``case`` is the matrix's ``Case`` class (passed in to keep one definition)."""
    return [
        case("GET", "/api/cases", {"employee": 200, "manager": 200, "payroll": 200, "admin": 403}),
        case("GET", "/api/cases?view=all", _payroll(200), note="payroll's inbox"),
        case("POST", "/api/cases", {"employee": 201, "manager": 201, "payroll": 201, "admin": 403}, lambda: REPORT),
        case("GET", "/api/cases/owners", _payroll(200)),
        case("GET", "/api/cases/{annas_case}", _seen(200)),
        case("GET", "/api/cases/{annas_case}/attachment", _seen(200)),
        case("POST", "/api/cases/{annas_case}/messages", _seen(201), lambda: {"text": "Något mer"}),
        case("POST", "/api/cases/{annas_case}/status", _payroll(200), lambda: {"status": "closed"}, order=STAFF_LAST),
        case("POST", "/api/cases/{annas_case}/owner", _payroll(200), lambda: {"owner_account_id": None}),
        case("POST", "/api/cases/{annas_case}/due-date", _payroll(200), lambda: {"due_date": "2026-12-01"}),
        case(
            "POST",
            "/api/cases/{annas_item_case}/return-item",
            _payroll(200),
            lambda: {"reason": "Fel månad"},
            order=STAFF_LAST,
        ),
        case("GET", "/api/cases/{other_case}", {**dict.fromkeys(ROLES, 404), "admin": 403}, note="other org"),
        case(
            "POST",
            "/api/cases/{other_case}/messages",
            {**dict.fromkeys(ROLES, 404), "admin": 403},
            lambda: {"text": "x"},
            "other org",
        ),
        case("POST", "/api/cases/{other_case}/status", _payroll(404), lambda: {"status": "closed"}, "other org"),
    ]


async def case_ids(client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], path: str) -> dict[str, str]:
    """Create what the case's path refers to (and only that)."""
    ids: dict[str, str] = {}
    anna = as_role["employee"]
    if "{annas_case}" in path:
        created = await client.post(
            "/api/cases", data=REPORT, files={"file": ("bild.jpg", receipt_image(), "image/jpeg")}, headers=anna
        )
        assert created.status_code == 201, created.text
        ids["annas_case"] = created.json()["id"]
    if "{annas_item_case}" in path:
        claim = await submitted_claim(client, anna)
        item = await inbox_item_for(client, as_role["manager"], claim["id"])
        approved = await client.post(f"/api/attest/items/{item['id']}/approve", headers=as_role["manager"])
        assert approved.status_code == 200, approved.text
        created = await client.post(
            "/api/cases", json={"subject_kind": "item", "item_id": item["id"], "text": "Fel belopp"}, headers=anna
        )
        assert created.status_code == 201, created.text
        ids["annas_item_case"] = created.json()["id"]
    if "{other_case}" in path:
        created = await client.post("/api/cases", json=REPORT, headers=await login(client, "olle@annat.se"))
        assert created.status_code == 201, created.text
        ids["other_case"] = created.json()["id"]
    return ids
