"""Bad input at the edge: a 4xx problem naming the field, in Swedish and English, and nothing written.

Numbers that are not finite, out of range or with too many decimals; years the calendars do not
know; control characters in text; unbounded query parameters; bodies that cannot be parsed.
Before these rules each of them was a 500 on at least one database.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.problems import EDGE_TEXTS
from backend.db.models import Expense, LeaveRequest, TimeWeek, TravelClaim, VacationEntitlement
from tests.conftest import ANNA, problem
from tests.integration.organisation.test_people_and_organisation import count

pytestmark = pytest.mark.clockless

EMPTY_DAYS: list[str | None] = [None] * 6
TRIP: dict[str, Any] = {"departure_at": "2026-03-02T08:00:00", "return_at": "2026-03-03T18:00:00"}
LEG: dict[str, Any] = {"date": "2026-03-02", "from_place": "Umeå", "to_place": "Skellefteå", "distance_km": "137"}


def week(hours: Any) -> dict[str, Any]:
    return {"rows": [{"code": "work", "hours": [hours, *EMPTY_DAYS]}]}


# (where, body, the field named, the rule broken, the table that must stay as it was)
BODIES: list[tuple[str, dict[str, Any], str, str, Any]] = [
    ("/api/expenses/{new}", {"amount": "NaN"}, "amount", "not_finite", Expense),
    ("/api/expenses/{new}", {"amount": "Infinity"}, "amount", "not_finite", Expense),
    ("/api/expenses/{new}", {"amount": "-Infinity"}, "amount", "not_finite", Expense),
    ("/api/expenses/{new}", {"amount": "1e400"}, "amount", "out_of_range", Expense),
    ("/api/expenses/{new}", {"amount": 10**30}, "amount", "out_of_range", Expense),
    ("/api/expenses/{new}", {"amount": "12.345"}, "amount", "too_many_decimals", Expense),
    ("/api/expenses/{new}", {"exchange_rate": "sNaN"}, "exchange_rate", "not_finite", Expense),
    ("/api/expenses/{new}", {"vat": [{"rate": "25000", "amount": "1"}]}, "vat.0.rate", "out_of_range", Expense),
    ("/api/expenses/{new}", {"expense_date": "0001-01-01"}, "expense_date", "year_out_of_range", Expense),
    ("/api/expenses/{new}", {"merchant": "ICA\x00"}, "merchant", "control_character", Expense),
    (
        "/api/expenses/{new}",
        {"participants": [{"name": "A\x07", "company": "B"}]},
        "participants.0.name",
        "control_character",
        Expense,
    ),
    (
        "/api/travel-claims/{new}",
        {**TRIP, "mileage": [{**LEG, "distance_km": "137.125"}]},
        "mileage.0.distance_km",
        "too_many_decimals",
        TravelClaim,
    ),
    (
        "/api/travel-claims/{new}",
        {**TRIP, "distance_from_home_km": "-1e9"},
        "distance_from_home_km",
        "out_of_range",
        TravelClaim,
    ),
    (
        "/api/travel-claims/{new}",
        {**TRIP, "distance_from_workplace_km": "Infinity"},
        "distance_from_workplace_km",
        "not_finite",
        TravelClaim,
    ),
    (
        "/api/travel-claims/{new}",
        {**TRIP, "return_at": "9999-12-31T23:59:59"},
        "return_at",
        "year_out_of_range",
        TravelClaim,
    ),
    ("/api/travel-claims/{new}", {**TRIP, "purpose": "Kund\x00möte"}, "purpose", "control_character", TravelClaim),
    ("/api/time/weeks/2026-W48", week("NaN"), "rows.0.hours.0", "not_finite", TimeWeek),
    ("/api/time/weeks/2026-W48", week("1e6"), "rows.0.hours.0", "out_of_range", TimeWeek),
    ("/api/time/weeks/2026-W48", week(10**30), "rows.0.hours.0", "out_of_range", TimeWeek),
    ("/api/time/weeks/2026-W48", week("7.125"), "rows.0.hours.0", "too_many_decimals", TimeWeek),
    ("/api/time/weeks/2026-W48", {"comment": "\x1b[31m"}, "comment", "control_character", TimeWeek),
    (
        "/api/leave/requests/{new}",
        {"first_day": "0001-01-01", "last_day": "2026-12-24"},
        "first_day",
        "year_out_of_range",
        LeaveRequest,
    ),
    (
        "/api/leave/requests/{new}",
        {"first_day": "2026-12-21", "last_day": "9999-12-31"},
        "last_day",
        "year_out_of_range",
        LeaveRequest,
    ),
    (
        "/api/leave/requests/{new}",
        {"first_day": "2026-12-21", "last_day": "2026-12-24", "comment": "\x00"},
        "comment",
        "control_character",
        LeaveRequest,
    ),
]


async def assert_named_in_both_languages(
    client: AsyncTestClient[Litestar],
    method: str,
    url: str,
    headers: dict[str, str],
    field: str,
    code: str,
    body: Any = None,
) -> None:
    """The answer names the field with the rule's Swedish text, and its English one when asked for English."""
    for language in ("sv", "en"):
        response = await client.request(method, url, json=body, headers={**headers, "accept-language": language})
        assert response.status_code == 422, response.text
        errors = {error["field"]: error for error in problem(response)["errors"]}
        assert field in errors, errors
        assert errors[field]["code"] == code
        assert errors[field]["message"] == getattr(EDGE_TEXTS[code], language)


async def test_numbers_dates_and_text_out_of_bounds_are_refused_by_name(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    subtests: pytest.Subtests,
) -> None:
    """One sign-in for all the cases (each a subtest): the demo organisation takes longer to set up than they run."""
    for where, body, field, code, table in BODIES:
        with subtests.test(msg=f"{field} {code}", where=where):
            before = await count(engine, table)

            url = where.format(new=uuid.uuid4())
            await assert_named_in_both_languages(client, "PUT", url, as_role["employee"], field, code, body)

            assert await count(engine, table) == before


async def test_a_vacation_entitlement_that_is_not_a_number_is_refused(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine, demo: Any
) -> None:
    before = await count(engine, VacationEntitlement)

    url = f"/api/leave/entitlements/{demo.employees[ANNA]}/2026"
    await assert_named_in_both_languages(client, "PUT", url, as_role["payroll"], "days", "not_finite", {"days": "NaN"})

    assert await count(engine, VacationEntitlement) == before


async def test_free_text_keeps_its_line_breaks_and_tabs(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.put(
        "/api/time/weeks/2026-W48", json={"comment": "Rad ett\r\nRad två\tmed tab"}, headers=as_role["employee"]
    )

    assert response.status_code in (200, 201), response.text
    assert response.json()["comment"] == "Rad ett\r\nRad två\tmed tab"


# (role, address, the parameter named)
PARAMETERS: list[tuple[str, str, str]] = [
    ("manager", "/api/attest/inbox?min_days_waiting=-3000000", "min_days_waiting"),
    ("manager", "/api/attest/inbox?offset=99999999999999999999", "offset"),
    ("manager", "/api/attest/inbox?offset=9999999999999999999", "offset"),
    ("manager", "/api/attest/inbox?limit=0", "limit"),
    ("manager", "/api/attest/archive?offset=-1", "offset"),
    ("manager", "/api/attest/insight?waiting_limit_days=100000000", "waiting_limit_days"),
    ("manager", "/api/attest/insight?from_date=0001-01-01", "from_date"),
    ("manager", "/api/attest/insight?to_date=9999-12-31", "to_date"),
    ("employee", "/api/time/weeks/9999-W52", "week"),
    ("employee", "/api/time/weeks/0000-W01", "week"),
    ("employee", "/api/time/weeks?start=0001-01-01", "start"),
    ("employee", "/api/leave/balance?year=99999999", "year"),
    ("employee", "/api/cases?limit=100000", "limit"),
    ("payroll", "/api/employees?q=a%00b", "q"),
    ("payroll", "/api/projects?q=%1b", "q"),
    ("payroll", "/api/payroll/export-batches?period=9999-12", "period"),
]


async def test_query_and_path_parameters_out_of_bounds_are_refused_by_name(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], subtests: pytest.Subtests
) -> None:
    for role, url, parameter in PARAMETERS:
        with subtests.test(msg=url, role=role):
            response = await client.get(url, headers=as_role[role])

            assert response.status_code == 422, response.text
            assert parameter in {error["field"] for error in problem(response)["errors"]}


NESTED = b"[" * 1000 + b"]" * 1000
NESTED_OBJECTS = b'{"email":' * 1000 + b"1" + b"}" * 1000


UNPARSABLE: list[tuple[str, bytes, int, str]] = [
    ("invalid UTF-8", b'{"email": "anna\xff@demo.se", "password": "x"}', 400, "malformed_body"),
    ("UTF-16", b"\xfe\xff\x00{", 400, "malformed_body"),
    ("arrays 1000 deep", NESTED, 400, "too_deeply_nested"),
    ("objects 1000 deep", NESTED_OBJECTS, 400, "too_deeply_nested"),
    ("over the size limit", b'{"email": "' + b"a" * 2_000_000 + b'"}', 413, "too_large"),
]


CONTENT_TYPES = ["application/json", "text/plain", ""]
"""Litestar decodes a JSON body as JSON whatever the request says it is."""


async def test_bodies_that_cannot_be_parsed_are_refused_before_parsing(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    subtests: pytest.Subtests,
) -> None:
    for (what, content, status, code), content_type in itertools.product(UNPARSABLE, CONTENT_TYPES):
        headers = {"content-type": content_type} if content_type else {}
        # Sign-in is throttled per address: the test client's few attempts there stay under the limit.
        for signed_in in (False, True) if content_type == "application/json" else (True,):
            where = "a time week" if signed_in else "anonymous sign-in"
            with subtests.test(msg=what, where=where, content_type=content_type):
                before = await count(engine, TimeWeek)

                if signed_in:
                    response = await client.put(
                        "/api/time/weeks/2026-W48", content=content, headers={**as_role["employee"], **headers}
                    )
                else:
                    response = await client.post("/api/auth/login", content=content, headers=headers)

                assert response.status_code == status, response.text
                assert problem(response)["code"] == code
                assert await count(engine, TimeWeek) == before
