"""Every operation's error answers in the OpenAPI document, added once for all routes.

Litestar documents only what a handler returns; the problems it can answer (RFC 9457,
``application/problem+json``) are added here from what the route is: signed in or not,
with a body or not, a sign-in endpoint or not. A handler's own ``responses`` win.

A handler marked ``may_create=True`` (a PUT that creates on the first save of a new id, or a
POST that finds an existing record) answers both 200 and 201 with the same body; both are listed.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT

from backend.core.problems import PROBLEM_JSON, ProblemDetails

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
    statuses = [400, 401, 404, 422]  # 401 from public ones too: wrong credentials, an expired session
    if not handler.opt.get("exclude_from_auth") and not any(pattern.search(path) for pattern in public):
        statuses += [403]
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
            if handler.status_code == HTTP_204_NO_CONTENT:  # no body, even when the handler returns Response[None]
                documented[HTTP_204_NO_CONTENT] = ResponseSpec(data_container=None, description="No content")
            if handler.opt.get("may_create"):
                documented |= _saved(handler)
            handler.responses = {**documented, **(handler.responses or {})}


def _saved(handler: HTTPRouteHandler) -> dict[int, ResponseSpec]:
    """200 and 201 (whichever the decorator does not already say) with the handler's ``Response[T]``'s ``T``."""
    annotation: Any = handler.parsed_fn_signature.return_type.annotation
    body = (typing.get_args(annotation) or (annotation,))[0]
    texts = {200: "Saved", 201: "Created"}
    return {
        status: ResponseSpec(data_container=body, description=text, generate_examples=False)
        for status, text in texts.items()
        if status != handler.status_code
    }
