"""Payroll's periods, export batches, their files and the export configuration (payroll and admin)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeAlias
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, Parameter, SkipValidation
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from backend.core.authorization import Role, requires
from backend.core.deps import ClockDep, DbSession, JobsDep, LanguageDep, PrincipalDep, SessionsDep, StorageDep
from backend.core.i18n import Text
from backend.core.problems import FieldError, edge_error, invalid
from backend.core.queries import Offset, Year
from backend.core.schemas import CONTROL_CHARACTERS
from backend.db.models import ExportBatch
from backend.exports import closing, listing
from backend.exports.configuration import CHART, CODE_MAPPING, MAX_FILE, ConfigurationService, Stored, as_document
from backend.exports.configuration import from_document as toml_of
from backend.exports.files import file_bytes, file_name
from backend.exports.periods import PeriodService, batch_view, parse_period
from backend.exports.schemas import (
    BatchView,
    ConfigurationIn,
    ConfigurationView,
    ExportRows,
    Period,
    PeriodView,
    ReopenIn,
)
from backend.storage import ContentStore

PAYROLL_OR_ADMIN = requires(Role.PAYROLL, Role.ADMIN)
MEDIA = {"paxml": "application/xml; charset=iso-8859-1", "sie": "text/plain; charset=cp437"}


def provide_periods(db_session: DbSession, principal: PrincipalDep, language: LanguageDep) -> PeriodService:
    """The periods of the principal's organisation; without a store, as downloads render the files."""
    return PeriodService(db_session, principal, principal.organisation_id, language=language)


def provide_configuration(db_session: DbSession, principal: PrincipalDep) -> ConfigurationService:
    return ConfigurationService(db_session, principal)


PeriodsDep: TypeAlias = NamedDependency[SkipValidation[PeriodService]]
ConfigurationDep: TypeAlias = NamedDependency[SkipValidation[ConfigurationService]]


class PeriodController(Controller):
    path = "/api/payroll/periods"
    tags = ["Payroll export"]
    guards = [PAYROLL_OR_ADMIN]
    dependencies = {"periods": Provide(provide_periods, sync_to_thread=False)}

    @get("/")
    async def list_periods(self, clock: ClockDep, periods: PeriodsDep, year: Year = None) -> list[PeriodView]:
        """The year's twelve pay periods with their state, what waits and the batches.

        Default: this year, or last year while its December waits to be closed (early January)."""
        today = clock.today()
        return await periods.year(year or await periods.default_year(today), today)

    @get("/{period:str}")
    async def get_period(self, period: FromPath[str], clock: ClockDep, periods: PeriodsDep) -> PeriodView:
        return await periods.one(parse_period(period), clock.today())

    @post("/{period:str}/close", status_code=HTTP_202_ACCEPTED)
    async def close(
        self,
        period: FromPath[str],
        principal: PrincipalDep,
        clock: ClockDep,
        jobs: JobsDep,
        periods: PeriodsDep,
    ) -> PeriodView:
        """Close after the cut-off (409 before): the period is ``closing`` and a job freezes what is approved
        by now into an export batch. Ask for the period until it is ``closed`` (its new batch) or ``open``
        again with ``close_problem`` (why the export was refused)."""
        month = parse_period(period)
        view = await periods.request_close(month, clock.now())
        await jobs.wake("close_period", **closing.job_for(principal.organisation_id, month))
        return view

    @post("/{period:str}/reopen", status_code=HTTP_200_OK)
    async def reopen(
        self,
        period: FromPath[str],
        data: JSONBody[ReopenIn],
        clock: ClockDep,
        periods: PeriodsDep,
    ) -> PeriodView:
        return await periods.reopen(parse_period(period), data.reason, clock.now())


def _download(batch: ExportBatch, kind: str, sessions: Any, storage: ContentStore) -> Stream:
    async def content() -> AsyncIterator[bytes]:
        async with sessions() as session:  # its own session: the stream outlives the request's
            async for piece in file_bytes(session, batch, kind, storage):
                yield piece

    return Stream(
        content(),
        media_type=MEDIA[kind],
        headers={
            "content-disposition": f'attachment; filename="{file_name(batch, kind)}"',
            "cache-control": "no-store",
        },
    )


class ExportBatchController(Controller):
    path = "/api/payroll/export-batches"
    tags = ["Payroll export"]
    guards = [PAYROLL_OR_ADMIN]

    @get("/")
    async def list_batches(
        self, principal: PrincipalDep, db_session: DbSession, period: FromQuery[Period | None] = None
    ) -> list[BatchView]:
        """Every batch (newest first), or one period's."""
        return [batch_view(b) for b in await listing.batches(db_session, principal.organisation_id, period)]

    @get("/{batch_id:uuid}")
    async def get_batch(self, batch_id: FromPath[UUID], principal: PrincipalDep, db_session: DbSession) -> BatchView:
        return batch_view(await listing.batch(db_session, principal.organisation_id, batch_id))

    @get("/{batch_id:uuid}/rows")
    async def rows(
        self,
        batch_id: FromPath[UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        offset: Offset = 0,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
    ) -> ExportRows:
        """The batch's transactions in file order: the export rows an error can be reported on."""
        found = await listing.batch(db_session, principal.organisation_id, batch_id)
        return await listing.rows(db_session, found, offset, limit)

    @get("/{batch_id:uuid}/paxml")
    async def paxml(
        self,
        batch_id: FromPath[UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        sessions: SessionsDep,
        storage: StorageDep,
    ) -> Stream:
        """The PAXml file for the payroll system, streamed; the same bytes every time (``paxml_sha256``)."""
        found = await listing.batch(db_session, principal.organisation_id, batch_id)
        return _download(found, "paxml", sessions, storage)

    @get("/{batch_id:uuid}/sie")
    async def sie(
        self,
        batch_id: FromPath[UUID],
        principal: PrincipalDep,
        db_session: DbSession,
        sessions: SessionsDep,
        storage: StorageDep,
    ) -> Stream:
        """The SIE 4 file for bookkeeping, streamed; the same bytes every time (``sie_sha256``)."""
        found = await listing.batch(db_session, principal.organisation_id, batch_id)
        return _download(found, "sie", sessions, storage)


def _view(stored: Stored) -> ConfigurationView:
    return ConfigurationView(
        kind=stored.kind,
        default=stored.default,
        changed_at=stored.changed_at,
        changed_by=stored.changed_by,
        document=as_document(stored.content),
    )


async def _text_body(request: Request[Any, Any, Any]) -> str:
    body = await request.body()
    if len(body) > MAX_FILE:
        raise invalid([FieldError("file", "too_large", Text(sv="Filen är för stor", en="The file is too large"))])
    if not body.strip():
        raise invalid([FieldError("file", "empty", Text(sv="Filen är tom", en="The file is empty"))])
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid(
            [FieldError("file", "not_utf8", Text(sv="Filen är inte UTF-8-text", en="The file is not UTF-8 text"))]
        ) from exc
    if CONTROL_CHARACTERS.search(text):
        raise invalid([edge_error("file", "control_character")])
    return text


def _text(stored: Stored, name: str) -> Response[str]:
    return Response(
        stored.content,
        media_type="text/plain; charset=utf-8",
        headers={"content-disposition": f'inline; filename="{name}"', "cache-control": "no-store"},
    )


class ExportConfigurationController(Controller):
    """The code mapping (``/code-mapping``) and chart of accounts (``/chart-of-accounts``), as JSON or as the file."""

    path = "/api/payroll"
    tags = ["Payroll export"]
    guards = [PAYROLL_OR_ADMIN]
    dependencies = {"configuration": Provide(provide_configuration, sync_to_thread=False)}

    @get("/code-mapping")
    async def get_mapping(self, configuration: ConfigurationDep) -> ConfigurationView:
        return _view(await configuration.get(CODE_MAPPING))

    @put("/code-mapping")
    async def put_mapping(self, data: JSONBody[ConfigurationIn], configuration: ConfigurationDep) -> ConfigurationView:
        return _view(await configuration.put(CODE_MAPPING, toml_of(data.document)))

    @get("/code-mapping/file", media_type="text/plain")
    async def get_mapping_file(self, configuration: ConfigurationDep) -> Response[str]:
        return _text(await configuration.get(CODE_MAPPING), "lonearter.toml")

    @put("/code-mapping/file", media_type="text/plain")
    async def put_mapping_file(self, request: Request[Any, Any, Any], configuration: ConfigurationDep) -> Response[str]:
        stored = await configuration.put(CODE_MAPPING, await _text_body(request))
        return _text(stored, "lonearter.toml")

    @get("/chart-of-accounts")
    async def get_chart(self, configuration: ConfigurationDep) -> ConfigurationView:
        return _view(await configuration.get(CHART))

    @put("/chart-of-accounts")
    async def put_chart(self, data: JSONBody[ConfigurationIn], configuration: ConfigurationDep) -> ConfigurationView:
        return _view(await configuration.put(CHART, toml_of(data.document)))

    @get("/chart-of-accounts/file", media_type="text/plain")
    async def get_chart_file(self, configuration: ConfigurationDep) -> Response[str]:
        return _text(await configuration.get(CHART), "kontoplan.toml")

    @put("/chart-of-accounts/file", media_type="text/plain")
    async def put_chart_file(self, request: Request[Any, Any, Any], configuration: ConfigurationDep) -> Response[str]:
        stored = await configuration.put(CHART, await _text_body(request))
        return _text(stored, "kontoplan.toml")
