"""Every operation's error answers in the OpenAPI document, added once for all routes.

Litestar documents only what a handler returns; the problems it can answer (RFC 9457,
``application/problem+json``) are added here from what the route is: signed in or not,
with a body or not, a sign-in endpoint or not. A handler's own ``responses`` win.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from backend.core.problems import PROBLEM_JSON


class ProblemFieldError(msgspec.Struct):
    field: str
    """Dotted path of the input field, e.g. ``rows.2.hours``."""
    code: str
    message: str


class ProblemDetails(msgspec.Struct):
    """RFC 9457 problem details, in the language of Accept-Language (Swedish or English)."""

    type: str
    title: str
    status: int
    code: str
    """Stable and documented; texts are for people."""
    instance: str
    detail: str | None = None
    errors: list[ProblemFieldError] | None = None
    request_id: str | None = None


_DESCRIPTIONS = {
    400: "Malformed request (not JSON, not UTF-8, nested too deep)",
    401: "Not signed in",
    403: "Not allowed (role, organisation or CSRF token)",
    404: "Not found, or not visible to you",
    409: "Conflict with the current state (e.g. already submitted, duplicate)",
    413: "Body too large",
    415: "Unsupported media type",
    422: "Invalid input; ``errors`` names each field",
    429: "Too many requests; see Retry-After",
}
_WITH_BODY = {"POST", "PUT", "PATCH"}


def _statuses(handler: HTTPRouteHandler, path: str, public: Iterable[re.Pattern[str]]) -> list[int]:
    methods = set(handler.http_methods)
    statuses = [400, 404, 422]
    if not handler.opt.get("exclude_from_auth") and not any(pattern.search(path) for pattern in public):
        statuses += [401, 403]
    if methods - {"GET", "HEAD", "OPTIONS"}:
        statuses += [403, 409]
    if methods & _WITH_BODY:
        statuses += [413, 415]
    if path.startswith("/api/auth/"):
        statuses += [429]
    return sorted(set(statuses))


def document_problems(app: Litestar, public_paths: Iterable[str]) -> None:
    """Give every API operation a problem-details response per status it can answer."""
    public = [re.compile(pattern) for pattern in public_paths]
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:
            if not handler.include_in_schema:
                continue
            documented = {
                status: ResponseSpec(
                    data_container=ProblemDetails,
                    description=_DESCRIPTIONS[status],
                    media_type=PROBLEM_JSON,
                    generate_examples=False,
                )
                for status in _statuses(handler, route.path, public)
            }
            handler.responses = {**documented, **(handler.responses or {})}
