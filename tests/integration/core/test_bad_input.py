"""Bad input gets a clear 4xx problem and changes nothing."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.db.models import AuditEvent, Project
from tests.conftest import problem
from tests.integration.organisation.test_people_and_organisation import count


async def test_malformed_json_is_400_and_stores_nothing(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    before = await count(engine, Project)

    response = await client.post(
        "/api/projects",
        content=b'{"code": "X", "name":',
        headers={**as_role["payroll"], "content-type": "application/json"},
    )

    assert response.status_code == 400
    assert problem(response)["code"] == "malformed_body"
    assert await count(engine, Project) == before


async def test_wrong_types_name_the_field(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.post("/api/projects", json={"code": 12, "name": "X"}, headers=as_role["payroll"])

    body = problem(response)
    assert response.status_code == 422
    assert body["errors"][0]["field"] == "code"


async def test_missing_fields_are_reported(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.post("/api/projects", json={"name": "X"}, headers=as_role["payroll"])

    assert response.status_code == 422
    assert "code" in problem(response)["errors"][0]["message"]


async def test_unknown_fields_are_refused_rather_than_ignored(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.patch("/api/organisation", json={"cutof_day": 9}, headers=as_role["payroll"])

    assert response.status_code == 422


async def test_oversized_bodies_are_413_and_store_nothing(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine
) -> None:
    before = await count(engine, AuditEvent)
    huge = b'{"code": "BIG", "name": "' + b"x" * 2_000_000 + b'"}'

    response = await client.post(
        "/api/projects", content=huge, headers={**as_role["payroll"], "content-type": "application/json"}
    )

    assert response.status_code == 413
    assert problem(response)["code"] == "too_large"
    assert await count(engine, AuditEvent) == before


async def test_duplicate_codes_are_a_conflict_not_a_crash(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    first = await client.post("/api/cost-centres", json={"code": "777", "name": "A"}, headers=as_role["payroll"])
    second = await client.post("/api/cost-centres", json={"code": "777", "name": "B"}, headers=as_role["payroll"])

    assert first.status_code == 201
    assert second.status_code == 409
    assert problem(second)["code"] == "conflict"


async def test_a_malformed_id_in_the_path_is_a_clear_4xx(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await client.get("/api/employees/not-a-uuid", headers=as_role["payroll"])

    assert 400 <= response.status_code < 500
    problem(response)


async def test_unknown_api_paths_are_problem_details_not_the_web_app(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/does-not-exist")

    assert response.status_code == 404
    problem(response)


async def test_errors_carry_the_request_id_for_support(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/me", headers={"x-request-id": "abc-123"})

    assert problem(response)["request_id"] == "abc-123"
    assert response.headers["x-request-id"] == "abc-123"


async def test_health_endpoints(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    assert (await client.get("/health/ready")).json() == {"status": "ok", "database": "ok", "jobs": "ok"}


async def test_openapi_schema_is_served(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/schema/openapi.json")

    assert response.status_code == 200
    assert "/api/me" in response.json()["paths"]
