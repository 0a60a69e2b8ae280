"""Every error as RFC 9457 problem details, in Swedish or English, never a stack trace.

Handlers raise ``Problem`` (or a subclass) with a stable ``code``; this module turns it,
and every framework or database error, into ``application/problem+json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    SerializationException,
    ValidationException,
)
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from sqlalchemy.exc import IntegrityError

from backend.core.i18n import Language, Text, request_language
from backend.core.schemas import EARLIEST_YEAR, EDGE_ERROR, LATEST_YEAR
from backend.domain.errors import FieldError as FieldError  # the API answers the rules' own

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://selfservice.example/problems/"


class ProblemFieldError(msgspec.Struct):
    field: str
    """Dotted path of the input field, e.g. ``rows.2.hours``."""
    code: str
    message: str


class ProblemDetails(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details, in the language of Accept-Language (Swedish or English): what
    ``render`` sends and what the OpenAPI document describes (``backend.core.openapi``)."""

    type: str
    title: str
    status: int
    code: str
    """Stable and documented; texts are for people."""
    instance: str
    detail: str | None = None
    errors: list[ProblemFieldError] | None = None
    request_id: str | None = None


log = structlog.get_logger(__name__)
DEFAULT_RETRY_AFTER_SECONDS = "60"


@dataclass
class Problem(Exception):
    """An error a client can act on. ``code`` is stable and documented; texts are for people."""

    status: int
    code: str
    title: Text
    detail: Text | None = None
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.title.en}"


def not_found(what: Text | None = None) -> Problem:
    return Problem(
        HTTP_404_NOT_FOUND,
        "not_found",
        Text(sv="Hittades inte", en="Not found"),
        what
        or Text(
            sv="Det du sökte finns inte eller så saknar du behörighet.", en="It does not exist or you may not see it."
        ),
    )


def forbidden(detail: Text | None = None) -> Problem:
    return Problem(
        HTTP_403_FORBIDDEN,
        "forbidden",
        Text(sv="Otillåtet", en="Forbidden"),
        detail or Text(sv="Du har inte behörighet att göra detta.", en="You are not allowed to do this."),
    )


def conflict(code: str, detail: Text) -> Problem:
    return Problem(HTTP_409_CONFLICT, code, Text(sv="Konflikt", en="Conflict"), detail)


def invalid(errors: list[FieldError], detail: Text | None = None) -> Problem:
    return Problem(
        HTTP_422_UNPROCESSABLE_ENTITY,
        "validation_failed",
        Text(sv="Ogiltiga uppgifter", en="Invalid input"),
        detail or Text(sv="Rätta fälten nedan och försök igen.", en="Correct the fields below and try again."),
        errors,
    )


_GENERIC: dict[int, tuple[str, Text, Text]] = {
    HTTP_400_BAD_REQUEST: (
        "bad_request",
        Text(sv="Felaktig begäran", en="Bad request"),
        Text(sv="Begäran kunde inte tolkas.", en="The request could not be understood."),
    ),
    HTTP_401_UNAUTHORIZED: (
        "not_authenticated",
        Text(sv="Inte inloggad", en="Not signed in"),
        Text(sv="Logga in och försök igen.", en="Sign in and try again."),
    ),
    HTTP_403_FORBIDDEN: (
        "forbidden",
        Text(sv="Otillåtet", en="Forbidden"),
        Text(sv="Du har inte behörighet att göra detta.", en="You are not allowed to do this."),
    ),
    HTTP_404_NOT_FOUND: (
        "not_found",
        Text(sv="Hittades inte", en="Not found"),
        Text(sv="Det du sökte finns inte.", en="Nothing is here."),
    ),
    HTTP_405_METHOD_NOT_ALLOWED: (
        "method_not_allowed",
        Text(sv="Metoden stöds inte", en="Method not allowed"),
        Text(sv="Den här adressen stöder inte den metoden.", en="This address does not support that method."),
    ),
    HTTP_413_REQUEST_ENTITY_TOO_LARGE: (
        "too_large",
        Text(sv="För stor", en="Too large"),
        Text(sv="Det du skickade är för stort.", en="What you sent is too large."),
    ),
    HTTP_415_UNSUPPORTED_MEDIA_TYPE: (
        "unsupported_media_type",
        Text(sv="Filtypen stöds inte", en="Unsupported media type"),
        Text(sv="Skicka en fil av en typ som stöds.", en="Send a file of a supported type."),
    ),
    HTTP_429_TOO_MANY_REQUESTS: (
        "too_many_requests",
        Text(sv="För många försök", en="Too many requests"),
        Text(sv="Vänta en stund och försök igen.", en="Wait a moment and try again."),
    ),
    HTTP_503_SERVICE_UNAVAILABLE: (
        "unavailable",
        Text(sv="Tillfälligt otillgänglig", en="Temporarily unavailable"),
        Text(sv="Försök igen om en stund.", en="Try again shortly."),
    ),
}


def _request_id(request: Request[Any, Any, Any]) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


def details(problem: Problem, language: Language, instance: str, request_id: str | None = None) -> ProblemDetails:
    """The problem as one reader reads it: what a response carries, or a stored refusal shown later."""
    return ProblemDetails(
        type=TYPE_BASE + problem.code,
        title=problem.title(language),
        status=problem.status,
        code=problem.code,
        instance=instance,
        detail=problem.detail(language) if problem.detail is not None else None,
        errors=[ProblemFieldError(e.field, e.code, e.message(language)) for e in problem.errors] or None,
        request_id=request_id,
    )


def stored(problem: Problem) -> dict[str, Any]:
    """A problem met by a job, kept in both languages (a JSON column) for whoever reads it later."""

    def text(value: Text) -> dict[str, str]:
        return {"sv": value.sv, "en": value.en}

    return {
        "status": problem.status,
        "code": problem.code,
        "title": text(problem.title),
        "detail": text(problem.detail) if problem.detail is not None else None,
        "errors": [{"field": e.field, "code": e.code, "message": text(e.message)} for e in problem.errors],
    }


def from_stored(value: dict[str, Any]) -> Problem:
    """The problem ``stored`` kept."""

    def text(found: dict[str, str]) -> Text:
        return Text(sv=found["sv"], en=found["en"])

    return Problem(
        int(value["status"]),
        str(value["code"]),
        text(value["title"]),
        text(value["detail"]) if value.get("detail") else None,
        [FieldError(e["field"], e["code"], text(e["message"])) for e in value.get("errors", [])],
    )


def render(request: Request[Any, Any, Any], problem: Problem) -> Response[dict[str, Any]]:
    language = request_language(request)
    shown = details(problem, language, request.url.path, _request_id(request))
    body: dict[str, Any] = msgspec.to_builtins(shown)
    body.update(problem.extra)
    headers = {"content-language": language, **problem.headers}
    if problem.status == HTTP_429_TOO_MANY_REQUESTS and not any(k.lower() == "retry-after" for k in headers):
        headers["retry-after"] = DEFAULT_RETRY_AFTER_SECONDS  # every 429 says when to try again
    return Response(
        content=body,
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


EDGE_TEXTS: dict[str, Text] = {
    "control_character": Text(
        sv="Får inte innehålla styrtecken (t.ex. NUL).", en="Must not contain control characters (such as NUL)."
    ),
    "not_finite": Text(sv="Måste vara ett ändligt tal.", en="Must be a finite number."),
    "out_of_range": Text(sv="Talet är utanför det tillåtna intervallet.", en="The number is out of the allowed range."),
    "too_many_decimals": Text(sv="För många decimaler.", en="Too many decimals."),
    "year_out_of_range": Text(
        sv=f"Året måste vara mellan {EARLIEST_YEAR} och {LATEST_YEAR}.",
        en=f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}.",
    ),
}
"""What each edge rule of ``backend.core.schemas`` says when a field breaks it."""


def edge_error(field: str, code: str) -> FieldError:
    """The field error for one broken edge rule (bodies, query and path parameters alike)."""
    return FieldError(field, code, EDGE_TEXTS[code])


def field_error(key: str, message: str) -> FieldError:
    """One msgspec complaint at ``key`` (``$.rows[2].hours``) as a field error (``rows.2.hours``).

    A broken edge rule (``backend.core.schemas``) keeps its own code and texts and names its field.
    """
    key = key.removeprefix("$").removeprefix(".").replace("[", ".").replace("]", "")
    if (edge := EDGE_ERROR.match(message.split(" - at ", 1)[0])) is not None:
        at = "" if key in ("data", "body") else key  # the body itself: Litestar calls it ``data``
        return edge_error(f"{at}.{edge['field']}" if at else edge["field"], edge["code"])
    return FieldError(key or "body", "invalid", Text(sv=f"Ogiltigt värde: {message}", en=message))


def _validation_errors(exc: ValidationException) -> list[FieldError]:
    """Litestar/msgspec validation details as field errors."""
    errors: list[FieldError] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        errors.append(field_error(str(item.get("key") or "body"), str(item.get("message") or exc.detail)))
    if not errors and exc.detail:
        errors.append(FieldError("body", "invalid", Text(sv=f"Ogiltigt innehåll: {exc.detail}", en=exc.detail)))
    return errors


def handle_problem(request: Request[Any, Any, Any], exc: Problem) -> Response[dict[str, Any]]:
    return render(request, exc)


def handle_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    return render(request, invalid(_validation_errors(exc)))


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    code, title, detail = _GENERIC.get(
        status, _GENERIC[HTTP_400_BAD_REQUEST] if status < 500 else _GENERIC[HTTP_503_SERVICE_UNAVAILABLE]
    )
    if isinstance(exc, NotAuthorizedException):
        code, title, detail = _GENERIC[HTTP_401_UNAUTHORIZED]
    elif isinstance(exc, PermissionDeniedException):
        code, title, detail = _GENERIC[HTTP_403_FORBIDDEN]
        if "csrf" in str(exc.detail).lower():
            code = "csrf_failed"
            detail = Text(
                sv="Säkerhetstoken saknas eller stämmer inte. Ladda om sidan.",
                en="The security token is missing or wrong. Reload the page.",
            )
    elif isinstance(exc, NotFoundException):
        code, title, detail = _GENERIC[HTTP_404_NOT_FOUND]
    elif status == HTTP_400_BAD_REQUEST and isinstance(exc.__cause__, SerializationException):
        code = "malformed_body"
        detail = Text(sv="Innehållet är inte giltig JSON.", en="The body is not valid JSON.")
    given = {k.lower(): v for k, v in (exc.headers or {}).items()}
    headers = {k: v for k, v in given.items() if k in ("retry-after", "allow", "www-authenticate")}
    if "ratelimit-reset" in given:  # the per-address rate limit says when its window ends
        headers.setdefault("retry-after", str(max(1, int(given["ratelimit-reset"]))))
    return render(request, Problem(status, code, title, detail, headers=headers))


def handle_integrity(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[dict[str, Any]]:
    log.info("integrity_error", error=str(exc.orig))
    return render(
        request,
        conflict(
            "conflict",
            Text(
                sv="Uppgifterna krockar med något som redan finns (t.ex. samma e-post eller kod).",
                en="This conflicts with something that already exists (e.g. the same e-mail or code).",
            ),
        ),
    )


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled_error", path=request.url.path)
    return render(
        request,
        Problem(
            HTTP_500_INTERNAL_SERVER_ERROR,
            "internal_error",
            Text(sv="Något gick fel", en="Something went wrong"),
            Text(
                sv="Ett oväntat fel inträffade. Inget har sparats. Ange request_id om du kontaktar support.",
                en="An unexpected error occurred. Nothing was saved. Quote the request_id if you contact support.",
            ),
        ),
    )


def exception_handlers() -> dict[type[Exception] | int, Any]:
    """The app's exception handlers, most specific first (Litestar matches by MRO)."""
    handlers: dict[type[Exception] | int, Any] = {
        Problem: handle_problem,
        ValidationException: handle_validation,
        HTTPException: handle_http,
        IntegrityError: handle_integrity,
        Exception: handle_unexpected,
    }
    try:
        from backend.domain.errors import DomainError
    except ImportError:  # pragma: no cover - the rules core always ships it
        return handlers

    def handle_domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
        text = exc.message
        error = FieldError(exc.field or "body", exc.code, text)
        if exc.category == "conflict":
            return render(
                request, Problem(HTTP_409_CONFLICT, exc.code, Text(sv="Konflikt", en="Conflict"), text, [error])
            )
        if exc.category == "forbidden":
            return render(
                request, Problem(HTTP_403_FORBIDDEN, exc.code, Text(sv="Otillåtet", en="Forbidden"), text, [error])
            )
        return render(request, invalid([error], text))

    handlers[DomainError] = handle_domain
    return handlers
