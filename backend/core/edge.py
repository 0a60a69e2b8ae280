"""Checks on every request before any handler parses it: what no single schema can see.

- JSON nested deeper than any body of this API (msgspec recursed until Python's limit: a 500);
- control characters in query and path parameters (PostgreSQL refuses NUL);
- dates, months and ISO weeks in query and path parameters outside the years the calendars
  know (date arithmetic overflowed near year 1 or 9999).
Bodies are read through ``request.body()``, which keeps the app's size limit (413) and caches
the bytes for the handler.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.status_codes import HTTP_400_BAD_REQUEST

from backend.core.i18n import Text
from backend.core.problems import FieldError, Problem, edge_error, invalid
from backend.core.schemas import CONTROL_CHARACTERS, EARLIEST_YEAR, LATEST_YEAR

MAX_JSON_DEPTH = 32
"""The deepest body the API takes is four levels (a time week's rows' clock times); 32 leaves room."""

_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_DATE_LIKE = re.compile(r"^(?P<year>\d{4})-(?:\d{2}(?:-\d{2}(?:[T ].*)?)?|W\d{2})$")


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON text nests arrays and objects deeper than ``limit``, brackets in strings ignored.

    Cheap: a body with fewer opening brackets than the limit is let through without scanning.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for token in _TOKENS.finditer(body):
        mark = token.group()
        if mark in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif mark in (b"]", b"}"):
            depth -= 1
    return False


def _parameter_problems(parameters: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    for name, values in parameters.items():
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str):
                continue
            if CONTROL_CHARACTERS.search(value):
                errors.append(edge_error(name, "control_character"))
            elif (date_like := _DATE_LIKE.match(value)) and not (
                EARLIEST_YEAR <= int(date_like["year"]) <= LATEST_YEAR
            ):
                errors.append(edge_error(name, "year_out_of_range"))
    return errors


async def check_request(request: Request[Any, Any, Any]) -> None:
    """App-wide ``before_request``: refuse what would otherwise fail deep inside (see module doc)."""
    errors = _parameter_problems({**request.query_params.dict(), **request.path_params})
    if errors:
        raise invalid(errors)
    if request.method in ("POST", "PUT", "PATCH") and _read_as_json(request):
        _check_json(await request.body())


def _read_as_json(request: Request[Any, Any, Any]) -> bool:
    """Sent as JSON, or to a handler with a ``data`` body, which Litestar decodes as JSON whatever the content type."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/"):
        return False
    return "json" in content_type or "data" in request.route_handler.parsed_fn_signature.parameters


def _malformed(code: str, text: Text) -> Problem:
    return Problem(
        HTTP_400_BAD_REQUEST,
        code,
        Text(sv="Felaktig begäran", en="Bad request"),
        text,
        [FieldError("body", code, text)],
    )


def _check_json(body: bytes) -> None:
    """JSON must be UTF-8 (RFC 8259) and no deeper than ``MAX_JSON_DEPTH``; both checked in C-speed passes."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _malformed(
            "malformed_body", Text(sv="Innehållet är inte giltig UTF-8.", en="The body is not valid UTF-8.")
        ) from exc
    if json_depth_exceeds(body):
        raise _malformed(
            "too_deeply_nested",
            Text(
                sv=f"Innehållet är nästlat djupare än {MAX_JSON_DEPTH} nivåer.",
                en=f"The body is nested deeper than {MAX_JSON_DEPTH} levels.",
            ),
        )
