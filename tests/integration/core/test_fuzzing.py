"""Schemathesis over the whole OpenAPI document, once per role: no 5xx, every answer as documented.

Bounded and repeatable: a fixed seed (``derandomize``) and a few examples per operation, valid
and invalid, so the four roles take a few minutes on both databases. Requests go to the real
ASGI app on Schemathesis' own event loop, which also owns the app's database connections.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, cast

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from litestar import Litestar
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backend.demo.seed import DEMO_PASSWORD
from tests.conftest import ANNA, LENA, MARIA

pytestmark = pytest.mark.clockless

EXAMPLES = {GenerationMode.POSITIVE: 1, GenerationMode.NEGATIVE: 2}
"""Per operation and role: about 350 requests a role. ``FUZZ_EXAMPLES=n`` runs n of each for a deeper look."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = {"anonymous": None, "employee": ANNA, "manager": MARIA, "payroll": LENA}
SESSION_ENDING = {"/api/auth/logout", "/api/auth/refresh"}
"""Left out for signed-in roles: they end the very token the rest of the run uses."""


@pytest.fixture
def asgi_app(app: Litestar) -> Iterator[Litestar]:
    yield app
    asgi.shutdown_lifespans()


def _headers(app: Litestar, email: str | None) -> dict[str, str]:
    if email is None:
        return {}
    with asgi.get_client(cast(Any, app)) as client:
        response = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['token']}"}


def _fuzz(operation: Any, headers: dict[str, str], mode: GenerationMode, failures: list[str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", EXAMPLES[mode])),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as failure:
            failures.append(f"{mode.value} {operation.label}: {str(failure)[:1500]}")

    run()


@pytest.mark.parametrize("role", list(ROLES))
def test_no_operation_answers_a_server_error_or_off_its_schema(role: str, asgi_app: Litestar) -> None:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", asgi_app)
    headers = _headers(asgi_app, ROLES[role])
    failures: list[str] = []
    operations = 0

    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI document has an operation Schemathesis cannot read: {result}"
        operation = result.ok()
        if headers and operation.path in SESSION_ENDING:
            continue
        operations += 1
        for mode in EXAMPLES:
            _fuzz(operation, headers, mode, failures)

    assert operations > 50
    assert not failures, f"{len(failures)} failing cases:\n\n" + "\n\n".join(failures)
