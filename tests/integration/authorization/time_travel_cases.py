"""Matrix cases for time reporting, leave requests, travel claims and normalbelopp, with the ids they act on.

Ids of another organisation are created through the API by that organisation's own user,
so every "other org" case hits a row that exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import login

WEEK = "2026-W47"
TRIP = {
    "departure_at": "2026-11-16T08:00:00",
    "return_at": "2026-11-18T17:00:00",
    "purpose": "Kundbesök",
    "destination": "Göteborg",
    "distance_from_home_km": "470",
    "distance_from_workplace_km": "470",
}
LEAVE = {"first_day": "2026-12-14", "last_day": "2026-12-18"}
ROWS = {"rows": [{"code": "work", "hours": ["8", "8", "8", "8", "8", None, None]}]}
ROLES = ("employee", "manager", "payroll", "admin")
OWNER_LAST = ("manager", "payroll", "admin", "employee")
PAYROLL_LAST = ("employee", "manager", "admin", "payroll")


def _lock() -> dict[str, Any]:
    return {"first_day": "2026-12-01", "last_day": "2026-12-05", "reason": "Lönekörning"}


def cases(case: Any) -> list[Any]:
    def only(allowed: dict[str, int], denied: int = 403) -> dict[str, int]:
        return {role: allowed.get(role, denied) for role in ROLES}

    def everyone(status: int) -> dict[str, int]:
        return dict.fromkeys(ROLES, status)

    mine = {"employee": 200, "manager": 200, "payroll": 200, "admin": 403}
    seen = {"employee": 200, "manager": 200, "payroll": 200, "admin": 404}
    draft = {"employee": 200, "manager": 404, "payroll": 200, "admin": 404}  # the employee's own until submitted
    owner = {"employee": 200, "manager": 404, "payroll": 404, "admin": 403}
    created = {"employee": 201, "manager": 201, "payroll": 201, "admin": 403}
    other_owner = {"employee": 404, "manager": 404, "payroll": 404, "admin": 403}
    return [
        case("GET", "/api/time/codes", everyone(200)),
        case("GET", "/api/time/weeks", mine),
        case("GET", "/api/time/weeks?employee_id={anna}", seen, note="Anna's"),
        case("GET", "/api/time/weeks?employee_id={other_employee}", everyone(404), note="other org"),
        case("GET", "/api/time/weeks/first-open", mine),
        case("GET", "/api/time/weeks/{week}", mine),
        case("GET", "/api/time/weeks/{week}?employee_id={anna}", draft, note="Anna's draft"),
        case("GET", "/api/time/weeks/{submitted_week}?employee_id={anna}", seen, note="Anna's, submitted"),
        case(
            "GET",
            "/api/time/weeks/{week}?employee_id={other_team}",
            {"employee": 404, "manager": 404, "payroll": 200, "admin": 404},
            note="another team",
        ),
        case("GET", "/api/time/weeks/{week}?employee_id={other_employee}", everyone(404), note="other org"),
        case("PUT", "/api/time/weeks/{week}", created, lambda: ROWS),
        case("POST", "/api/time/weeks/{filled_week}/submit", mine, note="everyone's own week"),
        case("GET", "/api/time/locks", only({"payroll": 200})),
        case("PUT", "/api/time/locks/{new}", only({"payroll": 201}), _lock),
        case("PUT", "/api/time/locks/{other_lock}", only({"payroll": 404}), _lock, "other org"),
        case("DELETE", "/api/time/locks/{lock}", only({"payroll": 204}), order=PAYROLL_LAST),
        case("DELETE", "/api/time/locks/{other_lock}", only({"payroll": 404}), note="other org"),
        case("GET", "/api/leave/balance", mine),
        case("GET", "/api/leave/working-days?first_day=2026-12-21&last_day=2026-12-27", mine),
        case("GET", "/api/leave/balance?employee_id={anna}", seen, note="Anna's"),
        case("GET", "/api/leave/balance?employee_id={other_employee}", everyone(404), note="other org"),
        case("PUT", "/api/leave/entitlements/{anna}/{year}", only({"payroll": 200}), lambda: {"days": "30"}),
        case(
            "PUT",
            "/api/leave/entitlements/{other_employee}/{year}",
            only({"payroll": 404}),
            lambda: {"days": "30"},
            "other org",
        ),
        case("GET", "/api/leave/requests", mine),
        case("GET", "/api/leave/requests/{annas_leave}", draft, note="draft"),
        case("GET", "/api/leave/requests/{submitted_leave}", seen, note="submitted"),
        case("GET", "/api/leave/requests/{other_leave}", everyone(404), note="other org"),
        case("PUT", "/api/leave/requests/{new}", created, lambda: LEAVE),
        case("PUT", "/api/leave/requests/{annas_leave}", owner, lambda: LEAVE, "someone else's"),
        case("PUT", "/api/leave/requests/{other_leave}", other_owner, lambda: LEAVE, "other org"),
        case("DELETE", "/api/leave/requests/{annas_leave}", {**owner, "employee": 204}, order=OWNER_LAST),
        case("POST", "/api/leave/requests/{annas_leave}/submit", owner, order=OWNER_LAST),
        case("POST", "/api/leave/requests/{other_leave}/submit", other_owner, note="other org"),
        case("GET", "/api/travel-claims", mine),
        case("GET", "/api/travel-claims/{annas_trip}", draft, note="draft"),
        case("GET", "/api/travel-claims/{submitted_trip}", seen, note="submitted"),
        case("GET", "/api/travel-claims/{other_trip}", everyone(404), note="other org"),
        case("PUT", "/api/travel-claims/{new}", created, lambda: TRIP),
        case("PUT", "/api/travel-claims/{annas_trip}", owner, lambda: TRIP, "someone else's"),
        case("PUT", "/api/travel-claims/{other_trip}", other_owner, lambda: TRIP, "other org"),
        case("DELETE", "/api/travel-claims/{annas_trip}", {**owner, "employee": 204}, order=OWNER_LAST),
        case("POST", "/api/travel-claims/{annas_trip}/submit", owner, order=OWNER_LAST),
        case("POST", "/api/travel-claims/{other_trip}/submit", other_owner, note="other org"),
        case("GET", "/api/travel/normalbelopp", everyone(200)),
        # A JSON body is not CSV: payroll and admin get past the guard and are told the file is wrong.
        case("POST", "/api/travel/normalbelopp", only({"payroll": 422, "admin": 422}), lambda: "x"),
    ]


async def time_travel_ids(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], path: str
) -> dict[str, str]:
    """Create what the case's path refers to (and only that)."""
    ids = {"week": WEEK, "filled_week": WEEK, "submitted_week": WEEK}
    if "{submitted_week}" in path:
        filled = await client.put(f"/api/time/weeks/{WEEK}", json=ROWS, headers=as_role["employee"])
        assert filled.status_code == 201, filled.text
        submitted = await client.post(f"/api/time/weeks/{WEEK}/submit", headers=as_role["employee"])
        assert submitted.status_code == 200, submitted.text
    for kind, url, body in (("leave", "/api/leave/requests", LEAVE), ("trip", "/api/travel-claims", TRIP)):
        if f"{{submitted_{kind}}}" in path:
            ids[f"submitted_{kind}"] = str(uuid.uuid4())
            created = await client.put(f"{url}/{ids[f'submitted_{kind}']}", json=body, headers=as_role["employee"])
            assert created.status_code == 201, created.text
            submitted = await client.post(f"{url}/{ids[f'submitted_{kind}']}/submit", headers=as_role["employee"])
            assert submitted.status_code == 200, submitted.text
    if "{filled_week}" in path:
        for role in ("employee", "manager", "payroll"):
            response = await client.put(f"/api/time/weeks/{WEEK}", json=ROWS, headers=as_role[role])
            assert response.status_code == 201, response.text
    if "{annas_leave}" in path:
        ids["annas_leave"] = str(uuid.uuid4())
        response = await client.put(
            f"/api/leave/requests/{ids['annas_leave']}", json=LEAVE, headers=as_role["employee"]
        )
        assert response.status_code == 201, response.text
    if "{annas_trip}" in path:
        ids["annas_trip"] = str(uuid.uuid4())
        response = await client.put(f"/api/travel-claims/{ids['annas_trip']}", json=TRIP, headers=as_role["employee"])
        assert response.status_code == 201, response.text
    if "{lock}" in path:
        ids["lock"] = str(uuid.uuid4())
        response = await client.put(f"/api/time/locks/{ids['lock']}", json=_lock(), headers=as_role["payroll"])
        assert response.status_code == 201, response.text
    if "{other_" in path and any(f"{{other_{name}}}" in path for name in ("trip", "leave", "lock")):
        olle = await login(client, "olle@annat.se")
        ids["other_trip"], ids["other_leave"], ids["other_lock"] = (str(uuid.uuid4()) for _ in range(3))
        for url, body in (
            (f"/api/travel-claims/{ids['other_trip']}", TRIP),
            (f"/api/leave/requests/{ids['other_leave']}", LEAVE),
            (f"/api/time/locks/{ids['other_lock']}", _lock()),
        ):
            response = await client.put(url, json=body, headers=olle)
            assert response.status_code == 201, response.text
    return ids
