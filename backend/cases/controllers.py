"""Error reports (felanmälan): the reporter's cases, payroll's case inbox, and what payroll does with a case.

Reporters are employees, managers and payroll (each sees the cases they reported); payroll sees
every case of the organisation. An administrator without the payroll role sees none.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeAlias
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, Parameter, SkipValidation
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from backend.cases.schemas import (
    CaseIn,
    CaseList,
    CaseStatusName,
    CaseView,
    DueDateIn,
    MessageIn,
    OwnerIn,
    OwnerOption,
    ReturnIn,
    Scope,
    StatusIn,
)
from backend.cases.services import CaseService, Upload
from backend.core.authorization import Role, requires
from backend.core.deps import ClockDep, DbSession, LanguageDep, PrincipalDep, SettingsDep, StorageDep
from backend.core.i18n import Text
from backend.core.idempotency import idempotent
from backend.core.problems import FieldError, field_error, invalid
from backend.core.queries import Offset
from backend.core.security_headers import file_extension, stored_file_headers
from backend.expenses.controllers import UPLOAD_BODY_LIMIT

REPORTERS = requires(Role.EMPLOYEE, Role.MANAGER, Role.PAYROLL)
PAYROLL = requires(Role.PAYROLL)
MAX_PAGE = 100
MAX_OFFSET = 1_000_000
_AT = re.compile(r"unknown field `([^`]*)`|at `\$\.?([^`]*)`")


def provide_cases(
    db_session: DbSession, principal: PrincipalDep, clock: ClockDep, language: LanguageDep, storage: StorageDep
) -> CaseService:
    """The case service for this request: one place for its wiring (session, who, when, language, storage)."""
    return CaseService(db_session, principal, clock.now(), clock.today(), language, storage)


CasesDep: TypeAlias = NamedDependency[SkipValidation[CaseService]]


def _bad_body(exc: msgspec.MsgspecError) -> Exception:
    message = str(exc)
    found = _AT.search(message)
    return invalid([field_error((found.group(1) or found.group(2) if found else "") or "body", message)])


async def _report(request: Request[Any, Any, Any]) -> tuple[CaseIn, Upload | None]:
    """The report as JSON, or as a multipart form with the same fields plus an optional ``file``."""
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            form = await request.form()
            upload = None
            fields: dict[str, Any] = {}
            for key, value in form.multi_items():
                if key == "file" and isinstance(value, UploadFile):
                    data = await value.read()
                    upload = Upload(data, value.filename) if data or value.filename else None
                elif isinstance(value, str) and value != "":
                    fields[key] = value
                elif not isinstance(value, str):
                    raise invalid([FieldError(key, "invalid", Text(sv="Oväntad fil", en="Unexpected file"))])
            return msgspec.convert(fields, CaseIn, strict=False), upload
        return msgspec.json.decode(await request.body(), type=CaseIn), None
    except msgspec.MsgspecError as exc:
        raise _bad_body(exc) from exc


def _owner(value: str | None) -> str | None:
    if value in (None, "", "me", "none"):
        return value or None
    try:
        return str(UUID(value))
    except ValueError as exc:
        raise invalid(
            [
                FieldError(
                    "owner", "invalid", Text(sv="Ange me, none eller ett konto-id", en="Give me, none or an account id")
                )
            ]
        ) from exc


class CaseController(Controller):
    path = "/api/cases"
    tags = ["Error reports"]
    guards = [REPORTERS]
    dependencies = {"cases": Provide(provide_cases, sync_to_thread=False)}

    @get("/")
    async def list_cases(
        self,
        cases: CasesDep,
        view: FromQuery[Scope] = "mine",
        status: FromQuery[list[CaseStatusName] | None] = None,
        owner: Annotated[str | None, Parameter(max_length=100)] = None,
        overdue: FromQuery[bool | None] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
        offset: Offset = 0,
    ) -> CaseList:
        """Your reports (``view=mine``), or payroll's inbox (``view=all``) filtered by status, owner
        (``me``, ``none`` = the shared queue, or an account id) and overdue; soonest due first."""
        if not 1 <= limit <= MAX_PAGE:
            raise invalid([FieldError("limit", "out_of_range", Text(sv=f"1-{MAX_PAGE}", en=f"1-{MAX_PAGE}"))])
        if not 0 <= offset <= MAX_OFFSET:
            raise invalid([FieldError("offset", "out_of_range", Text(sv=f"0-{MAX_OFFSET}", en=f"0-{MAX_OFFSET}"))])
        return await cases.list_cases(view, status or [], _owner(owner), overdue, limit, offset)

    @post("/", status_code=HTTP_201_CREATED, request_max_body_size=UPLOAD_BODY_LIMIT)
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        db_session: DbSession,
        settings: SettingsDep,
        cases: CasesDep,
    ) -> Response[Any]:
        """Report an error ("Felanmäl"): JSON ``CaseIn``, or multipart with the same fields and an optional
        ``file`` (image or one-page PDF, the receipt limits). Send an ``Idempotency-Key`` to make a retry safe."""
        data, upload = await _report(request)

        async def action() -> CaseView:
            return await cases.create(data, upload, settings.upload_max_bytes, settings.upload_decode_mb * 1024 * 1024)

        return await idempotent(request, db_session, principal, action, HTTP_201_CREATED)

    @get("/owners", guards=[PAYROLL])
    async def owners(self, cases: CasesDep) -> list[OwnerOption]:
        """Payroll accounts a case can be given to."""
        return await cases.owners()

    @get("/{case_id:uuid}")
    async def get_case(
        self,
        case_id: FromPath[UUID],
        cases: CasesDep,
    ) -> CaseView:
        """The case with its timeline: messages, status changes, assignments, due-date changes."""
        return await cases.get(case_id)

    @get("/{case_id:uuid}/attachment", media_type="application/octet-stream")
    async def attachment(
        self,
        case_id: FromPath[UUID],
        cases: CasesDep,
    ) -> Response[bytes]:
        """The attached image (metadata removed) or PDF; sandboxed so a PDF cannot run script here."""
        content, content_type, _ = await cases.attachment(case_id)
        name = f"bilaga-{case_id}.{file_extension(content_type)}"
        return Response(content, media_type=content_type, headers=stored_file_headers(content_type, name))

    @post("/{case_id:uuid}/messages", status_code=HTTP_201_CREATED)
    async def post_message(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[MessageIn],
        cases: CasesDep,
    ) -> CaseView:
        """A message: payroll's answers the case; the reporter's reply to an answer puts it back in progress."""
        return await cases.post_message(case_id, data.text)

    @post("/{case_id:uuid}/status", status_code=HTTP_200_OK, guards=[PAYROLL])
    async def change_status(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[StatusIn],
        cases: CasesDep,
    ) -> CaseView:
        """Start, answer, close, or reopen a closed case (payroll)."""
        return await cases.change_status(case_id, data.status)

    @post("/{case_id:uuid}/owner", status_code=HTTP_200_OK, guards=[PAYROLL])
    async def assign(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[OwnerIn],
        cases: CasesDep,
    ) -> CaseView:
        """Take the case (your own account id), give it to someone in payroll, or null for the shared queue."""
        return await cases.assign(case_id, data.owner_account_id)

    @post("/{case_id:uuid}/due-date", status_code=HTTP_200_OK, guards=[PAYROLL])
    async def change_due_date(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[DueDateIn],
        cases: CasesDep,
    ) -> CaseView:
        return await cases.change_due_date(case_id, data.due_date)

    @post("/{case_id:uuid}/return-item", status_code=HTTP_200_OK, guards=[PAYROLL])
    async def return_item(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[ReturnIn],
        cases: CasesDep,
    ) -> CaseView:
        """Send the case's item back to the employee with a reason (approved and not yet paid, or waiting
        in payroll's own attest queue); the case records it and becomes answered."""
        return await cases.return_item(case_id, data.reason)
