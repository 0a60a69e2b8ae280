"""Every endpoint x every role: who is allowed, who is refused, and nobody reaches another organisation.

Each case names the status each role gets. A new endpoint without a case fails
``test_every_endpoint_is_in_the_matrix``, so access rules cannot be forgotten.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ANNA, Org
from tests.integration.authorization.cases_cases import case_ids
from tests.integration.authorization.cases_cases import cases as error_report_cases
from tests.integration.authorization.exports_cases import cases as exports_cases
from tests.integration.authorization.exports_cases import export_ids
from tests.integration.authorization.notices_cases import cases as notices_cases
from tests.integration.authorization.notices_cases import notice_ids
from tests.integration.authorization.time_travel_cases import cases as time_travel_cases
from tests.integration.authorization.time_travel_cases import time_travel_ids
from tests.support.factories import OtherOrg
from tests.support.images import receipt_image
from tests.support.jobs import RunJobs

ROLES = ("employee", "manager", "payroll", "admin")
_serial = itertools.count(1)


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: dict[str, int]
    """Status per role (employee=Anna, manager=Maria, payroll=Lena, admin)."""
    body: Callable[[], Any] | None = None
    note: str = ""
    order: tuple[str, ...] = ()
    """Roles in the order they act (destructive cases let the owner act last)."""
    files: Callable[[], dict[str, Any]] | None = None

    def label(self) -> str:
        return f"{self.method} {self.path}{' ' + self.note if self.note else ''}"


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def only(allowed: dict[str, int], denied: int = 403) -> dict[str, int]:
    return {role: allowed.get(role, denied) for role in ROLES}


def new_employee() -> dict[str, Any]:
    n = next(_serial)
    return {
        "employee_number": f"T{n}",
        "first_name": "Test",
        "last_name": f"Person {n}",
        "email": f"test{n}@demo.se",
        "birth_date": "1990-01-01",
        "start_date": "2026-01-01",
        "employment": {"monthly_salary": "35000"},
    }


def new_account() -> dict[str, Any]:
    n = next(_serial)
    return {
        "email": f"user{n}@demo.se",
        "display_name": f"User {n}",
        "password": "a-long-password",
        "roles": ["employee"],
    }


def upload() -> dict[str, Any]:
    return {"file": ("receipt.jpg", receipt_image(seed_text=str(next(_serial))), "image/jpeg")}


def new_claim() -> dict[str, Any]:
    return {"title": f"Resa {next(_serial)}"}


OWNER_LAST = ("manager", "payroll", "admin", "employee")
DRAFT = {"employee": 200, "manager": 404, "payroll": 200, "admin": 404}
"""A draft is the employee's own: her manager is answered as if it did not exist; payroll sees it."""
SUBMITTED = {"employee": 200, "manager": 200, "payroll": 200, "admin": 404}
EMPLOYEES_ONLY = {"employee": 201, "manager": 201, "payroll": 201, "admin": 403}

CASES: list[Case] = [
    Case("GET", "/api/me", everyone(200)),
    Case("PATCH", "/api/me", everyone(200), lambda: {"locale": "sv"}),
    Case(
        "POST",
        "/api/me/password",
        everyone(422),  # one's own only; the wrong current password keeps the demo logins working
        lambda: {"current_password": "not-the-password", "new_password": "a-long-new-password"},
    ),
    Case("POST", "/api/auth/refresh", everyone(200)),
    Case("POST", "/api/auth/session", everyone(200)),  # signed out it answers 200 too (test_sign_in.py)
    Case("GET", "/api/users", only({"admin": 200})),
    Case("POST", "/api/users", only({"admin": 201}), new_account),
    Case("PATCH", "/api/users/{anna_account}", only({"admin": 200}), lambda: {"display_name": "Anna A."}),
    Case("PATCH", "/api/users/{other_account}", only({"admin": 404}), lambda: {"display_name": "X"}, "other org"),
    Case("GET", "/api/organisation", everyone(200)),
    Case("PATCH", "/api/organisation", only({"payroll": 200, "admin": 200}), lambda: {"cutoff_day": 9}),
    Case(
        "PUT",
        "/api/organisation/policies/{year}",
        only({"payroll": 200, "admin": 200}),
        lambda: {"mileage_rate_per_mil": "30.00"},
    ),
    Case("GET", "/api/cost-centres", everyone(200)),
    Case(
        "POST",
        "/api/cost-centres",
        only({"payroll": 201, "admin": 201}),
        lambda: {"code": f"C{next(_serial)}", "name": "Nytt"},
    ),
    Case("GET", "/api/projects", everyone(200)),
    Case(
        "POST",
        "/api/projects",
        only({"payroll": 201, "admin": 201}),
        lambda: {"code": f"N{next(_serial)}", "name": "Nytt"},
    ),
    Case("PATCH", "/api/projects/{project}", only({"payroll": 200, "admin": 200}), lambda: {"name": "Omdöpt"}),
    Case(
        "PATCH",
        "/api/projects/{other_project}",
        only({"payroll": 404, "admin": 404}),
        lambda: {"name": "X"},
        "other org",
    ),
    Case("GET", "/api/employees", everyone(200)),
    Case("POST", "/api/employees", only({"payroll": 201, "admin": 201}), new_employee),
    Case("GET", "/api/employees/{anna}", everyone(200)),
    Case(
        "GET",
        "/api/employees/{other_team}",
        {"employee": 404, "manager": 404, "payroll": 200, "admin": 200},
        note="another team",
    ),
    Case("GET", "/api/employees/{other_employee}", everyone(404), note="other org"),
    Case("PATCH", "/api/employees/{anna}", only({"payroll": 200, "admin": 200}), lambda: {"first_name": "Anna"}),
    Case(
        "PATCH",
        "/api/employees/{other_employee}",
        only({"payroll": 404, "admin": 404}),
        lambda: {"first_name": "X"},
        "other org",
    ),
    Case("GET", "/api/employees/{anna}/employments", {"employee": 200, "manager": 403, "payroll": 200, "admin": 403}),
    Case("GET", "/api/employees/{other_employee}/employments", everyone(404), note="other org"),
    Case(
        "POST",
        "/api/employees/{anna}/employments",
        only({"payroll": 201}),
        lambda: {
            "valid_from": f"2026-{1 + next(_serial) % 11:02d}-{1 + next(_serial) % 27:02d}",
            "monthly_salary": "43000",
        },
    ),
    Case("GET", "/api/audit", only({"payroll": 200, "admin": 200})),
    Case("POST", "/api/receipts", EMPLOYEES_ONLY, files=upload),
    Case("GET", "/api/receipts/{anna_receipt}", DRAFT, note="draft"),
    Case("GET", "/api/receipts/{anna_receipt}/image", DRAFT, note="draft"),
    Case("GET", "/api/receipts/{submitted_receipt}", SUBMITTED, note="submitted"),
    Case("GET", "/api/receipts/{submitted_receipt}/image", SUBMITTED, note="submitted"),
    Case("GET", "/api/receipts/{other_receipt}", everyone(404), note="other org"),
    Case("GET", "/api/expenses", everyone(200)),
    Case("GET", "/api/expenses/{anna_expense}", DRAFT, note="draft"),
    Case("GET", "/api/expenses/{submitted_expense}", SUBMITTED, note="submitted"),
    Case(
        "GET",
        "/api/expenses?employee_id={anna}",
        {"employee": 200, "manager": 200, "payroll": 200, "admin": 404},
        note="Anna's (her drafts left out for her manager: test_drafts.py)",
    ),
    Case("GET", "/api/expenses/{other_expense}", everyone(404), note="other org"),
    Case("PUT", "/api/expenses/{new}", EMPLOYEES_ONLY, lambda: {"amount": "10.00"}),
    Case(
        "PUT",
        "/api/expenses/{anna_expense}",
        {"employee": 200, "manager": 404, "payroll": 404, "admin": 403},
        lambda: {"amount": "12.00", "merchant": "Pressbyrån"},
        "someone else's",
    ),
    Case(
        "DELETE",
        "/api/expenses/{anna_expense}",
        {"employee": 204, "manager": 404, "payroll": 404, "admin": 403},
        order=OWNER_LAST,
    ),
    Case(
        "POST",
        "/api/expenses/{anna_expense}/submit",
        {"employee": 200, "manager": 404, "payroll": 404, "admin": 403},
        order=OWNER_LAST,
    ),
    Case(
        "POST",
        "/api/expenses/{other_expense}/submit",
        {"employee": 404, "manager": 404, "payroll": 404, "admin": 403},
        note="other org",
    ),
    Case("GET", "/api/expense-claims", {"employee": 200, "manager": 200, "payroll": 200, "admin": 403}),
    Case("PUT", "/api/expense-claims/{new}", EMPLOYEES_ONLY, new_claim),
    Case("GET", "/api/expense-claims/{anna_claim}", DRAFT, note="draft"),
    Case("GET", "/api/expense-claims/{submitted_claim}", SUBMITTED, note="submitted"),
    Case("GET", "/api/expense-claims/{other_claim}", everyone(404), note="other org"),
    Case(
        "DELETE",
        "/api/expense-claims/{anna_claim}",
        {"employee": 204, "manager": 404, "payroll": 404, "admin": 403},
        order=OWNER_LAST,
    ),
    Case(
        "POST",
        "/api/expense-claims/{anna_claim}/submit",
        {"employee": 200, "manager": 404, "payroll": 404, "admin": 403},
        order=OWNER_LAST,
    ),
    Case("GET", "/api/wellness", {"employee": 200, "manager": 200, "payroll": 200, "admin": 403}),
    Case("GET", "/api/exchange-rates/{currency}", everyone(200), note="no provider configured: rate entered by hand"),
    Case("GET", "/api/attest/inbox", everyone(200)),
    Case("GET", "/api/attest/items/{anna_item}", {"employee": 200, "manager": 200, "payroll": 200, "admin": 404}),
    Case("GET", "/api/attest/items/{other_item}", everyone(404), note="other org"),
    Case(
        "POST",
        "/api/attest/items/{anna_item}/approve",
        {"employee": 403, "payroll": 403, "admin": 404, "manager": 200},
        order=("employee", "payroll", "admin", "manager"),
    ),
    Case(
        "POST",
        "/api/attest/items/{anna_item}/return",
        {"employee": 403, "payroll": 403, "admin": 404, "manager": 200},
        lambda: {"reason": "Fel"},
        order=("employee", "payroll", "admin", "manager"),
    ),
    Case("POST", "/api/attest/items/{other_item}/approve", everyone(404), note="other org"),
    Case(
        "POST",
        "/api/attest/decisions",
        everyone(200),
        lambda: {"decisions": [{"item_id": str(uuid.uuid4()), "action": "approve"}]},
    ),
    Case("GET", "/api/attest/archive", everyone(200)),
    Case("GET", "/api/attest/insight", only({"manager": 200, "payroll": 200})),
    Case("GET", "/api/payslips/preliminary", {"employee": 200, "manager": 200, "payroll": 200, "admin": 403}),
    Case("GET", "/api/payslips", {"employee": 200, "manager": 200, "payroll": 200, "admin": 403}),
    Case("GET", "/api/payslips/pdf", {"employee": 200, "manager": 200, "payroll": 200, "admin": 403}),
    Case("GET", "/api/payroll/overview", only({"payroll": 200})),
    Case("GET", "/api/payroll/pay-runs", only({"payroll": 200})),
    Case("GET", "/api/payroll/pay-runs/preview", only({"payroll": 200})),
    Case(
        "POST",
        "/api/payroll/pay-runs",
        only({"payroll": 202}),
        lambda: {"period": "2026-11"},
        order=("employee", "manager", "admin", "payroll"),
    ),
    Case("GET", "/api/payroll/pay-runs/requests/{pay_run_request}", only({"payroll": 200})),
    Case("GET", "/api/payroll/pay-runs/requests/{new}", only({"payroll": 404}), note="none such"),
    Case("GET", "/api/delegations", everyone(200)),
    Case("GET", "/api/delegations/candidates", only({"manager": 200, "payroll": 200})),
    Case(
        "POST",
        "/api/delegations",
        {"employee": 403, "manager": 201, "payroll": 201, "admin": 403},
        lambda: {"substitute_employee_id": JOHAN_ID[0], "valid_from": "2026-11-23", "valid_to": "2026-11-30"},
    ),
    Case(
        "DELETE",
        "/api/delegations/{delegation}",
        {"employee": 403, "admin": 403, "payroll": 204, "manager": 204},
        order=("employee", "admin", "payroll", "manager"),
    ),
]

CASES += time_travel_cases(Case)
CASES += notices_cases(Case)
CASES += error_report_cases(Case)
CASES += exports_cases(Case)

JOHAN_ID: list[str] = [""]
"""Filled per test: the body factories above run after the ids are known."""


def _ids(demo: Org, other: OtherOrg) -> dict[str, str]:
    return {
        "other_receipt": str(other.receipt_id),
        "other_expense": str(other.expense_id),
        "other_claim": str(other.claim_id),
        "other_item": str(other.attest_item_id),
        "currency": "EUR",
        "anna": str(demo.employees[ANNA]),
        "anna_account": str(demo.accounts[ANNA]),
        "other_team": str(demo.employees["alva.sjoberg@demo.se"]),
        "other_employee": str(other.employee_id),
        "other_account": str(other.account_id),
        "other_project": str(other.project_id),
        "year": "2026",
    }


@pytest.mark.parametrize("case", CASES, ids=Case.label)
async def test_role_access(
    case: Case,
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    demo: Org,
    other_org: OtherOrg,
    run_jobs: RunJobs,
) -> None:
    ids = _ids(demo, other_org)
    if "{project}" in case.path:
        projects = (await client.get("/api/projects", headers=as_role["payroll"])).json()
        ids["project"] = projects[0]["id"]
    JOHAN_ID[0] = str(demo.employees["johan.svensson@demo.se"])
    if "{anna_" in case.path:
        ids |= await annas_claim(client, as_role["employee"])
    if "{submitted_" in case.path:
        draft = await annas_claim(client, as_role["employee"])
        submitted = await client.post(f"/api/expense-claims/{draft['anna_claim']}/submit", headers=as_role["employee"])
        assert submitted.status_code == 200, submitted.text
        ids |= {name.replace("anna_", "submitted_"): value for name, value in draft.items()}
    ids |= await time_travel_ids(client, as_role, case.path)
    ids |= await notice_ids(client, as_role, case.path)
    ids |= await case_ids(client, as_role, case.path)
    ids |= await export_ids(client, as_role, case.path, run_jobs)
    if "{pay_run_request}" in case.path:
        asked = await client.post("/api/payroll/pay-runs", json={"period": "2026-11"}, headers=as_role["payroll"])
        assert asked.status_code == 202, asked.text
        ids["pay_run_request"] = asked.json()["id"]
    if "{anna_item}" in case.path:
        submitted = await client.post(f"/api/expense-claims/{ids['anna_claim']}/submit", headers=as_role["employee"])
        assert submitted.status_code == 200, submitted.text
        inbox = (await client.get("/api/attest/inbox", headers=as_role["manager"])).json()
        ids["anna_item"] = next(i["id"] for i in inbox["items"] if i["subject_id"] == ids["anna_claim"])
    if "{delegation}" in case.path:
        created = await client.post(
            "/api/delegations",
            json={"substitute_employee_id": JOHAN_ID[0], "valid_from": "2026-11-23", "valid_to": "2026-11-30"},
            headers=as_role["manager"],
        )
        ids["delegation"] = created.json()["id"]
    outcome = {}
    for role in case.order or ROLES:
        path = case.path.format(**ids, new=uuid.uuid4())
        body = case.body() if case.body else None
        if case.files:
            response = await client.request(case.method, path, files=case.files(), headers=as_role[role])
        else:
            response = await client.request(case.method, path, json=body, headers=as_role[role])
        outcome[role] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
    assert outcome == case.expect


async def annas_claim(client: AsyncTestClient[Litestar], anna: dict[str, str]) -> dict[str, str]:
    """A complete expense with a receipt, in a draft claim: what most item cases act on."""
    expense_id = str(uuid.uuid4())
    uploaded = await client.post(
        "/api/receipts",
        files={"file": ("r.jpg", receipt_image(), "image/jpeg")},
        data={"expense_id": expense_id},
        headers=anna,
    )
    assert uploaded.status_code == 201, uploaded.text
    receipt_id = uploaded.json()["id"]
    filled = await client.put(
        f"/api/expenses/{expense_id}",
        json={
            "receipt_id": receipt_id,
            "expense_date": "2026-11-20",
            "merchant": "ICA Supermarket",
            "amount": "134.50",
            "category": "meal",
        },
        headers=anna,
    )
    assert filled.status_code == 200, filled.text
    claim_id = str(uuid.uuid4())
    claim = await client.put(
        f"/api/expense-claims/{claim_id}", json={"title": "November", "expense_ids": [expense_id]}, headers=anna
    )
    assert claim.status_code == 201, claim.text
    return {"anna_receipt": receipt_id, "anna_expense": expense_id, "anna_claim": claim_id}


def test_every_endpoint_is_in_the_matrix(app: Litestar) -> None:
    public = {
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/password-reset",
        "/api/auth/password-reset/request",
        "/api/auth/sso/start",
        "/api/auth/sso/callback",
    }
    covered = {(case.method, _template(case.path)) for case in CASES}
    missing = []
    for route in app.routes:
        if not route.path.startswith("/api/") or route.path in public:
            continue
        for method in sorted(getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}):
            if (method, _template(route.path)) not in covered:
                missing.append(f"{method} {route.path}")
    assert missing == []


def _template(path: str) -> str:
    """'/api/employees/{anna}' and '/api/employees/{employee_id:uuid}' both become '/api/employees/{}'.

    A case's query string is not part of the route ('/api/leave/working-days?first_day=…')."""
    import re

    return re.sub(r"\{[^}]+\}", "{}", path.split("?", 1)[0])
