"""Matrix cases for periods, export batches, their files and the export configuration: payroll and admin only."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.domain.exports.chart import DEFAULT_CHART, serialise_chart
from backend.domain.exports.mapping import DEFAULT_MAPPING, serialise_mapping
from backend.exports.configuration import as_document
from tests.support.jobs import RunJobs, close_period

ROLES = ("employee", "manager", "payroll", "admin")
PAYROLL_LAST = ("employee", "manager", "admin", "payroll")


def cases(case: Any) -> list[Any]:
    def only(allowed: dict[str, int], denied: int = 403) -> dict[str, int]:
        return {role: allowed.get(role, denied) for role in ROLES}

    both = only({"payroll": 200, "admin": 200})
    return [
        case("GET", "/api/payroll/periods", both),
        case("GET", "/api/payroll/periods?year=2026", both, note="a year"),
        case("GET", "/api/payroll/periods/{period}", both),
        case("POST", "/api/payroll/periods/{period}/close", only({"admin": 202, "payroll": 409}), order=PAYROLL_LAST),
        case(
            "POST",
            "/api/payroll/periods/{closed_period}/reopen",
            only({"admin": 200, "payroll": 409}),
            lambda: {"reason": "Rättelse"},
            order=PAYROLL_LAST,
        ),
        case("GET", "/api/payroll/export-batches", both),
        case("GET", "/api/payroll/export-batches/{batch}", both),
        case("GET", "/api/payroll/export-batches/{batch}/rows", both),
        case("GET", "/api/payroll/export-batches/{batch}/paxml", both),
        case("GET", "/api/payroll/export-batches/{batch}/sie", both),
        case("GET", "/api/payroll/export-batches/{other_batch}", only({"payroll": 404, "admin": 404}), note="not ours"),
        case("GET", "/api/payroll/code-mapping", both),
        case(
            "PUT",
            "/api/payroll/code-mapping",
            both,
            lambda: {"document": as_document(serialise_mapping(DEFAULT_MAPPING))},
        ),
        case("GET", "/api/payroll/code-mapping/file", both),
        case("PUT", "/api/payroll/code-mapping/file", only({"payroll": 422, "admin": 422}), note="an empty file"),
        case("GET", "/api/payroll/chart-of-accounts", both),
        case(
            "PUT",
            "/api/payroll/chart-of-accounts",
            both,
            lambda: {"document": as_document(serialise_chart(DEFAULT_CHART))},
        ),
        case("GET", "/api/payroll/chart-of-accounts/file", both),
        case("PUT", "/api/payroll/chart-of-accounts/file", only({"payroll": 422, "admin": 422}), note="an empty file"),
    ]


async def export_ids(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], path: str, run_jobs: RunJobs
) -> dict[str, str]:
    """A closed November with its batch (empty: nothing approved by the cut-off in the bare demo)."""
    if "{batch}" not in path and "{closed_period}" not in path and "{other_batch}" not in path:
        return {"period": "2026-11"} if "{period}" in path else {}
    asked, closed = await close_period(client, as_role["payroll"], "2026-11", run_jobs)
    assert asked.status_code == 202, asked.text
    return {
        "batch": closed["batches"][-1]["id"],
        "closed_period": "2026-11",
        "other_batch": "00000000-0000-4000-8000-000000000000",
        "period": "2026-11",
    }
